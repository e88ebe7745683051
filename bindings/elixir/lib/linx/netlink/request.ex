defmodule Linx.Netlink.Request do
  @moduledoc """
  Synchronous request/reply over a `Linx.Netlink.Socket` from
  `Linx.Netlink.Socket.open/2`.

  `talk/5` sends one request and gathers the kernel's answer, whichever of
  the three shapes it takes:

    * an acknowledgement - a lone `NLMSG_ERROR` carrying errno 0, for a
      request sent with `NLM_F_ACK`;
    * a single reply - one data message answering a plain `GET`;
    * a dump - data messages flagged `NLM_F_MULTI`, possibly spread over
      several datagrams, ended by `NLMSG_DONE`.

  Each request takes a fresh sequence number from the socket
  (`Linx.Netlink.Socket.next_seq/1`), and only messages echoing it are
  considered part of the answer: leftovers of an earlier request and
  multicast notifications (sequence 0) are skipped.

  The module keeps no state; several processes may use one socket, each
  request matching its own replies (but two processes reading the same
  socket at once can take each other's datagrams, so serialise requests on
  a shared socket).
  """

  import Bitwise
  import Linx.Netlink.Constants

  alias Linx.Netlink.{Attr, Error, Message, Socket}

  @default_timeout 5000

  # NLMSGERR_ATTR_MSG: the extended-ack text.
  @nlmsgerr_attr_msg 1

  @doc """
  Sends a request of message `type` with `payload` (iodata) and returns the
  reply.

  `flags` are `nlmsghdr` flags to add - `nlm_f_ack()`, `nlm_f_dump()`,
  `nlm_f_create()`...; `NLM_F_REQUEST` is always set.  Options:

    * `:timeout` - milliseconds to wait for the whole answer (default
      #{@default_timeout}).

  Returns `{:ok, messages}` - the data messages of the answer, `[]` for a
  bare acknowledgement - or `{:error, reason}`:

    * `%Linx.Netlink.Error{}` - the kernel refused the request (with the
      extended-ack text in `:message` when there was one);
    * `:timeout`;
    * `:dump_interrupted` - the table changed during a dump
      (`NLM_F_DUMP_INTR`); ask again;
    * `:overrun` - the kernel reported lost data (`NLMSG_OVERRUN`);
    * `{:bad_message, detail}` - a reply that does not parse;
    * `{:bad_socket, s}`, `{:bad_type, t}`, `{:bad_flags, f}`,
      `{:bad_payload, p}` - arguments of the wrong shape;
    * a `:socket` error such as `:enobufs`.

  ```elixir
  import Linx.Netlink.Constants
  {:ok, sock} = Linx.Netlink.Socket.open(netlink_route())
  # RTM_GETLINK (18) dump; the body starts with a struct ifinfomsg.
  {:ok, msgs} = Linx.Netlink.Request.talk(sock, 18, nlm_f_dump(), <<0::128>>)
  ```
  """
  @spec talk(Socket.t(), 0..65535, non_neg_integer(), iodata(), keyword()) ::
          {:ok, [Message.t()]} | {:error, term()}
  def talk(socket, type, flags, payload \\ <<>>, opts \\ [])

  def talk(%Socket{socket: {:"$socket", _}, seq: seq} = socket, type, flags, payload, opts)
      when seq != nil do
    with :ok <- check(:type, type, 0xFFFF),
         :ok <- check(:flags, flags, 0xFFFF),
         {:ok, payload} <- binary_payload(payload),
         {:ok, timeout} <- timeout_opt(opts) do
      seq = Socket.next_seq(socket)

      msg = %Message{
        type: type,
        flags: flags ||| nlm_f_request(),
        seq: seq,
        payload: payload
      }

      deadline = deadline(timeout)

      case :socket.send(socket.socket, Message.encode(msg)) do
        :ok -> collect(socket, seq, band(flags, nlm_f_ack()) != 0, deadline, [], false)
        {:error, reason} -> {:error, reason}
      end
    end
  end

  def talk(socket, _type, _flags, _payload, _opts), do: {:error, {:bad_socket, socket}}

  defp check(_what, v, max) when is_integer(v) and v >= 0 and v <= max, do: :ok
  defp check(what, v, _max), do: {:error, {:"bad_#{what}", v}}

  defp binary_payload(p) do
    {:ok, IO.iodata_to_binary(p)}
  rescue
    ArgumentError -> {:error, {:bad_payload, p}}
  end

  @doc false
  def timeout_opt(opts) do
    case Keyword.get(opts, :timeout, @default_timeout) do
      :infinity -> {:ok, :infinity}
      t when is_integer(t) and t >= 0 -> {:ok, t}
      t -> {:error, {:bad_timeout, t}}
    end
  end

  @doc false
  def deadline(:infinity), do: :infinity
  def deadline(ms), do: System.monotonic_time(:millisecond) + ms

  @doc false
  def remaining(:infinity), do: :infinity
  def remaining(deadline), do: max(deadline - System.monotonic_time(:millisecond), 0)

  # Reads datagrams until the answer to `seq` is complete.
  defp collect(socket, seq, ack?, deadline, acc, intr?) do
    with {:ok, data} <- Socket.recv_raw(socket, remaining(deadline)),
         {:ok, msgs} <- Message.safe_decode(data) do
      case absorb(msgs, seq, ack?, acc, intr?) do
        {:more, acc, intr?} -> collect(socket, seq, ack?, deadline, acc, intr?)
        {:done, result} -> result
      end
    end
  end

  defp absorb([], _seq, _ack?, acc, intr?), do: {:more, acc, intr?}

  defp absorb([%Message{seq: s} | rest], seq, ack?, acc, intr?) when s != seq,
    do: absorb(rest, seq, ack?, acc, intr?)

  defp absorb([%Message{type: nlmsg_noop()} | rest], seq, ack?, acc, intr?),
    do: absorb(rest, seq, ack?, acc, intr?)

  defp absorb([%Message{type: nlmsg_overrun()} | _], _seq, _ack?, _acc, _intr?),
    do: {:done, {:error, :overrun}}

  defp absorb([%Message{type: nlmsg_error()} = m | _], _seq, _ack?, acc, intr?) do
    case parse_error(m) do
      :ack when intr? -> {:done, {:error, :dump_interrupted}}
      :ack -> {:done, {:ok, Enum.reverse(acc)}}
      {:error, _} = e -> {:done, e}
    end
  end

  defp absorb([%Message{type: nlmsg_done(), payload: p} | _], _seq, _ack?, acc, intr?) do
    # A dump that failed midway ends with a negative errno in NLMSG_DONE.
    case p do
      <<err::32-signed-native, _::binary>> when err < 0 ->
        {:done, {:error, Error.from_errno(-err)}}

      _ when intr? ->
        {:done, {:error, :dump_interrupted}}

      _ ->
        {:done, {:ok, Enum.reverse(acc)}}
    end
  end

  defp absorb([%Message{flags: f} = m | rest], seq, ack?, acc, intr?) do
    intr? = intr? or band(f, nlm_f_dump_intr()) != 0

    cond do
      band(f, nlm_f_multi()) != 0 -> absorb(rest, seq, ack?, [m | acc], intr?)
      # A single reply; with NLM_F_ACK its acknowledgement follows.
      ack? -> absorb(rest, seq, ack?, [m | acc], intr?)
      true -> {:done, {:ok, Enum.reverse([m | acc])}}
    end
  end

  @doc false
  # An NLMSG_ERROR message: :ack (errno 0), {:error, %Error{}}, or
  # {:error, {:bad_message, _}}.
  def parse_error(%Message{flags: flags, payload: payload}) do
    case payload do
      <<0::32-signed-native, _::binary>> ->
        :ack

      <<err::32-signed-native, orig_len::32-native, _::binary-size(12), rest::binary>>
      when err < 0 ->
        {:error, Error.from_errno(-err, extack_message(flags, orig_len, rest))}

      <<err::32-signed-native, _::binary>> when err < 0 ->
        {:error, Error.from_errno(-err)}

      _ ->
        {:error, {:bad_message, "malformed NLMSG_ERROR payload"}}
    end
  end

  defp extack_message(flags, orig_len, rest) do
    if band(flags, nlm_f_ack_tlvs()) == 0 do
      nil
    else
      # Unless capped, the whole request follows the header we skipped.
      skip = if band(flags, nlm_f_capped()) != 0, do: 0, else: orig_len - 16
      skip = skip + Message.pad(skip)

      with true <- skip >= 0 and skip <= byte_size(rest),
           <<_::binary-size(skip), tlvs::binary>> = rest,
           {:ok, attrs} <- Attr.safe_decode(tlvs),
           msg when is_binary(msg) <- Attr.get(attrs, @nlmsgerr_attr_msg) do
        msg |> String.split(<<0>>, parts: 2) |> hd()
      else
        _ -> nil
      end
    end
  end
end
