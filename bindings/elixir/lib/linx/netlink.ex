defmodule Linx.Netlink do
  @moduledoc """
  Netlink from Elixir: the kernel's `AF_NETLINK` interface.

  Netlink is how userspace configures much of the kernel - the network
  stack (rtnetlink), netfilter (nfnetlink), and through generic netlink
  WireGuard, nl80211 and more.  Linx has two levels of it.

  **Families** - `Linx.Netlink.Rtnl` (links, addresses, routes,
  neighbours, rules) and `Linx.Netfilter` - which in this binding call the
  C plugins: no message is built in Elixir, and their sockets are handles
  of the plugin (`Linx.Netlink.Rtnl.open/1`).

  **The wire layer**, for code that wants to speak a netlink protocol
  itself, in plain Elixir over OTP's `:socket`:

    * `Linx.Netlink.Socket` - a socket of any netlink protocol in a chosen
      network namespace (the namespace is entered by
      `Linx.Netlink.Socket.Native` on a throwaway native thread), multicast
      membership, receive buffer;
    * `Linx.Netlink.Message` and `Linx.Netlink.Attr` - the `nlmsghdr` and
      attribute (TLV) codecs;
    * `Linx.Netlink.Request` - one request, its answer collected:
      acknowledgement, single reply or multipart dump, kernel errors as
      `%Linx.Netlink.Error{}`;
    * `Linx.Netlink.Constants` - the core `NLM_F_*`/`NLMSG_*` numbers;
    * `Linx.Netlink.Codec` - a DSL declaring a message body's header and
      attributes, generating its struct and codec;
    * `Linx.Netlink.Nfnl` and `Linx.Netlink.Nfnl.Codec` - nfnetlink:
      batches (transactions), the `nfgenmsg` header, the ruleset
      generation.

  Each layer only uses the ones below it.  See `docs/elixir/netlink.md`.

  ## Example

      # The network interfaces of the BEAM's namespace, via the C plugin:
      {:ok, sock} = Linx.Netlink.Rtnl.open()
      {:ok, links} = Linx.Netlink.Rtnl.Link.list(sock)
      :ok = Linx.Netlink.Socket.close(sock)

      # The same question on the wire (RTM_GETLINK = 18, a dump):
      import Linx.Netlink.Constants
      {:ok, raw} = Linx.Netlink.Socket.open(netlink_route())
      {:ok, msgs} = Linx.Netlink.Request.talk(raw, 18, nlm_f_dump(), <<0::128>>)
      :ok = Linx.Netlink.Socket.close(raw)
  """
end
