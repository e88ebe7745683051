defmodule Linx.Netlink.WireCodecTest do
  # The pure parts of the netlink wire layer: nlmsghdr framing, attributes,
  # the Codec DSL and the nfnetlink helpers.  No kernel involved.
  use ExUnit.Case, async: true

  import Bitwise
  import Linx.Netlink.Constants

  alias :proper_types, as: T
  alias Linx.Netlink.{Attr, Message}
  alias Linx.Netlink.Nfnl.Codec, as: Nfc
  alias LinxTest.Gen

  doctest Linx.Netlink.Attr
  doctest Linx.Netlink.Message
  doctest Linx.Netlink.Nfnl.Codec, except: [get_gen: 1]

  defmodule Kind do
    use Linx.Netlink.Codec

    codec do
      attr(1, :id, :u16)
      attr(2, :label, :string)
    end
  end

  defmodule Info do
    use Linx.Netlink.Codec

    codec do
      attr(1, :kind, :string)
      attr(2, :data, {:dispatch, :kind, %{"k" => Kind}})
    end
  end

  defmodule Msg do
    use Linx.Netlink.Codec

    codec do
      header do
        field(:family, :u8)
        pad(1)
        field(:type, :u16)
        field(:index, :s32)
        field(:port, :be16)
      end

      attr(3, :name, :string)
      attr(4, :mtu, :u32)
      attr(5, :blob, :binary)
      attr(6, :up, :flag)
      attr(7, :big, :u64)
      attr(8, :info, Info)
      attr(9, :neg, :s8)
    end
  end

  describe "Constants" do
    test "the netlink.h values, usable in guards and patterns" do
      assert {nlmsg_noop(), nlmsg_error(), nlmsg_done(), nlmsg_overrun(), nlmsg_min_type()} ==
               {1, 2, 3, 4, 16}

      assert nlm_f_dump() == (nlm_f_root() ||| nlm_f_match())
      assert {nlm_f_request(), nlm_f_multi(), nlm_f_ack(), nlm_f_echo()} == {1, 2, 4, 8}

      assert {nlm_f_replace(), nlm_f_excl(), nlm_f_create(), nlm_f_append()} ==
               {256, 512, 1024, 2048}

      assert {nlm_f_dump_intr(), nlm_f_atomic()} == {16, 1024}
      assert match?(<<nlmsg_done()::16>>, <<3::16>>)
    end
  end

  describe "Message" do
    test "encode computes len and pads; decode splits concatenated messages" do
      a = %Message{type: 18, flags: 0x301, seq: 1, pid: 0, payload: <<1, 2, 3>>}
      b = %Message{type: 3, flags: 2, seq: 1, pid: 4242, payload: <<0::32>>}
      bin_a = Message.encode(a)
      assert byte_size(bin_a) == 20

      assert <<19::32-native, 18::16-native, 0x301::16-native, 1::32-native, 0::32, 1, 2, 3, 0>> =
               bin_a

      assert Message.decode(bin_a <> Message.encode(b)) == [a, b]
      assert Message.decode(<<>>) == []
      # A tail shorter than a header is padding.
      assert Message.decode(Message.encode(b) <> <<0, 0, 0>>) == [b]
    end

    test "iodata payloads" do
      m = Message.encode(%Message{type: 20, payload: ["ab", ?c]})
      assert [%Message{payload: "abc"}] = Message.decode(m)
    end

    test "malformed buffers: decode/1 raises ArgumentError, safe_decode/1 returns errors" do
      short = <<8::32-native, 0::96>>
      over = <<64::32-native, 0::96, 1, 2>>

      for bad <- [short, over] do
        assert_raise ArgumentError, fn -> Message.decode(bad) end
        assert {:error, {:bad_message, detail}} = Message.safe_decode(bad)
        assert is_binary(detail)
      end

      assert Message.safe_decode(:nope) == {:error, {:bad_message, :nope}}
    end

    test "encode refuses fields out of range" do
      assert_raise ArgumentError, fn -> Message.encode(%Message{type: 70_000}) end
      assert_raise ArgumentError, fn -> Message.encode(%Message{seq: -1}) end
      assert_raise ArgumentError, fn -> Message.encode(%Message{payload: [:x]}) end
    end
  end

  describe "Attr" do
    test "round trip, padding, nesting" do
      inner = Attr.encode([{1, "x"}, {2, <<7::32-native>>}])
      attrs = [{3, "eth0\0"}, {Attr.nested(18), inner}, {4, <<>>}]
      bin = Attr.encode(attrs)
      assert rem(byte_size(bin), 4) == 0
      assert Attr.decode(bin) == Enum.map(attrs, fn {t, v} -> {t, IO.iodata_to_binary(v)} end)
      [_, {t, v}, _] = Attr.decode(bin)
      assert Attr.type_id(t) == 18 and (t &&& nla_f_nested()) != 0
      assert Attr.decode(v) == [{1, "x"}, {2, <<7::32-native>>}]
      assert Attr.get(Attr.decode(bin), 18) == v
      assert Attr.get([], 1) == nil
    end

    test "integer helpers" do
      assert Attr.be16(0x0102) == <<1, 2>>
      assert Attr.be32(1) == <<0, 0, 0, 1>>
      assert Attr.u32(5) == <<5::32-native>>
      assert Attr.decode_uint(Attr.u64(1 <<< 40)) == {:ok, 1 <<< 40}
      assert Attr.decode_uint(Attr.be64(3), :big) == {:ok, 3}
      assert Attr.decode_uint(<<1, 2, 3>>) == {:error, {:bad_int, <<1, 2, 3>>}}
    end

    test "malformed attributes" do
      for bad <- [<<2::16-native, 1::16-native>>, <<9::16-native, 1::16-native, 1>>] do
        assert_raise ArgumentError, fn -> Attr.decode(bad) end
        assert {:error, {:bad_attr, _}} = Attr.safe_decode(bad)
      end

      assert Attr.decode(<<1, 2>>) == []
      assert_raise ArgumentError, fn -> Attr.encode([{70_000, "x"}]) end
      assert_raise ArgumentError, fn -> Attr.encode([:x]) end
      assert_raise ArgumentError, fn -> Attr.encode([{1, :binary.copy("x", 70_000)}]) end
    end
  end

  describe "Codec" do
    test "struct defaults and the schema as data" do
      assert %Msg{family: 0, index: 0, name: nil, info: nil} = %Msg{}
      assert %{header: [{:field, :family, :u8}, {:pad, 1} | _], attrs: attrs} = Msg.__codec__()
      assert {3, :name, :string} in attrs
    end

    test "round trip with header, scalars, flag, nested and dispatched attributes" do
      m = %Msg{
        family: 2,
        type: 1,
        index: -5,
        port: 8080,
        name: "eth0",
        mtu: 1500,
        blob: <<0, 1>>,
        up: true,
        big: 1 <<< 50,
        neg: -3,
        info: %Info{kind: "k", data: %Kind{id: 7, label: "seven"}}
      }

      bin = Msg.encode(m)
      assert <<2, 0, 1::16-native, -5::32-signed-native, 8080::16-big, _::binary>> = bin
      assert Msg.decode(bin) == {:ok, m}

      # Nil attributes are left out; the nested one carries NLA_F_NESTED.
      bin2 = Msg.encode(%Msg{info: %Info{kind: "other", data: <<9, 9>>}})
      assert {:ok, %Msg{name: nil, info: %Info{kind: "other", data: <<9, 9>>}}} = Msg.decode(bin2)
      <<_::binary-size(10), tlvs::binary>> = bin2
      assert [{t, _}] = Attr.decode(tlvs)
      assert t == Attr.nested(8)
    end

    test "decode errors are tuples; encode raises on bad values" do
      assert Msg.decode(<<1, 2, 3>>) == {:error, {:bad_header, 3}}
      head = Msg.encode(%Msg{})
      assert {:error, {:bad_attr, _}} = Msg.decode(head <> <<200, 0, 1, 0>>)

      assert {:error, {:bad_attr, {:mtu, <<1, 2>>}}} =
               Msg.decode(head <> Attr.encode([{4, <<1, 2>>}]))

      assert {:error, {:bad_attr, {:info, _}}} =
               Msg.decode(head <> Attr.encode([{8, <<255, 255, 0, 0>>}]))

      assert_raise ArgumentError, fn -> Msg.encode(%Msg{family: 256}) end
      assert_raise ArgumentError, fn -> Msg.encode(%Msg{name: "a\0b"}) end
      assert_raise ArgumentError, fn -> Msg.encode(%Msg{neg: 200}) end
    end

    test "a malformed codec block does not compile" do
      assert_raise CompileError, fn ->
        Code.compile_string("""
        defmodule Linx.Netlink.WireCodecTest.Bad2 do
          use Linx.Netlink.Codec
          codec do
            attr 1, :x, String.to_atom("u8")
          end
        end
        """)
      end

      assert_raise CompileError, fn ->
        Code.compile_string("""
        defmodule Linx.Netlink.WireCodecTest.Bad do
          use Linx.Netlink.Codec
          codec do
            attr 1, :data, {:dispatch, :kind, %{}}
            attr 2, :kind, :string
          end
        end
        """)
      end
    end
  end

  describe "Nfnl.Codec" do
    test "type packing, nfgenmsg, envelope" do
      assert Nfc.nlmsg_type(10, 0x10) == 0x0A10
      assert Nfc.split_type(0x0A10) == {10, 0x10}

      assert {Nfc.subsys_ctnetlink(), Nfc.subsys_queue(), Nfc.subsys_ulog(),
              Nfc.subsys_nftables()} ==
               {1, 3, 4, 10}

      assert Nfc.encode_nfgenmsg(:unspec, 5000) == <<0, 0, 19, 136>>
      assert Nfc.decode_nfgenmsg(<<1, 0, 0, 10>>) == {1, 0, 10, <<>>}
      assert_raise ArgumentError, fn -> Nfc.decode_nfgenmsg(<<1, 0>>) end
      assert_raise ArgumentError, fn -> Nfc.nfproto(:nope) end
      assert Nfc.nfproto(:ipv6) == 10

      assert %Message{type: 0x10, payload: <<0, 0, 0, 10>>} = Nfc.batch_begin(:nftables)
      assert %Message{type: 0x11, payload: <<0, 0, 0, 1>>} = Nfc.batch_end(:ctnetlink)

      %Message{payload: <<0, 0, 0, 10, attrs::binary>>} = Nfc.batch_begin(10, genid: 42)
      assert Attr.decode(attrs) == [{1, <<42::32-big>>}]
    end

    test "NEWGEN bodies" do
      body =
        Nfc.encode_nfgenmsg() <>
          Attr.encode([{1, Attr.be32(9)}, {2, Attr.be32(123)}, {3, "nft\0"}])

      assert Nfc.decode_gen(body) == {:ok, %{id: 9, proc_pid: 123, proc_name: "nft"}}

      assert Nfc.decode_gen(Nfc.encode_nfgenmsg() <> Attr.encode([{1, Attr.be32(1)}])) ==
               {:ok, %{id: 1, proc_pid: nil, proc_name: nil}}

      assert {:error, {:bad_message, _}} = Nfc.decode_gen(<<1>>)
      assert {:error, {:bad_message, _}} = Nfc.decode_gen(Nfc.encode_nfgenmsg())

      assert {:error, {:bad_message, _}} =
               Nfc.decode_gen(Nfc.encode_nfgenmsg() <> <<99, 0, 1, 0>>)
    end
  end

  describe "properties" do
    defp message_gen do
      T.bind(
        T.tuple([
          T.integer(0, 0xFFFF),
          T.integer(0, 0xFFFF),
          T.integer(0, 0xFFFFFFFF),
          T.integer(0, 0xFFFFFFFF),
          T.binary()
        ]),
        fn {t, f, s, p, b} -> %Message{type: t, flags: f, seq: s, pid: p, payload: b} end,
        false
      )
    end

    test "messages round trip through encode and decode" do
      prop = fn msgs ->
        msgs |> Enum.map(&Message.encode/1) |> IO.iodata_to_binary() |> Message.decode() == msgs
      end

      assert Gen.quickcheck(T.list(message_gen()), 500, prop) == true
    end

    test "attributes round trip" do
      prop = fn attrs -> Attr.decode(Attr.encode(attrs)) == attrs end
      gen = T.list(T.tuple([T.integer(0, 0xFFFF), T.binary()]))
      assert Gen.quickcheck(gen, 500, prop) == true
    end

    test "codec structs round trip" do
      maybe = fn gen -> T.oneof([T.exactly(nil), gen]) end
      text = T.bind(T.binary(), &String.replace(&1, <<0>>, ""), false)

      gen =
        T.bind(
          T.tuple([
            T.integer(0, 255),
            T.integer(-0x80000000, 0x7FFFFFFF),
            T.integer(0, 0xFFFF),
            maybe.(text),
            maybe.(T.integer(0, 0xFFFFFFFF)),
            maybe.(T.binary()),
            maybe.(T.exactly(true)),
            maybe.(T.integer(-128, 127))
          ]),
          fn {f, i, p, n, m, b, u, s} ->
            %Msg{family: f, index: i, port: p, name: n, mtu: m, blob: b, up: u, neg: s}
          end,
          false
        )

      assert Gen.quickcheck(gen, 500, fn m -> Msg.decode(Msg.encode(m)) == {:ok, m} end) == true
    end

    test "random bytes never crash the decoders" do
      prop = fn bin ->
        ok_or_error?(Message.safe_decode(bin)) and ok_or_error?(Attr.safe_decode(bin)) and
          ok_or_error?(Msg.decode(bin)) and ok_or_error?(Nfc.decode_gen(bin)) and
          raises_only_argument_error?(fn -> Message.decode(bin) end) and
          raises_only_argument_error?(fn -> Attr.decode(bin) end)
      end

      # Biased towards plausible framing: a valid header glued to noise.
      gen =
        T.oneof([
          T.binary(),
          T.bind(
            T.tuple([T.integer(0, 80), T.binary()]),
            fn {l, b} ->
              <<l::32-native, 0::96, b::binary>>
            end,
            false
          ),
          T.bind(
            T.tuple([T.integer(0, 40), T.binary()]),
            fn {l, b} ->
              <<0::64, l::16-native, 8::16-native, b::binary>>
            end,
            false
          )
        ])

      assert Gen.quickcheck(gen, 2000, prop, 60) == true
    end
  end

  defp ok_or_error?({:ok, _}), do: true
  defp ok_or_error?({:error, _}), do: true
  defp ok_or_error?(_), do: false

  defp raises_only_argument_error?(fun) do
    fun.()
    true
  rescue
    ArgumentError -> true
  end
end
