defmodule Linx.Netlink.Rtnl.MonitorTest do
  # Linx.Netlink.Rtnl.Monitor watching a fresh network namespace while the
  # test changes it; what the events carry is checked against ip -j.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Netns

  alias Linx.Netlink.Rtnl.{Address, Link, Monitor}
  alias Linx.Netlink.Rtnl.Monitor.Event

  @moduletag skip: needs("rtnl")

  setup do
    fresh()
  end

  # Skips events until one matching `fun` arrives (a link change brings
  # several: new_link for each flag change, routes, addresses...).
  defp await(fun, timeout \\ 3000) do
    receive do
      {:linx_rtnl, :event, %Event{} = e} -> if fun.(e), do: e, else: await(fun, timeout)
    after
      timeout -> flunk("no matching event within #{timeout} ms")
    end
  end

  test "links and addresses, as they change", %{pid: pid, sock: sock} do
    {:ok, mon} = Monitor.subscribe(self(), netns: {:pid, pid})

    :ok = Link.create_veth(sock, "ve0", "ve1")
    e = await(&match?(%Event{op: :new_link, resource: %Link{name: "ve0"}}, &1))
    [o] = ipj(pid, ["link", "show", "dev", "ve0"])
    assert e.resource.index == o["ifindex"]

    :ok = Link.set_up(sock, "ve0")
    :ok = Address.add(sock, "ve0", "10.0.0.2", 24)
    e = await(&match?(%Event{op: :new_addr, resource: %Address{prefixlen: 24}}, &1))
    assert to_string(e.resource.address) == "10.0.0.2"
    assert e.resource.index == o["ifindex"]

    :ok = Address.delete(sock, "ve0", "10.0.0.2", 24)
    await(&match?(%Event{op: :del_addr}, &1))
    :ok = Link.delete(sock, "ve0")
    await(&match?(%Event{op: :del_link, resource: %Link{name: "ve0"}}, &1))

    ref = Process.monitor(mon)
    :ok = Monitor.unsubscribe(mon)
    assert_receive {:DOWN, ^ref, :process, ^mon, _}
  end

  test "group numbers narrow what is seen; the monitor ends with its owner", %{
    pid: pid,
    sock: sock
  } do
    # RTNLGRP_IPV4_IFADDR = 5: addresses only.
    owner =
      spawn(fn ->
        receive do
          :stop -> :ok
        end
      end)

    {:ok, mon} = Monitor.subscribe(self(), netns: {:pid, pid}, groups: [5])
    {:ok, other} = Monitor.start_link(owner: owner, netns: {:pid, pid})
    :ok = Link.create_veth(sock, "ve0", "ve1")
    :ok = Address.add(sock, "ve0", "10.0.0.2", 24)
    e = await(fn _ -> true end)
    assert %Event{op: :new_addr} = e

    Process.unlink(other)
    ref = Process.monitor(other)
    send(owner, :stop)
    assert_receive {:DOWN, ^ref, :process, ^other, _}, 2000
    :ok = Monitor.stop(mon)
  end

  test "bad options" do
    Process.flag(:trap_exit, true)
    assert Monitor.start_link(owner: :me) == {:error, {:bad_owner, :me}}
    assert Monitor.start_link([]) == {:error, {:bad_owner, nil}}
    assert Monitor.subscribe(self(), netns: {:pid, -4}) == {:error, {:bad_netns, {:pid, -4}}}
    assert Monitor.subscribe(self(), groups: [0]) == {:error, {:bad_groups, [0]}}
    assert Monitor.subscribe(self(), groups: :all) == {:error, {:bad_groups, :all}}
    assert Monitor.subscribe(self(), rcvbuf: -1) == {:error, {:bad_rcvbuf, -1}}
    assert Monitor.subscribe(self(), colour: :red) == {:error, {:bad_option, :colour}}
    assert Monitor.subscribe(self(), :x) == {:error, {:bad_options, :x}}
  end
end
