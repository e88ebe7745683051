defmodule Linx.Netlink.Rtnl.LinkInfo do
  @moduledoc """
  A link's kind and its kind-specific data (`IFLA_LINKINFO`).

  `:kind` is the driver's kind string (`"veth"`, `"macvlan"`, `"bridge"`,
  `"dummy"`, ...); `:info_data` is the kind's own struct for the kinds this
  binding models - `Linx.Netlink.Rtnl.LinkInfo.Macvlan`, `Ipvlan`, `Vlan`,
  `Veth` - and `nil` for the others:

      %LinkInfo{kind: "macvlan", info_data: %LinkInfo.Macvlan{mode: 4}}
  """

  alias Linx.Netlink.Rtnl.LinkInfo.{Ipvlan, Macvlan, Veth, Vlan}

  defstruct [:kind, :info_data]

  @type t() :: %__MODULE__{
          kind: binary() | nil,
          info_data: Macvlan.t() | Ipvlan.t() | Vlan.t() | Veth.t() | nil
        }

  @doc false
  # From the plugin's linkinfo map.
  def from_map(nil), do: nil

  def from_map(%{} = m) do
    kind = m["info_kind"]
    data = m["info_data"]

    info_data =
      case {kind, data} do
        {_, nil} -> nil
        {"macvlan", d} -> Macvlan.from_map(d)
        {"ipvlan", d} -> Ipvlan.from_map(d)
        {"vlan", d} -> Vlan.from_map(d)
        {"veth", d} -> Veth.from_map(d)
        _ -> nil
      end

    %__MODULE__{kind: kind, info_data: info_data}
  end
end

defmodule Linx.Netlink.Rtnl.LinkInfo.Macvlan do
  @moduledoc """
  A macvlan link's data: `:mode`, the kernel's `IFLA_MACVLAN_MODE` number
  (1 private, 2 vepa, 4 bridge, 8 passthru, 16 source).
  """

  defstruct [:mode]

  @type t() :: %__MODULE__{mode: non_neg_integer() | nil}

  @modes %{"private" => 1, "vepa" => 2, "bridge" => 4, "passthru" => 8, "source" => 16}

  @doc false
  def modes, do: @modes

  @doc false
  def from_map(d), do: %__MODULE__{mode: mode(d["mode"], @modes)}

  @doc false
  def mode(nil, _), do: nil
  def mode(s, modes), do: Map.get_lazy(modes, s, fn -> parse_int(s) end)

  defp parse_int(s) do
    case Integer.parse(s) do
      {n, ""} -> n
      _ -> s
    end
  end
end

defmodule Linx.Netlink.Rtnl.LinkInfo.Ipvlan do
  @moduledoc """
  An ipvlan link's data: `:mode`, the kernel's `IFLA_IPVLAN_MODE` number
  (0 l2, 1 l3, 2 l3s).
  """

  defstruct [:mode]

  @type t() :: %__MODULE__{mode: non_neg_integer() | nil}

  @modes %{"l2" => 0, "l3" => 1, "l3s" => 2}

  @doc false
  def modes, do: @modes

  @doc false
  def from_map(d),
    do: %__MODULE__{mode: Linx.Netlink.Rtnl.LinkInfo.Macvlan.mode(d["mode"], @modes)}
end

defmodule Linx.Netlink.Rtnl.LinkInfo.Vlan do
  @moduledoc "An 802.1Q vlan link's data: `:id`, its VLAN id (1..4094)."

  defstruct [:id]

  @type t() :: %__MODULE__{id: 1..4094 | nil}

  @doc false
  def from_map(d), do: %__MODULE__{id: d["id"]}
end

defmodule Linx.Netlink.Rtnl.LinkInfo.Veth do
  @moduledoc """
  A veth link's data: `:peer`, the other end as a `%Linx.Netlink.Rtnl.Link{}`
  with its `:name` and `:index` - when the kernel reports it, which it does
  not in dumps on most kernels (look at the link's `:link` index instead).
  """

  defstruct [:peer]

  @type t() :: %__MODULE__{peer: Linx.Netlink.Rtnl.Link.t() | nil}

  @doc false
  def from_map(d) do
    peer =
      if d["peer"] || d["peer_index"],
        do: struct(Linx.Netlink.Rtnl.Link, name: d["peer"], index: d["peer_index"])

    %__MODULE__{peer: peer}
  end
end
