defmodule Linx.Mount do
  @moduledoc """
  Mounts: `mount(2)`, `umount2(2)`, `pivot_root(2)` in any process's mount
  namespace, and the mount table as data.

      :ok = Linx.Mount.mount("tmpfs", "/mnt/scratch", "tmpfs",
              flags: [:nosuid, :nodev], data: "size=64m")
      {:ok, entries} = Linx.Mount.list()

  ## The `:in` option

  Every mutating function takes `:in`, the mount namespace to act in:

    * `:self` (default) - the BEAM's own;
    * `{:pid, n}` - pid `n`'s, whether it is parked at a `Linx.Process`
      checkpoint or running;
    * `{:path, p}` - a namespace file (`/proc/<n>/ns/mnt`).

  The work is done on a throwaway thread that unshares its filesystem
  context and joins the target: the BEAM's own threads never change
  namespace, and its cwd never moves.  A `"proc"` mount `in: {:pid, n}`
  also enters `n`'s pid namespace (from a child forked there), so the new
  `/proc` shows the container's processes.

  ## Paths

  A target is resolved inside the target namespace without following any
  symlink (`openat2(2)` with `RESOLVE_NO_SYMLINKS`): a container's
  filesystem cannot redirect a mount through a link it planted.  Such a
  target fails with `errno: :eloop`.  With `root: dir`, the target is
  also resolved beneath `dir` (`..` or an absolute link cannot leave it:
  `:exdev`).  Sources of `bind/3` and `move/3` follow symlinks (they are
  the caller's own paths).

  `create: true` creates a missing target first, without following
  symlinks: a directory for a filesystem or the bind of a directory (the
  kernel mounts a filesystem only on a directory), an empty file for the
  bind of anything else.

  ## Errors

    * `{:error, %Linx.Mount.Error{}}` - the kernel refused, or the
      namespace could not be reached;
    * `{:error, {:bad_flag, flag}}` - a flag that is not one of the atoms
      below;
    * `{:error, {:bad_in, value}}` - a malformed `:in`.

  Everything here goes through the `mount` plugin of the Linx core
  (docs/mount in the repository).
  """

  alias Linx.Mount.{Entry, Error}

  @typedoc "Target of `list/1`: a pid, or the path of a mountinfo file."
  @type list_target() :: {:pid, pos_integer()} | {:path, Path.t()}

  @typedoc "Whose mount namespace a call acts in."
  @type in_target() :: :self | {:pid, pos_integer()} | {:path, Path.t()}

  @typep bad() :: {:bad_flag, term()} | {:bad_in, term()}

  # The mount(2) flags, by the names the plugin takes.
  @flags ~w(ro nosuid nodev noexec sync remount mandlock dirsync noatime
            nodiratime bind move rec silent private shared slave unbindable
            relatime strictatime lazytime)a
  @umount_flags ~w(force detach expire no_follow)a

  @doc """
  Mounts `source` at `target` with filesystem type `fstype`.

  Options: `:flags` (atoms: `:ro`, `:nosuid`, `:nodev`, `:noexec`,
  `:sync`, `:remount`, `:mandlock`, `:dirsync`, `:noatime`,
  `:nodiratime`, `:bind`, `:move`, `:rec`, `:silent`, `:private`,
  `:shared`, `:slave`, `:unbindable`, `:relatime`, `:strictatime`,
  `:lazytime`), `:data` (filesystem options, default `""`), `:create`
  (default `false`), `:root`, `:in`.  An empty `source`, `fstype` or
  `data` is passed to the kernel as NULL.
  """
  @spec mount(String.t(), String.t(), String.t(), keyword()) ::
          :ok | {:error, Error.t() | bad()}
  def mount(source, target, fstype, opts \\ []) do
    with {:ok, args} <- common(target, opts, [:flags, :data, :create, :root]) do
      args
      |> Map.merge(%{"source" => source, "fstype" => fstype})
      |> run("mount.mount", target, :mount)
    end
  end

  @doc """
  Bind-mounts `source` at `target`.  With `flags: [:rec]` the whole tree
  under `source` comes along; `:ro`, `:nosuid`, `:nodev` and `:noexec` are
  applied by the follow-up remount the kernel needs (a bind ignores them
  on the first call).  Options: `:flags`, `:create`, `:root`, `:in`.
  """
  @spec bind(String.t(), String.t(), keyword()) :: :ok | {:error, Error.t() | bad()}
  def bind(source, target, opts \\ []) do
    with {:ok, args} <- common(target, opts, [:flags, :create, :root]) do
      args
      |> Map.update("flags", [], &List.delete(&1, "bind"))
      |> Map.put("source", source)
      |> run("mount.bind", target, :mount)
    end
  end

  @doc """
  Changes the flags (and `:data`) of the mount at `target`.  Add `:bind`
  to change only a bind mount's own flags:

      :ok = Linx.Mount.remount(target, flags: [:ro, :bind])
  """
  @spec remount(String.t(), keyword()) :: :ok | {:error, Error.t() | bad()}
  def remount(target, opts \\ []) do
    with {:ok, args} <- common(target, opts, [:flags, :data]) do
      run(args, "mount.remount", target, :mount)
    end
  end

  @doc """
  Moves the mount at `source` to `target`.  `:einval` when `source` is
  not a mount point, or its parent is shared.  Options: `:root`, `:in`.
  """
  @spec move(String.t(), String.t(), keyword()) :: :ok | {:error, Error.t() | bad()}
  def move(source, target, opts \\ []) do
    with {:ok, args} <- common(target, opts, [:root]) do
      args |> Map.put("source", source) |> run("mount.move", target, :mount)
    end
  end

  @doc """
  Unmounts `target`.  `:flags`: `:force`, `:detach`, `:expire`,
  `:no_follow` (a target is never followed through a symlink anyway).
  """
  @spec umount(String.t(), keyword()) :: :ok | {:error, Error.t() | bad()}
  def umount(target, opts \\ []) do
    with {:ok, flags} <- umount_flags(Keyword.get(opts, :flags, [])),
         {:ok, args} <- common(target, Keyword.delete(opts, :flags), []) do
      args |> Map.put("flags", flags) |> run("mount.umount", target, :umount)
    end
  end

  @doc """
  Makes `new_root` the root of the mount namespace, the old root going to
  `put_old` (a directory under `new_root`).  It runs on a worker thread of
  its own that unshares its filesystem context and changes into
  `new_root` first, so the BEAM's cwd does not move.

  `:einval` unless `new_root` is a mount point not on the current root's
  mount and neither is shared (pivot_root(2)).  The container ritual:

      :ok = Linx.Mount.bind(rootfs, rootfs, in: {:pid, pid})
      :ok = Linx.Mount.pivot_root(rootfs, Path.join(rootfs, "old_root"), in: {:pid, pid})
      :ok = Linx.Mount.umount("/old_root", flags: [:detach], in: {:pid, pid})
  """
  @spec pivot_root(String.t(), String.t(), keyword()) :: :ok | {:error, Error.t() | bad()}
  def pivot_root(new_root, put_old, opts \\ []) do
    with {:ok, args} <- common(new_root, opts, []) do
      args
      |> Map.delete("target")
      |> Map.merge(%{"new_root" => new_root, "put_old" => put_old})
      |> run("mount.pivot_root", new_root, :pivot_root)
    end
  end

  @doc """
  The BEAM's mount table (`/proc/self/mountinfo`), or `{:error,
  posix_atom}` if it cannot be read.
  """
  @spec list() :: {:ok, [Entry.t()]} | {:error, atom()}
  def list, do: do_list(%{})

  @doc """
  The mount table of pid `n` (`{:pid, n}`, read from
  `/proc/<n>/mountinfo`: no namespace is entered) or in a mountinfo file
  (`{:path, p}`).  `{:error, :enoent}` when the pid is gone, `:eacces`
  when its table may not be read.
  """
  @spec list(list_target()) :: {:ok, [Entry.t()]} | {:error, atom()}
  def list({:pid, n}) when is_integer(n) and n > 0, do: do_list(%{"pid" => n})
  def list({:path, p}) when is_binary(p), do: do_list(%{"path" => p})
  def list(_), do: {:error, :einval}

  defp do_list(args) do
    case Linx.Native.call("mount.list", args) do
      {:ok, rows} -> {:ok, Enum.map(rows, &Entry.from_native/1)}
      {:error, %{errno: errno}} -> {:error, errno}
    end
  end

  # ---- arguments ------------------------------------------------------

  defp common(target, opts, allowed) when is_list(opts) do
    with {:ok, in_arg} <- in_arg(Keyword.get(opts, :in, :self)),
         {:ok, flags} <- flags(Keyword.get(opts, :flags, [])) do
      args = %{"target" => target, "in" => in_arg}
      args = if :flags in allowed, do: Map.put(args, "flags", flags), else: args

      {:ok,
       Enum.reduce([:data, :create, :root], args, fn key, acc ->
         case {key in allowed, Keyword.get(opts, key)} do
           {true, nil} -> acc
           {true, ""} -> acc
           {true, v} -> Map.put(acc, Atom.to_string(key), v)
           _ -> acc
         end
       end)}
    end
  end

  defp common(_target, opts, _allowed), do: {:error, {:bad_in, opts}}

  defp in_arg(:self), do: {:ok, nil}
  defp in_arg({:pid, n}) when is_integer(n) and n > 0, do: {:ok, %{"pid" => n}}
  defp in_arg({:path, p}) when is_binary(p), do: {:ok, %{"path" => p}}
  defp in_arg(other), do: {:error, {:bad_in, other}}

  defp flags(list) when is_list(list) do
    Enum.reduce_while(list, {:ok, []}, fn
      f, {:ok, acc} when f in @flags -> {:cont, {:ok, acc ++ [Atom.to_string(f)]}}
      f, _ -> {:halt, {:error, {:bad_flag, f}}}
    end)
  end

  defp flags(other), do: {:error, {:bad_flag, other}}

  defp umount_flags(list) when is_list(list) do
    Enum.reduce_while(list, {:ok, []}, fn
      f, {:ok, acc} when f in @umount_flags -> {:cont, {:ok, acc ++ [Atom.to_string(f)]}}
      f, _ -> {:halt, {:error, {:bad_flag, f}}}
    end)
  end

  defp umount_flags(other), do: {:error, {:bad_flag, other}}

  # ---- the call and its errors ------------------------------------------

  defp run(args, verb, path, op) do
    args = args |> Enum.reject(fn {_, v} -> is_nil(v) end) |> Map.new()

    case Linx.Native.call(verb, args) do
      {:ok, _} -> :ok
      {:error, native} -> {:error, error(native, path, op)}
    end
  end

  defp error(%{op: "validate", param: "in"}, _path, _op), do: {:bad_in, :invalid}
  defp error(%{op: "validate", param: "flags", object: f}, _path, _op), do: {:bad_flag, f}

  defp error(%{errno: errno} = native, path, default_op) do
    object = Map.get(native, :object)
    path = if is_binary(object) and object != "", do: object, else: path
    Error.from_posix(errno, path, operation(native[:op], default_op))
  end

  # The core's stage names, as the spec's operations.
  defp operation("mount", _), do: :mount
  defp operation("umount", _), do: :umount
  defp operation("pivot_root", _), do: :pivot_root
  defp operation("create", _), do: :create
  defp operation("chdir", _), do: :chdir
  defp operation("unshare", _), do: :unshare
  defp operation("thread", _), do: :thread
  defp operation("fork", _), do: :fork
  defp operation("pipe", _), do: :pipe
  defp operation("open_ns_pid", _), do: :open_pidns
  defp operation("setns_pid", _), do: :setns_pid
  defp operation("open_ns" <> _, _), do: :open_ns
  defp operation("setns" <> _, _), do: :setns
  defp operation(_, default), do: default
end
