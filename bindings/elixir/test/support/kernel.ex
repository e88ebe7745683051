defmodule LinxTest.Kernel do
  @moduledoc false
  # Helpers for the tests that touch the live kernel.
  #
  # Those tests change kernel state only inside namespaces the run created:
  # `mix test` re-executes itself under unshare(1) (mix/test_namespaces.exs)
  # with fresh mount, network, UTS and IPC namespaces and a cgroup2 mount of
  # its own; "another process's namespaces" are helper processes started
  # here in further namespaces.
  #
  # A test that cannot run here is skipped with a reason (the C tests exit
  # 77); LINX_TEST_NO_SKIP=1, set in the VM lane, makes it run and fail
  # instead.

  def no_skip?, do: System.get_env("LINX_TEST_NO_SKIP") in ["1", "true"]

  @doc "A value for @tag/@moduletag :skip - false (run) or the reason."
  def skip_unless(true, _reason), do: false
  def skip_unless(_, reason), do: if(no_skip?(), do: false, else: reason)

  def root? do
    case File.read("/proc/self/status") do
      {:ok, s} -> s =~ ~r/^Uid:\s+0\s/m
      _ -> false
    end
  end

  @doc "True inside the private namespaces `mix test` sets up."
  def private_namespaces?, do: System.get_env("LINX_TEST_NS") == "inside" and root?()

  def plugin?(name), do: Enum.any?(Linx.Verb.plugins(), &(&1.name == name))

  @doc """
  Skip reason for a test module that needs plugin `name` and private
  namespaces (`namespaces: false`: not those), and the programs in
  `tools: [{program, reason}]`, each with the reason given when it is
  missing (the first missing one's).
  """
  def needs(plugin, opts \\ []) do
    cond do
      not plugin?(plugin) ->
        skip_unless(false, "the #{plugin} plugin is not built in this tree")

      Keyword.get(opts, :namespaces, true) and not private_namespaces?() ->
        skip_unless(false, "needs root and the private namespaces `mix test` sets up")

      reason = missing_tool(Keyword.get(opts, :tools, [])) ->
        skip_unless(false, reason)

      true ->
        false
    end
  end

  defp missing_tool(tools) do
    Enum.find_value(tools, fn {tool, reason} -> System.find_executable(tool) == nil && reason end)
  end

  @doc """
  Starts a process in new namespaces (unshare(1) flags) and returns
  `{port, os_pid}` once it is inside them.  The process is `cat` reading
  the port, so it ends when the port closes - when the test process
  exits, or with `stop/1` - and it cannot outlive the VM.
  """
  def spawn_in_ns(flags \\ ["--net", "--uts", "--ipc"]) do
    unshare = System.find_executable("unshare")
    cat = System.find_executable("cat")
    port = Port.open({:spawn_executable, unshare}, [:binary, args: flags ++ ["--", cat]])
    {:os_pid, pid} = Port.info(port, :os_pid)
    wait_until(fn -> File.read("/proc/#{pid}/comm") == {:ok, "cat\n"} end)
    {port, pid}
  end

  @doc "Starts a plain `cat` child (no new namespaces); see spawn_in_ns/1."
  def spawn_plain do
    cat = System.find_executable("cat")
    port = Port.open({:spawn_executable, cat}, [:binary])
    {:os_pid, pid} = Port.info(port, :os_pid)
    {port, pid}
  end

  def stop({port, pid}) do
    # on_exit callbacks run after the test process - the port's owner - has
    # exited, which closes the port on its own: the port can go between any
    # check and the close, so a close that finds it gone is fine
    try do
      Port.close(port)
    rescue
      ArgumentError -> :already_closed
    end

    wait_until(fn -> not File.exists?("/proc/#{pid}") end)
  end

  def wait_until(fun, tries \\ 1000) do
    cond do
      fun.() -> :ok
      tries == 0 -> raise "condition not reached in time"
      true -> Process.sleep(5) && wait_until(fun, tries - 1)
    end
  end

  @doc """
  A file in the temporary directory holding `contents` (iodata), removed
  when the test ends; returns its path.
  """
  def tmp_file!(contents) do
    name = "linx-test-#{System.pid()}-#{System.unique_integer([:positive])}"
    path = Path.join(System.tmp_dir!(), name)
    File.write!(path, contents)
    ExUnit.Callbacks.on_exit(fn -> File.rm(path) end)
    path
  end

  @doc "Runs a command, returning its trimmed stdout (the oracle tools)."
  def sh!(cmd, args) do
    {out, 0} = System.cmd(cmd, args, stderr_to_stdout: true, env: tool_env())
    String.trim(out)
  end

  @doc """
  The environment for the reference tools (ip, nft, ...): without the ASan
  runtime that LINX_NIF_SANITIZE=1 preloads into the VM.  Those tools are
  not ours, and ASan finds faults of their own (iproute2 6.1's
  print_route passes overlapping strncpy ranges).
  """
  def tool_env, do: [{"LD_PRELOAD", nil}]

  # ---- cgroups --------------------------------------------------------------

  @doc "The cgroup2 mount the namespace wrapper made, or nil."
  def cgroup2_root do
    root = System.get_env("LINX_TEST_CGROUP2")
    if root && File.exists?(Path.join(root, "cgroup.controllers")), do: root
  end

  @doc "Controllers offered to children of `dir` (its cgroup.controllers)."
  def controllers(dir) do
    case File.read(Path.join(dir, "cgroup.controllers")) do
      {:ok, text} -> String.split(text)
      _ -> []
    end
  end

  @doc "Skip reason unless the test mount's root offers every controller in `list`."
  def needs_controllers(list) do
    offered = if root = cgroup2_root(), do: controllers(root), else: []
    missing = list -- offered

    skip_unless(
      missing == [],
      "the #{Enum.join(missing, ", ")} controller(s) are not in this machine's cgroup2 " <>
        "hierarchy (they are bound to its v1 hierarchies); the VM lane runs this"
    )
  end

  @doc """
  A fresh, uniquely named cgroup under the test mount, removed (with
  everything below it) when the test ends.  In the VM lane
  (LINX_TEST_NO_SKIP=1) the root's controllers are delegated first, so
  that the limit tests have them; on a shared machine the root is never
  written.
  """
  def cgroup_sandbox do
    root = cgroup2_root() || raise "no cgroup2 mount"

    if no_skip?() do
      for c <- controllers(root) do
        File.write(Path.join(root, "cgroup.subtree_control"), "+" <> c)
      end
    end

    dir = Path.join(root, "linx-elixir-#{System.pid()}-#{System.unique_integer([:positive])}")
    File.mkdir!(dir)
    ExUnit.Callbacks.on_exit(fn -> remove_tree(dir) end)
    dir
  end

  @doc """
  rmdir a cgroup tree bottom-up.  Whatever a failed test left inside is
  thawed and killed first (cgroup.freeze, cgroup.kill): only the tests'
  own helper processes can be there.
  """
  def remove_tree(dir) do
    if File.dir?(dir) do
      for entry <- File.ls!(dir), File.dir?(Path.join(dir, entry)) do
        remove_tree(Path.join(dir, entry))
      end

      File.write(Path.join(dir, "cgroup.freeze"), "0")
      File.write(Path.join(dir, "cgroup.kill"), "1")

      wait_until(
        fn -> :file.del_dir(String.to_charlist(dir)) == :ok or not File.dir?(dir) end,
        400
      )
    end
  end
end
