defmodule Linx.Netlink.Socket do
  @moduledoc """
  A netlink socket bound to one network namespace.

  A netlink socket belongs for its whole life to the network namespace it
  was created in; the namespace is chosen when it is opened (`t:netns/0`):

    * `:host` - the BEAM's own network namespace;
    * `{:pid, pid}` - the network namespace of OS process `pid`;
    * `{:path, path}` - a namespace file such as `/run/netns/blue` or
      `/proc/PID/ns/net`.

  Entering another namespace takes `setns(2)`, which must never run on a
  BEAM scheduler thread; it is always done on a short-lived native thread.

  Sockets come in two kinds here:

    * `open/2` makes a raw socket for **any** netlink protocol (the
      `socket(2)` protocol number: `0` for `NETLINK_ROUTE`, `12` for
      `NETLINK_NETFILTER`, `16` for `NETLINK_GENERIC`...).  The namespace
      is entered by `Linx.Netlink.Socket.Native`, and the descriptor it
      returns is adopted by OTP's `:socket`, so `:socket` holds a
      `t::socket.socket/0` and `:seq` an `:atomics` counter handing out
      request sequence numbers (`next_seq/1`).  Such a socket is driven by
      the pure-Elixir wire layer: `Linx.Netlink.Request`,
      `Linx.Netlink.Nfnl`.  It has extended acknowledgements turned on, so
      kernel errors carry the kernel's message where it gives one.  Like
      every `:socket`, it is closed when the process that opened it exits.
    * `Linx.Netlink.Rtnl.open/1` makes an rtnetlink socket owned by the C
      rtnl plugin: `:socket` is a handle reference and `:seq` is `nil`.  The
      `Linx.Netlink.Rtnl.*` modules take that kind; it may be shared between
      processes (requests are serialised) and is also closed when garbage
      collected.

  `close/1` closes either kind.  Membership and buffer options
  (`add_membership/2`, `drop_membership/2`, `set_rcvbuf/2`) and `recv/2`
  apply to sockets from `open/2`.
  """

  alias Linx.Netlink.Socket.Native

  defstruct [:netns, :protocol, :seq, :socket]

  @type netns() :: :host | {:pid, pos_integer()} | {:path, binary()}

  @type t() :: %__MODULE__{
          netns: netns(),
          protocol: non_neg_integer(),
          seq: :atomics.atomics_ref() | nil,
          socket: :socket.socket() | reference()
        }

  # <linux/netlink.h>: SOL_NETLINK and its options.
  @sol_netlink 270
  @netlink_add_membership 1
  @netlink_drop_membership 2
  @netlink_ext_ack 11

  # The largest datagram recv/2 takes.  Kernel dumps fill at most 32 KiB
  # per datagram; a single message is rarely larger.
  @recv_size 65_536

  @doc """
  Opens a netlink socket of `protocol` in network namespace `netns`
  (default `:host`).

  The socket is bound (the kernel picks its port id), which a socket needs
  before it can receive multicast messages.  Returns `{:ok, socket}` or
  `{:error, reason}`: `{stage, errno}` from
  `Linx.Netlink.Socket.Native.open_in_netns/2` (`{:open, 2}` for a namespace
  that does not exist, `{:socket, 93}` for a protocol the kernel lacks...),
  `{:bind, errno}`, a `:socket` error, or `{:bad_protocol, p}` /
  `{:bad_netns, n}` for arguments of the wrong shape.

      {:ok, sock} = Linx.Netlink.Socket.open(0, {:path, "/run/netns/blue"})
  """
  @spec open(non_neg_integer(), netns()) :: {:ok, t()} | {:error, term()}
  def open(protocol, netns \\ :host)

  def open(protocol, netns) when is_integer(protocol) and protocol in 0..0x7FFFFFFF do
    with {:ok, path} <- netns_path(netns),
         {:ok, fd} <- Native.open_in_netns(path, protocol),
         {:ok, sock} <- adopt(fd) do
      # Extended ACK (Linux 4.12+): error replies carry the kernel's text.
      # An older kernel refuses the option; errors just lack the text then.
      _ = :socket.setopt_native(sock, {@sol_netlink, @netlink_ext_ack}, 1)
      seq = :atomics.new(1, signed: false)
      {:ok, %__MODULE__{netns: netns, protocol: protocol, seq: seq, socket: sock}}
    end
  end

  def open(protocol, _netns), do: {:error, {:bad_protocol, protocol}}

  defp netns_path(:host), do: {:ok, "/proc/self/ns/net"}
  defp netns_path({:pid, pid}) when is_integer(pid) and pid > 0, do: {:ok, "/proc/#{pid}/ns/net"}

  defp netns_path({:path, path} = netns) when is_binary(path) do
    if path != "" and not String.contains?(path, <<0>>),
      do: {:ok, path},
      else: {:error, {:bad_netns, netns}}
  end

  defp netns_path(netns), do: {:error, {:bad_netns, netns}}

  # Bind, then have :socket adopt the fd.  :socket.open/1 dups it (a socket
  # opened with dup: false would never close the descriptor), so the copy
  # gets FD_CLOEXEC back and our original is closed in every case.
  defp adopt(fd) do
    result =
      with {:bind, :ok} <- {:bind, Native.bind_netlink(fd, 0)},
           {:ok, sock} <- :socket.open(fd) do
        with {:ok, dup} <- :socket.getopt(sock, {:otp, :fd}),
             :ok <- Linx.Native.nl_cloexec(dup) do
          {:ok, sock}
        else
          error ->
            :socket.close(sock)
            error
        end
      else
        {:bind, {:error, errno}} -> {:error, {:bind, errno}}
        {:error, reason} -> {:error, reason}
      end

    Native.close_fd(fd)
    result
  end

  @doc """
  Closes a socket, of either kind.  Closing twice is harmless.
  """
  @spec close(t()) :: :ok | {:error, term()}
  def close(%__MODULE__{socket: {:"$socket", _} = sock}) do
    _ = :socket.close(sock)
    :ok
  end

  def close(%__MODULE__{protocol: 0, socket: handle} = sock) when is_reference(handle) do
    case Linx.Native.call("rtnl.close", %{"sock" => handle}) do
      {:ok, _} -> :ok
      {:error, _} -> {:error, {:bad_socket, sock}}
    end
  end

  def close(other), do: {:error, {:bad_socket, other}}

  @doc """
  Returns a fresh sequence number for a request on `socket`.

  Numbers start at 1 and wrap within 32 bits, never giving 0: the kernel
  stamps its unsolicited messages with 0, so such a message can never pass
  for a reply.  The counter is an `:atomics`, so processes sharing a socket
  never get the same number.
  """
  @spec next_seq(t()) :: pos_integer()
  def next_seq(%__MODULE__{seq: seq}) when seq != nil do
    rem(:atomics.add_get(seq, 1, 1) - 1, 0xFFFFFFFF) + 1
  end

  @doc """
  Joins multicast group `group` on `socket`: later reads (`recv/2`) also
  return the group's notifications.  Group numbers belong to the protocol
  family - `1` is `RTNLGRP_LINK` (rtnetlink link changes), `7` is
  `NFNLGRP_NFTABLES` (nf_tables ruleset changes).
  """
  @spec add_membership(t(), pos_integer()) :: :ok | {:error, term()}
  def add_membership(socket, group), do: membership(socket, group, @netlink_add_membership)

  @doc "Leaves a multicast group joined with `add_membership/2`."
  @spec drop_membership(t(), pos_integer()) :: :ok | {:error, term()}
  def drop_membership(socket, group), do: membership(socket, group, @netlink_drop_membership)

  defp membership(%__MODULE__{socket: {:"$socket", _} = sock}, group, opt)
       when is_integer(group) and group > 0 and group <= 0xFFFFFFFF do
    :socket.setopt_native(sock, {@sol_netlink, opt}, group)
  end

  defp membership(%__MODULE__{socket: {:"$socket", _}}, group, _),
    do: {:error, {:bad_group, group}}

  defp membership(other, _group, _), do: {:error, {:bad_socket, other}}

  @doc """
  Sets the kernel receive buffer (`SO_RCVBUF`) of `socket` to `bytes`.

  A socket following busy multicast groups may need more than the default
  to avoid losing messages (`ENOBUFS`).  The kernel caps the value at
  `net.core.rmem_max`.
  """
  @spec set_rcvbuf(t(), pos_integer()) :: :ok | {:error, term()}
  def set_rcvbuf(%__MODULE__{socket: {:"$socket", _} = sock}, bytes)
      when is_integer(bytes) and bytes > 0 and bytes <= 0x7FFFFFFF do
    :socket.setopt(sock, {:socket, :rcvbuf}, bytes)
  end

  def set_rcvbuf(%__MODULE__{socket: {:"$socket", _}}, bytes), do: {:error, {:bad_size, bytes}}
  def set_rcvbuf(other, _bytes), do: {:error, {:bad_socket, other}}

  @doc """
  Receives one datagram from `socket` and splits it into its messages:
  `{:ok, [%Linx.Netlink.Message{}]}`, or `{:error, reason}` - `:timeout`
  after `timeout` milliseconds, `{:bad_message, detail}` for a datagram that
  does not parse, or a `:socket` error (`:enobufs` when notifications were
  lost).

  This is the way to read multicast notifications after
  `add_membership/2`; requests and their replies go through
  `Linx.Netlink.Request`.  (Not in the 0.2.0 reference, which leaves
  reading to the caller.)
  """
  @spec recv(t(), timeout()) :: {:ok, [Linx.Netlink.Message.t()]} | {:error, term()}
  def recv(socket, timeout \\ 5000)

  def recv(%__MODULE__{socket: {:"$socket", _}} = socket, timeout) do
    with {:ok, data} <- recv_raw(socket, timeout) do
      Linx.Netlink.Message.safe_decode(data)
    end
  end

  def recv(other, _timeout), do: {:error, {:bad_socket, other}}

  @doc false
  def recv_raw(%__MODULE__{socket: sock}, timeout),
    do: :socket.recv(sock, @recv_size, [], timeout)

  @doc false
  # The verb argument for a namespace: nil (own), %{"pid"} or %{"path"}.
  def netns_arg(:host), do: {:ok, nil}
  def netns_arg(:self), do: {:ok, nil}
  def netns_arg({:pid, pid}) when is_integer(pid) and pid > 0, do: {:ok, %{"pid" => pid}}

  def netns_arg({:path, path}) when is_binary(path) and path != "" do
    if String.contains?(path, <<0>>), do: :error, else: {:ok, %{"path" => path}}
  end

  def netns_arg(_), do: :error
end
