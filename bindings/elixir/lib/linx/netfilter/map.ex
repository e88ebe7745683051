defmodule Linx.Netfilter.Map do
  @moduledoc """
  A named map: a set whose elements carry a value, `{key, value}`.

  `:data_type` is a key type (`:ipv4_addr`, `:mark`...) or `:verdict`
  (a verdict map, see `Linx.Netfilter.Vmap`), whose values are
  `%Linx.Netfilter.Verdict{}` (any input `Verdict.new!/1` takes is
  accepted and normalised).  Keys follow `Linx.Netfilter.Set`'s rules.
  An element with its own timeout, comment or expressions (`:exprs`, as in
  `Linx.Netfilter.Set`) is `%{key: k, value: v, timeout: ms}`.

  `data_interval: true` makes the values ranges, as nft's `type K :
  interval ipv4_addr` (what `snat ip prefix to ip saddr map @m` reads):
  each value a prefix (`"192.168.2.0/24"`), `{:range, first, last}` or one
  address. Only for a single address type.

  Errors: `{:error, {:bad_map, reason}}`, for elements
  `{:error, {:bad_map_element, reason}}`.
  """

  alias Linx.Netfilter.{Expr, Verdict}
  alias Linx.Netfilter.Set, as: NSet

  defstruct [
    :name,
    :table,
    :key_type,
    :data_type,
    :key_typeof,
    :data_typeof,
    :timeout,
    :gc_interval,
    :size,
    :policy,
    :handle,
    :comment,
    data_interval: false,
    flags: [],
    exprs: [],
    elements: []
  ]

  @type data_type() :: NSet.key_type() | :verdict
  @type t() :: %__MODULE__{
          comment: String.t() | nil,
          data_interval: boolean(),
          data_type: data_type(),
          data_typeof: String.t() | nil,
          elements: [{term(), term()} | map()],
          exprs: [Expr.t()],
          flags: [NSet.flag()],
          gc_interval: pos_integer() | nil,
          handle: pos_integer() | nil,
          key_type: NSet.key_type() | [NSet.key_type()],
          key_typeof: String.t() | [String.t()] | nil,
          name: String.t(),
          policy: :performance | :memory | nil,
          size: pos_integer() | nil,
          table: String.t() | nil,
          timeout: pos_integer() | nil
        }

  @doc "Builds a map; `:key_type` and `:data_type` are required."
  @spec new(String.t(), keyword()) :: {:ok, t()} | {:error, {:bad_map, term()}}
  def new(name, opts) when is_list(opts) do
    if Keyword.keyword?(opts),
      do: do_new(name, opts),
      else: {:error, {:bad_map, {:bad_opts, opts}}}
  end

  def new(_name, opts), do: {:error, {:bad_map, {:bad_opts, opts}}}

  defp do_new(name, opts) do
    map =
      struct(__MODULE__, Keyword.take(opts, Map.keys(%__MODULE__{}) -- [:__struct__, :elements]))

    map = %{map | name: name, flags: Keyword.get(opts, :flags, [])}

    with :ok <- NSet.validate(map, :bad_map),
         :ok <- check_data_type(map.data_type),
         :ok <- check_data_interval(map) do
      add_elements(map, Keyword.get(opts, :elements, []))
    end
  end

  defp check_data_type(:verdict), do: :ok

  defp check_data_type(t) do
    if NSet.key_type?(t), do: :ok, else: {:error, {:bad_map, {:bad_data_type, t}}}
  end

  defp check_data_interval(%{data_interval: false}), do: :ok

  defp check_data_interval(%{data_interval: true, data_type: t})
       when t in [:ipv4_addr, :ipv6_addr],
       do: :ok

  defp check_data_interval(%{data_interval: iv, data_type: t}),
    do: {:error, {:bad_map, {:bad_data_interval, {iv, t}}}}

  @doc "Like `new/2`, but returns the map or raises `ArgumentError`."
  @spec new!(String.t(), keyword()) :: t()
  def new!(name, opts) do
    case new(name, opts) do
      {:ok, m} -> m
      {:error, reason} -> raise ArgumentError, "invalid map: #{inspect(reason)}"
    end
  end

  @doc "Adds `{key, value}` elements, checking both against the map's types."
  @spec add_elements(t(), [{term(), term()}]) :: {:ok, t()} | {:error, {:bad_map_element, term()}}
  def add_elements(%__MODULE__{} = map, new_elements) when is_list(new_elements) do
    Enum.reduce_while(new_elements, {:ok, []}, fn el, {:ok, acc} ->
      case element(map, el) do
        {:ok, e} -> {:cont, {:ok, [e | acc]}}
        :error -> {:halt, {:error, {:bad_map_element, {el, map.key_type, map.data_type}}}}
      end
    end)
    |> case do
      {:ok, els} -> {:ok, %{map | elements: map.elements ++ Enum.reverse(els)}}
      err -> err
    end
  end

  def add_elements(%__MODULE__{}, other), do: {:error, {:bad_map_element, {:not_a_list, other}}}

  @doc "Removes elements by key (`{key, value}` or a bare key)."
  @spec delete_elements(t(), [term()]) :: {:ok, t()}
  def delete_elements(%__MODULE__{} = map, to_remove) do
    keys =
      for el <- List.wrap(to_remove) do
        k =
          case el do
            {k, _} -> k
            %{key: k} -> k
            k -> k
          end

        case NSet.element(k, map.key_type, true) do
          {:ok, key} -> key
          :error -> k
        end
      end

    {:ok, %{map | elements: Enum.reject(map.elements, &(key_of(&1) in keys))}}
  end

  defp key_of({k, _}), do: k
  defp key_of(%{key: k}), do: k

  defp element(map, %{key: k, value: v} = m) do
    with {:ok, {key, value}} <- element(map, {k, v}), do: {:ok, %{m | key: key, value: value}}
  end

  defp element(map, {k, v}) do
    with {:ok, key} <- NSet.element(k, map.key_type, :interval in map.flags),
         {:ok, value} <- value(v, map.data_type, map.data_interval) do
      {:ok, {key, value}}
    end
  end

  defp element(_map, _), do: :error

  defp value(v, :verdict, _) do
    case Verdict.new(v) do
      {:ok, verdict} -> {:ok, verdict}
      _ -> :error
    end
  end

  defp value(v, type, interval), do: NSet.element(v, type, interval)

  @doc false
  def to_c(%__MODULE__{} = m) do
    els =
      for el <- m.elements do
        case el do
          {k, v} -> %{"key" => Expr.value_to_c(k), "value" => Expr.value_to_c(v)}
          %{} = e -> Expr.value_to_c(e)
        end
      end

    NSet.common_to_c(m)
    |> Map.put("data_type", NSet.type_to_c(m.data_type))
    |> then(&if(m.data_typeof, do: Map.put(&1, "data_typeof", m.data_typeof), else: &1))
    |> then(&if(m.data_interval, do: Map.put(&1, "data_interval", true), else: &1))
    |> Map.put("elements", els)
  end

  @doc false
  def from_c(m, table) do
    els =
      for el <- Map.get(m, "elements", []) do
        case el do
          %{key: k, value: v} = e when map_size(e) == 2 -> {k, v}
          other -> other
        end
      end

    struct(
      __MODULE__,
      [
        elements: els,
        data_type: NSet.type_from_c(m["data_type"]),
        data_typeof: m["data_typeof"],
        data_interval: m["data_interval"] == true
      ] ++ NSet.common_from_c(m, table)
    )
  end
end
