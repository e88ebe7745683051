defmodule Linx.UserTest do
  # Linx.User against live user namespaces: each test spawns its own
  # workload with namespaces: [:user] and writes its maps at the
  # checkpoint, then checks /proc/<pid>/uid_map from the outside and what
  # the workload itself sees.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Checkpoint

  alias Linx.Process, as: P
  alias Linx.User
  alias Linx.User.{Error, Map}

  doctest Linx.User
  doctest Linx.User.Map
  doctest Linx.User.Error

  @root_only skip_unless(root?(), "needs root to create user namespaces and write wide maps")

  defp spawn_user!(argv) do
    {:ok, c} = P.spawn(argv: argv, namespaces: [:user], stdio: :pty)
    {c, ready!()}
  end

  test "supported?/0 is true on a kernel with user namespaces" do
    assert User.supported?() == File.exists?("/proc/self/uid_map")
  end

  test "Map inspects by length, as the spec shows" do
    assert inspect(%Map{inside: 0, outside: 1000, length: 1}) == "#Linx.User.Map<0 -> 1000>"

    assert inspect(%Map{inside: 0, outside: 100_000, length: 65_536}) ==
             "#Linx.User.Map<0..65535 -> 100000..165535>"

    assert inspect(%Map{inside: 1, outside: 100_000, length: 65_535}) ==
             "#Linx.User.Map<1..65535 -> 100000..165534>"
  end

  test "the Error message" do
    err = Error.from_posix(:enoent, "/proc/7/gid_map", :read_gid_map)
    assert %Error{code: 2} = err

    assert Exception.message(err) ==
             "user read_gid_map failed on /proc/7/gid_map: enoent (errno 2)"

    assert Error.from_posix(:no_such_errno, "/p", :set_uid_map).code == nil
  end

  test "reading the BEAM's own maps" do
    assert {:ok, [%Map{} | _]} = User.read_uid_map(Elixir.System.pid() |> String.to_integer())
    assert {:ok, [%Map{} | _]} = User.read_gid_map(Elixir.System.pid() |> String.to_integer())
  end

  describe "bad input is an error tuple, before anything is written" do
    test "mappings" do
      for bad <- [
            :x,
            [],
            "0 0 1",
            [{0, 0}],
            [{0, 0, 1, 2}],
            [{-1, 0, 1}],
            [{0, -5, 1}],
            [{0, 0, 0}],
            [{0, 0, :a}],
            [nil]
          ] do
        assert {:error, {:bad_map, _}} = User.set_uid_map(1, bad), inspect(bad)
        assert {:error, {:bad_map, _}} = User.set_gid_map(1, bad), inspect(bad)
      end

      # The offending entry is named.
      assert {:error, {:bad_map, {0, 0, 0}}} = User.set_uid_map(1, [{5, 5, 1}, {0, 0, 0}])
      assert {:error, {:bad_map, {0, 0}}} = User.set_uid_map(1, [{5, 5, 1}, {0, 0}])
      # Overlapping ranges: the kernel's rule, checked by the plugin.
      assert {:error, {:bad_map, _}} = User.set_uid_map(1, [{0, 0, 10}, {5, 100, 1}])
      # More than the kernel's 340 lines.
      many = for i <- 0..340, do: {i, i, 1}
      assert {:error, {:bad_map, _}} = User.set_uid_map(1, many)
    end

    test "pids" do
      for bad <- [0, -1, "1", nil, 1.5, 1_099_511_627_776] do
        assert {:error, {:bad_pid, ^bad}} = User.read_uid_map(bad)
        assert {:error, {:bad_pid, ^bad}} = User.read_gid_map(bad)
        assert {:error, {:bad_pid, ^bad}} = User.deny_setgroups(bad)
        assert {:error, {:bad_pid, ^bad}} = User.set_uid_map(bad, [{0, 0, 1}])

        assert {:error, {:bad_pid, ^bad}} =
                 User.setup_maps(bad, uid: [{0, 0, 1}], gid: [{0, 0, 1}])
      end
    end

    test "setup_maps options" do
      assert {:error, {:bad_map, {:missing, :uid}}} = User.setup_maps(1, gid: [{0, 0, 1}])
      assert {:error, {:bad_map, {:missing, :gid}}} = User.setup_maps(1, uid: [{0, 0, 1}])

      assert {:error, {:bad_setgroups, :allow}} =
               User.setup_maps(1, uid: [{0, 0, 1}], gid: [{0, 0, 1}], setgroups: :allow)

      assert {:error, {:bad_map, :nope}} = User.setup_maps(1, :nope)

      assert {:error, {:bad_map, {0, 0, 0}}} =
               User.setup_maps(1, uid: [{0, 0, 1}], gid: [{0, 0, 0}])
    end
  end

  describe "kernel refusals are %Linx.User.Error{}" do
    test "a pid that is gone" do
      {:ok, c} = P.spawn(argv: ["/bin/true"], stdio: :devnull, auto_proceed: true)
      {:ok, _} = P.wait(c, t())
      {:ok, %{host_pid: gone}} = P.info(c)

      # pids are reused, but not this soon on a host with a 4M pid space;
      # the assertion allows it anyway.
      case User.read_uid_map(gone) do
        {:error, %Error{errno: :enoent, operation: :read_uid_map, path: path, code: 2}} ->
          assert path == "/proc/#{gone}/uid_map"

        {:ok, _} ->
          :reused
      end

      assert {:error, %Error{errno: :enoent, operation: :deny_setgroups}} =
               User.deny_setgroups(999_999_999 |> min(0x7FFFFFFF))
    end

    @tag skip: @root_only
    test "a map is write-once" do
      {c, host} = spawn_user!(["/bin/true"])
      assert :ok = User.set_uid_map(host, [{0, 1000, 1}])

      assert {:error, %Error{errno: :eperm, operation: :set_uid_map, path: path} = e} =
               User.set_uid_map(host, [{0, 1000, 1}])

      assert path == "/proc/#{host}/uid_map"
      assert Exception.message(e) == "user set_uid_map failed on #{path}: eperm (errno 1)"

      # setup_maps stops at the first failing step and says which.
      assert {:error, %Error{errno: :eperm, operation: :set_uid_map}} =
               User.setup_maps(host, uid: [{0, 1000, 1}], gid: [{0, 1000, 1}])

      assert {_, {:linx_process, :exited, 0}} = run!(c)
    end
  end

  # The ids of the BEAM (and so of the agent and its workloads).
  defp my_ids do
    status = File.read!("/proc/self/status")

    {status_field(status, "Uid") |> String.to_integer(),
     status_field(status, "Gid") |> String.to_integer()}
  end

  @tag skip: @root_only
  test "the rootless mapping at the checkpoint, seen from both sides" do
    {my_uid, my_gid} = my_ids()
    {c, host} = spawn_user!(["/bin/sh", "-c", "id -u; id -g; cat /proc/self/uid_map"])

    # Fresh namespace: the maps exist but are empty.
    assert {:ok, []} = User.read_uid_map(host)
    assert {:ok, []} = User.read_gid_map(host)

    # "root inside <-> me outside"
    assert :ok = User.deny_setgroups(host)
    assert :ok = User.deny_setgroups(host)
    assert :ok = User.set_uid_map(host, [{0, my_uid, 1}])
    assert :ok = User.set_gid_map(host, [{0, my_gid, 1}])

    assert {:ok, [%Map{inside: 0, outside: ^my_uid, length: 1}] = maps} = User.read_uid_map(host)
    assert inspect(maps) == "[#Linx.User.Map<0 -> #{my_uid}>]"
    assert {:ok, [%Map{inside: 0, outside: ^my_gid, length: 1}]} = User.read_gid_map(host)

    # From the outside, directly.
    assert File.read!("/proc/#{host}/uid_map") |> String.split() == ~w(0 #{my_uid} 1)
    assert File.read!("/proc/#{host}/gid_map") |> String.split() == ~w(0 #{my_gid} 1)
    assert File.read!("/proc/#{host}/setgroups") =~ "deny"

    {out, term} = run!(c)
    assert term == {:linx_process, :exited, 0}
    assert [uid, gid | map] = String.split(out, "\n", trim: true)
    assert {uid, gid} == {"0", "0"}
    assert map |> Enum.join(" ") |> String.split() == ~w(0 #{my_uid} 1)
  end

  @tag skip: @root_only
  test "an id the map does not cover is the overflow id inside" do
    {c, host} = spawn_user!(["/bin/sh", "-c", "id -u"])
    # Maps uid 0 inside to uid 1000 outside: the workload (really the
    # BEAM's uid outside) has no id inside.
    {my_uid, _} = my_ids()
    assert :ok = User.set_uid_map(host, [{0, my_uid + 1000, 1}])
    assert File.read!("/proc/#{host}/uid_map") |> String.split() == ~w(0 #{my_uid + 1000} 1)
    {out, {:linx_process, :exited, 0}} = run!(c)
    assert String.trim(out) == String.trim(File.read!("/proc/sys/kernel/overflowuid"))
  end

  @tag skip: @root_only
  test "setup_maps: multi-range maps, and the round trip through %Map{}" do
    {c, host} = spawn_user!(["/bin/true"])

    assert :ok =
             User.setup_maps(host,
               uid: [{0, 0, 1}, {1, 100_000, 65_535}],
               gid: [{0, 0, 1}, {1, 100_000, 65_535}]
             )

    assert {:ok, maps} = User.read_uid_map(host)

    assert inspect(maps) ==
             "[#Linx.User.Map<0 -> 0>, #Linx.User.Map<1..65535 -> 100000..165534>]"

    assert {:ok, ^maps} = User.read_gid_map(host)

    # The read side's structs are the write side's tuples.
    {c2, host2} = spawn_user!(["/bin/true"])
    mappings = Enum.map(maps, &{&1.inside, &1.outside, &1.length})
    assert :ok = User.set_uid_map(host2, mappings)
    assert {:ok, ^maps} = User.read_uid_map(host2)
    # %Map{} structs are accepted as they are, too.
    assert :ok = User.deny_setgroups(host2)
    assert :ok = User.set_gid_map(host2, maps)
    assert {:ok, ^maps} = User.read_gid_map(host2)

    assert {_, {:linx_process, :exited, 0}} = run!(c)
    assert {_, {:linx_process, :exited, 0}} = run!(c2)
  end

  @tag skip: @root_only
  test "setup_maps with setgroups: :skip leaves setgroups alone" do
    {c, host} = spawn_user!(["/bin/true"])
    assert :ok = User.setup_maps(host, uid: [{0, 1000, 1}], gid: [{0, 1000, 1}], setgroups: :skip)
    assert File.read!("/proc/#{host}/setgroups") =~ "allow"
    assert {_, {:linx_process, :exited, 0}} = run!(c)
  end
end
