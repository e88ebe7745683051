defmodule Linx.Netfilter.TrafficTest do
  # Rulesets pushed from Elixir acting on real packets: two fresh network
  # namespaces per test, a client (10.99.0.1 on va) and a server
  # (10.99.0.2 on vb) joined by a veth pair.  ping(8), a python3 TCP
  # listener and bash's /dev/tcp make the traffic; nothing touches the
  # host's interfaces, routes or firewall.
  use ExUnit.Case, async: true

  import LinxTest.Kernel
  import LinxTest.Netns, only: [netns: 0, lo_up!: 1]
  import Linx.NFT

  alias Linx.Netfilter
  alias Linx.Netfilter.{Expr, Ruleset}
  alias Linx.Netfilter.Log.Event, as: LogEvent

  @client_addr "10.99.0.1"
  @server_addr "10.99.0.2"

  @python (case System.find_executable("python3") do
             nil ->
               nil

             py ->
               case System.cmd(py, ["-c", "import socket, threading"], stderr_to_stdout: true) do
                 {_, 0} -> py
                 _ -> nil
               end
           end)

  @nflog (case File.read("/proc/net/netfilter/nf_log") do
            {:ok, text} -> text =~ "nfnetlink_log"
            _ -> false
          end)

  @module_skip (case needs("nft") do
                  false ->
                    missing =
                      Enum.reject(~w(nft ip ping nsenter bash timeout), &System.find_executable/1)

                    skip_unless(
                      missing == [] and LinxTest.Netns.kind?("veth"),
                      "needs #{Enum.join(missing, ", ")} and veth links for the traffic"
                    )

                  reason ->
                    reason
                end)

  @moduletag skip: @module_skip

  # a test's own skip tag replaces the module's: keep the module's reason
  @no_python @module_skip ||
               skip_unless(@python != nil, "needs python3 for a TCP listener (no nc/socat here)")
  @no_nflog @module_skip ||
              skip_unless(@nflog, "the kernel has no nfnetlink_log (NFLOG)")

  @t LinxTest.Events.t()

  # Two namespaces joined by va (client) -- vb (server), both up.
  defp pair do
    [a, b] = [lo_up!(netns()), lo_up!(netns())]
    ns!(a, ["ip", "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", "#{b}"])
    ns!(a, ["ip", "addr", "add", @client_addr <> "/24", "dev", "va"])
    ns!(b, ["ip", "addr", "add", @server_addr <> "/24", "dev", "vb"])
    ns!(a, ["ip", "link", "set", "va", "up"])
    ns!(b, ["ip", "link", "set", "vb", "up"])
    # the link is usable once ping gets through (carrier may lag)
    assert ping_ok?(a, @server_addr), "the veth pair does not carry packets"
    {a, b}
  end

  defp ns!(pid, [cmd | args]), do: sh!("nsenter", ["-t", "#{pid}", "-n", cmd | args])

  defp ns(pid, [cmd | args]) do
    System.cmd("nsenter", ["-t", "#{pid}", "-n", cmd | args],
      stderr_to_stdout: true,
      env: tool_env()
    )
  end

  defp ping(pid, addr), do: elem(ns(pid, ["ping", "-n", "-c1", "-W1", addr]), 1) == 0

  # A few tries before concluding that a ping or connect cannot pass (a
  # loaded machine may lose the first one to neighbour resolution).
  defp tries(n, fun), do: fun.() or (n > 1 and tries(n - 1, fun))

  defp ping_ok?(pid, addr), do: tries(5, fn -> ping(pid, addr) end)

  # A TCP connect from `pid`'s netns that sends `text`; true if it connected.
  defp connect(pid, addr, port, text) do
    script = "exec 3<>/dev/tcp/#{addr}/#{port} && echo #{text} >&3"
    elem(ns(pid, ["timeout", "2", "bash", "-c", script]), 1) == 0
  end

  defp connect_ok?(pid, addr, port, text), do: tries(3, fn -> connect(pid, addr, port, text) end)

  # A TCP listener on `port` in `pid`'s netns: python3 prints "got:LINE"
  # for each line a connection sends, and ends when its stdin (the port)
  # closes.  Returns the port; its output arrives as port messages.
  @listener ~S"""
  import socket, sys, threading, os
  def eof():
      sys.stdin.read()
      os._exit(0)
  threading.Thread(target=eof, daemon=True).start()
  s = socket.socket()
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
  s.bind(("0.0.0.0", int(sys.argv[1])))
  s.listen(16)
  print("listening", flush=True)
  while True:
      c, _ = s.accept()
      for line in c.makefile():
          print("got:" + line.strip(), flush=True)
      c.close()
  """

  defp listen(pid, port) do
    nsenter = System.find_executable("nsenter")

    p =
      Port.open({:spawn_executable, nsenter}, [
        :binary,
        :exit_status,
        args: ["-t", "#{pid}", "-n", @python, "-u", "-c", @listener, "#{port}"]
      ])

    assert_receive {^p, {:data, "listening" <> _}}, @t
    p
  end

  # (an on_exit: the owner has exited and the port may be closing already)
  defp stop_listener(p) do
    Port.close(p)
  rescue
    ArgumentError -> :already_closed
  end

  defp heard?(p, text) do
    receive do
      {^p, {:data, data}} -> data =~ "got:#{text}" or heard?(p, text)
    after
      @t -> false
    end
  end

  # input chain of table ip `name` in the server: ICMP echo requests
  # counted, then dropped if `drop?`
  defp icmp_pipeline(drop?) do
    icmp = [Expr.meta(:l4proto), Expr.cmp(:eq, <<1>>)]

    Ruleset.new()
    |> Ruleset.add_table!(:ip, "traffic")
    |> Ruleset.add_chain!("traffic", "input", type: :filter, hook: :input, priority: 0)
    |> Ruleset.add_rule!("traffic", "input", icmp ++ [Expr.counter()], tag: :icmp_count)
    |> then(fn rs ->
      if drop?,
        do: Ruleset.add_rule!(rs, "traffic", "input", icmp ++ [:drop], tag: :icmp_drop),
        else: rs
    end)
  end

  test "a drop rule pushed from the pipeline drops pings; a reconcile push without it lets them through" do
    {a, b} = pair()

    assert :ok = Netfilter.push({:pid, b}, icmp_pipeline(true))
    refute ping(a, @server_addr)
    refute ping(a, @server_addr)

    assert :ok = Netfilter.push({:pid, b}, icmp_pipeline(false), mode: :reconcile)
    refute ns!(b, ["nft", "list", "ruleset"]) =~ "drop"
    assert ping_ok?(a, @server_addr)
  end

  test "a drop rule from the sigil, removed and put back by reconcile pushes" do
    {a, b} = pair()

    dropping =
      sigil_NFT(
        ~S"""
        table inet sig {
          chain input {
            type filter hook input priority 0;
            icmp type echo-request drop comment "tag:ping"
          }
        }
        """,
        []
      )

    open =
      sigil_NFT(
        ~S"""
        table inet sig {
          chain input {
            type filter hook input priority 0;
          }
        }
        """,
        []
      )

    assert :ok = Netfilter.push({:pid, b}, dropping)
    refute ping(a, @server_addr)
    assert :ok = Netfilter.push({:pid, b}, open, mode: :reconcile)
    assert ping_ok?(a, @server_addr)
    assert :ok = Netfilter.push({:pid, b}, dropping, mode: :reconcile)
    refute ping(a, @server_addr)
  end

  test "a counter counts the pings that pass; pull and nft -j agree" do
    {a, b} = pair()
    assert :ok = Netfilter.push({:pid, b}, icmp_pipeline(false))

    n = 4
    for _ <- 1..n, do: assert(ping_ok?(a, @server_addr))

    assert {:ok, pulled} = Netfilter.pull({:pid, b}, {:ip, "traffic"})
    [rule] = pulled.tables[{:ip, "traffic"}].chains["input"].rules
    assert rule.tag == :icmp_count

    %Expr{data: %{packets: packets, bytes: bytes}} =
      Enum.find(rule.expressions, &(&1.name == :counter))

    assert packets >= n
    assert bytes >= n * 84

    # nft's own reading of the same counter (no traffic since the pull)
    json = LinxTest.Json.decode!(ns!(b, ["nft", "-j", "list", "table", "ip", "traffic"]))

    [counter] =
      for %{"rule" => %{"expr" => exprs}} <- json["nftables"],
          %{"counter" => c} <- exprs,
          do: c

    assert counter["packets"] == packets
    assert counter["bytes"] == bytes
  end

  @tag skip: @no_python
  test "TCP: a connect is accepted, then reset by a sigil rule, then dropped by a pipeline rule" do
    {a, b} = pair()
    l = listen(b, 80)
    on_exit(fn -> stop_listener(l) end)

    assert connect_ok?(a, @server_addr, 80, "before")
    assert heard?(l, "before")

    reset =
      sigil_NFT(
        ~S"""
        table ip tcpf {
          chain input {
            type filter hook input priority 0;
            tcp dport 80 reject with tcp reset
          }
        }
        """,
        []
      )

    assert :ok = Netfilter.push({:pid, b}, reset)
    {us, false} = :timer.tc(fn -> connect(a, @server_addr, 80, "reset") end)
    # refused at once by the RST, not by timeout(1)'s 2 s
    assert us < 1_900_000

    tcp80 = [
      Expr.meta(:l4proto),
      Expr.cmp(:eq, <<6>>),
      Expr.payload(:tcp_dport),
      Expr.cmp(:eq, <<80::16>>)
    ]

    open =
      Ruleset.new()
      |> Ruleset.add_table!(:ip, "tcpf")
      |> Ruleset.add_chain!("tcpf", "input", type: :filter, hook: :input, priority: 0)

    dropping = Ruleset.add_rule!(open, "tcpf", "input", tcp80 ++ [:drop], tag: :drop80)

    assert :ok = Netfilter.push({:pid, b}, dropping, mode: :reconcile)
    assert ns!(b, ["nft", "list", "ruleset"]) =~ "drop"
    refute connect(a, @server_addr, 80, "dropped")
    refute heard?(l, "dropped")

    # and open again (a reconcile push touches only the tables it names)
    assert :ok = Netfilter.push({:pid, b}, open, mode: :reconcile)
    refute ns!(b, ["nft", "list", "ruleset"]) =~ "drop"
    assert connect_ok?(a, @server_addr, 80, "after")
    assert heard?(l, "after")
  end

  @tag skip: @no_python
  test "NAT: a dnat rule in the client's output hook takes port 8080 to the listener on 80" do
    {a, b} = pair()
    l = listen(b, 80)
    on_exit(fn -> stop_listener(l) end)

    # nothing listens on 8080 before the rule
    refute connect(a, @server_addr, 8080, "direct")

    nat =
      sigil_NFT(
        ~S"""
        table ip nat {
          chain out {
            type nat hook output priority -100;
            tcp dport 8080 dnat to 10.99.0.2:80
          }
        }
        """,
        []
      )

    assert :ok = Netfilter.push({:pid, a}, nat)
    assert connect_ok?(a, @server_addr, 8080, "natted")
    assert heard?(l, "natted")

    # the same through the pipeline, into the server's prerouting
    no_nat =
      Ruleset.new()
      |> Ruleset.add_table!(:ip, "nat")
      |> Ruleset.add_chain!("nat", "out", type: :nat, hook: :output, priority: -100)

    assert :ok = Netfilter.push({:pid, a}, no_nat, mode: :reconcile)
    refute ns!(a, ["nft", "list", "ruleset"]) =~ "dnat"

    pre =
      Ruleset.new()
      |> Ruleset.add_table!(:ip, "nat")
      |> Ruleset.add_chain!("nat", "pre", type: :nat, hook: :prerouting, priority: -100)
      |> Ruleset.add_rule!(
        "nat",
        "pre",
        [
          Expr.meta(:l4proto),
          Expr.cmp(:eq, <<6>>),
          Expr.payload(:tcp_dport),
          Expr.cmp(:eq, <<8080::16>>)
        ] ++ Expr.dnat_to(@server_addr, 80),
        tag: :pre
      )

    assert :ok = Netfilter.push({:pid, b}, pre)
    assert ns!(b, ["nft", "list", "ruleset"]) =~ "dnat to 10.99.0.2:80"
    assert connect_ok?(a, @server_addr, 8080, "prerouted")
    assert heard?(l, "prerouted")
  end

  @tag skip: @no_nflog
  test "log: a log group rule pushed from the sigil reaches a Log listener in that namespace" do
    {a, b} = pair()

    rs =
      sigil_NFT(
        ~S"""
        table ip logt {
          chain input {
            type filter hook input priority 0;
            icmp type echo-request log prefix "lx-ping" group 11
          }
        }
        """,
        []
      )

    {:ok, l} = Netfilter.log_listen(self(), group: 11, netns: {:pid, b}, copy_mode: :meta)
    assert :ok = Netfilter.push({:pid, b}, rs)
    assert ping_ok?(a, @server_addr)

    assert_receive {:linx_netfilter, :log, %LogEvent{prefix: "lx-ping"} = e}, @t
    assert e.group == 11
    # NF_INET_LOCAL_IN = 1, arrived on vb
    assert e.hook == 1
    [vb] = LinxTest.Json.decode!(ns!(b, ["ip", "-j", "link", "show", "dev", "vb"]))
    assert e.indev == vb["ifindex"]
    :ok = Netfilter.unlog_listen(l)
  end
end
