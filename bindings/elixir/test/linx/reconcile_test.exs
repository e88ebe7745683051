defmodule Linx.ReconcileTest do
  # Single-shot reconcile for sysctls and cgroup limits, and the opt-in
  # loop, against the live kernel.  `mix test` runs in network, UTS and
  # IPC namespaces of its own with a private cgroup2 mount
  # (mix/test_namespaces.exs): the sysctls written here are the test run's
  # own, and every cgroup is a sandbox removed at the end.  The oracles are
  # sysctl(8), nsenter(1) and the interface files read directly.
  use ExUnit.Case, async: false

  import LinxTest.Kernel

  alias Linx.Sysctl.Reconcile, as: SR
  alias Linx.Cgroup.Reconcile, as: CR

  @moduletag skip: needs("sysctl")

  doctest Linx.Sysctl.Reconcile.Report
  doctest Linx.Cgroup.Reconcile.Report

  @t if System.get_env("LINX_TEST_LANE") == "vm", do: 60_000, else: 10_000

  defp sysctl(key), do: sh!("sysctl", ["-n", key])
  defp sysctl!(key, value), do: sh!("sysctl", ["-qw", "#{key}=#{value}"])

  @knobs ["net.ipv4.ip_forward", "net.ipv4.conf.all.rp_filter", "net.ipv4.conf.lo.rp_filter"]

  setup do
    # Every test starts from the namespace's defaults for the knobs it
    # uses, and leaves them so: the namespace is the whole test run's, and
    # the sysctl tests read ip_forward as 0 (a seed that ran them after a
    # test here leaving it 1 failed four of them).
    for k <- @knobs, do: sysctl!(k, 0)
    on_exit(fn -> for k <- @knobs, do: sysctl!(k, 0) end)
    :ok
  end

  describe "Linx.Sysctl.Reconcile" do
    test "a pass writes what differs, records originals, and the next pass does nothing" do
      desired = %{"net.ipv4.ip_forward" => 1, "net.ipv4.conf.all.rp_filter" => 1}

      assert {:ok, r} = SR.reconcile(desired)
      assert r.converged?

      assert Enum.sort(r.applied) == [
               {:set, "net.ipv4.conf.all.rp_filter", 1},
               {:set, "net.ipv4.ip_forward", 1}
             ]

      assert r.failed == [] and r.pending == []
      assert sysctl("net.ipv4.ip_forward") == "1"
      assert sysctl("net.ipv4.conf.all.rp_filter") == "1"

      assert r.last_applied == %{
               "net.ipv4.ip_forward" => %{applied: 1, original: "0"},
               "net.ipv4.conf.all.rp_filter" => %{applied: 1, original: "0"}
             }

      assert inspect(r) == "#Linx.Sysctl.Reconcile.Report<converged: 2 applied>"

      assert {:ok, r2} = SR.reconcile(desired, r.last_applied)
      assert r2.converged? and r2.applied == []
      assert r2.last_applied == r.last_applied
    end

    test "drift is corrected; a released key stays or is reverted" do
      {:ok, r} = SR.reconcile(%{"net.ipv4.ip_forward" => 1, "net.ipv4.conf.lo.rp_filter" => 2})
      sysctl!("net.ipv4.ip_forward", 0)

      # ip_forward drifted and is set again; rp_filter left desired: released.
      {:ok, r2} = SR.reconcile(%{"net.ipv4.ip_forward" => 1}, r.last_applied)

      assert r2.applied == [
               {:set, "net.ipv4.ip_forward", 1},
               {:release, "net.ipv4.conf.lo.rp_filter"}
             ]

      assert sysctl("net.ipv4.ip_forward") == "1"
      assert sysctl("net.ipv4.conf.lo.rp_filter") == "2"
      refute Map.has_key?(r2.last_applied, "net.ipv4.conf.lo.rp_filter")

      # With revert_on_release, the original text goes back.
      {:ok, r3} = SR.reconcile(%{}, r2.last_applied, revert_on_release: true)
      assert r3.applied == [{:revert, "net.ipv4.ip_forward", "0"}]
      assert sysctl("net.ipv4.ip_forward") == "0"
      assert r3.last_applied == %{}
    end

    test "lists, strings and integers compare with the kernel's text" do
      printk = sysctl("kernel.printk") |> String.split() |> Enum.map(&String.to_integer/1)
      host = sysctl("kernel.hostname")

      # Both already hold these values: nothing to write (kernel.printk is
      # global, so this test must not write it).
      desired = %{"kernel.printk" => printk, "kernel.hostname" => host}
      assert {:ok, %{converged?: true, applied: []}} = SR.reconcile(desired)

      assert {:ok, r} = SR.reconcile(%{"kernel.hostname" => "linx-rec"})
      assert r.applied == [{:set, "kernel.hostname", "linx-rec"}]
      assert sysctl("kernel.hostname") == "linx-rec"
      {:ok, _} = SR.reconcile(%{}, r.last_applied, revert_on_release: true)
      assert sysctl("kernel.hostname") == host
    end

    test "a failing key is in report.failed and does not stop the others" do
      desired = %{"net.ipv4.no_such_knob" => 1, "net.ipv4.ip_forward" => 1}
      assert {:ok, r} = SR.reconcile(desired)
      refute r.converged?
      assert r.applied == [{:set, "net.ipv4.ip_forward", 1}]

      assert [{{:set, "net.ipv4.no_such_knob", 1}, %Linx.Sysctl.Error{} = e}] = r.failed
      assert e.errno == :enoent and e.code == 2 and e.operation == :write
      assert e.path == "/proc/sys/net/ipv4/no_such_knob"
      assert Exception.message(e) =~ "net.ipv4.no_such_knob"
      assert inspect(r) == "#Linx.Sysctl.Reconcile.Report<1 applied, 1 failed>"
      refute Map.has_key?(r.last_applied, "net.ipv4.no_such_knob")
    end

    test "observe/2 and diff/4" do
      obs = SR.observe(["net.ipv4.ip_forward", "kernel.ostype", "net.nope"])
      assert obs == %{"net.ipv4.ip_forward" => "0", "kernel.ostype" => "Linux"}

      la = %{
        "net.ipv4.conf.all.rp_filter" => %{applied: 1, original: "0"},
        "x.y" => %{applied: 2, original: nil}
      }

      assert SR.diff(obs, %{"net.ipv4.ip_forward" => 1, "kernel.ostype" => "Linux"}, la) ==
               [
                 {:set, "net.ipv4.ip_forward", 1},
                 {:release, "net.ipv4.conf.all.rp_filter"},
                 {:release, "x.y"}
               ]

      # An original is needed to revert; without one the key is released.
      assert SR.diff(obs, %{}, la, revert_on_release: true) ==
               [{:revert, "net.ipv4.conf.all.rp_filter", "0"}, {:release, "x.y"}]
    end

    test "in: a process's namespaces, checked with nsenter" do
      {_port, pid} = ct = spawn_in_ns()
      on_exit(fn -> stop(ct) end)

      {:ok, r} = SR.reconcile(%{"net.ipv4.ip_forward" => 1}, %{}, in: {:pid, pid})
      assert r.converged?
      assert sh!("nsenter", ["-t", "#{pid}", "-n", "sysctl", "-n", "net.ipv4.ip_forward"]) == "1"
      # ours is untouched
      assert sysctl("net.ipv4.ip_forward") == "0"

      assert SR.observe(["net.ipv4.ip_forward"], in: {:pid, pid}) == %{
               "net.ipv4.ip_forward" => "1"
             }
    end

    test "bad input is refused before any I/O" do
      assert SR.reconcile(%{"bad key" => 1}) == {:error, {:bad_key, "bad key"}}
      assert SR.reconcile(%{:atom => 1}) == {:error, {:bad_key, :atom}}
      assert SR.reconcile(%{"a.b" => %{x: 1}}) == {:error, {:bad_value, {"a.b", %{x: 1}}}}
      assert SR.reconcile(%{"a.b" => "x\ny"}) == {:error, {:bad_value, {"a.b", "x\ny"}}}
      assert SR.reconcile(:nope) == {:error, {:bad_desired, :nope}}
      assert {:error, {:bad_last_applied, _}} = SR.reconcile(%{}, %{"a.b" => 3})
      assert {:error, {:bad_last_applied, _}} = SR.reconcile(%{}, :x)
      assert SR.reconcile(%{}, %{}, in: {:pid, -1}) == {:error, {:bad_in, {:pid, -1}}}
      assert {:error, {:bad_option, _}} = SR.reconcile(%{}, %{}, revert_on_release: :yes)
      assert SR.observe([:x]) == {:error, {:bad_key, :x}}
      assert SR.observe("x") == {:error, {:bad_key, "x"}}
      assert {:error, {:bad_key, "no/slash"}} = SR.observe(["no/slash"])
      assert {:error, {:bad_observed, _}} = SR.diff(%{"a" => 1}, %{})
      assert sysctl("net.ipv4.ip_forward") == "0"
    end

    test "a namespace that cannot be entered fails the op, with the step that failed" do
      assert {:ok, r} = SR.reconcile(%{"net.ipv4.ip_forward" => 1}, %{}, in: {:pid, 999_999_999})
      refute r.converged?
      assert [{{:set, "net.ipv4.ip_forward", 1}, %Linx.Sysctl.Error{} = e}] = r.failed
      assert e.operation == :open_ns and e.errno == :enoent
    end
  end

  describe "Linx.Cgroup.Reconcile" do
    @describetag skip: needs("cgroup")

    setup do
      %{cg: cgroup_sandbox()}
    end

    defp cg_file(cg, f), do: File.read!(Path.join(cg, f)) |> String.trim()

    test "core interface files: :max, integers, originals and revert", %{cg: cg} do
      desired = %{"cgroup.max.descendants" => 5, "cgroup.max.depth" => :max}
      assert {:ok, r} = CR.reconcile(cg, desired)
      # max.depth is already "max": only descendants is written.
      assert r.applied == [{:set, "cgroup.max.descendants", 5}]
      assert r.converged?
      assert cg_file(cg, "cgroup.max.descendants") == "5"
      # Every desired file is owned from now on, written or not.
      assert r.last_applied == %{
               "cgroup.max.descendants" => %{applied: 5, original: "max"},
               "cgroup.max.depth" => %{applied: :max, original: "max"}
             }

      assert {:ok, %{applied: []}} = CR.reconcile(cg, desired, r.last_applied)

      File.write!(Path.join(cg, "cgroup.max.descendants"), "7")

      assert {:ok, r2} =
               CR.reconcile(
                 cg,
                 %{"cgroup.max.descendants" => 5, "cgroup.max.depth" => 3},
                 r.last_applied
               )

      assert Enum.sort(r2.applied) == [
               {:set, "cgroup.max.depth", 3},
               {:set, "cgroup.max.descendants", 5}
             ]

      assert r2.last_applied["cgroup.max.depth"] == %{applied: 3, original: "max"}

      assert {:ok, r3} = CR.reconcile(cg, %{}, r2.last_applied, revert_on_release: true)

      assert Enum.sort(r3.applied) == [
               {:revert, "cgroup.max.depth", "max"},
               {:revert, "cgroup.max.descendants", "max"}
             ]

      assert cg_file(cg, "cgroup.max.depth") == "max"
      assert cg_file(cg, "cgroup.max.descendants") == "max"
    end

    test "a missing cgroup or controller fails into the report", %{cg: cg} do
      gone = Path.join(cg, "not-created")
      assert {:ok, r} = CR.reconcile(gone, %{"pids.max" => 10, "cgroup.max.depth" => 2})
      refute r.converged?
      assert r.applied == []
      assert length(r.failed) == 2

      for {{:set, f, _}, %Linx.Cgroup.Error{} = e} <- r.failed do
        assert e.errno == :enoent and e.operation == :write
        assert e.path == Path.join(gone, f)
      end

      assert inspect(r) == "#Linx.Cgroup.Reconcile.Report<0 applied, 2 failed>"
    end

    test "observe/2 and diff/4", %{cg: cg} do
      assert CR.observe(cg, ["cgroup.max.depth", "no.such"]) == %{"cgroup.max.depth" => "max"}

      assert CR.diff(%{"cpu.max" => "max 100000", "pids.max" => "max"}, %{
               "cpu.max" => :max,
               "pids.max" => 4
             }) ==
               [{:set, "pids.max", 4}]

      assert CR.diff(%{"cpu.max" => "max 100000"}, %{"cpu.max" => {50_000, 100_000}}) ==
               [{:set, "cpu.max", {50_000, 100_000}}]
    end

    test "bad input is refused", %{cg: cg} do
      assert CR.reconcile(cg, %{"../x" => 1}) == {:error, {:bad_file, "../x"}}
      assert CR.reconcile(cg, %{:x => 1}) == {:error, {:bad_file, :x}}
      assert CR.reconcile(cg, %{"pids.max" => -1}) == {:error, {:bad_value, {"pids.max", -1}}}

      assert CR.reconcile(cg, %{"cpu.max" => {0, 1}}) ==
               {:error, {:bad_value, {"cpu.max", {0, 1}}}}

      assert CR.reconcile(cg, [1]) == {:error, {:bad_desired, [1]}}
      assert CR.reconcile(:nope, %{}) == {:error, {:bad_path, :nope}}
      assert CR.reconcile("relative/x", %{"pids.max" => 1}) == {:error, {:bad_path, "relative/x"}}
      assert {:error, {:bad_last_applied, _}} = CR.reconcile(cg, %{}, %{"pids.max" => 1})
      assert CR.observe(cg, [:x]) == {:error, {:bad_file, :x}}
    end

    @tag skip: needs_controllers(["memory", "pids", "cpu"])
    test "limits with their controllers (the VM lane)", %{cg: cg} do
      File.write!(Path.join(cg, "cgroup.subtree_control"), "+memory +pids +cpu")
      web = Path.join(cg, "web")
      File.mkdir!(web)

      desired = %{
        "memory.max" => 64 * 1024 * 1024,
        "pids.max" => 100,
        "cpu.max" => {50_000, 100_000}
      }

      assert {:ok, r} = CR.reconcile(web, desired)
      assert r.converged? and length(r.applied) == 3
      assert cg_file(web, "memory.max") == "#{64 * 1024 * 1024}"
      assert cg_file(web, "pids.max") == "100"
      assert cg_file(web, "cpu.max") == "50000 100000"
      assert r.last_applied["cpu.max"] == %{applied: {50_000, 100_000}, original: "max 100000"}
      assert {:ok, %{applied: []}} = CR.reconcile(web, desired, r.last_applied)

      {:ok, r2} =
        CR.reconcile(web, %{"memory.max" => :max}, r.last_applied, revert_on_release: true)

      assert {:set, "memory.max", :max} in r2.applied
      assert cg_file(web, "memory.max") == "max"
      assert cg_file(web, "pids.max") == "max"
      assert cg_file(web, "cpu.max") == "max 100000"
    end
  end

  # ---- the loop -------------------------------------------------------------

  defmodule TestSource do
    # A source under the test's control: each pass asks the test process
    # (named in the scope) what to return, and a monitor is a process the
    # test can make send hints or die.
    @behaviour Linx.Reconcile.Source

    @impl true
    def reconcile({test, _}, desired, last_applied, _opts) do
      send(test, {:pass, self(), desired, last_applied})

      receive do
        {:answer, answer} -> answer
      after
        5000 -> {:error, :no_answer}
      end
    end

    @impl true
    def subscribe({_test, :none}, _owner), do: :unsupported
    def subscribe({_test, :fail}, _owner), do: {:error, :refused}

    def subscribe({test, :monitor}, owner) do
      pid = spawn(fn -> monitor_loop(owner) end)
      send(test, {:monitor, pid})
      {:ok, pid}
    end

    defp monitor_loop(owner) do
      receive do
        :hint -> send(owner, {:some_event, :whatever}) && monitor_loop(owner)
        :die -> exit(:monitor_died)
      end
    end
  end

  defp answer_pass(report_or_error) do
    assert_receive {:pass, loop, desired, la}, @t
    send(loop, {:answer, report_or_error})
    {desired, la}
  end

  defp report(la, converged \\ true), do: %{converged?: converged, last_applied: la}

  describe "Linx.Reconcile" do
    test "first pass at start, owner notified, last_applied threaded, reconcile/2 on demand" do
      {:ok, loop} =
        Linx.Reconcile.start_link(
          source: TestSource,
          scope: {self(), :none},
          desired: :d1,
          owner: self(),
          interval: :infinity
        )

      assert {:d1, %{}} = answer_pass({:ok, report(%{a: 1})})
      assert_receive {:linx_reconcile, :report, %{last_applied: %{a: 1}}}, @t

      task = Task.async(fn -> Linx.Reconcile.reconcile(loop, @t) end)
      assert {:d1, %{a: 1}} = answer_pass({:ok, report(%{a: 2})})
      assert Task.await(task, @t) == {:ok, report(%{a: 2})}
      assert Linx.Reconcile.last_report(loop) == report(%{a: 2})

      # An error keeps the previous last_applied and the loop.
      task = Task.async(fn -> Linx.Reconcile.reconcile(loop, @t) end)
      answer_pass({:error, :boom})
      assert Task.await(task, @t) == {:error, :boom}
      assert_receive {:linx_reconcile, :error, :boom}, @t
      task = Task.async(fn -> Linx.Reconcile.reconcile(loop, @t) end)
      assert {:d1, %{a: 2}} = answer_pass({:ok, report(%{a: 3})})
      assert {:ok, _} = Task.await(task, @t)
      assert Linx.Reconcile.stop(loop) == :ok
    end

    test "the timer runs passes; put_desired is debounced into one pass" do
      {:ok, loop} =
        Linx.Reconcile.start_link(
          source: TestSource,
          scope: {self(), :none},
          desired: :d1,
          interval: 50,
          debounce: 200
        )

      answer_pass({:ok, report(%{})})
      answer_pass({:ok, report(%{})})
      answer_pass({:ok, report(%{})})

      # Stop the timer passes from getting in the way: a long interval.
      :ok = Linx.Reconcile.stop(loop)

      {:ok, loop} =
        Linx.Reconcile.start_link(
          source: TestSource,
          scope: {self(), :none},
          desired: :d1,
          interval: :infinity,
          debounce: 100
        )

      answer_pass({:ok, report(%{})})
      for d <- [:d2, :d3, :d4], do: Linx.Reconcile.put_desired(loop, d)
      assert {:d4, _} = answer_pass({:ok, report(%{})})
      refute_receive {:pass, _, _, _}, 300
      Linx.Reconcile.stop(loop)
    end

    test "monitor hints trigger a pass; the monitor's death ends the loop" do
      Process.flag(:trap_exit, true)

      {:ok, loop} =
        Linx.Reconcile.start_link(
          source: TestSource,
          scope: {self(), :monitor},
          desired: :d,
          interval: :infinity,
          debounce: 0
        )

      assert_receive {:monitor, mon}, @t
      answer_pass({:ok, report(%{})})
      refute_receive {:pass, _, _, _}, 100
      send(mon, :hint)
      answer_pass({:ok, report(%{})})
      send(mon, :die)
      assert_receive {:EXIT, ^loop, :monitor_died}, @t
    end

    test "subscribe failing stops the start; bad options are refused" do
      Process.flag(:trap_exit, true)

      assert {:error, {:subscribe, :refused}} =
               Linx.Reconcile.start_link(source: TestSource, scope: {self(), :fail}, desired: 1)

      assert Linx.Reconcile.start_link(scope: 1, desired: 1) ==
               {:error, {:bad_option, {:missing, :source}}}

      assert Linx.Reconcile.start_link(source: String, scope: 1, desired: 1) ==
               {:error, {:bad_option, {:source, String}}}

      base = [source: TestSource, scope: {self(), :none}, desired: 1]

      assert Linx.Reconcile.start_link(base ++ [interval: 0]) ==
               {:error, {:bad_option, {:interval, 0}}}

      assert Linx.Reconcile.start_link(base ++ [debounce: -1]) ==
               {:error, {:bad_option, {:debounce, -1}}}

      assert Linx.Reconcile.start_link(base ++ [owner: :me]) ==
               {:error, {:bad_option, {:owner, :me}}}

      assert Linx.Reconcile.start_link(base ++ [bogus: 1]) == {:error, {:bad_option, {:bogus, 1}}}
      assert Linx.Reconcile.start_link(:x) == {:error, {:bad_option, :x}}
      refute_receive {:pass, _, _, _}, 50
    end

    test "with the sysctl source it heals drift made with sysctl(8)" do
      {:ok, loop} =
        Linx.Reconcile.start_link(
          source: Linx.Sysctl.Reconcile.Source,
          scope: :self,
          desired: %{"net.ipv4.ip_forward" => 1},
          reconcile_opts: [revert_on_release: true],
          interval: 50,
          owner: self()
        )

      assert_receive {:linx_reconcile, :report, %Linx.Sysctl.Reconcile.Report{converged?: true}},
                     @t

      assert sysctl("net.ipv4.ip_forward") == "1"
      sysctl!("net.ipv4.ip_forward", 0)
      wait_until(fn -> sysctl("net.ipv4.ip_forward") == "1" end)

      # put_desired drops the key: revert_on_release gives back "0".
      Linx.Reconcile.put_desired(loop, %{})
      wait_until(fn -> sysctl("net.ipv4.ip_forward") == "0" end)
      # the pass reverts first and stores its report after: wait for it
      wait_until(fn -> Linx.Reconcile.last_report(loop).last_applied == %{} end)
      assert %Linx.Sysctl.Reconcile.Report{last_applied: la} = Linx.Reconcile.last_report(loop)
      assert la == %{}
      Linx.Reconcile.stop(loop)

      assert {:ok, %{"kernel.ostype" => "Linux"}} =
               Linx.Sysctl.Reconcile.Source.observe(:self, keys: ["kernel.ostype"])
    end

    test "child_spec: under a supervisor, by name" do
      children = [
        {Linx.Reconcile,
         source: Linx.Sysctl.Reconcile.Source,
         scope: :self,
         desired: %{"net.ipv4.ip_forward" => 1},
         name: :linx_test_sysctls}
      ]

      {:ok, sup} = Supervisor.start_link(children, strategy: :one_for_one)
      assert {:ok, %{converged?: true}} = Linx.Reconcile.reconcile(:linx_test_sysctls)
      assert sysctl("net.ipv4.ip_forward") == "1"
      Supervisor.stop(sup)
    end
  end
end
