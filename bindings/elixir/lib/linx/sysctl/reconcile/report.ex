defmodule Linx.Sysctl.Reconcile.Report do
  @moduledoc """
  What one `Linx.Sysctl.Reconcile.reconcile/3` pass did.

    * `:converged?` - true when nothing is left undone: no op was needed,
      or every op succeeded;
    * `:applied` - the ops that succeeded, in the order they ran;
    * `:failed` - `{op, %Linx.Sysctl.Error{}}` for each op that failed;
    * `:pending` - ops not tried: always `[]` here, since a sysctl pass
      tries every op (the field is there because the rtnl report, whose
      passes stop at the first failure, has the same shape);
    * `:last_applied` - the ownership map for the next pass.

  It inspects as a one-line summary:

      iex> %Linx.Sysctl.Reconcile.Report{converged?: true, applied: [{:set, "a.b", 1}],
      ...>   failed: [], pending: [], last_applied: %{}}
      #Linx.Sysctl.Reconcile.Report<converged: 1 applied>
  """

  @enforce_keys [:converged?, :applied, :failed, :pending, :last_applied]
  defstruct @enforce_keys

  @type t() :: %__MODULE__{
          applied: [Linx.Sysctl.Reconcile.op()],
          converged?: boolean(),
          failed: [{Linx.Sysctl.Reconcile.op(), Linx.Sysctl.Error.t()}],
          last_applied: Linx.Sysctl.Reconcile.last_applied(),
          pending: [Linx.Sysctl.Reconcile.op()]
        }

  defimpl Inspect do
    def inspect(r, _opts),
      do: Linx.Reconcile.Flat.inspect_report("Linx.Sysctl.Reconcile.Report", r)
  end
end
