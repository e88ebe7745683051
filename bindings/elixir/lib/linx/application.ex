defmodule Linx.Application do
  @moduledoc false
  # The :linx application: supervises the process that owns the checkpoint
  # agent's Port (Linx.Process.Agent), which starts the agent on first use.

  use Application

  @impl true
  def start(_type, _args) do
    Supervisor.start_link([Linx.Process.Agent], strategy: :one_for_one, name: Linx.Supervisor)
  end
end
