defmodule Linx.Reconcile.Source do
  @moduledoc """
  The contract `Linx.Reconcile` drives: one subsystem's single-shot
  reconcile pass, and optionally a monitor that says "look now".

  Each reconcilable subsystem keeps its own typed surface
  (`Linx.Sysctl.Reconcile`, `Linx.Cgroup.Reconcile`,
  `Linx.Netlink.Rtnl.Reconcile`) for callers that want control; a source
  is the small adapter that lets the generic loop call it.  Linx ships
  `Linx.Sysctl.Reconcile.Source`, `Linx.Cgroup.Reconcile.Source` and
  `Linx.Netlink.Rtnl.Reconcile.Source`.

  ## The scope

  A scope says where the source acts, in the shape its subsystem already
  takes: the sysctl `:in` target (`:self`, `{:pid, n}`, `{:path, p}`), a
  cgroup path, or a network namespace for rtnl (`:host`, `{:pid, n}`,
  `{:path, p}`).  The loop never looks inside it.

  ## The report

  `c:reconcile/4` returns `{:ok, report}` for a pass that ran, even if
  some of its operations failed (they are listed in the report).  The loop
  reads two fields of every report:

    * `:converged?` - whether the pass left nothing undone;
    * `:last_applied` - the ownership state to give the next pass.

  `{:error, reason}` means the pass could not run at all (an invalid
  desired state, a namespace that cannot be entered); the loop keeps the
  previous `last_applied` and tries again at its next tick.
  """

  @typedoc "Where the source acts, in its subsystem's own shape."
  @type scope() :: term()

  @typedoc "The desired state, in the subsystem's own shape."
  @type desired() :: term()

  @typedoc "The ownership state threaded between passes; `%{}` is empty."
  @type last_applied() :: term()

  @typedoc "Observed kernel state, in the subsystem's own shape."
  @type observed() :: term()

  @typedoc "Options passed through to the subsystem's pass."
  @type opts() :: keyword()

  @typedoc "A pass's report: at least `:converged?` and `:last_applied`."
  @type report() :: %{
          :converged? => boolean(),
          :last_applied => last_applied(),
          optional(atom()) => term()
        }

  @doc """
  Reads the current state in `scope`.  The loop does not call it (a pass
  observes by itself); it is there for callers and diagnostics.
  """
  @callback observe(scope(), opts()) :: {:ok, observed()} | {:error, term()}

  @doc """
  Runs one pass in `scope` towards `desired`, given the previous pass's
  `last_applied`.
  """
  @callback reconcile(scope(), desired(), last_applied(), opts()) ::
              {:ok, report()} | {:error, term()}

  @doc """
  Starts a monitor that sends `owner` a message whenever something in
  `scope` may have changed.  `:unsupported` when the subsystem has no
  change notification: the loop then relies on its timer.  Every message
  the loop receives from the monitor is only a hint to look again; its
  content is never acted on.
  """
  @callback subscribe(scope(), owner :: pid()) :: {:ok, pid()} | {:error, term()} | :unsupported

  @optional_callbacks observe: 2
end
