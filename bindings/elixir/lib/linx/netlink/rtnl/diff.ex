defmodule Linx.Netlink.Rtnl.Diff do
  @moduledoc """
  The create / update / delete operations that would turn observed
  rtnetlink state into a desired state.  Pure: lists of structs in (as the
  `list/1` functions return them), ops out; nothing is read or applied.

    * `{:create, desired}` - wanted and absent;
    * `{:update, desired}` - present with another mutable value (a route's
      gateway, a neighbour's MAC): apply with a replace;
    * `{:delete, observed}` - present, no longer wanted, and ours.

  Ops come creates and updates first, in the desired list's order, then
  deletes in the observed list's order.

  ## Ownership

  Routes are owned two-way: the kernel tags each with a protocol, and
  `routes/3` only considers observed routes carrying the given one.
  Addresses, links, neighbours and rules carry no owner, so their diffs are
  three-way: an observed item is deleted only when its key is in
  `owned_keys`, the `MapSet` of keys the caller applied before.

  | resource  | key                                            | mutable value |
  |-----------|------------------------------------------------|---------------|
  | Route     | `{table, family, dst, dst_len, metric}`        | gateway       |
  | Address   | `{index, family, address, prefixlen}`          | -             |
  | Neighbour | `{ifindex, dst}`                               | lladdr        |
  | Rule      | `{priority, family, src, src_len, dst, dst_len, fwmark, table}` | - |
  | Link      | name                                           | -             |

  Observed addresses outside the global scope (link-locals the kernel
  manages) are left out of `addresses/3`.
  """

  alias Linx.Netlink.Rtnl.{Route, Rule}

  @type op() :: {:create, struct()} | {:update, struct()} | {:delete, struct()}

  # ---- generic ----------------------------------------------------------------

  @doc """
  Two-way diff: `observed` holds only what is ours, so every observed item
  not desired is deleted.  `key` gives an item's identity, `value` its
  mutable value (by default none, so no updates).
  """
  @spec two_way([struct()], [struct()], (struct() -> term()), (struct() -> term())) :: [op()]
  def two_way(desired, observed, key, value \\ &no_value/1) do
    diff(desired, observed, key, value, fn _ -> true end)
  end

  @doc """
  Three-way diff: an observed item not desired is deleted only if its key
  is in `owned_keys`; anything else is left alone.
  """
  @spec three_way([struct()], [struct()], MapSet.t(), (struct() -> term()), (struct() -> term())) ::
          [op()]
  def three_way(desired, observed, owned_keys, key, value \\ &no_value/1) do
    diff(desired, observed, key, value, &MapSet.member?(owned_keys, &1))
  end

  defp no_value(_), do: nil

  defp diff(desired, observed, key, value, deletable?) do
    seen = Map.new(observed, &{key.(&1), &1})
    wanted = MapSet.new(desired, key)

    changes =
      desired
      |> Enum.uniq_by(key)
      |> Enum.flat_map(fn d ->
        case Map.fetch(seen, key.(d)) do
          :error -> [{:create, d}]
          {:ok, o} -> if value.(o) == value.(d), do: [], else: [{:update, d}]
        end
      end)

    deletes =
      for o <- observed,
          k = key.(o),
          not MapSet.member?(wanted, k),
          deletable?.(k),
          do: {:delete, o}

    changes ++ deletes
  end

  # ---- routes -------------------------------------------------------------------

  @protocols %{redirect: 1, kernel: 2, boot: 3, static: 4, ra: 9, dhcp: 16}

  @doc """
  Identity of a route: `{table, family, dst, dst_len, metric}`.  A default
  route's destination is `:default` whether it was built with `0.0.0.0`
  (or `::`) or observed without one; a missing table is main (254) and a
  missing metric 0.
  """
  @spec route_key(Route.t()) :: term()
  def route_key(%Route{} = r) do
    dst = if r.dst_len in [0, nil], do: :default, else: r.dst
    table = Route.target_table(r) || 254
    {table, r.family, dst, r.dst_len || 0, r.priority || 0}
  end

  @doc """
  Diffs routes, owning by `protocol` (an integer or `:kernel`, `:boot`,
  `:static`, `:ra`, `:dhcp`, `:redirect`): observed routes of any other
  protocol are ignored.
  """
  @spec routes([Route.t()], [Route.t()], 0..255 | atom()) :: [op()]
  def routes(desired, observed, protocol) do
    p = protocol_number(protocol)
    ours = Enum.filter(observed, &(protocol_number(&1.protocol) == p))
    two_way(desired, ours, &route_key/1, & &1.gateway)
  end

  defp protocol_number(p) when is_integer(p), do: p
  defp protocol_number(p) when is_atom(p), do: Map.get(@protocols, p, p)
  defp protocol_number(p), do: p

  # ---- the three-way resources --------------------------------------------------------

  @doc "Identity of an address: `{index, family, address, prefixlen}`."
  @spec address_key(struct()) :: term()
  def address_key(a), do: {a.index, a.family, a.address, a.prefixlen}

  @doc """
  Diffs addresses, deleting only keys in `owned_keys`; observed addresses
  outside the global scope are dropped first.
  """
  @spec addresses([struct()], [struct()], MapSet.t()) :: [op()]
  def addresses(desired, observed, owned_keys) do
    global = Enum.filter(observed, &(&1.scope in [:global, 0]))
    three_way(desired, global, owned_keys, &address_key/1)
  end

  @doc "Identity of a neighbour: `{ifindex, dst}`."
  @spec neighbour_key(struct()) :: term()
  def neighbour_key(n), do: {n.ifindex, n.dst}

  @doc "Diffs neighbours (a changed MAC is an update), deleting only keys in `owned_keys`."
  @spec neighbours([struct()], [struct()], MapSet.t()) :: [op()]
  def neighbours(desired, observed, owned_keys),
    do: three_way(desired, observed, owned_keys, &neighbour_key/1, & &1.lladdr)

  @doc "Identity of a rule: priority, family, selectors and target table."
  @spec rule_key(struct()) :: term()
  def rule_key(%Rule{} = r) do
    {r.priority, r.family, r.src, r.src_len || 0, r.dst, r.dst_len || 0, r.fwmark,
     Rule.target_table(r)}
  end

  @doc "Diffs rules, deleting only keys in `owned_keys`."
  @spec rules([struct()], [struct()], MapSet.t()) :: [op()]
  def rules(desired, observed, owned_keys),
    do: three_way(desired, observed, owned_keys, &rule_key/1)

  @doc "Identity of a link: its name."
  @spec link_key(struct()) :: term()
  def link_key(l), do: l.name

  @doc """
  Diffs links by name, deleting only names in `owned_keys`.  Existence
  only: attributes (MTU, state, address) are not compared.
  """
  @spec links([struct()], [struct()], MapSet.t()) :: [op()]
  def links(desired, observed, owned_keys),
    do: three_way(desired, observed, owned_keys, &link_key/1)
end
