defmodule Linx.Netfilter.MonitorFloodTest do
  # Linx.Netfilter.Monitor under floods of notifications, in network
  # namespaces of the test's own: with a tiny receive buffer the kernel
  # drops notifications and the owner must be told (resync), the monitor
  # must live on, and the VM must stay responsive; with the default buffer
  # a moderate flood arrives whole.
  use ExUnit.Case, async: true

  import LinxTest.Kernel
  import LinxTest.Netns, only: [netns: 0, nft!: 2]
  import LinxTest.Events, only: [max_latency_during: 1]

  alias Linx.Netfilter
  alias Linx.Netfilter.{Event, Table}

  @moduletag skip: needs("nft", tools: [{"nft", "needs nft(8) to make the changes"}])

  # One nft -f batch: a table, a chain and `n` rules, `n` notifications
  # and more in a single commit.
  defp flood_file(table, n) do
    rules = for i <- 1..n, do: "add rule inet #{table} c tcp dport #{i} counter accept\n"
    tmp_file!(["add table inet #{table}\n", "add chain inet #{table} c\n" | rules])
  end

  # Every message the monitor sent until `quiet` ms pass without one.
  defp drain(quiet), do: LinxTest.Events.drain(:linx_netfilter, quiet)

  defp new_rules(msgs), do: Enum.count(msgs, &match?({_, :event, %Event{op: :new_rule}}, &1))

  defp await_table(name) do
    LinxTest.Events.await(
      :linx_netfilter,
      &match?({_, :event, %Event{op: :new_table, entity: %Table{name: ^name}}}, &1),
      "new_table #{name}"
    )
  end

  test "a tiny buffer overflowed by one big commit: resync, the monitor lives on, the VM stays responsive" do
    pid = netns()
    # the kernel doubles SO_RCVBUF and clamps it to its minimum: a few KiB
    {:ok, mon} = Netfilter.subscribe(self(), netns: {:pid, pid}, rcvbuf: 4096)
    # The kernel batches a commit's notifications into a few skbs, and a
    # reader that keeps up drains each as it comes: the monitor's reader
    # is held while nft commits, so that the buffer overflows however
    # fast this machine is (a flood without resync, if one ever comes,
    # must arrive whole; at most 5 floods).
    reader = :sys.get_state(mon).reader
    {resync?, lat} = flood_until_resync(pid, reader, 1, 0)
    assert resync?, "5 floods of 3000 rules never overflowed a 4096 byte buffer"
    # generous: a blocked scheduler would show as seconds
    assert lat < 1_000_000, "a trivial Task round trip took #{lat} µs during a flood"

    assert Process.alive?(mon)
    nft!(pid, ["add table inet after"])
    await_table("after")
    assert Process.alive?(mon)
    :ok = Netfilter.unsubscribe(mon)
  end

  defp flood_until_resync(_pid, _reader, 6, lat), do: {false, lat}

  defp flood_until_resync(pid, reader, round, lat) do
    path = flood_file("flood#{round}", 3000)
    # (asynchronous: the reader may be in the read verb, on a dirty
    # scheduler; it is suspended when that call returns)
    true = :erlang.suspend_process(reader, [:asynchronous])
    wait_until(fn -> Process.info(reader, :status) == {:status, :suspended} end)

    {_, l} =
      try do
        max_latency_during(fn -> nft!(pid, ["-f", path]) end)
      after
        true = :erlang.resume_process(reader)
      end

    msgs = drain(300)
    rules = new_rules(msgs)

    if {:linx_netfilter, :resync_needed} in msgs do
      # notifications were lost, and said so
      assert rules < 3000
      {true, max(lat, l)}
    else
      assert rules == 3000, "#{rules} of 3000 rule events and no resync_needed"
      flood_until_resync(pid, reader, round + 1, max(lat, l))
    end
  end

  test "many small commits against a tiny buffer: still resync, never a silent loss" do
    pid = netns()
    {:ok, mon} = Netfilter.subscribe(self(), netns: {:pid, pid}, rcvbuf: 4096)
    # 20 nft -f runs of 200 rules each, back to back
    paths = for i <- 1..20, do: flood_file("t#{i}", 200)
    for p <- paths, do: nft!(pid, ["-f", p])

    msgs = drain(300)
    rules = new_rules(msgs)
    resync? = {:linx_netfilter, :resync_needed} in msgs
    # either every rule was reported, or the owner was told to resync
    assert resync? or rules == 4000, "#{rules} of 4000 rule events and no resync_needed"

    nft!(pid, ["add table inet after"])
    await_table("after")
    :ok = Netfilter.unsubscribe(mon)
  end

  test "with the default buffer a moderate flood arrives whole, without resync" do
    pid = netns()
    {:ok, mon} = Netfilter.subscribe(self(), netns: {:pid, pid})
    n = 500
    path = flood_file("moderate", n)
    nft!(pid, ["-f", path])

    msgs = collect_rules(n)
    assert new_rules(msgs) == n
    refute {:linx_netfilter, :resync_needed} in msgs

    assert [%Event{op: :new_table, entity: %Table{name: "moderate"}}] =
             for({:linx_netfilter, :event, %Event{op: :new_table} = e} <- msgs, do: e)

    refute_receive {:linx_netfilter, :resync_needed}, 100
    :ok = Netfilter.unsubscribe(mon)
  end

  # Messages until `n` new_rule events and the commit's new_gen are in.
  defp collect_rules(n) do
    LinxTest.Events.collect(:linx_netfilter, fn
      [{_, :event, %Event{op: :new_gen}} | _] = msgs -> new_rules(msgs) >= n
      _ -> false
    end)
  end
end
