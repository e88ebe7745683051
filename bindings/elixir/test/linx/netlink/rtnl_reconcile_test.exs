defmodule Linx.Netlink.Rtnl.ReconcileTest do
  # Linx.Netlink.Rtnl.Reconcile (+ Report, Source) and the Linx.Reconcile
  # loop driving it, each test in a network namespace of its own
  # (LinxTest.Netns.fresh/0) with a veth pair named eth0/eth1, so the
  # spec's examples run as written.  ip -j in that namespace is the
  # oracle; drift is made with ip(8) there too.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Netns

  alias Linx.Netlink.Rtnl.{Address, Diff, Link, Reconcile, Route}
  alias Linx.Netlink.Rtnl.Reconcile.{Report, Source}

  @moduletag skip: needs("rtnl")

  doctest Linx.Netlink.Rtnl.Reconcile.Report

  @t if System.get_env("LINX_TEST_LANE") == "vm", do: 60_000, else: 10_000

  # The spec's example desired state, eth0 being the veth made in setup.
  @desired %{
    addresses: [
      {"eth0", "10.0.0.2", 24},
      {"eth0", "fc00::1", 64}
    ],
    routes: [
      {"10.50.0.0", 24, "10.0.0.1"},
      {"10.60.0.0", 24, "10.0.0.1", table: 100, metric: 50},
      {:default, "10.0.0.1"}
    ]
  }

  setup do
    %{sock: sock, pid: pid} = ctx = fresh()
    :ok = Link.create_veth(sock, "eth0", "eth1")
    :ok = Link.set_up(sock, "eth1")
    :ok = Link.set_up(sock, "eth0")
    [o] = ipj(pid, ["link", "show", "dev", "eth0"])
    Map.put(ctx, :index, o["ifindex"])
  end

  defp ip!(s), do: elem(Linx.IP.parse(s), 1)

  # Global addresses of eth0 as "ip/len", sorted.
  defp addrs(pid) do
    for %{"addr_info" => infos} <- ipj(pid, ["address", "show", "dev", "eth0"]),
        a <- infos,
        a["scope"] == "global",
        do: "#{a["local"]}/#{a["prefixlen"]}"
  end

  # Routes with our tag, as "dst via gw" (all tables), sorted.
  defp routes(pid, proto \\ "76") do
    ipj(pid, ["route", "show", "table", "all", "proto", proto])
    |> Enum.map(&"#{&1["dst"]} via #{&1["gateway"]} table #{&1["table"] || "main"}")
    |> Enum.sort()
  end

  defp converged_state(pid, foreign \\ []) do
    assert Enum.sort(addrs(pid)) == Enum.sort(["10.0.0.2/24", "fc00::1/64" | foreign])

    assert routes(pid) == [
             "10.50.0.0/24 via 10.0.0.1 table main",
             "10.60.0.0/24 via 10.0.0.1 table 100",
             "default via 10.0.0.1 table main"
           ]
  end

  describe "reconcile/4" do
    test "the spec's example: from nothing, then a second pass does nothing", %{
      sock: sock,
      pid: pid,
      index: index
    } do
      assert Reconcile.default_protocol() == 76
      assert addrs(pid) == [] and routes(pid) == []

      assert {:ok, %Report{} = r} = Reconcile.reconcile(sock, @desired)
      assert r.converged? and r.failed == [] and r.pending == []
      assert inspect(r) == "#Linx.Netlink.Rtnl.Reconcile.Report<converged: 5 applied>"
      converged_state(pid)

      # Address creates first, then the routes.
      assert [
               {:create, %Address{family: :inet, index: ^index, prefixlen: 24} = a4},
               {:create, %Address{family: :inet6, index: ^index, prefixlen: 64} = a6}
               | route_ops
             ] = r.applied

      assert a4.address == ip!("10.0.0.2") and a6.address == ip!("fc00::1")
      assert length(route_ops) == 3

      for {:create, %Route{} = route} <- route_ops do
        assert route.protocol == 76 and route.gateway == ip!("10.0.0.1")
      end

      assert Enum.find(route_ops, &match?({_, %Route{table_ext: 100}}, &1)) ==
               {:create,
                %Route{
                  dst: ip!("10.60.0.0"),
                  dst_len: 24,
                  src_len: 0,
                  family: :inet,
                  gateway: ip!("10.0.0.1"),
                  priority: 50,
                  protocol: 76,
                  scope: :global,
                  table: 100,
                  table_ext: 100,
                  tos: 0,
                  type: :unicast
                }}

      # The ownership record is Diff.address_key/1 of what the kernel lists.
      {:ok, listed} = Address.list(sock, "eth0")
      keys = for a <- listed, a.scope == :global, into: MapSet.new(), do: Diff.address_key(a)
      assert r.last_applied == %{addresses: keys}
      assert MapSet.size(keys) == 2

      # Diff.route_key/1 of the ops agrees with the kernel's routes.
      {:ok, kernel_routes} = Route.list(sock)
      ours = for k <- kernel_routes, k.protocol == 76, into: MapSet.new(), do: Diff.route_key(k)
      assert MapSet.new(route_ops, fn {_, rt} -> Diff.route_key(rt) end) == ours

      assert {:ok, r2} = Reconcile.reconcile(sock, @desired, r.last_applied)
      assert r2.converged? and r2.applied == [] and r2.failed == [] and r2.pending == []
      assert r2.last_applied == r.last_applied
      assert inspect(r2) == "#Linx.Netlink.Rtnl.Reconcile.Report<converged: 0 applied>"
      converged_state(pid)
    end

    test "Linx.IP values, IPv6 routes and the desired keys are all optional", %{
      sock: sock,
      pid: pid
    } do
      desired = %{
        addresses: [{"eth0", ip!("fd00::2"), 64}],
        routes: [{ip!("fd01::"), 64, ip!("fd00::1")}, {:default, "fd00::1", metric: 300}]
      }

      assert {:ok, %Report{converged?: true, applied: applied}} =
               Reconcile.reconcile(sock, desired)

      assert length(applied) == 3
      assert addrs(pid) == ["fd00::2/64"]

      assert ipj(pid, ["-6", "route", "show", "proto", "76"])
             |> Enum.map(&{&1["dst"], &1["gateway"], &1["metric"]})
             |> Enum.sort() == [{"default", "fd00::1", 300}, {"fd01::/64", "fd00::1", 1024}]

      # Nothing desired and nothing owned: the routes (ours by tag) go,
      # the address (not owned, since no last_applied) stays.
      assert {:ok, r} = Reconcile.reconcile(sock, %{})
      assert r.converged? and length(r.applied) == 2
      assert Enum.all?(r.applied, &match?({:delete, %Route{protocol: 76}}, &1))
      assert routes(pid) == []
      assert addrs(pid) == ["fd00::2/64"]
      assert r.last_applied == %{addresses: MapSet.new()}
    end

    test "drift made with ip is healed by one pass and reported; foreign state stays", %{
      sock: sock,
      pid: pid,
      index: index
    } do
      {:ok, r} = Reconcile.reconcile(sock, @desired)
      assert r.converged?

      ip(pid, ["address", "del", "fc00::1/64", "dev", "eth0"])
      ip(pid, ["route", "del", "10.50.0.0/24"])
      ip(pid, ["route", "replace", "default", "via", "10.0.0.9", "proto", "76"])
      # Not ours: an address nobody desired, a route with the boot tag.
      ip(pid, ["address", "add", "10.1.0.99/24", "dev", "eth0"])
      ip(pid, ["route", "add", "10.80.0.0/24", "via", "10.0.0.1"])

      assert {:ok, r2} = Reconcile.reconcile(sock, @desired, r.last_applied)
      assert r2.converged?

      assert Enum.sort(Enum.map(r2.applied, &summary/1)) == [
               {:create, :address, "fc00::1/64"},
               {:create, :route, "10.50.0.0/24"},
               {:update, :route, "default"}
             ]

      assert {:update, %Route{gateway: gw}} = Enum.find(r2.applied, &match?({:update, _}, &1))
      assert gw == ip!("10.0.0.1")
      assert inspect(r2) == "#Linx.Netlink.Rtnl.Reconcile.Report<converged: 3 applied>"

      assert routes(pid, "boot") == ["10.80.0.0/24 via 10.0.0.1 table main"]
      converged_state(pid, ["10.1.0.99/24"])

      # The extra address is not owned: it stays in the next passes too.
      refute MapSet.member?(r2.last_applied.addresses, {index, :inet, ip!("10.1.0.99"), 24})
      assert {:ok, %Report{applied: []}} = Reconcile.reconcile(sock, @desired, r2.last_applied)
      assert "10.1.0.99/24" in addrs(pid)
    end

    test "prune: what left the desired state goes if it was ours, never foreign state", %{
      sock: sock,
      pid: pid,
      index: index
    } do
      {:ok, r} = Reconcile.reconcile(sock, @desired)
      # In a subnet of its own: deleting a primary IPv4 address takes the
      # secondaries of its subnet with it.
      ip(pid, ["address", "add", "10.1.0.99/24", "dev", "eth0"])
      ip(pid, ["route", "add", "10.70.0.0/24", "via", "10.0.0.1", "proto", "static"])

      smaller = %{addresses: [{"eth0", "10.0.0.2", 24}], routes: [{:default, "10.0.0.1"}]}

      # Without the ownership record, owned addresses are not known:
      # nothing but our routes (owned by their tag) is deleted.
      assert {:ok, r_blind} = Reconcile.reconcile(sock, smaller)

      assert Enum.sort(Enum.map(r_blind.applied, &summary/1)) == [
               {:delete, :route, "10.50.0.0/24"},
               {:delete, :route, "10.60.0.0/24"}
             ]

      assert "fc00::1/64" in addrs(pid)
      assert routes(pid) == ["default via 10.0.0.1 table main"]

      # With it, the owned IPv6 address goes; the foreign ones stay.
      assert {:ok, r2} = Reconcile.reconcile(sock, smaller, r.last_applied)
      assert r2.converged?

      assert [{:delete, %Address{family: :inet6, index: ^index, prefixlen: 64} = a}] = r2.applied

      assert a.address == ip!("fc00::1")
      assert Enum.sort(addrs(pid)) == ["10.0.0.2/24", "10.1.0.99/24"]
      assert routes(pid, "static") == ["10.70.0.0/24 via 10.0.0.1 table main"]
      assert r2.last_applied == %{addresses: MapSet.new([{index, :inet, ip!("10.0.0.2"), 24}])}

      # An address desired while already there is owned from then on
      # (the plugin's rule: what a pass stands behind), so dropping it
      # from the desired state deletes it.
      {:ok, r3} =
        Reconcile.reconcile(sock, %{addresses: [{"eth0", "10.1.0.99", 24}]}, r2.last_applied)

      assert Enum.map(r3.applied, &summary/1) == [
               {:delete, :route, "default"},
               {:delete, :address, "10.0.0.2/24"}
             ]

      assert r3.last_applied == %{addresses: MapSet.new([{index, :inet, ip!("10.1.0.99"), 24}])}
      {:ok, r4} = Reconcile.reconcile(sock, %{}, r3.last_applied)
      assert Enum.map(r4.applied, &summary/1) == [{:delete, :address, "10.1.0.99/24"}]
      assert addrs(pid) == [] and routes(pid) == []
    end

    test ":protocol chooses which routes are ours", %{sock: sock, pid: pid} do
      :ok = Address.add(sock, "eth0", "10.0.0.2", 24)
      ip(pid, ["route", "add", "10.70.0.0/24", "via", "10.0.0.1", "proto", "static"])
      desired = %{routes: [{"10.50.0.0", 24, "10.0.0.1", protocol: :boot}]}

      assert {:ok, r} = Reconcile.reconcile(sock, desired, %{}, protocol: :static)

      assert Enum.map(r.applied, &summary/1) == [
               {:create, :route, "10.50.0.0/24"},
               {:delete, :route, "10.70.0.0/24"}
             ]

      # The entry's own :protocol is overridden by the pass's.
      assert [{:create, %Route{protocol: :static}}, {:delete, %Route{protocol: :static}}] =
               r.applied

      assert routes(pid, "static") == ["10.50.0.0/24 via 10.0.0.1 table main"]

      assert {:ok, %Report{applied: []}} = Reconcile.reconcile(sock, desired, %{}, protocol: 4)
      # Another tag does not see it, and cannot take its place: the
      # kernel refuses a second route with the same table, destination
      # and metric, and the route stays the other owner's.
      assert {:ok, r2} = Reconcile.reconcile(sock, desired, %{}, protocol: 200)
      refute r2.converged?
      assert r2.applied == [] and r2.pending == []

      assert [{{:create, %Route{protocol: 200}}, %Linx.Netlink.Error{errno: :eexist}}] = r2.failed

      assert inspect(r2) == "#Linx.Netlink.Rtnl.Reconcile.Report<0 applied, 1 failed>"
      assert routes(pid, "static") == ["10.50.0.0/24 via 10.0.0.1 table main"]
    end

    test "fail-fast: a pass the kernel refuses stops, reports, and the next one finishes", %{
      sock: sock,
      pid: pid
    } do
      {:ok, r} = Reconcile.reconcile(sock, @desired)

      # Admin state is not the reconciler's: with eth0 down the kernel
      # drops its routes and refuses new ones through it.
      ip(pid, ["link", "set", "eth0", "down"])
      assert routes(pid) == []

      assert {:ok, r2} = Reconcile.reconcile(sock, @desired, r.last_applied)
      refute r2.converged?
      assert [{{:create, %Route{}}, %Linx.Netlink.Error{errno: errno}}] = r2.failed
      assert is_atom(errno) and errno != nil
      assert Enum.all?(r2.pending, &match?({:create, %Route{}}, &1))
      assert (length(r2.applied) + length(r2.failed) + length(r2.pending)) in 3..4

      assert inspect(r2) =~
               ~r/^#Linx.Netlink.Rtnl.Reconcile.Report<\d applied, 1 failed(, \d pending)?>$/

      # Nothing of the failed pass is disowned.
      assert r2.last_applied == r.last_applied

      ip(pid, ["link", "set", "eth0", "up"])
      assert {:ok, r3} = Reconcile.reconcile(sock, @desired, r2.last_applied)
      assert r3.converged? and r3.failed == [] and r3.pending == []
      converged_state(pid)
    end

    test "a desired state that cannot be applied is refused before anything is written", %{
      sock: sock,
      pid: pid
    } do
      ok_addr = {"eth0", "10.0.0.2", 24}
      n = fn reason -> {:error, {:normalize, reason}} end
      rec = &Reconcile.reconcile(sock, &1)

      assert rec.(%{addresses: [ok_addr, {"nope0", "10.0.0.3", 24}]}) ==
               n.({:unknown_interface, "nope0"})

      assert rec.(%{routes: [{"10.9.0.0", 24, "10.0.0.1"}], addresses: [{"a/b", "10.0.0.3", 24}]}) ==
               n.({:unknown_interface, "a/b"})

      assert rec.(%{addresses: [ok_addr, {"eth0", "10.0.0.x", 24}]}) ==
               n.({:bad_address, {"eth0", "10.0.0.x", 24}})

      assert rec.(%{addresses: [{"eth0", "10.0.0.2", 33}]}) ==
               n.({:bad_address, {"eth0", "10.0.0.2", 33}})

      assert rec.(%{addresses: [{"eth0", "10.0.0.2"}]}) ==
               n.({:bad_address, {"eth0", "10.0.0.2"}})

      assert rec.(%{addresses: [ok_addr], routes: [{"10.50.0.0", 24, "fc00::1"}]}) ==
               n.({:family_mismatch, {"10.50.0.0", 24, "fc00::1"}})

      assert rec.(%{routes: [{"10.50.0.1", 24, "10.0.0.1"}]}) ==
               n.({:bad_route, {"10.50.0.1", 24, "10.0.0.1"}})

      assert rec.(%{routes: [{"10.50.0.0", 24, "10.0.0.1", table: 0}]}) ==
               n.({:bad_route, {"10.50.0.0", 24, "10.0.0.1", table: 0}})

      assert rec.(%{routes: [{"10.50.0.0", 24, "10.0.0.1", dev: "eth0"}]}) ==
               n.({:bad_route, {"10.50.0.0", 24, "10.0.0.1", dev: "eth0"}})

      assert rec.(%{routes: [{:default, :nowhere}]}) == n.({:bad_route, {:default, :nowhere}})
      assert rec.(%{routes: ["10.50.0.0/24"]}) == n.({:bad_route, "10.50.0.0/24"})

      assert rec.(%{addresses: [ok_addr, ok_addr]}) == n.({:duplicate, ok_addr})

      assert rec.(%{routes: [{"10.50.0.0", 24, "10.0.0.1"}, {"10.50.0.0", 24, "10.0.0.3"}]}) ==
               n.({:duplicate, {"10.50.0.0", 24, "10.0.0.3"}})

      assert rec.(%{links: ["eth0"]}) == n.({:bad_desired, %{links: ["eth0"]}})
      assert rec.(%{addresses: :all}) == n.({:bad_desired, %{addresses: :all}})
      assert rec.([]) == n.({:bad_desired, []})

      # Nothing was written by any of them.
      assert addrs(pid) == [] and routes(pid) == []

      # Arguments that are not desired state.
      assert Reconcile.reconcile(:sock, %{}) == {:error, {:bad_socket, :sock}}
      assert Reconcile.reconcile(sock, %{}, %{}, protocol: 0) == {:error, {:bad_protocol, 0}}

      assert Reconcile.reconcile(sock, %{}, %{}, protocol: :bgpx) ==
               {:error, {:bad_protocol, :bgpx}}

      assert Reconcile.reconcile(sock, %{}, %{}, bogus: 1) == {:error, {:bad_option, :bogus}}
      assert Reconcile.reconcile(sock, %{}, %{}, :x) == {:error, {:bad_options, :x}}

      for la <- [:x, %{addresses: [1]}, %{addresses: MapSet.new([:k])}, %{routes: MapSet.new()}] do
        assert Reconcile.reconcile(sock, %{}, la) == {:error, {:bad_last_applied, la}}
      end

      # A socket that no longer works: the pass cannot observe.
      :ok = Linx.Netlink.Socket.close(sock)

      assert {:error, %Linx.Netlink.Error{errno: :ebadf}} =
               Reconcile.reconcile(sock, %{addresses: [ok_addr]})
    end
  end

  describe "Source and the Linx.Reconcile loop" do
    test "observe/2, reconcile/4 by namespace, and a scope that cannot be opened", %{pid: pid} do
      scope = {:pid, pid}
      assert {:ok, r} = Source.reconcile(scope, @desired, %{}, [])
      assert %Report{converged?: true} = r
      converged_state(pid)

      assert {:ok, %{links: links, addresses: addresses, routes: rs}} = Source.observe(scope, [])
      assert Enum.any?(links, &match?(%Link{name: "eth0"}, &1))
      assert Enum.count(addresses, &(&1.scope == :global)) == 2
      assert Enum.count(rs, &(&1.protocol == 76)) == 3

      assert Source.reconcile(:nowhere, @desired, %{}, []) == {:error, {:bad_netns, :nowhere}}

      assert {:error, %Linx.Netlink.Error{}} =
               Source.reconcile({:path, "/nonexistent/netns"}, @desired, %{}, [])
    end

    test "monitor hints alone heal drift made with ip", %{pid: pid} do
      {:ok, loop} =
        Linx.Reconcile.start_link(
          source: Source,
          scope: {:pid, pid},
          desired: @desired,
          interval: :infinity,
          debounce: 20,
          owner: self()
        )

      assert_receive {:linx_reconcile, :report, %Report{converged?: true}}, @t
      converged_state(pid)

      ip(pid, ["address", "del", "fc00::1/64", "dev", "eth0"])
      ip(pid, ["route", "del", "10.60.0.0/24", "table", "100"])
      wait_until(fn -> length(addrs(pid)) == 2 and length(routes(pid)) == 3 end)
      converged_state(pid)

      assert %Report{converged?: true, last_applied: %{addresses: owned}} =
               Linx.Reconcile.last_report(loop)

      assert MapSet.size(owned) == 2

      # put_desired drops the routes: the loop deletes them.
      :ok = Linx.Reconcile.put_desired(loop, Map.put(@desired, :routes, []))
      wait_until(fn -> routes(pid) == [] end)
      :ok = Linx.Reconcile.stop(loop)
    end

    test "the timer alone heals drift, with :protocol from reconcile_opts", %{pid: pid} do
      {:ok, loop} =
        Linx.Reconcile.start_link(
          source: Source,
          scope: {:pid, pid},
          desired: @desired,
          reconcile_opts: [protocol: :static],
          monitor: false,
          interval: 100
        )

      assert {:ok, %Report{}} = Linx.Reconcile.reconcile(loop, @t)
      assert length(routes(pid, "static")) == 3

      ip(pid, ["route", "del", "default"])
      ip(pid, ["address", "del", "10.0.0.2/24", "dev", "eth0"])
      wait_until(fn -> length(routes(pid, "static")) == 3 and "10.0.0.2/24" in addrs(pid) end)
      :ok = Linx.Reconcile.stop(loop)
    end

    test "a pass that cannot run keeps the loop; it converges once the link exists", %{
      pid: pid,
      sock: sock
    } do
      desired = %{addresses: [{"late0", "10.9.0.2", 24}]}

      {:ok, loop} =
        Linx.Reconcile.start_link(
          source: Source,
          scope: {:pid, pid},
          desired: desired,
          interval: :infinity,
          debounce: 20,
          owner: self()
        )

      assert_receive {:linx_reconcile, :error, {:normalize, {:unknown_interface, "late0"}}}, @t

      # The link's arrival is a monitor hint: the next pass goes through.
      :ok = Link.create_veth(sock, "late0", "late1")
      assert_receive {:linx_reconcile, :report, %Report{converged?: true, applied: [_]}}, @t

      assert [%{"addr_info" => [%{"local" => "10.9.0.2"} | _]}] =
               ipj(pid, ["address", "show", "dev", "late0", "scope", "global"])

      :ok = Linx.Reconcile.stop(loop)
    end
  end

  defp summary({op, %Address{address: ip, prefixlen: len}}), do: {op, :address, "#{ip}/#{len}"}
  defp summary({op, %Route{dst_len: 0}}), do: {op, :route, "default"}
  defp summary({op, %Route{dst: ip, dst_len: len}}), do: {op, :route, "#{ip}/#{len}"}
end
