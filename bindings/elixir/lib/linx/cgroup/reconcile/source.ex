defmodule Linx.Cgroup.Reconcile.Source do
  @moduledoc """
  The `Linx.Reconcile.Source` for a cgroup's limits: lets `Linx.Reconcile`
  drive `Linx.Cgroup.Reconcile`.

  The scope is the cgroup's path.  cgroupfs has no change notification
  for limit files, so `subscribe/2` is `:unsupported` and the loop works
  from its timer.  The loop never creates the cgroup: until its owner
  does, each pass reports the writes as failed.
  """

  @behaviour Linx.Reconcile.Source

  @doc """
  The cgroup's readable interface files as `%{file => text}`; with
  `files: [...]` in `opts`, only those.
  """
  @impl true
  def observe(scope, opts) when is_binary(scope) do
    files =
      case Keyword.fetch(opts, :files) do
        {:ok, files} -> {:ok, files}
        :error -> list_files(scope)
      end

    with {:ok, files} <- files do
      case Linx.Cgroup.Reconcile.observe(scope, files) do
        %{} = map -> {:ok, map}
        error -> error
      end
    end
  end

  def observe(scope, _opts), do: {:error, {:bad_path, scope}}

  defp list_files(dir) do
    case File.ls(dir) do
      {:ok, names} -> {:ok, Enum.filter(names, &File.regular?(Path.join(dir, &1)))}
      {:error, errno} -> {:error, Linx.Cgroup.Error.from_posix(errno, dir, :read)}
    end
  end

  @impl true
  def reconcile(scope, desired, last_applied, opts),
    do: Linx.Cgroup.Reconcile.reconcile(scope, desired, last_applied, opts)

  @impl true
  def subscribe(_scope, _owner), do: :unsupported
end
