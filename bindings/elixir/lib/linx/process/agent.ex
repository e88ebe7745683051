defmodule Linx.Process.Agent do
  @moduledoc """
  The one `linx-agent` Port that every `Linx.Process` session talks
  through, and the router of its events.

  The agent (`agent/` in the repository, installed into this application's
  `priv/linx-agent`; `$LINX_AGENT` names another) is a single-threaded
  program that clones workloads and parks them at the checkpoint.  One
  agent serves every session: starting a workload never pays for starting
  a program.  It is opened as a Port with `{:packet, 4}` and `:nouse_stdio`,
  so requests go to its fd 3 and events come back from its fd 4 while fds
  0-2 stay the BEAM's (what `stdio: :inherit` gives a workload).

  This process (started by the `:linx` application) owns the Port:

    * it opens the Port on the first spawn, not at boot;
    * `Linx.Process.spawn/1` opens a session without a message to this
      process (`prepare/1`, `open/2`): it takes a unique id, enters
      `id => session pid` in this process's public route table (ETS), then
      writes the spawn request to the Port, so the route is in the table
      before the agent can answer.  The session writes its later requests
      itself (they are all caused by calls made after `spawn/1` returned,
      and one process's `Port.command/2`s keep their order);
    * every event is decoded here (`Linx.Native.decode/1`: no atom is made
      from the agent's bytes) and sent to the session its `id` routes to;
      a frame that does not decode, or names no live session, is dropped
      with a log line and disturbs nobody else;
    * after a session's terminal event it removes the route;
    * it monitors every session from the session's first event on (the
      agent answers every spawn with one; monitoring a session that is
      already gone reports it at once): when one dies before its terminal
      event, it asks the agent to SIGKILL that workload (`kill`);
    * when the agent exits, every routed session gets `{:linx_agent_died,
      status}` and the next spawn starts a new agent.

  Workloads never outlive the BEAM: when the control channel closes (this
  process or the whole VM dies) the agent discards parked children, sends
  running workloads SIGTERM and, two seconds later, SIGKILL, then exits.
  """

  use GenServer

  require Logger

  @terminal ["exited", "signaled", "aborted", "error"]

  @doc false
  def start_link(opts \\ []) do
    GenServer.start_link(__MODULE__, opts, name: Keyword.get(opts, :name, __MODULE__))
  end

  # The route table of the server named __MODULE__ (the one sessions use):
  # {id, session_pid} per routed session, and {:port, port, server_pid}
  # while the agent runs.
  @routes Linx.Process.Agent.Routes

  @doc """
  Registers the calling process as a session: returns the agent Port and a
  fresh session id, starting the agent if it is not running.
  (`Linx.Process.spawn/1` uses `prepare/1` and `open/2`, which make no call.)
  """
  @spec register(GenServer.server()) :: {:ok, port(), pos_integer()} | {:error, term()}
  def register(server \\ __MODULE__) do
    GenServer.call(server, {:register, self()}, 30_000)
  catch
    :exit, reason -> {:error, {:agent_unavailable, exit_reason(reason)}}
  end

  @doc false
  # The first half of opening a session, before its process exists: the
  # agent's Port, this server, a fresh id and `request` with that id
  # encoded.  {:error, :agent_died} when the agent is not running; the
  # encoder's {:error, _} when the request does not encode.
  @spec prepare(map()) ::
          {:ok, {port(), pid(), pos_integer(), binary()}} | {:error, term()}
  def prepare(request) do
    with {:ok, port, server} <- lookup_port(),
         id = System.unique_integer([:positive, :monotonic]),
         {:ok, bytes} <- Linx.Native.encode(Map.put(request, "id", id)) do
      {:ok, {port, server, id, bytes}}
    end
  end

  @doc false
  # The second half: routes the id to `session` and writes the request,
  # with no message to this server (it monitors the session from its first
  # event: the agent answers every spawn).  :ok, or {:error, :agent_died}
  # when the agent is gone (or was replaced) meanwhile.
  @spec open({port(), pid(), pos_integer(), binary()}, pid()) :: :ok | {:error, :agent_died}
  def open({port, server, id, bytes}, session) do
    # The route is in the table before the agent can answer.
    :ets.insert(@routes, {id, session})

    # The server removes :port before it tells the routed sessions that
    # the agent died: either it saw this route, or this check sees the port
    # gone (or replaced).
    if catch_port(fn -> Port.command(port, bytes) end) and
         lookup_port() == {:ok, port, server} do
      :ok
    else
      :ets.delete(@routes, id)
      {:error, :agent_died}
    end
  end

  defp lookup_port do
    case :ets.lookup(@routes, :port) do
      [{:port, port, server}] -> {:ok, port, server}
      [] -> {:error, :agent_died}
    end
  rescue
    # No table: the server is not running.
    ArgumentError -> {:error, :agent_died}
  end

  @doc """
  Starts the agent if it is not running: `:ok`, or `{:error,
  {:agent_unavailable, reason}}` (no executable, the `:linx` application
  not started...).  Makes no call when the agent runs.
  """
  @spec ensure_started(GenServer.server()) :: :ok | {:error, term()}
  def ensure_started(server \\ __MODULE__) do
    if server == __MODULE__ and match?({:ok, _, _}, lookup_port()),
      do: :ok,
      else: GenServer.call(server, :ensure_started, 30_000)
  catch
    :exit, reason -> {:error, {:agent_unavailable, exit_reason(reason)}}
  end

  @doc "The agent's OS pid, or `nil` when it is not running."
  @spec os_pid(GenServer.server()) :: pos_integer() | nil
  def os_pid(server \\ __MODULE__), do: GenServer.call(server, :os_pid)

  @doc "The agent executable this node runs."
  @spec path() :: Path.t()
  def path do
    case System.get_env("LINX_AGENT") do
      p when p not in [nil, ""] ->
        p

      _ ->
        case :code.priv_dir(:linx) do
          {:error, _} -> "linx-agent"
          dir -> Path.join(List.to_string(dir), "linx-agent")
        end
    end
  end

  defp exit_reason({reason, {GenServer, :call, _}}), do: reason
  defp exit_reason(reason), do: reason

  # ---- the server ----------------------------------------------------------

  @impl true
  def init(opts) do
    Process.flag(:trap_exit, true)
    named = if Keyword.get(opts, :name, __MODULE__) == __MODULE__, do: [:named_table], else: []

    tab =
      :ets.new(
        @routes,
        [:set, :public, read_concurrency: true, write_concurrency: true] ++ named
      )

    # sessions: id => {pid, monitor}, for the sessions this server watches
    {:ok, %{port: nil, os_pid: nil, tab: tab, sessions: %{}, monitors: %{}}}
  end

  @impl true
  def handle_call({:register, pid}, _from, state) do
    case ensure_port(state) do
      {:ok, state} ->
        id = System.unique_integer([:positive, :monotonic])
        :ets.insert(state.tab, {id, pid})
        {:reply, {:ok, state.port, id}, watch(pid, id, state)}

      {:error, reason, state} ->
        {:reply, {:error, reason}, state}
    end
  end

  def handle_call(:ensure_started, _from, state) do
    case ensure_port(state) do
      {:ok, state} -> {:reply, :ok, state}
      {:error, reason, state} -> {:reply, {:error, reason}, state}
    end
  end

  def handle_call(:os_pid, _from, state), do: {:reply, state.os_pid, state}

  @impl true
  def handle_info({port, {:data, frame}}, %{port: port} = state) do
    {:noreply, route(frame, state)}
  end

  def handle_info({port, {:exit_status, status}}, %{port: port} = state) do
    {:noreply, agent_died(status, state)}
  end

  def handle_info({:EXIT, port, reason}, %{port: port} = state) do
    # The Port failed without an exit status (it normally comes first).
    Logger.warning("linx-agent port closed: #{inspect(reason)}")
    {:noreply, agent_died(-1, state)}
  end

  def handle_info({:DOWN, ref, :process, _pid, _reason}, state) do
    case Map.pop(state.monitors, ref) do
      {nil, _} ->
        {:noreply, state}

      {id, monitors} ->
        # The session died before its workload ended: kill the workload.
        if :ets.take(state.tab, id) != [],
          do: command(state.port, %{"op" => "kill", "id" => id})

        {:noreply, %{state | monitors: monitors, sessions: Map.delete(state.sessions, id)}}
    end
  end

  # Messages of an earlier Port, EXITs of linked processes that are not ours.
  def handle_info(_msg, state), do: {:noreply, state}

  defp watch(pid, id, state) do
    if Map.has_key?(state.sessions, id) do
      state
    else
      ref = Process.monitor(pid)

      %{
        state
        | sessions: Map.put(state.sessions, id, {pid, ref}),
          monitors: Map.put(state.monitors, ref, id)
      }
    end
  end

  @impl true
  def terminate(_reason, state) do
    if state.port, do: catch_port(fn -> Port.close(state.port) end)
    :ok
  end

  defp ensure_port(%{port: nil} = state) do
    exe = path()

    if File.regular?(exe) do
      try do
        port =
          Port.open({:spawn_executable, exe}, [
            :binary,
            :nouse_stdio,
            :exit_status,
            {:packet, 4},
            args: [],
            # The plugins the NIF loads, so that child-side verbs
            # (Linx.Process.checkpoint_call/3) resolve in the agent too.
            env: [{~c"LINX_PLUGIN_PATH", String.to_charlist(Linx.Native.plugin_path())}]
          ])

        os_pid =
          case Port.info(port, :os_pid) do
            {:os_pid, p} -> p
            _ -> nil
          end

        :ets.insert(state.tab, {:port, port, self()})
        {:ok, %{state | port: port, os_pid: os_pid}}
      rescue
        e in ErlangError -> {:error, {:agent_unavailable, e.original}, state}
        e in ArgumentError -> {:error, {:agent_unavailable, Exception.message(e)}, state}
      end
    else
      {:error, {:agent_unavailable, {:not_found, exe}}, state}
    end
  end

  defp ensure_port(state), do: {:ok, state}

  defp route(frame, state) do
    case Linx.Native.decode(frame) do
      {:ok, %{"ev" => "hello"} = ev} ->
        if is_integer(ev["pid"]), do: %{state | os_pid: ev["pid"]}, else: state

      {:ok, %{"ev" => name, "id" => id} = ev} when is_binary(name) and is_integer(id) ->
        deliver(id, name, ev, state)

      {:ok, other} ->
        Logger.warning(
          "linx-agent: dropped an event with no session: #{inspect(other, limit: 20)}"
        )

        state

      {:error, err} ->
        Logger.warning("linx-agent: dropped an undecodable frame: #{err.message}")
        state
    end
  end

  defp deliver(id, name, ev, state) do
    case :ets.lookup(state.tab, id) do
      [{^id, pid}] ->
        send(pid, {:linx_agent_event, ev})
        if name in @terminal, do: unroute(id, state), else: watch(pid, id, state)

      [] ->
        # A session that died (its kill's answer) or an id of nobody's.
        state
    end
  end

  defp unroute(id, state) do
    :ets.delete(state.tab, id)

    case Map.pop(state.sessions, id) do
      {nil, _} ->
        state

      {{_pid, ref}, sessions} ->
        Process.demonitor(ref, [:flush])
        %{state | sessions: sessions, monitors: Map.delete(state.monitors, ref)}
    end
  end

  defp agent_died(status, state) do
    # :port goes first: a session opening from now on sees the agent gone
    # (open_session/1), one that opened before is among the routes below.
    :ets.delete(state.tab, :port)

    routes =
      :ets.select(state.tab, [{{:"$1", :"$2"}, [{:is_integer, :"$1"}], [{{:"$1", :"$2"}}]}])

    for {id, pid} <- routes do
      :ets.delete(state.tab, id)
      send(pid, {:linx_agent_died, status})
    end

    for {_id, {_pid, ref}} <- state.sessions, do: Process.demonitor(ref, [:flush])
    %{state | port: nil, os_pid: nil, sessions: %{}, monitors: %{}}
  end

  @doc false
  # Encodes and sends one request; false when the Port is gone.
  def command(nil, _msg), do: false

  def command(port, msg) do
    {:ok, bytes} = Linx.Native.encode(msg)
    catch_port(fn -> Port.command(port, bytes) end)
  end

  defp catch_port(fun) do
    fun.()
    true
  rescue
    ArgumentError -> false
  catch
    :error, :badarg -> false
  end
end
