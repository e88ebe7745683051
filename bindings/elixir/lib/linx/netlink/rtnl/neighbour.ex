defmodule Linx.Netlink.Rtnl.Neighbour do
  @moduledoc """
  Neighbour entries: the kernel's ARP (IPv4) and NDP (IPv6) tables, each
  mapping an IP address to a link-layer address on one interface.

      {:ok, sock} = Linx.Netlink.Rtnl.open()
      :ok = Neighbour.add(sock, "eth0", "10.0.0.1", "52:54:00:ab:cd:ef")
      {:ok, neighs} = Neighbour.list(sock, "eth0")
      #=> {:ok, [#Linx.Netlink.Rtnl.Neighbour<10.0.0.1 -> 52:54:00:ab:cd:ef ifindex=2>]}
      :ok = Neighbour.delete(sock, "eth0", "10.0.0.1")

  ## The struct

    * `:dst` - the IP as a `Linx.IP`; `:lladdr` - the MAC as a `Linx.MAC`
      (nil while unresolved); `:ifindex`; `:family` - `:inet`/`:inet6`;
    * `:state` - NUD states as atoms (`[:permanent]`, `[:reachable]`,
      `[:stale]`, `[:failed]`...); `:flags` - `:router`, `:proxy`...;
    * `:type` - the route type of the entry; not reported by the plugin,
      nil.

  IPs are strings or `Linx.IP`s, MACs strings or `Linx.MAC`s.  Bad
  arguments: `{:bad_socket, s}`, `{:bad_name, n}`, `{:bad_address, a}`,
  `{:bad_mac, m}`.
  """

  alias Linx.Netlink.Rtnl.Call
  alias Linx.Netlink.Socket

  defstruct [:dst, :family, :ifindex, :lladdr, :type, state: [], flags: []]

  @type t() :: %__MODULE__{
          dst: Linx.IP.t(),
          family: :inet | :inet6,
          flags: [atom() | binary()],
          ifindex: pos_integer(),
          lladdr: Linx.MAC.t() | nil,
          state: [atom() | binary()],
          type: nil
        }

  @states Call.known([
            :incomplete,
            :reachable,
            :stale,
            :delay,
            :probe,
            :failed,
            :noarp,
            :permanent,
            :none
          ])
  @flags Call.known([:router, :proxy, :extern_learn, :offload])

  @doc "Lists every neighbour entry in the socket's network namespace."
  @spec list(Socket.t()) :: {:ok, [t()]} | {:error, term()}
  def list(sock) do
    with :ok <- Call.socket(sock), do: do_list(sock, %{})
  end

  @doc "Lists the neighbour entries on link `link_name`."
  @spec list(Socket.t(), binary()) :: {:ok, [t()]} | {:error, term()}
  def list(sock, link_name) do
    with :ok <- Call.socket(sock),
         {:ok, name} <- Call.ifname(link_name),
         do: do_list(sock, %{"dev" => name})
  end

  defp do_list(sock, args) do
    with {:ok, maps} <- Call.call(sock, "neighbour.list", args) do
      {:ok, Enum.map(maps, &from_map/1)}
    end
  end

  @doc false
  def from_map(m) do
    %__MODULE__{
      dst: Call.to_ip(m["dst"]),
      family: Call.to_family(m["family"]),
      ifindex: m["ifindex"],
      lladdr: Call.to_mac(m["lladdr"]),
      state: m["state"] |> Enum.map(&String.downcase/1) |> Call.names(@states),
      flags: Call.names(m["flags"], @flags)
    }
  end

  @doc """
  Adds a permanent entry: `ip` is at `mac` on link `link_name`.  An
  existing entry for `ip` is `:eexist`.
  """
  @spec add(Socket.t(), binary(), binary() | Linx.IP.t(), binary() | Linx.MAC.t()) ::
          :ok | {:error, term()}
  def add(sock, link_name, ip, mac) do
    with :ok <- Call.socket(sock),
         {:ok, name} <- Call.ifname(link_name),
         {:ok, ip} <- Call.ip(ip),
         {:ok, mac} <- Call.mac(mac) do
      Call.mutate(sock, "neighbour.add", %{
        "dev" => name,
        "ip" => Linx.IP.to_string(ip),
        "mac" => Linx.MAC.to_string(mac)
      })
    end
  end

  @doc "Removes the entry for `ip` on link `link_name`."
  @spec delete(Socket.t(), binary(), binary() | Linx.IP.t()) :: :ok | {:error, term()}
  def delete(sock, link_name, ip) do
    with :ok <- Call.socket(sock),
         {:ok, name} <- Call.ifname(link_name),
         {:ok, ip} <- Call.ip(ip) do
      Call.mutate(sock, "neighbour.delete", %{"dev" => name, "ip" => Linx.IP.to_string(ip)})
    end
  end

  defimpl Inspect do
    def inspect(%Linx.Netlink.Rtnl.Neighbour{dst: %Linx.IP{} = dst} = n, _opts) do
      mac = if n.lladdr, do: " -> #{n.lladdr}", else: ""
      "#Linx.Netlink.Rtnl.Neighbour<#{dst}#{mac} ifindex=#{n.ifindex}>"
    end

    def inspect(n, opts), do: Inspect.Any.inspect(n, opts)
  end
end
