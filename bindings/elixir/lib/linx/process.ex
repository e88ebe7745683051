defmodule Linx.Process do
  @moduledoc """
  Linux process-lifecycle primitives - `clone(2)` with namespace flags,
  `setns(2)`, `execve(2)`, signal delivery and exit-status reporting -
  exposed through one GenServer per spawned child.

  ## Why a separate OS process

  `clone()`, `fork()` and `unshare()` inside the multithreaded BEAM would
  corrupt the VM, so the system calls happen in `linx-agent`, a small C
  program run as a Port (`Linx.Process.Agent`) with `:nouse_stdio` and
  `{:packet, 4}`: requests on its fd 3, events on its fd 4, each frame a
  map in the Linx value codec; fds 0-2 stay free for the workloads' stdio.
  One agent serves every session of the node.

  This module IS the GenServer.  The pid `spawn/1` (or `enter/2`) returns
  is the session handle: pass it to `proceed/1`, `abort/1`, `signal/2`,
  `wait/2`, `info/1`, `host_pid/1`.

      {:ok, c} = Linx.Process.spawn(argv: ["/bin/echo", "hello"])
      receive do {:linx_process, :ready, _host_pid} -> :ok end
      :ok = Linx.Process.proceed(c)
      {:ok, {:exited, 0}} = Linx.Process.wait(c)

  ## Owner events

  The owner (the caller of `spawn/1`, or `:owner`) receives, in order:

    * `{:linx_process, :ready, host_pid}` - the child reached the
      checkpoint; `host_pid` is its pid in the host's pid namespace;
    * `{:linx_process, :running}` - the child has execve'd the workload;
    * `{:linx_process, :exited, code}` - the workload exited normally;
    * `{:linx_process, :signaled, signum}` - it was killed by a signal;
    * `{:linx_process, :aborted}` - `abort/1` discarded it at the checkpoint;
    * `{:linx_process, :pty_out, binary}` - PTY mode only: bytes the
      workload wrote to its terminal;
    * `{:linx_process, :error, errno, stage}` - a pre-exec failure or a
      transport problem (stage table below).

  Each session emits exactly one terminal event (`:exited`, `:signaled`,
  `:aborted` or `:error`) and nothing after it.  The GenServer then stays
  (unless `linger: false`) so that `wait/2` and `info/1` keep answering; it
  terminates with the linked `spawn/1` caller.  When a session ends before
  its workload (the caller died, `GenServer.stop/1`, a supervisor's
  shutdown), the workload is SIGKILLed and reaped by the agent.

  ## Error stages

  The stage atom names what failed; the errno is the POSIX number.

    * `:clone` (spawn), `:fork` (enter) - creating the process;
    * `:open_ns_<type>`, `:setns_<type>` - joining a namespace (enter);
      `<type>` is one of `user mnt uts ipc cgroup net time pid`;
    * `:stdio`, `:chdir`, `:no_new_privs`, `:execve` - the child's last
      steps before the workload;
    * `:cap_drop_bounding`, `:cap_set_thread`, `:cap_set_ambient`,
      `:seccomp_install`, `:seccomp_no_new_privs` - child-side verbs;
    * `:posix_openpt`, `:ptsetup`, `:ptsname`, `:pts_open`, `:sigprocmask`,
      `:pipe2`, `:signalfd` - the agent's own plumbing;
    * `:malformed_request`, `:request_too_big`, `:command_too_big`,
      `:ready_frame`, `:malformed_ready`, `:exec_outcome` - the wire;
    * `:agent_died` - the agent exited before the session ended
      (synthesised here); the integer is then the agent's exit status, not
      an errno (-1 when the status could not be observed).

  A stage name the binding does not know arrives as `:unknown` (no atom is
  made from the agent's bytes).

  With `stdio: :pty` the owner also gets `{:linx_process, :pty_out,
  bytes}` for what the workload writes to its terminal, all of it before
  the terminal event.
  """

  use GenServer

  alias Linx.Process.{Agent, Error, Info}

  @type namespace() :: :net | :mount | :pid | :uts | :ipc | :user | :cgroup | :time
  @type t() :: pid()

  @namespaces [:net, :mount, :pid, :uts, :ipc, :user, :cgroup, :time]
  @terminal_stages [:exited, :signaled, :aborted, :errored]

  # Stage names of the agent's error events (docs/process/README.md and the
  # spec's table), made atoms here once.  Anything else is :unknown.
  @ns_types ~w(user mnt uts ipc cgroup net time pid)
  @stages Map.new(
            ~w(clone fork stdio chdir execve no_new_privs cap_drop_bounding
               cap_set_thread cap_set_ambient seccomp_install
               seccomp_no_new_privs posix_openpt ptsetup ptsname pts_open
               sigprocmask pipe2 signalfd malformed_request request_too_big
               command_too_big ready_frame malformed_ready exec_outcome
               agent_died agent child call at_exec plan setup) ++
              Enum.flat_map(@ns_types, &["open_ns_" <> &1, "setns_" <> &1]),
            &{&1, String.to_atom(&1)}
          )

  # ---- the API -------------------------------------------------------------

  @doc """
  Spawns a child process via `clone(2)`, optionally into fresh namespaces,
  and parks it at the checkpoint.  Returns `{:ok, session}`.

  Options:

    * `:argv` (required) - a non-empty list of binaries; the first is the
      absolute path of the executable (no `$PATH` lookup);
    * `:namespaces` - `t:namespace/0` atoms to create fresh (default `[]`);
    * `:env` - `"KEY=VALUE"` binaries (default: the BEAM's environment);
    * `:cwd` - the directory the child changes to just before `execve`
      (default: inherited);
    * `:owner` - the pid that receives the events (default: the caller);
    * `:linger` - keep the session after the terminal event (default
      `true`); with `false` it stops with the reason `child_spec/1`
      describes;
    * `:auto_proceed` - proceed at `:ready` without `proceed/1` (default
      `false`);
    * `:stdio` - `:inherit` (default), `:devnull`, `:pty` (the agent
      makes a PTY pair; the workload is a session leader with the slave as
      its controlling terminal on fds 0-2; see `pty_write/2`), or
      `[stdin: d, stdout: d, stderr: d]` with each `d` one of `:inherit`,
      `:devnull`, `{:connect_unix, path}` (a stream socket the agent
      connects to `path`, which must be listening before the spawn);
    * `:no_new_privs` - set `PR_SET_NO_NEW_PRIVS` in the child before
      `execve` (default `false`); `Linx.Seccomp.install/2` sets it
      itself when the child lacks `CAP_SYS_ADMIN`.

  Refused before any system call: `{:error, :argv_required}`,
  `{:error, {:bad_argv, argv}}`, `{:error, {:bad_namespaces, unknown}}`,
  `{:error, {:bad_env, env}}`, `{:error, {:bad_cwd, cwd}}`,
  `{:error, {:bad_owner, owner}}`, `{:error, {:bad_stdio, stdio}}`,
  `{:error, {:bad_linger, v}}`, `{:error, {:bad_auto_proceed, v}}`,
  `{:error, {:bad_no_new_privs, v}}`;
  `{:error, {:agent_unavailable, reason}}` when the agent cannot start.

      iex> Linx.Process.spawn([])
      {:error, :argv_required}
      iex> Linx.Process.spawn(argv: ["/bin/true"], namespaces: [:typo])
      {:error, {:bad_namespaces, [:typo]}}
  """
  @spec spawn(keyword()) :: {:ok, t()} | {:error, term()}
  def spawn(opts) when is_list(opts), do: start(:spawn, nil, opts)
  def spawn(opts), do: {:error, {:bad_options, opts}}

  @doc """
  Runs a new process inside the namespaces of an existing one,
  `target_pid` (a host pid, such as the one `{:linx_process, :ready, pid}`
  carried), with the same checkpoint protocol as `spawn/1`.

  Options: `:argv` (required), `:namespaces` (which of the target's to
  join; default all it has), `:env`, `:cwd`, `:owner`, `:linger`,
  `:auto_proceed`, `:stdio`.  A target that does not exist ends the session
  with `{:linx_process, :error, 2, :open_ns_<type>}` (ENOENT).
  """
  @spec enter(pos_integer(), keyword()) :: {:ok, t()} | {:error, term()}
  def enter(target_pid, opts) when is_integer(target_pid) and target_pid > 0 and is_list(opts),
    do: start(:enter, target_pid, opts)

  def enter(target_pid, opts) when is_list(opts), do: {:error, {:bad_target, target_pid}}
  def enter(_target_pid, opts), do: {:error, {:bad_options, opts}}

  @doc """
  Builds a supervisor child specification that runs `spawn/1` under
  supervision.  `opts` are `spawn/1`'s, plus `:id` (default
  `Linx.Process`), `:restart` (default `:permanent`) and `:shutdown`
  (default 5000).  `linger: false` is forced unless given, so the session
  stops when its workload ends, with the reason:

    * exit 0 -> `:normal`;
    * exit N != 0 -> `{:exited, N}`;
    * killed by a signal -> `{:signaled, signum}`;
    * `abort/1` at the checkpoint -> `{:shutdown, :aborted}`;
    * setup or agent error -> `{:error, %Linx.Process.Error{}}`.

  Pass `auto_proceed: true` for a workload nobody advances by hand.
  """
  @spec child_spec(keyword()) :: Supervisor.child_spec()
  def child_spec(opts) do
    {id, opts} = Keyword.pop(opts, :id, __MODULE__)
    {restart, opts} = Keyword.pop(opts, :restart, :permanent)
    {shutdown, opts} = Keyword.pop(opts, :shutdown, 5000)
    opts = Keyword.put_new(opts, :linger, false)

    %{
      id: id,
      start: {__MODULE__, :spawn, [opts]},
      restart: restart,
      shutdown: shutdown,
      type: :worker
    }
  end

  @doc """
  Advances the child past the checkpoint: it execves the workload.

  `:ok`; `{:error, :not_ready}` before `:ready`; `{:error, :running}` once
  it was released; `{:error, :aborting}` after `abort/1`;
  `{:error, :no_process}` after the terminal event or when the session is
  gone.
  """
  @spec proceed(t()) :: :ok | {:error, term()}
  def proceed(session), do: call(session, :proceed)

  @doc """
  Releases a parked session without running the workload; the owner then
  gets `{:linx_process, :aborted}`.  Before `:ready` the abort is held and
  fires at the checkpoint.  `{:error, :running}` once the child was
  released (use `signal/2`), `{:error, :no_process}` after the terminal
  event.  Fire-and-forget: `wait/2` observes the outcome.
  """
  @spec abort(t()) :: :ok | {:error, :running | :no_process}
  def abort(session), do: call(session, :abort)

  @doc """
  Sends signal `signum` to the workload.  Signals sent before it has
  execve'd are kept by the agent and delivered, in order, when it does.
  `{:error, :no_process}` after the terminal event; `{:error, {:bad_signal,
  signum}}` for a number outside 1..64.  Fire-and-forget.
  """
  @spec signal(t(), pos_integer()) :: :ok | {:error, term()}
  def signal(session, signum), do: call(session, {:signal, signum})

  @doc """
  Waits for the workload's terminal event: `{:ok, {:exited, code}}`,
  `{:ok, {:signaled, signum}}`, `{:ok, :aborted}` or `{:error,
  %Linx.Process.Error{}}`; `{:error, :timeout}` after `timeout` ms (the
  session is not affected); `{:error, :no_process}` when the session is
  gone.  Any number of processes may wait on one session.
  """
  @spec wait(t(), timeout()) ::
          {:ok, {:exited, non_neg_integer()} | {:signaled, pos_integer()} | :aborted}
          | {:error, term()}
  def wait(session, timeout \\ :infinity)

  def wait(session, timeout)
      when timeout == :infinity or (is_integer(timeout) and timeout >= 0) do
    call(session, {:wait, timeout})
  end

  def wait(_session, timeout), do: {:error, {:bad_timeout, timeout}}

  @doc """
  A snapshot of the session's state as a `Linx.Process.Info`; works at
  any point of the lifecycle, including after the terminal event.

      iex> {:ok, c} = Linx.Process.spawn(argv: ["/bin/sleep", "10"])
      iex> {:ok, info} = Linx.Process.info(c)
      iex> info.mode
      :spawn
      iex> info.stage in [:starting, :spawned, :ready]
      true
  """
  @spec info(t()) :: {:ok, Info.t()} | {:error, term()}
  def info(session), do: call(session, :info)

  @doc """
  The workload's pid as the host sees it: `{:ok, host_pid}` once the agent
  reported it (before `:ready`), `{:error, :not_ready}` before.
  """
  @spec host_pid(t()) :: {:ok, pos_integer()} | {:error, :not_ready}
  def host_pid(session), do: call(session, :host_pid)

  @doc """
  Hands the session's events to `new_owner`.  `{:error, :no_process}` when
  the session is gone.  Past events are not replayed: a new owner reads the
  state from `info/1`.
  """
  @spec set_owner(t(), pid()) :: :ok | {:error, :no_process}
  def set_owner(session, new_owner) when is_pid(new_owner),
    do: call(session, {:set_owner, new_owner})

  def set_owner(_session, new_owner), do: {:error, {:bad_owner, new_owner}}

  @doc false
  # set_owner/2 that also answers the previous owner (Linx.Tty.attach/3
  # borrows the events and gives them back).
  @spec swap_owner(t(), pid()) :: {:ok, pid()} | {:error, :no_process}
  def swap_owner(session, new_owner) when is_pid(new_owner),
    do: call(session, {:swap_owner, new_owner})

  @doc """
  `{:ok, session}` if the session was started with `stdio: :pty` (the
  session is the handle: output arrives as `{:linx_process, :pty_out, _}`,
  input goes through `pty_write/2`), `{:error, :no_pty}` otherwise.
  """
  @spec pty_master(t()) :: {:ok, t()} | {:error, term()}
  def pty_master(session) do
    case call(session, :pty?) do
      true -> {:ok, session}
      false -> {:error, :no_pty}
      error -> error
    end
  end

  @doc """
  Writes `bytes` to the workload's PTY (its stdin).  Fire-and-forget: the
  agent queues what the terminal does not take at once, never truncating.
  `{:error, :no_pty}` without a PTY, `{:error, :no_process}` after the end,
  `{:error, {:bad_data, bytes}}` for something that is not iodata.
  """
  @spec pty_write(t(), iodata()) :: :ok | {:error, term()}
  def pty_write(session, bytes) do
    case iodata(bytes) do
      {:ok, bin} -> call(session, {:pty, "pty_write", %{"data" => bin}})
      :error -> {:error, {:bad_data, bytes}}
    end
  end

  @doc """
  Sets the PTY's window size (`TIOCSWINSZ`; the workload gets `SIGWINCH`),
  before `proceed/1` or while it runs.  Takes `{rows, cols, xpixel,
  ypixel}` or any map with those keys, each 0..65535.  Best-effort on the
  agent side.  `{:error, :no_pty}`, `{:error, :no_process}`, `{:error,
  {:bad_winsize, size}}`.
  """
  @spec pty_set_winsize(
          t(),
          {non_neg_integer(), non_neg_integer(), non_neg_integer(), non_neg_integer()}
          | %{
              :rows => non_neg_integer(),
              :cols => non_neg_integer(),
              :xpixel => non_neg_integer(),
              :ypixel => non_neg_integer(),
              optional(any()) => any()
            }
        ) :: :ok | {:error, term()}
  def pty_set_winsize(session, size) do
    case winsize(size) do
      {:ok, fields} -> call(session, {:pty, "winsize", fields})
      :error -> {:error, {:bad_winsize, size}}
    end
  end

  @doc false
  # Runs child-side verb `verb` (caps.drop_bounding, seccomp.install...)
  # inside the child parked at the checkpoint, through the agent's `call`
  # request.  `{:ok, value}`, `{:error, %{"errno" => n, ...}}` (the error
  # map of the `result` event: string keys), or the state refusals
  # `{:error, :not_ready | :running | :aborting | :no_process}`.  A kernel
  # failure in the child also ends the session with its `:error` event.
  @spec checkpoint_call(t(), String.t(), map()) :: {:ok, term()} | {:error, term()}
  def checkpoint_call(session, verb, args) when is_binary(verb) and is_map(args) do
    call(session, {:checkpoint_call, verb, args})
  rescue
    # Not a process reference at all (a number, a string...).
    ArgumentError -> {:error, :no_process}
    FunctionClauseError -> {:error, :no_process}
  end

  defp iodata(bytes) when is_binary(bytes), do: {:ok, bytes}

  defp iodata(bytes) when is_list(bytes) do
    {:ok, IO.iodata_to_binary(bytes)}
  rescue
    ArgumentError -> :error
  end

  defp iodata(_), do: :error

  defp winsize({rows, cols, x, y}), do: winsize(%{rows: rows, cols: cols, xpixel: x, ypixel: y})

  defp winsize(%{rows: rows, cols: cols, xpixel: x, ypixel: y}) do
    fields = %{"rows" => rows, "cols" => cols, "xpixel" => x, "ypixel" => y}

    if Enum.all?(Map.values(fields), &(is_integer(&1) and &1 in 0..65_535)),
      do: {:ok, fields},
      else: :error
  end

  defp winsize(_), do: :error

  defp call(session, msg) do
    GenServer.call(session, msg, :infinity)
  catch
    :exit, _ -> {:error, :no_process}
  end

  # ---- options -------------------------------------------------------------

  defp start(mode, target, opts) do
    with {:ok, req} <- request(mode, target, opts),
         {:ok, owner} <- owner(Keyword.get(opts, :owner, self())),
         {:ok, linger} <- bool(opts, :linger, true),
         {:ok, auto} <- bool(opts, :auto_proceed, false),
         :ok <- Agent.ensure_started() do
      args = %{
        mode: mode,
        pty?: req["stdio"] == "pty",
        owner: owner,
        linger: linger,
        auto_proceed: auto
      }

      # The agent releases the child itself with auto_proceed: no round
      # trip through the session between :ready and the release.
      opened = Agent.prepare(put_if(req, "auto_proceed", if(auto, do: true)))

      # The spawn request goes out from here, once the session process
      # exists but without waiting for it to run: the request does not
      # wait for a process to be scheduled.  The session's own requests
      # all come from calls made after this returns.
      session = :proc_lib.spawn_link(__MODULE__, :enter_session, [args, opened])

      case opened do
        {:ok, prepared} ->
          if Agent.open(prepared, session) != :ok,
            do: send(session, {:linx_agent_died, -1})

        {:error, _} ->
          :ok
      end

      {:ok, session}
    end
  end

  defp request(mode, target, opts) do
    with {:ok, argv} <- argv(Keyword.get(opts, :argv)),
         {:ok, ns} <- namespaces(Keyword.get(opts, :namespaces, [])),
         {:ok, env} <- env(Keyword.get(opts, :env)),
         {:ok, cwd} <- cwd(Keyword.get(opts, :cwd)),
         {:ok, stdio} <- stdio(Keyword.get(opts, :stdio, :inherit)),
         {:ok, nnp} <- bool(opts, :no_new_privs, false) do
      req =
        %{"op" => Atom.to_string(mode), "argv" => argv}
        |> put_if("target", target)
        |> put_if("namespaces", if(ns == [], do: nil, else: ns))
        |> put_if("env", env)
        |> put_if("cwd", cwd)
        |> put_if("stdio", stdio)
        |> put_if("no_new_privs", if(nnp, do: true))

      {:ok, req}
    end
  end

  defp put_if(map, _key, nil), do: map
  defp put_if(map, key, value), do: Map.put(map, key, value)

  defp argv(nil), do: {:error, :argv_required}
  defp argv([]), do: {:error, :argv_required}

  defp argv(argv) when is_list(argv) do
    if Enum.all?(argv, &text?/1) and argv |> hd() |> byte_size() > 0,
      do: {:ok, argv},
      else: {:error, {:bad_argv, argv}}
  end

  defp argv(argv), do: {:error, {:bad_argv, argv}}

  defp text?(s), do: is_binary(s) and not String.contains?(s, <<0>>)

  defp namespaces(list) when is_list(list) do
    case Enum.reject(list, &(&1 in @namespaces)) do
      [] -> {:ok, list |> Enum.uniq() |> Enum.map(&Atom.to_string/1)}
      bad -> {:error, {:bad_namespaces, bad}}
    end
  end

  defp namespaces(other), do: {:error, {:bad_namespaces, other}}

  defp env(nil), do: {:ok, nil}

  defp env(list) when is_list(list) do
    if Enum.all?(list, &(text?(&1) and String.contains?(&1, "="))),
      do: {:ok, list},
      else: {:error, {:bad_env, list}}
  end

  defp env(other), do: {:error, {:bad_env, other}}

  defp cwd(nil), do: {:ok, nil}

  defp cwd(dir) when is_binary(dir) and dir != "",
    do: if(text?(dir), do: {:ok, dir}, else: {:error, {:bad_cwd, dir}})

  defp cwd(other), do: {:error, {:bad_cwd, other}}

  defp stdio(:inherit), do: {:ok, nil}
  defp stdio(:devnull), do: {:ok, "devnull"}
  defp stdio(:pty), do: {:ok, "pty"}

  defp stdio(list) when is_list(list) do
    known =
      Keyword.keyword?(list) and
        Enum.all?(Keyword.keys(list), &(&1 in [:stdin, :stdout, :stderr]))

    fds =
      if known,
        do: Enum.map([:stdin, :stdout, :stderr], &{&1, fd_dir(Keyword.get(list, &1, :inherit))}),
        else: [bad: :error]

    if Enum.any?(fds, fn {_, d} -> d == :error end),
      do: {:error, {:bad_stdio, list}},
      else: {:ok, Map.new(fds, fn {k, d} -> {Atom.to_string(k), d} end)}
  end

  defp stdio(other), do: {:error, {:bad_stdio, other}}

  defp fd_dir(:inherit), do: "inherit"
  defp fd_dir(:devnull), do: "devnull"

  defp fd_dir({:connect_unix, path}) when is_binary(path) and path != "" do
    if text?(path), do: %{"connect_unix" => path}, else: :error
  end

  defp fd_dir(_), do: :error

  defp owner(pid) when is_pid(pid), do: {:ok, pid}
  defp owner(other), do: {:error, {:bad_owner, other}}

  defp bool(opts, key, default) do
    case Keyword.get(opts, key, default) do
      v when is_boolean(v) -> {:ok, v}
      v -> {:error, {:"bad_#{key}", v}}
    end
  end

  # ---- the session ---------------------------------------------------------

  @impl true
  def init(_args), do: {:stop, :not_started_this_way}

  @doc false
  # The session process, spawned linked to the caller of spawn/1 or
  # enter/2, which writes the spawn request (`Agent.open/2`) while this
  # starts.
  def enter_session(args, opened) do
    # Exits of the linked caller arrive as messages; gen_server stops with
    # the caller's reason and terminate/2 kills the workload.  (A caller
    # that dies before this line takes the session along at once; the
    # router then sees the session gone at its first event and kills the
    # workload.)
    Process.flag(:trap_exit, true)

    state = %{
      mode: args.mode,
      owner: args.owner,
      linger: args.linger,
      auto_proceed: args.auto_proceed,
      pty?: args.pty?,
      id: nil,
      port: nil,
      agent: nil,
      stage: :starting,
      host_pid: nil,
      child_pid: nil,
      result: nil,
      proceed_sent: false,
      abort_sent: false,
      waiters: [],
      # checkpoint calls in flight: ref => from, answered in ref order
      calls: %{},
      next_ref: 1
    }

    # start/3 checked that the agent runs; if it died since, the session
    # ends at once with :agent_died (through handle_continue/2, so that the
    # owner gets its events).
    case opened do
      {:ok, {port, agent, id, _bytes}} ->
        Process.monitor(agent)
        :gen_server.enter_loop(__MODULE__, [], %{state | id: id, port: port, agent: agent})

      {:error, %{code: code}} ->
        :gen_server.enter_loop(
          __MODULE__,
          [],
          state,
          {:continue, {:error, code, :malformed_request}}
        )

      {:error, _} ->
        :gen_server.enter_loop(__MODULE__, [], state, {:continue, {:agent_died, -1}})
    end
  end

  @impl true
  def handle_continue({:agent_died, status}, state), do: agent_died(status, state)
  def handle_continue({:error, errno, stage}, state), do: error(state, errno, stage)

  @impl true
  def handle_call(:proceed, _from, state) do
    cond do
      terminal?(state) -> {:reply, {:error, :no_process}, state}
      state.abort_sent -> {:reply, {:error, :aborting}, state}
      state.proceed_sent -> {:reply, {:error, :running}, state}
      state.stage != :ready -> {:reply, {:error, :not_ready}, state}
      true -> {:reply, :ok, do_proceed(state)}
    end
  end

  def handle_call(:abort, _from, state) do
    cond do
      terminal?(state) ->
        {:reply, {:error, :no_process}, state}

      state.proceed_sent ->
        {:reply, {:error, :running}, state}

      state.abort_sent ->
        {:reply, :ok, state}

      true ->
        send_op(state, "abort")
        {:reply, :ok, %{state | abort_sent: true}}
    end
  end

  def handle_call({:signal, signum}, _from, state) do
    cond do
      not (is_integer(signum) and signum in 1..64) ->
        {:reply, {:error, {:bad_signal, signum}}, state}

      terminal?(state) ->
        {:reply, {:error, :no_process}, state}

      true ->
        send_op(state, "signal", %{"signum" => signum})
        {:reply, :ok, state}
    end
  end

  def handle_call({:wait, timeout}, from, state) do
    cond do
      terminal?(state) ->
        {:reply, wait_answer(state.result), state}

      timeout == :infinity ->
        {:noreply, %{state | waiters: [{from, nil} | state.waiters]}}

      true ->
        tref = make_ref()
        Process.send_after(self(), {:wait_timeout, tref}, timeout)
        {:noreply, %{state | waiters: [{from, tref} | state.waiters]}}
    end
  end

  def handle_call(:info, _from, state) do
    info = %Info{
      mode: state.mode,
      stage: state.stage,
      host_pid: state.host_pid,
      child_pid: state.child_pid,
      pty?: state.pty?,
      result: state.result
    }

    {:reply, {:ok, info}, state}
  end

  def handle_call(:host_pid, _from, state) do
    if state.host_pid,
      do: {:reply, {:ok, state.host_pid}, state},
      else: {:reply, {:error, :not_ready}, state}
  end

  def handle_call({:checkpoint_call, verb, args}, from, state) do
    cond do
      terminal?(state) ->
        {:reply, {:error, :no_process}, state}

      state.abort_sent ->
        {:reply, {:error, :aborting}, state}

      state.proceed_sent ->
        {:reply, {:error, :running}, state}

      state.stage != :ready ->
        {:reply, {:error, :not_ready}, state}

      true ->
        ref = state.next_ref
        msg = %{"ref" => ref, "verb" => verb, "args" => args}

        if send_op(state, "call", msg),
          do: {:noreply, %{state | calls: Map.put(state.calls, ref, from), next_ref: ref + 1}},
          else: {:reply, {:error, :no_process}, state}
    end
  end

  def handle_call({:set_owner, pid}, _from, state), do: {:reply, :ok, %{state | owner: pid}}

  def handle_call({:swap_owner, pid}, _from, state),
    do: {:reply, {:ok, state.owner}, %{state | owner: pid}}

  def handle_call(:pty?, _from, state), do: {:reply, state.pty?, state}

  def handle_call({:pty, op, fields}, _from, state) do
    cond do
      not state.pty? ->
        {:reply, {:error, :no_pty}, state}

      terminal?(state) ->
        {:reply, {:error, :no_process}, state}

      true ->
        send_op(state, op, fields)
        {:reply, :ok, state}
    end
  end

  @impl true
  def handle_info({:linx_agent_event, ev}, state) do
    if terminal?(state), do: {:noreply, state}, else: event(ev["ev"], ev, state)
  end

  def handle_info({:linx_agent_died, status}, state), do: agent_died(status, state)

  def handle_info({:DOWN, _ref, :process, pid, _}, %{agent: pid} = state) do
    # The process owning the Port is gone, and with it the agent.
    agent_died(-1, %{state | port: nil})
  end

  def handle_info({:wait_timeout, tref}, state) do
    {timed_out, waiters} = Enum.split_with(state.waiters, fn {_, t} -> t == tref end)
    for {from, _} <- timed_out, do: GenServer.reply(from, {:error, :timeout})
    {:noreply, %{state | waiters: waiters}}
  end

  def handle_info(_msg, state), do: {:noreply, state}

  @impl true
  def terminate(_reason, state) do
    # Ending before the workload: SIGKILL it and wait (bounded) for the
    # agent to reap it, so a supervised restart never overlaps the old one.
    if not terminal?(state) and state.port != nil and send_op(state, "kill") do
      await_end(System.monotonic_time(:millisecond) + 2_000)
    end

    :ok
  end

  defp await_end(deadline) do
    left = max(deadline - System.monotonic_time(:millisecond), 0)

    receive do
      {:linx_agent_event, %{"ev" => ev}} when ev in ["exited", "signaled", "aborted", "error"] ->
        :ok

      {:linx_agent_event, _} ->
        await_end(deadline)

      {:linx_agent_died, _} ->
        :ok
    after
      left -> :ok
    end
  end

  # ---- events --------------------------------------------------------------

  defp event("spawned", ev, state) do
    state = %{state | host_pid: pid_field(ev, "host_pid") || state.host_pid}
    {:noreply, if(state.stage == :starting, do: %{state | stage: :spawned}, else: state)}
  end

  defp event("ready", ev, state) do
    host = pid_field(ev, "host_pid") || state.host_pid
    state = %{state | host_pid: host, child_pid: pid_field(ev, "child_pid"), stage: :ready}
    notify(state, {:linx_process, :ready, host})

    # With auto_proceed the agent has released the child already (an abort
    # sent before :ready wins there, as here).
    if state.auto_proceed and not state.abort_sent,
      do: {:noreply, %{state | proceed_sent: true}},
      else: {:noreply, state}
  end

  defp event("running", _ev, state) do
    notify(state, {:linx_process, :running})
    {:noreply, %{state | stage: :running}}
  end

  defp event("pty_out", %{"data" => data}, state) when is_binary(data) do
    notify(state, {:linx_process, :pty_out, data})
    {:noreply, state}
  end

  defp event("exited", ev, state) do
    code = int_field(ev, "code", 0)
    finish(state, :exited, {:exited, code}, {:linx_process, :exited, code})
  end

  defp event("signaled", ev, state) do
    n = int_field(ev, "signum", 0)
    finish(state, :signaled, {:signaled, n}, {:linx_process, :signaled, n})
  end

  defp event("aborted", _ev, state) do
    finish(state, :aborted, :aborted, {:linx_process, :aborted})
  end

  defp event("error", ev, state) do
    errno = int_field(ev, "errno", 5)
    stage = stage_atom(ev["stage"])
    error(state, errno, stage)
  end

  # A refused spawn/enter (a duplicate id cannot happen; a malformed one is
  # an error event) ends the session; other refusals answer fire-and-forget
  # requests whose preconditions were checked here, and are dropped.
  defp event("reject", %{"op" => op} = ev, state) when op in ["spawn", "enter"] do
    error(state, int_field(ev, "errno", 22), :malformed_request)
  end

  # A result answers the checkpoint call of its ref; one of no pending ref
  # (or malformed) is dropped.
  defp event("result", %{"ref" => ref} = ev, state) when is_integer(ref) do
    case Map.pop(state.calls, ref) do
      {nil, _} ->
        {:noreply, state}

      {from, calls} ->
        answer =
          if Map.has_key?(ev, "errno"),
            do: {:error, Map.drop(ev, ["ev", "id", "ref"])},
            else: {:ok, ev["value"]}

        GenServer.reply(from, answer)
        {:noreply, %{state | calls: calls}}
    end
  end

  # A refused call carries no ref; the agent answers in order, so it is
  # the oldest one in flight.
  defp event("reject", %{"op" => "call"} = ev, state) do
    case Enum.min(Map.keys(state.calls), fn -> nil end) do
      nil ->
        {:noreply, state}

      ref ->
        {from, calls} = Map.pop(state.calls, ref)
        GenServer.reply(from, {:error, reject_reason(ev["reason"])})
        {:noreply, %{state | calls: calls}}
    end
  end

  defp event(_other, _ev, state), do: {:noreply, state}

  defp error(state, errno, stage) do
    finish(
      state,
      :errored,
      {:error, Error.from_agent(errno, stage)},
      {:linx_process, :error, errno, stage}
    )
  end

  defp agent_died(status, state) do
    if terminal?(state),
      do: {:noreply, %{state | port: nil}},
      else: error(%{state | port: nil}, status, :agent_died)
  end

  defp finish(state, stage, result, message) do
    notify(state, message)
    for {from, _} <- state.waiters, do: GenServer.reply(from, wait_answer(result))
    for {_ref, from} <- state.calls, do: GenServer.reply(from, {:error, :no_process})
    state = %{state | stage: stage, result: result, waiters: [], calls: %{}}

    if state.linger,
      do: {:noreply, state},
      else: {:stop, exit_reason(result), state}
  end

  defp exit_reason({:exited, 0}), do: :normal
  defp exit_reason({:exited, n}), do: {:exited, n}
  defp exit_reason({:signaled, n}), do: {:signaled, n}
  defp exit_reason(:aborted), do: {:shutdown, :aborted}
  defp exit_reason({:error, _} = e), do: e

  defp wait_answer({:error, _} = e), do: e
  defp wait_answer(result), do: {:ok, result}

  defp terminal?(state), do: state.stage in @terminal_stages

  defp notify(state, message), do: send(state.owner, message)

  defp do_proceed(state) do
    send_op(state, "proceed")
    %{state | proceed_sent: true}
  end

  defp send_op(state, op, fields \\ %{}) do
    Agent.command(state.port, Map.merge(fields, %{"op" => op, "id" => state.id}))
  end

  defp pid_field(ev, key) do
    case ev[key] do
      n when is_integer(n) and n > 0 -> n
      _ -> nil
    end
  end

  defp int_field(ev, key, default) do
    case ev[key] do
      n when is_integer(n) -> n
      _ -> default
    end
  end

  defp reject_reason("not_ready"), do: :not_ready
  defp reject_reason("running"), do: :running
  defp reject_reason("setup_running"), do: :running
  defp reject_reason(_), do: :no_process

  defp stage_atom(name) when is_binary(name), do: Map.get(@stages, name, :unknown)
  defp stage_atom(_), do: :unknown
end
