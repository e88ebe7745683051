defmodule Linx.Netlink.Message do
  @moduledoc """
  One netlink message: the `nlmsghdr` header of
  `include/uapi/linux/netlink.h` and its payload, with the framing codec.

  Every netlink message of every family starts with the same 16 bytes, all
  in the machine's byte order:

      offset  0     4      6       8     12    16
              | len | type | flags | seq | pid | payload ... |

  `len` counts header and payload; messages follow each other at 4-byte
  boundaries.  This module only frames: what `type` means is up to the
  protocol family, and the only use made of `len` is finding the next
  message.  A datagram from the kernel may hold several messages (a dump
  batch, for one), so decoding gives a list.

  `decode/1` raises `ArgumentError` on a malformed buffer, as the 0.2.0
  reference does; `safe_decode/1` returns `{:error, {:bad_message,
  detail}}` instead, and is what the rest of the wire layer uses on data
  from the kernel.
  """

  import Bitwise

  defstruct type: 0, flags: 0, seq: 0, pid: 0, payload: <<>>

  @type t() :: %__MODULE__{
          flags: 0..65535,
          payload: binary(),
          pid: non_neg_integer(),
          seq: non_neg_integer(),
          type: 0..65535
        }

  @hdrlen 16

  @doc """
  Encodes `message` for sending: the header with `len` computed, the
  payload (any iodata), and zero padding to the next 4-byte boundary so
  that encoded messages can simply be concatenated into one datagram.

  Raises `ArgumentError` if a field does not fit its header slot.

      iex> Linx.Netlink.Message.encode(%Linx.Netlink.Message{type: 18, flags: 1, seq: 7, payload: <<0>>})
      ...> |> byte_size()
      20
  """
  @spec encode(t()) :: binary()
  def encode(%__MODULE__{type: type, flags: flags, seq: seq, pid: pid, payload: payload} = msg) do
    unless u16?(type) and u16?(flags) and u32?(seq) and u32?(pid) do
      raise ArgumentError, "netlink header field out of range in #{inspect(msg)}"
    end

    payload =
      try do
        IO.iodata_to_binary(payload)
      rescue
        ArgumentError -> reraise ArgumentError, "netlink payload is not iodata", __STACKTRACE__
      end

    len = @hdrlen + byte_size(payload)

    if len > 0xFFFFFFFF, do: raise(ArgumentError, "netlink message too long")

    <<len::32-native, type::16-native, flags::16-native, seq::32-native, pid::32-native,
      payload::binary, 0::size(pad(len))-unit(8)>>
  end

  defp u16?(v), do: is_integer(v) and v >= 0 and v <= 0xFFFF
  defp u32?(v), do: is_integer(v) and v >= 0 and v <= 0xFFFFFFFF

  @doc false
  def pad(len), do: (4 - band(len, 3)) |> band(3)

  @doc """
  Splits a received buffer into its messages, in order.

  Bytes left over at the end that cannot hold a header are taken for
  padding and ignored.  Raises `ArgumentError` when a message's `len` is
  shorter than a header or runs past the end of the buffer.
  """
  @spec decode(binary()) :: [t()]
  def decode(binary) when is_binary(binary) do
    case safe_decode(binary) do
      {:ok, messages} -> messages
      {:error, {:bad_message, detail}} -> raise ArgumentError, "bad netlink message: #{detail}"
    end
  end

  @doc """
  As `decode/1`, but never raises: `{:ok, messages}`, or
  `{:error, {:bad_message, detail}}` where `detail` is a short description
  naming the byte offset of the offending message.  A non-binary is
  `{:error, {:bad_message, term}}`.
  """
  @spec safe_decode(term()) :: {:ok, [t()]} | {:error, {:bad_message, term()}}
  def safe_decode(binary) when is_binary(binary), do: split(binary, 0, [])
  def safe_decode(other), do: {:error, {:bad_message, other}}

  defp split(
         <<len::32-native, type::16-native, flags::16-native, seq::32-native, pid::32-native,
           rest::binary>>,
         offset,
         acc
       ) do
    body = len - @hdrlen

    cond do
      len < @hdrlen ->
        {:error, {:bad_message, "length #{len} at offset #{offset} is shorter than a header"}}

      body > byte_size(rest) ->
        {:error,
         {:bad_message, "length #{len} at offset #{offset} runs past the end of the buffer"}}

      true ->
        <<payload::binary-size(body), rest::binary>> = rest
        skip = min(pad(len), byte_size(rest))
        <<_::binary-size(skip), rest::binary>> = rest
        msg = %__MODULE__{type: type, flags: flags, seq: seq, pid: pid, payload: payload}
        split(rest, offset + len + skip, [msg | acc])
    end
  end

  defp split(_padding, _offset, acc), do: {:ok, Enum.reverse(acc)}
end
