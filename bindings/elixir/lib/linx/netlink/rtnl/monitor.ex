defmodule Linx.Netlink.Rtnl.Monitor do
  @moduledoc """
  Watches a network namespace for rtnetlink changes (as `ip monitor`) and
  forwards them to an owner process.

      {:ok, mon} = Linx.Netlink.Rtnl.Monitor.subscribe(self(), netns: {:pid, container_pid})
      # the owner receives
      #   {:linx_rtnl, :event, %Linx.Netlink.Rtnl.Monitor.Event{op: :new_addr, resource: %Address{}}}
      #   {:linx_rtnl, :resync_needed}     (notifications were lost)
      :ok = Linx.Netlink.Rtnl.Monitor.unsubscribe(mon)

  Notifications are lossy: when the kernel drops some, the owner gets
  `:resync_needed` and must read the state again.  Treat every event as a
  hint to look again, not as a delta.

  The monitor is a GenServer over the plugin's `rtnl.monitor.*` verbs: a
  linked reader process waits for notifications on a dirty scheduler, at
  most 200 ms at a time, so `stop/1` returns promptly.  The monitor stops
  when its owner exits.

  Options (`t:opt/0`): `:owner` (required by `start_link/1`), `:netns`
  (default `:host`), `:groups` (`RTNLGRP_*` numbers; default links,
  neighbours, and IPv4/IPv6 addresses, routes and rules), `:rcvbuf`
  (`SO_RCVBUF` bytes, default 4 MiB).  Bad options stop the start with
  `{:bad_owner, o}`, `{:bad_netns, n}`, `{:bad_groups, g}`,
  `{:bad_rcvbuf, r}` or `{:bad_option, key}`.
  """

  use GenServer

  alias Linx.Netlink.{Error, Socket}
  alias Linx.Netlink.Rtnl.Monitor.Event

  @type opt() ::
          {:owner, pid()}
          | {:netns, Socket.netns()}
          | {:groups, [pos_integer()]}
          | {:rcvbuf, pos_integer()}

  @wait_ms 200

  @doc "Starts a monitor linked to the caller (see the module doc for `opts`)."
  @spec start_link([opt()]) :: GenServer.on_start()
  def start_link(opts), do: GenServer.start_link(__MODULE__, opts)

  @doc "Starts a monitor for `owner` (default: the caller) with the other `opts`."
  @spec subscribe(pid(), [opt()]) :: GenServer.on_start()
  def subscribe(owner \\ self(), opts \\ []) do
    if is_list(opts),
      do: start_link([{:owner, owner} | opts]),
      else: {:error, {:bad_options, opts}}
  end

  @doc "Stops the monitor and closes its socket."
  @spec stop(pid()) :: :ok
  def stop(monitor), do: GenServer.stop(monitor)

  @doc "Same as `stop/1`."
  @spec unsubscribe(pid()) :: :ok
  def unsubscribe(monitor), do: stop(monitor)

  # ---- the server -------------------------------------------------------------

  @impl true
  def init(opts) do
    with {:ok, args, owner} <- check(opts),
         {:ok, handle} <- open(args) do
      Process.flag(:trap_exit, true)
      ref = Process.monitor(owner)
      me = self()
      reader = spawn_link(fn -> read_loop(handle, me) end)
      {:ok, %{handle: handle, owner: owner, owner_ref: ref, reader: reader}}
    else
      {:error, reason} -> {:stop, reason}
    end
  end

  defp check(opts) do
    with {:ok, opts} <- Linx.Netlink.Rtnl.Call.options(opts, [:owner, :netns, :groups, :rcvbuf]),
         {:ok, owner} <- owner(Keyword.get(opts, :owner)),
         {:ok, netns} <- netns(Keyword.get(opts, :netns, :host)),
         {:ok, groups} <- groups(Keyword.get(opts, :groups)),
         {:ok, rcvbuf} <- rcvbuf(Keyword.get(opts, :rcvbuf)) do
      args =
        %{"netns" => netns, "groups" => groups, "rcvbuf" => rcvbuf}
        |> Map.reject(fn {_, v} -> is_nil(v) end)

      {:ok, args, owner}
    end
  end

  defp owner(pid) when is_pid(pid), do: {:ok, pid}
  defp owner(other), do: {:error, {:bad_owner, other}}

  defp netns(netns) do
    case Socket.netns_arg(netns) do
      {:ok, arg} -> {:ok, arg}
      :error -> {:error, {:bad_netns, netns}}
    end
  end

  defp groups(nil), do: {:ok, nil}

  defp groups([_ | _] = groups) do
    if Enum.all?(groups, &(is_integer(&1) and &1 in 1..63)),
      do: {:ok, groups},
      else: {:error, {:bad_groups, groups}}
  end

  defp groups(other), do: {:error, {:bad_groups, other}}

  defp rcvbuf(nil), do: {:ok, nil}
  defp rcvbuf(n) when is_integer(n) and n > 0 and n < 0x80000000, do: {:ok, n}
  defp rcvbuf(other), do: {:error, {:bad_rcvbuf, other}}

  defp open(args) do
    case Linx.Verb.call("rtnl.monitor.open", args) do
      {:ok, handle} -> {:ok, handle}
      {:error, e} -> {:error, Error.from_linx(e)}
    end
  end

  # The reader blocks in the verb (a dirty scheduler), a bounded time per
  # call, and hands each batch to the server.  It ends when the handle is
  # closed.
  defp read_loop(handle, server) do
    case Linx.Native.call("rtnl.monitor.read", %{
           "monitor" => handle,
           "timeout_ms" => @wait_ms,
           "max" => 0
         }) do
      {:ok, events} ->
        if events != [], do: send(server, {:events, events})
        read_loop(handle, server)

      {:error, _} ->
        :ok
    end
  end

  @impl true
  def handle_info({:events, events}, state) do
    for e <- events do
      case e do
        %{"op" => "resync"} -> send(state.owner, {:linx_rtnl, :resync_needed})
        e -> send(state.owner, {:linx_rtnl, :event, Event.from_map(e)})
      end
    end

    {:noreply, state}
  end

  def handle_info({:DOWN, ref, :process, _, _}, %{owner_ref: ref} = state),
    do: {:stop, :normal, state}

  def handle_info({:EXIT, reader, _reason}, %{reader: reader} = state),
    do: {:stop, :reader_exited, state}

  def handle_info({:EXIT, _other, reason}, state), do: {:stop, reason, state}

  @impl true
  def terminate(_reason, state) do
    Linx.Native.call("rtnl.monitor.close", %{"monitor" => state.handle})
    :ok
  end
end
