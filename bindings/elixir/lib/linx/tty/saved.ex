defmodule Linx.Tty.Saved do
  @moduledoc """
  A saved terminal state, as `Linx.Tty.open_controlling_raw/0` returns it.

  Opaque: the bytes inside are the C plugin's copy of the `termios` and
  the identity of the terminal it came from.  Hand it back, unchanged, to
  `Linx.Tty.restore_and_close/2`.
  """

  @enforce_keys [:termios]
  defstruct @enforce_keys

  @opaque t() :: %__MODULE__{termios: binary()}

  defimpl Inspect do
    def inspect(%{termios: t}, _opts), do: "#Linx.Tty.Saved<#{byte_size(t)} bytes>"
  end
end
