defmodule Linx.Netlink.Nfnl.Codec do
  @moduledoc """
  nfnetlink (`NETLINK_NETFILTER`, protocol 12) wire helpers.

  Three pieces of nfnetlink framing (`include/uapi/linux/netfilter/nfnetlink.h`):

    * **the `nfgenmsg` header** that starts every message body: a family
      byte (`NFPROTO_*`, see `nfproto/1`), a version byte (`0`) and a
      16-bit `res_id`.  Unlike the rest of netlink, `res_id` is
      big-endian (`__be16`); it names the target subsystem of a batch
      envelope, or the group of an NFLOG configuration message.
      `encode_nfgenmsg/2` and `decode_nfgenmsg/1` take care of that, so
      `Linx.Netlink.Codec` can stay in host byte order throughout;
    * **subsystem multiplexing**: the `nlmsghdr` type of an nfnetlink
      message is `subsys_id <<< 8 ||| msg_type`; `nlmsg_type/2` and
      `split_type/1` pack and unpack it, `subsys_*/0` name the ids;
    * **batches**: nf_tables changes must come between an
      `NFNL_MSG_BATCH_BEGIN` and an `NFNL_MSG_BATCH_END` (message types
      `0x10` and `0x11`), applied all together or not at all.
      `batch_begin/2` and `batch_end/1` make the envelope;
      `Linx.Netlink.Nfnl.batch/4` sends a whole batch.

  `get_gen/1` reads the ruleset generation (`NFT_MSG_GETGEN`).

  In this binding `Linx.Netfilter` itself runs on the C netfilter plugin,
  not on these helpers; they are the public low-level layer for code that
  wants to speak nfnetlink directly.
  """

  import Bitwise

  alias Linx.Netlink.{Attr, Message, Request}

  @batch_begin 0x10
  @batch_end 0x11
  @nfnl_batch_genid 1

  @subsys %{ctnetlink: 1, queue: 3, ulog: 4, nftables: 10}

  # enum nf_tables_msg_types
  @nft_msg_newgen 15
  @nft_msg_getgen 16
  # enum nft_gen_attributes
  @nfta_gen_id 1
  @nfta_gen_proc_pid 2
  @nfta_gen_proc_name 3

  @nfproto %{
    unspec: 0,
    inet: 1,
    ipv4: 2,
    arp: 3,
    netdev: 5,
    bridge: 7,
    ipv6: 10,
    decnet: 12
  }

  @doc "`NFNL_SUBSYS_CTNETLINK`: conntrack (1)."
  @spec subsys_ctnetlink() :: 1
  def subsys_ctnetlink, do: 1

  @doc "`NFNL_SUBSYS_QUEUE`: NFQUEUE (3)."
  @spec subsys_queue() :: 3
  def subsys_queue, do: 3

  @doc "`NFNL_SUBSYS_ULOG`: NFLOG (4)."
  @spec subsys_ulog() :: 4
  def subsys_ulog, do: 4

  @doc "`NFNL_SUBSYS_NFTABLES`: nf_tables (10)."
  @spec subsys_nftables() :: 10
  def subsys_nftables, do: 10

  @doc """
  The `NFPROTO_*` number of a family name, for the `nfgenmsg` family byte:
  `:unspec` 0, `:inet` 1, `:ipv4` 2, `:arp` 3, `:netdev` 5, `:bridge` 7,
  `:ipv6` 10, `:decnet` 12.  Raises `ArgumentError` for another name.

      iex> Linx.Netlink.Nfnl.Codec.nfproto(:inet)
      1
  """
  @spec nfproto(atom()) :: 0..255
  def nfproto(name) do
    case Map.fetch(@nfproto, name) do
      {:ok, n} -> n
      :error -> raise ArgumentError, "unknown NFPROTO family #{inspect(name)}"
    end
  end

  @doc """
  Encodes the 4-byte `nfgenmsg` header: `family` (a `nfproto/1` name or a
  number), version 0, and `res_id` big-endian.

      iex> Linx.Netlink.Nfnl.Codec.encode_nfgenmsg()
      <<0, 0, 0, 0>>
      iex> Linx.Netlink.Nfnl.Codec.encode_nfgenmsg(:inet, 5000)
      <<1, 0, 19, 136>>
  """
  @spec encode_nfgenmsg(atom() | 0..255, 0..65535) :: <<_::32>>
  def encode_nfgenmsg(family \\ :unspec, res_id \\ 0)

  def encode_nfgenmsg(family, res_id) when is_atom(family),
    do: encode_nfgenmsg(nfproto(family), res_id)

  def encode_nfgenmsg(family, res_id)
      when is_integer(family) and family in 0..255 and is_integer(res_id) and res_id in 0..0xFFFF,
      do: <<family::8, 0::8, res_id::16-big>>

  @doc """
  Reads the `nfgenmsg` header at the front of `body`:
  `{family, version, res_id, rest}`, all integers (`res_id` read
  big-endian).  Raises `ArgumentError` when `body` is shorter than 4 bytes.

      iex> Linx.Netlink.Nfnl.Codec.decode_nfgenmsg(<<2, 0, 0, 10, 99>>)
      {2, 0, 10, <<99>>}
  """
  @spec decode_nfgenmsg(binary()) :: {0..255, 0..255, 0..65535, binary()}
  def decode_nfgenmsg(<<family::8, version::8, res_id::16-big, rest::binary>>),
    do: {family, version, res_id, rest}

  def decode_nfgenmsg(other),
    do: raise(ArgumentError, "not an nfgenmsg header: #{inspect(other)}")

  @doc """
  Packs subsystem id and message type into an nfnetlink `nlmsghdr` type.

      iex> Linx.Netlink.Nfnl.Codec.nlmsg_type(10, 16)
      0x0A10
  """
  @spec nlmsg_type(0..255, 0..255) :: 0..65535
  def nlmsg_type(subsys, msg_type)
      when is_integer(subsys) and subsys in 0..255 and is_integer(msg_type) and msg_type in 0..255,
      do: subsys <<< 8 ||| msg_type

  @doc """
  Unpacks an nfnetlink `nlmsghdr` type into `{subsys_id, msg_type}`; the
  inverse of `nlmsg_type/2`.

      iex> Linx.Netlink.Nfnl.Codec.split_type(0x0A0F)
      {10, 15}
  """
  @spec split_type(0..65535) :: {0..255, 0..255}
  def split_type(type) when is_integer(type) and type in 0..0xFFFF,
    do: {type >>> 8, type &&& 0xFF}

  @doc false
  # A subsystem name or number as its id.
  def subsys_id(name) when is_map_key(@subsys, name), do: {:ok, Map.fetch!(@subsys, name)}
  def subsys_id(n) when is_integer(n) and n in 0..255, do: {:ok, n}
  def subsys_id(other), do: {:error, {:bad_subsys, other}}

  defp subsys_id!(s) do
    case subsys_id(s) do
      {:ok, id} -> id
      {:error, _} -> raise ArgumentError, "unknown nfnetlink subsystem #{inspect(s)}"
    end
  end

  @doc """
  The `NFNL_MSG_BATCH_BEGIN` message opening a batch for subsystem
  `subsys` (`:nftables`, `:ctnetlink`, `:queue`, `:ulog` or an id), which
  goes in the `nfgenmsg` `res_id`.  `seq` is left 0 for the sender to fill.

  Option `:genid` - a ruleset generation (`get_gen/1`) - adds
  `NFNL_BATCH_GENID`: the kernel then refuses the whole batch with
  `ERESTART` if the ruleset changed since that generation was read.

      iex> msg = Linx.Netlink.Nfnl.Codec.batch_begin(:nftables)
      iex> {msg.type, msg.payload}
      {16, <<0, 0, 0, 10>>}
  """
  @spec batch_begin(:nftables | :ctnetlink | :queue | :ulog | 0..255, keyword()) :: Message.t()
  def batch_begin(subsys, opts \\ []) do
    head = encode_nfgenmsg(:unspec, subsys_id!(subsys))

    attrs =
      case Keyword.get(opts, :genid) do
        nil ->
          <<>>

        g when is_integer(g) and g in 0..0xFFFFFFFF ->
          Attr.encode([{@nfnl_batch_genid, Attr.be32(g)}])

        g ->
          raise ArgumentError, "genid must be a 32-bit generation, got: #{inspect(g)}"
      end

    %Message{type: @batch_begin, flags: 1, payload: head <> attrs}
  end

  @doc """
  The `NFNL_MSG_BATCH_END` message closing a batch (type `0x11`).  Its
  `res_id` repeats the subsystem for symmetry; the kernel does not read it.
  """
  @spec batch_end(:nftables | :ctnetlink | :queue | :ulog | 0..255) :: Message.t()
  def batch_end(subsys) do
    %Message{type: @batch_end, flags: 1, payload: encode_nfgenmsg(:unspec, subsys_id!(subsys))}
  end

  @doc """
  Asks the kernel for the current nf_tables ruleset generation
  (`NFT_MSG_GETGEN`) on an nfnetlink socket.

  Returns `{:ok, %{id: gen, proc_pid: pid | nil, proc_name: name | nil}}` -
  the 32-bit generation counter, and the process that made the last commit
  when the kernel says - or `{:error, reason}` as from
  `Linx.Netlink.Request.talk/5`, with `{:bad_message, detail}` for a reply
  that does not decode.
  """
  @spec get_gen(Linx.Netlink.Socket.t()) ::
          {:ok,
           %{
             id: non_neg_integer(),
             proc_pid: non_neg_integer() | nil,
             proc_name: String.t() | nil
           }}
          | {:error, term()}
  def get_gen(socket) do
    type = nlmsg_type(subsys_nftables(), @nft_msg_getgen)

    with {:ok, msgs} <- Request.talk(socket, type, 0, encode_nfgenmsg(:unspec, 0)) do
      newgen = nlmsg_type(subsys_nftables(), @nft_msg_newgen)

      case Enum.find(msgs, &(&1.type == newgen)) do
        %Message{payload: payload} -> decode_gen(payload)
        nil -> {:error, {:bad_message, "no NFT_MSG_NEWGEN in the reply"}}
      end
    end
  end

  @doc """
  Decodes the body of an `NFT_MSG_NEWGEN` message (the reply to GETGEN,
  also multicast after every commit) into the map `get_gen/1` returns.
  `{:error, {:bad_message, detail}}` when it does not decode.
  """
  @spec decode_gen(binary()) :: {:ok, map()} | {:error, term()}
  def decode_gen(<<_family, _version, _res_id::16, attrs::binary>>) do
    with {:ok, attrs} <- Attr.safe_decode(attrs),
         {:ok, id} <- Attr.decode_uint(Attr.get(attrs, @nfta_gen_id) || <<>>, :big),
         {:ok, pid} <- optional_be32(Attr.get(attrs, @nfta_gen_proc_pid)) do
      name =
        case Attr.get(attrs, @nfta_gen_proc_name) do
          nil -> nil
          s -> s |> :binary.split(<<0>>) |> hd()
        end

      {:ok, %{id: id, proc_pid: pid, proc_name: name}}
    else
      {:error, {:bad_attr, d}} -> {:error, {:bad_message, d}}
      {:error, {:bad_int, v}} -> {:error, {:bad_message, "bad NEWGEN integer #{inspect(v)}"}}
    end
  end

  def decode_gen(other), do: {:error, {:bad_message, {:newgen, other}}}

  defp optional_be32(nil), do: {:ok, nil}
  defp optional_be32(v), do: Attr.decode_uint(v, :big)
end
