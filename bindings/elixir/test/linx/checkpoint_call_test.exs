defmodule Linx.CheckpointCallTest do
  # Linx.Process.checkpoint_call/3: a child-side verb carried to the child
  # parked at the checkpoint by the agent's `call` request, answered by
  # the `result` event of its ref.  The session must refuse it outside
  # :ready and survive anything the agent (or anyone) sends it.
  use ExUnit.Case, async: false

  import LinxTest.Checkpoint
  import Bitwise

  alias Linx.Process, as: P

  defp parked! do
    {:ok, c} = P.spawn(argv: ["/bin/sh", "-c", "exit 7"], stdio: :devnull)
    {c, ready!()}
  end

  test "a child-side verb runs in the child and answers with its value" do
    {c, host} = parked!()
    assert {:ok, nil} = P.checkpoint_call(c, "caps.drop_bounding", %{"caps" => ["cap_sys_boot"]})
    # cap_sys_boot is bit 22; the child's status shows it gone.
    assert File.read!("/proc/#{host}/status") |> hex("CapBnd") |> band(1 <<< 22) == 0
    # seccomp.install answers with the step it stages for execve.
    {:ok, f} = Linx.Seccomp.deny_list([:ptrace])

    assert {:ok, %{"at_exec" => %{"verb" => "seccomp.load"}}} =
             P.checkpoint_call(c, "seccomp.install", %{"bpf" => f.bpf})

    assert :ok = P.proceed(c)
    assert {:ok, {:exited, 7}} = P.wait(c, t())
  end

  test "refusals come back as error maps and leave the child parked" do
    {c, _host} = parked!()

    assert {:error, %{"errno" => 1, "stage" => "call"}} =
             P.checkpoint_call(c, "caps.read", %{"pid" => 1})

    assert {:error, %{"errno" => 2}} = P.checkpoint_call(c, "no_such.verb", %{})

    assert {:error, %{"errno" => 22, "param" => "caps"}} =
             P.checkpoint_call(c, "caps.drop_bounding", %{"caps" => ["cap_nope"]})

    assert {:error, %{"param" => "caps"}} = P.checkpoint_call(c, "caps.drop_bounding", %{})

    # Many in a row, each answered by its own ref.
    for _ <- 1..50 do
      assert {:ok, _} = P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []})
    end

    # Concurrent callers.
    tasks =
      for _ <- 1..20,
          do: Task.async(fn -> P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []}) end)

    assert Enum.all?(Task.await_many(tasks, t()), &match?({:ok, _}, &1))

    assert {:ok, %{stage: :ready}} = P.info(c)
    assert :ok = P.proceed(c)
    assert {:ok, {:exited, 7}} = P.wait(c, t())
  end

  test "state refusals" do
    {:ok, c} = P.spawn(argv: ["/bin/sh", "-c", "exit 7"], stdio: :devnull)
    # Usually refused: the child is not parked yet, unless a fast agent
    # reported :ready already (then the call works).
    assert P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []}) in [
             {:error, :not_ready},
             {:ok, nil}
           ]

    ready!()
    assert :ok = P.proceed(c)
    assert {:error, :running} = P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []})
    assert {:ok, {:exited, 7}} = P.wait(c, t())
    assert {:error, :no_process} = P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []})

    {c, _} = parked!()
    assert :ok = P.abort(c)
    assert {:error, :aborting} = P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []})
    assert {:ok, :aborted} = P.wait(c, t())
    GenServer.stop(c)
    assert {:error, :no_process} = P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []})
    assert {:error, :no_process} = P.checkpoint_call(42, "caps.set_ambient", %{"caps" => []})
  end

  test "a kernel failure answers the call, then ends the session" do
    {c, _} = parked!()
    # Ambient raise without the cap in the inheritable set: EPERM.
    assert {:error, %{"errno" => 1}} =
             P.checkpoint_call(c, "caps.set_ambient", %{"caps" => ["cap_kill"]})

    assert_receive {:linx_process, :error, 1, :cap_set_ambient}, t()
    assert {:error, :no_process} = P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []})
  end

  test "malformed or stray results never disturb the session" do
    {c, _} = parked!()

    for ev <- [
          %{"ev" => "result"},
          %{"ev" => "result", "ref" => "1"},
          %{"ev" => "result", "ref" => -1},
          %{"ev" => "result", "ref" => 999_999, "value" => 1},
          %{"ev" => "result", "ref" => 1 <<< 70, "errno" => "x"},
          %{"ev" => "reject", "op" => "call"},
          %{"ev" => "reject", "op" => "call", "reason" => 7},
          %{"ev" => "reject"},
          %{"ev" => 5}
        ] do
      send(c, {:linx_agent_event, ev})
    end

    assert {:ok, %{stage: :ready}} = P.info(c)
    assert {:ok, nil} = P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []})
    assert :ok = P.proceed(c)
    assert {:ok, {:exited, 7}} = P.wait(c, t())
  end

  test "a call in flight when the session ends gets :no_process" do
    {c, _} = parked!()
    # Hold the session so the call and the end are both queued, the end
    # first: the reply must still come.
    :sys.suspend(c)
    task = Task.async(fn -> P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []}) end)
    Process.sleep(50)
    send(c, {:linx_agent_died, 9})
    :sys.resume(c)
    assert Task.await(task, t()) in [{:error, :no_process}, {:ok, nil}]
    assert {:error, %Linx.Process.Error{stage: :agent_died}} = P.wait(c, t())
    GenServer.stop(c)
  end

  test "a pending call is answered :no_process by the terminal event" do
    {c, _} = parked!()
    :sys.suspend(c)
    task = Task.async(fn -> P.checkpoint_call(c, "caps.set_ambient", %{"caps" => []}) end)
    Process.sleep(50)
    :sys.resume(c)
    # The call is now in flight (or answered); a synthetic terminal event
    # must answer anything still pending.
    send(c, {:linx_agent_event, %{"ev" => "aborted", "id" => 0}})
    assert Task.await(task, t()) in [{:error, :no_process}, {:ok, nil}]
    GenServer.stop(c)
  end
end
