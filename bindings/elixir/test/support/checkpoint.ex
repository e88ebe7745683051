defmodule LinxTest.Checkpoint do
  @moduledoc false
  # Helpers for the checkpoint tests (User, Capabilities, Seccomp): wait
  # for a session's events on the same time scale as process_test.exs
  # (longer in the VM lane), and collect what a PTY workload prints, in
  # however many chunks it arrives, up to its terminal event.

  import ExUnit.Assertions

  def t, do: if(System.get_env("LINX_TEST_LANE") == "vm", do: 60_000, else: 10_000)

  def ready! do
    assert_receive {:linx_process, :ready, host_pid}, t()
    host_pid
  end

  @doc "Proceeds `c` and returns {output, terminal event}."
  def run!(c) do
    assert :ok = Linx.Process.proceed(c)
    finish!()
  end

  @doc "The PTY output and the terminal event of the session owned here."
  def finish!(acc \\ []) do
    receive do
      {:linx_process, :pty_out, data} -> finish!([acc, data])
      {:linx_process, :running} -> finish!(acc)
      {:linx_process, :ready, _} -> finish!(acc)
      {:linx_process, kind, _} = m when kind in [:exited, :signaled] -> {out(acc), m}
      {:linx_process, :aborted} = m -> {out(acc), m}
      {:linx_process, :error, _, _} = m -> {out(acc), m}
    after
      t() -> flunk("no terminal event; output so far: #{inspect(out(acc))}")
    end
  end

  # The PTY turns "\n" into "\r\n".
  defp out(acc), do: acc |> IO.iodata_to_binary() |> String.replace("\r\n", "\n")

  @doc "A field of a /proc/<pid>/status text."
  def status_field(text, name) do
    case Regex.run(~r/^#{name}:\s*(\S+)/m, text) do
      [_, v] -> v
      _ -> flunk("no #{name}: in #{inspect(text)}")
    end
  end

  def hex(text, name), do: text |> status_field(name) |> String.to_integer(16)
end
