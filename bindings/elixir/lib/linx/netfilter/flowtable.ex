defmodule Linx.Netfilter.Flowtable do
  @moduledoc """
  A flowtable: the fast path that `flow add @ft` offloads established
  flows to.

      iex> {:ok, ft} = Linx.Netfilter.Flowtable.new("ft", devices: ["lo"])
      iex> ft.hook
      :ingress

  Fields: `:name`, `:hook` (`:ingress`), `:priority` (integer, `:filter`
  or `{:filter, offset}`), `:devices`, `:flags` (`:hw_offload`,
  `:counter`), `:handle` (pulled).  Errors: `{:error, {:bad_flowtable, reason}}`.
  """

  defstruct [:name, :table, :handle, hook: :ingress, priority: 0, devices: [], flags: []]

  @type t() :: %__MODULE__{
          name: String.t(),
          table: String.t() | nil,
          hook: :ingress,
          priority: integer() | atom() | {atom(), integer()},
          devices: [String.t()],
          flags: [:hw_offload | :counter],
          handle: pos_integer() | nil
        }

  @doc "Builds a flowtable; options `:hook`, `:priority`, `:devices`, `:flags`."
  @spec new(String.t(), keyword()) :: {:ok, t()} | {:error, {:bad_flowtable, term()}}
  def new(name, opts \\ [])

  def new(_name, opts) when not is_list(opts), do: {:error, {:bad_flowtable, {:bad_opts, opts}}}

  def new(name, opts) do
    if Keyword.keyword?(opts),
      do: do_new(name, opts),
      else: {:error, {:bad_flowtable, {:bad_opts, opts}}}
  end

  defp do_new(name, opts) do
    ft =
      struct(
        __MODULE__,
        Keyword.put(
          Keyword.take(opts, [:hook, :priority, :devices, :flags, :handle, :table]),
          :name,
          name
        )
      )

    cond do
      not (is_binary(name) and byte_size(name) in 1..255 and String.valid?(name)) ->
        {:error, {:bad_flowtable, {:bad_name, name}}}

      ft.hook != :ingress ->
        {:error, {:bad_flowtable, {:bad_hook, ft.hook}}}

      not (is_list(ft.devices) and
               Enum.all?(ft.devices, &(is_binary(&1) and byte_size(&1) in 1..15))) ->
        {:error, {:bad_flowtable, {:bad_devices, ft.devices}}}

      not (is_list(ft.flags) and Enum.all?(ft.flags, &(&1 in [:hw_offload, :counter]))) ->
        {:error, {:bad_flowtable, {:bad_flags, ft.flags}}}

      true ->
        {:ok, ft}
    end
  end

  @doc "Like `new/2`, but returns the flowtable or raises `ArgumentError`."
  @spec new!(String.t(), keyword()) :: t()
  def new!(name, opts \\ []) do
    case new(name, opts) do
      {:ok, ft} -> ft
      {:error, reason} -> raise ArgumentError, "invalid flowtable: #{inspect(reason)}"
    end
  end

  @doc false
  def to_c(%__MODULE__{} = ft) do
    prio =
      case ft.priority do
        {n, off} -> %{"name" => Atom.to_string(n), "offset" => off}
        p when is_atom(p) -> Atom.to_string(p)
        p -> p
      end

    %{
      "name" => ft.name,
      "hook" => Atom.to_string(ft.hook),
      "priority" => prio,
      "devices" => ft.devices,
      "flags" => Enum.map(ft.flags, &Atom.to_string/1)
    }
    |> then(&if(ft.handle, do: Map.put(&1, "handle", ft.handle), else: &1))
  end

  @doc false
  def from_c(m, table) do
    %__MODULE__{
      name: m["name"],
      table: table,
      hook: :ingress,
      priority: m["priority"],
      devices: Map.get(m, "devices", []),
      flags:
        Enum.map(Map.get(m, "flags", []), &Linx.Netfilter.Chain.enum(&1, [:hw_offload, :counter])),
      handle: m["handle"]
    }
  end
end
