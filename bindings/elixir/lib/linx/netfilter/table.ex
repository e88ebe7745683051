defmodule Linx.Netfilter.Table do
  @moduledoc """
  A table: chains, sets, maps, objects and flowtables of one family.

      iex> {:ok, t} = Linx.Netfilter.Table.new(:inet, "myapp", flags: [:owner])
      iex> {t.family, t.name, t.flags}
      {:inet, "myapp", [:owner]}

  Families: `:ip`, `:ip6`, `:inet`, `:arp`, `:bridge`, `:netdev`.  Flags:
  `:owner` (the table dies with the socket that created it: push it
  through a socket from `Linx.Netfilter.open/1`), `:persist`, `:dormant`.
  Sets and maps share one namespace in a table; objects are keyed by
  `{kind, name}`.  `:use_count` and `:handle` are filled on pull.

  Errors: `{:error, {:bad_table, reason}}` for the table and name
  collisions, `{:error, {:bad_chain, reason}}` (and the other entities'
  tags) for what is added.
  """

  alias Linx.Netfilter.{Chain, Flowtable, Object}
  alias Linx.Netfilter.Map, as: NMap
  alias Linx.Netfilter.Set, as: NSet

  defstruct [
    :family,
    :name,
    :use_count,
    :handle,
    :comment,
    flags: [],
    chains: %{},
    sets: %{},
    maps: %{},
    objects: %{},
    flowtables: %{}
  ]

  @type family() :: :ip | :ip6 | :inet | :arp | :bridge | :netdev
  @type flag() :: :owner | :persist | :dormant
  @type t() :: %__MODULE__{
          chains: %{optional(String.t()) => Chain.t()},
          family: family(),
          flags: [flag()],
          flowtables: %{optional(String.t()) => Flowtable.t()},
          handle: pos_integer() | nil,
          maps: %{optional(String.t()) => NMap.t()},
          name: String.t(),
          objects: %{optional({Object.kind(), String.t()}) => Object.t()},
          sets: %{optional(String.t()) => NSet.t()},
          use_count: non_neg_integer() | nil,
          comment: String.t() | nil
        }

  @families [:ip, :ip6, :inet, :arp, :bridge, :netdev]
  @flags [:owner, :persist, :dormant]

  @doc false
  def families, do: @families

  @doc "Builds a table; options `:flags`, `:comment`."
  @spec new(family(), String.t(), keyword()) :: {:ok, t()} | {:error, {:bad_table, term()}}
  def new(family, name, opts \\ []) do
    flags = if is_list(opts), do: Keyword.get(opts, :flags, []), else: nil
    comment = if is_list(opts), do: opts[:comment]

    cond do
      not is_list(opts) or not Keyword.keyword?(opts) ->
        {:error, {:bad_table, {:bad_opts, opts}}}

      family not in @families ->
        {:error, {:bad_table, {:bad_family, family}}}

      not (is_binary(name) and byte_size(name) in 1..255 and String.valid?(name)) ->
        {:error, {:bad_table, {:bad_name, name}}}

      not (is_list(flags) and Enum.all?(flags, &(&1 in @flags))) ->
        {:error, {:bad_table, {:bad_flags, flags}}}

      not (is_nil(comment) or (is_binary(comment) and String.valid?(comment))) ->
        {:error, {:bad_table, {:bad_comment, comment}}}

      true ->
        {:ok, %__MODULE__{family: family, name: name, flags: flags, comment: comment}}
    end
  end

  @doc "Like `new/3`, but returns the table or raises `ArgumentError`."
  @spec new!(family(), String.t(), keyword()) :: t()
  def new!(family, name, opts \\ []) do
    case new(family, name, opts) do
      {:ok, t} -> t
      {:error, reason} -> raise ArgumentError, "invalid table: #{inspect(reason)}"
    end
  end

  @doc "Adds a chain, checking it against the family and for a unique name."
  @spec add_chain(t(), Chain.t()) :: {:ok, t()} | {:error, {:bad_table | :bad_chain, term()}}
  def add_chain(%__MODULE__{} = t, %Chain{} = c) do
    with :ok <- Chain.validate(c),
         :ok <- Chain.validate_for_family(c, t.family),
         :ok <- unique(t.chains, c.name, :duplicate_chain) do
      rules = Enum.map(c.rules, &%{&1 | chain: c.name})
      {:ok, %{t | chains: Map.put(t.chains, c.name, %{c | table: t.name, rules: rules})}}
    end
  end

  def add_chain(%__MODULE__{}, other), do: {:error, {:bad_chain, {:not_a_chain, other}}}

  @doc "Replaces an existing chain (by name)."
  @spec put_chain(t(), Chain.t()) :: {:ok, t()} | {:error, {:bad_table | :bad_chain, term()}}
  def put_chain(%__MODULE__{} = t, %Chain{} = c) do
    if Map.has_key?(t.chains, c.name) do
      add_chain(%{t | chains: Map.delete(t.chains, c.name)}, c)
    else
      {:error, {:bad_table, {:no_such_chain, c.name}}}
    end
  end

  def put_chain(%__MODULE__{}, other), do: {:error, {:bad_chain, {:not_a_chain, other}}}

  @doc "Looks a chain up by name."
  @spec fetch_chain(t(), String.t()) :: {:ok, Chain.t()} | {:error, :no_such_chain}
  def fetch_chain(%__MODULE__{chains: chains}, name) do
    case Map.fetch(chains, name) do
      {:ok, c} -> {:ok, c}
      :error -> {:error, :no_such_chain}
    end
  end

  @doc "Adds a set; sets and maps share one namespace."
  @spec add_set(t(), NSet.t()) :: {:ok, t()} | {:error, {:bad_table | :bad_set, term()}}
  def add_set(%__MODULE__{} = t, %NSet{} = s) do
    with :ok <- NSet.validate(s, :bad_set),
         :ok <- unique(Map.merge(t.sets, t.maps), s.name, :duplicate_set) do
      {:ok, %{t | sets: Map.put(t.sets, s.name, %{s | table: t.name})}}
    end
  end

  def add_set(%__MODULE__{}, other), do: {:error, {:bad_set, {:not_a_set, other}}}

  @doc "Adds a map or verdict map; sets and maps share one namespace."
  @spec add_map(t(), NMap.t()) :: {:ok, t()} | {:error, {:bad_table | :bad_map, term()}}
  def add_map(%__MODULE__{} = t, %NMap{} = m) do
    with :ok <- NSet.validate(m, :bad_map),
         :ok <- unique(Map.merge(t.sets, t.maps), m.name, :duplicate_map) do
      {:ok, %{t | maps: Map.put(t.maps, m.name, %{m | table: t.name})}}
    end
  end

  def add_map(%__MODULE__{}, other), do: {:error, {:bad_map, {:not_a_map, other}}}

  @doc "Adds an object; unique by `{kind, name}`."
  @spec add_object(t(), Object.t()) :: {:ok, t()} | {:error, {:bad_table | :bad_object, term()}}
  def add_object(%__MODULE__{} = t, %Object{} = o) do
    with :ok <- unique(t.objects, {o.kind, o.name}, :duplicate_object) do
      {:ok, %{t | objects: Map.put(t.objects, {o.kind, o.name}, %{o | table: t.name})}}
    end
  end

  def add_object(%__MODULE__{}, other), do: {:error, {:bad_object, {:not_an_object, other}}}

  @doc "Adds a flowtable; unique by name."
  @spec add_flowtable(t(), Flowtable.t()) ::
          {:ok, t()} | {:error, {:bad_table | :bad_flowtable, term()}}
  def add_flowtable(%__MODULE__{} = t, %Flowtable{} = ft) do
    with :ok <- unique(t.flowtables, ft.name, :duplicate_flowtable) do
      {:ok, %{t | flowtables: Map.put(t.flowtables, ft.name, %{ft | table: t.name})}}
    end
  end

  def add_flowtable(%__MODULE__{}, other),
    do: {:error, {:bad_flowtable, {:not_a_flowtable, other}}}

  defp unique(map, key, tag) do
    if Map.has_key?(map, key), do: {:error, {:bad_table, {tag, key}}}, else: :ok
  end

  @doc false
  def to_c(%__MODULE__{} = t) do
    chains =
      t.chains
      |> Map.values()
      |> Enum.sort_by(& &1.name)
      |> Enum.reduce_while({:ok, []}, fn c, {:ok, acc} ->
        case Chain.to_c(c) do
          {:ok, m} -> {:cont, {:ok, [m | acc]}}
          err -> {:halt, err}
        end
      end)

    with {:ok, chains} <- chains do
      sets =
        Enum.map(Enum.sort(t.sets), fn {_, s} -> NSet.to_c(s) end) ++
          Enum.map(Enum.sort(t.maps), fn {_, m} -> NMap.to_c(m) end)

      %{
        "family" => Atom.to_string(t.family),
        "name" => t.name,
        "flags" => Enum.map(t.flags, &Atom.to_string/1),
        "chains" => Enum.reverse(chains),
        "sets" => sets,
        "objects" => Enum.map(Enum.sort(t.objects), fn {_, o} -> Object.to_c(o) end),
        "flowtables" => Enum.map(Enum.sort(t.flowtables), fn {_, f} -> Flowtable.to_c(f) end)
      }
      |> then(&if(t.comment, do: Map.put(&1, "comment", t.comment), else: &1))
      |> then(&{:ok, &1})
    end
  end

  @doc false
  def from_c(m) do
    name = m["name"]

    {maps, sets} =
      Map.get(m, "sets", [])
      |> Enum.reject(&(&1["anonymous"] == true))
      |> Enum.split_with(&Map.has_key?(&1, "data_type"))

    objects = Enum.map(Map.get(m, "objects", []), &Object.from_c(&1, name))

    %__MODULE__{
      family: Chain.enum(m["family"], @families),
      name: name,
      flags: Enum.map(Map.get(m, "flags", []), &Chain.enum(&1, @flags)),
      comment: m["comment"],
      handle: m["handle"],
      use_count: m["use"],
      chains: Map.new(Map.get(m, "chains", []), &{&1["name"], Chain.from_c(&1, name)}),
      sets: Map.new(sets, &{&1["name"], NSet.from_c(&1, name)}),
      maps: Map.new(maps, &{&1["name"], NMap.from_c(&1, name)}),
      objects: Map.new(objects, &{{&1.kind, &1.name}, &1}),
      flowtables: Map.new(Map.get(m, "flowtables", []), &{&1["name"], Flowtable.from_c(&1, name)})
    }
  end
end
