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

    * it opens the Port on the first `register/1`, not at boot;
    * sessions register here and get a unique id and the Port, then write
      their own requests (`Port.command/2` from the session keeps a
      session's requests in order);
    * every event is decoded here (`Linx.Native.decode/1`: no atom is made
      from the agent's bytes) and sent to the session its `id` names; a
      frame that does not decode, or names no live session, is dropped
      with a log line and disturbs nobody else;
    * after a session's terminal event it forgets the id;
    * when a registered session dies before its terminal event, it asks
      the agent to SIGKILL that workload (`kill`);
    * when the agent exits, every live session gets `{:linx_agent_died,
      status}` and the next `register/1` starts a new agent.

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

  @doc """
  Registers the calling process as a session: returns the agent Port and a
  fresh session id, starting the agent if it is not running.
  """
  @spec register(GenServer.server()) :: {:ok, port(), pos_integer()} | {:error, term()}
  def register(server \\ __MODULE__) do
    GenServer.call(server, {:register, self()}, 30_000)
  catch
    :exit, reason -> {:error, {:agent_unavailable, exit_reason(reason)}}
  end

  @doc """
  Starts the agent if it is not running: `:ok`, or `{:error,
  {:agent_unavailable, reason}}` (no executable, the `:linx` application
  not started...).
  """
  @spec ensure_started(GenServer.server()) :: :ok | {:error, term()}
  def ensure_started(server \\ __MODULE__) do
    GenServer.call(server, :ensure_started, 30_000)
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
  def init(_opts) do
    Process.flag(:trap_exit, true)
    {:ok, %{port: nil, os_pid: nil, sessions: %{}, monitors: %{}}}
  end

  @impl true
  def handle_call({:register, pid}, _from, state) do
    case ensure_port(state) do
      {:ok, state} ->
        id = System.unique_integer([:positive, :monotonic])
        ref = Process.monitor(pid)

        state = %{
          state
          | sessions: Map.put(state.sessions, id, {pid, ref}),
            monitors: Map.put(state.monitors, ref, id)
        }

        {:reply, {:ok, state.port, id}, state}

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
        command(state.port, %{"op" => "kill", "id" => id})
        {:noreply, %{state | monitors: monitors, sessions: Map.delete(state.sessions, id)}}
    end
  end

  # Messages of an earlier Port, EXITs of linked processes that are not ours.
  def handle_info(_msg, state), do: {:noreply, state}

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
    case Map.fetch(state.sessions, id) do
      {:ok, {pid, ref}} ->
        send(pid, {:linx_agent_event, ev})

        if name in @terminal do
          Process.demonitor(ref, [:flush])

          %{
            state
            | sessions: Map.delete(state.sessions, id),
              monitors: Map.delete(state.monitors, ref)
          }
        else
          state
        end

      :error ->
        # A session that died (its kill's answer) or an id of nobody's.
        state
    end
  end

  defp agent_died(status, state) do
    for {_id, {pid, ref}} <- state.sessions do
      Process.demonitor(ref, [:flush])
      send(pid, {:linx_agent_died, status})
    end

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
