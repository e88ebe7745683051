defmodule Linx.Netfilter.MonitorTest do
  # Linx.Netfilter.Monitor watching network namespaces of the test's own
  # while nft(8) (the reference) and Linx commit into them.
  use ExUnit.Case, async: true

  import LinxTest.Kernel
  import LinxTest.Netns, only: [netns: 0, nft!: 2]

  alias Linx.Netfilter
  alias Linx.Netfilter.{Chain, Event, Monitor, Rule, Ruleset, Set, Table}

  @moduletag skip: needs("nft", tools: [{"nft", "needs nft(8) as the oracle"}])

  @t LinxTest.Events.t()

  defp gen(pid) do
    {:ok, %{"id" => id}} = Linx.Verb.call("nft.get_gen", %{"netns" => %{"pid" => pid}})
    id
  end

  # The events of the next commit, and its :new_gen.
  defp commit(acc \\ []) do
    receive do
      {:linx_netfilter, :event, %Event{op: :new_gen} = e} -> {Enum.reverse(acc), e}
      {:linx_netfilter, :event, %Event{} = e} -> commit([e | acc])
    after
      @t -> flunk("no commit within #{@t} ms (got #{inspect(Enum.reverse(acc))})")
    end
  end

  # The user netfilter netlink sockets open in the netns of `pid`
  # (/proc/net/netlink: protocol 12 is NETLINK_NETFILTER; port id 0 is
  # the kernel's own socket).
  defp nfnl_sockets(pid) do
    File.read!("/proc/#{pid}/net/netlink")
    |> String.split("\n", trim: true)
    |> Enum.drop(1)
    |> Enum.count(&match?([_, "12", port | _] when port != "0", String.split(&1)))
  end

  test "commits by nft and by Linx, every event stamped with its commit" do
    pid = netns()
    {:ok, mon} = Netfilter.subscribe(self(), netns: {:pid, pid})

    nft!(pid, "add table inet fw; add chain inet fw input { type filter hook input priority 0; }")
    nft!(pid, "add set inet fw blk { type ipv4_addr; }; add element inet fw blk { 10.0.0.1 }")
    nft!(pid, "add rule inet fw input tcp dport 22 accept")

    {events, g1} = commit()

    assert [
             %Event{op: :new_table, entity: %Table{family: :inet, name: "fw"}},
             %Event{op: :new_chain, entity: {:inet, %Chain{name: "input", hook: :input}}}
           ] = events

    assert %Event{entity: %{id: id, proc_name: "nft", proc_pid: npid}} = g1
    assert is_integer(npid) and npid > 0
    assert Enum.all?([g1 | events], &(&1.gen_id == id and &1.proc_name == "nft"))
    assert Enum.all?(events, &(&1.proc_pid == npid))

    {events, g2} = commit()
    assert g2.gen_id == id + 1

    assert [
             %Event{op: :new_set, entity: {:inet, %Set{name: "blk", key_type: :ipv4_addr}}},
             %Event{op: :new_set_element, entity: {:inet, "fw", "blk", ["10.0.0.1"]}}
           ] = events

    {[%Event{op: :new_rule} = r], g3} = commit()
    assert g3.gen_id == id + 2
    assert {:inet, "fw", "input", %Rule{handle: h}} = r.entity
    assert is_integer(h)
    assert inspect(r) == "#Linx.Netfilter.Event<gen=#{id + 2} nft new_rule inet/fw/input>"

    # Linx's own commit: the committer is a thread of this VM.
    rs =
      Ruleset.new()
      |> Ruleset.add_table!(:ip, "lx")
      |> Ruleset.add_chain!("lx", "out", type: :filter, hook: :output, priority: 0)
      |> Ruleset.add_rule!("lx", "out", [:accept], tag: :all)

    :ok = Netfilter.push({:pid, pid}, rs)
    {events, g4} = commit()
    assert g4.gen_id == id + 3
    assert File.exists?("/proc/#{System.pid()}/task/#{g4.proc_pid}")
    assert Enum.all?(events, &(&1.proc_pid == g4.proc_pid and &1.proc_name == g4.proc_name))

    assert %Event{op: :new_rule, entity: {:ip, "lx", "out", %Rule{tag: :all}}} = List.last(events)

    nft!(pid, "delete table inet fw")
    {events, _} = commit()
    assert %Event{op: :del_table, entity: %Table{name: "fw"}} = List.last(events)

    ref = Process.monitor(mon)
    :ok = Netfilter.unsubscribe(mon)
    assert_receive {:DOWN, ^ref, :process, ^mon, _}
  end

  test "the monitor stops with its owner, its sockets closed" do
    pid = netns()
    test = self()

    owner =
      spawn(fn ->
        {:ok, m} = Monitor.start_link(owner: self(), netns: {:pid, pid})
        send(test, {:monitor, m})

        receive do
          :stop -> :ok
        end
      end)

    assert_receive {:monitor, mon}, @t
    assert nfnl_sockets(pid) >= 1
    ref = Process.monitor(mon)
    send(owner, :stop)
    assert_receive {:DOWN, ^ref, :process, ^mon, _}, @t
    wait_until(fn -> nfnl_sockets(pid) == 0 end)
  end

  test "events at or below the floor are dropped: since_gen and set_min_gen" do
    pid = netns()
    g = gen(pid)

    {:ok, m1} = Netfilter.subscribe(self(), netns: {:pid, pid}, since_gen: g + 1)
    nft!(pid, "add table ip a")
    nft!(pid, "add table ip b")
    {[%Event{op: :new_table, entity: %Table{name: "b"}}], %Event{gen_id: gb}} = commit()
    assert gb == g + 2
    :ok = Netfilter.unsubscribe(m1)

    {:ok, m2} = Netfilter.subscribe(self(), netns: {:pid, pid})
    :ok = Monitor.set_min_gen(m2, gb + 1)
    nft!(pid, "add table ip c")
    nft!(pid, "add table ip d")
    {[%Event{entity: %Table{name: "d"}}], %Event{gen_id: gd}} = commit()
    assert gd == gb + 2

    # the snapshot-and-tail handshake: what the pull holds is not sent again
    {:ok, snap} = Netfilter.pull({:pid, pid}, subscribe_first: m2)
    assert Map.has_key?(snap.tables, {:ip, "d"})
    nft!(pid, "add table ip e")
    {[%Event{entity: %Table{name: "e"}}], _} = commit()
    refute_received {:linx_netfilter, :event, _}
    :ok = Netfilter.unsubscribe(m2)
  end

  test "bad options" do
    Process.flag(:trap_exit, true)
    assert Monitor.start_link([]) == {:error, {:bad_owner, nil}}
    assert Netfilter.subscribe(self(), netns: {:pid, -1}) == {:error, {:bad_netns, {:pid, -1}}}
    assert Netfilter.subscribe(self(), since_gen: -1) == {:error, {:bad_since_gen, -1}}
    assert Netfilter.subscribe(self(), rcvbuf: 0) == {:error, {:bad_rcvbuf, 0}}
    assert Netfilter.subscribe(self(), colour: :red) == {:error, {:bad_option, :colour}}
    assert Netfilter.subscribe(self(), :x) == {:error, {:bad_options, :x}}
  end
end
