defmodule Linx.TtyTest do
  # Linx.Tty against real terminals.  The controlling-terminal tests run a
  # second, small VM under script(1), which gives it a pseudo-terminal of
  # the test's own as its controlling terminal (the test VM's terminal, if
  # it has one, is never touched); the no-terminal test runs one under
  # setsid(1), which has none.
  use ExUnit.Case, async: false
  import Bitwise

  alias Linx.Tty
  alias Linx.Tty.{Error, Saved, WindowSize}

  doctest Linx.Tty.Error

  @t 60_000

  defp ebin, do: Path.dirname(:code.which(Linx.Tty))

  # Runs `code` in a fresh VM through `wrapper`; the VM prints its result as
  # `<<<base64(term)>>>`, collected whatever the chunking of the output.
  defp run_child(wrapper, code) do
    code =
      code <> "\nIO.write(\"<<<\" <> Base.encode64(:erlang.term_to_binary(result)) <> \">>>\")"

    elixir = System.find_executable("elixir")

    {out, _} =
      case wrapper do
        :script ->
          cmd = Enum.map_join([elixir, "-pa", ebin(), "-e", code], " ", &shell_quote/1)
          System.cmd("script", ["-qec", cmd, "/dev/null"], stderr_to_stdout: true)

        :setsid ->
          System.cmd("setsid", ["-w", elixir, "-pa", ebin(), "-e", code], stderr_to_stdout: true)
      end

    case Regex.run(~r/<<<([A-Za-z0-9+\/=]+)>>>/, out) do
      [_, b64] -> :erlang.binary_to_term(Base.decode64!(b64))
      nil -> flunk("child printed no result:\n" <> out)
    end
  end

  defp shell_quote(s), do: "'" <> String.replace(s, "'", "'\\''") <> "'"

  test "version/0: the native layer answers" do
    assert Tty.version() =~ "linx_tty"
  end

  @tag timeout: @t
  test "open_controlling_raw/0 sets raw mode, restore_and_close/2 puts it back exactly" do
    result =
      run_child(:script, """
      # the VM's children have no controlling terminal (they are session
      # leaders): name the PTY script(1) gave the VM as its stdin
      {:ok, pts} = File.read_link("/proc/self/fd/0")
      stty = fn -> elem(System.cmd("stty", ["-a", "-F", pts]), 0) end
      before = stty.()
      {:ok, fd, saved} = Linx.Tty.open_controlling_raw()
      raw = stty.()
      {:ok, ws} = Linx.Tty.window_size(fd)
      :ok = Linx.Tty.set_window_size(fd, %{ws | rows: 33, cols: 111})
      {:ok, ws2} = Linx.Tty.window_size(fd)
      size = stty.()
      :ok = Linx.Tty.set_window_size(fd, ws)
      r1 = Linx.Tty.restore_and_close(fd, saved)
      r2 = Linx.Tty.restore_and_close(fd, saved)
      result = {before, raw, ws2, size, r1, r2, stty.(), inspect(saved), is_integer(fd)}
      """)

    {before, raw, ws2, size, r1, r2, after_, inspected, true} = result
    assert before =~ ~r/(^|\s)icanon\b/
    assert before =~ ~r/(^|\s)echo\b/
    assert raw =~ "-icanon"
    assert raw =~ "-echo "
    assert raw =~ "-isig"
    assert %WindowSize{rows: 33, cols: 111} = ws2
    assert size =~ "rows 33; columns 111"
    assert r1 == :ok
    assert r2 == :ok
    assert after_ == before
    assert inspected =~ ~r/^#Linx.Tty.Saved<\d+ bytes>$/
  end

  @tag timeout: @t
  test "no controlling terminal: {:error, %Error{operation: :open, errno: :enxio}}" do
    result =
      run_child(:setsid, """
      result = Linx.Tty.open_controlling_raw()
      """)

    assert {:error, %Error{operation: :open, errno: :enxio, code: 6} = e} = result
    assert Exception.message(e) == "tty open failed: enxio (errno 6)"
  end

  # A PTY master the test VM holds, through a raw file: its descriptor
  # number found in /proc/self/fd.
  defp open_master do
    # (listing /proc/self/fd uses a descriptor itself, so compare the
    # masters seen before and after, not all descriptors)
    before = masters()
    {:ok, f} = :file.open("/dev/ptmx", [:raw, :read, :write, :binary])
    [fd] = masters() -- before
    {f, fd}
  end

  defp masters do
    for n <- File.ls!("/proc/self/fd"),
        {:ok, l} <- [File.read_link("/proc/self/fd/" <> n)],
        l =~ "ptmx",
        do: String.to_integer(n)
  end

  @tag skip: not File.exists?("/dev/ptmx")
  test "window_size/1 and set_window_size/2 on a PTY the test owns" do
    {f, fd} = open_master()
    ws = %WindowSize{rows: 40, cols: 132, xpixel: 7, ypixel: 9}
    assert Tty.set_window_size(fd, ws) == :ok
    assert Tty.window_size(fd) == {:ok, ws}
    assert Tty.set_window_size(fd, %WindowSize{rows: 24, cols: 80}) == :ok
    assert Tty.window_size(fd) == {:ok, %WindowSize{rows: 24, cols: 80}}
    :ok = :file.close(f)
  end

  test "a descriptor that is not open: :ebadf" do
    assert {:error, %Error{operation: :ioctl, errno: :ebadf}} = Tty.window_size(1_000_000)

    assert {:error, %Error{operation: :ioctl, errno: :ebadf}} =
             Tty.set_window_size(1_000_000, %WindowSize{rows: 1, cols: 1})
  end

  test "bad input is refused before any syscall" do
    assert Tty.window_size(-1) == {:error, {:bad_fd, -1}}
    assert Tty.window_size("3") == {:error, {:bad_fd, "3"}}
    assert Tty.window_size(1 <<< 40) == {:error, {:bad_fd, 1 <<< 40}}
    assert Tty.set_window_size(0, {24, 80}) == {:error, {:bad_window_size, {24, 80}}}
    big = %WindowSize{rows: 70_000, cols: 80}
    assert Tty.set_window_size(0, big) == {:error, {:bad_window_size, big}}
    neg = %WindowSize{rows: 24, cols: -1}
    assert Tty.set_window_size(0, neg) == {:error, {:bad_window_size, neg}}
    assert Tty.restore_and_close(0, "raw bytes") == {:error, {:bad_saved, "raw bytes"}}

    assert Tty.restore_and_close(1_000_000, %Saved{termios: "short"}) ==
             {:error, {:bad_saved, :invalid}}
  end

  test "format_error/1" do
    assert Tty.format_error(:no_local_tty) =~ "group_leader"
    assert Tty.format_error({:weird, 1}) == "{:weird, 1}"
    assert Tty.format_error(Error.from_nif(:ioctl, 25)) == "tty ioctl failed: enotty (errno 25)"
    assert %Error{errno: :unknown, code: 9999} = Error.from_nif(:close, 9999)
  end
end
