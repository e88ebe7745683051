defmodule Linx.Netlink.Rtnl.LinkTest do
  # Linx.Netlink.Rtnl.Link against the live kernel, in a fresh network
  # namespace per test, with `ip -j link` run in the same namespace as the
  # oracle.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Netns

  alias Linx.Netlink.{Rtnl, Socket}
  alias Linx.Netlink.Rtnl.{Link, LinkInfo}

  @moduletag skip: needs("rtnl")

  doctest Linx.Netlink.Error

  setup do
    fresh()
  end

  defp ip_link(pid, name), do: hd(ipj(pid, ["-d", "link", "show", "dev", name]))

  # "M-DOWN" is ip's own note that the link's parent is down, not a flag.
  defp flags_atoms(ip_flags),
    do:
      Enum.map(
        ip_flags,
        &(&1 |> String.downcase() |> String.replace("-", "_") |> String.to_atom())
      )

  defp assert_same_links(sock, pid, tries) do
    {:ok, links} = Link.list(sock)
    oracle = ipj(pid, ["link", "show"])

    ours =
      Enum.map(links, fn l ->
        {l.index, l.name, l.mtu, l.flags, Link.up?(l), to_string(l.address), l.type}
      end)

    theirs =
      Enum.map(oracle, fn o ->
        {o["ifindex"], o["ifname"], o["mtu"], flags_atoms(o["flags"] -- ["M-DOWN"]),
         "UP" in o["flags"], o["address"], String.to_atom(o["link_type"])}
      end)

    cond do
      ours == theirs -> :ok
      tries > 0 -> Process.sleep(20) == :ok && assert_same_links(sock, pid, tries - 1)
      true -> assert ours == theirs
    end
  end

  describe "reading" do
    test "list/1 matches ip -j link show", %{pid: pid, sock: sock} do
      :ok = Link.create_bridge(sock, "br0")
      :ok = Link.create_veth(sock, "va", "vb")
      :ok = Link.set_up(sock, "va")

      # The carrier (RUNNING, NO-CARRIER) settles asynchronously after
      # set_up (linkwatch may take a second): a snapshot pair can straddle
      # the change, so compare until one pair agrees.
      assert_same_links(sock, pid, 100)
    end

    test "get/2 of lo, and inspect", %{pid: pid, sock: sock} do
      {:ok, lo} = Link.get(sock, "lo")
      o = ip_link(pid, "lo")
      assert lo.index == o["ifindex"]
      assert lo.type == :loopback
      assert inspect(lo) == ~s|#Linx.Netlink.Rtnl.Link<"lo" (1) DOWN MTU=#{o["mtu"]}>|
      :ok = Link.set_up(sock, "lo")
      {:ok, lo} = Link.get(sock, "lo")
      assert Link.up?(lo)
      assert inspect(lo) == ~s|#Linx.Netlink.Rtnl.Link<"lo" (1) UP MTU=#{o["mtu"]}>|
      assert Link.get(sock, 1) == {:ok, lo}
    end

    test "a socket opened by namespace path sees the same namespace", %{pid: pid, sock: sock} do
      {:ok, by_path} = Rtnl.open({:path, "/proc/#{pid}/ns/net"})
      assert by_path.netns == {:path, "/proc/#{pid}/ns/net"}
      :ok = Link.create_bridge(by_path, "viapath0")
      assert {:ok, %Link{name: "viapath0"}} = Link.get(sock, "viapath0")
      assert Enum.any?(ipj(pid, ["link", "show"]), &(&1["ifname"] == "viapath0"))
      # ... and not the test run's own namespace.
      {:ok, host} = Rtnl.open()
      assert {:error, %Linx.Netlink.Error{errno: :enodev}} = Link.get(host, "viapath0")
      :ok = Socket.close(by_path)
      :ok = Socket.close(host)
    end

    test "get/2 of a missing link is :enodev", %{sock: sock} do
      assert {:error, %Linx.Netlink.Error{errno: :enodev, code: 19} = e} = Link.get(sock, "nope0")
      assert Exception.message(e) =~ ~r/^netlink ENODEV \(19\): .*nope0/
    end
  end

  describe "creating" do
    test "veth, bridge and macvlan, with their linkinfo as ip sees it", %{pid: pid, sock: sock} do
      :ok = Link.create_bridge(sock, "br0")
      :ok = Link.create_veth(sock, "ve0", "ve1")
      :ok = Link.create_macvlan(sock, "mv0", "ve0")
      :ok = Link.create_macvlan(sock, "mv1", "ve0", :private)

      for {name, kind} <- [{"br0", "bridge"}, {"ve0", "veth"}, {"mv0", "macvlan"}] do
        {:ok, link} = Link.get(sock, name)
        o = ip_link(pid, name)
        assert o["linkinfo"]["info_kind"] == kind
        assert %LinkInfo{kind: ^kind} = link.linkinfo
        assert link.index == o["ifindex"]
      end

      {:ok, ve0} = Link.get(sock, "ve0")
      {:ok, ve1} = Link.get(sock, "ve1")
      assert ve0.link == ve1.index
      assert ve1.link == ve0.index
      # The kernel leaves VETH_INFO_PEER out of its replies: the peer is
      # known by the link index.
      assert ve0.linkinfo == %LinkInfo{kind: "veth", info_data: nil}

      {:ok, mv0} = Link.get(sock, "mv0")
      assert mv0.linkinfo.info_data == %LinkInfo.Macvlan{mode: 4}
      assert mv0.link == ve0.index
      assert ip_link(pid, "mv0")["linkinfo"]["info_data"]["mode"] == "bridge"
      {:ok, mv1} = Link.get(sock, "mv1")
      assert mv1.linkinfo.info_data == %LinkInfo.Macvlan{mode: 1}
      assert ip_link(pid, "mv1")["linkinfo"]["info_data"]["mode"] == "private"

      {:ok, br} = Link.get(sock, "br0")
      assert br.linkinfo == %LinkInfo{kind: "bridge", info_data: nil}
    end

    @tag skip: needs_kinds(["dummy"])
    test "dummy", %{pid: pid, sock: sock} do
      :ok = Link.create_dummy(sock, "d0")
      {:ok, d0} = Link.get(sock, "d0")
      assert d0.linkinfo == %LinkInfo{kind: "dummy", info_data: nil}
      assert ip_link(pid, "d0")["linkinfo"]["info_kind"] == "dummy"
    end

    @tag skip: needs_kinds(["ipvlan"])
    test "ipvlan, l3 and l2", %{pid: pid, sock: sock} do
      :ok = Link.create_veth(sock, "ve0", "ve1")
      :ok = Link.create_ipvlan(sock, "iv0", "ve0")
      :ok = Link.create_ipvlan(sock, "iv1", "ve1", :l2)
      {:ok, iv0} = Link.get(sock, "iv0")
      assert iv0.linkinfo == %LinkInfo{kind: "ipvlan", info_data: %LinkInfo.Ipvlan{mode: 1}}
      assert ip_link(pid, "iv0")["linkinfo"]["info_data"]["mode"] == "l3"
      {:ok, iv1} = Link.get(sock, "iv1")
      assert iv1.linkinfo.info_data == %LinkInfo.Ipvlan{mode: 0}
      assert ip_link(pid, "iv1")["linkinfo"]["info_data"]["mode"] == "l2"
    end

    @tag skip: needs_kinds(["vlan"])
    test "vlan", %{pid: pid, sock: sock} do
      :ok = Link.create_veth(sock, "ve0", "ve1")
      :ok = Link.create_vlan(sock, "ve0.42", "ve0", 42)
      {:ok, ve0} = Link.get(sock, "ve0")
      {:ok, vlan} = Link.get(sock, "ve0.42")
      assert vlan.linkinfo == %LinkInfo{kind: "vlan", info_data: %LinkInfo.Vlan{id: 42}}
      assert vlan.link == ve0.index
      assert ip_link(pid, "ve0.42")["linkinfo"]["info_data"]["id"] == 42
    end

    test "an existing name is :eexist", %{sock: sock} do
      :ok = Link.create_bridge(sock, "d0")
      assert {:error, %Linx.Netlink.Error{errno: :eexist}} = Link.create_bridge(sock, "d0")
      assert {:error, %Linx.Netlink.Error{errno: :eexist}} = Link.create_veth(sock, "lo", "x1")
    end

    test "a missing parent is :enodev", %{sock: sock} do
      assert {:error, %Linx.Netlink.Error{errno: :enodev}} =
               Link.create_macvlan(sock, "mv0", "nope0")

      assert {:error, %Linx.Netlink.Error{errno: :enodev}} =
               Link.create_vlan(sock, "v0", "nope0", 5)
    end
  end

  describe "configuring" do
    test "set_up/down, mtu, address, name, master, delete", %{pid: pid, sock: sock} do
      :ok = Link.create_veth(sock, "d0", "d0p")
      :ok = Link.create_bridge(sock, "br0")

      :ok = Link.set_up(sock, "d0")
      assert "UP" in ip_link(pid, "d0")["flags"]
      :ok = Link.set_down(sock, "d0")
      refute "UP" in ip_link(pid, "d0")["flags"]

      :ok = Link.set_mtu(sock, "d0", 1400)
      assert ip_link(pid, "d0")["mtu"] == 1400

      :ok = Link.set_address(sock, "d0", "02:aa:bb:cc:dd:ee")
      assert ip_link(pid, "d0")["address"] == "02:aa:bb:cc:dd:ee"
      :ok = Link.set_address(sock, "d0", elem(Linx.MAC.parse("02:00:00:00:00:01"), 1))
      assert ip_link(pid, "d0")["address"] == "02:00:00:00:00:01"

      :ok = Link.set_name(sock, "d0", "d1")
      assert {:ok, %Link{name: "d1"}} = Link.get(sock, "d1")
      assert ipj(pid, ["link", "show", "dev", "d1"]) != []

      :ok = Link.set_master(sock, "d1", "br0")
      {:ok, d1} = Link.get(sock, "d1")
      {:ok, br} = Link.get(sock, "br0")
      assert d1.master == br.index
      assert ip_link(pid, "d1")["master"] == "br0"
      :ok = Link.set_master(sock, "d1", nil)
      assert {:ok, %Link{master: nil}} = Link.get(sock, "d1")

      :ok = Link.delete(sock, "d1")
      assert {:error, %Linx.Netlink.Error{errno: :enodev}} = Link.get(sock, "d1")
      refute Enum.any?(ipj(pid, ["link", "show"]), &(&1["ifname"] == "d1"))
    end

    test "move_to_netns/3 hands a link to another namespace", %{pid: pid, sock: sock} do
      %{pid: other, sock: other_sock} = fresh()
      :ok = Link.create_veth(sock, "va", "vb")
      :ok = Link.move_to_netns(sock, "vb", other)
      assert {:error, %Linx.Netlink.Error{errno: :enodev}} = Link.get(sock, "vb")
      assert {:ok, %Link{name: "vb"}} = Link.get(other_sock, "vb")
      assert Enum.any?(ipj(other, ["link", "show"]), &(&1["ifname"] == "vb"))
      refute Enum.any?(ipj(pid, ["link", "show"]), &(&1["ifname"] == "vb"))
    end
  end

  describe "bad input" do
    test "names, modes, ids, mtus, MACs, sockets, namespaces", %{sock: sock} do
      for bad <- ["", "sixteen-chars-xx", "a/b", "a:b", "a b", ".", "..", :lo, 1.5, nil] do
        assert Link.create_bridge(sock, bad) == {:error, {:bad_name, bad}}
      end

      assert Link.get(sock, "a/b") == {:error, {:bad_name, "a/b"}}
      assert Link.create_veth(sock, "ok0", "bad/") == {:error, {:bad_name, "bad/"}}
      assert Link.create_macvlan(sock, "m0", "lo", :fancy) == {:error, {:bad_mode, :fancy}}
      assert Link.create_macvlan(sock, "m0", "lo", "bridge") == {:error, {:bad_mode, "bridge"}}
      assert Link.create_ipvlan(sock, "i0", "lo", :l9) == {:error, {:bad_mode, :l9}}
      assert Link.create_vlan(sock, "v0", "lo", 0) == {:error, {:bad_vlan_id, 0}}
      assert Link.create_vlan(sock, "v0", "lo", 4095) == {:error, {:bad_vlan_id, 4095}}
      assert Link.create_vlan(sock, "v0", "lo", "5") == {:error, {:bad_vlan_id, "5"}}
      assert Link.set_mtu(sock, "lo", 0) == {:error, {:bad_mtu, 0}}
      assert Link.set_mtu(sock, "lo", "1500") == {:error, {:bad_mtu, "1500"}}
      assert Link.set_address(sock, "lo", "zz:zz") == {:error, {:bad_mac, "zz:zz"}}
      assert Link.set_address(sock, "lo", 42) == {:error, {:bad_mac, 42}}
      assert Link.move_to_netns(sock, "lo", -1) == {:error, {:bad_netns, {:pid, -1}}}
      assert Link.move_to_netns(sock, "lo", :host) == {:error, {:bad_netns, :host}}
      assert Link.list(:nope) == {:error, {:bad_socket, :nope}}
      assert Link.get(%{}, "lo") == {:error, {:bad_socket, %{}}}
      assert Rtnl.open({:pid, 0}) == {:error, {:bad_netns, {:pid, 0}}}
      assert Rtnl.open("x") == {:error, {:bad_netns, "x"}}
      assert Rtnl.open({:path, "a\0b"}) == {:error, {:bad_netns, {:path, "a\0b"}}}

      assert {:error, %Linx.Netlink.Error{errno: :enoent}} =
               Rtnl.open({:path, "/nonexistent/netns"})
    end

    test "a closed socket is :ebadf", %{pid: pid} do
      {:ok, s} = Rtnl.open({:pid, pid})
      :ok = Socket.close(s)
      assert {:error, %Linx.Netlink.Error{errno: :ebadf}} = Link.list(s)
    end
  end
end
