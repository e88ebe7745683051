defmodule Linx.Process.Error do
  @moduledoc """
  A pre-exec or transport-level failure from a `Linx.Process` session.

  Stored as the session's terminal result and returned by
  `Linx.Process.wait/1` (and shown by `Linx.Process.info/1`) as
  `{:error, %Linx.Process.Error{}}`.  The owner receives the same failure
  as the positional event `{:linx_process, :error, errno, stage}`, where
  `errno` is the raw integer.

    * `:stage` - the step that failed (`:execve`, `:chdir`, `:clone`,
      `:setns_net`, ...), see the stage table in `Linx.Process`; `:unknown`
      for a stage name this binding does not know;
    * `:errno` - the POSIX errno as an atom (`:enoent`, `:einval`, ...),
      `:unknown` for one outside the table;
    * `:code` - the raw integer: the kernel errno, except for
      `stage: :agent_died`, where it is the agent's exit status (and
      `:errno` is `:unknown`).

  It is an exception, so it can be raised or rendered:

      iex> err = Linx.Process.Error.from_agent(2, :execve)
      iex> Exception.message(err)
      "process execve failed: enoent (errno 2)"
      iex> Exception.message(Linx.Process.Error.from_agent(137, :agent_died))
      "process agent died (exit status 137)"
  """

  @enforce_keys [:stage, :errno, :code]
  defexception @enforce_keys

  @type t() :: %__MODULE__{
          code: integer() | nil,
          errno: atom(),
          stage: atom()
        }

  @doc """
  Builds an error from the agent's integer code and the stage atom.  For
  ordinary stages `code` is a kernel errno and `:errno` its POSIX name (or
  `:unknown`); for `:agent_died` `code` is the agent's exit status, so
  `:errno` is `:unknown`.
  """
  @spec from_agent(integer(), atom()) :: t()
  def from_agent(code, :agent_died),
    do: %__MODULE__{stage: :agent_died, errno: :unknown, code: code}

  def from_agent(code, stage) when is_atom(stage) do
    %__MODULE__{stage: stage, errno: Linx.Errno.name(code), code: code}
  end

  @impl true
  def message(%__MODULE__{stage: :agent_died, code: code}) do
    "process agent died (exit status #{code})"
  end

  def message(%__MODULE__{} = e) do
    code = if e.code, do: " (errno #{e.code})", else: ""
    "process #{e.stage} failed: #{e.errno}#{code}"
  end
end
