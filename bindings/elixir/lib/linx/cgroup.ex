defmodule Linx.Cgroup do
  @moduledoc """
  cgroup v2: create cgroups, move processes into them, set their limits,
  read their counters, freeze and thaw them.

  A cgroup v2 hierarchy is a directory tree (normally mounted at
  `/sys/fs/cgroup`): each directory is a cgroup, each file in it an
  interface - knobs to write (`memory.max`, `cpu.max`, `pids.max`),
  counters to read (`memory.current`, `cpu.stat`).  The path is the handle:
  `create/1` returns it and every other function takes it.  Which path,
  which controllers to delegate and how to name things is the caller's
  policy; Linx only provides the operations.  cgroup v1 is not supported.

      {:ok, cg} = Linx.Cgroup.create("/sys/fs/cgroup/myorg/web-42")
      :ok = Linx.Cgroup.set_memory_max(cg, 256 * 1024 * 1024)
      :ok = Linx.Cgroup.add_process(cg, host_pid)

  With `Linx.Process`, the natural moment for `add_process/2` is while the
  child is parked at the checkpoint: it then runs its first instruction
  already inside its limits.

  A controller's files exist in a cgroup only when the parent lists the
  controller in its `cgroup.subtree_control` (`enable_controllers/2`);
  writing a knob whose controller is not enabled fails with `:enoent`.

  Failures are `{:error, %Linx.Cgroup.Error{}}`.  Everything goes through
  the `cgroup` plugin of the Linx core.
  """

  alias Linx.Cgroup.{Error, Stats}

  @typedoc "The absolute path of a cgroup directory: the handle."
  @type cgroup() :: String.t()

  @doc """
  Whether a cgroup v2 hierarchy is mounted at `/sys/fs/cgroup`
  (`/sys/fs/cgroup/cgroup.controllers` exists only there).
  """
  @spec supported?() :: boolean()
  def supported? do
    Linx.Native.call("cgroup.supported", nil) == {:ok, true}
  end

  @doc """
  Creates the cgroup at `path` and returns `{:ok, path}`.

  An existing cgroup is success, so calling it twice is safe; a missing
  parent or no permission is an error.

      Linx.Cgroup.create("/sys/fs/cgroup/myorg/web-42")
      #=> {:ok, "/sys/fs/cgroup/myorg/web-42"}
  """
  @spec create(Path.t()) :: {:ok, cgroup()} | {:error, Error.t()}
  def create(path) do
    with {:ok, p} <- path_arg(path, :create),
         {:ok, created} <- call("cgroup.create", %{"path" => p}, p, :create) do
      {:ok, if(is_binary(created), do: created, else: p)}
    end
  end

  @doc """
  Removes the cgroup at `path`.

  The kernel refuses while processes remain in it:
  `{:error, %Linx.Cgroup.Error{errno: :ebusy}}`.
  """
  @spec destroy(cgroup()) :: :ok | {:error, Error.t()}
  def destroy(path) do
    with {:ok, p} <- path_arg(path, :destroy) do
      ok(call("cgroup.destroy", %{"path" => p}, p, :destroy))
    end
  end

  @doc """
  Moves process `pid` (and so its future children) into `cg`, by writing
  the pid to `<cg>/cgroup.procs`.

  The pid is read in the cgroup namespace of the caller, which is the
  global one unless the BEAM itself runs in a cgroup namespace.
  """
  @spec add_process(cgroup(), pos_integer()) :: :ok | {:error, Error.t()}
  def add_process(cg, pid) do
    with {:ok, p} <- path_arg(cg, :add_process) do
      ok(call("cgroup.add_process", %{"path" => p, "pid" => pid}, p, :add_process))
    end
  end

  @doc """
  Enables `controllers` (`:memory`, `:pids`, `:cpu`, `:io`, `:cpuset`,
  `:rdma`, `:hugetlb`, `:misc`, or any name a newer kernel has) in
  `<cg>/cgroup.subtree_control`, so that `cg`'s children can use them.

  Each controller is written on its own (`+memory`), because the kernel
  rejects a whole `"+a +b"` write when one name is bad; so one refusal
  does not cost the others.  Returns `:ok` when every controller was
  accepted (or the list is empty), else `{:partial, failures}` with a
  `{controller, %Linx.Cgroup.Error{}}` for each one refused - typically
  because the parent does not offer it in its own `cgroup.controllers`.

      Linx.Cgroup.enable_controllers(parent, [:memory, :nosuch])
      #=> {:partial, [{:nosuch, %Linx.Cgroup.Error{errno: :einval, ...}}]}
  """
  @spec enable_controllers(cgroup(), [atom()]) ::
          :ok | {:partial, [{atom(), Error.t()}]}
  def enable_controllers(cg, controllers) do
    control = subtree_control(cg)

    {names, bad} =
      controllers
      |> List.wrap()
      |> Enum.split_with(&(is_atom(&1) or is_binary(&1)))

    bad =
      for c <- bad,
          do: {c, %Error{path: control, operation: :write, errno: :einval, code: einval()}}

    # The plugin reports failures by name; give the caller back the term
    # it passed (never an atom made from the plugin's text).
    by_name = Map.new(Enum.reverse(names), &{to_string(&1), &1})

    failures =
      case path_arg(cg, :write) do
        {:error, error} ->
          for c <- names, do: {c, %Error{error | path: control}}

        {:ok, _} when names == [] ->
          []

        {:ok, p} ->
          case Linx.Native.call("cgroup.enable_controllers", %{
                 "path" => p,
                 "controllers" => Enum.map(names, &to_string/1)
               }) do
            {:ok, rows} when is_list(rows) ->
              for %{"controller" => name} = row <- rows do
                {Map.get(by_name, name, name), failure(row, control)}
              end

            {:error, native} ->
              error = kernel_error(native, control, :write)
              for c <- names, do: {c, error}
          end
      end

    case bad ++ failures do
      [] -> :ok
      all -> {:partial, all}
    end
  end

  defp failure(row, control) do
    code = row["code"]

    %Error{
      path: row["path"] || control,
      operation: operation(row["op"], :write),
      errno: Linx.Errno.name(code),
      code: code
    }
  end

  defp subtree_control(cg) when is_binary(cg), do: Path.join(cg, "cgroup.subtree_control")
  defp subtree_control(cg), do: inspect(cg)

  @doc """
  Freezes every process in `cg` and its descendants (writes `1` to
  `cgroup.freeze`): they stop being scheduled but keep their memory, files
  and sockets.  Needs no controller.
  """
  @spec freeze(cgroup()) :: :ok | {:error, Error.t()}
  def freeze(cg) do
    with {:ok, p} <- path_arg(cg, :write) do
      ok(call("cgroup.freeze", %{"path" => p}, p, :write))
    end
  end

  @doc "Thaws a frozen cgroup (writes `0` to `cgroup.freeze`); a no-op on a thawed one."
  @spec thaw(cgroup()) :: :ok | {:error, Error.t()}
  def thaw(cg) do
    with {:ok, p} <- path_arg(cg, :write) do
      ok(call("cgroup.thaw", %{"path" => p}, p, :write))
    end
  end

  @doc """
  Reads interface file `file` of `cg` (`"memory.current"`), without its
  trailing newline: the way to any field without a typed reader.

      Linx.Cgroup.read(cg, "memory.max")
      #=> {:ok, "max"}
  """
  @spec read(cgroup(), String.t()) :: {:ok, String.t()} | {:error, Error.t()}
  def read(cg, file) do
    with {:ok, p} <- path_arg(cg, :read) do
      call("cgroup.read", %{"path" => p, "file" => file}, Path.join(p, to_text(file)), :read)
    end
  end

  @doc """
  Writes `value` to interface file `file` of `cg`.  `value` is rendered
  with `to_string/1`, so integers, binaries and atoms (`:max`) all work.

      Linx.Cgroup.write(cg, "memory.max", 256 * 1024 * 1024)
      #=> :ok
  """
  @spec write(cgroup(), String.t(), term()) :: :ok | {:error, Error.t()}
  def write(cg, file, value) do
    with {:ok, p} <- path_arg(cg, :write),
         target = Path.join(p, to_text(file)),
         {:ok, v} <- render(value, target) do
      ok(call("cgroup.write", %{"path" => p, "file" => file, "value" => v}, target, :write))
    end
  end

  defp render(v, _) when is_integer(v) or is_binary(v), do: {:ok, v}

  defp render(v, target) do
    {:ok, to_string(v)}
  rescue
    _ -> {:error, %Error{path: target, operation: :write, errno: :einval, code: einval()}}
  end

  @doc """
  Sets `memory.max`: a number of bytes, or `:max` for no limit.  The memory
  controller must be enabled in the parent.
  """
  @spec set_memory_max(cgroup(), non_neg_integer() | :max) :: :ok | {:error, Error.t()}
  def set_memory_max(cg, bytes) do
    setter(cg, "cgroup.set_memory_max", "memory.max", %{"bytes" => limit(bytes)})
  end

  @doc """
  Sets `pids.max`: a number of processes, or `:max` for no limit.  The pids
  controller must be enabled in the parent.
  """
  @spec set_pids_max(cgroup(), non_neg_integer() | :max) :: :ok | {:error, Error.t()}
  def set_pids_max(cg, n) do
    setter(cg, "cgroup.set_pids_max", "pids.max", %{"max" => limit(n)})
  end

  @doc """
  Sets `cpu.max`: `{quota_us, period_us}` lets the cgroup run `quota_us`
  of CPU time per `period_us` of wall time (`{50_000, 100_000}` is half a
  CPU); `:max` removes the limit.  The cpu controller must be enabled in
  the parent.
  """
  @spec set_cpu_max(cgroup(), {pos_integer(), pos_integer()} | :max) ::
          :ok | {:error, Error.t()}
  def set_cpu_max(cg, :max), do: setter(cg, "cgroup.set_cpu_max", "cpu.max", %{"quota" => "max"})

  def set_cpu_max(cg, {quota, period}),
    do:
      setter(cg, "cgroup.set_cpu_max", "cpu.max", %{"quota" => limit(quota), "period" => period})

  def set_cpu_max(cg, _other) do
    with {:ok, p} <- path_arg(cg, :write) do
      {:error,
       %Error{path: Path.join(p, "cpu.max"), operation: :write, errno: :einval, code: einval()}}
    end
  end

  # :max is the kernel's "max"; anything else goes as is and the plugin
  # checks it (a negative number or a string is refused there).
  defp limit(:max), do: "max"
  defp limit(n), do: n

  defp setter(cg, verb, file, args) do
    with {:ok, p} <- path_arg(cg, :write) do
      ok(call(verb, Map.put(args, "path", p), Path.join(p, file), :write))
    end
  end

  @doc """
  Reads `cg`'s counters into a `Linx.Cgroup.Stats`, each field `nil` when
  its file is missing; fails only when the cgroup itself cannot be read.

      {:ok, stats} = Linx.Cgroup.stats(cg)
      #=> {:ok, #Linx.Cgroup.Stats<cpu=12.3s mem=42MiB pids=3>}
  """
  @spec stats(cgroup()) :: {:ok, Stats.t()} | {:error, Error.t()}
  def stats(cg) do
    with {:ok, p} <- path_arg(cg, :stats),
         {:ok, map} <- call("cgroup.stats", %{"path" => p}, p, :stats) do
      {:ok, Stats.from_map(map || %{})}
    end
  end

  # ---- plumbing -------------------------------------------------------------

  # Path.t() allows chardata; anything else is refused here, as the
  # plugin would.
  defp path_arg(path, _op) when is_binary(path), do: {:ok, path}

  defp path_arg(path, op) do
    {:ok, IO.chardata_to_string(path)}
  rescue
    _ -> {:error, %Error{path: inspect(path), operation: op, errno: :einval, code: einval()}}
  end

  defp to_text(file) when is_binary(file), do: file
  defp to_text(file), do: inspect(file)

  defp ok({:ok, _}), do: :ok
  defp ok({:error, _} = error), do: error

  defp call(verb, args, path, op) do
    case Linx.Native.call(verb, args) do
      {:ok, _} = ok -> ok
      {:error, native} -> {:error, kernel_error(native, path, op)}
    end
  end

  defp kernel_error(%{op: op} = native, path, default_op) do
    if op in ["find", "load", "call"] do
      # The cgroup plugin is missing or was refused: a broken
      # installation, not an answer from the kernel.
      raise Linx.Error.from_native(native)
    end

    %Error{
      path: native.object || path,
      operation: operation(op, default_op),
      errno: native.errno,
      code: native.code
    }
  end

  defp operation("create", _), do: :create
  defp operation("destroy", _), do: :destroy
  defp operation("read", _), do: :read
  defp operation("write", _), do: :write
  defp operation("add_process", _), do: :add_process
  defp operation("stats", _), do: :stats
  defp operation(_, default), do: default

  defp einval, do: Linx.Errno.code(:einval)
end
