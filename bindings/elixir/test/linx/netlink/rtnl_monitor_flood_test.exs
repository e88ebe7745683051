defmodule Linx.Netlink.Rtnl.MonitorFloodTest do
  # Linx.Netlink.Rtnl.Monitor under floods of notifications in a fresh
  # network namespace (ip -batch makes them): with a tiny receive buffer
  # the owner is told to resync instead of silently missing events, the
  # monitor lives on and the VM stays responsive; with the default buffer
  # a moderate flood arrives whole.
  use ExUnit.Case, async: true

  import LinxTest.Kernel
  import LinxTest.Netns
  import LinxTest.Events, only: [max_latency_during: 1]

  alias Linx.Netlink.Rtnl.{Address, Link, Monitor}
  alias Linx.Netlink.Rtnl.Monitor.Event

  @moduletag skip:
               (case needs("rtnl") do
                  false -> needs_kinds(["veth"])
                  reason -> reason
                end)

  setup do
    fresh()
  end

  # A batch file of `lines` for ip -batch, removed with the test.
  defp batch_file(lines) do
    tmp_file!(Enum.map(lines, &[&1, "\n"]))
  end

  defp ip_batch(pid, path), do: ip(pid, ["-batch", path])

  defp addr_lines(dev, prefix, n) do
    for i <- 0..(n - 1), do: "addr add #{prefix}.#{div(i, 250)}.#{rem(i, 250) + 1}/32 dev #{dev}"
  end

  defp new_addrs(msgs, prefix) do
    Enum.count(msgs, fn
      {:linx_rtnl, :event, %Event{op: :new_addr, resource: %Address{address: a}}} ->
        String.starts_with?(to_string(a), prefix <> ".")

      _ ->
        false
    end)
  end

  # Every message the monitor sent until `quiet` ms pass without one.
  defp drain(quiet), do: LinxTest.Events.drain(:linx_rtnl, quiet)

  # One flood: a veth given `n` addresses, then deleted (every address and
  # route goes in one kernel operation).  Repeated, at most 5 times, until
  # the buffer overflows; a flood that did not must have arrived whole.
  defp flood_until_resync(_pid, 6, lat), do: {false, lat}

  defp flood_until_resync(pid, round, lat) do
    n = 1000

    lines =
      ["link add fl#{round} type veth peer name fp#{round}", "link set fl#{round} up"] ++
        addr_lines("fl#{round}", "10.#{100 + round}", n) ++ ["link del fl#{round}"]

    path = batch_file(lines)
    {_, l} = max_latency_during(fn -> ip_batch(pid, path) end)
    msgs = drain(300)
    got = new_addrs(msgs, "10.#{100 + round}")

    if {:linx_rtnl, :resync_needed} in msgs do
      {true, max(lat, l)}
    else
      assert got == n, "#{got} of #{n} new_addr events and no resync_needed"
      flood_until_resync(pid, round + 1, max(lat, l))
    end
  end

  test "a tiny buffer overflowed: resync, the monitor lives on, the VM stays responsive", %{
    pid: pid,
    sock: sock
  } do
    {:ok, mon} = Monitor.subscribe(self(), netns: {:pid, pid}, rcvbuf: 4096)

    {resync?, lat} = flood_until_resync(pid, 1, 0)
    assert resync?, "5 floods never overflowed a 4096 byte buffer"
    # generous: a blocked scheduler would show as seconds
    assert lat < 1_000_000, "a trivial Task round trip took #{lat} µs during a flood"

    assert Process.alive?(mon)
    :ok = Link.create_veth(sock, "after0", "after1")
    await_link("after0")
    assert Process.alive?(mon)
    :ok = Monitor.unsubscribe(mon)
  end

  defp await_link(name) do
    LinxTest.Events.await(
      :linx_rtnl,
      &match?({_, :event, %Event{op: :new_link, resource: %Link{name: ^name}}}, &1),
      "new_link #{name}"
    )
  end

  test "with the default buffer 500 address additions arrive whole, without resync", %{pid: pid} do
    ip(pid, ["link", "set", "lo", "up"])
    {:ok, mon} = Monitor.subscribe(self(), netns: {:pid, pid})
    n = 500
    ip_batch(pid, batch_file(addr_lines("lo", "10.77", n)))

    msgs = collect(n, "10.77")
    assert new_addrs(msgs, "10.77") == n
    refute {:linx_rtnl, :resync_needed} in msgs
    refute_receive {:linx_rtnl, :resync_needed}, 100
    :ok = Monitor.unsubscribe(mon)
  end

  # Messages until `n` new_addr events under `prefix` are in (or none
  # comes for LinxTest.Events.t() ms).
  defp collect(n, prefix) do
    LinxTest.Events.collect(:linx_rtnl, &(new_addrs(&1, prefix) >= n))
  end
end
