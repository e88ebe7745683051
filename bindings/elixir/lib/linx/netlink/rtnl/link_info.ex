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
