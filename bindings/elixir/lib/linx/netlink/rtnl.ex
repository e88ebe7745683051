defmodule Linx.Netlink.Rtnl do
  @moduledoc """
  rtnetlink (`NETLINK_ROUTE`): the kernel's interface to its networking
  stack - links, addresses, routes, neighbours, rules and counters.

  Open a socket in a network namespace with `open/1` and hand it to the
  functions of `Linx.Netlink.Rtnl.Link`, `Address`, `Route`, `Neighbour`,
  `Rule` and `Stats`; close it with `Linx.Netlink.Socket.close/1`.

      {:ok, sock} = Linx.Netlink.Rtnl.open()
      {:ok, links} = Linx.Netlink.Rtnl.Link.list(sock)
      :ok = Linx.Netlink.Socket.close(sock)

  Every operation is a verb of the C `rtnl` plugin (`rtnl.link.list`,
  `rtnl.route.add`, ...); nothing of netlink is encoded in Elixir.  Kernel
  refusals come back as `{:error, %Linx.Netlink.Error{}}`; arguments
  refused before any I/O as `{:error, {:bad_<thing>, detail}}`.
  """

  alias Linx.Netlink.{Error, Socket}

  @doc """
  Opens an rtnetlink socket in network namespace `netns` (`:host`,
  `{:pid, pid}` or `{:path, path}`, see `Linx.Netlink.Socket`).

      {:ok, sock} = Linx.Netlink.Rtnl.open({:pid, container_pid})
  """
  @spec open(Socket.netns()) :: {:ok, Socket.t()} | {:error, term()}
  def open(netns \\ :host) do
    with {:ok, arg} <- netns_arg(netns),
         {:ok, handle} <- call("rtnl.open", %{"netns" => arg}) do
      {:ok, %Socket{netns: netns, protocol: 0, seq: nil, socket: handle}}
    end
  end

  defp netns_arg(netns) do
    case Socket.netns_arg(netns) do
      {:ok, arg} -> {:ok, arg}
      :error -> {:error, {:bad_netns, netns}}
    end
  end

  defp call(verb, args) do
    case Linx.Verb.call(verb, args) do
      {:ok, _} = ok -> ok
      {:error, e} -> {:error, Error.from_linx(e)}
    end
  end
end
