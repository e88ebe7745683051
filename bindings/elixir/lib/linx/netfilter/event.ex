defmodule Linx.Netfilter.Event do
  @moduledoc """
  One change to the nf_tables ruleset, as `Linx.Netfilter.Monitor`
  delivers it: `{:linx_netfilter, :event, %Linx.Netfilter.Event{}}`.

  The kernel broadcasts, after every successful commit, one notification
  per object created or deleted, then one `NFT_MSG_NEWGEN` with the new
  generation and the committer.  The C monitor (docs/nft/monitor.md)
  holds a commit's notifications until its NEWGEN, so every event here
  carries the provenance of its commit:

    * `:gen_id` - the generation of the commit (`Linx.Netfilter`'s
      `nft.get_gen` id at that moment);
    * `:proc_pid`, `:proc_name` - the committing process's pid and comm
      (`"nft"`, `"beam.smp"`); nil when the kernel did not say;
    * `:op` - `:new_table`, `:del_table`, `:new_chain`, `:del_chain`,
      `:new_rule`, `:del_rule`, `:new_set`, `:del_set`,
      `:new_set_element`, `:del_set_element`, `:new_obj`, `:del_obj`,
      `:new_flowtable`, `:del_flowtable`, `:new_gen` (the commit itself,
      after its objects), or `{:unknown, type}`;
    * `:entity` - by op:
      * tables: `%Linx.Netfilter.Table{}` (no children);
      * chains: `{family, %Linx.Netfilter.Chain{}}`;
      * rules: `{family, table_name, chain_name, %Linx.Netfilter.Rule{}}`
        (with its kernel handle);
      * sets: `{family, %Linx.Netfilter.Set{} | %Linx.Netfilter.Map{}}`;
      * set elements: `{family, table_name, set_name, [element]}`, the
        elements as a set or map of a pull holds them;
      * objects: `{family, %Linx.Netfilter.Object{}}`;
      * flowtables: `{family, %Linx.Netfilter.Flowtable{}}`;
      * `:new_gen`: `%{id: gen, proc_pid: pid, proc_name: name}`;
      * anything the decoder could not type: the C plugin's value as is
        (an unknown message's attributes are bytes).

  Events are complete for what they name, but notifications can be lost
  (the monitor then sends `{:linx_netfilter, :resync_needed}`): on that,
  pull the ruleset again.
  """

  alias Linx.Netfilter.{Chain, Flowtable, Object, Rule, Table}
  alias Linx.Netfilter.Map, as: NMap
  alias Linx.Netfilter.Set, as: NSet

  defstruct [:op, :entity, :gen_id, :proc_pid, :proc_name]

  @type op() ::
          :new_gen
          | :new_table
          | :del_table
          | :new_chain
          | :del_chain
          | :new_rule
          | :del_rule
          | :new_set
          | :del_set
          | :new_set_element
          | :del_set_element
          | :new_obj
          | :del_obj
          | :new_flowtable
          | :del_flowtable
          | {:unknown, non_neg_integer()}

  @type t() :: %__MODULE__{
          entity: term(),
          gen_id: non_neg_integer() | nil,
          op: op(),
          proc_name: String.t() | nil,
          proc_pid: non_neg_integer() | nil
        }

  @ops ~w(new_gen new_table del_table new_chain del_chain new_rule del_rule new_set
          del_set new_set_element del_set_element new_obj del_obj new_flowtable
          del_flowtable)a
  @op_table Map.new(@ops, &{Atom.to_string(&1), &1})

  @doc false
  # From the plugin's event map (docs/nft/monitor.md, "Events"); the
  # monitor handles "resync" itself.
  def from_c(%{} = m) do
    op =
      case Map.fetch(@op_table, m["op"]) do
        {:ok, op} -> op
        :error -> {:unknown, m["type"] || 0}
      end

    %__MODULE__{
      op: op,
      gen_id: m["gen"],
      proc_pid: m["proc_pid"],
      proc_name: m["proc_name"],
      entity: entity(op, m)
    }
  end

  defp entity(op, %{"entity" => e} = m) when is_map(e) do
    family = family(m["family"])
    table = m["table"]

    case op do
      :new_gen ->
        %{id: e["id"], proc_pid: e["proc_pid"], proc_name: e["proc_name"]}

      t when t in [:new_table, :del_table] ->
        Table.from_c(Map.merge(%{"family" => m["family"], "name" => table}, e))

      c when c in [:new_chain, :del_chain] ->
        {family, Chain.from_c(Map.put_new(e, "name", m["chain"]), table)}

      r when r in [:new_rule, :del_rule] ->
        {family, table, m["chain"], Rule.from_c(e, m["chain"])}

      s when s in [:new_set, :del_set] ->
        e = Map.put_new(e, "name", m["set"])

        if Map.has_key?(e, "data_type"),
          do: {family, NMap.from_c(e, table)},
          else: {family, NSet.from_c(e, table)}

      el when el in [:new_set_element, :del_set_element] ->
        {family, table, m["set"], Enum.map(Map.get(e, "elements", []), &element/1)}

      o when o in [:new_obj, :del_obj] ->
        {family, Object.from_c(e, table)}

      f when f in [:new_flowtable, :del_flowtable] ->
        {family, Flowtable.from_c(e, table)}

      _ ->
        e
    end
  end

  defp entity(_op, m), do: m["entity"]

  # A map element comes back {key, value}, as Linx.Netfilter.Map holds it.
  defp element(el) do
    case el do
      %{key: k, value: v} = e when map_size(e) == 2 -> {k, v}
      other -> other
    end
  end

  defp family(f), do: Chain.enum(f, Table.families())

  defimpl Inspect do
    def inspect(%{op: op, gen_id: gen, proc_name: who} = ev, _opts) do
      op_s = if is_atom(op), do: Atom.to_string(op), else: Kernel.inspect(op)
      who_s = if who, do: " #{who}", else: ""
      "#Linx.Netfilter.Event<gen=#{gen || "?"}#{who_s} #{op_s}#{where(ev)}>"
    end

    defp where(%{entity: %Linx.Netfilter.Table{family: f, name: n}}), do: " #{f}/#{n}"
    defp where(%{entity: {f, t, c, %Linx.Netfilter.Rule{}}}), do: " #{f}/#{t}/#{c}"
    defp where(%{entity: {f, t, s, l}}) when is_list(l), do: " #{f}/#{t}/#{s}"
    defp where(%{entity: {f, %{table: t, name: n}}}), do: " #{f}/#{t}/#{n}"
    defp where(_), do: ""
  end
end
