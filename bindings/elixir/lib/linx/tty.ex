defmodule Linx.Tty do
  @moduledoc """
  Terminals: the controlling terminal (`/dev/tty`) in raw mode, its saved
  `termios(3)` put back, and window sizes (`TIOCGWINSZ` / `TIOCSWINSZ`).

      {:ok, fd, saved} = Linx.Tty.open_controlling_raw()
      {:ok, %Linx.Tty.WindowSize{rows: rows, cols: cols}} = Linx.Tty.window_size(fd)
      :ok = Linx.Tty.restore_and_close(fd, saved)

  `/dev/tty` is the BEAM's controlling terminal, not its stdio (which the
  group leader owns).  Without one, opening fails with
  `{:error, %Linx.Tty.Error{operation: :open, errno: :enxio}}`.

  Everything goes through the `tty` plugin of the Linx core (docs/tty).

  ## Errors

    * `{:error, %Linx.Tty.Error{}}` - a syscall failed;
    * `{:error, {:bad_fd, value}}`, `{:error, {:bad_saved, value}}`,
      `{:error, {:bad_window_size, value}}` - an argument of the wrong shape.
  """

  alias Linx.Tty.{Error, Saved, WindowSize}

  @typedoc "A descriptor of a terminal, in the BEAM's own process."
  @type fd() :: non_neg_integer()

  @typedoc "A `Linx.Process` session running with `stdio: :pty`."
  @type session() :: pid()

  @typep bad() :: {:bad_fd, term()} | {:bad_saved, term()} | {:bad_window_size, term()}

  @doc "Identifies the native layer; proves that it is loaded."
  @spec version() :: binary()
  def version do
    case Enum.find(Linx.Verb.plugins(), &(&1.name == "tty")) do
      %{version: v} -> "linx_tty " <> to_string(v)
      nil -> "linx_tty (plugin not loaded)"
    end
  end

  @doc """
  Opens `/dev/tty`, saves its `termios` and switches it to raw mode
  (`cfmakeraw(3)`).  Give both back to `restore_and_close/2`.
  """
  @spec open_controlling_raw() :: {:ok, fd(), Saved.t()} | {:error, Error.t()}
  def open_controlling_raw do
    case Linx.Native.call("tty.open_raw", %{}) do
      {:ok, %{"fd" => fd, "saved" => saved}} -> {:ok, fd, %Saved{termios: saved}}
      {:error, native} -> {:error, error(native, :open)}
    end
  end

  @doc """
  Puts `saved` back on `fd` and closes it.  Again on the same pair: `:ok`
  (a descriptor that no longer names that terminal is left alone).
  """
  @spec restore_and_close(fd(), Saved.t()) :: :ok | {:error, Error.t() | bad()}
  def restore_and_close(fd, %Saved{termios: t}) when is_binary(t) do
    with :ok <- check_fd(fd) do
      case Linx.Native.call("tty.restore", %{"fd" => fd, "saved" => t}) do
        {:ok, _} -> :ok
        {:error, %{op: "validate", param: "saved"}} -> {:error, {:bad_saved, :invalid}}
        {:error, native} -> {:error, error(native, :tcsetattr)}
      end
    end
  end

  def restore_and_close(_fd, other), do: {:error, {:bad_saved, other}}

  @doc "The window size of the terminal `fd` (`TIOCGWINSZ`)."
  @spec window_size(fd()) :: {:ok, WindowSize.t()} | {:error, Error.t() | bad()}
  def window_size(fd) do
    with :ok <- check_fd(fd) do
      case Linx.Native.call("tty.window_size", %{"fd" => fd}) do
        {:ok, m} ->
          {:ok,
           %WindowSize{rows: m["rows"], cols: m["cols"], xpixel: m["xpixel"], ypixel: m["ypixel"]}}

        {:error, native} ->
          {:error, error(native, :ioctl)}
      end
    end
  end

  @doc """
  Sets the window size of the terminal `fd` (`TIOCSWINSZ`; the terminal's
  foreground process group gets `SIGWINCH`).
  """
  @spec set_window_size(fd(), WindowSize.t()) :: :ok | {:error, Error.t() | bad()}
  def set_window_size(fd, %WindowSize{} = ws) do
    with :ok <- check_fd(fd), :ok <- check_ws(ws) do
      args = %{
        "fd" => fd,
        "rows" => ws.rows,
        "cols" => ws.cols,
        "xpixel" => ws.xpixel,
        "ypixel" => ws.ypixel
      }

      case Linx.Native.call("tty.set_window_size", args) do
        {:ok, _} -> :ok
        {:error, native} -> {:error, error(native, :ioctl)}
      end
    end
  end

  def set_window_size(_fd, other), do: {:error, {:bad_window_size, other}}

  @doc """
  Hands the caller's terminal to `session`'s PTY and pumps bytes both ways
  until the workload ends, the detach sequence is typed, or the terminal
  goes away; the terminal is then put back exactly as it was.

  `session` is a `Linx.Process` session started with `stdio: :pty`, at
  `:ready` or running.  `target` picks the terminal:

    * `:controlling` - `/dev/tty`, the BEAM's controlling terminal, in raw
      mode for the attach.  Refused with `{:error, :no_local_tty}` when
      the caller's group leader belongs to Erlang's SSH daemon (the BEAM's
      terminal is then not the user's).  The shell the BEAM may be running
      on that terminal keeps its hands off it meanwhile: on OTP 25 its
      driver port is borrowed for the attach (its bytes come to the pump,
      its output acknowledgements go back), on OTP 26 and later its reader
      is paused (`:prim_tty.disable_reader/1`).
    * `:group_leader` - the caller's group leader, through Erlang's I/O
      protocol (`echo: false`, one `get_chars` per byte, `put_chars` for
      output, `:io.rows/1` and `:io.columns/1` for the size).  Works over
      SSH and `:remsh`.  On OTP 25 the shell's driver still acts on
      Ctrl-G and Ctrl-C before the bytes reach the pump.

  Returns `{:ok, {:exited, code}}` or `{:ok, {:signaled, signum}}` when the
  workload ends, `{:ok, :detached}` when the detach sequence was typed or
  the terminal hung up (the workload keeps running and can be attached
  again), `{:error, :gl_eof}` when the group leader reached end of input,
  `{:error, :aborted}` or `{:error, %Linx.Process.Error{}}` when the
  session ended without running.

  Options:

    * `:detach_key` - the detach sequence, matched byte by byte across
      reads (default `<<16, 17>>`, Ctrl-P Ctrl-Q); `nil` or `""` turns it
      off.  A prefix of it that the next byte does not continue is passed
      on to the workload ahead of that byte.
    * `:winsize_poll` - how often, in milliseconds, the terminal's size is
      read and, when it changed, pushed to the workload's PTY (default 200;
      10..60000).  Polling rather than `SIGWINCH` works on every OTP
      release.

  The events of `session` go to the attach while it runs (output the
  caller had already received as its owner is written out first) and
  back to their owner afterwards; `:ready` and `:running` are passed on
  to the owner.  If the caller dies during the attach, the terminal is
  restored all the same and the workload is left running.

  Refused before anything is touched: `{:error, :no_process}` (the session
  is gone or has ended), `{:error, :no_pty}`, `{:error, {:bad_target, t}}`,
  `{:error, {:bad_session, s}}`, `{:error, {:bad_detach_key, k}}`,
  `{:error, {:bad_winsize_poll, ms}}`, `{:error, {:bad_options, opts}}`.
  Opening `/dev/tty` fails with `{:error, %Linx.Tty.Error{operation:
  :open}}` where there is none.
  """
  @spec attach(:controlling | :group_leader, session(), keyword()) ::
          {:ok, {:exited, non_neg_integer()} | {:signaled, pos_integer()} | :detached}
          | {:error, :no_local_tty | :no_process | :gl_eof | term()}
  def attach(target, session, opts \\ []), do: Linx.Tty.Attach.run(target, session, opts)

  @doc """
  A description of an error `Linx.Tty` returns: a hint for
  `:no_local_tty`, `Exception.message/1` for a `Linx.Tty.Error`,
  `inspect/1` for anything else.
  """
  @spec format_error(term()) :: String.t()
  def format_error(:no_local_tty),
    do:
      "no local terminal: the caller's group leader is an SSH session, " <>
        "so /dev/tty is not the user's terminal; use attach(:group_leader, session)"

  def format_error(:no_process), do: "the session is gone or its workload has exited"
  def format_error(%Error{} = e), do: Exception.message(e)
  def format_error(other), do: inspect(other)

  # ---- arguments and errors ---------------------------------------------

  defp check_fd(fd) when is_integer(fd) and fd >= 0 and fd <= 0x7FFFFFFF, do: :ok
  defp check_fd(fd), do: {:error, {:bad_fd, fd}}

  defp check_ws(%WindowSize{} = ws) do
    if Enum.all?([ws.rows, ws.cols, ws.xpixel, ws.ypixel], &(is_integer(&1) and &1 in 0..65535)),
      do: :ok,
      else: {:error, {:bad_window_size, ws}}
  end

  defp error(%{errno: errno} = native, default) do
    Error.from_nif(stage(Map.get(native, :op), default), errno)
  end

  defp error(_other, default), do: Error.from_nif(default, :unknown)

  defp stage("open", _), do: :open
  defp stage("tcgetattr", _), do: :tcgetattr
  defp stage("tcsetattr", _), do: :tcsetattr
  defp stage("ioctl", _), do: :ioctl
  defp stage("close", _), do: :close
  defp stage(_, default), do: default
end
