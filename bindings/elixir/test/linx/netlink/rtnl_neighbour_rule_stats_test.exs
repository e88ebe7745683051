defmodule Linx.Netlink.Rtnl.NeighbourRuleStatsTest do
  # Linx.Netlink.Rtnl.Neighbour, Rule and Stats against the live kernel, in
  # a fresh network namespace per test, with `ip -j neigh`, `ip -j rule`
  # and `ip -j -s link` run in the same namespace as the oracle.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Netns
  import Bitwise, only: [<<<: 2]

  alias Linx.Netlink.Error
  alias Linx.Netlink.Rtnl.{Address, Link, Neighbour, Rule, Stats}
  alias Linx.Netlink.Rtnl.Stats.Link64

  @moduletag skip: needs("rtnl")

  doctest Link64

  setup do
    %{sock: sock} = ctx = fresh()
    :ok = Link.create_veth(sock, "ve0", "ve1")
    :ok = Link.set_up(sock, "ve0")
    :ok = Link.set_up(sock, "ve1")
    :ok = Address.add(sock, "ve0", "10.0.0.2", 24)
    ctx
  end

  defp ip!(s), do: elem(Linx.IP.parse(s), 1)
  defp mac!(s), do: elem(Linx.MAC.parse(s), 1)

  describe "Neighbour" do
    # With "dev X" ip leaves the dev out of each entry.
    defp permanent(pid, args \\ []) do
      dev = List.last([nil | args])

      for n <- ipj(pid, ["neigh", "show", "nud", "permanent" | args]),
          do: {n["dst"], n["dev"] || dev, n["lladdr"], n["state"]}
    end

    defp ours_permanent(neighs, sock) do
      {:ok, links} = Link.list(sock)
      names = Map.new(links, &{&1.index, &1.name})

      for n <- neighs, :permanent in n.state do
        {to_string(n.dst), names[n.ifindex], to_string(n.lladdr),
         Enum.map(n.state, &String.upcase(to_string(&1)))}
      end
    end

    test "add/4, list/1,2, delete/3 agree with ip -j neigh", %{pid: pid, sock: sock} do
      :ok = Neighbour.add(sock, "ve0", "10.0.0.7", "02:00:00:00:00:07")
      :ok = Neighbour.add(sock, "ve0", ip!("fd00::7"), mac!("02:00:00:00:00:08"))
      :ok = Neighbour.add(sock, "ve1", "10.0.1.7", "02:00:00:00:00:09")

      {:ok, all} = Neighbour.list(sock)
      assert Enum.sort(ours_permanent(all, sock)) == Enum.sort(permanent(pid))
      assert length(permanent(pid)) == 3

      {:ok, on_ve0} = Neighbour.list(sock, "ve0")

      assert Enum.sort(ours_permanent(on_ve0, sock)) ==
               Enum.sort(permanent(pid, ["dev", "ve0"]))

      {:ok, ve0} = Link.get(sock, "ve0")
      n = Enum.find(on_ve0, &(&1.dst == ip!("10.0.0.7")))
      assert %Neighbour{family: :inet, state: [:permanent]} = n
      assert n.lladdr == mac!("02:00:00:00:00:07")

      assert inspect(n) ==
               "#Linx.Netlink.Rtnl.Neighbour<10.0.0.7 -> 02:00:00:00:00:07 ifindex=#{ve0.index}>"

      assert {:error, %Error{errno: :eexist}} =
               Neighbour.add(sock, "ve0", "10.0.0.7", "02:00:00:00:00:07")

      :ok = Neighbour.delete(sock, "ve0", "10.0.0.7")
      :ok = Neighbour.delete(sock, "ve0", "fd00::7")
      assert permanent(pid, ["dev", "ve0"]) == []
      assert {:error, %Error{errno: :enoent}} = Neighbour.delete(sock, "ve0", "10.0.0.7")
      assert {:error, %Error{errno: :enodev}} = Neighbour.list(sock, "nope0")
    end

    test "bad input", %{sock: sock} do
      assert Neighbour.add(sock, "ve0", "10.0.0.x", "02:00:00:00:00:07") ==
               {:error, {:bad_address, "10.0.0.x"}}

      assert Neighbour.add(sock, "ve0", "10.0.0.7", "02:00:00:00:00") ==
               {:error, {:bad_mac, "02:00:00:00:00"}}

      assert Neighbour.add(sock, "ve0", "10.0.0.7", nil) == {:error, {:bad_mac, nil}}
      assert Neighbour.add(sock, "", "10.0.0.7", "02:00:00:00:00:07") == {:error, {:bad_name, ""}}
      assert Neighbour.delete(sock, "ve0", 10) == {:error, {:bad_address, 10}}
      assert Neighbour.list(sock, nil) == {:error, {:bad_name, nil}}
      assert Neighbour.list(:x) == {:error, {:bad_socket, :x}}
    end
  end

  describe "Rule" do
    # ip prints no srclen for a host (a full-length prefix).
    defp rule_text(r) do
      srclen = if r.src && r.src_len != bit_size(r.src.bytes), do: r.src_len

      {r.priority, if(r.src, do: to_string(r.src), else: "all"), srclen,
       r.fwmark && "0x" <> String.downcase(Integer.to_string(r.fwmark, 16)),
       case Rule.target_table(r) do
         255 -> "local"
         254 -> "main"
         253 -> "default"
         n -> Integer.to_string(n)
       end}
    end

    defp oracle_rules(pid) do
      for fam <- ["-4", "-6"], r <- ipj(pid, [fam, "rule", "show"]) do
        {r["priority"], r["src"], r["srclen"], r["fwmark"], r["table"]}
      end
    end

    test "add/2, list/1, delete/2 agree with ip -j rule", %{pid: pid, sock: sock} do
      :ok = Rule.add(sock, from: "10.1.0.0/16", table: 100)
      :ok = Rule.add(sock, fwmark: 0x10, table: 200, priority: 300)
      :ok = Rule.add(sock, from: ip!("fd00::1"), table: 1000, priority: 400)

      {:ok, rules} = Rule.list(sock)
      assert Enum.map(rules, &rule_text/1) == oracle_rules(pid)

      r = Enum.find(rules, &(&1.priority == 300))
      assert %Rule{family: :inet, fwmark: 0x10, table: 200, action: :to_tbl} = r
      assert inspect(r) == "#Linx.Netlink.Rtnl.Rule<priority=300 fwmark=0x10 table=200>"

      v6 = Enum.find(rules, &(&1.priority == 400))
      assert %Rule{family: :inet6, src_len: 128, table: 252, table_ext: 1000} = v6
      assert v6.src == ip!("fd00::1")
      assert Rule.target_table(v6) == 1000

      local = Enum.find(rules, &(&1.priority == 0 and &1.family == :inet))
      assert inspect(local) == "#Linx.Netlink.Rtnl.Rule<table=255>"

      assert {:error, %Error{errno: :eexist}} =
               Rule.add(sock, fwmark: 0x10, table: 200, priority: 300)

      :ok = Rule.delete(sock, from: "10.1.0.0/16", table: 100)
      :ok = Rule.delete(sock, fwmark: 0x10, table: 200, priority: 300)
      :ok = Rule.delete(sock, from: "fd00::1/128", table: 1000)
      {:ok, rules} = Rule.list(sock)
      assert Enum.map(rules, &rule_text/1) == oracle_rules(pid)
      assert length(rules) == 5
      assert {:error, %Error{errno: :enoent}} = Rule.delete(sock, fwmark: 0x99, table: 200)
    end

    test "bad input", %{sock: sock} do
      assert Rule.add(sock, from: "10.0.0.0/24") == {:error, {:bad_table, :missing}}
      assert Rule.add(sock, table: 0) == {:error, {:bad_table, 0}}
      assert Rule.add(sock, table: "100") == {:error, {:bad_table, "100"}}
      assert Rule.add(sock, from: "10.0.0.0/33", table: 1) == {:error, {:bad_from, "10.0.0.0/33"}}
      assert Rule.add(sock, to: :x, table: 1) == {:error, {:bad_to, :x}}

      assert Rule.add(sock, from: "10.0.0.0/8", to: "fd00::/8", table: 1) ==
               {:error, {:bad_family, {:inet, :inet6}}}

      assert Rule.add(sock, fwmark: -1, table: 1) == {:error, {:bad_fwmark, -1}}
      assert Rule.add(sock, priority: 1 <<< 32, table: 1) == {:error, {:bad_priority, 1 <<< 32}}
      assert Rule.add(sock, iif: "a b", table: 1) == {:error, {:bad_name, "a b"}}
      assert Rule.add(sock, gateway: "x", table: 1) == {:error, {:bad_option, :gateway}}
      assert Rule.add(sock, "table 1") == {:error, {:bad_options, "table 1"}}
      assert Rule.delete(sock, [:table]) == {:error, {:bad_options, [:table]}}
      assert Rule.list(nil) == {:error, {:bad_socket, nil}}
    end
  end

  describe "Stats" do
    test "get/2 and list/1 agree with ip -j -s link", %{pid: pid, sock: sock} do
      :ok = Link.set_up(sock, "lo")
      sh!("nsenter", ["-t", "#{pid}", "-n", "ping", "-c", "3", "-i", "0.2", "-q", "127.0.0.1"])

      [o] = ipj(pid, ["-s", "link", "show", "dev", "lo"])
      {:ok, %Stats{ifindex: 1, link: %Link64{} = l} = s} = Stats.get(sock, "lo")
      rx = o["stats64"]["rx"]
      tx = o["stats64"]["tx"]

      assert {l.rx_packets, l.rx_bytes, l.rx_errors, l.rx_dropped, l.multicast} ==
               {rx["packets"], rx["bytes"], rx["errors"], rx["dropped"], rx["multicast"]}

      assert {l.tx_packets, l.tx_bytes, l.tx_errors, l.tx_dropped, l.collisions} ==
               {tx["packets"], tx["bytes"], tx["errors"], tx["dropped"], tx["collisions"]}

      assert l.rx_packets >= 6

      assert inspect(s) ==
               "#Linx.Netlink.Rtnl.Stats<ifindex=1 rx=#{rx["packets"]}p/#{rx["bytes"]}B " <>
                 "tx=#{tx["packets"]}p/#{tx["bytes"]}B>"

      {:ok, all} = Stats.list(sock)
      {:ok, links} = Link.list(sock)
      assert Enum.map(all, & &1.ifindex) |> Enum.sort() == Enum.map(links, & &1.index)
      assert Enum.find(all, &(&1.ifindex == 1)).link.rx_packets == l.rx_packets
    end

    test "Link64 decode/encode round trip and refusals" do
      full = for i <- 1..25, into: <<>>, do: <<i * 1000::native-64>>
      s = Link64.decode(full)
      assert s.rx_otherhost_dropped == 25_000 and s.tx_packets == 2000
      assert Link64.encode(s) == full
      # A newer kernel's extra counters are ignored.
      assert Link64.decode(full <> <<9::native-64>>) == s
      assert_raise ArgumentError, ~r/at least 192 bytes/, fn -> Link64.decode(<<1, 2, 3>>) end
      assert_raise ArgumentError, fn -> Link64.decode(:nope) end
      assert_raise ArgumentError, ~r/rx_packets/, fn -> Link64.encode(%Link64{rx_packets: -1}) end
    end

    test "errors", %{sock: sock} do
      assert {:error, %Error{errno: :enodev}} = Stats.get(sock, "nope0")
      assert Stats.get(sock, "x/y") == {:error, {:bad_name, "x/y"}}
      assert Stats.list(1) == {:error, {:bad_socket, 1}}
    end
  end
end
