defmodule Linx.Sysctl.Entry do
  @moduledoc """
  One sysctl found by `Linx.Sysctl.list/0,1,2`: its dot-form `:key` and its
  `:value`, the file's contents without the kernel's trailing newline.

  Both fields are always set.  An entry inspects compactly, with values
  longer than 60 bytes cut short (the struct keeps the whole value):

      iex> %Linx.Sysctl.Entry{key: "net.ipv4.ip_forward", value: "0"}
      #Linx.Sysctl.Entry<net.ipv4.ip_forward = "0">
  """

  @enforce_keys [:key, :value]
  defstruct [:key, :value]

  @type t() :: %__MODULE__{key: String.t(), value: binary()}

  defimpl Inspect do
    @limit 60

    def inspect(%Linx.Sysctl.Entry{key: key, value: value}, _opts)
        when is_binary(key) and is_binary(value) do
      shown = if byte_size(value) > @limit, do: cut(value) <> "...", else: value
      "#Linx.Sysctl.Entry<#{key} = #{Kernel.inspect(shown)}>"
    end

    def inspect(entry, opts), do: Inspect.Any.inspect(entry, opts)

    # The first 60 bytes, backing off so as not to split a UTF-8 sequence.
    defp cut(value) do
      prefix = binary_part(value, 0, @limit)
      back_off(prefix, byte_size(prefix))
    end

    defp back_off(prefix, 0), do: prefix

    defp back_off(prefix, n) do
      candidate = binary_part(prefix, 0, n)

      if String.valid?(candidate) or n <= @limit - 3,
        do: candidate,
        else: back_off(prefix, n - 1)
    end
  end
end
