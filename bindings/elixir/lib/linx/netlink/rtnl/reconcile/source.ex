defmodule Linx.Netlink.Rtnl.Reconcile.Source do
  @moduledoc """
  The `Linx.Reconcile.Source` for addresses and routes: lets
  `Linx.Reconcile` drive `Linx.Netlink.Rtnl.Reconcile`, woken early by
  `Linx.Netlink.Rtnl.Monitor`.

  The scope is a network namespace as `Linx.Netlink.Rtnl.open/1` takes it
  (`:host`, `{:pid, pid}`, `{:path, path}`).  Every pass opens its own
  rtnetlink socket there and closes it afterwards, so the loop holds no
  socket between passes and one loop per namespace keeps reconcilers from
  stepping on each other.

  `subscribe/2` starts a monitor in the same namespace, listening to link,
  address and route changes (a pass's own changes come back too, and cost
  one pass that finds nothing to do).  When the kernel drops
  notifications the monitor sends `{:linx_rtnl, :resync_needed}`; to the
  loop that is one more hint to look again.
  """

  @behaviour Linx.Reconcile.Source

  alias Linx.Netlink.Rtnl
  alias Linx.Netlink.Rtnl.{Address, Link, Route}

  # RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE,
  # RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_ROUTE.
  @groups [1, 5, 7, 9, 11]

  @doc """
  What a pass compares, read in `scope`:
  `{:ok, %{links: [%Link{}], addresses: [%Address{}], routes: [%Route{}]}}`.
  """
  @impl true
  def observe(scope, _opts) do
    with_socket(scope, fn sock ->
      with {:ok, links} <- Link.list(sock),
           {:ok, addresses} <- Address.list(sock),
           {:ok, routes} <- Route.list(sock) do
        {:ok, %{links: links, addresses: addresses, routes: routes}}
      end
    end)
  end

  @impl true
  def reconcile(scope, desired, last_applied, opts) do
    with_socket(scope, &Rtnl.Reconcile.reconcile(&1, desired, last_applied, opts))
  end

  @impl true
  def subscribe(scope, owner), do: Rtnl.Monitor.subscribe(owner, netns: scope, groups: @groups)

  defp with_socket(scope, fun) do
    with {:ok, sock} <- Rtnl.open(scope) do
      try do
        fun.(sock)
      after
        Linx.Netlink.Socket.close(sock)
      end
    end
  end
end
