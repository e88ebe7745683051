defmodule Linx.Netlink.Rtnl.Stats.Link64 do
  @moduledoc """
  A link's 64-bit counters: the 25 fields of the kernel's
  `struct rtnl_link_stats64` (`include/uapi/linux/if_link.h`), by their
  kernel names.

  `rx_otherhost_dropped` came with Linux 5.19; on older kernels it is nil.

  `decode/1` and `encode/1` convert the packed form (native-endian u64s):
  `decode/1` takes the 24-counter (192-byte) and 25-counter (200-byte)
  layouts and ignores counters a newer kernel may add; `encode/1` always
  writes 25, a nil counter as 0.  A payload shorter than 24 counters, or a
  counter that is not an integer 0..2^64-1, raises `ArgumentError`.
  """

  @fields [
    :rx_packets,
    :tx_packets,
    :rx_bytes,
    :tx_bytes,
    :rx_errors,
    :tx_errors,
    :rx_dropped,
    :tx_dropped,
    :multicast,
    :collisions,
    :rx_length_errors,
    :rx_over_errors,
    :rx_crc_errors,
    :rx_frame_errors,
    :rx_fifo_errors,
    :rx_missed_errors,
    :tx_aborted_errors,
    :tx_carrier_errors,
    :tx_fifo_errors,
    :tx_heartbeat_errors,
    :tx_window_errors,
    :rx_compressed,
    :tx_compressed,
    :rx_nohandler,
    :rx_otherhost_dropped
  ]

  defstruct @fields

  @type counter() :: non_neg_integer() | nil

  @type t() :: %__MODULE__{
          collisions: counter(),
          multicast: counter(),
          rx_bytes: counter(),
          rx_compressed: counter(),
          rx_crc_errors: counter(),
          rx_dropped: counter(),
          rx_errors: counter(),
          rx_fifo_errors: counter(),
          rx_frame_errors: counter(),
          rx_length_errors: counter(),
          rx_missed_errors: counter(),
          rx_nohandler: counter(),
          rx_otherhost_dropped: counter(),
          rx_over_errors: counter(),
          rx_packets: counter(),
          tx_aborted_errors: counter(),
          tx_bytes: counter(),
          tx_carrier_errors: counter(),
          tx_compressed: counter(),
          tx_dropped: counter(),
          tx_errors: counter(),
          tx_fifo_errors: counter(),
          tx_heartbeat_errors: counter(),
          tx_packets: counter(),
          tx_window_errors: counter()
        }

  @doc "The counter names, in the kernel's order."
  @spec fields() :: [atom()]
  def fields, do: @fields

  @doc """
  Decodes a packed `rtnl_link_stats64`.

      iex> bin = for i <- 1..24, into: <<>>, do: <<i::native-64>>
      iex> s = Linx.Netlink.Rtnl.Stats.Link64.decode(bin)
      iex> {s.rx_packets, s.rx_nohandler, s.rx_otherhost_dropped}
      {1, 24, nil}
  """
  @spec decode(binary()) :: t()
  def decode(payload) when is_binary(payload) and byte_size(payload) >= 192 do
    values = for <<v::native-64 <- payload>>, do: v
    struct(__MODULE__, Enum.zip(@fields, values))
  end

  def decode(payload) do
    raise ArgumentError,
          "rtnl_link_stats64 is at least 192 bytes (24 counters), got: " <>
            Kernel.inspect(payload, limit: 8)
  end

  @doc """
  Encodes the counters as the packed 25-counter (200-byte) form.

      iex> alias Linx.Netlink.Rtnl.Stats.Link64
      iex> Link64.encode(%Link64{rx_packets: 7}) |> byte_size()
      200
      iex> Link64.encode(%Link64{rx_packets: 7}) |> Link64.decode() |> Map.get(:rx_packets)
      7
  """
  @spec encode(t()) :: binary()
  def encode(%__MODULE__{} = stats) do
    for f <- @fields, into: <<>> do
      case Map.get(stats, f) || 0 do
        v when is_integer(v) and v >= 0 and v < 0x10000000000000000 ->
          <<v::native-64>>

        v ->
          raise ArgumentError,
                "#{f}: a counter is an integer 0..2^64-1, got: #{Kernel.inspect(v)}"
      end
    end
  end

  @doc false
  def from_map(nil), do: nil

  def from_map(%{} = m) do
    struct(__MODULE__, for(f <- @fields, do: {f, m[Atom.to_string(f)]}))
  end
end
