defmodule Linx.CapabilitiesTest do
  # Linx.Capabilities: host-side reads of /proc/<pid>/status, and the
  # checkpoint-bound writes, carried into the parked child by the agent.
  # Every write is checked from the outside (the child's /proc status read
  # while it is parked) and from the workload itself (it prints its own
  # status after execve).
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Checkpoint

  alias Linx.Capabilities, as: Caps
  alias Linx.Capabilities.{Constants, Error, State}
  alias Linx.Process, as: P

  doctest Linx.Capabilities
  doctest Linx.Capabilities.State
  doctest Linx.Capabilities.Error

  @root_only skip_unless(root?(), "needs root: a full capability set to shrink")

  defp spawn_status! do
    {:ok, c} = P.spawn(argv: ["/bin/cat", "/proc/self/status"], stdio: :pty)
    {c, ready!()}
  end

  defp mask(caps), do: Constants.to_mask(caps)

  describe "Constants" do
    test "the table the spec shows" do
      assert MapSet.size(Constants.all()) == 41
      assert Constants.to_bit(:cap_net_admin) == 12
      assert Constants.from_bit(40) == :cap_checkpoint_restore
      assert Constants.from_bit(50) == :unknown
      assert Constants.to_bit(:not_a_cap) == nil

      keep = MapSet.new([:cap_net_bind_service, :cap_setuid])
      assert MapSet.size(MapSet.difference(Constants.all(), keep)) == 39
    end

    test "is the plugin's table, bit for bit" do
      {:ok, names} = Linx.Native.call("caps.names", nil)
      # caps.names lists what the running kernel knows, in bit order.
      assert Enum.map(names, &Constants.from_name/1) ==
               Enum.take(Constants.list(), length(names))

      for {cap, bit} <- Enum.with_index(Constants.list()) do
        assert Constants.to_bit(cap) == bit
        assert Constants.from_bit(bit) == cap
      end

      assert Constants.from_mask(mask([:cap_chown, :cap_bpf])) ==
               MapSet.new([:cap_chown, :cap_bpf])

      assert Constants.from_mask(Bitwise.bsl(1, 55)) == MapSet.new()
    end
  end

  describe "read/1" do
    test ":self matches /proc/self/status" do
      assert {:ok, %State{} = s} = Caps.read(:self)
      status = File.read!("/proc/self/status")
      assert mask(s.bounding) == hex(status, "CapBnd")
      assert mask(s.effective) == hex(status, "CapEff")
      assert mask(s.permitted) == hex(status, "CapPrm")
      assert mask(s.inheritable) == hex(status, "CapInh")
      assert mask(s.ambient) == hex(status, "CapAmb")
      assert Caps.supported?()
    end

    test "errors" do
      assert {:error, %Error{errno: :enoent, code: 2, operation: :read, path: path} = e} =
               Caps.read(1_234_567_890)

      assert path == "/proc/1234567890/status"

      assert Exception.message(e) ==
               "capabilities read failed on /proc/1234567890/status: enoent (errno 2)"

      assert Error.from_posix(:bad_status, "/x", :read).code == nil

      for bad <- [0, -3, "1", nil, :other, 1.0] do
        assert {:error, {:bad_pid, ^bad}} = Caps.read(bad)
      end
    end

    test "State inspects as counts" do
      s = %State{
        effective: MapSet.new([:cap_chown, :cap_kill]),
        permitted: MapSet.new([:cap_chown, :cap_kill]),
        bounding: Constants.all()
      }

      assert inspect(s) == "#Linx.Capabilities.State<eff=2 prm=2 inh=0 bnd=41 amb=0>"
      assert inspect(s, pretty: true, limit: 1000) == inspect(s)
    end
  end

  describe "writes outside the checkpoint" do
    test ":not_ready, :running, :no_process, and the workload still runs" do
      {:ok, c} = P.spawn(argv: ["/bin/sh", "-c", "exit 3"], stdio: :devnull)
      # Asked at once: usually before the child is parked, but a fast
      # agent may have reported :ready already, and then the call works.
      assert Caps.drop_bounding(c, [:cap_sys_admin]) in [{:error, :not_ready}, :ok]
      assert Caps.set_ambient(c, []) in [{:error, :not_ready}, :ok]
      ready!()
      assert :ok = P.proceed(c)
      assert {:error, :running} = Caps.drop_bounding(c, [:cap_sys_admin])

      assert {:error, :running} =
               Caps.set_thread_sets(c, effective: [], permitted: [], inheritable: [])

      assert {:ok, {:exited, 3}} = P.wait(c, t())
      assert {:error, :no_process} = Caps.drop_bounding(c, [:cap_sys_admin])
      assert {:error, :no_process} = Caps.set_ambient(c, [:cap_kill])
    end

    test "after abort, and on a session that is gone" do
      {:ok, c} = P.spawn(argv: ["/bin/true"], stdio: :devnull)
      ready!()
      assert :ok = P.abort(c)
      assert {:error, :no_process} = Caps.drop_bounding(c, [:cap_sys_admin])
      assert {:ok, :aborted} = P.wait(c, t())
      GenServer.stop(c)
      assert {:error, :no_process} = Caps.drop_bounding(c, [:cap_sys_admin])
      assert {:error, :no_process} = Caps.drop_bounding(spawn(fn -> :ok end), [:cap_kill])
    end
  end

  describe "bad arguments, refused before the child" do
    test "leave the child parked" do
      {c, host} = spawn_status!()
      before = File.read!("/proc/#{host}/status") |> hex("CapBnd")

      assert {:error, {:bad_capability, :cap_bogus}} =
               Caps.drop_bounding(c, [:cap_kill, :cap_bogus])

      assert {:error, {:bad_capability, "cap_kill"}} = Caps.drop_bounding(c, ["cap_kill"])
      assert {:error, {:bad_capability, []}} = Caps.drop_bounding(c, [])
      assert {:error, {:bad_capability, :cap_kill}} = Caps.drop_bounding(c, :cap_kill)
      assert {:error, {:bad_capability, 7}} = Caps.set_ambient(c, 7)
      assert {:error, {:bad_capability, nil}} = Caps.set_ambient(c, [nil])

      assert {:error, {:bad_thread_sets, {:missing, :inheritable}}} =
               Caps.set_thread_sets(c, effective: [], permitted: [])

      assert {:error, {:bad_thread_sets, {:missing, :effective}}} = Caps.set_thread_sets(c, [])
      assert {:error, {:bad_thread_sets, :x}} = Caps.set_thread_sets(c, :x)

      assert {:error, {:bad_capability, :cap_nope}} =
               Caps.set_thread_sets(c, effective: [], permitted: [:cap_nope], inheritable: [])

      # The plugin's own refusal of a name also leaves it parked.
      assert {:error, %{"param" => "caps"}} =
               P.checkpoint_call(c, "caps.drop_bounding", %{"caps" => ["cap_nope"]})

      assert File.read!("/proc/#{host}/status") |> hex("CapBnd") == before
      {out, term} = run!(c)
      assert term == {:linx_process, :exited, 0}
      assert hex(out, "CapBnd") == before
    end
  end

  @tag skip: @root_only
  test "drop_bounding, seen from outside at the checkpoint and by the workload" do
    {c, host} = spawn_status!()
    drop = MapSet.new([:cap_sys_admin, :cap_sys_module, :cap_dac_override])
    {:ok, before} = Caps.read(host)

    assert :ok = Caps.drop_bounding(c, drop)
    # Dropping again (a list this time, with a duplicate) is harmless.
    assert :ok = Caps.drop_bounding(c, [:cap_sys_module, :cap_sys_module])

    assert {:ok, %State{bounding: bnd}} = Caps.read(host)
    assert bnd == MapSet.difference(before.bounding, drop)
    assert File.read!("/proc/#{host}/status") |> hex("CapBnd") == mask(bnd)

    {out, {:linx_process, :exited, 0}} = run!(c)
    assert hex(out, "CapBnd") == mask(bnd)
  end

  @tag skip: @root_only
  test "drop-to-minimum: bounding first, then the thread sets" do
    {c, host} = spawn_status!()
    keep = [:cap_net_bind_service]

    # Dropping from the bounding set needs CAP_SETPCAP in the effective
    # set, so it goes before set_thread_sets/2 takes that away.
    assert :ok = Caps.drop_bounding(c, MapSet.difference(Constants.all(), MapSet.new(keep)))
    assert :ok = Caps.set_thread_sets(c, effective: keep, permitted: keep, inheritable: [])

    assert {:ok, %State{} = s} = Caps.read(host)
    assert s.effective == MapSet.new(keep)
    assert s.permitted == MapSet.new(keep)
    assert s.inheritable == MapSet.new()
    assert s.bounding == MapSet.new(keep)
    assert inspect(s) == "#Linx.Capabilities.State<eff=1 prm=1 inh=0 bnd=1 amb=0>"

    {out, {:linx_process, :exited, 0}} = run!(c)
    m = mask(keep)

    assert {hex(out, "CapEff"), hex(out, "CapPrm"), hex(out, "CapBnd"), hex(out, "CapInh")} ==
             {m, m, m, 0}
  end

  @tag skip: @root_only
  test "the other order: without CAP_SETPCAP the bounding drop fails in the child" do
    {c, _host} = spawn_status!()
    keep = [:cap_net_bind_service]
    assert :ok = Caps.set_thread_sets(c, effective: keep, permitted: keep, inheritable: [])
    assert :ok = Caps.drop_bounding(c, MapSet.difference(Constants.all(), MapSet.new(keep)))
    assert {"", {:linx_process, :error, 1, :cap_drop_bounding}} = finish!()
    assert {:error, %Linx.Process.Error{stage: :cap_drop_bounding}} = P.wait(c, t())
  end

  @tag skip: @root_only
  test "set_ambient: raised caps survive execve" do
    {c, host} = spawn_status!()
    keep = MapSet.new([:cap_net_bind_service, :cap_net_raw])
    assert :ok = Caps.set_thread_sets(c, effective: keep, permitted: keep, inheritable: keep)
    assert :ok = Caps.set_ambient(c, keep)
    assert {:ok, %State{ambient: ^keep}} = Caps.read(host)
    # Replaced, not added to.
    assert :ok = Caps.set_ambient(c, [:cap_net_raw])
    assert {:ok, %State{ambient: amb}} = Caps.read(host)
    assert amb == MapSet.new([:cap_net_raw])

    {out, {:linx_process, :exited, 0}} = run!(c)
    assert hex(out, "CapAmb") == mask([:cap_net_raw])
  end

  @tag skip: @root_only
  test "a kernel refusal ends the session with the stage's error event" do
    # Ambient needs the cap in permitted and inheritable: EPERM.
    {c, _host} = spawn_status!()
    assert :ok = Caps.set_thread_sets(c, effective: [], permitted: [:cap_kill], inheritable: [])
    assert :ok = Caps.set_ambient(c, [:cap_kill])
    assert {"", {:linx_process, :error, 1, :cap_set_ambient}} = finish!()
    assert {:error, %Linx.Process.Error{stage: :cap_set_ambient, errno: :eperm}} = P.wait(c, t())
    assert {:error, :no_process} = Caps.set_ambient(c, [])

    # capset cannot add to permitted what is not there.
    {c, _host} = spawn_status!()
    assert :ok = Caps.set_thread_sets(c, effective: [], permitted: [], inheritable: [])
    assert :ok = Caps.set_thread_sets(c, effective: [], permitted: [:cap_kill], inheritable: [])
    assert {"", {:linx_process, :error, 1, :cap_set_thread}} = finish!()
  end
end
