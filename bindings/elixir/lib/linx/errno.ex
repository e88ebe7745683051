defmodule Linx.Errno do
  @moduledoc """
  Errno names and numbers, from the Linx core's table (every Linux errno,
  `include/uapi/asm-generic/errno-base.h` and `errno.h`).

  The names are the lower-case atoms Erlang's `:file` functions use
  (`:enoent`, `:eacces`); numbers are the machine's own.
  """

  @doc """
  The number of errno `name`, or `nil` if the table has no such name.

      iex> Linx.Errno.code(:enoent)
      2
  """
  @spec code(atom()) :: pos_integer() | nil
  def code(name) when is_atom(name), do: Linx.Native.errno_code(name)
  def code(_), do: nil

  @doc """
  The name of errno number `code`, or `:unknown`.

      iex> Linx.Errno.name(13)
      :eacces
  """
  @spec name(integer()) :: atom()
  def name(code) when is_integer(code), do: Linx.Native.errno_name(code)
  def name(_), do: :unknown
end
