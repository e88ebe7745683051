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
