defmodule Linx.CgroupTest do
  # The spec's examples for Linx.Cgroup, run against the live kernel.
  #
  # `mix test` runs in a private mount namespace with a cgroup2 hierarchy
  # mounted at /sys/fs/cgroup (mix/test_namespaces.exs); each test works in
  # a uniquely named child cgroup ("the sandbox") that it removes at the
  # end, and never writes the hierarchy's root.  The spec's
  # /sys/fs/cgroup/myorg/web-42 becomes <sandbox>/myorg/web-42.
  #
  # The limit tests need the memory, pids and cpu controllers, which this
  # machine keeps on its cgroup v1 hierarchies: they skip here and run in
  # the VM lane.
  use ExUnit.Case, async: false

  import LinxTest.Kernel

  alias Linx.Cgroup
  import Bitwise
  alias Linx.Cgroup.{Error, Stats}

  @moduletag skip: needs("cgroup")

  doctest Linx.Cgroup.Error
  doctest Linx.Cgroup.Stats

  setup do
    sandbox = cgroup_sandbox()
    %{sandbox: sandbox, web: Path.join([sandbox, "myorg", "web-42"])}
  end

  test "supported?/0 sees the cgroup2 mount" do
    assert Cgroup.supported?() == true
  end

  describe "lifecycle" do
    test "create/1 returns the path and is idempotent", %{sandbox: sandbox, web: web} do
      assert Cgroup.create(Path.join(sandbox, "myorg")) == {:ok, Path.join(sandbox, "myorg")}
      assert Cgroup.create(web) == {:ok, web}
      assert Cgroup.create(web) == {:ok, web}
      assert File.dir?(web)
      assert Cgroup.destroy(web) == :ok
      refute File.exists?(web)
    end

    test "create/1 fails when the parent is missing", %{sandbox: sandbox} do
      path = Path.join([sandbox, "no", "such", "parent"])

      assert {:error, %Error{operation: :create, errno: :enoent, code: 2} = e} =
               Cgroup.create(path)

      assert e.path =~ sandbox
    end

    test "add_process/2, and destroy/1 refusing a populated cgroup", %{sandbox: sandbox, web: web} do
      {:ok, _} = Cgroup.create(Path.join(sandbox, "myorg"))
      {:ok, cg} = Cgroup.create(web)
      {port, pid} = child = spawn_plain()

      assert Cgroup.add_process(cg, pid) == :ok
      # The oracles: the kernel's own lists.
      assert File.read!(Path.join(cg, "cgroup.procs")) |> String.split() == ["#{pid}"]

      assert File.read!("/proc/#{pid}/cgroup") =~
               "0::" <> String.replace_prefix(cg, cgroup2_root(), "")

      assert Cgroup.destroy(cg) ==
               {:error, %Error{path: cg, operation: :destroy, errno: :ebusy, code: 16}}

      stop(child)
      refute Port.info(port)
      wait_until(fn -> Cgroup.destroy(cg) == :ok end)
    end

    test "add_process/2 of a process that does not exist", %{web: web, sandbox: sandbox} do
      {:ok, _} = Cgroup.create(Path.join(sandbox, "myorg"))
      {:ok, cg} = Cgroup.create(web)

      assert {:error, %Error{operation: :add_process, errno: :esrch}} =
               Cgroup.add_process(cg, 999_999_999)
    end
  end

  describe "raw read and write" do
    test "read/2 trims; write/3 renders integers, strings and atoms", %{sandbox: sandbox} do
      {:ok, cg} = Cgroup.create(Path.join(sandbox, "raw"))
      assert Cgroup.write(cg, "cgroup.max.descendants", 5) == :ok
      assert Cgroup.read(cg, "cgroup.max.descendants") == {:ok, "5"}
      assert File.read!(Path.join(cg, "cgroup.max.descendants")) == "5\n"
      assert Cgroup.write(cg, "cgroup.max.descendants", :max) == :ok
      assert Cgroup.read(cg, "cgroup.max.descendants") == {:ok, "max"}
      assert Cgroup.write(cg, "cgroup.max.depth", "3") == :ok
      assert Cgroup.read(cg, "cgroup.max.depth") == {:ok, "3"}
    end

    test "errors name the file", %{sandbox: sandbox} do
      {:ok, cg} = Cgroup.create(Path.join(sandbox, "raw"))
      file = Path.join(cg, "memory.nosuch")

      assert {:error, %Error{operation: :read, errno: :enoent, path: ^file}} =
               Cgroup.read(cg, "memory.nosuch")

      assert {:error, %Error{operation: :write, errno: :einval}} =
               Cgroup.write(cg, "cgroup.max.descendants", "lots")
    end

    @tag skip: needs_controllers(["memory"])
    test "the spec's memory.max example", %{sandbox: sandbox, web: web} do
      {:ok, _} = Cgroup.create(Path.join(sandbox, "myorg"))
      :ok = Cgroup.enable_controllers(sandbox, [:memory])
      :ok = Cgroup.enable_controllers(Path.join(sandbox, "myorg"), [:memory])
      {:ok, cg} = Cgroup.create(web)
      assert Cgroup.write(cg, "memory.max", 256 * 1024 * 1024) == :ok
      assert Cgroup.read(cg, "memory.max") == {:ok, "268435456"}
      assert Cgroup.write(cg, "memory.max", :max) == :ok
      assert Cgroup.read(cg, "memory.max") == {:ok, "max"}
    end
  end

  test "freeze/1 and thaw/1", %{sandbox: sandbox} do
    {:ok, cg} = Cgroup.create(Path.join(sandbox, "frozen"))
    child = {_port, pid} = spawn_plain()
    :ok = Cgroup.add_process(cg, pid)

    on_exit(fn ->
      Cgroup.thaw(cg)
      stop(child)
    end)

    assert Cgroup.freeze(cg) == :ok
    assert Cgroup.read(cg, "cgroup.freeze") == {:ok, "1"}
    # The kernel reports the whole cgroup frozen once every task stopped.
    wait_until(fn -> File.read!(Path.join(cg, "cgroup.events")) =~ "frozen 1" end)

    assert Cgroup.thaw(cg) == :ok
    assert Cgroup.read(cg, "cgroup.freeze") == {:ok, "0"}
    assert Cgroup.thaw(cg) == :ok
    wait_until(fn -> File.read!(Path.join(cg, "cgroup.events")) =~ "frozen 0" end)

    assert {:error, %Error{errno: :enoent}} = Cgroup.freeze(Path.join(sandbox, "nope"))
  end

  describe "limits" do
    setup %{sandbox: sandbox, web: web} do
      offered = controllers(cgroup2_root())
      if offered != [], do: Cgroup.enable_controllers(sandbox, offered)
      {:ok, parent} = Cgroup.create(Path.join(sandbox, "myorg"))
      %{parent: parent, web: web}
    end

    @tag skip: needs_controllers(["memory", "pids", "cpu"])
    test "the typed setters", %{parent: parent, web: web} do
      assert Cgroup.enable_controllers(parent, [:memory, :pids, :cpu]) == :ok
      {:ok, cg} = Cgroup.create(web)

      assert Cgroup.set_memory_max(cg, 256 * 1024 * 1024) == :ok
      assert Cgroup.read(cg, "memory.max") == {:ok, "268435456"}
      assert Cgroup.set_pids_max(cg, 100) == :ok
      assert Cgroup.read(cg, "pids.max") == {:ok, "100"}
      assert Cgroup.set_cpu_max(cg, {50_000, 100_000}) == :ok
      assert Cgroup.read(cg, "cpu.max") == {:ok, "50000 100000"}

      assert Cgroup.set_memory_max(cg, :max) == :ok
      assert Cgroup.read(cg, "memory.max") == {:ok, "max"}
      assert Cgroup.set_pids_max(cg, :max) == :ok
      assert Cgroup.read(cg, "pids.max") == {:ok, "max"}
      assert Cgroup.set_cpu_max(cg, :max) == :ok
      assert Cgroup.read(cg, "cpu.max") |> elem(1) |> String.starts_with?("max ")

      assert {:error, %Error{operation: :write, errno: :einval}} = Cgroup.set_memory_max(cg, -1)
      assert {:error, %Error{operation: :write, errno: :einval}} = Cgroup.set_pids_max(cg, "lots")
    end

    test "a limit whose controller is not enabled is ENOENT", %{web: web} do
      {:ok, cg} = Cgroup.create(web)

      assert {:error, %Error{operation: :write, errno: :enoent, path: path}} =
               Cgroup.set_memory_max(cg, 1024 * 1024)

      assert path == Path.join(cg, "memory.max")
      assert {:error, %Error{errno: :enoent}} = Cgroup.set_pids_max(cg, 10)
      assert {:error, %Error{errno: :enoent}} = Cgroup.set_cpu_max(cg, {50_000, 100_000})
    end

    @tag skip: needs_controllers(["memory"])
    test "enable_controllers/2: one refusal keeps the others", %{parent: parent} do
      assert {:partial, [{:nosuch_controller, %Error{} = e}]} =
               Cgroup.enable_controllers(parent, [:memory, :nosuch_controller])

      assert e.operation == :write
      assert e.errno == :einval and e.code == 22
      assert e.path == Path.join(parent, "cgroup.subtree_control")
      assert Cgroup.read(parent, "cgroup.subtree_control") == {:ok, "memory"}
    end

    test "enable_controllers/2 of what the parent does not offer", %{parent: parent} do
      assert Cgroup.enable_controllers(parent, []) == :ok

      assert {:partial, failures} =
               Cgroup.enable_controllers(parent, [:nosuch_controller, "other"])

      assert [{:nosuch_controller, %Error{}}, {"other", %Error{}}] = failures

      for {_, e} <- failures do
        assert e.operation == :write and e.errno in [:einval, :enoent]
        assert e.path == Path.join(parent, "cgroup.subtree_control")
      end

      assert {:partial, [{{:not, :a, :name}, %Error{errno: :einval}}]} =
               Cgroup.enable_controllers(parent, [{:not, :a, :name}])
    end
  end

  describe "stats" do
    test "counters that exist on every cgroup, nil for the others", %{sandbox: sandbox} do
      {:ok, cg} = Cgroup.create(Path.join(sandbox, "stats"))
      assert {:ok, %Stats{} = s} = Cgroup.stats(cg)

      assert is_integer(s.cpu_usec) and is_integer(s.cpu_user_usec) and
               is_integer(s.cpu_system_usec)

      usage = File.read!(Path.join(cg, "cpu.stat")) |> then(&Regex.run(~r/usage_usec (\d+)/, &1))
      assert s.cpu_usec == String.to_integer(Enum.at(usage, 1))

      if "memory" not in controllers(cg |> Path.dirname()) do
        assert s.memory_current == nil
      end

      assert inspect(s) =~ ~r/^#Linx.Cgroup.Stats<cpu=/
    end

    test "a cgroup that does not exist", %{sandbox: sandbox} do
      path = Path.join(sandbox, "nope")

      assert Cgroup.stats(path) ==
               {:error, %Error{path: path, operation: :stats, errno: :enoent, code: 2}}
    end

    test "inspect" do
      assert inspect(%Stats{cpu_usec: 12_345_678, memory_current: 44_040_192, pids_current: 3}) ==
               "#Linx.Cgroup.Stats<cpu=12.3s mem=42MiB pids=3>"

      assert inspect(%Stats{cpu_usec: 100, pids_current: 3}) ==
               "#Linx.Cgroup.Stats<cpu=100µs pids=3>"

      assert inspect(%Stats{}) == "#Linx.Cgroup.Stats<>"
    end

    test "inspect renders a minute or more as minutes and seconds, an hour with hours" do
      assert inspect(%Stats{cpu_usec: 59_900_000}) == "#Linx.Cgroup.Stats<cpu=59.9s>"
      assert inspect(%Stats{cpu_usec: 60_000_000}) == "#Linx.Cgroup.Stats<cpu=1m0s>"
      assert inspect(%Stats{cpu_usec: 492_300_000}) == "#Linx.Cgroup.Stats<cpu=8m12s>"
      assert inspect(%Stats{cpu_usec: 3_723_000_000}) == "#Linx.Cgroup.Stats<cpu=1h2m3s>"
      assert inspect(%Stats{cpu_usec: 90_000_000_000}) == "#Linx.Cgroup.Stats<cpu=25h0m0s>"
    end
  end

  describe "a cgroup directory that does not exist" do
    # The error names the interface file the call would have used, as it
    # does when the directory exists (Linx 0.2.0).
    test "names the interface file", %{sandbox: sandbox} do
      cg = Path.join(sandbox, "missing")

      enoent = fn file, op ->
        {:error, %Error{path: Path.join(cg, file), operation: op, errno: :enoent, code: 2}}
      end

      assert Cgroup.set_memory_max(cg, 1 <<< 20) == enoent.("memory.max", :write)
      assert Cgroup.set_pids_max(cg, 3) == enoent.("pids.max", :write)

      assert Cgroup.add_process(cg, System.pid() |> String.to_integer()) ==
               enoent.("cgroup.procs", :add_process)

      assert Cgroup.freeze(cg) == enoent.("cgroup.freeze", :write)
      assert Cgroup.thaw(cg) == enoent.("cgroup.freeze", :write)
      assert Cgroup.read(cg, "memory.current") == enoent.("memory.current", :read)
      assert Cgroup.write(cg, "memory.high", 1) == enoent.("memory.high", :write)
    end
  end

  test "the error structs enforce their keys" do
    assert_raise ArgumentError, fn -> struct!(Linx.Cgroup.Error, %{}) end
    assert_raise ArgumentError, fn -> struct!(Linx.Sysctl.Error, %{}) end
  end

  test "bad arguments come back as errors" do
    assert {:error, %Error{errno: :einval, operation: :create}} = Cgroup.create(:nope)
    assert {:error, %Error{errno: :einval}} = Cgroup.add_process("/sys/fs/cgroup/x", -5)
    assert {:error, %Error{errno: :einval}} = Cgroup.read("/sys/fs/cgroup", {:file})
    assert {:error, %Error{errno: :einval}} = Cgroup.write("/sys/fs/cgroup/x", "f", {:v})
    assert {:error, %Error{errno: :einval}} = Cgroup.set_cpu_max("/sys/fs/cgroup/x", 5)
  end

  test "Error message" do
    err = Error.from_posix(:eexist, "/sys/fs/cgroup/x", :create)
    assert Exception.message(err) == "cgroup create failed on /sys/fs/cgroup/x: eexist (errno 17)"
    assert Error.from_posix(:eweird, "/x", :read).code == nil
  end
end
