defmodule Linx.Sysctl.Reconcile.Source do
  @moduledoc """
  The `Linx.Reconcile.Source` for sysctls: lets `Linx.Reconcile` drive
  `Linx.Sysctl.Reconcile`.

  The scope is the sysctl `:in` target (`:self`, `{:pid, n}`,
  `{:path, p}`), given to each pass as its `:in` option.  Sysctls have no
  change notification, so `subscribe/2` is `:unsupported` and the loop
  works from its timer.
  """

  @behaviour Linx.Reconcile.Source

  @doc """
  Every sysctl visible in `scope`, as `%{key => text}`; with `keys: [...]`
  in `opts`, only those.
  """
  @impl true
  def observe(scope, opts) do
    case Keyword.fetch(opts, :keys) do
      {:ok, keys} ->
        case Linx.Sysctl.Reconcile.observe(keys, in: scope) do
          %{} = map -> {:ok, map}
          error -> error
        end

      :error ->
        with {:ok, entries} <- Linx.Sysctl.list(in: scope),
             do: {:ok, Map.new(entries, &{&1.key, &1.value})}
    end
  end

  @impl true
  def reconcile(scope, desired, last_applied, opts),
    do: Linx.Sysctl.Reconcile.reconcile(desired, last_applied, Keyword.put(opts, :in, scope))

  @impl true
  def subscribe(_scope, _owner), do: :unsupported
end
