# The process benchmark: spawn to exit of /bin/true through Linx.Process,
# next to the same through the C API, System.cmd/3 and :os.cmd/1, in the
# same run.
#
#   cd bindings/elixir && mix bench.process [SPAWNS [ROUNDS]]
#
# Each round runs SPAWNS spawns of each column, the columns in a random
# order per round so that a change in the machine's load hits them alike;
# every figure is a median over all the spawns of all the rounds, in
# microseconds:
#
#   c_api         linx_process_spawn(auto_proceed) -> linx_process_wait,
#                 from process-c (bench/process_c.c), linked with the same
#                 core and driving the same linx-agent
#   linx_process  Linx.Process.spawn(auto_proceed: true) -> wait/1 answering
#                 {:ok, {:exited, 0}}; the session is stopped after the
#                 clock stops, as process-c frees its session after its own
#   system_cmd    System.cmd("/bin/true", [])
#   os_cmd        :os.cmd(~c"/bin/true")
#
# The figure the target applies to is linx_process - c_api: what the
# Elixir layer (the session process, the agent Port, the codec NIF) adds
# to a spawn.  Target: under 100 us.
#
# A spawn's time spreads over milliseconds on a shared machine (process
# creation dominates it), so the difference of two medians moves by
# hundreds of microseconds from run to run.  The paired section measures
# it directly: SPAWNS x ROUNDS pairs, each an Elixir spawn and a C spawn
# moments apart (process-c in its "-" mode, one spawn per request; which
# goes first alternates), and the median of the differences, with the
# medians of each round to show how far it moves.  It also gives CPU time
# per spawn on the caller's side: process-c's own (getrusage), and the
# BEAM's over a batch of Elixir spawns (/proc/self/stat; that includes
# the schedulers' busy-waiting unless the VM runs with +sbwt none).

