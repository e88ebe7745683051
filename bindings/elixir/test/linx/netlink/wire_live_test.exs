defmodule Linx.Netlink.WireLiveTest do
  # The wire layer against the kernel: raw NETLINK_ROUTE and
  # NETLINK_NETFILTER sockets opened by Linx.Netlink.Socket in a network
  # namespace each test creates (nothing of the machine's own is touched),
  # with ip(8) and nft(8) run inside it as the oracles.
  use ExUnit.Case, async: false

  import Bitwise
  import Linx.Netlink.Constants
  import LinxTest.Kernel
  import LinxTest.Netns, only: [ipj: 2, ip: 2, netns: 0]

  alias Linx.Netlink.{Attr, Error, Message, Nfnl, Request, Socket}
  alias Linx.Netlink.Nfnl.Codec, as: Nfc
  alias Linx.Netlink.Socket.Native

  @moduletag skip:
               skip_unless(
                 private_namespaces?(),
                 "needs root and the private namespaces `mix test` sets up"
               )

  # rtnetlink message types and attributes (linux/rtnetlink.h, if_link.h)
  @rtm_newlink 16
  @rtm_getlink 18
  @ifla_ifname 3
  @ifla_linkinfo 18
  @ifla_info_kind 1
  @rtnlgrp_link 1

  setup do
    %{pid: netns()}
  end

  defp ifinfomsg(index \\ 0), do: <<0, 0, 0::16, index::32-signed-native, 0::32, 0::32>>

  # {index, name} of every RTM_NEWLINK in `msgs`.
  defp links(msgs) do
    for %Message{
          type: @rtm_newlink,
          payload: <<_::binary-size(4), idx::32-signed-native, _::binary-size(8), attrs::binary>>
        } <- msgs do
      name = attrs |> Attr.decode() |> Attr.get(@ifla_ifname) |> String.trim_trailing(<<0>>)
      {idx, name}
    end
  end

  defp newlink_bridge(sock, name, flags \\ nlm_f_create() ||| nlm_f_excl() ||| nlm_f_ack()) do
    attrs =
      Attr.encode([
        {@ifla_ifname, [name, 0]},
        {Attr.nested(@ifla_linkinfo), Attr.encode([{@ifla_info_kind, "bridge"}])}
      ])

    Request.talk(sock, @rtm_newlink, flags, ifinfomsg() <> attrs)
  end

  defp fd_count, do: length(File.ls!("/proc/self/fd"))

  test "a dump of links in the test netns agrees with ip -j link", %{pid: pid} do
    {:ok, sock} = Socket.open(netlink_route(), {:pid, pid})
    assert %Socket{protocol: 0, netns: {:pid, ^pid}, socket: {:"$socket", _}} = sock
    ip(pid, ["link", "add", "d0", "type", "bridge"])

    {:ok, msgs} = Request.talk(sock, @rtm_getlink, nlm_f_dump(), ifinfomsg())
    ours = msgs |> links() |> Enum.sort()
    theirs = ipj(pid, ["link", "show"]) |> Enum.map(&{&1["ifindex"], &1["ifname"]}) |> Enum.sort()
    assert ours == theirs
    assert Enum.map(ours, &elem(&1, 1)) |> Enum.sort() == ["d0", "lo"]

    # A single GET: one reply, no NLM_F_MULTI.
    {:ok, [one]} = Request.talk(sock, @rtm_getlink, 0, ifinfomsg(1))
    assert links([one]) == [{1, "lo"}]
    assert :ok = Socket.close(sock)
  end

  test "{:path, ...} namespaces, RTM_NEWLINK with an ack, kernel errors", %{pid: pid} do
    {:ok, sock} = Socket.open(netlink_route(), {:path, "/proc/#{pid}/ns/net"})
    assert {:ok, []} = newlink_bridge(sock, "wire0")
    assert [%{"ifname" => "wire0"}] = ipj(pid, ["link", "show", "dev", "wire0"])

    assert {:error, %Error{errno: :eexist, code: 17}} = newlink_bridge(sock, "wire0")

    assert {:error, %Error{errno: :enodev}} =
             Request.talk(sock, @rtm_getlink, nlm_f_ack(), ifinfomsg(99_999))

    # An unknown link kind: the kernel explains itself by extended ack.
    attrs =
      Attr.encode([
        {@ifla_ifname, "x0\0"},
        {Attr.nested(@ifla_linkinfo), Attr.encode([{@ifla_info_kind, "no-such-kind"}])}
      ])

    assert {:error, %Error{errno: :eopnotsupp, message: msg}} =
             Request.talk(
               sock,
               @rtm_newlink,
               nlm_f_create() ||| nlm_f_ack(),
               ifinfomsg() <> attrs
             )

    assert is_binary(msg) and msg != ""
    :ok = Socket.close(sock)
  end

  test "stale replies and notifications are not taken for the answer", %{pid: pid} do
    {:ok, sock} = Socket.open(netlink_route(), {:pid, pid})
    :ok = Socket.add_membership(sock, @rtnlgrp_link)

    # A request under a sequence number that is not the next one; its
    # acknowledgement stays queued.  So does the notification of the link.
    stale = %Message{type: @rtm_getlink, flags: 5, seq: 0xFFFF0000, payload: ifinfomsg(1)}
    :ok = :socket.send(sock.socket, Message.encode(stale))
    ip(pid, ["link", "add", "d1", "type", "bridge"])

    {:ok, msgs} = Request.talk(sock, @rtm_getlink, nlm_f_dump(), ifinfomsg())
    assert msgs |> links() |> Enum.map(&elem(&1, 1)) |> Enum.sort() == ["d1", "lo"]
    assert Enum.all?(msgs, &(&1.seq != 0xFFFF0000 and &1.seq != 0))
    :ok = Socket.close(sock)
  end

  test "multicast: add_membership brings link events, drop_membership stops them", %{pid: pid} do
    {:ok, sock} = Socket.open(netlink_route(), {:pid, pid})
    assert :ok = Socket.set_rcvbuf(sock, 1 <<< 20)
    assert :ok = Socket.add_membership(sock, @rtnlgrp_link)
    ip(pid, ["link", "add", "ev0", "type", "bridge"])
    [o] = ipj(pid, ["link", "show", "dev", "ev0"])

    assert {:ok, msgs} = Socket.recv(sock, 3000)
    assert {o["ifindex"], "ev0"} in links(msgs)
    assert Enum.all?(msgs, &(&1.seq == 0))

    assert :ok = Socket.drop_membership(sock, @rtnlgrp_link)
    drain(sock)
    ip(pid, ["link", "add", "ev1", "type", "bridge"])
    assert Socket.recv(sock, 200) == {:error, :timeout}

    assert Socket.add_membership(sock, 0) == {:error, {:bad_group, 0}}
    assert Socket.set_rcvbuf(sock, -1) == {:error, {:bad_size, -1}}
    :ok = Socket.close(sock)
  end

  defp drain(sock) do
    case Socket.recv(sock, 50) do
      {:ok, _} -> drain(sock)
      {:error, :timeout} -> :ok
    end
  end

  test "the socket lives in the test netns, and no BEAM thread leaves its own", %{pid: pid} do
    # tid => network namespace of every thread of this VM.
    threads = fn ->
      for t <- File.ls!("/proc/self/task"),
          {:ok, l} <- [File.read_link("/proc/self/task/#{t}/ns/net")],
          into: %{},
          do: {t, l}
    end

    before = threads.()
    [home] = before |> Map.values() |> Enum.uniq()

    socks =
      for _ <- 1..20 do
        {:ok, s} = Socket.open(netlink_route(), {:pid, pid})
        s
      end

    # No thread that was there before has moved.
    now = threads.()
    assert Map.take(now, Map.keys(before)) == Map.take(before, Map.keys(now))

    # The short-lived opener threads may still be listed for a moment after
    # they were joined (the kernel wakes the joiner before it drops the
    # exiting thread's namespaces); none may stay outside `home`.
    assert wait_until(fn ->
             threads.() |> Map.values() |> Enum.all?(&(&1 == home))
           end)

    {:ok, host} = Socket.open(netlink_route())
    {:ok, h} = Request.talk(host, @rtm_getlink, nlm_f_dump(), ifinfomsg())
    {:ok, n} = Request.talk(hd(socks), @rtm_getlink, nlm_f_dump(), ifinfomsg())
    # The test netns has only lo; the run's own namespace has at least lo.
    assert links(n) |> Enum.map(&elem(&1, 1)) == ["lo"]
    assert length(links(h)) >= 1
    Enum.each([host | socks], &Socket.close/1)
  end

  test "no descriptor is leaked, on success or failure paths", %{pid: pid} do
    # Warm up (code loading, the atomics) before counting.
    {:ok, s} = Socket.open(netlink_route(), {:pid, pid})
    Socket.close(s)
    n0 = fd_count()

    for _ <- 1..25 do
      {:ok, s} = Socket.open(netlink_route(), {:pid, pid})
      {:ok, _} = Request.talk(s, @rtm_getlink, nlm_f_dump(), ifinfomsg())
      :ok = Socket.close(s)
      {:ok, s} = Nfnl.open({:pid, pid})
      :ok = Socket.close(s)
      assert {:error, {:open, 2}} = Socket.open(0, {:path, "/nonexistent/ns"})
      assert {:error, {:setns, _}} = Socket.open(0, {:path, "/proc/self/ns/mnt"})
      assert {:error, {:socket, _}} = Socket.open(31, {:pid, pid})
    end

    # Closing twice is harmless.
    {:ok, s} = Socket.open(netlink_route(), {:pid, pid})
    assert :ok = Socket.close(s)
    assert :ok = Socket.close(s)
    assert fd_count() == n0
  end

  test "Socket.Native directly; bad arguments", %{pid: pid} do
    {:ok, fd} = Native.open_in_netns("/proc/#{pid}/ns/net", netlink_route())
    assert is_integer(fd) and fd > 2
    assert Native.bind_netlink(fd, 0) == :ok
    assert {:error, errno} = Native.bind_netlink(fd, 0)
    assert errno == 22
    assert Native.close_fd(fd) == :ok

    # the VM's own descriptors are out of reach: stdin, stdout, stderr
    # and whatever else it holds that is not a netlink socket
    for vm_fd <- 0..2 do
      assert_raise ArgumentError, fn -> Native.close_fd(vm_fd) end
      assert_raise ArgumentError, fn -> Native.bind_netlink(vm_fd, 0) end
    end

    assert File.exists?("/proc/self/fd/1")

    assert Native.open_in_netns("", 0) == {:error, {:bad_netns_path, ""}}
    assert Native.open_in_netns("/proc/self/ns/net", -1) == {:error, {:bad_protocol, -1}}
    assert Socket.open(-1) == {:error, {:bad_protocol, -1}}
    assert Socket.open(0, {:pid, 0}) == {:error, {:bad_netns, {:pid, 0}}}
    assert Socket.open(0, {:path, "a\0b"}) == {:error, {:bad_netns, {:path, "a\0b"}}}
    assert Socket.close(:nope) == {:error, {:bad_socket, :nope}}
    assert Request.talk(:nope, 1, 0) == {:error, {:bad_socket, :nope}}

    {:ok, s} = Socket.open(0, {:pid, pid})
    # The descriptor :socket holds is close-on-exec (O_CLOEXEC, octal).
    {:ok, fd} = :socket.getopt(s.socket, {:otp, :fd})
    [_, flags] = Regex.run(~r/flags:\s+([0-7]+)/, File.read!("/proc/self/fdinfo/#{fd}"))
    assert (String.to_integer(flags, 8) &&& 0o2000000) != 0
    assert Request.talk(s, 70_000, 0) == {:error, {:bad_type, 70_000}}
    assert Request.talk(s, 18, 0, [:x]) == {:error, {:bad_payload, [:x]}}
    assert Request.talk(s, 18, 0, <<>>, timeout: :soon) == {:error, {:bad_timeout, :soon}}
    assert Socket.next_seq(s) < Socket.next_seq(s)

    # NLMSG_NOOP is acknowledged only when asked; unasked, nothing answers.
    assert Request.talk(s, nlmsg_noop(), nlm_f_ack()) == {:ok, []}
    assert Request.talk(s, nlmsg_noop(), 0, <<>>, timeout: 100) == {:error, :timeout}
    :ok = Socket.close(s)
  end

  test "rtnl C-handle sockets still open and close", %{pid: pid} do
    if plugin?("rtnl") do
      {:ok, sock} = Linx.Netlink.Rtnl.open({:pid, pid})
      assert is_reference(sock.socket) and sock.seq == nil
      assert :ok = Socket.close(sock)
      assert Socket.add_membership(sock, 1) == {:error, {:bad_socket, sock}}
    end
  end

  describe "nfnetlink" do
    @nft_msg_newtable 0
    @nft_msg_deltable 2
    @nfta_table_name 1

    defp table_msg(type, name, flags \\ 0) do
      %Message{
        type: Nfc.nlmsg_type(Nfc.subsys_nftables(), type),
        flags: flags,
        payload: Nfc.encode_nfgenmsg(:inet) <> Attr.encode([{@nfta_table_name, [name, 0]}])
      }
    end

    defp nft_tables(pid) do
      {out, 0} =
        System.cmd("nsenter", ["-t", "#{pid}", "-n", "nft", "-j", "list", "ruleset"],
          env: tool_env()
        )

      for %{"table" => t} <- LinxTest.Json.decode!(out)["nftables"], do: {t["family"], t["name"]}
    end

    # (Both conditions again: a describe tag overrides the module's.)
    @describetag skip:
                   skip_unless(
                     private_namespaces?() and System.find_executable("nft") != nil,
                     "needs nft(8), root and the private namespaces `mix test` sets up"
                   )

    test "a batch creates tables, seen by nft; GETGEN follows commits", %{pid: pid} do
      {:ok, sock} = Nfnl.open({:pid, pid})
      {:ok, %{id: g0}} = Nfc.get_gen(sock)

      assert :ok =
               Nfnl.batch(sock, [
                 table_msg(@nft_msg_newtable, "wire_a", nlm_f_create()),
                 table_msg(@nft_msg_newtable, "wire_b", nlm_f_create())
               ])

      assert Enum.sort(nft_tables(pid)) == [{"inet", "wire_a"}, {"inet", "wire_b"}]

      assert {:ok, %{id: g1, proc_pid: ppid}} = Nfc.get_gen(sock)
      assert g1 == g0 + 1
      # The committer's thread id, when the kernel reports it.
      assert ppid == nil or (is_integer(ppid) and ppid > 0)

      assert Nfnl.batch(sock, []) == :ok
      :ok = Socket.close(sock)
    end

    test "a bad 2nd message fails the batch whole, reported by position", %{pid: pid} do
      {:ok, sock} = Nfnl.open({:pid, pid})

      assert {:error, {2, %Error{errno: :enoent}}} =
               Nfnl.batch(sock, [
                 table_msg(@nft_msg_newtable, "wire_c", nlm_f_create()),
                 table_msg(@nft_msg_deltable, "no_such_table"),
                 table_msg(@nft_msg_newtable, "wire_d", nlm_f_create())
               ])

      assert nft_tables(pid) == []

      # A stale generation refuses the batch as a whole.
      {:ok, %{id: g}} = Nfc.get_gen(sock)

      assert {:error, %Error{errno: :erestart}} =
               Nfnl.batch(
                 sock,
                 [table_msg(@nft_msg_newtable, "wire_e", nlm_f_create())],
                 :nftables,
                 genid: g + 1
               )

      assert :ok =
               Nfnl.batch(
                 sock,
                 [table_msg(@nft_msg_newtable, "wire_e", nlm_f_create())],
                 :nftables,
                 genid: g
               )

      assert nft_tables(pid) == [{"inet", "wire_e"}]

      # Subsystems without transactions refuse the envelope itself.
      assert {:error, %Error{}} =
               Nfnl.batch(sock, [table_msg(@nft_msg_newtable, "x", 0)], :ctnetlink, timeout: 2000)

      assert {:error, %Error{errno: :einval}} =
               Nfnl.batch(sock, [table_msg(@nft_msg_newtable, "x", 0)], 200, timeout: 2000)

      assert Nfnl.batch(sock, [:x]) == {:error, {:bad_messages, [:x]}}
      assert {:error, {:bad_messages, _}} = Nfnl.batch(sock, [%Message{type: 70_000}])
      assert Nfnl.batch(sock, [], :nftables, genid: -1) == {:error, {:bad_option, {:genid, -1}}}
      assert Nfnl.batch(sock, [], :nope) == {:error, {:bad_subsys, :nope}}
      :ok = Socket.close(sock)
    end
  end
end
