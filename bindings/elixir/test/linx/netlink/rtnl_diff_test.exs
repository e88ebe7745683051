defmodule Linx.Netlink.Rtnl.DiffTest do
  # Linx.Netlink.Rtnl.Diff: ops computed from what the kernel lists in a
  # fresh netns, applied with the Rtnl modules, then a second diff must be
  # empty and ip -j must show the desired state with foreign state intact.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Netns

  alias Linx.Netlink.Rtnl.{Address, Diff, Link, Neighbour, Route, Rule}

  @moduletag skip: needs("rtnl")

  defp ip!(s), do: elem(Linx.IP.parse(s), 1)
  defp mac!(s), do: elem(Linx.MAC.parse(s), 1)

  defp route(dst, len, gw),
    do: %Route{family: :inet, dst: ip!(dst), dst_len: len, gateway: ip!(gw), protocol: :static}

  defp apply_route({op, r}, sock) do
    {dst, len} = {to_string(r.dst), r.dst_len}
    opts = [protocol: :static]

    case {op, len} do
      {:create, 0} -> Route.add_default(sock, r.gateway, opts)
      {:create, _} -> Route.add(sock, dst, len, r.gateway, opts)
      {:update, _} -> Route.replace(sock, dst, len, r.gateway, opts)
      {:delete, 0} -> Route.delete_default(sock, r.gateway, opts)
      {:delete, _} -> Route.delete(sock, dst, len, r.gateway, opts)
    end
  end

  describe "against the kernel" do
    setup do
      %{sock: sock} = ctx = fresh()
      :ok = Link.create_veth(sock, "ve0", "ve1")
      :ok = Link.set_up(sock, "ve0")
      :ok = Address.add(sock, "ve0", "10.0.0.2", 24)
      ctx
    end

    test "routes converge, two-way by protocol", %{pid: pid, sock: sock} do
      :ok = Route.add(sock, "10.50.0.0", 24, "10.0.0.1", protocol: :static)
      :ok = Route.add(sock, "10.51.0.0", 24, "10.0.0.1", protocol: :static)
      :ok = Route.add(sock, "10.60.0.0", 24, "10.0.0.1")

      desired = [
        route("10.50.0.0", 24, "10.0.0.3"),
        route("10.52.0.0", 24, "10.0.0.1"),
        route("0.0.0.0", 0, "10.0.0.1")
      ]

      {:ok, observed} = Route.list(sock)
      ops = Diff.routes(desired, observed, :static)

      assert [
               {:update, %Route{dst_len: 24} = u},
               {:create, %Route{dst_len: 24} = c},
               {:create, %Route{dst_len: 0}},
               {:delete, %Route{dst_len: 24} = d}
             ] = ops

      assert {u.dst, c.dst, d.dst} == {ip!("10.50.0.0"), ip!("10.52.0.0"), ip!("10.51.0.0")}

      for op <- ops, do: :ok = apply_route(op, sock)
      {:ok, observed} = Route.list(sock)
      assert Diff.routes(desired, observed, 4) == []

      shown = for r <- ipj(pid, ["route", "show"]), do: {r["dst"], r["gateway"], r["protocol"]}

      assert Enum.sort(shown) ==
               Enum.sort([
                 {"default", "10.0.0.1", "static"},
                 {"10.0.0.0/24", nil, "kernel"},
                 {"10.50.0.0/24", "10.0.0.3", "static"},
                 {"10.52.0.0/24", "10.0.0.1", "static"},
                 # another writer's route is not ours to delete
                 {"10.60.0.0/24", "10.0.0.1", nil}
               ])
    end

    test "addresses converge, three-way by owned keys", %{pid: pid, sock: sock} do
      :ok = Address.add(sock, "ve0", "10.0.0.9", 24)
      {:ok, ve0} = Link.get(sock, "ve0")
      want = %Address{index: ve0.index, family: :inet, address: ip!("10.0.0.5"), prefixlen: 24}
      owned = MapSet.new([{ve0.index, :inet, ip!("10.0.0.9"), 24}])

      {:ok, observed} = Address.list(sock)
      ops = Diff.addresses([want], observed, owned)
      assert [{:create, ^want}, {:delete, %Address{address: deleted}}] = ops
      assert deleted == ip!("10.0.0.9")

      for {op, a} <- ops do
        fun = if op == :create, do: :add, else: :delete
        :ok = apply(Address, fun, [sock, "ve0", a.address, a.prefixlen])
      end

      {:ok, observed} = Address.list(sock)
      assert Diff.addresses([want], observed, owned) == []

      shown =
        for l <- ipj(pid, ["-4", "address", "show", "dev", "ve0"]),
            a <- l["addr_info"],
            do: a["local"]

      # 10.0.0.2 was never ours: it stays.
      assert Enum.sort(shown) == ["10.0.0.2", "10.0.0.5"]
    end
  end

  describe "pure" do
    test "route keys: default routes, tables and metrics" do
      built = %Route{family: :inet, dst: ip!("0.0.0.0"), dst_len: 0}
      seen = %Route{family: :inet, dst: nil, dst_len: 0, table: 254, table_ext: 254}
      assert Diff.route_key(built) == Diff.route_key(seen)

      assert Diff.route_key(%Route{family: :inet, dst: ip!("10.0.0.0"), dst_len: 8, table: 100}) ==
               {100, :inet, ip!("10.0.0.0"), 8, 0}
    end

    test "neighbours: a changed MAC is an update; foreign entries stay" do
      a = %Neighbour{ifindex: 2, dst: ip!("10.0.0.7"), lladdr: mac!("02:00:00:00:00:07")}
      b = %{a | lladdr: mac!("02:00:00:00:00:08")}
      foreign = %Neighbour{ifindex: 2, dst: ip!("10.0.0.8"), lladdr: mac!("02:00:00:00:00:09")}
      assert Diff.neighbours([b], [a, foreign], MapSet.new()) == [{:update, b}]
      owned = MapSet.new([Diff.neighbour_key(foreign)])
      assert Diff.neighbours([], [a, foreign], owned) == [{:delete, foreign}]
    end

    test "rules and links, three-way" do
      r1 = %Rule{priority: 100, family: :inet, fwmark: 1, table: 100}
      r2 = %Rule{priority: 200, family: :inet, fwmark: 2, table: 100}
      assert Diff.rules([r1], [r2], MapSet.new()) == [{:create, r1}]
      assert Diff.rules([r1], [r1, r2], MapSet.new([Diff.rule_key(r2)])) == [{:delete, r2}]

      l1 = %Link{name: "a"}
      l2 = %Link{name: "b", index: 3}
      assert Diff.links([l1], [l2], MapSet.new(["b"])) == [{:create, l1}, {:delete, l2}]
      assert Diff.links([l1], [l1, l2], MapSet.new()) == []
    end

    test "two_way/4 and three_way/5 with custom keys and values" do
      key = & &1.index
      value = & &1.mtu
      d = [%Link{index: 1, mtu: 1500}, %Link{index: 2, mtu: 9000}]
      o = [%Link{index: 2, mtu: 1500}, %Link{index: 3, mtu: 1500}]

      assert Diff.two_way(d, o, key, value) == [
               {:create, hd(d)},
               {:update, List.last(d)},
               {:delete, List.last(o)}
             ]

      assert Diff.three_way(d, o, MapSet.new(), key) == [{:create, hd(d)}]
    end
  end
end
