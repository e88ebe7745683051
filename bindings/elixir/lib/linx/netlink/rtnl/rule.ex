defmodule Linx.Netlink.Rtnl.Rule do
  @moduledoc """
  Policy-routing rules: which routing table the kernel consults for a
  packet, chosen by its source, destination, firewall mark...

      {:ok, sock} = Linx.Netlink.Rtnl.open()
      :ok = Rule.add(sock, from: "10.0.0.0/24", table: 100)
      :ok = Rule.add(sock, fwmark: 0x1, table: 100, priority: 200)
      {:ok, rules} = Rule.list(sock)
      #=> {:ok, [#Linx.Netlink.Rtnl.Rule<table=255>, ...,
      #          #Linx.Netlink.Rtnl.Rule<priority=200 fwmark=0x1 table=100>, ...]}
      :ok = Rule.delete(sock, from: "10.0.0.0/24", table: 100)

  ## Selectors

    * `:from`, `:to` - source and destination prefixes: `"ip/len"`, a
      `Linx.IP.Subnet`, or a bare address or `Linx.IP` (a host);
    * `:fwmark` and `:fwmask` - integers;
    * `:iif`, `:oif` - interface names;
    * `:table` - the table to consult, 1..2^32-1: required by `add/2`;
    * `:priority` - the rule's preference (smaller first); without one the
      kernel picks it, so the same selectors added twice make two rules.

  The family comes from `:from`/`:to` (which must agree), IPv4 otherwise.

  ## The struct

  `:family`, `:priority`, `:src`/`:src_len` and `:dst`/`:dst_len` (the
  addresses as `Linx.IP`s, nil for "all"), `:fwmark` (an integer), `:tos`,
  `:action` (`:to_tbl`, `:goto`, `:nop`, `:blackhole`, `:unreachable`,
  `:prohibit`), `:table` (the header byte, 252 above 255) and
  `:table_ext` (the full number; `target_table/1` picks).  `:flags`,
  `:res1`, `:res2` are not reported by the plugin and stay nil.

  Bad arguments: `{:bad_socket, s}`, `{:bad_options, o}`,
  `{:bad_option, key}`, `{:bad_table, t}` (`:missing` on add),
  `{:bad_from, f}`, `{:bad_to, t}`, `{:bad_fwmark, m}`, `{:bad_fwmask, m}`,
  `{:bad_priority, p}`, `{:bad_name, n}`, `{:bad_family, {from, to}}`.
  """

  alias Linx.Netlink.Rtnl.Call
  alias Linx.Netlink.Socket

  defstruct [
    :action,
    :dst,
    :dst_len,
    :family,
    :flags,
    :fwmark,
    :priority,
    :res1,
    :res2,
    :src,
    :src_len,
    :table,
    :table_ext,
    :tos
  ]

  @type t() :: %__MODULE__{
          action: atom() | non_neg_integer(),
          dst: Linx.IP.t() | nil,
          dst_len: 0..128,
          family: :inet | :inet6,
          flags: nil,
          fwmark: non_neg_integer() | nil,
          priority: non_neg_integer(),
          res1: nil,
          res2: nil,
          src: Linx.IP.t() | nil,
          src_len: 0..128,
          table: 0..255,
          table_ext: non_neg_integer(),
          tos: non_neg_integer()
        }

  @actions Call.known([:to_tbl, :goto, :nop, :blackhole, :unreachable, :prohibit])

  @doc "Lists every rule in the socket's network namespace, IPv4 and IPv6."
  @spec list(Socket.t()) :: {:ok, [t()]} | {:error, term()}
  def list(sock) do
    with :ok <- Call.socket(sock),
         {:ok, maps} <- Call.call(sock, "rule.list", %{}) do
      {:ok, Enum.map(maps, &from_map/1)}
    end
  end

  @doc "The table this rule points to: `:table_ext` when set, else `:table`."
  @spec target_table(t()) :: non_neg_integer()
  def target_table(%__MODULE__{table_ext: ext}) when is_integer(ext), do: ext
  def target_table(%__MODULE__{table: table}), do: table

  @doc false
  def from_map(m) do
    table = m["table_id"]

    %__MODULE__{
      family: Call.to_family(m["family"]),
      priority: m["priority"],
      src: Call.to_ip(if m["src"] != "all", do: m["src"]),
      src_len: m["srclen"] || 0,
      dst: Call.to_ip(m["dst"]),
      dst_len: m["dstlen"] || 0,
      tos: m["tos"] || 0,
      fwmark: hex(m["fwmark"]),
      action: Call.name_or_int(m["action"], @actions),
      table: if(is_integer(table) and table > 255, do: 252, else: table),
      table_ext: table
    }
  end

  defp hex(nil), do: nil
  defp hex("0x" <> digits), do: String.to_integer(digits, 16)
  defp hex(other), do: Call.name_or_int(other, %{})

  @doc """
  Adds a rule.  `:table` is required; see the module doc for the
  selectors.
  """
  @spec add(Socket.t(), keyword()) :: :ok | {:error, term()}
  def add(sock, opts) do
    with :ok <- Call.socket(sock),
         {:ok, args} <- args(opts),
         :ok <- if(Map.has_key?(args, "table"), do: :ok, else: {:error, {:bad_table, :missing}}) do
      Call.mutate(sock, "rule.add", args)
    end
  end

  @doc "Deletes the rule matching `opts` (the selectors of `add/2`)."
  @spec delete(Socket.t(), keyword()) :: :ok | {:error, term()}
  def delete(sock, opts) do
    with :ok <- Call.socket(sock),
         {:ok, args} <- args(opts) do
      Call.mutate(sock, "rule.delete", args)
    end
  end

  @selectors [:from, :to, :fwmark, :fwmask, :iif, :oif, :table, :priority]

  defp args(opts) do
    with {:ok, opts} <- Call.options(opts, @selectors),
         {:ok, args} <- Enum.reduce_while(opts, {:ok, %{}}, &arg/2),
         :ok <- same_family(args) do
      {:ok, Map.drop(args, [:from_family, :to_family])}
    end
  end

  defp arg({key, value}, {:ok, acc}) when key in [:from, :to] do
    case Call.subnet(value) do
      {:ok, %Linx.IP.Subnet{address: ip} = s} ->
        {:cont,
         {:ok,
          acc
          |> Map.put(Atom.to_string(key), to_string(s))
          |> Map.put(:"#{key}_family", ip.family)}}

      {:error, _} ->
        {:halt, {:error, {:"bad_#{key}", value}}}
    end
  end

  defp arg({key, value}, {:ok, acc}) when key in [:iif, :oif] do
    case Call.ifname(value) do
      {:ok, name} -> {:cont, {:ok, Map.put(acc, Atom.to_string(key), name)}}
      error -> {:halt, error}
    end
  end

  defp arg({:table, t}, {:ok, acc}) do
    if is_integer(t) and t > 0 and t < 0x100000000,
      do: {:cont, {:ok, Map.put(acc, "table", t)}},
      else: {:halt, {:error, {:bad_table, t}}}
  end

  defp arg({key, value}, {:ok, acc}) when key in [:fwmark, :fwmask, :priority] do
    case Call.uint(value, 32, :"bad_#{key}") do
      {:ok, v} -> {:cont, {:ok, Map.put(acc, Atom.to_string(key), v)}}
      error -> {:halt, error}
    end
  end

  defp same_family(%{from_family: f, to_family: t}) when f != t,
    do: {:error, {:bad_family, {f, t}}}

  defp same_family(_args), do: :ok

  defimpl Inspect do
    alias Linx.Netlink.Rtnl.Rule

    def inspect(%Rule{family: family} = r, _opts) when family in [:inet, :inet6] do
      parts =
        [
          r.priority not in [nil, 0] && "priority=#{r.priority}",
          r.src && "from=#{r.src}/#{r.src_len}",
          r.dst && "to=#{r.dst}/#{r.dst_len}",
          r.fwmark && "fwmark=0x#{Integer.to_string(r.fwmark, 16) |> String.downcase()}",
          r.action not in [nil, :to_tbl] && "action=#{r.action}",
          "table=#{Rule.target_table(r)}"
        ]
        |> Enum.filter(& &1)
        |> Enum.join(" ")

      "#Linx.Netlink.Rtnl.Rule<#{parts}>"
    end

    def inspect(r, opts), do: Inspect.Any.inspect(r, opts)
  end
end
