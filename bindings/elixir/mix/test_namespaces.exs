defmodule LinxMix.TestNamespaces do
  @moduledoc false
  # `mix test` for this project.  Several tests change kernel state (sysctls,
  # hostnames, cgroups), which must never reach the machine the tests run
  # on.  As root, the whole run therefore moves first into fresh mount,
  # network, UTS and IPC namespaces (unshare(1)), where
  # test/support/enter_namespaces.sh mounts a cgroup2 hierarchy of its own
  # at /sys/fs/cgroup, then runs `mix test` again inside.  The BEAM cannot
  # do this itself: unshare(2) needs a single-threaded caller.
  #
  # LINX_TEST_NO_NS=1 runs the tests in place (the kernel tests then skip
  # unless LINX_TEST_NO_SKIP=1); so does a run that is not root.

  @namespaces ["--mount", "--propagation", "private", "--net", "--uts", "--ipc"]

  def run(args) do
    cond do
      System.get_env("LINX_TEST_NS") == "inside" ->
        Mix.Task.run("test", args)

      System.get_env("LINX_TEST_NO_NS") in ["1", "true"] ->
        Mix.Task.run("test", args)

      not root?() ->
        Mix.shell().info("linx: not root, running the tests without private namespaces")
        Mix.Task.run("test", args)

      true ->
        reexec(args)
    end
  end

  defp root? do
    case File.read("/proc/self/status") do
      {:ok, status} -> status =~ ~r/^Uid:\s+0\s/m
      _ -> false
    end
  end

  defp reexec(args) do
    unshare =
      System.find_executable("unshare") || Mix.raise("linx: unshare(1) not found (util-linux)")

    mix = System.find_executable("mix") || Mix.raise("linx: `mix` is not on PATH")
    script = Path.expand("../test/support/enter_namespaces.sh", __DIR__)

    # :nouse_stdio leaves the child the VM's own stdin/stdout/stderr, so
    # the inner run writes straight to the terminal (colours included).
    port =
      Port.open({:spawn_executable, unshare}, [
        :nouse_stdio,
        :exit_status,
        args: @namespaces ++ ["--", "/bin/sh", script, mix, "test" | args],
        env: [{~c"LINX_TEST_NS", ~c"inside"}, {~c"MIX_ENV", ~c"test"}]
      ])

    receive do
      {^port, {:exit_status, 0}} -> :ok
      {^port, {:exit_status, status}} -> exit({:shutdown, status})
    end
  end
end
