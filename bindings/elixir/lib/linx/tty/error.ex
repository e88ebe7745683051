defmodule Linx.Tty.Error do
  @moduledoc """
  A terminal syscall that failed in `Linx.Tty`: `open(2)`, `tcgetattr(3)`,
  `tcsetattr(3)`, `ioctl(2)` or `close(2)`.

    * `:operation` - `:open`, `:tcgetattr`, `:tcsetattr`, `:ioctl`, `:close`;
    * `:errno` - the errno as an atom (`:enxio`, `:enotty`...), `:unknown`
      for one outside the table;
    * `:code` - the errno number, or `nil` when `:errno` has no number.

  The conditions of `Linx.Tty.attach/3` that are not syscall failures
  (`:no_local_tty`, `:no_process`, `:gl_eof`) stay bare atoms.

      iex> Exception.message(Linx.Tty.Error.from_nif(:open, :enxio))
      "tty open failed: enxio (errno 6)"
  """

  @enforce_keys [:operation, :errno, :code]
  defexception @enforce_keys

  @type t() :: %__MODULE__{
          code: pos_integer() | nil,
          errno: atom(),
          operation: atom()
        }

  @doc """
  Builds an error from a `{stage, errno}` pair, `errno` being an atom or a
  raw number.
  """
  @spec from_nif(atom(), atom() | integer()) :: t()
  def from_nif(stage, errno) when is_integer(errno) do
    %__MODULE__{operation: stage, errno: Linx.Errno.name(errno), code: errno}
  end

  def from_nif(stage, errno) when is_atom(errno) do
    %__MODULE__{operation: stage, errno: errno, code: Linx.Errno.code(errno)}
  end

  @impl true
  def message(%__MODULE__{operation: op, errno: errno, code: nil}),
    do: "tty #{op} failed: #{errno}"

  def message(%__MODULE__{operation: op, errno: errno, code: code}),
    do: "tty #{op} failed: #{errno} (errno #{code})"
end
