defmodule Linx.Netlink.Attr do
  @moduledoc """
  Netlink attributes: the type-length-value elements (`struct nlattr` /
  `struct rtattr`) that carry the variable part of a message body.

  This layer knows the TLV framing only, not what any attribute means.  An
  attribute is a `{type, value}` tuple - a 16-bit type and the raw payload
  bytes - kept as a plain tuple because it is a wire primitive; meaning is
  given one layer up (`Linx.Netlink.Codec`, or hand-written code).

  On the wire, in the machine's byte order:

      | len (16) | type (16) | payload ... | pad to 4 bytes |

  `len` counts the 4-byte header and the payload, not the padding.

  Nesting needs nothing special: encode the inner list and use the result
  as the outer value (with `nested/1` on the type to set `NLA_F_NESTED`,
  which some kernel families insist on); decode the value of an attribute
  known to be nested.  The top two bits of a type are flags
  (`NLA_F_NESTED`, `NLA_F_NET_BYTEORDER`); `type_id/1` strips them.

  The integer helpers (`u8/1` ... `be64/1`, `decode_uint/2`) build and read
  the payloads of integer attributes, in host order or big-endian (as
  nfnetlink uses).

  `decode/1` raises `ArgumentError` on malformed input, like the 0.2.0
  reference; `safe_decode/1` returns `{:error, {:bad_attr, detail}}`.
  """

  import Bitwise

  @type attr() :: {type :: 0..65535, value :: binary()}

  @nla_f_nested 0x8000
  @nla_type_mask 0x3FFF

  @doc """
  Encodes `attrs`, a list of `{type, value}` with `value` any iodata, into
  one binary, in list order.  Raises `ArgumentError` for a type outside
  16 bits or a value too long for one attribute (65531 bytes).

      iex> Linx.Netlink.Attr.encode([{3, "lo\\0"}, {4, <<1, 2, 3, 4>>}]) |> byte_size()
      16
  """
  @spec encode([{0..65535, iodata()}]) :: binary()
  def encode(attrs) when is_list(attrs) do
    attrs |> Enum.map(&encode_one/1) |> IO.iodata_to_binary()
  end

  defp encode_one({type, value}) when is_integer(type) and type >= 0 and type <= 0xFFFF do
    value =
      try do
        IO.iodata_to_binary(value)
      rescue
        ArgumentError ->
          reraise ArgumentError,
                  "netlink attribute #{type}: value is not iodata",
                  __STACKTRACE__
      end

    len = 4 + byte_size(value)

    if len > 0xFFFF do
      raise ArgumentError,
            "netlink attribute #{type}: value of #{byte_size(value)} bytes is too long"
    end

    [<<len::16-native, type::16-native>>, value, <<0::size(pad(len))-unit(8)>>]
  end

  defp encode_one(other) do
    raise ArgumentError, "not a netlink attribute {type, value}: #{inspect(other)}"
  end

  defp pad(len), do: band(4 - band(len, 3), 3)

  @doc """
  Decodes a binary into its `{type, value}` attributes, in order.  Values
  come without header or padding; types keep their flag bits.  A tail too
  short for an attribute header is padding and ignored.  Raises
  `ArgumentError` when an attribute's length is shorter than its header or
  runs past the data.
  """
  @spec decode(binary()) :: [attr()]
  def decode(binary) when is_binary(binary) do
    case safe_decode(binary) do
      {:ok, attrs} -> attrs
      {:error, {:bad_attr, detail}} -> raise ArgumentError, "bad netlink attribute: #{detail}"
    end
  end

  @doc """
  As `decode/1`, but never raises: `{:ok, attrs}` or
  `{:error, {:bad_attr, detail}}`.
  """
  @spec safe_decode(term()) :: {:ok, [attr()]} | {:error, {:bad_attr, term()}}
  def safe_decode(binary) when is_binary(binary), do: split(binary, 0, [])
  def safe_decode(other), do: {:error, {:bad_attr, other}}

  defp split(<<len::16-native, type::16-native, rest::binary>>, offset, acc) do
    body = len - 4

    cond do
      len < 4 ->
        {:error, {:bad_attr, "length #{len} at offset #{offset} is shorter than a header"}}

      body > byte_size(rest) ->
        {:error, {:bad_attr, "length #{len} at offset #{offset} runs past the data"}}

      true ->
        <<value::binary-size(body), rest::binary>> = rest
        skip = min(pad(len), byte_size(rest))
        <<_::binary-size(skip), rest::binary>> = rest
        split(rest, offset + len + skip, [{type, value} | acc])
    end
  end

  defp split(_padding, _offset, acc), do: {:ok, Enum.reverse(acc)}

  @doc """
  `type` with `NLA_F_NESTED` set, for an attribute whose value is itself
  encoded attributes.

      iex> Linx.Netlink.Attr.nested(18)
      32786
  """
  @spec nested(0..0x3FFF) :: 0..65535
  def nested(type) when is_integer(type) and type >= 0 and type <= @nla_type_mask,
    do: type ||| @nla_f_nested

  @doc """
  The type number of an attribute type without its flag bits.

      iex> Linx.Netlink.Attr.type_id(0x8012)
      18
  """
  @spec type_id(0..65535) :: 0..0x3FFF
  def type_id(type) when is_integer(type), do: type &&& @nla_type_mask

  @doc """
  The value of the last attribute of type `type` in `attrs` (flag bits
  ignored on both sides), or `nil`.  The kernel too takes the last of
  repeated attributes.
  """
  @spec get([attr()], 0..65535) :: binary() | nil
  def get(attrs, type) when is_list(attrs) and is_integer(type) do
    id = type_id(type)

    Enum.reduce(attrs, nil, fn
      {t, v}, acc -> if type_id(t) == id, do: v, else: acc
    end)
  end

  @doc "An 8-bit unsigned payload."
  @spec u8(0..0xFF) :: binary()
  def u8(n) when is_integer(n) and n in 0..0xFF, do: <<n::8>>
  @doc "A 16-bit unsigned payload, host byte order."
  @spec u16(0..0xFFFF) :: binary()
  def u16(n) when is_integer(n) and n in 0..0xFFFF, do: <<n::16-native>>
  @doc "A 32-bit unsigned payload, host byte order."
  @spec u32(0..0xFFFFFFFF) :: binary()
  def u32(n) when is_integer(n) and n in 0..0xFFFFFFFF, do: <<n::32-native>>
  @doc "A 64-bit unsigned payload, host byte order."
  @spec u64(non_neg_integer()) :: binary()
  def u64(n) when is_integer(n) and n in 0..0xFFFFFFFFFFFFFFFF, do: <<n::64-native>>
  @doc "A 16-bit unsigned payload, big-endian."
  @spec be16(0..0xFFFF) :: binary()
  def be16(n) when is_integer(n) and n in 0..0xFFFF, do: <<n::16-big>>
  @doc "A 32-bit unsigned payload, big-endian."
  @spec be32(0..0xFFFFFFFF) :: binary()
  def be32(n) when is_integer(n) and n in 0..0xFFFFFFFF, do: <<n::32-big>>
  @doc "A 64-bit unsigned payload, big-endian."
  @spec be64(non_neg_integer()) :: binary()
  def be64(n) when is_integer(n) and n in 0..0xFFFFFFFFFFFFFFFF, do: <<n::64-big>>

  @doc """
  Reads an unsigned integer payload of 1, 2, 4 or 8 bytes in byte order
  `order` (`:native`, the default, or `:big`): `{:ok, n}` or
  `{:error, {:bad_int, value}}`.

      iex> Linx.Netlink.Attr.decode_uint(<<0, 0, 1, 0>>, :big)
      {:ok, 256}
  """
  @spec decode_uint(binary(), :native | :big) :: {:ok, non_neg_integer()} | {:error, term()}
  def decode_uint(value, order \\ :native)

  def decode_uint(value, order)
      when is_binary(value) and byte_size(value) in [1, 2, 4, 8] and order in [:native, :big] do
    bits = byte_size(value) * 8

    case order do
      :native ->
        <<n::size(bits)-native>> = value
        {:ok, n}

      :big ->
        <<n::size(bits)-big>> = value
        {:ok, n}
    end
  end

  def decode_uint(value, _order), do: {:error, {:bad_int, value}}
end
