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
  end
end

{n, rounds} =
  case System.argv() do
    [n, r] -> {String.to_integer(n), String.to_integer(r)}
    [n] -> {String.to_integer(n), 5}
    [] -> {200, 5}
  end

Linx.Bench.Process.run(n, rounds)
