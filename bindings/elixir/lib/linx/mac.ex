defmodule Linx.MAC do
  @moduledoc """
  A 48-bit MAC (link-layer) address.

      iex> Linx.MAC.parse("00:11:22:33:44:55")
      {:ok, %Linx.MAC{bytes: <<0, 17, 34, 51, 68, 85>>}}

  ## The `~MAC` sigil

  `import Linx.MAC` and write `~MAC"02:aa:bb:cc:dd:ee"`; the literal is
  parsed at compile time and a malformed one is a compile error.  As with
  `~IP`, Elixir 1.14 cannot tokenize a multi-letter sigil: there, write
  `sigil_MAC("02:aa:bb:cc:dd:ee", [])`.

  ## Inspect

  A MAC inspects as the sigil that builds it, `~MAC"02:aa:bb:cc:dd:ee"`.

  ## Wire form

  `encode/1` gives the 6 raw bytes netlink carries; `decode/1` reads them.
  """

  @enforce_keys [:bytes]
  defstruct [:bytes]

  @type t() :: %__MODULE__{bytes: <<_::48>>}

  @doc """
  Parses six colon-separated pairs of hex digits (either case).

      iex> Linx.MAC.parse("02:AA:bb:cc:dd:ee") |> elem(1) |> Linx.MAC.to_string()
      "02:aa:bb:cc:dd:ee"

      iex> Linx.MAC.parse("02:aa:bb:cc:dd")
      {:error, {:bad_mac, "02:aa:bb:cc:dd"}}
  """
  @spec parse(binary()) :: {:ok, t()} | {:error, term()}
  def parse(string) when is_binary(string) do
    with parts when length(parts) == 6 <- String.split(string, ":"),
         {:ok, bytes} <- octets(parts, <<>>) do
      {:ok, %__MODULE__{bytes: bytes}}
    else
      _ -> {:error, {:bad_mac, string}}
    end
  end

  def parse(other), do: {:error, {:bad_mac, other}}

  defp octets([], acc), do: {:ok, acc}

  defp octets([<<a, b>> | rest], acc) do
    with {:ok, hi} <- hex(a), {:ok, lo} <- hex(b) do
      octets(rest, <<acc::binary, hi * 16 + lo>>)
    end
  end

  defp octets(_, _), do: :error

  defp hex(c) when c in ?0..?9, do: {:ok, c - ?0}
  defp hex(c) when c in ?a..?f, do: {:ok, c - ?a + 10}
  defp hex(c) when c in ?A..?F, do: {:ok, c - ?A + 10}
  defp hex(_), do: :error

  @doc """
  The `~MAC` sigil: builds a `Linx.MAC` at compile time.  A malformed
  literal raises `ArgumentError` while compiling.
  """
  defmacro sigil_MAC(term, modifiers)

  defmacro sigil_MAC({:<<>>, _meta, [string]}, modifiers) when is_binary(string) do
    Macro.escape(from_sigil!(string, modifiers))
  end

  defmacro sigil_MAC(string, modifiers) when is_binary(string) do
    Macro.escape(from_sigil!(string, modifiers))
  end

  @doc false
  def from_sigil!(string, modifiers) do
    if modifiers != [] do
      raise ArgumentError, "~MAC takes no modifiers, got: #{inspect(modifiers)}"
    end

    case parse(string) do
      {:ok, mac} -> mac
      {:error, _} -> raise ArgumentError, "invalid MAC address: #{inspect(string)}"
    end
  end

  @doc "Renders a MAC as six colon-separated lower-case hex pairs."
  @spec to_string(t()) :: binary()
  def to_string(%__MODULE__{bytes: <<_::48>> = bytes}) do
    for(<<b <- bytes>>, do: b |> Integer.to_string(16) |> String.pad_leading(2, "0"))
    |> Enum.join(":")
    |> String.downcase()
  end

  @doc "The 6 raw bytes (the netlink wire form)."
  @spec encode(t()) :: <<_::48>>
  def encode(%__MODULE__{bytes: <<_::48>> = bytes}), do: bytes

  @doc "A MAC from its 6 raw bytes."
  @spec decode(<<_::48>>) :: t()
  def decode(<<_::48>> = bytes), do: %__MODULE__{bytes: bytes}

  def decode(other),
    do: raise(ArgumentError, "a MAC address is 6 bytes, got: #{inspect(other)}")

  defimpl String.Chars do
    def to_string(mac), do: Linx.MAC.to_string(mac)
  end

  defimpl Inspect do
    def inspect(%Linx.MAC{bytes: <<_::48>>} = mac, _opts) do
      ~s(~MAC") <> Linx.MAC.to_string(mac) <> ~s(")
    end

    def inspect(mac, opts), do: Inspect.Any.inspect(mac, opts)
  end
end
