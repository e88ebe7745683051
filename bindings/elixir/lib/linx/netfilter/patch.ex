defmodule Linx.Netfilter.Patch do
  @moduledoc """
  An ordered sequence of mutations that turns one
  `%Linx.Netfilter.Ruleset{}` into another: what `Linx.Netfilter.diff/2`
  returns and `Linx.Netfilter.apply/3` sends as one batch.

  The patch is the C plugin's (`nft.diff`, docs/nft/patch.md) in the
  spec's terms: each op a tuple, entities as the structs a pull gives.

    * `{:delete_rule, family, table, chain, handle}`
    * `{:delete_set_elements, family, table, set, [element]}`
    * `{:delete_chain, family, table, chain}`
    * `{:delete_set, family, table, set}`
    * `{:delete_object, family, table, {kind, name}}`
    * `{:delete_flowtable, family, table, name}`
    * `{:delete_table, family, table}`
    * `{:create_table, family, %Table{}}` (without its children)
    * `{:create_object, family, %Object{}}`, `{:update_object, family, %Object{}}`
      (a quota's or synproxy object's settings, in place)
    * `{:create_set, family, %Set{} | %Map{}}` (with its elements)
    * `{:create_flowtable, family, %Flowtable{}}`
    * `{:create_chain, family, table, %Chain{}}` (without its rules)
    * `{:add_set_elements, family, table, set, [element]}`
    * `{:create_rule, family, table, chain, %Rule{}, position}`, `position`
      being `:append`, `{:before, handle}` or `{:after, handle}`
      (`{:at_index, n}` is the spec's, and refused by `apply/3`: the
      kernel places rules by handle)
    * `{:replace_rule, family, table, chain, handle, %Rule{}}`

  The object and flowtable ops are the plugin's additions to the spec's
  list.  `:sets` holds the declarations of the sets whose elements the ops
  add or delete, keyed `{family, table, set}`: the plugin needs a set's key
  and data types to encode its elements.

  ## Ordering

  `sort/1` (and the plugin) order ops so that a batch can apply them:
  deletions from the leaves up (rules, set elements, chains, sets,
  objects, flowtables, tables), then creations from the root down
  (tables, objects, sets, flowtables, chains, set elements), then rules:
  created before replaced.  The spec lists replacements first; the plugin
  places a created rule before the handle of a kept rule, and a
  replacement retires the old handle within the batch, so creations come
  first.

      #Linx.Netfilter.Patch<3 ops: 2 creates, 1 replace>
  """

  alias Linx.Netfilter.{Chain, Flowtable, Object, Rule, Table}
  alias Linx.Netfilter.Map, as: NMap
  alias Linx.Netfilter.Set, as: NSet

  defstruct ops: [], sets: %{}

  @type position() ::
          :append
          | {:after, pos_integer()}
          | {:before, pos_integer()}
          | {:at_index, non_neg_integer()}

  @type op() ::
          {:create_table, atom(), Table.t()}
          | {:delete_table, atom(), String.t()}
          | {:create_chain, atom(), String.t(), Chain.t()}
          | {:delete_chain, atom(), String.t(), String.t()}
          | {:create_set, atom(), NSet.t() | NMap.t()}
          | {:delete_set, atom(), String.t(), String.t()}
          | {:add_set_elements, atom(), String.t(), String.t(), [term()]}
          | {:delete_set_elements, atom(), String.t(), String.t(), [term()]}
          | {:create_rule, atom(), String.t(), String.t(), Rule.t(), position()}
          | {:replace_rule, atom(), String.t(), String.t(), pos_integer(), Rule.t()}
          | {:delete_rule, atom(), String.t(), String.t(), pos_integer()}
          | {:create_object | :update_object, atom(), Object.t()}
          | {:delete_object, atom(), String.t(), {atom(), String.t()}}
          | {:create_flowtable, atom(), Flowtable.t()}
          | {:delete_flowtable, atom(), String.t(), String.t()}

  @type t() :: %__MODULE__{ops: [op()], sets: %{optional(tuple()) => NSet.t() | NMap.t()}}

  # The plugin's order (docs/nft/patch.md, diff.c op_names).
  @order ~w(delete_rule delete_set_elements delete_chain delete_set delete_object
            delete_flowtable delete_table create_table create_object update_object
            create_set create_flowtable create_chain add_set_elements create_rule
            replace_rule)a
  @rank @order |> Enum.with_index() |> Map.new()
  @names Map.new(@order, &{Atom.to_string(&1), &1})

  @doc "A patch of `ops` (default none: the same value as `diff(r, r)`)."
  @spec new([op()]) :: t()
  def new(ops \\ []) when is_list(ops), do: %__MODULE__{ops: ops}

  @doc "Whether the patch has no ops."
  @spec empty?(t()) :: boolean()
  def empty?(%__MODULE__{ops: ops}), do: ops == []

  @doc """
  Orders the ops as a batch applies them (see the module doc); stable and
  idempotent.
  """
  @spec sort(t()) :: t()
  def sort(%__MODULE__{ops: ops} = p),
    do: %{p | ops: Enum.sort_by(ops, &Map.get(@rank, elem(&1, 0), length(@order)))}

  # ---- the plugin's value -----------------------------------------------------------

  @doc false
  def from_c(%{"ops" => ops}) do
    {ops, sets} =
      Enum.map_reduce(ops, %{}, fn op, sets ->
        {tuple, decl} = op_from_c(op)
        {tuple, if(decl, do: Map.put_new(sets, elem(decl, 0), elem(decl, 1)), else: sets)}
      end)

    %__MODULE__{ops: ops, sets: sets}
  end

  defp op_from_c(%{"op" => name, "family" => fam, "table" => t} = m) do
    f = Chain.enum(fam, Table.families())

    case Map.get(@names, name) do
      :delete_rule ->
        {{:delete_rule, f, t, m["chain"], m["handle"]}, nil}

      :delete_chain ->
        {{:delete_chain, f, t, m["chain"]}, nil}

      :delete_set ->
        {{:delete_set, f, t, m["set"]}, nil}

      :delete_object ->
        o = Object.from_c(m["object"], t)
        {{:delete_object, f, t, {o.kind, o.name}}, nil}

      :delete_flowtable ->
        {{:delete_flowtable, f, t, m["flowtable"]}, nil}

      :delete_table ->
        {{:delete_table, f, t}, nil}

      :create_table ->
        {{:create_table, f,
          Table.from_c(Map.merge(m["table_value"], %{"family" => fam, "name" => t}))}, nil}

      k when k in [:create_object, :update_object] ->
        {{k, f, Object.from_c(m["object"], t)}, nil}

      :create_set ->
        {{:create_set, f, set_from_c(m["set"], t)}, nil}

      :create_flowtable ->
        {{:create_flowtable, f, Flowtable.from_c(m["flowtable"], t)}, nil}

      :create_chain ->
        {{:create_chain, f, t, Chain.from_c(m["chain"], t)}, nil}

      k when k in [:add_set_elements, :delete_set_elements] ->
        decl = set_from_c(Map.put(m["set"], "elements", m["elements"]), t)

        {{k, f, t, decl.name, decl.elements}, {{f, t, decl.name}, %{decl | elements: []}}}

      :create_rule ->
        {{:create_rule, f, t, m["chain"], Rule.from_c(m["rule"], m["chain"]),
          position_from_c(m["position"])}, nil}

      :replace_rule ->
        {{:replace_rule, f, t, m["chain"], m["handle"], Rule.from_c(m["rule"], m["chain"])}, nil}
    end
  end

  defp set_from_c(m, table) do
    if Map.has_key?(m, "data_type"), do: NMap.from_c(m, table), else: NSet.from_c(m, table)
  end

  defp position_from_c(%{"before" => h}), do: {:before, h}
  defp position_from_c(%{"after" => h}), do: {:after, h}
  defp position_from_c(_), do: :append

  @doc false
  # The plugin's patch value, or {:error, {:bad_patch, reason}}.
  def to_c(%__MODULE__{ops: ops, sets: sets}) when is_list(ops) do
    ops
    |> Enum.reduce_while({:ok, []}, fn op, {:ok, acc} ->
      case op_to_c(op, sets) do
        {:ok, m} -> {:cont, {:ok, [m | acc]}}
        :error -> {:halt, {:error, {:bad_patch, {:bad_op, op}}}}
        {:error, reason} -> {:halt, {:error, {:bad_patch, reason}}}
      end
    end)
    |> case do
      {:ok, l} -> {:ok, %{"ops" => Enum.reverse(l)}}
      err -> err
    end
  rescue
    e in [FunctionClauseError, CaseClauseError, MatchError, ArgumentError, KeyError] ->
      {:error, {:bad_patch, {:malformed, Exception.message(e)}}}
  end

  def to_c(other), do: {:error, {:bad_patch, other}}

  defp base(op, f, t),
    do: %{"op" => Atom.to_string(op), "family" => Atom.to_string(f), "table" => t}

  defp op_to_c({:delete_rule, f, t, c, h}, _),
    do: {:ok, Map.merge(base(:delete_rule, f, t), %{"chain" => c, "handle" => h})}

  defp op_to_c({:delete_chain, f, t, c}, _),
    do: {:ok, Map.put(base(:delete_chain, f, t), "chain", c)}

  defp op_to_c({:delete_set, f, t, s}, _), do: {:ok, Map.put(base(:delete_set, f, t), "set", s)}

  defp op_to_c({:delete_object, f, t, {kind, name}}, _),
    do:
      {:ok,
       Map.put(
         base(:delete_object, f, t),
         "object",
         Map.take(Object.to_c(%Object{kind: kind, name: name}), ["kind", "name"])
       )}

  defp op_to_c({:delete_flowtable, f, t, n}, _),
    do: {:ok, Map.put(base(:delete_flowtable, f, t), "flowtable", n)}

  defp op_to_c({:delete_table, f, t}, _), do: {:ok, base(:delete_table, f, t)}

  defp op_to_c({:create_table, f, %Table{name: t} = table}, _) do
    with {:ok, v} <-
           Table.to_c(%{table | chains: %{}, sets: %{}, maps: %{}, objects: %{}, flowtables: %{}}) do
      {:ok,
       Map.put(
         base(:create_table, f, t),
         "table_value",
         Map.drop(v, ["chains", "sets", "objects", "flowtables"])
       )}
    end
  end

  defp op_to_c({k, f, %Object{table: t} = o}, _) when k in [:create_object, :update_object],
    do: {:ok, Map.put(base(k, f, t), "object", Object.to_c(o))}

  defp op_to_c({:create_set, f, %NSet{table: t} = s}, _),
    do: {:ok, Map.put(base(:create_set, f, t), "set", NSet.to_c(s))}

  defp op_to_c({:create_set, f, %NMap{table: t} = s}, _),
    do: {:ok, Map.put(base(:create_set, f, t), "set", NMap.to_c(s))}

  defp op_to_c({:create_flowtable, f, %Flowtable{table: t} = ft}, _),
    do: {:ok, Map.put(base(:create_flowtable, f, t), "flowtable", Flowtable.to_c(ft))}

  defp op_to_c({:create_chain, f, t, %Chain{} = c}, _) do
    with {:ok, v} <- Chain.to_c(%{c | rules: []}) do
      {:ok, Map.put(base(:create_chain, f, t), "chain", Map.delete(v, "rules"))}
    end
  end

  defp op_to_c({k, f, t, s, els}, sets)
       when k in [:add_set_elements, :delete_set_elements] and is_list(els) do
    case Map.fetch(sets, {f, t, s}) do
      {:ok, decl} ->
        v =
          if match?(%NMap{}, decl),
            do: NMap.to_c(%{decl | elements: els}),
            else: NSet.to_c(%{decl | elements: els})

        {:ok,
         Map.merge(base(k, f, t), %{
           "set" => Map.delete(v, "elements"),
           "elements" => v["elements"]
         })}

      :error ->
        {:error, {:unknown_set, {f, t, s}}}
    end
  end

  defp op_to_c({:create_rule, f, t, c, %Rule{} = r, pos}, _) do
    with {:ok, pos} <- position_to_c(pos),
         {:ok, v} <- Rule.to_c(r) do
      {:ok,
       Map.merge(base(:create_rule, f, t), %{
         "chain" => c,
         "rule" => Map.delete(v, "handle"),
         "position" => pos
       })}
    end
  end

  defp op_to_c({:replace_rule, f, t, c, h, %Rule{} = r}, _) do
    with {:ok, v} <- Rule.to_c(r) do
      {:ok,
       Map.merge(base(:replace_rule, f, t), %{
         "chain" => c,
         "handle" => h,
         "rule" => Map.delete(v, "handle")
       })}
    end
  end

  defp op_to_c(_op, _sets), do: :error

  defp position_to_c(:append), do: {:ok, "append"}
  defp position_to_c({:before, h}) when is_integer(h) and h > 0, do: {:ok, %{"before" => h}}
  defp position_to_c({:after, h}) when is_integer(h) and h > 0, do: {:ok, %{"after" => h}}
  defp position_to_c(p), do: {:error, {:bad_position, p}}

  defimpl Inspect do
    def inspect(%{ops: ops}, _opts) do
      counts =
        ops
        |> Enum.map(fn op ->
          case Atom.to_string(elem(op, 0)) do
            "create_" <> _ -> "create"
            "add_" <> _ -> "create"
            "delete_" <> _ -> "delete"
            "replace_" <> _ -> "replace"
            "update_" <> _ -> "replace"
            other -> other
          end
        end)
        |> Enum.frequencies()

      parts =
        for kind <- ["create", "replace", "delete"], n = counts[kind], n do
          "#{n} #{kind}#{if n == 1, do: "", else: "s"}"
        end

      n = length(ops)
      body = if parts == [], do: "", else: ": " <> Enum.join(parts, ", ")
      "#Linx.Netfilter.Patch<#{n} op#{if n == 1, do: "", else: "s"}#{body}>"
    end
  end
end
