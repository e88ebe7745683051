defmodule Linx.User.Error do
  @moduledoc """
  A user-namespace file the kernel would not let Linx read or write.

    * `:path` - the procfs file (`/proc/<pid>/uid_map`, `gid_map`,
      `setgroups`);
    * `:operation` - `:set_uid_map`, `:set_gid_map`, `:deny_setgroups`,
      `:read_uid_map` or `:read_gid_map`;
    * `:errno` - the errno as an atom (`:eperm`, `:enoent`, `:einval`...);
    * `:code` - its number, or `nil` for a name outside the errno table.

  Mistakes in the arguments never come as this struct: they are
  `{:error, {:bad_map, reason}}` (and `{:bad_setgroups, value}` from
  `Linx.User.setup_maps/2`).

      iex> err = Linx.User.Error.from_posix(:eperm, "/proc/1/uid_map", :set_uid_map)
      iex> Exception.message(err)
      "user set_uid_map failed on /proc/1/uid_map: eperm (errno 1)"
  """

  @enforce_keys [:path, :operation, :errno, :code]
  defexception @enforce_keys

  @type operation() ::
          :set_uid_map | :set_gid_map | :deny_setgroups | :read_uid_map | :read_gid_map

  @type t() :: %__MODULE__{
          code: pos_integer() | nil,
          errno: atom(),
          operation: operation(),
          path: Path.t()
        }

  @doc """
  Builds an error from an errno atom, the procfs path and the operation;
  `:code` comes from the errno table (`nil` for an unknown name).
  """
  @spec from_posix(atom(), Path.t(), operation()) :: t()
  def from_posix(errno, path, operation) do
    %__MODULE__{path: path, operation: operation, errno: errno, code: Linx.Errno.code(errno)}
  end

  @impl true
  def message(%__MODULE__{} = e) do
    code = if e.code, do: " (errno #{e.code})", else: ""
    "user #{e.operation} failed on #{e.path}: #{e.errno}#{code}"
  end
end
