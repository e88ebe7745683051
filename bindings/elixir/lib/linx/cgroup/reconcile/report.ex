defmodule Linx.Cgroup.Reconcile.Report do
  @moduledoc """
  What one `Linx.Cgroup.Reconcile.reconcile/4` pass did: the same shape as
  `Linx.Sysctl.Reconcile.Report`.

    * `:converged?` - true when no op was needed or every op succeeded;
    * `:applied` - the ops that succeeded, in the order they ran;
    * `:failed` - `{op, %Linx.Cgroup.Error{}}` for each op that failed;
    * `:pending` - always `[]` (every op is tried);
    * `:last_applied` - the ownership map for the next pass.

      iex> %Linx.Cgroup.Reconcile.Report{converged?: false, applied: [{:set, "pids.max", 5}],
      ...>   failed: [{{:set, "memory.max", :max}, nil}], pending: [], last_applied: %{}}
      #Linx.Cgroup.Reconcile.Report<1 applied, 1 failed>
  """

  @enforce_keys [:converged?, :applied, :failed, :pending, :last_applied]
  defstruct @enforce_keys

  @type t() :: %__MODULE__{
          applied: [Linx.Cgroup.Reconcile.op()],
          converged?: boolean(),
          failed: [{Linx.Cgroup.Reconcile.op(), Linx.Cgroup.Error.t()}],
          last_applied: Linx.Cgroup.Reconcile.last_applied(),
          pending: [Linx.Cgroup.Reconcile.op()]
        }

  defimpl Inspect do
    def inspect(r, _opts),
      do: Linx.Reconcile.Flat.inspect_report("Linx.Cgroup.Reconcile.Report", r)
  end
end
