defmodule Linx.MountTest do
  # Linx.Mount against the live kernel, inside the private mount namespace
  # `mix test` runs in (mix/test_namespaces.exs): nothing reaches the
  # machine's mounts.  Each test works in a fresh directory under /tmp.
  use ExUnit.Case, async: false

  import LinxTest.Kernel

  alias Linx.Mount
  alias Linx.Mount.{Entry, Error}

  @moduletag skip: needs("mount")

  doctest Linx.Mount.Error
  doctest Linx.Mount.Entry

  setup do
    dir = Path.join(System.tmp_dir!(), "linx-mount-#{System.unique_integer([:positive])}")
    File.mkdir_p!(dir)

    on_exit(fn ->
      # lazily detach whatever a test left, then remove the directory
      {:ok, entries} = Mount.list()

      for e <- Enum.reverse(entries), String.starts_with?(e.mount_point, dir) do
        Mount.umount(e.mount_point, flags: [:detach])
      end

      File.rm_rf(dir)
    end)

    %{dir: dir}
  end

  defp entry(mount_point) do
    {:ok, entries} = Mount.list()
    Enum.find(entries, &(&1.mount_point == mount_point))
  end

  test "mount/4 with flags and data, seen in list/0, then umount/2", %{dir: dir} do
    t = Path.join(dir, "t")
    File.mkdir_p!(t)
    assert Mount.mount("scratch", t, "tmpfs", flags: [:nosuid, :nodev], data: "size=1m") == :ok
    assert %Entry{fstype: "tmpfs", source: "scratch"} = e = entry(t)
    assert e.mount_options =~ "nosuid"
    assert e.mount_options =~ "nodev"
    assert e.super_options =~ "size=1024k"
    assert inspect(e) == "#Linx.Mount.Entry<tmpfs on #{t} (#{e.mount_options})>"
    assert Mount.umount(t) == :ok
    assert entry(t) == nil
    assert {:error, %Error{operation: :umount, errno: :einval, path: ^t}} = Mount.umount(t)
  end

  test "bind/3 read-only, and remount/2", %{dir: dir} do
    src = Path.join(dir, "src")
    dst = Path.join(dir, "dst")
    File.mkdir_p!(src)
    assert Mount.bind(src, dst, flags: [:ro], create: true) == :ok
    assert entry(dst).mount_options =~ ~r/^ro/
    assert Mount.remount(dst, flags: [:bind]) == :ok
    assert entry(dst).mount_options =~ ~r/^rw/
    assert Mount.remount(dst, flags: [:ro, :bind]) == :ok

    assert {:error, %File.Error{reason: :erofs}} =
             File.mkdir(Path.join(dst, "x")) |> to_file_error()
  end

  test "move/3 and pivot_root/3 refusing a non mount point", %{dir: dir} do
    a = Path.join(dir, "a")
    b = Path.join(dir, "b")
    File.mkdir_p!(a)
    File.mkdir_p!(b)
    :ok = Mount.mount("x", a, "tmpfs")
    :ok = Mount.mount("", a, "", flags: [:private])
    assert Mount.move(a, b) == :ok
    assert entry(b).fstype == "tmpfs"
    assert {:error, %Error{operation: :pivot_root}} = Mount.pivot_root(a, Path.join(a, "old"))
  end

  test "a symlink in the target is refused", %{dir: dir} do
    real = Path.join(dir, "real")
    File.mkdir_p!(real)
    File.ln_s!(real, Path.join(dir, "link"))
    target = Path.join([dir, "link", "t"])
    assert {:error, %Error{errno: :eloop}} = Mount.mount("x", target, "tmpfs", create: true)
    refute File.exists?(Path.join(real, "t"))
  end

  test "bad flags and targets are refused before any system call" do
    assert Mount.mount("x", "/mnt", "tmpfs", flags: [:bogus]) == {:error, {:bad_flag, :bogus}}
    assert Mount.mount("x", "/mnt", "tmpfs", flags: ["ro"]) == {:error, {:bad_flag, "ro"}}
    assert Mount.umount("/mnt", flags: [:lazy]) == {:error, {:bad_flag, :lazy}}
    assert Mount.mount("x", "/mnt", "tmpfs", in: {:pid, -1}) == {:error, {:bad_in, {:pid, -1}}}
    assert Mount.bind("/a", "/b", in: :nope) == {:error, {:bad_in, :nope}}
    assert Mount.list({:pid, 999_999_999}) == {:error, :enoent}
  end

  test "in: another process's mount namespace", %{dir: dir} do
    {_port, pid} = helper = spawn_in_ns(["--mount", "--propagation", "private"])
    t = Path.join(dir, "inner")
    assert Mount.mount("x", t, "tmpfs", create: true, in: {:pid, pid}) == :ok
    {:ok, theirs} = Mount.list({:pid, pid})
    assert Enum.any?(theirs, &(&1.mount_point == t))
    assert entry(t) == nil
    assert Mount.umount(t, flags: [:detach], in: {:pid, pid}) == :ok
    {:ok, theirs} = Mount.list({:pid, pid})
    refute Enum.any?(theirs, &(&1.mount_point == t))
    stop(helper)
  end

  defp to_file_error({:error, reason}), do: {:error, %File.Error{reason: reason}}
  defp to_file_error(other), do: other
end
