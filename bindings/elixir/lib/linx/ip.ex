defmodule Linx.IP do
  @moduledoc """
  An IPv4 or IPv6 address.

  A `%Linx.IP{}` holds the address in network byte order (4 or 16 bytes)
  and its family:

      iex> Linx.IP.parse("10.0.0.5")
      {:ok, %Linx.IP{bytes: <<10, 0, 0, 5>>, family: :inet}}

  ## The `~IP` sigil

  `import Linx.IP` and write addresses, or subnets when the literal has a
  `/`, as `~IP"10.0.0.5"` and `~IP"10.0.0.0/24"`.  The literal is parsed
  when the code is compiled, so a malformed one is a compile error rather
  than something that reaches the kernel.

  Multi-letter sigils need Elixir 1.15 or later.  On Elixir 1.14 the
  tokenizer cannot read `~IP"..."`; call the macro by name instead, which
  is equally checked at compile time: `sigil_IP("10.0.0.5", [])`.

  ## Inspect

  An address inspects as the sigil that builds it, `~IP"10.0.0.5"`, so
  output pasted back into code gives the same value.  Text rendering
  is that of `inet_ntop(3)`, which `ip(8)` prints with (lower case, the
  longest run of zero groups compressed, RFC 5952): `fc00::1`, not
  `fc00:0:0:0:0:0:0:1`.

  ## Wire form

  `encode/1` and `decode/1` convert to and from the raw bytes (4 for IPv4,
  16 for IPv6) that netlink attributes carry; the family follows from the
  length.
  """

  @enforce_keys [:bytes, :family]
  defstruct [:bytes, :family]

  @type family() :: :inet | :inet6
  @type t() :: %__MODULE__{bytes: binary(), family: family()}

  @doc """
  Parses an IPv4 (dotted quad) or IPv6 address.

      iex> Linx.IP.parse("fc00::1") |> elem(1) |> Linx.IP.to_string()
      "fc00::1"

      iex> Linx.IP.parse("10.0.0.256")
      {:error, {:bad_address, "10.0.0.256"}}
  """
  @spec parse(binary()) :: {:ok, t()} | {:error, term()}
  def parse(string) when is_binary(string) do
    # :inet would accept a zone ("fe80::1%eth0") and drop it silently.
    with false <- String.contains?(string, "%"),
         true <- String.valid?(string),
         {:ok, tuple} <- :inet.parse_strict_address(String.to_charlist(string)) do
      {:ok, from_tuple(tuple)}
    else
      _ -> {:error, {:bad_address, string}}
    end
  end

  def parse(other), do: {:error, {:bad_address, other}}

  @doc """
  The `~IP` sigil: builds a `Linx.IP`, or a `Linx.IP.Subnet` when the
  literal contains `/`, at compile time.  A malformed literal raises
  `ArgumentError` while compiling.
  """
  defmacro sigil_IP(term, modifiers)

  defmacro sigil_IP({:<<>>, _meta, [string]}, modifiers) when is_binary(string) do
    Macro.escape(from_sigil!(string, modifiers))
  end

  defmacro sigil_IP(string, modifiers) when is_binary(string) do
    Macro.escape(from_sigil!(string, modifiers))
  end

  @doc false
  def from_sigil!(string, modifiers) do
    if modifiers != [] do
      raise ArgumentError, "~IP takes no modifiers, got: #{inspect(modifiers)}"
    end

    result =
      if String.contains?(string, "/"), do: Linx.IP.Subnet.parse(string), else: parse(string)

    case result do
      {:ok, value} -> value
      {:error, _} -> raise ArgumentError, "invalid IP address or subnet: #{inspect(string)}"
    end
  end

  @doc """
  Renders an address as text: dotted quad for IPv4, canonical compressed
  form for IPv6.

      iex> {:ok, ip} = Linx.IP.parse("2001:DB8:0:0:0:0:0:1")
      iex> Linx.IP.to_string(ip)
      "2001:db8::1"
  """
  @spec to_string(t()) :: binary()
  def to_string(%__MODULE__{family: family, bytes: bytes}), do: ntop(family, bytes)

  defp ntop(:inet, <<_::32>> = bytes),
    do: Enum.map_join(:binary.bin_to_list(bytes), ".", &Integer.to_string/1)

  defp ntop(:inet6, bytes) do
    words = for <<w::16 <- bytes>>, do: w
    <<_::96, v4::binary-size(4)>> = bytes

    # The rules of inet_ntop(3) (glibc resolv/inet_ntop.c), which ip(8)
    # and the other tools print with: the longest run of two or more zero
    # groups becomes "::" (the first of equal runs), and an address whose
    # first 96 bits are zero, or ::ffff:0:0/96 (IPv4-mapped), ends in
    # dotted decimal.  (:inet.ntoa/1 is not used: it reads the second group
    # of fe80::/10 addresses as a scope id.)
    mapped? = Enum.at(words, 5) == 0xFFFF

    case zero_run(words) do
      {0, 6} ->
        "::" <> ntop(:inet, v4)

      {0, 5} when mapped? ->
        "::ffff:" <> ntop(:inet, v4)

      {_, 0} ->
        hex_groups(words)

      {at, len} ->
        hex_groups(Enum.take(words, at)) <> "::" <> hex_groups(Enum.drop(words, at + len))
    end
  end

  defp hex_groups(words),
    do: Enum.map_join(words, ":", &Integer.to_string(&1, 16)) |> String.downcase()

  # {start, length} of the first longest run of at least two zero groups,
  # or {0, 0}.
  defp zero_run(words) do
    {best, _} =
      words
      |> Enum.with_index()
      |> Enum.reduce({{0, 0}, nil}, fn
        {0, i}, {best, nil} -> {longer(best, {i, 1}), i}
        {0, i}, {best, start} -> {longer(best, {start, i - start + 1}), start}
        {_, _}, {best, _} -> {best, nil}
      end)

    case best do
      {_, len} when len < 2 -> {0, 0}
      run -> run
    end
  end

  defp longer({_, best_len} = best, {_, len} = run), do: if(len > best_len, do: run, else: best)

  @doc "The address as an `:inet` tuple (`{10, 0, 0, 5}`)."
  @spec to_tuple(t()) :: :inet.ip_address()
  def to_tuple(%__MODULE__{family: :inet, bytes: <<a, b, c, d>>}), do: {a, b, c, d}

  def to_tuple(%__MODULE__{
        family: :inet6,
        bytes: <<a::16, b::16, c::16, d::16, e::16, f::16, g::16, h::16>>
      }),
      do: {a, b, c, d, e, f, g, h}

  @doc "An address from an `:inet` tuple."
  @spec from_tuple(:inet.ip_address()) :: t()
  def from_tuple({a, b, c, d} = t) when tuple_size(t) == 4,
    do: %__MODULE__{family: :inet, bytes: <<a, b, c, d>>}

  def from_tuple({a, b, c, d, e, f, g, h}),
    do: %__MODULE__{
      family: :inet6,
      bytes: <<a::16, b::16, c::16, d::16, e::16, f::16, g::16, h::16>>
    }

  @doc "The raw bytes of the address (the netlink wire form)."
  @spec encode(t()) :: binary()
  def encode(%__MODULE__{bytes: bytes}), do: bytes

  @doc "An address from its raw bytes: 4 for IPv4, 16 for IPv6."
  @spec decode(binary()) :: t()
  def decode(<<_::32>> = bytes), do: %__MODULE__{family: :inet, bytes: bytes}
  def decode(<<_::128>> = bytes), do: %__MODULE__{family: :inet6, bytes: bytes}

  def decode(other),
    do: raise(ArgumentError, "an IP address is 4 or 16 bytes, got: #{inspect(other)}")

  @doc false
  def valid?(%__MODULE__{family: :inet, bytes: <<_::32>>}), do: true
  def valid?(%__MODULE__{family: :inet6, bytes: <<_::128>>}), do: true
  def valid?(_), do: false

  defimpl String.Chars do
    def to_string(ip), do: Linx.IP.to_string(ip)
  end

  defimpl Inspect do
    def inspect(ip, opts) do
      if Linx.IP.valid?(ip) do
        ~s(~IP") <> Linx.IP.to_string(ip) <> ~s(")
      else
        Inspect.Any.inspect(ip, opts)
      end
    end
  end
end
