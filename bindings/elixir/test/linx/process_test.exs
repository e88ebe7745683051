defmodule Linx.ProcessTest do
  # Linx.Process against the real linx-agent.  Workloads are /bin/sh,
  # /bin/sleep, /bin/echo...; the namespace tests need root (they run in the
  # private namespaces `mix test` sets up, and create only namespaces of
  # their own workloads).  Not async: one test kills the shared agent.
  use ExUnit.Case, async: false

  import ExUnit.CaptureLog
  import LinxTest.Kernel

  alias Linx.Process, as: P
  alias Linx.Process.{Agent, Error, Info}

  doctest Linx.Process.Error
  doctest Linx.Process.Info
  doctest Linx.Process

  @root_only skip_unless(root?(), "needs root (CAP_SYS_ADMIN) to create namespaces")

  # How long to wait for the agent or a workload: generous on a loaded
  # host, longer in the VM lane (software emulation makes a process start
  # many times slower).  Waits that expect nothing stay short.
  @t if System.get_env("LINX_TEST_LANE") == "vm", do: 60_000, else: 10_000
  # wait_until/2 polls every 5 ms
  @tries div(@t, 5)

  defp ready!(timeout \\ @t) do
    assert_receive {:linx_process, :ready, host_pid}, timeout
    host_pid
  end

  # The owner messages received until (and including) the terminal one.
  defp lifecycle(acc \\ []) do
    receive do
      {:linx_process, kind, _} = m when kind in [:exited, :signaled] -> Enum.reverse([m | acc])
      {:linx_process, :aborted} = m -> Enum.reverse([m | acc])
      {:linx_process, :error, _, _} = m -> Enum.reverse([m | acc])
      {:linx_process, _} = m -> lifecycle([m | acc])
      {:linx_process, _, _} = m -> lifecycle([m | acc])
    after
      @t -> flunk("no terminal event; got #{inspect(Enum.reverse(acc))}")
    end
  end

  defp gone?(pid) do
    case File.read("/proc/#{pid}/stat") do
      {:error, _} -> true
      # A zombie nobody reaped would still be there: that is a failure.
      {:ok, _} -> false
    end
  end

  # Dead, or a zombie: what a process orphaned by the agent's death (or the
  # BEAM's) is until pid 1 reaps it, which some container inits do only
  # every few seconds.
  defp dead?(pid) do
    case File.read("/proc/#{pid}/status") do
      {:error, _} -> true
      {:ok, status} -> status =~ ~r/^State:\s+Z/m
    end
  end

  defp sh(script, opts \\ []), do: Keyword.merge([argv: ["/bin/sh", "-c", script]], opts)

  defp fd_count, do: length(File.ls!("/proc/self/fd"))

  # ---- the spec's examples ---------------------------------------------------

  test "quick start and the checkpoint: ready, proceed, running, exited in order" do
    {:ok, child} = P.spawn(argv: ["/bin/echo", "hello"], stdio: :devnull)
    host = ready!()
    assert is_integer(host) and host > 0
    assert P.host_pid(child) == {:ok, host}

    assert {:ok, %Info{mode: :spawn, stage: :ready, host_pid: ^host, child_pid: ^host}} =
             P.info(child)

    assert P.proceed(child) == :ok
    assert lifecycle() == [{:linx_process, :running}, {:linx_process, :exited, 0}]
    assert P.wait(child) == {:ok, {:exited, 0}}
    {:ok, info} = P.info(child)
    assert %Info{stage: :exited, result: {:exited, 0}, pty?: false} = info
    assert inspect(info) == "#Linx.Process.Info<spawn :exited(0) host=#{host}>"
    # Terminal: nothing further is accepted, and no message follows.
    assert P.proceed(child) == {:error, :no_process}
    assert P.abort(child) == {:error, :no_process}
    assert P.signal(child, 15) == {:error, :no_process}
    refute_receive {:linx_process, _}, 50
    refute_receive {:linx_process, _, _}, 0
  end

  test "an exit code reaches the owner and wait/1" do
    {:ok, c} = P.spawn(sh("exit 3"))
    ready!()
    :ok = P.proceed(c)
    assert lifecycle() == [{:linx_process, :running}, {:linx_process, :exited, 3}]
    assert P.wait(c, @t) == {:ok, {:exited, 3}}
  end

  test "signal/2 to a running workload" do
    {:ok, child} = P.spawn(argv: ["/bin/sleep", "60"])
    ready!()
    P.proceed(child)
    assert_receive {:linx_process, :running}, @t
    assert P.signal(child, 15) == :ok
    assert_receive {:linx_process, :signaled, 15}, @t
    assert P.wait(child) == {:ok, {:signaled, 15}}
    assert {:ok, %Info{stage: :signaled}} = P.info(child)
  end

  test "signals sent before execve are buffered and delivered at :running" do
    {:ok, child} = P.spawn(argv: ["/bin/sleep", "60"])
    ready!()
    assert P.signal(child, 15) == :ok
    assert P.proceed(child) == :ok
    assert lifecycle() == [{:linx_process, :running}, {:linx_process, :signaled, 15}]
  end

  test "wait/2 with a timeout leaves the session alone; several waiters get one answer" do
    {:ok, child} = P.spawn(argv: ["/bin/sleep", "60"])
    ready!()
    P.proceed(child)
    assert P.wait(child, 100) == {:error, :timeout}
    assert {:ok, %Info{stage: :running}} = P.info(child)
    waiters = for _ <- 1..5, do: Task.async(fn -> P.wait(child) end)
    Process.sleep(20)
    assert P.signal(child, 9) == :ok
    assert Enum.map(waiters, &Task.await/1) == List.duplicate({:ok, {:signaled, 9}}, 5)
    assert P.wait(child) == {:ok, {:signaled, 9}}
    assert P.wait(child, 0) == {:ok, {:signaled, 9}}
  end

  test "abort/1 of a parked session: the child never runs" do
    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"])
    host = ready!()
    assert P.abort(c) == :ok
    assert lifecycle() == [{:linx_process, :aborted}]
    assert P.wait(c) == {:ok, :aborted}
    assert {:ok, %Info{stage: :aborted, result: :aborted}} = P.info(c)
    wait_until(fn -> gone?(host) end, @tries)
    assert P.abort(c) == {:error, :no_process}
    assert P.proceed(c) == {:error, :no_process}
  end

  test "abort/1 before :ready fires at the checkpoint; after proceed it is refused" do
    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"])
    assert P.abort(c) == :ok
    assert P.proceed(c) in [{:error, :aborting}, {:error, :no_process}]
    assert P.wait(c, @t) == {:ok, :aborted}
    # The agent parks the child (:ready) and the held abort then fires.
    assert List.last(lifecycle()) == {:linx_process, :aborted}

    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"])
    ready!()
    :ok = P.proceed(c)
    assert P.abort(c) == {:error, :running}
    assert P.proceed(c) == {:error, :running}
    P.signal(c, 9)
    assert P.wait(c, @t) == {:ok, {:signaled, 9}}
  end

  test "a missing program: ready, then an execve error with its errno" do
    {:ok, child} = P.spawn(argv: ["/this/does/not/exist"])
    ready!()
    P.proceed(child)
    assert lifecycle() == [{:linx_process, :error, 2, :execve}]
    assert {:error, %Error{stage: :execve, errno: :enoent, code: 2} = err} = P.wait(child)
    assert Exception.message(err) == "process execve failed: enoent (errno 2)"
    {:ok, info} = P.info(child)
    assert info.stage == :errored
    assert info.result == {:error, err}
    assert inspect(info) == "#Linx.Process.Info<spawn :errored(execve/2) host=#{info.host_pid}>"
  end

  test "input validation rejects bad options before any system call" do
    assert P.spawn([]) == {:error, :argv_required}
    assert P.spawn(argv: []) == {:error, :argv_required}

    assert P.spawn(argv: ["/bin/true"], namespaces: [:typo]) ==
             {:error, {:bad_namespaces, [:typo]}}

    assert P.spawn(argv: ["/bin/true"], namespaces: :net) == {:error, {:bad_namespaces, :net}}
    assert P.spawn(argv: [~c"/bin/true"]) == {:error, {:bad_argv, [~c"/bin/true"]}}
    assert P.spawn(argv: ["/bin/tr\0ue"]) == {:error, {:bad_argv, ["/bin/tr\0ue"]}}
    assert P.spawn(argv: ["/bin/true"], env: ["NOEQUALS"]) == {:error, {:bad_env, ["NOEQUALS"]}}
    assert P.spawn(argv: ["/bin/true"], cwd: 42) == {:error, {:bad_cwd, 42}}
    assert P.spawn(argv: ["/bin/true"], owner: :me) == {:error, {:bad_owner, :me}}
    assert P.spawn(argv: ["/bin/true"], linger: 1) == {:error, {:bad_linger, 1}}
    assert P.spawn(argv: ["/bin/true"], auto_proceed: :yes) == {:error, {:bad_auto_proceed, :yes}}
    assert P.spawn(argv: ["/bin/true"], stdio: :tty) == {:error, {:bad_stdio, :tty}}

    assert P.spawn(argv: ["/bin/true"], stdio: [stdout: :pty]) ==
             {:error, {:bad_stdio, [stdout: :pty]}}

    assert P.enter(0, argv: ["/bin/true"]) == {:error, {:bad_target, 0}}
    assert P.enter(1, []) == {:error, :argv_required}
    refute_receive {:linx_process, _, _}, 20

    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"])
    assert P.signal(c, 0) == {:error, {:bad_signal, 0}}
    assert P.signal(c, :term) == {:error, {:bad_signal, :term}}
    assert P.wait(c, -1) == {:error, {:bad_timeout, -1}}
    assert P.set_owner(c, :nobody) == {:error, {:bad_owner, :nobody}}
    assert P.abort(c) == :ok
    assert P.wait(c, @t) == {:ok, :aborted}
  end

  test "env and cwd reach the workload; a missing cwd fails at :chdir" do
    script = ~S|case "$(/bin/pwd)/$FOO/${HOME:-unset}" in /tmp/bar/unset) exit 7;; esac; exit 1|
    {:ok, c} = P.spawn(sh(script, env: ["FOO=bar"], cwd: "/tmp", auto_proceed: true))
    assert P.wait(c, @t) == {:ok, {:exited, 7}}

    {:ok, c} = P.spawn(argv: ["/bin/true"], cwd: "/nonexistent/dir", auto_proceed: true)
    assert {:error, %Error{stage: :chdir, errno: :enoent}} = P.wait(c, @t)
    assert_receive {:linx_process, :error, 2, :chdir}, @t
  end

  test "stdio: :devnull and {:connect_unix, path}" do
    {:ok, c} = P.spawn(argv: ["/bin/echo", "this won't be seen"], stdio: :devnull)
    ready!()
    P.proceed(c)
    assert P.wait(c) == {:ok, {:exited, 0}}

    path = Path.join(System.tmp_dir!(), "linx-demo-#{System.unique_integer([:positive])}.sock")
    on_exit(fn -> File.rm(path) end)
    {:ok, listener} = :gen_tcp.listen(0, [{:ifaddr, {:local, path}}, :binary, {:active, false}])

    {:ok, c} =
      P.spawn(
        argv: ["/bin/echo", "hello from a workload"],
        stdio: [stdout: {:connect_unix, path}]
      )

    ready!()
    P.proceed(c)
    {:ok, sock} = :gen_tcp.accept(listener, @t)
    assert :gen_tcp.recv(sock, 0, @t) == {:ok, "hello from a workload\n"}
    assert P.wait(c, @t) == {:ok, {:exited, 0}}
    :gen_tcp.close(sock)
    :gen_tcp.close(listener)
  end

  test "auto_proceed runs the workload without proceed/1" do
    {:ok, c} = P.spawn(argv: ["/bin/true"], auto_proceed: true)

    assert [{:linx_process, :ready, _}, {:linx_process, :running}, {:linx_process, :exited, 0}] =
             lifecycle()

    assert P.wait(c) == {:ok, {:exited, 0}}

    # The agent releases the child itself: by the time :ready is seen here
    # the session counts as proceeded.
    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"], auto_proceed: true)
    ready!()
    assert P.proceed(c) == {:error, :running}
    assert P.abort(c) == {:error, :running}
    assert_receive {:linx_process, :running}, @t
    :ok = P.signal(c, 9)
    assert P.wait(c, @t) == {:ok, {:signaled, 9}}
  end

  test "set_owner/2 hands the events to another process" do
    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"])
    ready!()
    me = self()

    other =
      spawn_link(fn ->
        receive do
          :go -> send(me, {:other_got, lifecycle()})
        end
      end)

    assert P.set_owner(c, other) == :ok
    P.proceed(c)
    send(other, :go)
    Process.sleep(50)
    P.signal(c, 9)

    assert_receive {:other_got, [{:linx_process, :running}, {:linx_process, :signaled, 9}]}, @t
    refute_received {:linx_process, _}
  end

  test "host_pid/1 and info/1 before :ready, pty functions, a gone session" do
    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"])

    case P.host_pid(c) do
      {:error, :not_ready} -> :ok
      {:ok, pid} -> assert is_integer(pid)
    end

    assert {:ok, %Info{stage: stage}} = P.info(c)
    assert stage in [:starting, :spawned, :ready]
    host = ready!()
    assert P.host_pid(c) == {:ok, host}
    assert P.pty_master(c) == {:error, :no_pty}
    assert P.pty_write(c, "x") == {:error, :no_pty}
    assert P.pty_set_winsize(c, {24, 80, 0, 0}) == {:error, :no_pty}
    :ok = GenServer.stop(c)
    assert P.info(c) == {:error, :no_process}
    assert P.wait(c) == {:error, :no_process}
    assert P.proceed(c) == {:error, :no_process}
    assert P.set_owner(c, self()) == {:error, :no_process}
    # Stopping the session SIGKILLed and reaped the parked child.
    wait_until(fn -> gone?(host) end, @tries)
  end

  # ---- PTY mode ----------------------------------------------------------------

  @pty skip_unless(File.exists?("/dev/ptmx"), "no /dev/ptmx here")

  # PTY output until `pattern` has been seen (chunks may split anywhere).
  defp pty_until(pattern, acc \\ "") do
    if acc =~ pattern do
      acc
    else
      receive do
        {:linx_process, :pty_out, b} -> pty_until(pattern, acc <> b)
      after
        @t -> flunk("PTY output so far: #{inspect(acc)}")
      end
    end
  end

  # All PTY output up to the exit event, and the exit status.
  defp pty_until_exit(acc \\ "") do
    receive do
      {:linx_process, :pty_out, b} -> pty_until_exit(acc <> b)
      {:linx_process, :exited, status} -> {acc, status}
    after
      @t -> flunk("no exit; PTY output so far: #{inspect(acc)}")
    end
  end

  @tag skip: @pty
  test "stdio: :pty: output as :pty_out before the terminal event" do
    {:ok, c} = P.spawn(argv: ["/bin/echo", "hi"], stdio: :pty)
    ready!()
    assert P.pty_master(c) == {:ok, c}
    assert {:ok, %Info{pty?: true} = info} = P.info(c)
    assert inspect(info) =~ " pty>"
    P.proceed(c)
    assert_receive {:linx_process, :running}, @t
    # The terminal may hand "hi" and "\r\n" over as separate reads; all of
    # it must arrive before the exit event.
    assert pty_until_exit() == {"hi\r\n", 0}
    assert P.wait(c) == {:ok, {:exited, 0}}
    assert P.pty_write(c, "late") == {:error, :no_process}
  end

  @tag skip: @pty
  test "pty_write/2 and pty_set_winsize/2" do
    {:ok, c} = P.spawn(argv: ["/bin/cat"], stdio: :pty)
    ready!()
    P.proceed(c)
    assert P.pty_write(c, ["hel", ?l, "o\n"]) == :ok
    assert pty_until(~r/hello\r\nhello\r\n/) == "hello\r\nhello\r\n"
    assert P.pty_write(c, {:not, :iodata}) == {:error, {:bad_data, {:not, :iodata}}}

    assert P.pty_set_winsize(c, {70_000, 80, 0, 0}) ==
             {:error, {:bad_winsize, {70_000, 80, 0, 0}}}

    P.signal(c, 9)
    assert P.wait(c) == {:ok, {:signaled, 9}}

    {:ok, c} = P.spawn(sh("stty size", stdio: :pty))
    ready!()
    assert P.pty_set_winsize(c, {24, 80, 0, 0}) == :ok
    P.proceed(c)
    assert pty_until(~r/\n/) == "24 80\r\n"
    assert P.wait(c) == {:ok, {:exited, 0}}

    {:ok, c} = P.spawn(sh("read x; stty size", stdio: :pty))
    ready!()
    P.proceed(c)
    assert P.pty_set_winsize(c, %{rows: 42, cols: 132, xpixel: 0, ypixel: 0, extra: 1}) == :ok
    P.pty_write(c, "go\n")
    assert pty_until(~r/42 132\r\n/) =~ "42 132\r\n"
    assert P.wait(c) == {:ok, {:exited, 0}}
  end

  # ---- namespaces and enter ---------------------------------------------------

  @tag skip: @root_only
  test "fresh namespaces: the child's differ from the BEAM's; pid 1 inside a pid namespace" do
    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"], namespaces: [:net, :uts, :ipc, :pid])
    host = ready!()
    {:ok, info} = P.info(c)
    assert info.child_pid == 1
    assert info.host_pid == host

    for ns <- ["net", "uts", "ipc", "pid"] do
      assert File.read_link!("/proc/#{host}/ns/#{ns}") != File.read_link!("/proc/self/ns/#{ns}")
    end

    assert File.read_link!("/proc/#{host}/ns/mnt") == File.read_link!("/proc/self/ns/mnt")
    assert P.abort(c) == :ok
    assert P.wait(c, @t) == {:ok, :aborted}
  end

  @tag skip: @root_only
  test "enter/2 runs a workload in a running container's namespaces" do
    {:ok, ct} = P.spawn(argv: ["/bin/sleep", "60"], namespaces: [:net])
    target = ready!()
    P.proceed(ct)
    assert_receive {:linx_process, :running}, @t
    net = File.read_link!("/proc/#{target}/ns/net")

    script = "[ \"$(readlink /proc/self/ns/net)\" = \"#{net}\" ] && exit 4; exit 1"
    {:ok, probe} = P.enter(target, sh(script, namespaces: [:net]))
    ready!()
    assert {:ok, %Info{mode: :enter, stage: :ready}} = P.info(probe)
    P.proceed(probe)
    assert P.wait(probe, @t) == {:ok, {:exited, 4}}

    {:ok, bogus} = P.enter(99_999_999, argv: ["/bin/true"])
    assert {:error, %Error{errno: :enoent, stage: stage}} = P.wait(bogus, @t)
    assert "open_ns_" <> _ = Atom.to_string(stage)

    P.signal(ct, 9)
    assert P.wait(ct, @t) == {:ok, {:signaled, 9}}
  end

  # ---- supervision ------------------------------------------------------------

  test "child_spec/1: linger false, exit reasons and :transient restarts" do
    spec = P.child_spec(argv: ["/bin/true"], id: :t, restart: :transient)
    assert %{id: :t, restart: :transient, shutdown: 5000, start: {P, :spawn, [opts]}} = spec
    assert opts[:linger] == false
    assert P.child_spec(argv: ["/bin/true"]).id == Linx.Process

    # exit 0 -> :normal: not restarted.
    {:ok, sup} =
      Supervisor.start_link(
        [{P, argv: ["/bin/true"], owner: self(), auto_proceed: true, restart: :transient}],
        strategy: :one_for_one
      )

    assert [_, _, {:linx_process, :exited, 0}] = lifecycle()
    refute_receive {:linx_process, :ready, _}, 200
    Supervisor.stop(sup)

    # exit 3 -> {:exited, 3}: restarted.
    log =
      capture_log(fn ->
        {:ok, sup} =
          Supervisor.start_link(
            [{P, sh("exit 3", owner: self(), auto_proceed: true, restart: :transient)}],
            strategy: :one_for_one,
            max_restarts: 10
          )

        assert [_, _, {:linx_process, :exited, 3}] = lifecycle()
        assert [_, _, {:linx_process, :exited, 3}] = lifecycle()
        Supervisor.stop(sup)
      end)

    assert log =~ "{:exited, 3}"

    # A graceful shutdown kills and reaps a running workload.
    {:ok, sup} =
      Supervisor.start_link([{P, argv: ["/bin/sleep", "60"], owner: self(), auto_proceed: true}],
        strategy: :one_for_one
      )

    host = ready!()
    assert_receive {:linx_process, :running}, @t
    Supervisor.stop(sup)
    assert gone?(host)
  end

  test "linger: false stops the session with the outcome as its reason" do
    Process.flag(:trap_exit, true)

    {:ok, c} = P.spawn(sh("exit 5", linger: false, auto_proceed: true))
    capture_log(fn -> assert_receive {:EXIT, ^c, {:exited, 5}}, @t end)

    {:ok, c} = P.spawn(argv: ["/bin/true"], linger: false, auto_proceed: true)
    assert_receive {:EXIT, ^c, :normal}, @t

    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"], linger: false)
    ready!()
    P.abort(c)
    assert_receive {:EXIT, ^c, {:shutdown, :aborted}}, @t

    {:ok, c} = P.spawn(argv: ["/nope"], linger: false, auto_proceed: true)

    capture_log(fn ->
      assert_receive {:EXIT, ^c, {:error, %Error{stage: :execve}}}, @t
    end)
  end

  # ---- owners, crashes, the agent -------------------------------------------

  test "owner death: the caller's session ends and its workload is killed" do
    me = self()

    caller =
      spawn(fn ->
        {:ok, c} = P.spawn(argv: ["/bin/sleep", "1000"])
        host = ready!()
        :ok = P.proceed(c)
        assert_receive {:linx_process, :running}, @t
        send(me, {:started, c, host})
        Process.sleep(:infinity)
      end)

    assert_receive {:started, session, host}, @t
    ref = Process.monitor(session)

    capture_log(fn ->
      Process.exit(caller, :kill)
      assert_receive {:DOWN, ^ref, :process, ^session, :killed}, @t
    end)

    wait_until(fn -> gone?(host) end, @tries)

    # A session killed brutally (no terminate/2): the agent router kills
    # the workload.
    {:ok, c} = P.spawn(argv: ["/bin/sleep", "1000"], auto_proceed: true)
    host = ready!()
    assert_receive {:linx_process, :running}, @t
    Process.unlink(c)
    Process.exit(c, :kill)
    wait_until(fn -> gone?(host) end, @tries)

    # A caller that ends normally takes its sessions along too.
    task =
      Task.async(fn ->
        {:ok, c} = P.spawn(argv: ["/bin/sleep", "1000"])
        {c, ready!()}
      end)

    {c, host} = Task.await(task)
    wait_until(fn -> not Process.alive?(c) end, @tries)
    wait_until(fn -> gone?(host) end, @tries)
  end

  # Every session is parked at the checkpoint before any is released, so
  # the agent holds up to 1,000 children at once; each of the 50 callers
  # then releases and reaps its own in order.
  @tag timeout: 10 * 60_000
  test "1,000 sessions from 50 processes; no fd, port, process, atom or session leak" do
    # Warm up: the agent's Port exists before the counts.
    {:ok, c} = P.spawn(argv: ["/bin/true"], auto_proceed: true)
    {:ok, {:exited, 0}} = P.wait(c)
    GenServer.stop(c)
    fds = fd_count()
    ports = length(Port.list())
    atoms = :erlang.system_info(:atom_count)
    procs = length(Process.list())
    per = 20

    results =
      1..50
      |> Enum.map(fn i ->
        Task.async(fn ->
          for j <- 1..per do
            code = rem(i * per + j, 256)
            {:ok, c} = P.spawn(sh("exit #{code}"))
            {c, code}
          end
          |> Enum.map(fn {c, code} ->
            receive do
              {:linx_process, :ready, _} -> :ok
            after
              6 * @t -> flunk("no :ready")
            end

            :ok = P.proceed(c)
            result = P.wait(c, 6 * @t)
            GenServer.stop(c)
            {result, code}
          end)
        end)
      end)
      |> Enum.flat_map(&Task.await(&1, :infinity))

    assert length(results) == 1000
    for {result, code} <- results, do: assert(result == {:ok, {:exited, code}})
    assert fd_count() == fds
    assert length(Port.list()) == ports
    assert %{sessions: sessions} = :sys.get_state(Agent)
    assert sessions == %{}
    # Only the Port is left in the route table.
    assert [{:port, _, _}] = :ets.tab2list(Linx.Process.Agent.Routes)
    # No atom from agent input (the events carried 256 distinct codes and
    # 1,000 ids); the session processes and tasks are all gone.
    assert :erlang.system_info(:atom_count) == atoms
    wait_until(fn -> length(Process.list()) == procs end, @tries)
  end

  test "a malformed event or a bogus frame disturbs no session" do
    {:ok, c} = P.spawn(argv: ["/bin/sleep", "60"])
    ready!()
    agent = Process.whereis(Agent)
    %{port: port} = :sys.get_state(Agent)

    {:ok, bogus_id} = Linx.Native.encode(%{"ev" => "exited", "id" => 123_456_789, "code" => 1})
    {:ok, no_id} = Linx.Native.encode(%{"ev" => "ready"})
    {:ok, not_map} = Linx.Native.encode([1, 2, 3])

    log =
      capture_log(fn ->
        for frame <- [<<0xFF, 0, 1>>, <<8, 5>>, "", bogus_id, no_id, not_map],
            do: send(agent, {port, {:data, frame}})

        # And a request the agent cannot decode: it answers with a reject.
        Port.command(port, <<0x09, 1, 2>>)
        _ = :sys.get_state(Agent)
        Process.sleep(50)
      end)

    assert log =~ "undecodable"
    assert Process.whereis(Agent) == agent
    assert {:ok, %Info{stage: :ready}} = P.info(c)
    P.proceed(c)
    P.signal(c, 9)
    assert P.wait(c, @t) == {:ok, {:signaled, 9}}
  end

  test "the codec NIFs: round trips, refusals, dirty-scheduler sizes" do
    alias LinxTest.Gen
    roundtrip = fn v -> Linx.Native.decode(elem(Linx.Native.encode(v), 1)) == {:ok, v} end
    assert Gen.quickcheck(Gen.value(), 1000, roundtrip) == true

    anything = fn t ->
      case Linx.Native.encode(t) do
        {:ok, bytes} -> match?({:ok, _}, Linx.Native.decode(bytes))
        {:error, %{errno: errno}} -> errno in [:einval, :eloop, :e2big]
      end
    end

    assert Gen.quickcheck(Gen.term(), 1000, anything) == true

    assert {:error, %{op: "encode", errno: :einval}} =
             Linx.Native.encode(elem(Linx.Native.call("nif_test.handle.new", %{"tag" => "x"}), 1))

    big = %{"data" => :binary.copy(<<0xFF>>, 200_000), "list" => Enum.to_list(1..10_000)}
    {:ok, bytes} = Linx.Native.encode(big)
    assert byte_size(bytes) > 200_000
    assert Linx.Native.decode(bytes) == {:ok, big}
  end

  test "decode/1 never crashes on garbage and makes no atoms" do
    atoms = :erlang.system_info(:atom_count)

    for n <- 0..2_000 do
      bytes = :rand.bytes(rem(n, 64))
      assert {tag, _} = Linx.Native.decode(bytes)
      assert tag in [:ok, :error]
    end

    {:ok, good} =
      Linx.Native.encode(%{"ev" => "x", "k#{:rand.uniform(1_000_000)}" => [1, "a", <<255>>]})

    for cut <- 0..(byte_size(good) - 1) do
      assert {:error, %{errno: :ebadmsg}} = Linx.Native.decode(binary_part(good, 0, cut))
    end

    keys = for i <- 1..500, into: %{}, do: {"linx_no_such_atom_#{i}", i}
    {:ok, bytes} = Linx.Native.encode(keys)
    assert Linx.Native.decode(bytes) == {:ok, keys}
    assert :erlang.system_info(:atom_count) == atoms
  end

  test "the agent dying ends every live session with :agent_died; the next spawn starts a new one" do
    {:ok, a} = P.spawn(argv: ["/bin/sleep", "60"])
    host_a = ready!()
    {:ok, b} = P.spawn(argv: ["/bin/sleep", "60"], auto_proceed: true)
    host_b = ready!()
    assert_receive {:linx_process, :running}, @t
    old = Agent.os_pid()
    assert is_integer(old)
    {_, 0} = System.cmd("kill", ["-KILL", Integer.to_string(old)])

    assert_receive {:linx_process, :error, 137, :agent_died}, @t
    assert_receive {:linx_process, :error, 137, :agent_died}, @t

    for s <- [a, b] do
      assert {:error, %Error{stage: :agent_died, errno: :unknown, code: 137} = e} = P.wait(s, @t)

      assert Exception.message(e) == "process agent died (exit status 137)"
    end

    # The children die with their parent (PR_SET_PDEATHSIG).
    wait_until(fn -> dead?(host_a) and dead?(host_b) end, @tries)

    {:ok, c} = P.spawn(argv: ["/bin/true"], auto_proceed: true)
    assert P.wait(c, @t) == {:ok, {:exited, 0}}
    assert Agent.os_pid() not in [nil, old]
  end

  test "workloads do not outlive a SIGKILLed BEAM" do
    elixir = System.find_executable("elixir")
    marker = "1000.#{System.unique_integer([:positive])}"

    script = """
    {:ok, _} = Application.ensure_all_started(:linx)
    {:ok, c} = Linx.Process.spawn(argv: ["/bin/sleep", "#{marker}"], auto_proceed: true)
    receive do {:linx_process, :running} -> :ok end
    {:ok, host} = Linx.Process.host_pid(c)
    IO.puts("PIDS \#{System.pid()} \#{host} \#{Linx.Process.Agent.os_pid()}")
    Process.sleep(:infinity)
    """

    port =
      Port.open({:spawn_executable, elixir}, [
        :binary,
        :exit_status,
        {:line, 256},
        args: ["-pa", Application.app_dir(:linx, "ebin"), "-e", script]
      ])

    [beam, host, agent] =
      receive do
        {^port, {:data, {:eol, "PIDS " <> pids}}} -> String.split(pids)
      after
        20_000 -> flunk("the child BEAM did not start its workload")
      end

    assert File.read!("/proc/#{host}/cmdline") =~ marker
    {_, 0} = System.cmd("kill", ["-KILL", beam])
    assert_receive {^port, {:exit_status, _}}, @t
    # The agent sees its control channel close: SIGTERM, then it exits.
    wait_until(fn -> dead?(host) and dead?(agent) end, @tries)

    # No process left with the marker in its command line.
    survivors =
      for pid <- File.ls!("/proc"),
          match?({_, ""}, Integer.parse(pid)),
          {:ok, cmdline} <- [File.read("/proc/#{pid}/cmdline")],
          cmdline =~ marker,
          do: pid

    assert survivors == []
  end
end
