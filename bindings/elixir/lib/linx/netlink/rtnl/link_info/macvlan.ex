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
