defmodule Linx.Verb do
  @moduledoc """
  Calls any Linx verb by name: the generic door to every plugin.

  A verb has a dotted name under its plugin's prefix (`"sysctl.read"`,
  `"cgroup.set_memory_max"`), a parameter schema the core checks before the
  verb runs, and a result made of plain values:

      iex> Linx.Verb.call("example.add", a: 1, b: 2)
      {:ok, 3}

  The subsystem modules (`Linx.Sysctl`, `Linx.Cgroup`...) are written on top
  of `call/2` and are what applications normally use; this module is for
  verbs without a dedicated module yet, third-party plugins, and
  exploration (`list/0`).  See `Linx.Native` for how values cross.
  """

  alias Linx.Error

  @typedoc "Verb arguments: a map or keyword list keyed by parameter name."
  @type args :: map() | keyword() | nil

  @doc """
  Calls `verb` with `args`.

  Returns `{:ok, result}` or `{:error, %Linx.Error{}}`.  Result maps have
  binary keys.
  """
  @spec call(String.t(), args()) :: {:ok, term()} | {:error, Error.t()}
  def call(verb, args \\ nil) do
    case Linx.Native.call(verb, normalize(args)) do
      {:ok, _} = ok -> ok
      {:error, map} -> {:error, Error.from_native(map)}
    end
  end

  @doc false
  # call/2 with the result shaped by the NIF (`:nft`: Linx.Netfilter's
  # expressions and set elements; see Linx.Native.call/3).
  def call(verb, args, shape) do
    case Linx.Native.call(verb, normalize(args), shape) do
      {:ok, _} = ok -> ok
      {:error, map} -> {:error, Error.from_native(map)}
    end
  end

  @doc "Like `call/2`, but returns the result or raises `Linx.Error`."
  @spec call!(String.t(), args()) :: term()
  def call!(verb, args \\ nil) do
    case call(verb, args) do
      {:ok, result} -> result
      {:error, error} -> raise error
    end
  end

  # A keyword list is accepted for convenience; anything else goes to the
  # NIF as is, which refuses what it cannot convert.
  defp normalize([]), do: nil

  defp normalize([{k, _} | _] = list) when is_atom(k) do
    if Keyword.keyword?(list), do: Map.new(list), else: list
  end

  defp normalize(other), do: other

  @type_bits [nil: 0, bool: 1, int: 2, uint: 3, bytes: 4, string: 5, list: 6, map: 7, handle: 8]

  @doc """
  Describes every verb the loaded plugins provide, sorted by name.

  Each entry is a map with `:name`, `:summary`, `:flags` (`:blocking`,
  `:child`), `:result_doc` and `:params`, each parameter a map with
  `:name`, `:types` (a list of `:nil`, `:bool`, `:int`, `:uint`, `:bytes`,
  `:string`, `:list`, `:map`, `:handle`), `:flags` (`:required`,
  `:nonneg`, `:int_list`) and `:doc`.
  """
  @spec list() :: [map()]
  def list do
    for verb <- Linx.Native.verbs() do
      params =
        for p <- verb.params do
          types =
            for {name, bit} <- @type_bits,
                Bitwise.band(p.types, Bitwise.bsl(1, bit)) != 0,
                do: name

          %{p | types: types}
        end

      %{verb | params: params}
    end
  end

  @doc "The loaded plugins: maps with `:name`, `:version`, `:summary`, `:file`."
  @spec plugins() :: [map()]
  def plugins, do: Linx.Native.plugins()

  @doc """
  Loads a plugin from a file outside the search path.

  The search path is `$LINX_PLUGIN_PATH`, then the plugins bundled with
  this application; plugins found there are loaded when the NIF is.

  This loads native code into the VM, with its constructors: load only
  files you trust, as you would a NIF.  The core refuses a file that is not
  a Linx plugin or was built for another plugin ABI, with an error naming
  it.
  """
  @spec load_plugin(Path.t()) :: :ok | {:error, Error.t()}
  def load_plugin(path) do
    case Linx.Native.load_plugin(path_string(path)) do
      :ok -> :ok
      {:error, map} -> {:error, Error.from_native(map)}
    end
  end

  # Chardata becomes a binary; anything else goes on for the NIF to refuse.
  defp path_string(path) when is_list(path) do
    IO.chardata_to_string(path)
  rescue
    ArgumentError -> path
  end

  defp path_string(path), do: path
end