defmodule Linx.Bench.Process do
  alias Linx.Process, as: P

  defp timed(fun) do
    t0 = System.monotonic_time(:nanosecond)
    after_clock = fun.()
    us = (System.monotonic_time(:nanosecond) - t0) / 1000
    after_clock.()
    us
  end

  defp linx_process do
    timed(fn ->
      {:ok, s} = P.spawn(argv: ["/bin/true"], auto_proceed: true)
      {:ok, {:exited, 0}} = P.wait(s)
      fn -> GenServer.stop(s) end
    end)
  end

  defp system_cmd do
    timed(fn ->
      {"", 0} = System.cmd("/bin/true", [])
      fn -> :ok end
    end)
  end

  defp os_cmd do
    timed(fn ->
      [] = :os.cmd(~c"/bin/true")
      fn -> :ok end
    end)
  end

  defp c_api(exe, n) do
    {out, 0} = System.cmd(exe, [Linx.Process.Agent.path(), Integer.to_string(n)])
    out |> String.split("\n", trim: true) |> Enum.map(&String.to_float/1)
  end

  # Pairs of one Elixir and one C spawn; the Elixir minus the C time of
  # each, and process-c's CPU time per spawn.
  defp paired(exe, n, rounds) do
    port =
      Port.open({:spawn_executable, exe}, [
        :binary,
        {:line, 64},
        args: [Linx.Process.Agent.path(), "-"]
      ])

    c = fn ->
      Port.command(port, "\n")

      receive do
        {^port, {:data, {:eol, l}}} -> String.to_float(l)
      end
    end

    rounds =
      for _ <- 1..rounds do
        for i <- 1..n do
          if rem(i, 2) == 0 do
            cu = c.()
            linx_process() - cu
          else
            eu = linx_process()
            eu - c.()
          end
        end
      end

    Port.command(port, "q\n")

    cpu =
      receive do
        {^port, {:data, {:eol, "cpu " <> v}}} -> String.to_float(v)
      after
        10_000 -> nil
      end

    {rounds, cpu}
  end

  # The BEAM's user + system time (clock ticks of /proc/self/stat) per
  # Elixir spawn over n spawns, in microseconds.
  defp beam_cpu(n) do
    ticks = fn ->
      [_, rest] = File.read!("/proc/self/stat") |> String.split(") ", parts: 2)
      f = String.split(rest, " ")
      String.to_integer(Enum.at(f, 11)) + String.to_integer(Enum.at(f, 12))
    end

    t0 = ticks.()
    for _ <- 1..n, do: linx_process()
    # USER_HZ is 100 on every Linux ABI this runs on
    (ticks.() - t0) * 10_000 / n
  end

  defp pct(values, p) do
    sorted = Enum.sort(values)
    Enum.at(sorted, min(length(sorted) - 1, trunc(length(sorted) * p)))
  end

  def run(n, rounds) do
    exe = Path.join([Mix.Tasks.Compile.LinxC.build_dir(), "bindings", "elixir", "process-c"])
    erlang = [linx_process: &linx_process/0, system_cmd: &system_cmd/0, os_cmd: &os_cmd/0]
    # Warm up: the agent Port, the code paths, the page cache.
    Enum.each(erlang, fn {_, f} -> for _ <- 1..20, do: f.() end)

    samples =
      Enum.reduce(1..rounds, %{}, fn _, acc ->
        columns = [
          {:c_api, fn -> c_api(exe, n) end}
          | for({k, f} <- erlang, do: {k, fn -> for _ <- 1..n, do: f.() end})
        ]

        Enum.reduce(Enum.shuffle(columns), acc, fn {k, f}, acc ->
          Map.update(acc, k, f.(), &(&1 ++ f.()))
        end)
      end)

    IO.puts("spawn -> exit of /bin/true, #{rounds} rounds x #{n} spawns (us)")

    IO.puts(
      "Erlang/OTP #{System.otp_release()}, Elixir #{System.version()}, " <>
        "#{:erlang.system_info(:logical_processors)} CPUs, #{:os.cmd(~c"uname -r") |> to_string() |> String.trim()}"
    )

    IO.puts(String.pad_trailing("", 14) <> "  median     p10     p90")

    for k <- [:c_api, :linx_process, :system_cmd, :os_cmd] do
      v = samples[k]

      IO.puts(
        String.pad_trailing(Atom.to_string(k), 14) <>
          Enum.map_join([0.5, 0.1, 0.9], "", &:io_lib.format("~8.1f", [pct(v, &1)]))
      )
    end

    m = fn k -> pct(samples[k], 0.5) end
    added = m.(:linx_process) - m.(:c_api)
    IO.puts("")

    IO.puts(
      "Elixir layer over C (linx_process - c_api): #{Float.round(added, 1)} us (target < 100)"
    )

    IO.puts("linx_process / c_api:      #{Float.round(m.(:linx_process) / m.(:c_api), 2)}")
    IO.puts("linx_process / system_cmd: #{Float.round(m.(:linx_process) / m.(:system_cmd), 2)}")
    IO.puts("linx_process / os_cmd:     #{Float.round(m.(:linx_process) / m.(:os_cmd), 2)}")
    {pairs, c_cpu} = paired(exe, n, length(Map.get(samples, :c_api)) |> div(n))
    all = List.flatten(pairs)
    per_round = Enum.map_join(pairs, " ", &:erlang.float_to_binary(pct(&1, 0.5), decimals: 0))
    IO.puts("")
    IO.puts("paired, #{length(all)} pairs (Elixir spawn - C spawn, moments apart):")

    IO.puts(
      "  median #{Float.round(pct(all, 0.5), 1)} us (target < 100); per round: #{per_round}"
    )

    IO.puts("  p25 #{Float.round(pct(all, 0.25), 1)}, p75 #{Float.round(pct(all, 0.75), 1)}")
    beam = beam_cpu(length(all))

    IO.puts(
      "CPU per spawn on the caller's side: process-c #{c_cpu} us, " <>
        "the BEAM #{Float.round(beam, 1)} us (#{length(all)} spawns)"
    )
  end
end

{n, rounds} =
  case System.argv() do
    [n, r] -> {String.to_integer(n), String.to_integer(r)}
    [n] -> {String.to_integer(n), 5}
    [] -> {200, 5}
  end

Linx.Bench.Process.run(n, rounds)
