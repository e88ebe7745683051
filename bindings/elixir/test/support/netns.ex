defmodule LinxTest.Netns do
  @moduledoc false
  # Fresh network namespaces for the tests: a helper process started in a
  # new netns (LinxTest.Kernel.spawn_in_ns/1), ended with the test, and
  # ip(8) and nft(8) run inside it as the oracles.  fresh/0, for the rtnl
  # tests, also opens an rtnl socket in it.  All the tests' links,
  # addresses, routes, neighbours, rules and rulesets live there and go
  # away with it.

  import LinxTest.Kernel

  @doc "A fresh network namespace, ended with the test; returns its process's pid."
  def netns do
    {_port, pid} = ns = spawn_in_ns(["--net"])
    ExUnit.Callbacks.on_exit(fn -> stop(ns) end)
    pid
  end

  @doc "Sets the loopback of process `pid`'s netns up; returns `pid`."
  def lo_up!(pid) do
    ip(pid, ["link", "set", "lo", "up"])
    pid
  end

  @doc "Sets up a netns; returns `%{ns: {port, pid}, pid: pid, sock: socket}`."
  def fresh do
    {_port, pid} = ns = spawn_in_ns(["--net"])

    # No duplicate address detection: IPv6 addresses are usable at once,
    # rather than tentative for a second while their routes come and go.
    for conf <- ["all", "default"] do
      sh!("nsenter", ["-t", "#{pid}", "-n", "sysctl", "-qw", "net.ipv6.conf.#{conf}.accept_dad=0"])
    end

    {:ok, sock} = Linx.Netlink.Rtnl.open({:pid, pid})

    ExUnit.Callbacks.on_exit(fn ->
      Linx.Netlink.Socket.close(sock)
      stop(ns)
    end)

    %{ns: ns, pid: pid, sock: sock}
  end

  @doc "Runs `ip -j ARGS` in process `pid`'s netns and decodes its JSON."
  def ipj(pid, args) do
    out = ip(pid, ["-j" | args])
    if out == "", do: [], else: LinxTest.Json.decode!(out)
  end

  @doc "Runs `ip ARGS` in process `pid`'s netns; returns trimmed stdout."
  def ip(pid, args) do
    sh!("nsenter", ["-t", "#{pid}", "-n", "ip" | args])
  end

  @doc """
  Runs `nft ARGS` in process `pid`'s netns (a string: one argument, nft's
  commands); returns trimmed stdout.
  """
  def nft!(pid, args) when is_list(args), do: sh!("nsenter", ["-t", "#{pid}", "-n", "nft" | args])
  def nft!(pid, cmd) when is_binary(cmd), do: nft!(pid, [cmd])

  @doc "Loads nft text into process `pid`'s netns, as `nft -f` a file of it."
  def nft_load!(pid, text), do: nft!(pid, ["-f", tmp_file!(text)])

  @doc """
  Whether this kernel can create links of `kind` (its driver may be a
  module this machine does not have): tried by ip(8) in a throwaway netns.
  """
  def kind?(kind) do
    setup = "ip link add p0 type veth peer name p1"

    add =
      case kind do
        "vlan" -> "ip link add x0 link p0 type vlan id 5"
        k when k in ["macvlan", "ipvlan"] -> "ip link add x0 link p0 type #{k}"
        k -> "ip link add x0 type #{k}"
      end

    {_, status} =
      System.cmd("unshare", ["--net", "sh", "-c", "#{setup} && #{add}"],
        stderr_to_stdout: true,
        env: tool_env()
      )

    status == 0
  end

  @doc "A skip reason unless every kind in `kinds` can be created here."
  def needs_kinds(kinds) do
    missing = Enum.reject(kinds, &kind?/1)

    skip_unless(
      missing == [],
      "this kernel cannot create #{Enum.join(missing, ", ")} links (driver not built or loaded)"
    )
  end

  @doc """
  Asserts that `ours.()` and `theirs.()` agree, retrying while they do not:
  the kernel finishes some changes asynchronously (carrier, IPv6 address
  configuration), and a pair of reads may straddle one.
  """
  def assert_agree(ours, theirs, tries \\ 100) do
    a = ours.()
    b = theirs.()

    cond do
      a == b ->
        :ok

      tries > 0 ->
        Process.sleep(20)
        assert_agree(ours, theirs, tries - 1)

      true ->
        import ExUnit.Assertions
        assert a == b
    end
  end
end
