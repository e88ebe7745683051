defmodule Linx.Process.Info do
  @moduledoc """
  A snapshot of a `Linx.Process` session's state, returned by
  `Linx.Process.info/1` (one `GenServer.call` on the session).

    * `:mode` - `:spawn` (from `Linx.Process.spawn/1`) or `:enter` (from
      `Linx.Process.enter/2`);
    * `:stage` - the lifecycle stage, below;
    * `:host_pid` - the workload's pid as the host sees it; `nil` before
      the agent's `spawned` event;
    * `:child_pid` - the workload's own view of its pid (1 in a fresh pid
      namespace); `nil` before `:ready`;
    * `:pty?` - whether the session was started with `stdio: :pty`;
    * `:result` - the terminal result once there is one (`{:exited, code}`,
      `{:signaled, signum}`, `:aborted` or `{:error, %Linx.Process.Error{}}`),
      else `nil`.

  ## Stages

  Pre-terminal: `:starting` (no host pid yet), `:spawned` (host pid known,
  checkpoint not reached), `:ready` (parked, awaiting `proceed/1` or
  `abort/1`), `:running` (the workload has execve'd).  Terminal:
  `:exited`, `:signaled`, `:aborted`, `:errored`.

  ## Inspect

      #Linx.Process.Info<spawn :ready host=12345>
      #Linx.Process.Info<enter :exited(0) host=12345>
      #Linx.Process.Info<spawn :errored(execve/2) host=12345>

      iex> inspect(%Linx.Process.Info{mode: :spawn, stage: :signaled, host_pid: 7,
      ...>   child_pid: 7, result: {:signaled, 9}})
      "#Linx.Process.Info<spawn :signaled(9) host=7>"
  """

  @enforce_keys [:mode, :stage]
  defstruct mode: :spawn,
            stage: :starting,
            host_pid: nil,
            child_pid: nil,
            pty?: false,
            result: nil

  @type mode() :: :spawn | :enter
  @type stage() ::
          :starting | :spawned | :ready | :running | :exited | :signaled | :aborted | :errored
  @type result() ::
          nil
          | {:exited, non_neg_integer()}
          | {:signaled, pos_integer()}
          | :aborted
          | {:error, Linx.Process.Error.t()}
  @type t() :: %__MODULE__{
          child_pid: pos_integer() | nil,
          host_pid: pos_integer() | nil,
          mode: mode(),
          pty?: boolean(),
          result: result(),
          stage: stage()
        }

  defimpl Inspect do
    def inspect(%Linx.Process.Info{} = i, _opts) do
      host = if i.host_pid, do: " host=#{i.host_pid}", else: ""
      pty = if i.pty?, do: " pty", else: ""
      "#Linx.Process.Info<#{i.mode} #{stage(i)}#{host}#{pty}>"
    end

    defp stage(%{stage: :exited, result: {:exited, code}}), do: ":exited(#{code})"
    defp stage(%{stage: :signaled, result: {:signaled, n}}), do: ":signaled(#{n})"

    defp stage(%{stage: :errored, result: {:error, %Linx.Process.Error{stage: s, code: c}}}),
      do: ":errored(#{s}/#{c})"

    defp stage(%{stage: s}), do: inspect(s)
  end
end
