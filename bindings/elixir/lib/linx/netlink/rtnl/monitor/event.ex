defmodule Linx.Netlink.Rtnl.Monitor.Event do
  @moduledoc """
  One rtnetlink notification, as `Linx.Netlink.Rtnl.Monitor` delivers it.

    * `:op` - `:new_link`, `:del_link`, `:new_addr`, `:del_addr`,
      `:new_route`, `:del_route`, `:new_neigh`, `:del_neigh`, `:new_rule`,
      `:del_rule`, or `{:unknown, type}` for a message type not decoded;
    * `:resource` - the struct a list would give (`%Link{}`, `%Address{}`,
      `%Route{}`, `%Neighbour{}`, `%Rule{}`), nil for an unknown op.

  Events are hints to look again, not a log to replay: notifications can be
  lost (the monitor then sends `:resync_needed`).
  """

  alias Linx.Netlink.Rtnl.{Address, Link, Neighbour, Route, Rule}

  defstruct [:op, :resource]

  @type op() ::
          :new_link
          | :del_link
          | :new_addr
          | :del_addr
          | :new_route
          | :del_route
          | :new_neigh
          | :del_neigh
          | :new_rule
          | :del_rule
          | {:unknown, non_neg_integer()}

  @type t() :: %__MODULE__{op: op(), resource: struct() | nil}

  @ops %{
    "new_link" => {:new_link, Link},
    "del_link" => {:del_link, Link},
    "new_addr" => {:new_addr, Address},
    "del_addr" => {:del_addr, Address},
    "new_route" => {:new_route, Route},
    "del_route" => {:del_route, Route},
    "new_neigh" => {:new_neigh, Neighbour},
    "del_neigh" => {:del_neigh, Neighbour},
    "new_rule" => {:new_rule, Rule},
    "del_rule" => {:del_rule, Rule}
  }

  @doc false
  # From the plugin's {op, type, resource} map; "resync" is not an event.
  def from_map(%{"op" => op} = m) do
    case {Map.fetch(@ops, op), m["resource"]} do
      {{:ok, {atom, module}}, %{} = resource} ->
        %__MODULE__{op: atom, resource: module.from_map(resource)}

      _ ->
        %__MODULE__{op: {:unknown, m["type"] || 0}, resource: nil}
    end
  end
end
