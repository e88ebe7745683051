defmodule Linx.Tty.Attach do
  @moduledoc false
  # The byte pump behind Linx.Tty.attach/3.
  #
  # attach/3 runs the pump in a process of its own, which borrows the
  # session's events (Linx.Process.swap_owner/2) so that output of other
  # sessions the caller owns never reaches the terminal, and which
  # monitors the caller: if the caller dies mid-attach the pump still puts
  # the terminal, the BEAM's own terminal reader and the session's owner
  # back.  The caller only waits for the pump's answer.
  #
  # Where input comes from (:controlling):
  #
  #   * OTP 25 with an interactive shell: the shell's driver (a `tty_sl`
  #     port of user_drv; without the line editor, as with TERM=dumb, the
  #     `user` process's port on stdin) reads the same terminal.  Two
  #     readers of one terminal share its bytes unpredictably, so the pump
  #     does not read the terminal itself: a proxy process becomes the
  #     port's owner for the attach, hands the bytes to the pump and the
  #     port's write acknowledgements back to the port's owner, and
  #     reconnects the port to it at the end.
  #   * OTP 26 and later: the shell's reader is paused with
  #     :prim_tty.disable_reader/1 (re-enabled at the end, with stdin
  #     non-blocking until it settles: beam_reader_resume/1) and the pump
  #     reads the terminal through an `{:fd, fd, fd}` port.
  #   * Otherwise (no shell): the pump reads the terminal through the fd
  #     port.
  #
  # Output always goes to the terminal through the fd port.  Window sizes
  # are polled (TIOCGWINSZ, or the group leader's geometry) and pushed to
  # the session when they change: that works on every OTP release, 25
  # included, which cannot deliver SIGWINCH to Erlang code.

  alias Linx.Process, as: P

  @default_poll 200

  # ---- entry (the caller's side) ------------------------------------------

  @spec run(:controlling | :group_leader, pid(), keyword()) :: term()
  def run(target, session, opts) do
    with :ok <- check_target(target),
         :ok <- check_session(session),
         {:ok, key} <- detach_key(opts),
         {:ok, poll} <- poll_interval(opts),
         :ok <- alive(session),
         :ok <- local_tty_guard(target) do
      caller = self()
      ref = make_ref()
      gl = Process.group_leader()
      args = %{target: target, session: session, key: key, poll: poll, gl: gl}
      {pump, mref} = spawn_monitor(fn -> pump(caller, ref, args) end)
      wait_pump(pump, mref, ref)
    end
  end

  defp wait_pump(pump, mref, ref) do
    receive do
      {^ref, :owner, old_owner} ->
        # Output the workload wrote before the attach, if it went to us.
        early = if old_owner == self(), do: drain_pty_out([]), else: ""
        send(pump, {ref, :early, early})
        wait_pump(pump, mref, ref)

      {^ref, :result, result} ->
        Process.demonitor(mref, [:flush])
        result

      {:DOWN, ^mref, :process, _, reason} ->
        {:error, {:attach_failed, reason}}
    end
  end

  defp drain_pty_out(acc) do
    receive do
      {:linx_process, :pty_out, b} -> drain_pty_out([acc | b])
    after
      0 -> IO.iodata_to_binary(acc)
    end
  end

  defp check_target(t) when t in [:controlling, :group_leader], do: :ok
  defp check_target(t), do: {:error, {:bad_target, t}}

  defp check_session(s) when is_pid(s), do: :ok
  defp check_session(s), do: {:error, {:bad_session, s}}

  defp detach_key(opts) when is_list(opts) do
    if Keyword.keyword?(opts) do
      case Keyword.get(opts, :detach_key, <<16, 17>>) do
        nil -> {:ok, ""}
        k when is_binary(k) -> {:ok, k}
        k -> {:error, {:bad_detach_key, k}}
      end
    else
      {:error, {:bad_options, opts}}
    end
  end

  defp detach_key(opts), do: {:error, {:bad_options, opts}}

  defp poll_interval(opts) do
    case Keyword.get(opts, :winsize_poll, @default_poll) do
      ms when is_integer(ms) and ms >= 10 and ms <= 60_000 -> {:ok, ms}
      other -> {:error, {:bad_winsize_poll, other}}
    end
  end

  defp alive(session) do
    case P.info(session) do
      {:ok, %{stage: stage, pty?: pty?}} when stage in [:exited, :signaled, :aborted, :errored] ->
        _ = pty?
        {:error, :no_process}

      {:ok, %{pty?: false}} ->
        {:error, :no_pty}

      {:ok, _} ->
        :ok

      {:error, _} ->
        {:error, :no_process}
    end
  end

  # Erlang's SSH daemon fronts the group leader: /dev/tty is then some
  # other terminal (the BEAM's console), never the user's.
  defp local_tty_guard(:controlling) do
    if over_ssh?(Process.group_leader()), do: {:error, :no_local_tty}, else: :ok
  end

  defp local_tty_guard(:group_leader), do: :ok

  @doc false
  def over_ssh?(gl) do
    case Process.info(gl, :dictionary) do
      {:dictionary, dict} ->
        ancestors = Keyword.get(dict, :"$ancestors", [])
        initial = Keyword.get(dict, :"$initial_call")

        match?({m, _, _} when m in [:ssh_cli, :ssh_connection_handler], initial) or
          Enum.any?(ancestors, &(name_of(&1) in [:ssh_sup, :sshd_sup]))

      nil ->
        false
    end
  end

  defp name_of(a) when is_atom(a), do: a

  defp name_of(p) when is_pid(p) do
    case Process.info(p, :registered_name) do
      {:registered_name, n} when is_atom(n) -> n
      _ -> nil
    end
  end

  defp name_of(_), do: nil

  # ---- the pump ------------------------------------------------------------

  defp pump(caller, ref, args) do
    Process.flag(:trap_exit, true)
    cmon = Process.monitor(caller)
    smon = Process.monitor(args.session)

    result =
      case P.swap_owner(args.session, self()) do
        {:ok, old_owner} ->
          send(caller, {ref, :owner, old_owner})

          try do
            start(args, caller, ref, cmon, smon, old_owner)
          after
            if Process.alive?(args.session), do: P.set_owner(args.session, old_owner)
          end

        {:error, _} ->
          {:error, :no_process}
      end

    send(caller, {ref, :result, result})
  end

  defp start(args, caller, ref, cmon, smon, old_owner) do
    early =
      receive do
        {^ref, :early, bytes} -> bytes
        {:DOWN, ^cmon, _, _, _} -> ""
      end

    with {:ok, io} <- open_io(args) do
      try do
        st = %{
          io: io,
          args: args,
          caller: caller,
          cmon: cmon,
          smon: smon,
          old_owner: old_owner,
          held: "",
          ws: nil,
          pending: ""
        }

        st = output(st, early)
        st = push_winsize(st)
        Process.send_after(self(), :linx_tty_poll, args.poll)

        # The workload may have ended between the check and the swap:
        # what it wrote after the swap is in our mailbox, written out
        # by finish/1 before the result.
        case P.info(args.session) do
          {:ok, %{result: r}} when r != nil -> finish(st)
          _ -> loop(st)
        end
      after
        close_io(io)
      end
    end
  end

  defp loop(st) do
    %{cmon: cmon, smon: smon} = st
    inport = st.io.in_port

    receive do
      {:linx_process, :pty_out, b} ->
        loop(output(st, b))

      {:linx_process, ev, _} when ev in [:exited, :signaled] ->
        finish(st)

      {:linx_process, :aborted} ->
        finish(st)

      {:linx_process, :error, _, _} ->
        finish(st)

      {:linx_process, _, _} = other ->
        # :ready / :running belong to the session's real owner.
        send(st.old_owner, other)
        loop(st)

      {:linx_tty_in, :eof} ->
        eof(st)

      {:linx_tty_in, bytes} ->
        input(st, bytes)

      {^inport, {:data, bytes}} ->
        input(st, bytes)

      {^inport, :eof} ->
        eof(st)

      :linx_tty_poll ->
        st = push_winsize(st)
        Process.send_after(self(), :linx_tty_poll, st.args.poll)
        loop(st)

      {:DOWN, ^smon, _, _, _} ->
        {:error, :no_process}

      {:DOWN, ^cmon, _, _, _} ->
        # Nobody waits for the answer: leave the workload running.
        {:ok, :detached}

      {:EXIT, _, _} ->
        loop(st)
    end
  end

  # Drain the output the session queued before its terminal event, then
  # answer with the terminal result info/1 records.
  defp finish(st) do
    st = drain_output(st)

    case P.info(st.args.session) do
      {:ok, %{result: r}} when r != nil -> outcome(r)
      _ -> {:error, :no_process}
    end
  end

  defp drain_output(st) do
    receive do
      {:linx_process, :pty_out, b} -> drain_output(output(st, b))
    after
      0 -> st
    end
  end

  defp outcome({:exited, n}), do: {:ok, {:exited, n}}
  defp outcome({:signaled, n}), do: {:ok, {:signaled, n}}
  defp outcome(:aborted), do: {:error, :aborted}
  defp outcome({:error, e}), do: {:error, e}

  defp eof(%{args: %{target: :group_leader}}), do: {:error, :gl_eof}
  # The terminal hung up: nobody is typing any more; the workload goes on.
  defp eof(_st), do: {:ok, :detached}

  defp input(st, bytes) do
    case detach(st.args.key, st.held, bytes) do
      {:detach, fwd} ->
        write_session(st, fwd)
        {:ok, :detached}

      {:cont, fwd, held} ->
        write_session(st, fwd)
        loop(%{st | held: held})
    end
  end

  defp write_session(_st, ""), do: :ok
  defp write_session(st, bytes), do: P.pty_write(st.args.session, bytes)

  @doc false
  # Matches the detach sequence byte by byte across reads.  A held prefix
  # that the next byte does not continue goes to the workload ahead of it.
  # Returns {:detach, bytes_before} or {:cont, bytes_to_forward, held}.
  @spec detach(binary(), binary(), binary()) :: {:detach, binary()} | {:cont, binary(), binary()}
  def detach("", "", bytes), do: {:cont, bytes, ""}
  def detach(key, held, bytes), do: detach(key, held, bytes, [])

  defp detach(_key, held, "", acc), do: {:cont, IO.iodata_to_binary(acc), held}

  defp detach(key, held, <<b, rest::binary>>, acc) do
    cand = held <> <<b>>

    cond do
      cand == key ->
        {:detach, IO.iodata_to_binary(acc)}

      String.starts_with?(key, cand) ->
        detach(key, cand, rest, acc)

      held != "" ->
        # The held prefix was not a detach: it goes out, and the byte is
        # looked at again on its own.
        detach(key, "", <<b, rest::binary>>, [acc | held])

      true ->
        detach(key, "", rest, [acc | <<b>>])
    end
  end

  # ---- the terminal side ----------------------------------------------------

  defp output(st, ""), do: st

  defp output(%{io: %{kind: :fd, out_port: port}} = st, bytes) do
    Port.command(port, bytes)
    st
  end

  defp output(%{io: %{kind: :gl, gl: gl}} = st, bytes) do
    # The group leader takes characters: hold an incomplete UTF-8 tail
    # for the next chunk, pass other invalid bytes one by one as latin1.
    {text, pending} = utf8_split(st.pending <> bytes)
    put_gl(gl, text)
    %{st | pending: pending}
  end

  defp put_gl(_gl, []), do: :ok

  defp put_gl(gl, [{enc, b} | rest]) do
    _ = :io.request(gl, {:put_chars, enc, b})
    put_gl(gl, rest)
  end

  defp utf8_split(bin, acc \\ []) do
    case :unicode.characters_to_binary(bin, :utf8, :utf8) do
      ok when is_binary(ok) ->
        {Enum.reverse([{:unicode, ok} | acc]), ""}

      {:incomplete, good, rest} ->
        {Enum.reverse([{:unicode, good} | acc]), rest}

      {:error, good, <<bad, rest::binary>>} ->
        utf8_split(rest, [{:latin1, <<bad>>}, {:unicode, good} | acc])
    end
  end

  defp push_winsize(st) do
    case current_winsize(st) do
      nil ->
        st

      ws when ws == st.ws ->
        st

      ws ->
        _ = P.pty_set_winsize(st.args.session, ws)
        %{st | ws: ws}
    end
  end

  defp current_winsize(%{io: %{kind: :fd, fd: fd}}) do
    case Linx.Tty.window_size(fd) do
      {:ok, %{rows: r, cols: c, xpixel: x, ypixel: y}} when r > 0 and c > 0 -> {r, c, x, y}
      _ -> nil
    end
  end

  defp current_winsize(%{io: %{kind: :gl, gl: gl}}) do
    with {:ok, r} when is_integer(r) and r in 1..65535 <- :io.rows(gl),
         {:ok, c} when is_integer(c) and c in 1..65535 <- :io.columns(gl) do
      {r, c, 0, 0}
    else
      _ -> nil
    end
  end

  # ---- opening and closing the terminal -----------------------------------

  defp open_io(%{target: :controlling}) do
    case Linx.Tty.open_controlling_raw() do
      {:ok, fd, saved} ->
        case beam_reader_pause() do
          {:proxy, _port, _proxy} = paused ->
            out = Port.open({:fd, fd, fd}, [:binary, :out])
            {:ok, %{kind: :fd, fd: fd, saved: saved, in_port: nil, out_port: out, paused: paused}}

          paused ->
            port = Port.open({:fd, fd, fd}, [:binary, :eof])

            {:ok,
             %{kind: :fd, fd: fd, saved: saved, in_port: port, out_port: port, paused: paused}}
        end

      {:error, _} = e ->
        e
    end
  end

  defp open_io(%{target: :group_leader, gl: gl}) do
    opts = :io.getopts(gl)
    old = if is_list(opts), do: Keyword.take(opts, [:echo, :binary]), else: []
    _ = :io.setopts(gl, echo: false, binary: true)
    pump = self()
    reader = spawn_link(fn -> gl_reader(gl, pump) end)
    {:ok, %{kind: :gl, gl: gl, old_opts: old, reader: reader, in_port: nil}}
  end

  defp close_io(%{kind: :fd} = io) do
    if io.in_port, do: safe_close(io.in_port)
    if io.out_port != io.in_port, do: safe_close(io.out_port)
    beam_reader_resume(io.paused)
    _ = Linx.Tty.restore_and_close(io.fd, io.saved)
    :ok
  end

  defp close_io(%{kind: :gl} = io) do
    Process.unlink(io.reader)
    Process.exit(io.reader, :kill)
    if io.old_opts != [], do: :io.setopts(io.gl, io.old_opts)
    :ok
  end

  # {owner, :close} lets the port write out what it still holds first
  # (Port.close/1 would drop it); bounded, for a terminal nobody reads.
  defp safe_close(port) do
    send(port, {self(), :close})

    receive do
      {^port, :closed} -> :ok
    after
      2_000 -> Port.close(port)
    end
  catch
    _, _ -> :ok
  end

  # One byte per request: a group leader answers get_chars with exactly
  # the count asked for, so a larger one would wait for more typing.
  defp gl_reader(gl, pump) do
    case :io.get_chars(gl, ~c"", 1) do
      b when is_binary(b) ->
        send(pump, {:linx_tty_in, b})
        gl_reader(gl, pump)

      l when is_list(l) ->
        send(pump, {:linx_tty_in, :unicode.characters_to_binary(l)})
        gl_reader(gl, pump)

      _eof_or_error ->
        send(pump, {:linx_tty_in, :eof})
    end
  end

  # ---- the BEAM's own terminal reader ---------------------------------------

  defp beam_reader_pause do
    case Process.whereis(:user_drv) do
      ud when is_pid(ud) ->
        case linked_port(ud, &tty_sl?/1) do
          nil -> prim_tty_pause(ud)
          port -> proxy_port(ud, port)
        end

      nil ->
        old_user_pause()
    end
  end

  # OTP 25 without its line editor (TERM=dumb, -oldshell, -noshell): no
  # user_drv; the `user` process reads stdin through an {fd, 0, 1} port
  # (named "0/1") whenever bytes arrive.  When stdin is the terminal being
  # attached, that port is borrowed like tty_sl.  (The VM lane runs with
  # TERM=dumb: reading beside this port lost keystrokes there.)
  defp old_user_pause do
    with user when is_pid(user) <- Process.whereis(:user),
         port when port != nil <- linked_port(user, &(&1 == ~c"0/1")),
         true <- stdin_is_controlling_tty?() do
      proxy_port(user, port)
    else
      _ -> :none
    end
  end

  defp tty_sl?(name), do: match?(~c"tty_sl" ++ _, name)

  defp linked_port(pid, name?) do
    case Process.info(pid, :links) do
      {:links, links} ->
        Enum.find(links, fn l ->
          is_port(l) and
            case Port.info(l, :name) do
              {:name, name} -> name?.(name)
              nil -> false
            end
        end)

      nil ->
        nil
    end
  end

  # The device of fd 0 is the controlling terminal (tty_nr of
  # /proc/self/stat, proc(5)).
  defp stdin_is_controlling_tty? do
    with {:ok, stat} <- File.read("/proc/self/stat"),
         [_, rest] <- String.split(stat, ") ", parts: 2),
         {tty_nr, ""} when tty_nr != 0 <- Integer.parse(Enum.at(String.split(rest, " "), 4, "")),
         {:ok, %File.Stat{type: :device, minor_device: ^tty_nr}} <- File.stat("/proc/self/fd/0") do
      true
    else
      _ -> false
    end
  end

  # The proxy owns the port of the BEAM's own reader (user_drv's tty_sl,
  # or user's stdin port) for the attach.
  defp proxy_port(owner, port) do
    pump = self()
    ref = make_ref()

    proxy =
      spawn(fn ->
        Process.flag(:trap_exit, true)
        mon = Process.monitor(pump)

        if connect(port, self()) do
          send(pump, {ref, :connected})
          proxy_loop(port, owner, pump, mon, ref)
        else
          send(pump, {ref, :failed})
        end
      end)

    receive do
      {^ref, :connected} -> {:proxy, port, {proxy, ref}}
      {^ref, :failed} -> :none
    end
  end

  defp connect(port, pid) do
    :erlang.port_connect(port, pid)
  catch
    _, _ -> false
  end

  defp proxy_loop(port, owner, pump, mon, ref) do
    receive do
      {^port, {:data, bytes}} ->
        send(pump, {:linx_tty_in, IO.iodata_to_binary(bytes)})
        proxy_loop(port, owner, pump, mon, ref)

      {^port, :eof} ->
        send(pump, {:linx_tty_in, :eof})
        proxy_loop(port, owner, pump, mon, ref)

      {^port, _} = ack ->
        # write acknowledgements the owner waits for
        send(owner, ack)
        proxy_loop(port, owner, pump, mon, ref)

      {:EXIT, ^port, _} = exit ->
        send(owner, exit)

      {^ref, :stop, from} ->
        give_back(port, owner)
        send(from, {ref, :stopped})

      {:DOWN, ^mon, _, _, _} ->
        give_back(port, owner)
    end
  end

  defp give_back(port, owner) do
    connect(port, owner)
    Process.unlink(port)

    # bytes that arrived before the port went back are the owner's
    flush_to(port, owner)
  end

  defp flush_to(port, owner) do
    receive do
      {^port, _} = m ->
        send(owner, m)
        flush_to(port, owner)
    after
      0 -> :ok
    end
  end

  # OTP 26 and later: prim_tty's reader can be switched off and on.  (A
  # variable module: OTP 25 has no prim_tty, and the compiler need not
  # know it.)
  defp prim_tty, do: :prim_tty

  defp prim_tty_pause(ud) do
    with true <- Code.ensure_loaded?(prim_tty()),
         true <- function_exported?(prim_tty(), :disable_reader, 1),
         {:ok, tty} <- prim_tty_state(ud) do
      try do
        apply(prim_tty(), :disable_reader, [tty])
        {:prim_tty, tty}
      catch
        _, _ -> :none
      end
    else
      _ -> :none
    end
  end

  defp prim_tty_state(ud) do
    case :sys.get_state(ud, 1_000) do
      {_name, data} when is_tuple(data) and tuple_size(data) > 1 and elem(data, 0) == :state ->
        tty = elem(data, 1)
        if is_tuple(tty) and elem(tty, 0) == :state, do: {:ok, tty}, else: :error

      _ ->
        :error
    end
  catch
    _, _ -> :error
  end

  defp beam_reader_resume(:none), do: :ok

  # Keystrokes typed during the attach woke the paused reader's poll (a
  # one-shot select), so the reader reads as soon as it resumes.  The pump
  # has taken those bytes; on a blocking stdin that read would wait for
  # the next keystroke - which would then go to the shell, and the next
  # attach's disable_reader/1 would wait behind it (found by the Debian 13
  # lane, OTP 27).  So the reader resumes with stdin non-blocking: its read
  # answers EAGAIN and it polls again.  Blocking mode comes back once it
  # idles (O_NONBLOCK belongs to stdin's open file description, shared
  # with the processes that share the terminal: set for milliseconds).
  defp beam_reader_resume({:prim_tty, tty}) do
    was = set_nonblock(0, true)

    try do
      apply(prim_tty(), :enable_reader, [tty])
      wait_idle(Process.whereis(:user_drv_reader), 500)
    after
      if was == false, do: set_nonblock(0, false)
    end
  catch
    _, _ -> :ok
  end

  defp beam_reader_resume({:proxy, _port, {proxy, ref}}) do
    mon = Process.monitor(proxy)
    send(proxy, {ref, :stop, self()})

    receive do
      {^ref, :stopped} -> :ok
      {:DOWN, ^mon, _, _, _} -> :ok
    after
      5_000 -> :ok
    end

    Process.demonitor(mon, [:flush])
    :ok
  end

  defp set_nonblock(fd, on) do
    case Linx.Native.call("tty.set_nonblock", %{"fd" => fd, "on" => on}) do
      {:ok, was} -> was
      {:error, _} -> nil
    end
  end

  # Idle: waiting in its receive with nothing queued.
  defp wait_idle(pid, ms) when is_pid(pid) and ms > 0 do
    case Process.info(pid, [:status, :message_queue_len]) do
      [status: :waiting, message_queue_len: 0] ->
        :ok

      nil ->
        :ok

      _ ->
        Process.sleep(1)
        wait_idle(pid, ms - 1)
    end
  end

  defp wait_idle(_pid, _ms), do: :ok
end
