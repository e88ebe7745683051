# The dispatch benchmark: what a trivial verb costs through the NIF, next
# to the same verb called from C and to an empty NIF.
#
#   cd bindings/elixir && mix bench [ITERATIONS [RUNS]]
#
# The verb is example.add {a: 1, b: 2, c: 3} (tests/fixtures/example).  Each
# figure is the median, over RUNS runs of ITERATIONS calls, of the time per
# call, measured on a regular scheduler:
#
#   nif_empty       Linx.Native.nop/2, an empty NIF taking the same terms
#   nif_call        Linx.Native.call/2: name lookup, argument conversion,
#                   validation, the verb, result conversion
#   verb_call       Linx.Verb.call/2, the Elixir wrapper around it
#   c_call          linx_call() from C, arguments built once
#   c_build_call    linx_call() from C, arguments built and freed per call
#
# The C figures come from dispatch-c (bench/dispatch_c.c), built with the
# NIF and linked with the same core objects, run in the same conditions.

defmodule Linx.Bench.Dispatch do
  @args %{"a" => 1, "b" => 2, "c" => 3}

  def nif_empty(0), do: :ok

  def nif_empty(n) do
    :ok = Linx.Native.nop("example.add", @args)
    nif_empty(n - 1)
  end

  def nif_call(0), do: :ok

  def nif_call(n) do
    {:ok, 6} = Linx.Native.call("example.add", @args)
    nif_call(n - 1)
  end

  def verb_call(0), do: :ok

  def verb_call(n) do
    {:ok, 6} = Linx.Verb.call("example.add", @args)
    verb_call(n - 1)
  end

  def per_call_ns(fun, iterations) do
    {us, :ok} = :timer.tc(fn -> fun.(iterations) end)
    us * 1000 / iterations
  end

  defp c_round(exe, example, iterations) do
    {out, 0} = System.cmd(exe, [example, Integer.to_string(iterations), "1"])

    for line <- String.split(out, "\n", trim: true), into: %{} do
      [name, ns] = String.split(line)
      {name, String.to_float(ns)}
    end
  end

  defp median(values), do: Enum.at(Enum.sort(values), div(length(values), 2))

  def run(iterations, runs) do
    c_build = Mix.Tasks.Compile.LinxC.build_dir()
    example = Path.join([c_build, "bindings", "elixir", "example.so"])
    exe = Path.join([c_build, "bindings", "elixir", "dispatch-c"])
    :ok = Linx.Verb.load_plugin(example)

    erlang = [nif_empty: &nif_empty/1, nif_call: &nif_call/1, verb_call: &verb_call/1]

    # Warm up, then interleave the measurements round by round, in a
    # random order, so that a change in the machine's load affects them
    # all alike.  The calls run
    # in an ordinary process, on a regular scheduler (example.add is not a
    # blocking verb).
    Enum.each(erlang, fn {_, fun} -> fun.(div(iterations, 10)) end)

    rounds =
      for _ <- 1..runs do
        c = c_round(exe, example, iterations)

        Enum.reduce(Enum.shuffle(erlang), c, fn {name, fun}, acc ->
          Map.put(acc, Atom.to_string(name), per_call_ns(fun, iterations))
        end)
      end

    all =
      for name <- ~w(nif_empty nif_call verb_call c_call c_build_call), into: %{} do
        {name, median(Enum.map(rounds, & &1[name]))}
      end

    IO.puts("example.add, median of #{runs} runs x #{iterations} calls (ns per call)")

    IO.puts(
      "Erlang/OTP #{System.otp_release()}, Elixir #{System.version()}, #{:erlang.system_info(:logical_processors)} CPUs"
    )

    for name <- ~w(nif_empty nif_call verb_call c_call c_build_call) do
      IO.puts(String.pad_trailing(name, 14) <> to_string(:io_lib.format("~8.1f", [all[name]])))
    end

    overhead = all["nif_call"] - all["c_build_call"]

    IO.puts("")
    IO.puts("NIF overhead over C (nif_call - c_build_call): #{Float.round(overhead, 1)} ns")
    IO.puts("nif_call / c_build_call: #{Float.round(all["nif_call"] / all["c_build_call"], 2)}")
    IO.puts("nif_call / c_call:       #{Float.round(all["nif_call"] / all["c_call"], 2)}")
    IO.puts("nif_call - nif_empty:    #{Float.round(all["nif_call"] - all["nif_empty"], 1)} ns")
  end
end

{iterations, runs} =
  case System.argv() do
    [i, r] -> {String.to_integer(i), String.to_integer(r)}
    [i] -> {String.to_integer(i), 7}
    [] -> {1_000_000, 7}
  end

Linx.Bench.Dispatch.run(iterations, runs)
