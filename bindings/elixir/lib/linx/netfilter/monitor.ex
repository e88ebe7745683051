defmodule Linx.Netfilter.Monitor do
  @moduledoc """
  Watches the nf_tables ruleset of a network namespace and forwards every
  committed change to an owner process.

      {:ok, monitor} = Linx.Netfilter.subscribe()
      # the owner receives
      #   {:linx_netfilter, :event, %Linx.Netfilter.Event{}}
      #   {:linx_netfilter, :resync_needed}     (notifications were lost)
      :ok = Linx.Netfilter.unsubscribe(monitor)

  ## Event grouping

  The kernel broadcasts a commit's notifications (one per object) and then
  one NEWGEN with the generation and the committer.  The C monitor
  (`nft.monitor.*`, docs/nft/monitor.md) holds the notifications until
  that NEWGEN arrives and stamps each with its `gen_id`, `proc_pid` and
  `proc_name`; the owner receives them in the commit's order, followed by
  a `:new_gen` event for the commit itself.  (The spec has NEWGEN first;
  the kernel sends it last, and the provenance is the same either way.)

  ## Losses

  When the owner (or this process) reads slower than the kernel writes,
  the socket overflows and notifications are dropped: the owner receives
  `{:linx_netfilter, :resync_needed}` and should pull the ruleset again.
  Reading goes on.  The receive buffer is 4 MiB by default (`:rcvbuf`).

  ## Snapshot and tail

  Events of generations `<= min` are dropped, `min` being `:since_gen` at
  start and then what `set_min_gen/2` sets (also applied to events already
  held).  Without a race:

      {:ok, m} = Linx.Netfilter.subscribe(self(), netns: ns)
      {:ok, %{"id" => gen}} = Linx.Verb.call("nft.get_gen", %{"netns" => ...})
      :ok = Linx.Netfilter.Monitor.set_min_gen(m, gen)
      {:ok, snapshot} = Linx.Netfilter.pull(...)
      # events with gen_id > gen flow: they are not in the snapshot

  ## The process

  A GenServer owning the plugin's `nft.monitor` handle.  A linked reader
  waits for events in the verb (a dirty scheduler), at most 200 ms per
  call, so `stop/1` returns promptly and no scheduler is blocked.  The
  monitor stops, closing its socket, when its owner exits.

  Options (`t:opt/0`): `:owner` (required by `start_link/1`), `:netns`
  (`:host`, the default, `{:pid, n}` or `{:path, p}`), `:since_gen`
  (default 0), `:rcvbuf` (`SO_RCVBUF` bytes, default 4 MiB).  Bad options
  stop the start with `{:bad_owner, o}`, `{:bad_netns, n}`,
  `{:bad_since_gen, g}`, `{:bad_rcvbuf, r}` or `{:bad_option, key}`;
  the kernel's refusal (`CAP_NET_ADMIN` is needed to join the group) with
  a `%Linx.Netfilter.Error{}`.
  """

  use GenServer

  alias Linx.Netfilter.Event
  alias Linx.Netlink.Socket

  @type opt() ::
          {:owner, pid()}
          | {:netns, Socket.netns()}
          | {:since_gen, non_neg_integer()}
          | {:rcvbuf, pos_integer()}

  @wait_ms 200

  @doc """
  Starts a Monitor linked to the caller, subscribed to `NFNLGRP_NFTABLES`
  in `:netns` (see the module doc for `opts`).
  """
  @spec start_link([opt()]) :: GenServer.on_start()
  def start_link(opts), do: GenServer.start_link(__MODULE__, opts)

  @doc "Starts a monitor for `owner` (default: the caller); see `start_link/1`."
  @spec subscribe(pid(), [opt()]) :: GenServer.on_start()
  def subscribe(owner \\ self(), opts \\ []) do
    if is_list(opts),
      do: start_link([{:owner, owner} | opts]),
      else: {:error, {:bad_options, opts}}
  end

  @doc """
  Sets the minimum generation: from now on, events whose `gen_id` is at
  or below `gen` are dropped, those already held included.
  """
  @spec set_min_gen(pid(), non_neg_integer()) :: :ok
  def set_min_gen(monitor, gen) when is_integer(gen) and gen >= 0 and gen < 0x100000000,
    do: GenServer.call(monitor, {:set_min_gen, gen})

  @doc "Stops the Monitor (closes its socket)."
  @spec stop(pid()) :: :ok
  def stop(monitor), do: GenServer.stop(monitor)

  # ---- the server -------------------------------------------------------------

  @impl true
  def init(opts) do
    with {:ok, args, owner} <- check(opts),
         {:ok, handle} <- open(args) do
      Process.flag(:trap_exit, true)
      ref = Process.monitor(owner)
      me = self()
      reader = spawn_link(fn -> read_loop(handle, me) end)

      {:ok,
       %{
         handle: handle,
         owner: owner,
         owner_ref: ref,
         reader: reader,
         min_gen: Map.get(args, "since_gen", 0)
       }}
    else
      {:error, reason} -> {:stop, reason}
    end
  end

  defp check(opts) do
    with {:ok, opts} <-
           Linx.Netlink.Rtnl.Call.options(opts, [:owner, :netns, :since_gen, :rcvbuf]),
         {:ok, owner} <- owner(Keyword.get(opts, :owner)),
         {:ok, netns} <- netns(Keyword.get(opts, :netns, :host)),
         {:ok, since} <- uint(Keyword.get(opts, :since_gen), 0, 0xFFFFFFFF, :bad_since_gen),
         {:ok, rcvbuf} <- uint(Keyword.get(opts, :rcvbuf), 1, 0x40000000, :bad_rcvbuf) do
      args =
        %{"netns" => netns, "since_gen" => since, "rcvbuf" => rcvbuf}
        |> Map.reject(fn {_, v} -> is_nil(v) end)

      {:ok, args, owner}
    end
  end

  @doc false
  def owner(pid) when is_pid(pid), do: {:ok, pid}
  def owner(other), do: {:error, {:bad_owner, other}}

  @doc false
  def netns(netns) do
    case Socket.netns_arg(netns) do
      {:ok, arg} -> {:ok, arg}
      :error -> {:error, {:bad_netns, netns}}
    end
  end

  @doc false
  def uint(nil, _min, _max, _tag), do: {:ok, nil}
  def uint(n, min, max, _tag) when is_integer(n) and n >= min and n <= max, do: {:ok, n}
  def uint(other, _min, _max, tag), do: {:error, {tag, other}}

  defp open(args) do
    Linx.Netfilter.call("nft.monitor.open", args, :monitor_open)
  end

  # The reader waits in the verb (a dirty scheduler) a bounded time per
  # call and hands each batch to the server; it ends when the handle is
  # closed (EBADF).
  defp read_loop(handle, server) do
    case Linx.Native.call(
           "nft.monitor.read",
           %{"monitor" => handle, "timeout_ms" => @wait_ms, "max" => 0},
           :nft
         ) do
      {:ok, events} ->
        if events != [], do: send(server, {:events, events})
        read_loop(handle, server)

      {:error, _} ->
        :ok
    end
  end

  @impl true
  def handle_call({:set_min_gen, gen}, _from, state) do
    case Linx.Netfilter.call(
           "nft.monitor.set_min_gen",
           %{"monitor" => state.handle, "gen" => gen},
           :set_min_gen
         ) do
      {:ok, _} -> {:reply, :ok, %{state | min_gen: gen}}
      {:error, _} = e -> {:reply, e, state}
    end
  end

  @impl true
  def handle_info({:events, events}, state) do
    for e <- events do
      case e do
        %{"op" => "resync"} -> send(state.owner, {:linx_netfilter, :resync_needed})
        # read before the floor was raised: held back here too
        %{"gen" => g} when is_integer(g) and g <= state.min_gen -> :ok
        e -> send(state.owner, {:linx_netfilter, :event, Event.from_c(e)})
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
    Linx.Native.call("nft.monitor.close", %{"monitor" => state.handle})
    :ok
  end
end
