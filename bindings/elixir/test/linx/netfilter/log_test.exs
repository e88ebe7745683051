defmodule Linx.Netfilter.LogTest do
  # Linx.Netfilter.Log receiving what a `log group N` rule logs, for UDP
  # datagrams sent over the loopback of a network namespace of the test's
  # own (rules written with nft(8)).
  use ExUnit.Case, async: true

  import LinxTest.Kernel
  import LinxTest.Netns, only: [netns: 0, lo_up!: 1, nft!: 2]

  alias Linx.Netfilter
  alias Linx.Netfilter.Log
  alias Linx.Netfilter.Log.Event

  @nflog (case File.read("/proc/net/netfilter/nf_log") do
            {:ok, text} -> text =~ "nfnetlink_log"
            _ -> false
          end)

  @moduletag skip:
               needs("nft",
                 tools: [
                   {"nft", "needs nft(8) to write the rules"},
                   {"bash", "needs bash(1) to send a datagram"}
                 ]
               ) || skip_unless(@nflog, "the kernel has no nfnetlink_log (NFLOG)")

  @t LinxTest.Events.t()

  defp send_udp(pid, port, text) do
    sh!("nsenter", [
      "-t",
      "#{pid}",
      "-n",
      "bash",
      "-c",
      "echo -n #{text} > /dev/udp/127.0.0.1/#{port}"
    ])
  end

  test "a packet logged by a log group rule arrives, with its prefix and payload" do
    pid = lo_up!(netns())

    nft!(pid, """
    add table ip t
    add chain ip t out { type filter hook output priority 0; }
    add chain ip t in { type filter hook input priority 0; }
    add rule ip t out udp dport 9999 log group 7 prefix "lx-out"
    add rule ip t in udp dport 9999 log group 7 prefix "lx-in"
    """)

    {:ok, l} =
      Netfilter.log_listen(self(),
        group: 7,
        netns: {:pid, pid},
        copy_mode: {:packet, 64},
        flags: [:seq]
      )

    send_udp(pid, 9999, "hello")

    assert_receive {:linx_netfilter, :log, %Event{prefix: "lx-out"} = out}, @t
    assert_receive {:linx_netfilter, :log, %Event{prefix: "lx-in"} = inp}, @t

    assert out.group == 7
    # NF_INET_LOCAL_OUT = 3, NF_INET_LOCAL_IN = 1
    assert out.hook == 3 and inp.hook == 1
    assert out.hw_protocol == 0x0800
    assert out.outdev == 1 and inp.indev == 1
    assert is_integer(out.uid)
    assert [out.seq, inp.seq] == [0, 1]
    assert {s, us} = inp.timestamp
    assert is_integer(s) and is_integer(us)
    # IPv4 header (20 bytes), UDP header (8), then the data
    assert <<4::4, _::bits>> = out.payload
    assert binary_part(out.payload, 28, 5) == "hello"

    ref = Process.monitor(l)
    :ok = Netfilter.unlog_listen(l)
    assert_receive {:DOWN, ^ref, :process, ^l, _}

    # the group is free again once unbound
    {:ok, l2} = Netfilter.log_listen(self(), group: 7, netns: {:pid, pid}, copy_mode: :meta)
    send_udp(pid, 9999, "again")
    assert_receive {:linx_netfilter, :log, %Event{prefix: "lx-out", payload: nil}}, @t
    :ok = Netfilter.unlog_listen(l2)
  end

  test "a group bound twice is refused; the listener ends with its owner" do
    pid = lo_up!(netns())
    test = self()

    owner =
      spawn(fn ->
        {:ok, l} = Log.start_link(owner: self(), group: 9, netns: {:pid, pid})
        send(test, {:listener, l})

        receive do
          :stop -> :ok
        end
      end)

    assert_receive {:listener, l}, @t
    Process.flag(:trap_exit, true)

    assert {:error, %Netfilter.Error{errno: :ebusy}} =
             Netfilter.log_listen(self(), group: 9, netns: {:pid, pid})

    ref = Process.monitor(l)
    send(owner, :stop)
    assert_receive {:DOWN, ^ref, :process, ^l, _}, @t
    {:ok, l2} = Netfilter.log_listen(self(), group: 9, netns: {:pid, pid})
    :ok = Netfilter.unlog_listen(l2)
  end

  test "bad options" do
    Process.flag(:trap_exit, true)
    assert Netfilter.log_listen(self(), []) == {:error, {:bad_group, nil}}
    assert Netfilter.log_listen(self(), group: 0) == {:error, {:bad_group, 0}}

    assert Netfilter.log_listen(self(), group: 1, copy_mode: :all) ==
             {:error, {:bad_copy_mode, :all}}

    assert Netfilter.log_listen(self(), group: 1, qthresh: 0) == {:error, {:bad_qthresh, 0}}
    assert Netfilter.log_listen(self(), group: 1, flags: [:x]) == {:error, {:bad_flags, [:x]}}

    assert Netfilter.log_listen(self(), group: 1, families: :ipv4) ==
             {:error, {:bad_families, :ipv4}}

    assert Netfilter.log_listen(self(), group: 1, netns: 3) == {:error, {:bad_netns, 3}}
    assert Netfilter.log_listen(self(), colour: 1) == {:error, {:bad_option, :colour}}
    assert Log.start_link(group: 1) == {:error, {:bad_owner, nil}}
  end
end
