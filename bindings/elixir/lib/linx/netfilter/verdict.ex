defmodule Linx.Netfilter.Verdict do
  @moduledoc """
  A netfilter verdict: what a rule decides for a packet.

  `:accept`, `:drop`, `:continue` and `:return` take no target; `:jump` and
  `:goto` name a chain; `:queue` names a userspace queue number.  `:reject`
  is not a verdict but a statement (`Linx.Netfilter.Expr.reject/2`).

      iex> Linx.Netfilter.Verdict.new({:jump, "ssh_in"})
      {:ok, Linx.Netfilter.Verdict.jump("ssh_in")}

  A verdict inspects as `#Linx.Netfilter.Verdict<jump "ssh_in">`.  Bad
  input is `{:error, {:bad_verdict, reason}}` from `new/1`.
  """

  @enforce_keys [:kind]
  defstruct [:kind, :target]

  @type kind() :: :accept | :drop | :continue | :return | :jump | :goto | :queue
  @type target() :: nil | String.t() | non_neg_integer()
  @type t() :: %__MODULE__{kind: kind(), target: target()}
  @type input() ::
          :accept
          | :drop
          | :continue
          | :return
          | {:jump, String.t()}
          | {:goto, String.t()}
          | {:queue, non_neg_integer()}
          | t()

  @simple [:accept, :drop, :continue, :return]

  @doc "Verdict: let the packet through."
  @spec accept() :: t()
  def accept, do: %__MODULE__{kind: :accept}
  @doc "Verdict: silently drop the packet."
  @spec drop() :: t()
  def drop, do: %__MODULE__{kind: :drop}
  @doc "Verdict: fall through to the next rule."
  @spec continue() :: t()
  def continue, do: %__MODULE__{kind: :continue}
  @doc "Verdict: return from the current chain."
  @spec return() :: t()
  def return, do: %__MODULE__{kind: :return}
  @doc "Verdict: call into `chain_name`; control returns afterwards."
  @spec jump(String.t()) :: t()
  def jump(chain_name), do: new!({:jump, chain_name})
  @doc "Verdict: tail-call `chain_name`; control does not return."
  @spec goto(String.t()) :: t()
  def goto(chain_name), do: new!({:goto, chain_name})
  @doc "Verdict: hand the packet to userspace queue `num`."
  @spec queue(non_neg_integer()) :: t()
  def queue(num), do: new!({:queue, num})

  @doc """
  Builds a verdict from an atom (`:accept`), a `{kind, target}` tuple or an
  existing `%Verdict{}` (returned as is).
  """
  @spec new(term()) :: {:ok, t()} | {:error, {:bad_verdict, term()}}
  def new(%__MODULE__{} = v) do
    if valid?(v), do: {:ok, v}, else: {:error, {:bad_verdict, v}}
  end

  def new(kind) when kind in @simple, do: {:ok, %__MODULE__{kind: kind}}

  def new({kind, chain}) when kind in [:jump, :goto] do
    if chain_name?(chain),
      do: {:ok, %__MODULE__{kind: kind, target: chain}},
      else: {:error, {:bad_verdict, {:bad_chain_name, chain}}}
  end

  def new({:queue, n}) do
    if is_integer(n) and n in 0..65535,
      do: {:ok, %__MODULE__{kind: :queue, target: n}},
      else: {:error, {:bad_verdict, {:bad_queue_number, n}}}
  end

  def new(other), do: {:error, {:bad_verdict, {:unknown, other}}}

  @doc "Like `new/1`, but returns the verdict or raises `ArgumentError`."
  @spec new!(term()) :: t()
  def new!(input) do
    case new(input) do
      {:ok, v} -> v
      {:error, reason} -> raise ArgumentError, "invalid verdict: #{inspect(reason)}"
    end
  end

  @doc "Whether `v` is a well-formed verdict."
  @spec valid?(term()) :: boolean()
  def valid?(%__MODULE__{kind: k, target: nil}) when k in @simple, do: true
  def valid?(%__MODULE__{kind: k, target: t}) when k in [:jump, :goto], do: chain_name?(t)
  def valid?(%__MODULE__{kind: :queue, target: n}), do: is_integer(n) and n in 0..65535
  def valid?(_), do: false

  defp chain_name?(s), do: is_binary(s) and byte_size(s) in 1..255 and String.valid?(s)

  @doc false
  # The verdict in the C value's terms (docs/nft/schema.md, "Verdict").
  # (The kind's atom: the NIF reads it as its text, with no binary made.)
  def to_c(%__MODULE__{kind: k, target: nil}) when k not in [nil, true, false], do: k
  def to_c(%__MODULE__{kind: k, target: nil}), do: Atom.to_string(k)
  def to_c(%__MODULE__{kind: k, target: t}), do: %{Atom.to_string(k) => t}

  # From the C value, the NIF builds verdicts itself (c_src/term_nft.c).

  defimpl Inspect do
    def inspect(%{kind: k, target: nil}, _opts), do: "#Linx.Netfilter.Verdict<#{k}>"

    def inspect(%{kind: k, target: t}, _opts),
      do: "#Linx.Netfilter.Verdict<#{k} #{Kernel.inspect(t)}>"
  end
end
