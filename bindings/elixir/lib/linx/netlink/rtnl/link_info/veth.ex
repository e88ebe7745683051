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
