defmodule Linx.MACTest do
  use ExUnit.Case, async: true
  import Linx.MAC, only: [sigil_MAC: 2]

  alias Linx.MAC
  alias LinxTest.Gen

  doctest Linx.MAC

  test "the spec's examples" do
    assert MAC.parse("00:11:22:33:44:55") == {:ok, sigil_MAC("00:11:22:33:44:55", [])}
    assert inspect(sigil_MAC("02:aa:bb:cc:dd:ee", [])) == ~S(~MAC"02:aa:bb:cc:dd:ee")
    assert MAC.encode(sigil_MAC("02:aa:bb:cc:dd:ee", [])) == <<2, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE>>
  end

  test "malformed MACs" do
    for bad <- [
          "",
          "00:11:22:33:44",
          "00:11:22:33:44:55:66",
          "0:11:22:33:44:55",
          "00-11-22-33-44-55",
          "00:11:22:33:44:5g",
          "001122334455",
          "00:11:22:33:44:55 "
        ] do
      assert MAC.parse(bad) == {:error, {:bad_mac, bad}}, inspect(bad)
    end

    assert MAC.parse(:x) == {:error, {:bad_mac, :x}}

    assert_raise ArgumentError, ~r/invalid MAC/, fn ->
      Code.eval_string(~s{import Linx.MAC; sigil_MAC("00:11", [])})
    end

    assert_raise ArgumentError, fn -> MAC.decode(<<1, 2, 3>>) end
  end

  test "round trips: text (either case), inspect, wire form" do
    gen = :proper_types.binary(6)

    prop = fn bytes ->
      mac = MAC.decode(bytes)
      text = MAC.to_string(mac)

      MAC.parse(text) == {:ok, mac} and MAC.parse(String.upcase(text)) == {:ok, mac} and
        text == String.downcase(text) and LinxTest.Sigils.eval(inspect(mac)) == mac and
        MAC.encode(mac) == bytes and to_string(mac) == text
    end

    assert Gen.quickcheck(gen, 3000, prop) == true
  end
end
