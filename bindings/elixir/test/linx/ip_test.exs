defmodule Linx.IPTest do
  use ExUnit.Case, async: true
  import Linx.IP, only: [sigil_IP: 2]
  import Bitwise

  alias Linx.IP
  alias Linx.IP.Subnet
  alias LinxTest.Gen

  doctest Linx.IP
  doctest Linx.IP.Subnet

  describe "the spec's examples" do
    test "parse" do
      assert IP.parse("10.0.0.5") == {:ok, sigil_IP("10.0.0.5", [])}
      assert IP.parse("fc00::1") == {:ok, sigil_IP("fc00::1", [])}
      assert {:ok, %IP{family: :inet6, bytes: <<0xFC00::16, 0::96, 1::16>>}} = IP.parse("fc00::1")
    end

    test "the sigil builds addresses and subnets, inspect gives it back" do
      assert inspect(sigil_IP("10.0.0.5", [])) == ~S(~IP"10.0.0.5")
      assert inspect(sigil_IP("10.0.0.0/24", [])) == ~S(~IP"10.0.0.0/24")
      assert inspect(sigil_IP("fc00::/16", [])) == ~S(~IP"fc00::/16")
      assert %Subnet{prefix: 24} = sigil_IP("10.0.0.0/24", [])
      assert Subnet.parse("10.0.0.0/24") == {:ok, sigil_IP("10.0.0.0/24", [])}
    end

    test "subnet operations" do
      assert Subnet.contains?(sigil_IP("10.0.0.0/8", []), sigil_IP("10.99.0.5", []))
      assert Subnet.network(sigil_IP("10.0.42.5/24", [])) == sigil_IP("10.0.42.0", [])
      assert Subnet.broadcast(sigil_IP("10.0.42.5/24", [])) == sigil_IP("10.0.42.255", [])
      assert Subnet.broadcast(sigil_IP("fc00::/16", [])) == nil
      refute Subnet.contains?(sigil_IP("10.0.0.0/8", []), sigil_IP("fc00::1", []))
      refute Subnet.contains?(sigil_IP("10.0.0.0/8", []), sigil_IP("11.0.0.1", []))
    end

    test "to_string is canonical" do
      assert IP.to_string(sigil_IP("fc00:0:0:0:0:0:0:1", [])) == "fc00::1"
      assert "#{sigil_IP("2001:DB8::1", [])}" == "2001:db8::1"
    end
  end

  test "a malformed literal fails at compile time" do
    for bad <- ["10.0.0.256", "10.0.0", "fc00:::1", "10.0.0.0/33", "fe80::1%eth0", "10.0.0.0/"] do
      assert_raise ArgumentError, ~r/invalid IP/, fn ->
        Code.eval_string(~s{import Linx.IP; sigil_IP("#{bad}", [])})
      end
    end

    assert_raise ArgumentError, ~r/no modifiers/, fn ->
      Code.eval_string(~s{import Linx.IP; sigil_IP("10.0.0.1", ~c"x")})
    end
  end

  test "parse refuses what is not an address" do
    for bad <- [
          "",
          "10.5",
          "010.0.0.1",
          "1.2.3.4 ",
          "::ffff:1.2.3",
          "g::1",
          "1:2:3:4:5:6:7:8:9",
          <<0xFF>>
        ] do
      # Linx 0.2.0's term, which applications match on.
      assert IP.parse(bad) == {:error, {:bad_address, bad}}, inspect(bad)
    end

    assert IP.parse(:"10.0.0.1") == {:error, {:bad_address, :"10.0.0.1"}}
    assert IP.parse(nil) == {:error, {:bad_address, nil}}

    for bad <- ["10.0.0.0", "10.0.0.0/24/1", "10.0.0.0/-1", "10.0.0.0/024", "fc00::/129", "x/8"] do
      assert Subnet.parse(bad) == {:error, {:bad_subnet, bad}}, inspect(bad)
    end
  end

  defp ip4, do: :proper_types.tuple(List.duplicate(:proper_types.integer(0, 255), 4))
  defp ip6, do: :proper_types.tuple(List.duplicate(:proper_types.integer(0, 0xFFFF), 8))

  # Short runs of zero groups make the compression cases likely.
  defp ip6_sparse do
    :proper_types.tuple(List.duplicate(:proper_types.elements([0, 0, 0, 1, 0xFFFF, 0xDB8]), 8))
  end

  test "round trips: text, inspect and the wire form" do
    gen = :proper_types.union([ip4(), ip6(), ip6_sparse()])

    prop = fn tuple ->
      ip = IP.from_tuple(tuple)
      text = IP.to_string(ip)

      IP.parse(text) == {:ok, ip} and LinxTest.Sigils.eval(inspect(ip)) == ip and
        IP.decode(IP.encode(ip)) == ip and IP.to_tuple(ip) == tuple
    end

    assert Gen.quickcheck(gen, 3000, prop) == true
  end

  # The oracle is glibc's inet_ntop(3), what ip(8) prints with, reached
  # through Python's socket module (python3 comes with Meson).
  @tag skip: LinxTest.Kernel.skip_unless(System.find_executable("python3") != nil, "no python3")
  test "IPv6 text is what inet_ntop(3) prints" do
    :rand.seed(:exsss, {1, 2, 3})
    sparse = [0, 0, 0, 1, 0xFFFF, 0xFE80, 0xDB8]

    tuples =
      for i <- 1..3000 do
        word = fn ->
          if rem(i, 2) == 0, do: Enum.random(sparse), else: :rand.uniform(0x10000) - 1
        end

        List.to_tuple(for _ <- 1..8, do: word.())
      end ++
        [
          {0, 0, 0, 0, 0, 0xFFFF, 0x0102, 0x0304},
          {0, 0, 0, 0, 0, 0, 0x0102, 0x0304},
          {0xFE80, 1, 0, 0, 0, 0, 0, 0}
        ]

    input =
      Enum.map_join(tuples, "\n", fn t ->
        t |> IP.from_tuple() |> IP.encode() |> Base.encode16()
      end)

    file = Path.join(System.tmp_dir!(), "linx-ip-#{System.unique_integer([:positive])}")
    File.write!(file, input)
    on_exit(fn -> File.rm(file) end)

    script =
      "import socket, sys\n" <>
        "for line in open(sys.argv[1]):\n" <>
        "    print(socket.inet_ntop(socket.AF_INET6, bytes.fromhex(line.strip())))\n"

    {out, 0} = System.cmd("python3", ["-c", script, file])
    expected = String.split(out, "\n", trim: true)
    assert length(expected) == length(tuples)

    for {tuple, want} <- Enum.zip(tuples, expected) do
      assert IP.to_string(IP.from_tuple(tuple)) == want
    end
  end

  test "subnets: network, broadcast and contains? against integer arithmetic" do
    gen = :proper_types.tuple([ip4(), :proper_types.integer(0, 32), ip4()])

    prop = fn {addr, prefix, other} ->
      net = %Subnet{address: IP.from_tuple(addr), prefix: prefix}
      <<a::32>> = IP.encode(net.address)
      <<o::32>> = IP.encode(IP.from_tuple(other))
      mask = bsl(0xFFFFFFFF, 32 - prefix) |> band(0xFFFFFFFF)

      IP.encode(Subnet.network(net)) == <<band(a, mask)::32>> and
        IP.encode(Subnet.broadcast(net)) == <<bor(band(a, mask), bxor(mask, 0xFFFFFFFF))::32>> and
        Subnet.contains?(net, IP.from_tuple(other)) == (band(a, mask) == band(o, mask)) and
        Subnet.parse(Subnet.to_string(net)) == {:ok, net} and
        LinxTest.Sigils.eval(inspect(net)) == net and
        Subnet.contains?(net, Subnet.network(net))
    end

    assert Gen.quickcheck(gen, 3000, prop) == true
  end

  test "IPv6 subnets" do
    gen =
      :proper_types.tuple([
        :proper_types.union([ip6(), ip6_sparse()]),
        :proper_types.integer(0, 128)
      ])

    prop = fn {addr, prefix} ->
      net = %Subnet{address: IP.from_tuple(addr), prefix: prefix}
      <<a::128>> = IP.encode(net.address)
      <<n::128>> = IP.encode(Subnet.network(net))
      host = 128 - prefix

      n == bsl(bsr(a, host), host) and Subnet.contains?(net, net.address) and
        Subnet.parse(Subnet.to_string(net)) == {:ok, net} and
        LinxTest.Sigils.eval(inspect(net)) == net
    end

    assert Gen.quickcheck(gen, 2000, prop) == true
  end

  test "a hand-built struct that is not an address inspects as a struct" do
    assert inspect(%IP{family: :inet, bytes: <<1, 2>>}) =~ "%Linx.IP{"
    assert inspect(%Subnet{address: sigil_IP("10.0.0.1", []), prefix: 40}) =~ "%Linx.IP.Subnet{"
  end

  if Version.match?(System.version(), ">= 1.15.0") do
    test "~IP as a sigil (Elixir >= 1.15)" do
      {value, _} = Code.eval_string(~S{import Linx.IP; [~IP"10.0.0.5", ~IP"10.0.0.0/24"]})
      assert value == [sigil_IP("10.0.0.5", []), sigil_IP("10.0.0.0/24", [])]
    end
  end
end
