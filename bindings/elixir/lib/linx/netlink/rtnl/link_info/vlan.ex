defmodule Linx.Netlink.Rtnl.LinkInfo.Vlan do
  @moduledoc "An 802.1Q vlan link's data: `:id`, its VLAN id (1..4094)."

  defstruct [:id]

  @type t() :: %__MODULE__{id: 1..4094 | nil}

  @doc false
  def from_map(d), do: %__MODULE__{id: d["id"]}
end
