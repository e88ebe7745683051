defmodule Linx.TtyAttachTest do
  # Linx.Tty.attach/3.  :controlling runs in a second VM - an interactive
  # iex, whose own terminal driver competes for the terminal - started as
  # a Linx.Process workload with stdio: :pty, so its controlling terminal
  # is a PTY this test drives.  :group_leader runs against an I/O server
  # written here.
  use ExUnit.Case, async: false

  alias Linx.Process, as: P
  alias Linx.Tty
  alias Linx.Tty.Attach

  @pty if File.exists?("/dev/ptmx"), do: false, else: "no /dev/ptmx here"
  @t 240_000

  defp sh(script, opts \\ []),
    do: Keyword.merge([argv: ["/bin/sh", "-c", script], stdio: :pty], opts)

  # ---- arguments --------------------------------------------------------

  test "the detach sequence is matched byte by byte across reads" do
    k = <<16, 17>>
    assert Attach.detach(k, "", "abc") == {:cont, "abc", ""}
    assert Attach.detach(k, "", <<"ab", 16>>) == {:cont, "ab", <<16>>}
    assert Attach.detach(k, <<16>>, <<17, "zz">>) == {:detach, ""}
    assert Attach.detach(k, "", <<"x", 16, 17, "y">>) == {:detach, "x"}
    # a held prefix the next byte does not continue goes out ahead of it
    assert Attach.detach(k, <<16>>, "q") == {:cont, <<16, "q">>, ""}
    assert Attach.detach(k, <<16>>, <<16>>) == {:cont, <<16>>, <<16>>}
    assert Attach.detach(k, <<16>>, <<16, 17>>) == {:detach, <<16>>}
    assert Attach.detach("", "", <<16, 17>>) == {:cont, <<16, 17>>, ""}
    assert Attach.detach("~.", "", "a~b~.") == {:detach, "a~b"}
  end

  test "bad arguments, a session without a PTY, a session that has ended" do
    assert Tty.attach(:stdin, self()) == {:error, {:bad_target, :stdin}}
    assert Tty.attach(:controlling, :nope) == {:error, {:bad_session, :nope}}
    {:ok, c} = P.spawn(argv: ["/bin/true"])
    assert Tty.attach(:controlling, c, detach_key: 7) == {:error, {:bad_detach_key, 7}}
    assert Tty.attach(:controlling, c, [:x]) == {:error, {:bad_options, [:x]}}
    assert Tty.attach(:controlling, c, winsize_poll: 0) == {:error, {:bad_winsize_poll, 0}}
    assert Tty.attach(:controlling, c) == {:error, :no_pty}
    :ok = P.abort(c)
    assert P.wait(c, 10_000) == {:ok, :aborted}
    assert Tty.attach(:group_leader, c) == {:error, :no_process}
    dead = spawn(fn -> :ok end)
    Process.sleep(10)
    assert Tty.attach(:group_leader, dead) == {:error, :no_process}
  end

  # ---- :group_leader, through an I/O server of the test's --------------------

  # An I/O server: answers get_chars from `input` (:eof at its end when
  # `eof?`), sends what is written to `test`, reports a fixed geometry.
  defp fake_gl(test, rows, cols) do
    spawn_link(fn ->
      gl_loop(%{
        test: test,
        input: "",
        eof?: false,
        waiting: nil,
        rows: rows,
        cols: cols,
        opts: []
      })
    end)
  end

  defp gl_loop(st) do
    st = serve_waiting(st)

    receive do
      {:input, b} ->
        gl_loop(%{st | input: st.input <> b})

      :eof ->
        gl_loop(%{st | eof?: true})

      {:geometry, r, c} ->
        gl_loop(%{st | rows: r, cols: c})

      {:io_request, from, ra, req} ->
        gl_loop(request(st, from, ra, req))
    end
  end

  defp serve_waiting(%{waiting: nil} = st), do: st

  defp serve_waiting(%{waiting: {from, ra}, input: <<b, rest::binary>>} = st) do
    send(from, {:io_reply, ra, <<b>>})
    %{st | waiting: nil, input: rest}
  end

  defp serve_waiting(%{waiting: {from, ra}, input: "", eof?: true} = st) do
    send(from, {:io_reply, ra, :eof})
    %{st | waiting: nil}
  end

  defp serve_waiting(st), do: st

  defp request(st, from, ra, {:get_chars, _enc, _prompt, 1}), do: %{st | waiting: {from, ra}}

  defp request(st, from, ra, {:put_chars, _enc, b}) do
    send(st.test, {:gl_out, IO.iodata_to_binary(b)})
    send(from, {:io_reply, ra, :ok})
    st
  end

  defp request(st, from, ra, {:get_geometry, :rows}), do: reply(st, from, ra, st.rows)
  defp request(st, from, ra, {:get_geometry, :columns}), do: reply(st, from, ra, st.cols)
  defp request(st, from, ra, :getopts), do: reply(st, from, ra, echo: true, binary: false)

  defp request(st, from, ra, {:setopts, opts}),
    do: reply(%{st | opts: st.opts ++ opts}, from, ra, :ok)

  defp request(st, from, ra, _), do: reply(st, from, ra, {:error, :request})

  defp reply(st, from, ra, r) do
    send(from, {:io_reply, ra, r})
    st
  end

  defp gl_until(pattern, acc \\ "") do
    if acc =~ pattern do
      acc
    else
      receive do
        {:gl_out, b} -> gl_until(pattern, acc <> b)
      after
        30_000 -> flunk("waiting for #{inspect(pattern)}, got: #{inspect(acc)}")
      end
    end
  end

  defp attach_in_task(gl, session, opts) do
    Task.async(fn ->
      Process.group_leader(self(), gl)
      Tty.attach(:group_leader, session, opts)
    end)
  end

  @tag skip: @pty
  test ":group_leader: both directions, the window size, the exit status" do
    gl = fake_gl(self(), 30, 90)

    # the shell says nothing until the attach has given it a line: what
    # it printed before the attach took its output would go to the owner
    {:ok, s} =
      P.spawn(
        sh("read go; echo ready; read x; echo got:$x; stty size; exit 4",
          auto_proceed: true
        )
      )

    t = attach_in_task(gl, s, winsize_poll: 20)
    send(gl, {:input, "go\r"})
    gl_until(~r/ready/)
    send(gl, {:input, "abc\r"})
    out = gl_until(~r/30 90\r\n/)
    assert out =~ "got:abc"
    assert Task.await(t, 30_000) == {:ok, {:exited, 4}}
  end

  @tag skip: @pty
  test ":group_leader: end of input, then the detach key on a second attach" do
    gl = fake_gl(self(), 24, 80)
    {:ok, s} = P.spawn(sh("echo ready; cat", auto_proceed: true))
    assert_receive {:linx_process, :running}, 30_000
    send(gl, :eof)
    assert Task.await(attach_in_task(gl, s, []), 30_000) == {:error, :gl_eof}
    assert {:ok, %{stage: :running}} = P.info(s)

    gl2 = fake_gl(self(), 24, 80)
    t = attach_in_task(gl2, s, detach_key: "~.")
    send(gl2, {:input, "zz\r"})
    gl_until(~r/zz\r\n/)
    send(gl2, {:input, "~"})
    send(gl2, {:input, ".more"})
    assert Task.await(t, 30_000) == {:ok, :detached}
    assert {:ok, %{stage: :running}} = P.info(s)
    # the events are the owner's again
    :ok = P.pty_write(s, "back\r")
    assert_receive {:linx_process, :pty_out, _}, 10_000
    :ok = P.signal(s, 9)
    assert P.wait(s, 10_000) == {:ok, {:signaled, 9}}
  end

  # ---- :controlling, in an interactive VM on a PTY of the test's -----------

  defp pty_until(pattern, acc \\ "") do
    if acc =~ pattern do
      acc
    else
      receive do
        {:linx_process, :pty_out, b} ->
          pty_until(pattern, acc <> b)

        {:linx_process, :exited, n} ->
          flunk("exited #{n} waiting for #{inspect(pattern)}: #{acc}")
      after
        120_000 -> flunk("waiting for #{inspect(pattern)}, got: #{inspect(acc)}")
      end
    end
  end

  # Twice: with a terminal type the shell edits lines on (OTP 25: user_drv
  # and its tty_sl port) and with TERM=dumb (OTP 25: no line editor, the
  # `user` process's own port on stdin - what the VM lane runs with, where
  # the keystrokes it took went missing before the attach borrowed that
  # port too).  OTP 26+ reads the terminal through prim_tty either way.
  #
  # In the VM lane (TCG emulation) the xterm run failed once in six, and
  # the dumb one once on a loaded host: the line a workload printed just
  # before exiting ("got:one") never reached the terminal.  That race is
  # open (issue 15); the test no longer depends on such a line, but the
  # VM lane has not run the xterm case since, so it still skips it.
  @vm_xterm if System.get_env("LINX_TEST_LANE") == "vm",
              do: "TERM=xterm under TCG: the output race of issue 15, not rerun there yet"

  for term <- ["xterm", "dumb"] do
    @term term
    @tag skip:
           @pty || (System.find_executable("iex") == nil && "no iex here") ||
             (term == "xterm" && @vm_xterm)
    @tag timeout: @t
    test ":controlling from an interactive iex (TERM=#{term}): first keystrokes, detach, resize, restore" do
      attach_from_iex(@term)
    end
  end

  defp attach_from_iex(term) do
    ebin = Path.dirname(:code.which(Linx.Tty))
    script = Path.join(System.tmp_dir!(), "linx-attach-#{System.unique_integer([:positive])}.exs")

    File.write!(script, ~S"""
    {:ok, _} = Application.ensure_all_started(:linx)
    {:ok, pts} = File.read_link("/proc/self/fd/0")
    stty = fn -> elem(System.cmd("stty", ["-g", "-F", pts]), 0) end
    before = stty.()

    run = fn script ->
      {:ok, s} =
        Linx.Process.spawn(argv: ["/bin/sh", "-c", script], stdio: :pty, auto_proceed: true)

      Linx.Tty.attach(:controlling, s, winsize_poll: 50)
    end

    # Each workload checks what it read itself and says so in its exit
    # code (99: the wrong line), rather than by a line printed just before
    # it exits: such a last line went missing twice (issue 15's open race).
    r =
      for {i, word} <- [{1, "one"}, {2, "two"}, {3, "three"}],
          do: run.("echo ready#{i}; read x; [ \"$x\" = #{word} ] && exit #{i}; exit 99")

    d = run.("echo readyD; read x; echo late:$x; exit 9")
    w = run.("echo readyW; read x; [ \"$(stty size)\" = \"41 101\" ] && exit 0; exit 98")
    result = {r, d, w, stty.() == before}
    IO.write("<<<" <> Base.encode64(:erlang.term_to_binary(result)) <> ">>>")
    System.halt()
    """)

    iex = System.find_executable("iex")

    {:ok, c} =
      P.spawn(
        argv: [iex, "-pa", ebin, "-e", "Code.eval_file(#{inspect(script)})"],
        env: ["TERM=#{term}" | for({k, v} <- System.get_env(), k != "TERM", do: "#{k}=#{v}")],
        stdio: :pty
      )

    assert_receive {:linx_process, :ready, _}, 30_000
    :ok = P.pty_set_winsize(c, {24, 80, 0, 0})
    :ok = P.proceed(c)

    # The first bytes typed after each prompt must reach the workload, not
    # the iex driver reading the same terminal.
    # (each prompt is waited for before typing: the next one shows that
    # the workload before it has read its line and ended)
    for {i, word} <- [{1, "one"}, {2, "two"}, {3, "three"}] do
      pty_until(~r/ready#{i}/)
      # a keystroke at a time: each one a fresh chance for a second reader
      for <<b <- word <> "\r">> do
        :ok = P.pty_write(c, <<b>>)
        Process.sleep(20)
      end
    end

    # the detach sequence split over two writes
    pty_until(~r/readyD/)
    :ok = P.pty_write(c, <<16>>)
    Process.sleep(200)
    :ok = P.pty_write(c, <<17>>)

    # a resize of the terminal reaches the attached workload
    pty_until(~r/readyW/)
    :ok = P.pty_set_winsize(c, {41, 101, 0, 0})
    Process.sleep(1_000)
    :ok = P.pty_write(c, "w\r")
    out = pty_until(~r/<<<[A-Za-z0-9+\/=]+>>>/)
    File.rm(script)
    [_, b64] = Regex.run(~r/<<<([A-Za-z0-9+\/=]+)>>>/, out)
    {r, d, w, restored?} = :erlang.binary_to_term(Base.decode64!(b64))
    assert r == [{:ok, {:exited, 1}}, {:ok, {:exited, 2}}, {:ok, {:exited, 3}}]
    assert d == {:ok, :detached}
    assert w == {:ok, {:exited, 0}}
    assert restored?
    refute out =~ "late:"
    assert P.wait(c, 60_000) == {:ok, {:exited, 0}}
  end

  test "the SSH guard: a group leader under Erlang's SSH daemon is refused" do
    # a stand-in group leader whose ancestors name sshd_sup
    gl =
      spawn(fn ->
        Process.put(:"$ancestors", [:sshd_sup])
        receive do: (:stop -> :ok)
      end)

    Process.sleep(10)
    assert Attach.over_ssh?(gl)
    refute Attach.over_ssh?(Process.group_leader())
    {:ok, s} = P.spawn(sh("cat"))

    t =
      Task.async(fn ->
        Process.group_leader(self(), gl)
        Tty.attach(:controlling, s)
      end)

    assert Task.await(t) == {:error, :no_local_tty}
    send(gl, :stop)
    :ok = P.abort(s)
  end
end
