# The netfilter benchmark: a ruleset pushed into the kernel and pulled
# back through Linx.Netfilter, next to the same through the C API and
# through nft(8), in the same run, in a network namespace of its own.
#
#   cd bindings/elixir && mix bench.nft [RUNS]       (as root)
#
# Two workloads, the ones of the C benchmark tests/bench/bench-nft.c:
#
#   set    table ip bset, one interval set of 100,000 /24 prefixes
#   rules  table inet brules, 100 chains of 100 rules
#          (tcp dport N counter accept comment "tag:rN")
#
# Each is written as nft text and parsed before any clock starts.  Every
# column starts from an empty namespace (nft flush ruleset) and times a
# push (replace mode) then a pull of the whole ruleset:
#
#   elixir   Linx.Netfilter.push/3 of the %Ruleset{} and pull/1 back to a
#            %Ruleset{}: the structs converted to and from the plugin's
#            values, the NIF, the plugin
#   raw      Linx.Native.call("nft.push" / "nft.pull", _, :nft) with the
#            plugin's value built beforehand: the NIF's term conversion
#            (expressions built as structs on a pull) and the plugin
#   c        linx_nft_push() / linx_nft_pull() from nft-c (bench/nft_c.c),
#            the same plugin code linked into a C program
#   nft      nft -f FILE / nft -j list ruleset, run with nsenter
#
# Figures are medians over RUNS runs (default 5) in milliseconds, the
# columns in a random order per run, each in a new Erlang process; the
# ratios to c are what to read.
# Target (issue 16): elixir within 1.2x of c.

