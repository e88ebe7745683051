defmodule Linx.Capabilities.Error do
  @moduledoc """
  A failed read of a process's capability sets (`Linx.Capabilities.read/1`).

    * `:path` - the file read, `/proc/<pid>/status`;
    * `:operation` - `:read`;
    * `:errno` - the errno as an atom (`:enoent` for a pid that is gone,
      `:eacces`...), or `:bad_status` when the file lacked the `Cap*:`
      lines;
    * `:code` - the errno number, `nil` for `:bad_status`.

  The checkpoint-bound writes do not use it: their kernel failures end the
  session with `{:linx_process, :error, errno, stage}`.

      iex> err = Linx.Capabilities.Error.from_posix(:enoent, "/proc/9/status", :read)
      iex> Exception.message(err)
      "capabilities read failed on /proc/9/status: enoent (errno 2)"
  """

  @enforce_keys [:path, :operation, :errno, :code]
  defexception @enforce_keys

  @type operation() :: :read

  @type t() :: %__MODULE__{
          code: pos_integer() | nil,
          errno: atom(),
          operation: operation(),
          path: Path.t()
        }

  @doc """
  Builds an error from an errno atom, the path and the operation; `:code`
  comes from the errno table (`nil` for `:bad_status` and unknown names).
  """
  @spec from_posix(atom(), Path.t(), operation()) :: t()
  def from_posix(errno, path, operation) do
    code = if errno == :bad_status, do: nil, else: Linx.Errno.code(errno)
    %__MODULE__{path: path, operation: operation, errno: errno, code: code}
  end

  @impl true
  def message(%__MODULE__{} = e) do
    code = if e.code, do: " (errno #{e.code})", else: ""
    "capabilities #{e.operation} failed on #{e.path}: #{e.errno}#{code}"
  end
end
