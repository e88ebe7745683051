defmodule Linx.Cgroup.Error do
  @moduledoc """
  A cgroup operation the kernel refused.

    * `:path` - the file or directory acted on (a cgroup directory, or an
      interface file such as `<cgroup>/memory.max`);
    * `:operation` - `:create`, `:destroy`, `:read`, `:write`,
      `:add_process` or `:stats` (the typed setters, `freeze/1` and
      `thaw/1` write interface files and report `:write`);
    * `:errno` - the errno as an atom (`:enoent`, `:ebusy`...), `:unknown`
      for one outside the table;
    * `:code` - the errno number, or `nil` when `:errno` has no number.

  Match on `:errno` and `:operation`:

      case Linx.Cgroup.destroy(cg) do
        :ok -> :ok
        {:error, %Linx.Cgroup.Error{errno: :ebusy}} -> :still_has_processes
      end

  It is an exception, so it can be raised or rendered:

      iex> err = Linx.Cgroup.Error.from_posix(:eexist, "/sys/fs/cgroup/x", :create)
      iex> Exception.message(err)
      "cgroup create failed on /sys/fs/cgroup/x: eexist (errno 17)"
  """

  @enforce_keys [:path, :operation, :errno, :code]
  defexception @enforce_keys

  @type operation() :: :create | :destroy | :read | :write | :add_process | :stats

  @type t() :: %__MODULE__{
          code: pos_integer() | nil,
          errno: atom(),
          operation: operation(),
          path: Path.t()
        }

  @doc """
  Builds an error from an errno atom, the path and the operation; `:code`
  is looked up from the errno table (`nil` for a name it does not have).
  """
  @spec from_posix(atom(), Path.t(), operation()) :: t()
  def from_posix(errno, path, operation) do
    %__MODULE__{path: path, operation: operation, errno: errno, code: Linx.Errno.code(errno)}
  end

  @impl true
  def message(%__MODULE__{} = e) do
    code = if e.code, do: " (errno #{e.code})", else: ""
    "cgroup #{e.operation} failed on #{e.path}: #{e.errno}#{code}"
  end
end