defmodule Linx.Bench.Nft do
  alias Linx.Netfilter
  alias Linx.Netfilter.Ruleset

  @elems 100_000
  @chains 100
  @rules 10_000

  # Every other /24 from 10.0.0.0, as bench-nft.c.
  defp prefix(i) do
    n = i * 2

    "#{10 + Bitwise.bsr(n, 16)}.#{Bitwise.band(Bitwise.bsr(n, 8), 255)}.#{Bitwise.band(n, 255)}.0/24"
  end

  defp set_text do
    elems = Enum.map_join(0..(@elems - 1), ",\n", &("   " <> prefix(&1)))

    "table ip bset {\n set s {\n  type ipv4_addr\n  flags interval\n  elements = {\n" <>
      elems <> "\n  }\n }\n}\n"
  end

  defp rules_text do
    per = div(@rules, @chains)

    chains =
      for c <- 0..(@chains - 1) do
        rules =
          for k <- 0..(per - 1) do
            r = c * per + k
            "  tcp dport #{1 + r} counter accept comment \"tag:r#{r}\"\n"
          end

        [" chain c#{c} {\n", rules, " }\n"]
      end

    IO.iodata_to_binary(["table inet brules {\n", chains, "}\n"])
  end

  defp ms(fun) do
    t0 = System.monotonic_time(:microsecond)
    result = fun.()
    {(System.monotonic_time(:microsecond) - t0) / 1000, result}
  end

  defp nft!(pid, args) do
    {out, 0} = System.cmd("nsenter", ["-t", "#{pid}", "-n", "nft" | args], stderr_to_stdout: true)
    out
  end

  defp column(:elixir, w, ctx) do
    {push, :ok} = ms(fn -> Netfilter.push(ctx.sock, w.rs) end)
    {pull, {:ok, %Ruleset{}}} = ms(fn -> Netfilter.pull(ctx.sock) end)
    %{push: push, pull: pull}
  end

  defp column(:raw, w, ctx) do
    args = %{"sock" => ctx.sock, "ruleset" => w.value}
    {push, {:ok, _}} = ms(fn -> Linx.Native.call("nft.push", args, :nft) end)
    {pull, {:ok, _}} = ms(fn -> Linx.Native.call("nft.pull", %{"sock" => ctx.sock}, :nft) end)
    %{push: push, pull: pull}
  end

  defp column(:c, w, ctx) do
    {out, 0} = System.cmd(ctx.nft_c, ["#{ctx.pid}", w.file])

    for line <- String.split(out, "\n", trim: true), into: %{} do
      [name, v] = String.split(line)
      {String.to_atom(name), String.to_float(v)}
    end
  end

  defp column(:nft, w, ctx) do
    {push, _} = ms(fn -> nft!(ctx.pid, ["-f", w.file]) end)
    {pull, _} = ms(fn -> nft!(ctx.pid, ["-j", "list", "ruleset"]) end)
    %{push: push, pull: pull}
  end

  # Each column runs in a new process, which holds its workload only: the
  # caller's heap (every workload, parsed and as values) would otherwise
  # be copied by each garbage collection the conversions trigger.  Only
  # what the column uses goes in: the structs for `elixir`, the plugin's
  # value for `raw`, the file for the others.
  defp fresh(fun), do: Task.await(Task.async(fun), :infinity)

  defp own(:elixir, w), do: Map.take(w, [:rs])
  defp own(:raw, w), do: Map.take(w, [:value])
  defp own(_col, w), do: Map.take(w, [:file])

  defp median(values), do: Enum.at(Enum.sort(values), div(length(values), 2))

  defp fmt(x), do: :io_lib.format("~10.1f", [x]) |> to_string()

  def run(runs) do
    dir = Path.join(System.tmp_dir!(), "linx-bench-nft-#{System.unique_integer([:positive])}")
    File.mkdir_p!(dir)

    # A network namespace held by a `cat` child, gone when the VM ends.
    unshare = System.find_executable("unshare")

    port =
      Port.open({:spawn_executable, unshare}, [
        :binary,
        args: ["--net", "--", System.find_executable("cat")]
      ])

    {:os_pid, pid} = Port.info(port, :os_pid)
    wait_for_cat(pid)

    nft_c = Path.join([Mix.Tasks.Compile.LinxC.build_dir(), "bindings", "elixir", "nft-c"])
    {:ok, sock} = Netfilter.open(in: {:pid, pid})
    ctx = %{pid: pid, sock: sock, nft_c: nft_c}

    workloads =
      for {name, text} <- [set: set_text(), rules: rules_text()] do
        file = Path.join(dir, "#{name}.nft")
        File.write!(file, text)
        {:ok, rs} = Linx.NFT.parse_file(file)
        {:ok, value} = Ruleset.to_c(rs)
        {name, %{file: file, rs: rs, value: value}}
      end

    columns = [:elixir, :raw, :c, :nft]

    results =
      for {wname, w} <- workloads, into: %{} do
        # one untimed round first
        Enum.each(columns, fn col ->
          nft!(pid, ["flush", "ruleset"])
          w = own(col, w)
          fresh(fn -> column(col, w, ctx) end)
        end)

        rounds =
          for _ <- 1..runs do
            for col <- Enum.shuffle(columns), into: %{} do
              nft!(pid, ["flush", "ruleset"])
              w = own(col, w)
              {col, fresh(fn -> column(col, w, ctx) end)}
            end
          end

        meds =
          for col <- columns, op <- [:push, :pull], into: %{} do
            {{col, op}, median(Enum.map(rounds, & &1[col][op]))}
          end

        {wname, meds}
      end

    Netfilter.close(sock)
    Port.close(port)
    File.rm_rf!(dir)

    IO.puts("nf_tables push and pull, median of #{runs} runs (ms)")

    IO.puts(
      "Erlang/OTP #{System.otp_release()}, Elixir #{System.version()}, " <>
        "#{:erlang.system_info(:logical_processors)} CPUs, nft #{nft_version()}"
    )

    for {wname, label} <- [set: "100,000-element interval set", rules: "10,000 rules, 100 chains"] do
      m = results[wname]
      IO.puts("\n#{label}")
      IO.puts("          " <> Enum.map_join(columns, &String.pad_leading(to_string(&1), 10)))

      for op <- [:push, :pull] do
        IO.puts(String.pad_trailing("#{op}", 10) <> Enum.map_join(columns, &fmt(m[{&1, op}])))
      end

      for op <- [:push, :pull] do
        c = m[{:c, op}]

        IO.puts(
          "#{op}: elixir/c #{ratio(m[{:elixir, op}], c)}  raw/c #{ratio(m[{:raw, op}], c)}  " <>
            "nft/c #{ratio(m[{:nft, op}], c)}"
        )
      end
    end
  end

  defp ratio(a, b), do: Float.round(a / b, 2)

  defp nft_version do
    {out, _} = System.cmd("nft", ["--version"])
    String.trim(out)
  end

  defp wait_for_cat(pid, tries \\ 1000, _ \\ :ok) do
    cond do
      File.read("/proc/#{pid}/comm") == {:ok, "cat\n"} -> :ok
      tries == 0 -> raise "the namespace's process did not start"
      true -> wait_for_cat(pid, tries - 1, Process.sleep(1))
    end
  end
end

runs =
  case System.argv() do
    [r] -> String.to_integer(r)
    [] -> 5
  end

Linx.Bench.Nft.run(runs)
