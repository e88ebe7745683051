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
  #
  # LINX_NIF_SANITIZE=1 builds the NIF with ASan and UBSan (see
  # mix/linx_c.exs); the VM then needs the ASan runtime preloaded, so the
  # run is re-executed with LD_PRELOAD set, and with leak detection off: the
  # VM does not free everything at exit (the tests watch memory instead).

  @namespaces ["--mount", "--propagation", "private", "--net", "--uts", "--ipc"]

  def run(args) do
    namespaces? = root?() and System.get_env("LINX_TEST_NO_NS") not in ["1", "true"]
    preload? = sanitize?() and not asan_loaded?()

    cond do
      System.get_env("LINX_TEST_NS") in ["inside", "reexec"] ->
        Mix.Task.run("test", args)

      namespaces? or preload? ->
        reexec(args, namespaces?)

      true ->
        unless root?() do
          Mix.shell().info("linx: not root, running the tests without private namespaces")
        end

        Mix.Task.run("test", args)
    end
  end

  defp sanitize?, do: System.get_env("LINX_NIF_SANITIZE") in ["1", "true"]

  defp asan_loaded? do
    case File.read("/proc/self/maps") do
      {:ok, maps} -> maps =~ "libasan"
      _ -> false
    end
  end

  defp root? do
    case File.read("/proc/self/status") do
      {:ok, status} -> status =~ ~r/^Uid:\s+0\s/m
      _ -> false
    end
  end

  defp reexec(args, namespaces?) do
    mix = System.find_executable("mix") || Mix.raise("linx: `mix` is not on PATH")

    {prog, argv, state} =
      if namespaces? do
        unshare =
          System.find_executable("unshare") ||
            Mix.raise("linx: unshare(1) not found (util-linux)")

        script = Path.expand("../test/support/enter_namespaces.sh", __DIR__)
        {unshare, @namespaces ++ ["--", "/bin/sh", script, mix, "test" | args], "inside"}
      else
        {mix, ["test" | args], "reexec"}
      end

    env = [{"LINX_TEST_NS", state}, {"MIX_ENV", "test"}] ++ sanitizer_env()

    # :nouse_stdio leaves the child the VM's own stdin/stdout/stderr, so
    # the inner run writes straight to the terminal (colours included).
    port =
      Port.open({:spawn_executable, prog}, [
        :nouse_stdio,
        :exit_status,
        args: argv,
        env: for({k, v} <- env, do: {String.to_charlist(k), String.to_charlist(v)})
      ])

    receive do
      {^port, {:exit_status, 0}} -> :ok
      {^port, {:exit_status, status}} -> exit({:shutdown, status})
    end
  end

  defp sanitizer_env do
    if sanitize?() do
      {lib, 0} = System.cmd("gcc", ["-print-file-name=libasan.so"])
      asan = System.get_env("ASAN_OPTIONS", "halt_on_error=1:abort_on_error=1")

      [
        {"LD_PRELOAD", String.trim(lib)},
        # Later options win: leak detection off whatever the caller set.
        {"ASAN_OPTIONS", asan <> ":detect_leaks=0"},
        {"UBSAN_OPTIONS", System.get_env("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")}
      ]
    else
      []
    end
  end
end
