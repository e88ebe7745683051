defmodule Linx.Netfilter.Set do
  @moduledoc """
  A named set: elements of one key type, matched by `Expr.lookup/2`.

      iex> {:ok, s} = Linx.Netfilter.Set.new("blocklist", key_type: :ipv4_addr)
      iex> {:ok, s} = Linx.Netfilter.Set.add_elements(s, ["10.0.0.1", {10, 0, 0, 2}])
      iex> s.elements
      ["10.0.0.1", "10.0.0.2"]

  Key types: `:ipv4_addr`, `:ipv6_addr`, `:ether_addr`, `:inet_proto`,
  `:inet_service`, `:mark`, `:ifname`, `:iface_index`, `:ether_type`,
  `"integer/N"`, or a list of them (a concatenation, whose elements are
  lists).  Elements are kept in the C value's terms: addresses as text
  (`%Linx.IP{}`, `%Linx.MAC{}` and address tuples are accepted and
  converted), numbers as integers; in an `:interval` set a prefix
  (`"10.0.0.0/8"`, a `%Linx.IP.Subnet{}`) or `{:range, lo, hi}`; an element
  with its own timeout or comment is a map `%{key: k, timeout: ms}`.

  `:exprs` are the set's stateful expressions (nft's `counter;` or `limit
  rate 10/second;` in a set), one or two `%Linx.Netfilter.Expr{}`:
  `Expr.counter()`, `:quota`, `:limit`, `:connlimit`, `:last`.  Every
  element gets its own copy; an element may state its own numbers as
  `%{key: k, exprs: [Expr.counter(packets: 5, bytes: 300)]}`, and a
  pulled element of such a set always carries them.

  Errors: `{:error, {:bad_set, reason}}`, and for elements
  `{:error, {:bad_set_element, reason}}`.
  """

  alias Linx.Netfilter.Expr

  defstruct [
    :name,
    :table,
    :key_type,
    :key_typeof,
    :timeout,
    :gc_interval,
    :size,
    :policy,
    :handle,
    :comment,
    flags: [],
    exprs: [],
    elements: []
  ]

  @type flag() :: :constant | :interval | :timeout | :dynamic | :auto_merge | :anonymous
  @type key_type() ::
          :ipv4_addr
          | :ipv6_addr
          | :ether_addr
          | :inet_proto
          | :inet_service
          | :mark
          | :ifname
          | :iface_index
          | :ether_type
          | String.t()
  @type t() :: %__MODULE__{
          comment: String.t() | nil,
          elements: [term()],
          exprs: [Expr.t()],
          flags: [flag()],
          gc_interval: pos_integer() | nil,
          handle: pos_integer() | nil,
          key_type: key_type() | [key_type()],
          key_typeof: String.t() | [String.t()] | nil,
          name: String.t(),
          policy: :performance | :memory | nil,
          size: pos_integer() | nil,
          table: String.t() | nil,
          timeout: pos_integer() | nil
        }

  @types [
    :ipv4_addr,
    :ipv6_addr,
    :ether_addr,
    :inet_proto,
    :inet_service,
    :mark,
    :ifname,
    :iface_index,
    :ether_type
  ]
  @flags [:constant, :interval, :timeout, :dynamic, :auto_merge, :anonymous]

  @doc "Builds a set; `:key_type` is required, `:elements` optional."
  @spec new(String.t(), keyword()) :: {:ok, t()} | {:error, {:bad_set, term()}}
  def new(name, opts) when is_list(opts) do
    if Keyword.keyword?(opts),
      do: do_new(name, opts),
      else: {:error, {:bad_set, {:bad_opts, opts}}}
  end

  def new(_name, opts), do: {:error, {:bad_set, {:bad_opts, opts}}}

  defp do_new(name, opts) do
    set =
      struct(__MODULE__, Keyword.take(opts, Map.keys(%__MODULE__{}) -- [:__struct__, :elements]))

    set = %{set | name: name, flags: Keyword.get(opts, :flags, [])}

    with :ok <- validate(set, :bad_set) do
      case add_elements(set, Keyword.get(opts, :elements, [])) do
        {:ok, _} = ok -> ok
        {:error, {:bad_set_element, _}} = err -> err
      end
    end
  end

  @doc "Like `new/2`, but returns the set or raises `ArgumentError`."
  @spec new!(String.t(), keyword()) :: t()
  def new!(name, opts) do
    case new(name, opts) do
      {:ok, s} -> s
      {:error, reason} -> raise ArgumentError, "invalid set: #{inspect(reason)}"
    end
  end

  @doc "Adds elements, checking each against the key type."
  @spec add_elements(t(), [term()]) :: {:ok, t()} | {:error, {:bad_set_element, term()}}
  def add_elements(%__MODULE__{} = set, new_elements) when is_list(new_elements) do
    interval? = :interval in set.flags

    Enum.reduce_while(new_elements, {:ok, []}, fn el, {:ok, acc} ->
      case element(el, set.key_type, interval?) do
        {:ok, e} -> {:cont, {:ok, [e | acc]}}
        :error -> {:halt, {:error, {:bad_set_element, {el, set.key_type}}}}
      end
    end)
    |> case do
      {:ok, els} -> {:ok, %{set | elements: set.elements ++ Enum.reverse(els)}}
      err -> err
    end
  end

  def add_elements(%__MODULE__{}, other), do: {:error, {:bad_set_element, {:not_a_list, other}}}

  @doc "Removes the elements equal to those given (after normalisation)."
  @spec delete_elements(t(), [term()]) :: {:ok, t()}
  def delete_elements(%__MODULE__{} = set, to_remove) do
    gone =
      for el <- List.wrap(to_remove),
          do: elem_or_self(element(el, set.key_type, true), el)

    {:ok, %{set | elements: Enum.reject(set.elements, &(&1 in gone or key_of(&1) in gone))}}
  end

  defp elem_or_self({:ok, e}, _), do: e
  defp elem_or_self(:error, el), do: el

  defp key_of(%{key: k}), do: k
  defp key_of(k), do: k

  @doc false
  def validate(s, tag) do
    cond do
      not (is_binary(s.name) and byte_size(s.name) in 1..255 and String.valid?(s.name)) ->
        {:error, {tag, {:bad_name, s.name}}}

      not key_type?(s.key_type) ->
        {:error, {tag, {:bad_key_type, s.key_type}}}

      not (is_list(s.flags) and Enum.all?(s.flags, &(&1 in @flags))) ->
        {:error, {tag, {:bad_flags, s.flags}}}

      not Enum.all?(
        [s.timeout, s.gc_interval, s.size],
        &(is_nil(&1) or (is_integer(&1) and &1 > 0))
      ) ->
        {:error, {tag, {:bad_number, Map.take(s, [:timeout, :gc_interval, :size])}}}

      s.timeout != nil and :timeout not in s.flags ->
        {:error, {tag, {:timeout_needs_flag, s.timeout}}}

      s.policy not in [nil, :performance, :memory] ->
        {:error, {tag, {:bad_policy, s.policy}}}

      not (is_list(s.exprs) and length(s.exprs) <= 2 and
               Enum.all?(s.exprs, &is_struct(&1, Expr))) ->
        {:error, {tag, {:bad_exprs, s.exprs}}}

      true ->
        :ok
    end
  end

  @doc false
  def key_type?(t) when t in @types, do: true
  def key_type?("integer/" <> n), do: match?({b, ""} when b in 1..128, Integer.parse(n))

  def key_type?([_, _ | _] = l),
    do: length(l) <= 8 and Enum.all?(l, &((is_atom(&1) or is_binary(&1)) and key_type?(&1)))

  def key_type?(_), do: false

  @doc false
  # One element in the C value's terms, or :error.
  def element(%{key: k} = m, type, interval?) do
    with {:ok, key} <- element(k, type, interval?) do
      {:ok, %{m | key: key}}
    end
  end

  def element({:range, lo, hi}, type, true) when not is_list(type) do
    with {:ok, l} <- scalar(lo, type, false), {:ok, h} <- scalar(hi, type, false) do
      {:ok, {:range, l, h}}
    end
  end

  def element(list, types, interval?) when is_list(types) and is_list(list) do
    if length(list) == length(types) do
      Enum.zip(list, types)
      |> Enum.reduce_while({:ok, []}, fn {v, t}, {:ok, acc} ->
        case element(v, t, interval?) do
          {:ok, e} -> {:cont, {:ok, [e | acc]}}
          :error -> {:halt, :error}
        end
      end)
      |> case do
        {:ok, l} -> {:ok, Enum.reverse(l)}
        :error -> :error
      end
    else
      :error
    end
  end

  def element(v, type, interval?) when not is_list(type), do: scalar(v, type, interval?)
  def element(_, _, _), do: :error

  defp scalar(%Linx.IP{} = ip, type, i), do: scalar(Linx.IP.to_string(ip), type, i)
  defp scalar(%Linx.MAC{} = m, type, i), do: scalar(Linx.MAC.to_string(m), type, i)
  defp scalar(%Linx.IP.Subnet{} = s, type, true), do: scalar(to_string(s), type, true)

  defp scalar(t, type, i) when is_tuple(t) and tuple_size(t) in [4, 8] do
    scalar(t |> Linx.IP.from_tuple() |> Linx.IP.to_string(), type, i)
  rescue
    _ -> :error
  end

  defp scalar(s, type, i) when is_binary(s) and type in [:ipv4_addr, :ipv6_addr] do
    family = if type == :ipv4_addr, do: :inet, else: :inet6
    max = if type == :ipv4_addr, do: 32, else: 128

    case String.split(s, "/") do
      [addr] ->
        ip_of(addr, family, s)

      [addr, len] when i ->
        with {:ok, _} <- ip_of(addr, family, s),
             {n, ""} when n >= 0 and n <= max <- Integer.parse(len) do
          {:ok, s}
        else
          _ -> :error
        end

      _ ->
        :error
    end
  end

  defp scalar(s, :ether_addr, _) when is_binary(s) do
    case Linx.MAC.parse(s) do
      {:ok, m} -> {:ok, Linx.MAC.to_string(m)}
      _ -> :error
    end
  end

  defp scalar(s, :ifname, _) when is_binary(s),
    do: if(byte_size(s) in 1..15 and String.valid?(s), do: {:ok, s}, else: :error)

  defp scalar(n, :inet_proto, _) when is_integer(n) and n in 0..255, do: {:ok, n}
  defp scalar(n, :inet_service, _) when is_integer(n) and n in 0..65535, do: {:ok, n}
  defp scalar(n, :ether_type, _) when is_integer(n) and n in 0..65535, do: {:ok, n}
  defp scalar(n, :mark, _) when is_integer(n) and n in 0..0xFFFFFFFF, do: {:ok, n}
  defp scalar(n, :iface_index, _) when is_integer(n) and n in 0..0xFFFFFFFF, do: {:ok, n}

  defp scalar(n, "integer/" <> bits, _) when is_integer(n) and n >= 0 do
    if n < Bitwise.bsl(1, String.to_integer(bits)), do: {:ok, n}, else: :error
  end

  defp scalar(_, _, _), do: :error

  defp ip_of(addr, family, s) do
    case Linx.IP.parse(addr) do
      {:ok, %Linx.IP{family: ^family} = ip} ->
        {:ok, if(s == addr, do: Linx.IP.to_string(ip), else: s)}

      _ ->
        :error
    end
  end

  # ---- the C value --------------------------------------------------------------

  @doc false
  def common_to_c(s) do
    %{"name" => s.name, "key_type" => type_to_c(s.key_type)}
    |> put("flags", if(s.flags == [], do: nil, else: Enum.map(s.flags, &Atom.to_string/1)))
    |> put("key_typeof", s.key_typeof)
    |> put("timeout", s.timeout)
    |> put("gc_interval", s.gc_interval)
    |> put("size", s.size)
    |> put("policy", s.policy && Atom.to_string(s.policy))
    |> put("comment", s.comment)
    |> put("exprs", if(s.exprs == [], do: nil, else: Enum.map(s.exprs, &Expr.value_to_c/1)))
    |> put("handle", s.handle)
  end

  @doc false
  def to_c(%__MODULE__{} = s) do
    Map.put(common_to_c(s), "elements", Enum.map(s.elements, &Expr.value_to_c/1))
  end

  @doc false
  def type_to_c(l) when is_list(l), do: Enum.map(l, &type_to_c/1)
  def type_to_c(a) when is_atom(a), do: Atom.to_string(a)
  def type_to_c(s), do: s

  @doc false
  def type_from_c(l) when is_list(l), do: Enum.map(l, &type_from_c/1)
  def type_from_c(s) when is_binary(s), do: Linx.Netfilter.Chain.enum(s, @types ++ [:verdict])
  def type_from_c(v), do: v

  @doc false
  def common_from_c(m, table) do
    [
      name: m["name"],
      table: table,
      key_type: type_from_c(m["key_type"]),
      key_typeof: m["key_typeof"],
      flags: Enum.map(Map.get(m, "flags", []), &Linx.Netfilter.Chain.enum(&1, @flags)),
      timeout: m["timeout"],
      gc_interval: m["gc_interval"],
      size: m["size"],
      policy: Linx.Netfilter.Chain.enum(m["policy"], [:performance, :memory]),
      comment: m["comment"],
      exprs: Map.get(m, "exprs", []),
      handle: m["handle"]
    ]
  end

  @doc false
  def from_c(m, table) do
    struct(
      __MODULE__,
      [elements: Map.get(m, "elements", [])] ++
        common_from_c(m, table)
    )
  end

  defp put(m, _k, nil), do: m
  defp put(m, k, v), do: Map.put(m, k, v)
end
