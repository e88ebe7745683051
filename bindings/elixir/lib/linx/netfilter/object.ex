defmodule Linx.Netfilter.Object do
  @moduledoc """
  A named stateful object of a table: a counter, quota, limit, ct helper,
  ct timeout, ct expectation, secmark or synproxy.

      iex> {:ok, o} = Linx.Netfilter.Object.new(:counter, "ssh_hits", %{packets: 0, bytes: 0})
      iex> o.kind
      :counter

  `:data` holds the kind's fields as docs/nft/schema.md names them (atom
  keys, enumerations as atoms: `%{type: "ftp", protocol: :tcp, l3proto:
  :inet}`); the C plugin checks them when the ruleset is validated or
  pushed.  Errors: `{:error, {:bad_object, reason}}`.
  """

  alias Linx.Netfilter.Expr

  defstruct [:kind, :name, :table, :data, :handle, :comment]

  @type kind() ::
          :counter
          | :quota
          | :limit
          | :ct_helper
          | :ct_timeout
          | :ct_expectation
          | :secmark
          | :synproxy
  @type t() :: %__MODULE__{
          comment: String.t() | nil,
          data: term(),
          handle: pos_integer() | nil,
          kind: kind(),
          name: String.t(),
          table: String.t() | nil
        }

  @kinds [:counter, :quota, :limit, :ct_helper, :ct_timeout, :ct_expectation, :secmark, :synproxy]

  @doc "Builds an object; options `:comment`, `:handle`, `:table`."
  @spec new(kind(), String.t(), term(), keyword()) :: {:ok, t()} | {:error, {:bad_object, term()}}
  def new(kind, name, data \\ nil, opts \\ []) do
    cond do
      not (is_list(opts) and Keyword.keyword?(opts)) ->
        {:error, {:bad_object, {:bad_opts, opts}}}

      kind not in @kinds ->
        {:error, {:bad_object, {:bad_kind, kind}}}

      not (is_binary(name) and byte_size(name) in 1..255 and String.valid?(name)) ->
        {:error, {:bad_object, {:bad_name, name}}}

      not (is_nil(data) or (is_map(data) and not is_struct(data)) or Keyword.keyword?(data)) ->
        {:error, {:bad_object, {:bad_data, data}}}

      true ->
        data = if is_list(data), do: Map.new(data), else: data || %{}

        {:ok,
         %__MODULE__{
           kind: kind,
           name: name,
           data: data,
           comment: opts[:comment],
           handle: opts[:handle],
           table: opts[:table]
         }}
    end
  end

  @doc "Like `new/4`, but returns the object or raises `ArgumentError`."
  @spec new!(kind(), String.t(), term(), keyword()) :: t()
  def new!(kind, name, data \\ nil, opts \\ []) do
    case new(kind, name, data, opts) do
      {:ok, o} -> o
      {:error, reason} -> raise ArgumentError, "invalid object: #{inspect(reason)}"
    end
  end

  @doc false
  def to_c(%__MODULE__{} = o) do
    kind = if o.kind == :ct_expectation, do: "ct_expect", else: Atom.to_string(o.kind)

    (o.data || %{})
    |> Expr.value_to_c()
    |> Map.merge(%{"kind" => kind, "name" => o.name})
    |> then(&if(o.comment, do: Map.put(&1, "comment", o.comment), else: &1))
    |> then(&if(o.handle, do: Map.put(&1, "handle", o.handle), else: &1))
  end

  @doc false
  def from_c(m, table) do
    kind =
      case m["kind"] do
        k when k in ["ct_expect", "ct_expectation"] -> :ct_expectation
        k -> Linx.Netfilter.Chain.enum(k, @kinds)
      end

    data =
      m
      |> Map.drop(["kind", "name", "comment", "handle"])
      |> Map.new(fn {k, v} -> {Expr.key_atom(k), Expr.value_from_c(k, v)} end)

    %__MODULE__{
      kind: kind,
      name: m["name"],
      table: table,
      data: data,
      comment: m["comment"],
      handle: m["handle"]
    }
  end
end
