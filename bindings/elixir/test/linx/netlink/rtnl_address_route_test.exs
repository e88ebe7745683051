defmodule Linx.Netlink.Rtnl.AddressRouteTest do
  # Linx.Netlink.Rtnl.Address and Route against the live kernel, in a fresh
  # network namespace per test holding a veth pair, with `ip -j address` and
  # `ip -j route` run in the same namespace as the oracle.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Netns
  import Bitwise, only: [<<<: 2]

  alias Linx.Netlink.Error
  alias Linx.Netlink.Rtnl.{Address, Link, Route}

  @moduletag skip: needs("rtnl")

  setup do
    %{sock: sock} = ctx = fresh()
    :ok = Link.create_veth(sock, "ve0", "ve1")
    :ok = Link.set_up(sock, "ve0")
    :ok = Link.set_up(sock, "ve1")
    :ok = Link.set_up(sock, "lo")
    ctx
  end

  defp ip!(s), do: elem(Linx.IP.parse(s), 1)

  # ---- addresses ----------------------------------------------------------------

  defp oracle_addresses(pid, args \\ []) do
    for link <- ipj(pid, ["address", "show" | args]), a <- link["addr_info"] do
      {link["ifindex"], String.to_atom(a["family"]), a["local"], a["prefixlen"],
       String.to_atom(a["scope"])}
    end
    |> Enum.sort()
  end

  defp ours(addrs) do
    addrs
    |> Enum.map(&{&1.index, &1.family, to_string(&1.address), &1.prefixlen, &1.scope})
    |> Enum.sort()
  end

  describe "Address" do
    test "add/4, list/1,2 and delete/4 agree with ip -j address", %{pid: pid, sock: sock} do
      :ok = Address.add(sock, "ve0", "10.0.0.2", 24)
      :ok = Address.add(sock, "ve0", ip!("fd00::2"), 64)
      :ok = Address.add(sock, "ve1", "10.0.1.2", 24)

      assert_agree(fn -> ours(elem(Address.list(sock), 1)) end, fn -> oracle_addresses(pid) end)

      assert_agree(
        fn -> ours(elem(Address.list(sock, "ve0"), 1)) end,
        fn -> oracle_addresses(pid, ["dev", "ve0"]) end
      )

      {:ok, on_ve0} = Address.list(sock, "ve0")
      {:ok, ve0} = Link.get(sock, "ve0")
      assert Enum.all?(on_ve0, &(&1.index == ve0.index))

      v4 = Enum.find(on_ve0, &(&1.address == ip!("10.0.0.2")))
      assert %Address{family: :inet, prefixlen: 24, scope: :global, local: local} = v4
      assert local == ip!("10.0.0.2")
      assert :permanent in v4.flags
      assert inspect(v4) == "#Linx.Netlink.Rtnl.Address<10.0.0.2/24 ifindex=#{ve0.index}>"

      v6 = Enum.find(on_ve0, &(&1.address == ip!("fd00::2")))
      assert %Address{family: :inet6, prefixlen: 64} = v6
      assert inspect(v6) == "#Linx.Netlink.Rtnl.Address<fd00::2/64 ifindex=#{ve0.index}>"

      :ok = Address.delete(sock, "ve0", "10.0.0.2", 24)
      :ok = Address.delete(sock, "ve0", ip!("fd00::2"), 64)
      refute Enum.any?(oracle_addresses(pid), &(elem(&1, 2) in ["10.0.0.2", "fd00::2"]))
      assert_agree(fn -> ours(elem(Address.list(sock), 1)) end, fn -> oracle_addresses(pid) end)
    end

    test "kernel refusals", %{sock: sock} do
      :ok = Address.add(sock, "ve0", "10.0.0.2", 24)
      assert {:error, %Error{errno: :eexist}} = Address.add(sock, "ve0", "10.0.0.2", 24)
      assert {:error, %Error{errno: :enodev}} = Address.add(sock, "nope0", "10.0.0.2", 24)

      assert {:error, %Error{errno: :eaddrnotavail}} = Address.delete(sock, "ve0", "10.0.0.9", 24)

      assert {:error, %Error{errno: :enodev}} = Address.list(sock, "nope0")
    end

    test "bad input", %{sock: sock} do
      assert Address.add(sock, "ve0", "10.0.0.256", 24) == {:error, {:bad_address, "10.0.0.256"}}
      assert Address.add(sock, "ve0", ~c"10.0.0.1", 24) == {:error, {:bad_address, ~c"10.0.0.1"}}

      assert Address.add(sock, "ve0", "10.0.0.1/24", 24) ==
               {:error, {:bad_address, "10.0.0.1/24"}}

      assert Address.add(sock, "ve0", "10.0.0.1", 33) == {:error, {:bad_prefix, 33}}
      assert Address.add(sock, "ve0", "fd00::1", 129) == {:error, {:bad_prefix, 129}}
      assert Address.add(sock, "ve0", "10.0.0.1", "24") == {:error, {:bad_prefix, "24"}}
      assert Address.delete(sock, "a/b", "10.0.0.1", 24) == {:error, {:bad_name, "a/b"}}
      assert Address.list(sock, 7) == {:error, {:bad_name, 7}}
      assert Address.list(nil) == {:error, {:bad_socket, nil}}
    end
  end

  # ---- routes -------------------------------------------------------------------

  defp names(sock) do
    {:ok, links} = Link.list(sock)
    Map.new(links, &{&1.index, &1.name})
  end

  defp route_text(%Route{dst: nil, dst_len: 0}), do: "default"

  defp route_text(%Route{dst: ip, dst_len: len}) do
    if len == bit_size(ip.bytes), do: to_string(ip), else: "#{ip}/#{len}"
  end

  defp table_text(254), do: nil
  defp table_text(255), do: "local"
  defp table_text(n), do: Integer.to_string(n)

  defp ours_routes(sock) do
    {:ok, routes} = Route.list(sock)
    names = names(sock)

    routes
    |> Enum.map(fn r ->
      {route_text(r), r.gateway && to_string(r.gateway), names[r.oif],
       table_text(Route.target_table(r)), to_string(r.type), to_string(r.protocol)}
    end)
    |> Enum.sort()
  end

  defp oracle_routes(pid) do
    for fam <- ["-4", "-6"], r <- ipj(pid, [fam, "route", "show", "table", "all"]) do
      {r["dst"], r["gateway"], r["dev"], r["table"], r["type"] || "unicast",
       r["protocol"] || "boot"}
    end
    |> Enum.sort()
  end

  describe "Route" do
    setup %{sock: sock} do
      :ok = Address.add(sock, "ve0", "10.0.0.2", 24)
      :ok = Address.add(sock, "ve0", "fd00::2", 64)
      :ok
    end

    test "list/1 agrees with ip -j route show table all", %{pid: pid, sock: sock} do
      :ok = Route.add(sock, "10.9.0.0", 24, "10.0.0.1")
      :ok = Route.add(sock, "10.50.0.0", 24, "10.0.0.1", table: 100, protocol: :static, metric: 5)
      :ok = Route.add(sock, "10.51.0.0", 16, "10.0.0.1", table: 1000, protocol: 77)
      :ok = Route.add_default(sock, "10.0.0.1")
      assert_agree(fn -> ours_routes(sock) end, fn -> oracle_routes(pid) end)

      {:ok, routes} = Route.list(sock)
      r = Enum.find(routes, &(&1.dst == ip!("10.50.0.0")))

      assert %Route{
               family: :inet,
               dst_len: 24,
               protocol: :static,
               priority: 5,
               table: 100,
               type: :unicast,
               scope: :global
             } = r

      assert r.gateway == ip!("10.0.0.1")
      assert Route.target_table(r) == 100

      big = Enum.find(routes, &(&1.dst == ip!("10.51.0.0")))
      assert big.table == 252 and big.table_ext == 1000 and Route.target_table(big) == 1000
      assert big.protocol == 77

      [o] = ipj(pid, ["route", "show", "table", "1000"])
      assert o["dst"] == "10.51.0.0/16" and o["protocol"] == "77"

      default = Enum.find(routes, &(&1.dst == nil and &1.family == :inet))
      {:ok, ve0} = Link.get(sock, "ve0")
      assert inspect(default) == "#Linx.Netlink.Rtnl.Route<default via 10.0.0.1 oif=#{ve0.index}>"
    end

    test "IPv6 routes", %{pid: pid, sock: sock} do
      :ok = Route.add(sock, "fd01::", 64, "fd00::1")
      :ok = Route.add_default(sock, ip!("fd00::1"))
      assert_agree(fn -> ours_routes(sock) end, fn -> oracle_routes(pid) end)
      :ok = Route.delete(sock, "fd01::", 64, "fd00::1")
      :ok = Route.delete_default(sock, "fd00::1")
      assert_agree(fn -> ours_routes(sock) end, fn -> oracle_routes(pid) end)
      refute Enum.any?(oracle_routes(pid), &(elem(&1, 1) == "fd00::1"))
    end

    test "replace/5 rewrites the gateway in place; add/5 is strict", %{pid: pid, sock: sock} do
      :ok = Route.add(sock, "10.9.0.0", 24, "10.0.0.1")
      assert {:error, %Error{errno: :eexist}} = Route.add(sock, "10.9.0.0", 24, "10.0.0.1")
      :ok = Route.replace(sock, "10.9.0.0", 24, "10.0.0.3")
      assert [%{"gateway" => "10.0.0.3"}] = ipj(pid, ["route", "show", "10.9.0.0/24"])
      :ok = Route.replace(sock, "10.9.0.0", 24, "10.0.0.3")
      assert length(ipj(pid, ["route", "show", "10.9.0.0/24"])) == 1
      :ok = Route.delete(sock, "10.9.0.0", 24, "10.0.0.3")
      assert ipj(pid, ["route", "show", "10.9.0.0/24"]) == []
    end

    test "delete/5 narrows by options", %{pid: pid, sock: sock} do
      :ok = Route.add(sock, "10.9.0.0", 24, "10.0.0.1", table: 100, protocol: :static)

      assert {:error, %Error{errno: :esrch}} =
               Route.delete(sock, "10.9.0.0", 24, "10.0.0.1", table: 100, protocol: :dhcp)

      :ok = Route.delete(sock, "10.9.0.0", 24, "10.0.0.1", table: 100)
      assert ipj(pid, ["route", "show", "table", "100"]) == []
    end

    test "get/2 resolves like ip route get", %{pid: pid, sock: sock} do
      :ok = Route.add(sock, "192.168.9.0", 24, "10.0.0.254")
      {:ok, r} = Route.get(sock, "192.168.9.7")
      [o] = ipj(pid, ["route", "get", "192.168.9.7"])
      assert to_string(r.gateway) == o["gateway"]
      assert route_text(r) == o["dst"]
      assert names(sock)[r.oif] == o["dev"]
      assert {:ok, ^r} = Route.get(sock, ip!("192.168.9.7"))

      assert {:error, %Error{errno: :enetunreach}} = Route.get(sock, "172.31.0.1")
    end

    test "bad input", %{sock: sock} do
      assert Route.add(sock, "10.9.0.x", 24, "10.0.0.1") == {:error, {:bad_address, "10.9.0.x"}}
      assert Route.add(sock, "10.9.0.0", 40, "10.0.0.1") == {:error, {:bad_prefix, 40}}
      assert Route.add(sock, "10.9.0.0", 24, "nope") == {:error, {:bad_gateway, "nope"}}
      assert Route.add(sock, "10.9.0.0", 24, "fd00::1") == {:error, {:bad_gateway, "fd00::1"}}
      assert Route.add_default(sock, 42) == {:error, {:bad_gateway, 42}}
      assert Route.add(sock, "10.9.0.0", 24, "10.0.0.1", table: 0) == {:error, {:bad_table, 0}}

      assert Route.add(sock, "10.9.0.0", 24, "10.0.0.1", table: 1 <<< 32) ==
               {:error, {:bad_table, 1 <<< 32}}

      assert Route.add(sock, "10.9.0.0", 24, "10.0.0.1", protocol: 256) ==
               {:error, {:bad_protocol, 256}}

      assert Route.add(sock, "10.9.0.0", 24, "10.0.0.1", protocol: :made_up) ==
               {:error, {:bad_protocol, :made_up}}

      assert Route.add(sock, "10.9.0.0", 24, "10.0.0.1", metric: -1) ==
               {:error, {:bad_metric, -1}}

      assert Route.add(sock, "10.9.0.0", 24, "10.0.0.1", via: "x") ==
               {:error, {:bad_option, :via}}

      assert Route.add(sock, "10.9.0.0", 24, "10.0.0.1", :x) == {:error, {:bad_options, :x}}
      assert Route.get(sock, "host.example") == {:error, {:bad_address, "host.example"}}
      assert Route.list("sock") == {:error, {:bad_socket, "sock"}}
    end
  end
end
