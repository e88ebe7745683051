defmodule Linx.IP.Subnet do
  @moduledoc """
  An IPv4 or IPv6 subnet: an address and a prefix length, written in CIDR
  notation (`"10.0.0.0/24"`, `"fc00::/16"`).

  The address is kept as written, host bits included, so `~IP"10.0.42.5/24"`
  names both a host and its network; `network/1` and `broadcast/1` derive
  the rest:

      iex> {:ok, net} = Linx.IP.Subnet.parse("10.0.42.5/24")
      iex> Linx.IP.Subnet.network(net) |> to_string()
      "10.0.42.0"
      iex> Linx.IP.Subnet.broadcast(net) |> to_string()
      "10.0.42.255"

  A subnet inspects as the `~IP` literal that builds it (see `Linx.IP`).
  """

  alias Linx.IP

  @enforce_keys [:address, :prefix]
  defstruct [:address, :prefix]

  @type t() :: %__MODULE__{address: IP.t(), prefix: 0..128}

  @doc """
  Parses a CIDR string.

      iex> Linx.IP.Subnet.parse("10.0.0.0/33")
      {:error, {:bad_subnet, "10.0.0.0/33"}}
  """
  @spec parse(binary()) :: {:ok, t()} | {:error, term()}
  def parse(string) when is_binary(string) do
    with [addr, len] <- String.split(string, "/"),
         {:ok, ip} <- IP.parse(addr),
         {:ok, prefix} <- parse_prefix(len, bits(ip)) do
      {:ok, %__MODULE__{address: ip, prefix: prefix}}
    else
      _ -> {:error, {:bad_subnet, string}}
    end
  end

  def parse(other), do: {:error, {:bad_subnet, other}}

  # Decimal digits only, no sign, no leading zero (as ip(8) prints them).
  defp parse_prefix(text, max) do
    if text =~ ~r/\A(0|[1-9][0-9]{0,2})\z/ do
      n = String.to_integer(text)
      if n <= max, do: {:ok, n}, else: :error
    else
      :error
    end
  end

  defp bits(%IP{bytes: bytes}), do: bit_size(bytes)

  @doc """
  Whether `subnet` contains address `ip`; false when their families differ.
  """
  @spec contains?(t(), IP.t()) :: boolean()
  def contains?(%__MODULE__{address: %IP{family: family}} = subnet, %IP{family: family} = ip) do
    mask(ip.bytes, subnet.prefix) == mask(subnet.address.bytes, subnet.prefix)
  end

  def contains?(%__MODULE__{}, %IP{}), do: false

  @doc "The network address: the subnet's address with the host bits zeroed."
  @spec network(t()) :: IP.t()
  def network(%__MODULE__{address: ip, prefix: prefix}) do
    %IP{ip | bytes: mask(ip.bytes, prefix)}
  end

  @doc "The IPv4 broadcast address (host bits set), or `nil` for IPv6."
  @spec broadcast(t()) :: IP.t() | nil
  def broadcast(%__MODULE__{address: %IP{family: :inet, bytes: bytes} = ip, prefix: prefix}) do
    <<net::bitstring-size(prefix), _::bitstring>> = bytes
    host = 32 - prefix
    %IP{ip | bytes: <<net::bitstring, -1::size(host)>>}
  end

  def broadcast(%__MODULE__{}), do: nil

  defp mask(bytes, prefix) do
    <<net::bitstring-size(prefix), _::bitstring>> = bytes
    host = bit_size(bytes) - prefix
    <<net::bitstring, 0::size(host)>>
  end

  @doc "Renders the subnet in CIDR notation, with the address as given."
  @spec to_string(t()) :: binary()
  def to_string(%__MODULE__{address: ip, prefix: prefix}), do: IP.to_string(ip) <> "/#{prefix}"

  @doc false
  def valid?(%__MODULE__{address: ip, prefix: prefix}) when is_integer(prefix) and prefix >= 0,
    do: IP.valid?(ip) and prefix <= bits(ip)

  def valid?(_), do: false

  defimpl String.Chars do
    def to_string(subnet), do: Linx.IP.Subnet.to_string(subnet)
  end

  defimpl Inspect do
    def inspect(subnet, opts) do
      if Linx.IP.Subnet.valid?(subnet) do
        ~s(~IP") <> Linx.IP.Subnet.to_string(subnet) <> ~s(")
      else
        Inspect.Any.inspect(subnet, opts)
      end
    end
  end
end
