defmodule Linx.Netfilter.Ruleset do
  @moduledoc """
  A whole nf_tables ruleset as plain data: tables keyed by
  `{family, name}`.

  What `Linx.Netfilter.push/3` writes, `pull/2` reads back and `diff/2`
  compares.  Build one with the pipeline below, with the `~NFT` sigil
  (`Linx.NFT`), or from nftables text with `Linx.NFT.parse/2`:

      iex> alias Linx.Netfilter.{Ruleset, Rule, Expr}
      iex> rs =
      ...>   Ruleset.new()
      ...>   |> Ruleset.add_table!(:inet, "myapp")
      ...>   |> Ruleset.add_chain!("myapp", "input", type: :filter, hook: :input, priority: 0, policy: :drop)
      ...>   |> Ruleset.add_rule!("myapp", "input", [Expr.payload(:tcp_dport), Expr.cmp(:eq, <<22::16>>), :accept], tag: :ssh)
      iex> Map.keys(rs.tables)
      [{:inet, "myapp"}]

  Every mutator comes plain (`{:ok, rs}` or `{:error, reason}`, to compose
  with `with`) and bang (the ruleset, or `ArgumentError`).  A table is
  referred to by name when that is unambiguous, or by `{family, name}`.

  Errors: `{:bad_table, _}`, `{:bad_chain, _}`, `{:bad_rule, _}` (a
  duplicate tag in a chain is `{:bad_rule, {:duplicate_tag, tag}}`),
  `{:bad_set, _}`, `{:bad_set_element, _}`, `{:bad_map, _}`,
  `{:bad_map_element, _}`, `{:bad_object, _}`, `{:bad_flowtable, _}`, and
  the navigation failures `{:no_such_table, ref}`, `{:no_such_chain, name}`
  and `{:ambiguous_table_name, name}`.
  """

  alias Linx.Netfilter.{Chain, Rule, Table}

  defstruct tables: %{}

  @type t() :: %__MODULE__{tables: %{optional({Table.family(), String.t()}) => Table.t()}}
  @type table_ref() :: String.t() | {Table.family(), String.t()}

  @doc "An empty ruleset."
  @spec new() :: t()
  def new, do: %__MODULE__{}

  @doc "Lists the tables: `[{family, name, %Table{}}]`, sorted."
  @spec tables(t()) :: [{Table.family(), String.t(), Table.t()}]
  def tables(%__MODULE__{tables: tables}),
    do: for({{f, n}, t} <- Enum.sort(tables), do: {f, n, t})

  @doc "Adds a table built by `Table.new/3`; `{family, name}` must be new."
  @spec add_table(t(), Table.family(), String.t(), keyword()) ::
          {:ok, t()} | {:error, {:bad_table, term()}}
  def add_table(rs, family, name, opts \\ [])

  def add_table(%__MODULE__{} = rs, family, name, opts) do
    with {:ok, table} <- Table.new(family, name, opts) do
      if Map.has_key?(rs.tables, {family, name}),
        do: {:error, {:bad_table, {:duplicate_table, {family, name}}}},
        else: {:ok, %{rs | tables: Map.put(rs.tables, {family, name}, table)}}
    end
  end

  def add_table(other, _, _, _), do: not_a_ruleset(other)

  @doc "Bang variant of `add_table/4`."
  @spec add_table!(t(), Table.family(), String.t(), keyword()) :: t()
  def add_table!(rs, family, name, opts \\ []), do: bang(add_table(rs, family, name, opts))

  @doc "Removes a table; `{:error, {:no_such_table, ref}}` if absent."
  @spec delete_table(t(), table_ref()) :: {:ok, t()} | {:error, term()}
  def delete_table(%__MODULE__{} = rs, ref) do
    with {:ok, key, _} <- resolve(rs, ref), do: {:ok, %{rs | tables: Map.delete(rs.tables, key)}}
  end

  def delete_table(other, _), do: not_a_ruleset(other)

  @doc "Bang variant of `delete_table/2`."
  @spec delete_table!(t(), table_ref()) :: t()
  def delete_table!(rs, ref), do: bang(delete_table(rs, ref))

  @doc "Fetches a table by reference."
  @spec fetch_table(t(), table_ref()) :: {:ok, Table.t()} | {:error, term()}
  def fetch_table(%__MODULE__{} = rs, ref) do
    with {:ok, _, t} <- resolve(rs, ref), do: {:ok, t}
  end

  def fetch_table(other, _), do: not_a_ruleset(other)

  @doc "Adds a chain built by `Chain.new/2` to a table."
  @spec add_chain(t(), table_ref(), String.t(), keyword()) :: {:ok, t()} | {:error, term()}
  def add_chain(rs, table_ref, chain_name, opts \\ []) do
    with {:ok, chain} <- Chain.new(chain_name, opts),
         do: update_table(rs, table_ref, &Table.add_chain(&1, chain))
  end

  @doc "Bang variant of `add_chain/4`."
  @spec add_chain!(t(), table_ref(), String.t(), keyword()) :: t()
  def add_chain!(rs, table_ref, chain_name, opts \\ []),
    do: bang(add_chain(rs, table_ref, chain_name, opts))

  @doc "Inserts a pre-built `%Chain{}` into a table (its name must be new there)."
  @spec put_chain(t(), table_ref(), Chain.t()) :: {:ok, t()} | {:error, term()}
  def put_chain(rs, table_ref, chain),
    do: update_table(rs, table_ref, &Table.add_chain(&1, chain))

  @doc "Bang variant of `put_chain/3`."
  @spec put_chain!(t(), table_ref(), Chain.t()) :: t()
  def put_chain!(rs, table_ref, chain), do: bang(put_chain(rs, table_ref, chain))

  @doc """
  Appends a rule to a chain: a `%Rule{}`, or a list of expressions given
  to `Rule.build/2` with `opts` (`:tag`, `:comment`).  Tags are unique in a
  chain.
  """
  @spec add_rule(t(), table_ref(), String.t(), Rule.t() | [Rule.expression_input()], keyword()) ::
          {:ok, t()} | {:error, term()}
  def add_rule(rs, table_ref, chain_name, rule_or_exprs, opts \\ []) do
    with {:ok, rule} <- to_rule(rule_or_exprs, opts) do
      update_table(rs, table_ref, fn table ->
        with {:ok, chain} <- fetch_chain(table, chain_name),
             :ok <- unique_tag(chain, rule.tag),
             {:ok, chain} <- Chain.add_rule(chain, rule) do
          {:ok, %{table | chains: Map.put(table.chains, chain_name, chain)}}
        end
      end)
    end
  end

  @doc "Bang variant of `add_rule/5`."
  @spec add_rule!(t(), table_ref(), String.t(), Rule.t() | [Rule.expression_input()], keyword()) ::
          t()
  def add_rule!(rs, table_ref, chain_name, rule_or_exprs, opts \\ []),
    do: bang(add_rule(rs, table_ref, chain_name, rule_or_exprs, opts))

  @doc "Adds a set to a table."
  @spec add_set(t(), table_ref(), Linx.Netfilter.Set.t()) :: {:ok, t()} | {:error, term()}
  def add_set(rs, table_ref, set), do: update_table(rs, table_ref, &Table.add_set(&1, set))

  @doc "Bang variant of `add_set/3`."
  @spec add_set!(t(), table_ref(), Linx.Netfilter.Set.t()) :: t()
  def add_set!(rs, table_ref, set), do: bang(add_set(rs, table_ref, set))

  @doc "Adds a map or verdict map to a table."
  @spec add_map(t(), table_ref(), Linx.Netfilter.Map.t()) :: {:ok, t()} | {:error, term()}
  def add_map(rs, table_ref, map), do: update_table(rs, table_ref, &Table.add_map(&1, map))

  @doc "Bang variant of `add_map/3`."
  @spec add_map!(t(), table_ref(), Linx.Netfilter.Map.t()) :: t()
  def add_map!(rs, table_ref, map), do: bang(add_map(rs, table_ref, map))

  @doc "Adds an object to a table."
  @spec add_object(t(), table_ref(), Linx.Netfilter.Object.t()) :: {:ok, t()} | {:error, term()}
  def add_object(rs, table_ref, obj), do: update_table(rs, table_ref, &Table.add_object(&1, obj))

  @doc "Bang variant of `add_object/3`."
  @spec add_object!(t(), table_ref(), Linx.Netfilter.Object.t()) :: t()
  def add_object!(rs, table_ref, obj), do: bang(add_object(rs, table_ref, obj))

  @doc "Adds a flowtable to a table."
  @spec add_flowtable(t(), table_ref(), Linx.Netfilter.Flowtable.t()) ::
          {:ok, t()} | {:error, term()}
  def add_flowtable(rs, table_ref, ft),
    do: update_table(rs, table_ref, &Table.add_flowtable(&1, ft))

  @doc "Bang variant of `add_flowtable/3`."
  @spec add_flowtable!(t(), table_ref(), Linx.Netfilter.Flowtable.t()) :: t()
  def add_flowtable!(rs, table_ref, ft), do: bang(add_flowtable(rs, table_ref, ft))

  # ---- helpers -----------------------------------------------------------------

  defp to_rule(%Rule{} = r, _opts), do: {:ok, r}
  defp to_rule(exprs, opts) when is_list(exprs), do: Rule.build(exprs, opts)
  defp to_rule(other, _opts), do: {:error, {:bad_rule, {:not_a_rule, other}}}

  defp fetch_chain(table, name) do
    case Table.fetch_chain(table, name) do
      {:ok, c} -> {:ok, c}
      {:error, :no_such_chain} -> {:error, {:no_such_chain, name}}
    end
  end

  defp unique_tag(_chain, nil), do: :ok

  defp unique_tag(chain, tag) do
    if Enum.any?(chain.rules, &(&1.tag == tag)),
      do: {:error, {:bad_rule, {:duplicate_tag, tag}}},
      else: :ok
  end

  defp update_table(%__MODULE__{} = rs, ref, fun) do
    with {:ok, key, table} <- resolve(rs, ref),
         {:ok, table} <- fun.(table) do
      {:ok, %{rs | tables: Map.put(rs.tables, key, table)}}
    end
  end

  defp update_table(other, _ref, _fun), do: not_a_ruleset(other)

  defp resolve(rs, {family, name} = key) do
    case Map.fetch(rs.tables, key) do
      {:ok, t} ->
        {:ok, key, t}

      :error when family in [:ip, :ip6, :inet, :arp, :bridge, :netdev] and is_binary(name) ->
        {:error, {:no_such_table, key}}

      :error ->
        {:error, {:no_such_table, key}}
    end
  end

  defp resolve(rs, name) when is_binary(name) do
    case for({{_, n} = k, t} <- rs.tables, n == name, do: {k, t}) do
      [{k, t}] -> {:ok, k, t}
      [] -> {:error, {:no_such_table, name}}
      _ -> {:error, {:ambiguous_table_name, name}}
    end
  end

  defp resolve(_rs, ref), do: {:error, {:no_such_table, ref}}

  defp not_a_ruleset(other), do: {:error, {:bad_ruleset, {:not_a_ruleset, other}}}

  defp bang({:ok, rs}), do: rs
  defp bang({:error, reason}), do: raise(ArgumentError, "ruleset: #{inspect(reason)}")

  # ---- the C value --------------------------------------------------------------

  @doc false
  def to_c(%__MODULE__{tables: tables}) when is_map(tables) do
    do_to_c(tables)
  rescue
    e in [
      FunctionClauseError,
      CaseClauseError,
      MatchError,
      ArgumentError,
      KeyError,
      BadMapError,
      Protocol.UndefinedError
    ] ->
      {:error, {:bad_ruleset, {:malformed, Exception.message(e)}}}
  end

  def to_c(other), do: not_a_ruleset(other)

  defp do_to_c(tables) do
    tables
    |> Enum.sort()
    |> Enum.reduce_while({:ok, []}, fn {_, t}, {:ok, acc} ->
      case Table.to_c(t) do
        {:ok, m} -> {:cont, {:ok, [m | acc]}}
        err -> {:halt, err}
      end
    end)
    |> case do
      {:ok, l} -> {:ok, %{"tables" => Enum.reverse(l)}}
      err -> err
    end
  end

  @doc false
  def from_c(%{} = m) do
    tables =
      for t <- Map.get(m, "tables", []), table = Table.from_c(t), into: %{} do
        {{table.family, table.name}, table}
      end

    %__MODULE__{tables: tables}
  end
end
