defmodule Linx.Netfilter.Log do
  @moduledoc """
  Receives the packets that rules log to an NFLOG group (`log group N`
  in nft(8), `Linx.Netfilter.Expr.log/1` with a group) and forwards each
  to an owner process.

      {:ok, listener} = Linx.Netfilter.log_listen(self(), group: 5000, copy_mode: {:packet, 256})

      receive do
        {:linx_netfilter, :log, %Linx.Netfilter.Log.Event{} = ev} -> ev.prefix
      end

      :ok = Linx.Netfilter.unlog_listen(listener)

  ## Binding

  The C plugin (`nft.log.*`, docs/nft/log.md) does the work: on start it
  sends `NFULNL_CFG_CMD_PF_BIND` for each of `:families`, then one config
  message binding the group with its copy mode, timeout, queue threshold
  and flags; on stop `NFULNL_CFG_CMD_UNBIND`, then closes the socket.  A
  group bound by another socket of the namespace is refused (`:ebusy`).
  Group 5000 is Linx's convention for "a group of my own"; there is no
  default.

  ## Losses

  When the socket's queue overflows the kernel drops packets: the owner
  receives `{:linx_netfilter, :resync_needed}` and the next packets
  arrive as usual.

  ## The process

  A GenServer owning the plugin's `nft.log` handle, with a linked reader
  waiting in `nft.log.next` on a dirty scheduler at most 200 ms a call.
  It stops, unbinding the group, when its owner exits.

  Options (`t:opt/0`): `:owner` and `:group` (1..65535) are required;
  `:netns` (default `:host`), `:copy_mode` (`:none`, `:meta`, the default,
  `:packet` or `{:packet, snaplen}`), `:qthresh` (1..1024, default 1),
  `:timeout_ms` (default 0), `:flags` (`[:seq | :seq_global |
  :conntrack]`), `:families` (default `[:ipv4, :ipv6]`, also `:bridge`,
  `:arp`), `:rcvbuf` (default 4 MiB).  Bad options stop the start with
  `{:bad_<option>, value}` or `{:bad_option, key}`; the kernel's
  refusal with a `%Linx.Netfilter.Error{}`.
  """

  use GenServer

  alias Linx.Netfilter.Log.Event
  alias Linx.Netfilter.Monitor
  alias Linx.Netlink.Socket

  @type opt() ::
          {:owner, pid()}
          | {:group, 1..65535}
          | {:netns, Socket.netns()}
          | {:copy_mode, :none | :meta | :packet | {:packet, non_neg_integer()}}
          | {:qthresh, 1..1024}
          | {:timeout_ms, non_neg_integer()}
          | {:flags, [:seq | :seq_global | :conntrack]}
          | {:families, [:ipv4 | :ipv6 | :bridge | :arp]}
          | {:rcvbuf, pos_integer()}

  @wait_ms 200
  @keys [:owner, :group, :netns, :copy_mode, :qthresh, :timeout_ms, :flags, :families, :rcvbuf]

  @doc "Starts a Log listener linked to the caller (see the module doc for `opts`)."
  @spec start_link([opt()]) :: GenServer.on_start()
  def start_link(opts), do: GenServer.start_link(__MODULE__, opts)

  @doc "Starts a listener for `owner` (default: the caller); see `start_link/1`."
  @spec listen(pid(), [opt()]) :: GenServer.on_start()
  def listen(owner \\ self(), opts \\ []) do
    if is_list(opts),
      do: start_link([{:owner, owner} | opts]),
      else: {:error, {:bad_options, opts}}
  end

  @doc "Stops the listener: the group is unbound, then the socket closed."
  @spec stop(pid()) :: :ok
  def stop(listener), do: GenServer.stop(listener)

  # ---- the server -------------------------------------------------------------

  @impl true
  def init(opts) do
    with {:ok, args, owner} <- check(opts),
         {:ok, handle} <- Linx.Netfilter.call("nft.log.open", args, :log_open) do
      Process.flag(:trap_exit, true)
      ref = Process.monitor(owner)
      me = self()
      reader = spawn_link(fn -> read_loop(handle, me) end)
      {:ok, %{handle: handle, owner: owner, owner_ref: ref, reader: reader, group: args["group"]}}
    else
      {:error, reason} -> {:stop, reason}
    end
  end

  defp check(opts) do
    with {:ok, opts} <- Linx.Netlink.Rtnl.Call.options(opts, @keys),
         {:ok, owner} <- Monitor.owner(Keyword.get(opts, :owner)),
         {:ok, group} <- group(Keyword.get(opts, :group)),
         {:ok, netns} <- Monitor.netns(Keyword.get(opts, :netns, :host)),
         {:ok, copy} <- copy_mode(Keyword.get(opts, :copy_mode)),
         {:ok, qthresh} <- Monitor.uint(Keyword.get(opts, :qthresh), 1, 1024, :bad_qthresh),
         {:ok, timeout} <-
           Monitor.uint(Keyword.get(opts, :timeout_ms), 0, 0xFFFFFFFF, :bad_timeout_ms),
         {:ok, flags} <-
           names(:flags, Keyword.get(opts, :flags), [:seq, :seq_global, :conntrack]),
         {:ok, families} <-
           names(:families, Keyword.get(opts, :families), [:ipv4, :ipv6, :bridge, :arp]),
         {:ok, rcvbuf} <- Monitor.uint(Keyword.get(opts, :rcvbuf), 1, 0x40000000, :bad_rcvbuf) do
      args =
        %{
          "group" => group,
          "netns" => netns,
          "qthreshold" => qthresh,
          "timeout_ms" => timeout,
          "flags" => flags,
          "families" => families,
          "rcvbuf" => rcvbuf
        }
        |> Map.merge(copy)
        |> Map.reject(fn {_, v} -> is_nil(v) end)

      {:ok, args, owner}
    end
  end

  defp group(g) when is_integer(g) and g in 1..65535, do: {:ok, g}
  defp group(g), do: {:error, {:bad_group, g}}

  defp copy_mode(nil), do: {:ok, %{}}
  defp copy_mode(m) when m in [:none, :meta, :packet], do: {:ok, %{"copy" => Atom.to_string(m)}}

  defp copy_mode({:packet, n}) when is_integer(n) and n in 1..65535,
    do: {:ok, %{"copy" => "packet", "snaplen" => n}}

  defp copy_mode(m), do: {:error, {:bad_copy_mode, m}}

  defp names(_key, nil, _known), do: {:ok, nil}

  defp names(key, l, known) when is_list(l) do
    if Enum.all?(l, &(&1 in known)),
      do: {:ok, Enum.map(l, &Atom.to_string/1)},
      else: {:error, {:"bad_#{key}", l}}
  end

  defp names(key, other, _known), do: {:error, {:"bad_#{key}", other}}

  # The reader waits in the verb (a dirty scheduler) a bounded time per
  # call; it ends when the handle is closed (EBADF).
  defp read_loop(handle, server) do
    case Linx.Native.call("nft.log.next", %{"log" => handle, "timeout_ms" => @wait_ms}) do
      {:ok, nil} ->
        read_loop(handle, server)

      {:ok, event} ->
        send(server, {:event, event})
        read_loop(handle, server)

      {:error, _} ->
        :ok
    end
  end

  @impl true
  def handle_info({:event, %{"op" => "resync"}}, state) do
    send(state.owner, {:linx_netfilter, :resync_needed})
    {:noreply, state}
  end

  def handle_info({:event, e}, state) do
    send(state.owner, {:linx_netfilter, :log, Event.from_c(e)})
    {:noreply, state}
  end

  def handle_info({:DOWN, ref, :process, _, _}, %{owner_ref: ref} = state),
    do: {:stop, :normal, state}

  def handle_info({:EXIT, reader, _reason}, %{reader: reader} = state),
    do: {:stop, :reader_exited, state}

  def handle_info({:EXIT, _other, reason}, state), do: {:stop, reason, state}

  @impl true
  def terminate(_reason, state) do
    Linx.Native.call("nft.log.close", %{"log" => state.handle})
    :ok
  end
end
