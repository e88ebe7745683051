defmodule Linx.Seccomp.Error do
  @moduledoc """
  A seccomp failure that is not one of the tagged build errors.

    * `:operation` - `:build` (a filter the plugin could not build for a
      reason other than a bad rule, such as `:e2big` or `:enomem`),
      `:install` or `:set_no_new_privs` (the kernel refused the filter in
      the child; `from_process_error/1` makes one from the session's
      `{:linx_process, :error, errno, stage}`);
    * `:errno` - the errno as an atom;
    * `:code` - its number, `nil` for a name outside the errno table.

      iex> Exception.message(Linx.Seccomp.Error.from_posix(:eperm, :install))
      "seccomp install failed: eperm (errno 1)"
  """

  @enforce_keys [:operation, :errno, :code]
  defexception @enforce_keys

  @type operation() :: :build | :install | :set_no_new_privs

  @type t() :: %__MODULE__{
          code: pos_integer() | nil,
          errno: atom(),
          operation: operation()
        }

  @doc "Builds an error from an errno atom and the operation that failed."
  @spec from_posix(atom(), operation()) :: t()
  def from_posix(errno, operation) do
    %__MODULE__{operation: operation, errno: errno, code: Linx.Errno.code(errno)}
  end

  @doc """
  The error of a session's `:seccomp_install` or `:seccomp_no_new_privs`
  failure (the integer errno and the stage of the `:error` event), or
  `nil` for another stage.
  """
  @spec from_process_error(integer(), atom()) :: t() | nil
  def from_process_error(errno, :seccomp_install) when is_integer(errno),
    do: from_posix(Linx.Errno.name(errno), :install)

  def from_process_error(errno, :seccomp_no_new_privs) when is_integer(errno),
    do: from_posix(Linx.Errno.name(errno), :set_no_new_privs)

  def from_process_error(_errno, _stage), do: nil

  @impl true
  def message(%__MODULE__{} = e) do
    code = if e.code, do: " (errno #{e.code})", else: ""
    "seccomp #{e.operation} failed: #{e.errno}#{code}"
  end
end
