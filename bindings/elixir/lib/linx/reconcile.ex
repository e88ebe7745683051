defmodule Linx.Reconcile do
  @moduledoc """
  An opt-in loop that keeps one subsystem converged: it runs a
  `Linx.Reconcile.Source`'s pass on a timer, and sooner when the source's
  monitor says something changed.

  The timer is what makes it correct: drift made by hand, a crash, a
  reboot are all corrected at the next pass.  Monitor messages only make
  it faster; the loop never reads them, it just looks again.

  Nothing starts it for you: there is no application-level process and
  no registry.  Put it in your own supervision tree, one per subsystem
  and scope:

      children = [
        {Linx.Reconcile,
         source: Linx.Sysctl.Reconcile.Source,
         scope: :self,
         desired: %{"net.ipv4.ip_forward" => 1},
         name: :host_sysctls}
      ]

      Supervisor.start_link(children, strategy: :one_for_one)

  or, for the addresses and routes of a container's network namespace,
  woken by a monitor as soon as something changes there:

      {Linx.Reconcile,
       source: Linx.Netlink.Rtnl.Reconcile.Source,
       scope: {:pid, container_pid},
       desired: %{addresses: [{"eth0", "10.0.0.2", 24}], routes: [{:default, "10.0.0.1"}]},
       interval: :timer.seconds(30)}

  Composing subsystems ("this container's network, in this cgroup") is
  the caller's business, not this loop's.

  ## Options

    * `:source` (required) - a module implementing `Linx.Reconcile.Source`;
    * `:scope` (required) - where it acts, in the source's shape;
    * `:desired` (required) - the desired state, in the source's shape;
    * `:reconcile_opts` - keyword list given to every `c:Linx.Reconcile.Source.reconcile/4`
      (sysctl's `:revert_on_release`, rtnl's `:protocol`);
    * `:last_applied` - the ownership state to start from (default `%{}`);
    * `:interval` - ms between timer passes, or `:infinity` to rely on the
      monitor alone (default 5000);
    * `:monitor` - whether to subscribe to the source's monitor (default
      true; a source without one answers `:unsupported` and the loop runs
      on its timer);
    * `:debounce` - ms to gather a burst of hints, or of `put_desired/2`
      calls, into one pass (default 100);
    * `:owner` - a pid sent `{:linx_reconcile, :report, report}` or
      `{:linx_reconcile, :error, reason}` after every pass;
    * `:name` - a name to register the loop under.

  Invalid options stop `start_link/1` with `{:error, {:bad_option, opt}}`.

  ## Failures

  A pass that returns `{:error, reason}` does not stop the loop: it keeps
  the previous `last_applied`, tells the owner, and tries again at the
  next tick.  The loop is linked to the monitor it starts: if the monitor
  dies the loop dies, and its supervisor's restart subscribes again and
  begins with a full pass, which is correct since a pass always looks at
  everything.  A source that raises crashes the loop, like any bug.
  """

  use GenServer

  @typedoc "A `start_link/1` option (see the module doc)."
  @type option() ::
          {:source, module()}
          | {:scope, Linx.Reconcile.Source.scope()}
          | {:desired, Linx.Reconcile.Source.desired()}
          | {:reconcile_opts, keyword()}
          | {:last_applied, Linx.Reconcile.Source.last_applied()}
          | {:interval, pos_integer() | :infinity}
          | {:monitor, boolean()}
          | {:debounce, non_neg_integer()}
          | {:owner, pid()}
          | {:name, GenServer.name()}

  @doc "Starts the loop; see the module doc for the options."
  @spec start_link([option()]) :: GenServer.on_start()
  def start_link(opts) when is_list(opts) do
    case check(opts) do
      {:ok, conf} ->
        gen_opts = if conf.name, do: [name: conf.name], else: []
        GenServer.start_link(__MODULE__, conf, gen_opts)

      {:error, _} = error ->
        error
    end
  end

  def start_link(opts), do: {:error, {:bad_option, opts}}

  @doc """
  Runs a pass now and returns its result, `{:ok, report}` or
  `{:error, reason}`.  Handy in tests, or to converge on demand.
  """
  @spec reconcile(GenServer.server(), timeout()) ::
          {:ok, Linx.Reconcile.Source.report()} | {:error, term()}
  def reconcile(server, timeout \\ 5000), do: GenServer.call(server, :reconcile, timeout)

  @doc """
  Replaces the desired state and schedules a pass (after the debounce).
  Returns at once.
  """
  @spec put_desired(GenServer.server(), Linx.Reconcile.Source.desired()) :: :ok
  def put_desired(server, desired), do: GenServer.cast(server, {:put_desired, desired})

  @doc "The last pass's report, or `nil` before any pass completed."
  @spec last_report(GenServer.server()) :: Linx.Reconcile.Source.report() | nil
  def last_report(server), do: GenServer.call(server, :last_report)

  @doc "Stops the loop, and with it (through the link) its monitor."
  @spec stop(GenServer.server()) :: :ok
  def stop(server), do: GenServer.stop(server)

  # ---- options --------------------------------------------------------------

  @known [
    :source,
    :scope,
    :desired,
    :reconcile_opts,
    :last_applied,
    :interval,
    :monitor,
    :debounce,
    :owner,
    :name
  ]

  defp check(opts) do
    with :ok <- known(opts),
         {:ok, source} <- required(opts, :source),
         :ok <- source_ok(source),
         {:ok, scope} <- required(opts, :scope),
         {:ok, desired} <- required(opts, :desired),
         {:ok, ropts} <- opt(opts, :reconcile_opts, [], &Keyword.keyword?/1),
         {:ok, interval} <- opt(opts, :interval, 5000, &interval?/1),
         {:ok, monitor} <- opt(opts, :monitor, true, &is_boolean/1),
         {:ok, debounce} <- opt(opts, :debounce, 100, &(is_integer(&1) and &1 >= 0)),
         {:ok, owner} <- opt(opts, :owner, nil, &is_pid/1),
         {:ok, name} <- opt(opts, :name, nil, &name?/1) do
      {:ok,
       %{
         source: source,
         scope: scope,
         desired: desired,
         reconcile_opts: ropts,
         last_applied: Keyword.get(opts, :last_applied, %{}),
         interval: interval,
         monitor: monitor,
         debounce: debounce,
         owner: owner,
         name: name
       }}
    end
  end

  defp known(opts) do
    case Enum.find(opts, fn o ->
           not (is_tuple(o) and tuple_size(o) == 2 and elem(o, 0) in @known)
         end) do
      nil -> :ok
      bad -> {:error, {:bad_option, bad}}
    end
  end

  defp required(opts, key) do
    case List.keyfind(opts, key, 0) do
      {^key, v} -> {:ok, v}
      nil -> {:error, {:bad_option, {:missing, key}}}
    end
  end

  defp opt(opts, key, default, ok?) do
    case List.keyfind(opts, key, 0) do
      nil -> {:ok, default}
      {^key, v} -> if ok?.(v), do: {:ok, v}, else: {:error, {:bad_option, {key, v}}}
    end
  end

  defp source_ok(mod) when is_atom(mod) do
    if Code.ensure_loaded?(mod) and function_exported?(mod, :reconcile, 4) and
         function_exported?(mod, :subscribe, 2),
       do: :ok,
       else: {:error, {:bad_option, {:source, mod}}}
  end

  defp source_ok(mod), do: {:error, {:bad_option, {:source, mod}}}

  defp interval?(:infinity), do: true
  defp interval?(n), do: is_integer(n) and n > 0

  defp name?(n) when is_atom(n) and n != nil, do: true
  defp name?({:global, _}), do: true
  defp name?({:via, m, _}) when is_atom(m), do: true
  defp name?(_), do: false

  # ---- the loop -------------------------------------------------------------

  @impl true
  def init(conf) do
    state = Map.merge(conf, %{monitor_pid: nil, report: nil, timer: nil, due: nil})

    case subscribe(state) do
      {:ok, state} -> {:ok, state, {:continue, :pass}}
      {:error, reason} -> {:stop, {:subscribe, reason}}
    end
  end

  defp subscribe(%{monitor: false} = state), do: {:ok, state}

  defp subscribe(state) do
    case state.source.subscribe(state.scope, self()) do
      {:ok, pid} when is_pid(pid) ->
        Process.link(pid)
        {:ok, %{state | monitor_pid: pid}}

      :unsupported ->
        {:ok, state}

      {:error, reason} ->
        {:error, reason}

      other ->
        {:error, {:bad_subscribe_result, other}}
    end
  end

  @impl true
  def handle_continue(:pass, state) do
    {_result, state} = pass(state)
    {:noreply, state}
  end

  @impl true
  def handle_call(:reconcile, _from, state) do
    {result, state} = pass(state)
    {:reply, result, state}
  end

  def handle_call(:last_report, _from, state), do: {:reply, state.report, state}

  @impl true
  def handle_cast({:put_desired, desired}, state),
    do: {:noreply, schedule(%{state | desired: desired}, state.debounce)}

  @impl true
  def handle_info({:linx_reconcile_tick, ref}, %{timer: ref} = state) do
    {_result, state} = pass(%{state | timer: nil, due: nil})
    {:noreply, state}
  end

  # A tick cancelled too late to take back: ignore it.
  def handle_info({:linx_reconcile_tick, _stale}, state), do: {:noreply, state}

  # Anything else (the monitor's events, whatever their shape) is a hint.
  def handle_info(_hint, state), do: {:noreply, schedule(state, state.debounce)}

  # One pass; the next timer pass is `interval` from its end.
  defp pass(state) do
    result =
      state.source.reconcile(state.scope, state.desired, state.last_applied, state.reconcile_opts)

    state =
      case result do
        {:ok, %{last_applied: la} = report} ->
          notify(state, {:linx_reconcile, :report, report})
          %{state | report: report, last_applied: la}

        {:error, reason} ->
          notify(state, {:linx_reconcile, :error, reason})
          state

        other ->
          notify(state, {:linx_reconcile, :error, {:bad_report, other}})
          state
      end

    result =
      if match?({:ok, %{last_applied: _}}, result) or match?({:error, _}, result),
        do: result,
        else: {:error, {:bad_report, result}}

    {result, reschedule(state, state.interval)}
  end

  defp notify(%{owner: nil}, _msg), do: :ok
  defp notify(%{owner: owner}, msg), do: send(owner, msg)

  # Make the next pass come at most `delay` ms from now.
  defp schedule(state, delay) do
    now = System.monotonic_time(:millisecond)

    if state.timer && state.due <= now + delay,
      do: state,
      else: arm(state, now, delay)
  end

  # Replace the pending pass with one `delay` ms from now (:infinity: none).
  defp reschedule(state, :infinity), do: cancel(state)

  defp reschedule(state, delay),
    do: arm(state, System.monotonic_time(:millisecond), delay)

  defp arm(state, now, delay) do
    state = cancel(state)
    ref = make_ref()
    Process.send_after(self(), {:linx_reconcile_tick, ref}, delay)
    %{state | timer: ref, due: now + delay}
  end

  defp cancel(state), do: %{state | timer: nil, due: nil}
end
