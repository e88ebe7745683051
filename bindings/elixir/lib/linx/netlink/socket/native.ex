defmodule Linx.Netlink.Socket.Native do
  @moduledoc """
  The native part of `Linx.Netlink.Socket`: an `AF_NETLINK` socket created
  inside a chosen network namespace.

  Everything else in the netlink wire layer is plain Elixir over `:socket`;
  the one step the BEAM cannot take safely is `setns(2)`, because it changes
  the namespace of the calling *thread*, and a scheduler thread that switched
  would run unrelated processes in the wrong namespace afterwards.
  `open_in_netns/2` therefore starts a native thread that enters the
  namespace, creates the socket (with `SOCK_CLOEXEC`) and exits.  A netlink
  socket belongs for life to the namespace it was created in, so the
  descriptor keeps working from any thread.

  The functions live in the dispatch NIF (`c_src/netlink_socket.c`, loaded
  by `Linx.Native`); `open_in_netns/2` runs on a dirty I/O scheduler since
  it waits for its thread.

  The result is a bare integer fd that the caller owns: adopt it with
  `:socket.open/1` (as `Linx.Netlink.Socket.open/2` does), or give it back
  with `close_fd/1`.  Note that `:socket.open/1` adopts by `dup(2)`, so the
  original must still be closed with `close_fd/1` afterwards
  (`Linx.Netlink.Socket.open/2` does that, and marks the copy
  close-on-exec again).
  """

  @doc """
  Creates a netlink socket of `protocol` (the `socket(2)` protocol number:
  `0` for `NETLINK_ROUTE`, `12` for `NETLINK_NETFILTER`, `16` for
  `NETLINK_GENERIC`...) in the network namespace whose file is
  `netns_path` - `/proc/PID/ns/net`, a bind mount such as
  `/run/netns/NAME`, or `/proc/self/ns/net` for the BEAM's own.

  Returns `{:ok, fd}`, or `{:error, {stage, errno}}` where `stage` says
  which step failed - `:open` (the namespace file), `:setns`, `:socket` or
  `:thread` - and `errno` is that step's error number.  Arguments of the
  wrong shape are `{:error, {:bad_netns_path, path}}` or
  `{:error, {:bad_protocol, protocol}}`.
  """
  @spec open_in_netns(binary(), non_neg_integer()) ::
          {:ok, non_neg_integer()} | {:error, {atom(), integer()} | {atom(), term()}}
  def open_in_netns(netns_path, protocol) do
    cond do
      not valid_path?(netns_path) ->
        {:error, {:bad_netns_path, netns_path}}

      not (is_integer(protocol) and protocol in 0..0x7FFFFFFF) ->
        {:error, {:bad_protocol, protocol}}

      true ->
        Linx.Native.nl_open_in_netns(netns_path, protocol)
    end
  end

  defp valid_path?(p),
    do: is_binary(p) and p != "" and byte_size(p) < 4096 and not String.contains?(p, <<0>>)

  @doc """
  Binds netlink socket `fd` with a kernel-chosen port id (`nl_pid = 0`) and
  the multicast group bitmask `groups` (`0` for none).

  The bind is native because `:socket.bind/2` has no `sockaddr_nl`.  A
  socket must be bound before it can receive multicast messages at all,
  including groups joined later with `NETLINK_ADD_MEMBERSHIP`.

  Returns `:ok` or `{:error, errno}` (an integer).
  """
  @spec bind_netlink(non_neg_integer(), non_neg_integer()) :: :ok | {:error, integer()}
  def bind_netlink(fd, groups)
      when is_integer(fd) and fd >= 0 and fd <= 0x7FFFFFFF and is_integer(groups) and
             groups >= 0 and groups <= 0xFFFFFFFF do
    Linx.Native.nl_bind(fd, groups)
  end

  @doc """
  Closes a descriptor from `open_in_netns/2`: one no `:socket` adopted, or
  the original left over after `:socket.open/1` made its own copy.
  Returns `:ok`.  A descriptor that is not a netlink socket raises
  `ArgumentError` and stays open: the VM's own descriptors (its pipes,
  its poll set, the distribution's sockets) are out of this function's
  reach.  `bind_netlink/2` refuses them the same way.
  """
  @spec close_fd(non_neg_integer()) :: :ok
  def close_fd(fd) when is_integer(fd) and fd >= 0 and fd <= 0x7FFFFFFF do
    Linx.Native.nl_close_fd(fd)
  end
end
