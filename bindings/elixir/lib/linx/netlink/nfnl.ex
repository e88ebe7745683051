defmodule Linx.Netlink.Nfnl do
  @moduledoc """
  nfnetlink (`NETLINK_NETFILTER`): the kernel's netfilter control
  protocol, carrying nf_tables, conntrack, NFLOG and NFQUEUE.

  One netlink family hosts several subsystems, told apart by the high byte
  of the `nlmsghdr` type (`include/uapi/linux/netfilter/nfnetlink.h`):

  | id | subsystem  |
  |----|------------|
  | 1  | CTNETLINK (conntrack) |
  | 3  | QUEUE (NFQUEUE) |
  | 4  | ULOG (NFLOG) |
  | 10 | NFTABLES |
  | 12 | HOOK |

  `open/1` opens a socket, `batch/4` runs a transaction, and
  `Linx.Netlink.Nfnl.Codec` has the framing helpers (the `nfgenmsg`
  header, type packing, the batch envelope, GETGEN).

  ## Relation to `Linx.Netfilter`

  In the 0.2.0 pure-Elixir reference, `Linx.Netfilter` is built on these
  modules.  In this binding `Linx.Netfilter` (and `Linx.Netfilter.Log`,
  `Monitor`...) run on the C netfilter plugin instead; `Linx.Netlink.Nfnl`
  is the raw, low-level layer for code that wants to build nfnetlink
  messages itself.  The two can be used side by side on the same
  namespace.

  ```elixir
  alias Linx.Netlink.{Attr, Message, Nfnl}
  alias Linx.Netlink.Nfnl.Codec

  {:ok, sock} = Nfnl.open()
  # NFT_MSG_NEWTABLE (0) "demo" in family inet; NFTA_TABLE_NAME is 1.
  new_table = %Message{
    type: Codec.nlmsg_type(Codec.subsys_nftables(), 0),
    flags: 0x400,
    payload: Codec.encode_nfgenmsg(:inet) <> Attr.encode([{1, "demo\\0"}])
  }
  :ok = Nfnl.batch(sock, [new_table])
  :ok = Linx.Netlink.Socket.close(sock)
  ```
  """

  import Bitwise
  import Linx.Netlink.Constants

  alias Linx.Netlink.{Message, Request, Socket}
  alias Linx.Netlink.Nfnl.Codec

  @doc """
  Opens an nfnetlink socket in network namespace `netns` (`:host`,
  `{:pid, pid}` or `{:path, path}`, as for `Linx.Netlink.Socket.open/2`).
  Close it with `Linx.Netlink.Socket.close/1`.
  """
  @spec open(Socket.netns()) :: {:ok, Socket.t()} | {:error, term()}
  def open(netns \\ :host), do: Socket.open(netlink_netfilter(), netns)

  @doc """
  Sends `inner_messages` as one nfnetlink transaction of subsystem
  `subsys` (default `:nftables`; also `:ctnetlink`, `:queue`, `:ulog` or
  an id).

  The messages are framed by `NFNL_MSG_BATCH_BEGIN` / `NFNL_MSG_BATCH_END`,
  each gets a fresh sequence number from the socket and `NLM_F_REQUEST |
  NLM_F_ACK` (their `:seq` and `:pid` are overwritten), and the whole batch
  leaves in one `sendmsg(2)`.  The kernel then answers every inner message
  with an acknowledgement or an error, and applies the batch only if all
  of them succeeded.

  Options:

    * `:timeout` - milliseconds to wait for all answers (default 5000);
    * `:genid` - a generation from `Linx.Netlink.Nfnl.Codec.get_gen/1`;
      the kernel refuses the batch if the ruleset has changed since.

  Returns `:ok` when every message was accepted (and `:ok` at once for an
  empty list), `{:error, {position, %Linx.Netlink.Error{}}}` naming the
  first rejected message by its 1-based position in `inner_messages`, or
  `{:error, reason}` otherwise: a `%Linx.Netlink.Error{}` refusing the batch
  as a whole (reported by the kernel against BATCH_BEGIN, as for a stale
  `:genid`), `:timeout`, a socket error, or `{:bad_subsys, s}`,
  `{:bad_messages, m}`, `{:bad_option, o}` for arguments of the wrong shape.
  """
  @spec batch(Socket.t(), [Message.t()], atom() | 0..255, keyword()) ::
          :ok | {:error, {non_neg_integer(), Linx.Netlink.Error.t()} | term()}
  def batch(socket, inner_messages, subsys \\ :nftables, opts \\ [])

  def batch(%Socket{socket: {:"$socket", _}, seq: seq} = socket, inner, subsys, opts)
      when seq != nil do
    with :ok <- check_messages(inner),
         {:ok, id} <- Codec.subsys_id(subsys),
         {:ok, timeout} <- Request.timeout_opt(opts),
         {:ok, genid} <- genid_opt(opts) do
      if inner == [] do
        :ok
      else
        send_batch(socket, inner, id, genid, timeout)
      end
    end
  end

  def batch(socket, _inner, _subsys, _opts), do: {:error, {:bad_socket, socket}}

  defp check_messages(list) when is_list(list) do
    if Enum.all?(list, &match?(%Message{}, &1)), do: :ok, else: {:error, {:bad_messages, list}}
  end

  defp check_messages(other), do: {:error, {:bad_messages, other}}

  defp genid_opt(opts) do
    case Keyword.get(opts, :genid) do
      nil -> {:ok, []}
      g when is_integer(g) and g in 0..0xFFFFFFFF -> {:ok, [genid: g]}
      g -> {:error, {:bad_option, {:genid, g}}}
    end
  end

  defp send_batch(socket, inner, id, genid, timeout) do
    begin_seq = Socket.next_seq(socket)

    numbered =
      inner
      |> Enum.with_index(1)
      |> Enum.map(fn {m, pos} ->
        {%Message{m | seq: Socket.next_seq(socket), pid: 0, flags: m.flags ||| 0x5}, pos}
      end)

    end_seq = Socket.next_seq(socket)

    begin = %Message{Codec.batch_begin(id, genid) | seq: begin_seq}
    finish = %Message{Codec.batch_end(id) | seq: end_seq}

    data =
      IO.iodata_to_binary([
        Message.encode(begin),
        Enum.map(numbered, fn {m, _} -> Message.encode(m) end),
        Message.encode(finish)
      ])

    positions = Map.new(numbered, fn {m, pos} -> {m.seq, pos} end)

    case :socket.send(socket.socket, data) do
      :ok ->
        collect(socket, positions, [begin_seq, end_seq], Request.deadline(timeout), nil)

      {:error, reason} ->
        {:error, reason}
    end
  rescue
    e in ArgumentError -> {:error, {:bad_messages, Exception.message(e)}}
  end

  # `pending`: seq => position of the inner messages not yet answered;
  # `first`: the earliest-positioned error so far.
  defp collect(_socket, pending, _envelope, _deadline, first) when map_size(pending) == 0,
    do: result(first)

  defp collect(socket, pending, envelope, deadline, first) do
    with {:ok, data} <- Socket.recv_raw(socket, Request.remaining(deadline)),
         {:ok, msgs} <- Message.safe_decode(data) do
      case absorb(msgs, pending, envelope, first) do
        {:more, pending, first} -> collect(socket, pending, envelope, deadline, first)
        {:done, result} -> result
      end
    else
      {:error, :timeout} when first != nil -> result(first)
      other -> other
    end
  end

  defp result(nil), do: :ok
  defp result({pos, error}), do: {:error, {pos, error}}

  defp absorb([], pending, _envelope, first), do: {:more, pending, first}

  defp absorb([%Message{type: nlmsg_error(), seq: seq} = m | rest], pending, envelope, first) do
    parsed = Request.parse_error(m)

    cond do
      Map.has_key?(pending, seq) ->
        {pos, pending} = Map.pop(pending, seq)

        first =
          case parsed do
            :ack -> first
            {:error, e} when first == nil -> {pos, e}
            {:error, e} -> if pos < elem(first, 0), do: {pos, e}, else: first
          end

        absorb(rest, pending, envelope, first)

      seq in envelope ->
        case parsed do
          :ack -> absorb(rest, pending, envelope, first)
          {:error, e} -> {:done, {:error, e}}
        end

      true ->
        absorb(rest, pending, envelope, first)
    end
  end

  defp absorb([_other | rest], pending, envelope, first),
    do: absorb(rest, pending, envelope, first)
end
