defmodule Linx.Netlink.Rtnl.Link do
  @moduledoc """
  Network links (interfaces): list and read them, create virtual ones,
  configure and delete them.

      {:ok, sock} = Linx.Netlink.Rtnl.open()
      {:ok, links} = Link.list(sock)
      #=> {:ok, [#Linx.Netlink.Rtnl.Link<"lo" (1) UP MTU=65536>, ...]}

      :ok = Link.create_veth(sock, "ct0a", "ct0b")
      :ok = Link.set_up(sock, "ct0a")
      :ok = Link.move_to_netns(sock, "ct0b", container_pid)

  ## The struct

    * `:index` - the interface index; `:name` - its name;
    * `:flags` - the interface flags as atoms, in `ip link`'s order and
      spelling, lower-cased: `[:loopback, :up, :lower_up]`, with
      `:no_carrier` for a link that is up without a carrier;
    * `:mtu`; `:address` - the MAC as a `Linx.MAC` (nil for links without
      an Ethernet-sized address);
    * `:type` - the link-layer type (`:ether`, `:loopback`, `:none`, ... or
      the ARPHRD number);
    * `:link` - the parent's (or veth peer's) index; `:master` - the
      master's index;
    * `:linkinfo` - a `Linx.Netlink.Rtnl.LinkInfo` for virtual links;
    * `:family` is always `:unspec`; `:change` and `:net_ns_pid` are
      request-only fields of the wire message and stay nil.

  ## Errors

  Names are checked before any I/O (1..15 bytes, no `/`, `:` or white
  space): `{:error, {:bad_name, name}}`; likewise `{:bad_socket, s}`,
  `{:bad_mtu, m}`, `{:bad_mac, m}`, `{:bad_mode, m}`, `{:bad_vlan_id, id}`,
  `{:bad_netns, t}`.  The kernel's refusals are
  `{:error, %Linx.Netlink.Error{}}`: a missing interface is `:enodev`, a
  taken name `:eexist`, a kind whose driver is missing `:eopnotsupp`.
  """

  alias Linx.Netlink.Rtnl.{Call, LinkInfo}
  alias Linx.Netlink.Socket

  defstruct [
    :index,
    :name,
    :flags,
    :mtu,
    :address,
    :type,
    :link,
    :master,
    :linkinfo,
    :change,
    :net_ns_pid,
    family: :unspec
  ]

  @type t() :: %__MODULE__{
          address: Linx.MAC.t() | nil,
          change: nil,
          family: :unspec,
          flags: [atom() | binary()],
          index: pos_integer(),
          link: pos_integer() | nil,
          linkinfo: LinkInfo.t() | nil,
          master: pos_integer() | nil,
          mtu: non_neg_integer() | nil,
          name: binary(),
          net_ns_pid: nil,
          type: atom() | non_neg_integer() | binary()
        }

  @flags Call.known([
           :no_carrier,
           :loopback,
           :broadcast,
           :pointopoint,
           :multicast,
           :noarp,
           :allmulti,
           :promisc,
           :master,
           :slave,
           :debug,
           :dynamic,
           :automedia,
           :portsel,
           :notrailers,
           :up,
           :lower_up,
           :dormant,
           :echo
         ])

  @types Call.known([:ether, :loopback, :none, :void, :ipip, :sit, :gre, :ip6gre, :tunnel6])

  # ---- reading ------------------------------------------------------------------

  @doc "Lists every link in the socket's network namespace, in index order."
  @spec list(Socket.t()) :: {:ok, [t()]} | {:error, term()}
  def list(sock) do
    with :ok <- Call.socket(sock),
         {:ok, maps} <- Call.call(sock, "link.list", %{}) do
      {:ok, maps |> Enum.map(&from_map/1) |> Enum.sort_by(& &1.index)}
    end
  end

  @doc """
  Gets the link named `name` (or with index `name` when it is an integer).

  Returns `{:error, %Linx.Netlink.Error{errno: :enodev}}` if there is no
  such interface.
  """
  @spec get(Socket.t(), binary() | pos_integer()) :: {:ok, t()} | {:error, term()}
  def get(sock, index) when is_integer(index) and index > 0 and index < 0x80000000 do
    with :ok <- Call.socket(sock),
         {:ok, map} <- Call.call(sock, "link.get", %{"index" => index}) do
      {:ok, from_map(map)}
    end
  end

  def get(sock, name) do
    with :ok <- Call.socket(sock),
         {:ok, name} <- Call.ifname(name),
         {:ok, map} <- Call.call(sock, "link.get", %{"name" => name}) do
      {:ok, from_map(map)}
    end
  end

  @doc "Whether `link` is administratively up (has `IFF_UP`)."
  @spec up?(t()) :: boolean()
  def up?(%__MODULE__{flags: flags}) when is_list(flags), do: :up in flags
  def up?(%__MODULE__{}), do: false

  @doc false
  def from_map(m) do
    %__MODULE__{
      index: m["ifindex"],
      name: m["ifname"],
      flags:
        m["flags"]
        |> Enum.map(&String.downcase(String.replace(&1, "-", "_")))
        |> Call.names(@flags),
      mtu: m["mtu"],
      address: Call.to_mac(m["address"]),
      type: Call.name_or_int(m["link_type"], @types),
      link: m["link_index"],
      master: m["master_index"],
      linkinfo: LinkInfo.from_map(m["linkinfo"])
    }
  end

  # ---- creating -------------------------------------------------------------------

  @doc "Creates an empty Linux bridge named `name`."
  @spec create_bridge(Socket.t(), binary()) :: :ok | {:error, term()}
  def create_bridge(sock, name), do: named(sock, "link.create_bridge", name, %{})

  @doc """
  Creates a dummy interface named `name`: a virtual link without a packet
  path, useful to hold addresses or as a test fixture.
  """
  @spec create_dummy(Socket.t(), binary()) :: :ok | {:error, term()}
  def create_dummy(sock, name), do: named(sock, "link.create_dummy", name, %{})

  @doc """
  Creates a veth pair: `name` and `peer_name`, connected back-to-back.
  """
  @spec create_veth(Socket.t(), binary(), binary()) :: :ok | {:error, term()}
  def create_veth(sock, name, peer_name) do
    with {:ok, peer} <- Call.ifname(peer_name) do
      named(sock, "link.create_veth", name, %{"peer" => peer})
    end
  end

  @doc """
  Creates a macvlan link `name` on interface `parent`.  `mode` is
  `:bridge` (default), `:private`, `:vepa`, `:passthru` or `:source`.
  """
  @spec create_macvlan(Socket.t(), binary(), binary(), :bridge | :private) ::
          :ok | {:error, term()}
  def create_macvlan(sock, name, parent, mode \\ :bridge) do
    with {:ok, mode} <- mode(mode, [:bridge, :private, :vepa, :passthru, :source]),
         {:ok, parent} <- Call.ifname(parent) do
      named(sock, "link.create_macvlan", name, %{"parent" => parent, "mode" => mode})
    end
  end

  @doc """
  Creates an ipvlan link `name` on interface `parent`.  `mode` is `:l3`
  (default), `:l2` or `:l3s`.
  """
  @spec create_ipvlan(Socket.t(), binary(), binary(), :l2 | :l3) :: :ok | {:error, term()}
  def create_ipvlan(sock, name, parent, mode \\ :l3) do
    with {:ok, mode} <- mode(mode, [:l3, :l2, :l3s]),
         {:ok, parent} <- Call.ifname(parent) do
      named(sock, "link.create_ipvlan", name, %{"parent" => parent, "mode" => mode})
    end
  end

  @doc """
  Creates a vlan sub-interface `name` on `parent` carrying 802.1Q tag
  `vlan_id` (1..4094).
  """
  @spec create_vlan(Socket.t(), binary(), binary(), 1..4094) :: :ok | {:error, term()}
  def create_vlan(sock, name, parent, vlan_id) do
    with {:ok, parent} <- Call.ifname(parent),
         {:ok, id} <- vlan_id(vlan_id) do
      named(sock, "link.create_vlan", name, %{"parent" => parent, "id" => id})
    end
  end

  defp vlan_id(id) when is_integer(id) and id in 1..4094, do: {:ok, id}
  defp vlan_id(id), do: {:error, {:bad_vlan_id, id}}

  defp mode(mode, allowed) do
    if is_atom(mode) and mode in allowed,
      do: {:ok, Atom.to_string(mode)},
      else: {:error, {:bad_mode, mode}}
  end

  # ---- configuring ----------------------------------------------------------------

  @doc "Deletes the link named `name` (a veth takes its peer with it)."
  @spec delete(Socket.t(), binary()) :: :ok | {:error, term()}
  def delete(sock, name), do: named(sock, "link.delete", name, %{})

  @doc "Brings link `name` administratively up (sets `IFF_UP`)."
  @spec set_up(Socket.t(), binary()) :: :ok | {:error, term()}
  def set_up(sock, name), do: named(sock, "link.set_up", name, %{})

  @doc "Brings link `name` administratively down (clears `IFF_UP`)."
  @spec set_down(Socket.t(), binary()) :: :ok | {:error, term()}
  def set_down(sock, name), do: named(sock, "link.set_down", name, %{})

  @doc "Sets link `name`'s MTU to `mtu`."
  @spec set_mtu(Socket.t(), binary(), pos_integer()) :: :ok | {:error, term()}
  def set_mtu(sock, name, mtu) when is_integer(mtu) and mtu > 0 and mtu < 0x100000000,
    do: named(sock, "link.set_mtu", name, %{"mtu" => mtu})

  def set_mtu(_sock, _name, mtu), do: {:error, {:bad_mtu, mtu}}

  @doc """
  Sets link `name`'s MAC address to `mac`: a string such as
  `"02:aa:bb:cc:dd:ee"` or a `Linx.MAC`.
  """
  @spec set_address(Socket.t(), binary(), binary() | Linx.MAC.t()) :: :ok | {:error, term()}
  def set_address(sock, name, mac) do
    with {:ok, mac} <- Call.mac(mac) do
      named(sock, "link.set_address", name, %{"address" => Linx.MAC.to_string(mac)})
    end
  end

  @doc "Renames link `name` to `new_name` (the kernel wants the link down)."
  @spec set_name(Socket.t(), binary(), binary()) :: :ok | {:error, term()}
  def set_name(sock, name, new_name) do
    with {:ok, new_name} <- Call.ifname(new_name) do
      named(sock, "link.set_name", name, %{"new_name" => new_name})
    end
  end

  @doc """
  Enslaves link `name` to `master_name`, a bridge or a bond; `nil`
  releases it from its master.
  """
  @spec set_master(Socket.t(), binary(), binary() | nil) :: :ok | {:error, term()}
  def set_master(sock, name, nil), do: named(sock, "link.set_master", name, %{"master" => ""})

  def set_master(sock, name, master_name) do
    with {:ok, master} <- Call.ifname(master_name) do
      named(sock, "link.set_master", name, %{"master" => master})
    end
  end

  @doc """
  Moves link `name` into the network namespace of process `pid` (also
  accepted: `{:pid, pid}` and `{:path, netns_file}`).
  """
  @spec move_to_netns(Socket.t(), binary(), pos_integer() | Socket.netns()) ::
          :ok | {:error, term()}
  def move_to_netns(sock, name, pid) when is_integer(pid),
    do: move_to_netns(sock, name, {:pid, pid})

  def move_to_netns(sock, name, target) do
    case Socket.netns_arg(target) do
      {:ok, %{} = to} -> named(sock, "link.move_to_netns", name, %{"to" => to})
      _ -> {:error, {:bad_netns, target}}
    end
  end

  defp named(sock, verb, name, args) do
    with :ok <- Call.socket(sock),
         {:ok, name} <- Call.ifname(name) do
      Call.mutate(sock, verb, Map.put(args, "name", name))
    end
  end

  defimpl Inspect do
    def inspect(%Linx.Netlink.Rtnl.Link{name: name, index: index} = link, _opts)
        when is_binary(name) and is_integer(index) do
      state = if Linx.Netlink.Rtnl.Link.up?(link), do: "UP", else: "DOWN"
      mtu = if link.mtu, do: " MTU=#{link.mtu}", else: ""
      "#Linx.Netlink.Rtnl.Link<#{Kernel.inspect(name)} (#{index}) #{state}#{mtu}>"
    end

    def inspect(link, opts), do: Inspect.Any.inspect(link, opts)
  end
end
