defmodule Linx.Netlink.Rtnl.Address do
  @moduledoc """
  Interface addresses, IPv4 and IPv6: list, add and delete them.

      {:ok, sock} = Linx.Netlink.Rtnl.open()
      :ok = Address.add(sock, "eth0", "10.0.0.5", 24)
      :ok = Address.add(sock, "eth0", ~IP"fd00::5", 64)
      {:ok, addrs} = Address.list(sock, "eth0")
      #=> {:ok, [#Linx.Netlink.Rtnl.Address<10.0.0.5/24 ifindex=2>,
      #          #Linx.Netlink.Rtnl.Address<fd00::5/64 ifindex=2>]}
      :ok = Address.delete(sock, "eth0", "10.0.0.5", 24)

  The family follows from the address, given as a string or a `Linx.IP`.

  ## The struct

    * `:index` - the interface's index; `:family` - `:inet` or `:inet6`;
    * `:address` - the address as a `Linx.IP` (on a point-to-point link,
      the peer's); `:local` - the interface's own address when the kernel
      sends it (IPv4), else nil; `:prefixlen`;
    * `:scope` - `:global`, `:link`, `:host`, `:site` or a number;
    * `:flags` - atoms as `ip address` prints them (`:permanent`,
      `:noprefixroute`, `:tentative`...).

  Bad arguments are refused before any I/O: `{:bad_socket, s}`,
  `{:bad_name, n}`, `{:bad_address, a}`, `{:bad_prefix, p}`.
  """

  alias Linx.Netlink.Rtnl.Call
  alias Linx.Netlink.Socket

  defstruct [:index, :family, :address, :local, :prefixlen, :scope, flags: []]

  @type t() :: %__MODULE__{
          address: Linx.IP.t(),
          family: :inet | :inet6,
          flags: [atom() | binary()],
          index: pos_integer(),
          local: Linx.IP.t() | nil,
          prefixlen: 0..128,
          scope: atom() | non_neg_integer()
        }

  @flags Call.known([
           :secondary,
           :temporary,
           :nodad,
           :optimistic,
           :dadfailed,
           :home,
           :deprecated,
           :tentative,
           :permanent,
           :mngtmpaddr,
           :noprefixroute,
           :autojoin
         ])

  @doc "Lists every address in the socket's network namespace."
  @spec list(Socket.t()) :: {:ok, [t()]} | {:error, term()}
  def list(sock) do
    with :ok <- Call.socket(sock), do: do_list(sock, %{})
  end

  @doc "Lists the addresses on the link named `link_name`."
  @spec list(Socket.t(), binary()) :: {:ok, [t()]} | {:error, term()}
  def list(sock, link_name) do
    with :ok <- Call.socket(sock),
         {:ok, name} <- Call.ifname(link_name),
         do: do_list(sock, %{"dev" => name})
  end

  defp do_list(sock, args) do
    with {:ok, maps} <- Call.call(sock, "address.list", args) do
      {:ok, Enum.map(maps, &from_map/1)}
    end
  end

  @doc false
  def from_map(m) do
    local = Call.to_ip(m["local"])

    %__MODULE__{
      index: m["ifindex"],
      family: Call.to_family(m["family"]),
      address: Call.to_ip(m["address"]) || local,
      local: if(m["family"] == "inet", do: local),
      prefixlen: m["prefixlen"],
      scope: Call.name_or_int(m["scope"], Call.scope_known()),
      flags: Call.names(m["flags"], Map.put(@flags, "stable-privacy", :stable_privacy))
    }
  end

  @doc """
  Adds address `ip` with prefix length `prefix` to link `link_name`.
  `ip` is a string (`"10.0.0.5"`, `"fc00::1"`) or a `Linx.IP`.
  """
  @spec add(Socket.t(), binary(), binary() | Linx.IP.t(), non_neg_integer()) ::
          :ok | {:error, term()}
  def add(sock, link_name, ip, prefix), do: change(sock, "address.add", link_name, ip, prefix)

  @doc "Removes address `ip`/`prefix` from link `link_name`."
  @spec delete(Socket.t(), binary(), binary() | Linx.IP.t(), non_neg_integer()) ::
          :ok | {:error, term()}
  def delete(sock, link_name, ip, prefix),
    do: change(sock, "address.delete", link_name, ip, prefix)

  defp change(sock, verb, link_name, ip, prefix) do
    with :ok <- Call.socket(sock),
         {:ok, name} <- Call.ifname(link_name),
         {:ok, ip} <- Call.ip(ip),
         {:ok, prefix} <- Call.prefix(ip, prefix) do
      Call.mutate(sock, verb, %{
        "dev" => name,
        "address" => Linx.IP.to_string(ip),
        "prefix" => prefix
      })
    end
  end

  defimpl Inspect do
    def inspect(%Linx.Netlink.Rtnl.Address{address: %Linx.IP{} = ip} = a, _opts) do
      "#Linx.Netlink.Rtnl.Address<#{ip}/#{a.prefixlen} ifindex=#{a.index}>"
    end

    def inspect(a, opts), do: Inspect.Any.inspect(a, opts)
  end
end
