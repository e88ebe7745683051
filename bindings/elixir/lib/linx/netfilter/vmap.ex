defmodule Linx.Netfilter.Vmap do
  @moduledoc """
  Verdict maps: `Linx.Netfilter.Map.new/2` with `data_type: :verdict`.

      iex> {:ok, m} = Linx.Netfilter.Vmap.new("dispatch", key_type: :inet_service,
      ...>   elements: [{22, {:jump, "ssh_in"}}])
      iex> m.elements
      [{22, Linx.Netfilter.Verdict.jump("ssh_in")}]

  Values are verdicts in any form `Verdict.new!/1` takes (`:accept`,
  `{:jump, "chain"}`, a `%Verdict{}`); there is no separate struct.
  """

  @doc "Builds a verdict map (the options of `Map.new/2` but `:data_type`)."
  @spec new(String.t(), keyword()) ::
          {:ok, Linx.Netfilter.Map.t()} | {:error, {:bad_map, term()}}
  def new(name, opts) when is_list(opts) do
    if Keyword.keyword?(opts),
      do: Linx.Netfilter.Map.new(name, Keyword.put(opts, :data_type, :verdict)),
      else: {:error, {:bad_map, {:bad_opts, opts}}}
  end

  def new(_name, opts), do: {:error, {:bad_map, {:bad_opts, opts}}}

  @doc "Like `new/2`, but returns the map or raises `ArgumentError`."
  @spec new!(String.t(), keyword()) :: Linx.Netfilter.Map.t()
  def new!(name, opts), do: Linx.Netfilter.Map.new!(name, Keyword.put(opts, :data_type, :verdict))
end
