defmodule Linx.Netlink.Rtnl.Reconcile.Report do
  @moduledoc """
  What one `Linx.Netlink.Rtnl.Reconcile.reconcile/4` pass did.

  Address and route changes depend on each other (a route needs its
  gateway's address first), so a pass stops at the first op the kernel
  refuses; whatever it had not reached is listed as pending and the next
  pass, which looks at everything again, picks it up.  The struct has the
  same fields as the sysctl and cgroup reports, where every op is tried.

    * `:converged?` - true when nothing is left undone (`:failed` and
      `:pending` both empty);
    * `:applied` - the ops that succeeded, in the order they ran, as
      `Linx.Netlink.Rtnl.Diff` ops: `{:create | :update | :delete, item}`
      with an `%Address{}` or `%Route{}` (a create or update carries the
      desired item, a delete the one the kernel had);
    * `:failed` - `[{op, %Linx.Netlink.Error{}}]`, the op that ended the
      pass, so at most one;
    * `:pending` - the ops not tried because of that failure;
    * `:last_applied` - `%{addresses: MapSet}` of
      `Linx.Netlink.Rtnl.Diff.address_key/1` tuples, for the next pass.
      Routes need none: their protocol tag says whose they are.

  It inspects as a one-line summary:

      iex> %Linx.Netlink.Rtnl.Reconcile.Report{converged?: false, applied: [{:create, 1}, {:create, 2}],
      ...>   failed: [{{:create, 3}, :eexist}], pending: [{:delete, 4}],
      ...>   last_applied: %{addresses: MapSet.new()}}
      #Linx.Netlink.Rtnl.Reconcile.Report<2 applied, 1 failed, 1 pending>
  """

  @enforce_keys [:converged?, :applied, :failed, :pending, :last_applied]
  defstruct @enforce_keys

  @type t() :: %__MODULE__{
          applied: [Linx.Netlink.Rtnl.Diff.op()],
          converged?: boolean(),
          failed: [{Linx.Netlink.Rtnl.Diff.op(), term()}],
          last_applied: %{optional(:addresses) => MapSet.t()},
          pending: [Linx.Netlink.Rtnl.Diff.op()]
        }

  defimpl Inspect do
    def inspect(r, _opts),
      do: Linx.Reconcile.Flat.inspect_report("Linx.Netlink.Rtnl.Reconcile.Report", r)
  end
end
