defmodule Linx.Mount.Error do
  @moduledoc """
  A mount operation the kernel refused, or a namespace it could not reach.

    * `:path` - the path the operation targeted (the target of `mount/4`,
      `umount/2`, the new root of `pivot_root/3`...);
    * `:operation` - `:mount`, `:umount`, `:pivot_root` (the syscall
      itself); `:open_ns`, `:unshare`, `:setns`, `:chdir`, `:thread` (the
      cross-namespace steps of `:in`); `:create` (the `:create`
      placeholder); `:open_pidns`, `:setns_pid`, `:pipe`, `:fork` (a proc
      mount made inside another pid namespace);
    * `:errno` - the errno as an atom (`:enoent`, `:ebusy`, `:eloop`...),
      `:unknown` for one outside the table;
    * `:code` - the errno number, or `nil` when `:errno` has no number.

  A target that goes through a symlink is refused with `errno: :eloop`
  (Linx never follows symlinks in a mount target), one that leaves its
  `:root` with `:exdev`.

      case Linx.Mount.mount("tmpfs", "/mnt/x", "tmpfs") do
        :ok -> :ok
        {:error, %Linx.Mount.Error{errno: :eperm}} -> :no_privilege
      end

  It is an exception, so it can be raised or rendered:

      iex> err = Linx.Mount.Error.from_posix(:ebusy, "/mnt/x", :umount)
      iex> Exception.message(err)
      "mount umount failed on /mnt/x: ebusy (errno 16)"
  """

  @enforce_keys [:path, :operation, :errno, :code]
  defexception @enforce_keys

  @type operation() ::
          :mount
          | :umount
          | :pivot_root
          | :open_ns
          | :unshare
          | :setns
          | :chdir
          | :thread
          | :create
          | :open_pidns
          | :setns_pid
          | :pipe
          | :fork

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
    "mount #{e.operation} failed on #{e.path}: #{e.errno}#{code}"
  end
end
