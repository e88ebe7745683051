defmodule Linx.Netfilter.Chain do
  @moduledoc """
  A chain: a named, ordered list of rules in a table.

  A base chain has `:type`, `:hook` and `:priority` (all three) and is
  attached to a hook; a regular chain has none and is reached by `jump` and
  `goto`.  `new/2` checks the chain's own shape; `validate_for_family/2`
  checks what depends on the table's family (`:nat` not in `arp`, `:route`
  in ip/ip6/inet output only, arp hooks input/output, netdev hooks
  ingress/egress).

      iex> {:ok, c} = Linx.Netfilter.Chain.new("input", type: :filter, hook: :input, priority: 0)
      iex> Linx.Netfilter.Chain.base?(c)
      true

  `:priority` is an integer, a name (`:filter`, `:dstnat`...) or
  `{name, offset}`; pulled chains have integers.  `:device` is a string or
  a list of strings, required for `:ingress` and `:egress`.  Errors:
  `{:error, {:bad_chain, reason}}`.
  """

  alias Linx.Netfilter.Rule

  defstruct [
    :name,
    :table,
    :type,
    :hook,
    :priority,
    :policy,
    :device,
    :handle,
    :comment,
    flags: [],
    rules: []
  ]

  @type chain_type() :: :filter | :nat | :route
  @type hook() :: :prerouting | :input | :forward | :output | :postrouting | :ingress | :egress
  @type policy() :: :accept | :drop
  @type priority() :: integer() | atom() | {atom(), integer()}
  @type t() :: %__MODULE__{
          device: String.t() | [String.t()] | nil,
          flags: [atom()],
          handle: pos_integer() | nil,
          hook: hook() | nil,
          name: String.t(),
          policy: policy() | nil,
          priority: priority() | nil,
          rules: [Rule.t()],
          table: String.t() | nil,
          type: chain_type() | nil,
          comment: String.t() | nil
        }

  @types [:filter, :nat, :route]
  @hooks [:prerouting, :input, :forward, :output, :postrouting, :ingress, :egress]
  @prio_names [:raw, :mangle, :dstnat, :filter, :security, :srcnat, :out]

  @doc "Builds a chain, checking its own shape."
  @spec new(String.t(), keyword()) :: {:ok, t()} | {:error, {:bad_chain, term()}}
  def new(name, opts \\ [])

  def new(_name, opts) when not is_list(opts), do: {:error, {:bad_chain, {:bad_opts, opts}}}

  def new(name, opts) when is_list(opts) do
    if Keyword.keyword?(opts),
      do: do_new(name, opts),
      else: {:error, {:bad_chain, {:bad_opts, opts}}}
  end

  defp do_new(name, opts) do
    chain = %__MODULE__{
      name: name,
      type: opts[:type],
      hook: opts[:hook],
      priority: opts[:priority],
      policy: opts[:policy],
      device: opts[:device],
      flags: Keyword.get(opts, :flags, []),
      handle: opts[:handle],
      comment: opts[:comment],
      table: opts[:table]
    }

    with :ok <- validate(chain), do: {:ok, chain}
  end

  @doc "Like `new/2`, but returns the chain or raises `ArgumentError`."
  @spec new!(String.t(), keyword()) :: t()
  def new!(name, opts \\ []) do
    case new(name, opts) do
      {:ok, c} -> c
      {:error, reason} -> raise ArgumentError, "invalid chain: #{inspect(reason)}"
    end
  end

  @doc "Whether the chain is a base chain (type, hook and priority set)."
  @spec base?(t()) :: boolean()
  def base?(%__MODULE__{type: t, hook: h, priority: p}), do: t != nil and h != nil and p != nil

  @doc "Appends `rule`, setting its `:chain`."
  @spec add_rule(t(), Rule.t()) :: {:ok, t()} | {:error, {:bad_chain, term()}}
  def add_rule(%__MODULE__{} = chain, %Rule{} = rule),
    do: {:ok, %{chain | rules: chain.rules ++ [%{rule | chain: chain.name}]}}

  def add_rule(%__MODULE__{}, other), do: {:error, {:bad_chain, {:not_a_rule, other}}}

  @doc false
  def validate(%__MODULE__{} = c) do
    base = [c.type, c.hook, c.priority]

    cond do
      not (is_binary(c.name) and byte_size(c.name) in 1..255 and String.valid?(c.name)) ->
        {:error, {:bad_chain, {:bad_name, c.name}}}

      Enum.any?(base, &is_nil/1) and not Enum.all?(base, &is_nil/1) ->
        {:error,
         {:bad_chain,
          {:incomplete_base_chain, %{type: c.type, hook: c.hook, priority: c.priority}}}}

      c.type != nil and c.type not in @types ->
        {:error, {:bad_chain, {:bad_type, c.type}}}

      c.hook != nil and c.hook not in @hooks ->
        {:error, {:bad_chain, {:bad_hook, c.hook}}}

      c.priority != nil and not priority?(c.priority) ->
        {:error, {:bad_chain, {:bad_priority, c.priority}}}

      c.policy not in [nil, :accept, :drop] ->
        {:error, {:bad_chain, {:bad_policy, c.policy}}}

      c.policy != nil and c.type == nil ->
        {:error, {:bad_chain, {:policy_on_regular_chain, c.policy}}}

      c.hook in [:ingress, :egress] and not device?(c.device) ->
        {:error, {:bad_chain, {:device_required_for_hook, c.hook}}}

      c.device != nil and not device?(c.device) ->
        {:error, {:bad_chain, {:bad_device, c.device}}}

      not (is_list(c.flags) and Enum.all?(c.flags, &(&1 == :hw_offload))) ->
        {:error, {:bad_chain, {:bad_flags, c.flags}}}

      not (is_nil(c.comment) or (is_binary(c.comment) and String.valid?(c.comment))) ->
        {:error, {:bad_chain, {:bad_comment, c.comment}}}

      true ->
        :ok
    end
  end

  defp priority?(p) when is_integer(p), do: p in -2_147_483_648..2_147_483_647
  defp priority?(p) when is_atom(p), do: p in @prio_names
  defp priority?({n, off}) when is_atom(n) and is_integer(off), do: n in @prio_names
  defp priority?(_), do: false

  defp device?(d) when is_binary(d), do: byte_size(d) in 1..15 and String.valid?(d)
  defp device?([_ | _] = l), do: Enum.all?(l, &device?/1)
  defp device?(_), do: false

  @doc """
  Checks what depends on the table's family: chain types and hooks allowed
  there (as the C plugin and the kernel decide).
  """
  @spec validate_for_family(t(), atom()) :: :ok | {:error, {:bad_chain, term()}}
  def validate_for_family(%__MODULE__{type: nil}, _family), do: :ok

  def validate_for_family(%__MODULE__{type: type, hook: hook}, family) do
    hooks = family_hooks(family)

    cond do
      hook not in hooks ->
        {:error, {:bad_chain, {:hook_not_valid_for_family, %{hook: hook, family: family}}}}

      type == :nat and
          (family not in [:ip, :ip6, :inet] or
             hook not in [:prerouting, :input, :output, :postrouting]) ->
        {:error, {:bad_chain, {:type_not_valid_for_family, %{type: :nat, family: family}}}}

      type == :route and (family not in [:ip, :ip6, :inet] or hook != :output) ->
        {:error, {:bad_chain, {:type_not_valid_for_family, %{type: :route, family: family}}}}

      true ->
        :ok
    end
  end

  defp family_hooks(f) when f in [:ip, :ip6],
    do: [:prerouting, :input, :forward, :output, :postrouting]

  defp family_hooks(:inet), do: [:prerouting, :input, :forward, :output, :postrouting, :ingress]
  defp family_hooks(:bridge), do: [:prerouting, :input, :forward, :output, :postrouting]
  defp family_hooks(:arp), do: [:input, :output]
  defp family_hooks(:netdev), do: [:ingress, :egress]
  defp family_hooks(_), do: []

  @doc false
  def to_c(%__MODULE__{} = c) do
    with {:ok, rules} <- rules_to_c(c.rules, []) do
      %{"name" => c.name, "rules" => rules}
      |> put("type", atom_s(c.type))
      |> put("hook", atom_s(c.hook))
      |> put("priority", priority_to_c(c.priority))
      |> put("policy", atom_s(c.policy))
      |> put(if(is_list(c.device), do: "devices", else: "device"), c.device)
      |> put("flags", if(c.flags == [], do: nil, else: Enum.map(c.flags, &Atom.to_string/1)))
      |> put("comment", c.comment)
      |> put("handle", c.handle)
      |> then(&{:ok, &1})
    end
  end

  defp rules_to_c([], acc), do: {:ok, :lists.reverse(acc)}

  defp rules_to_c([r | rest], acc) do
    case Rule.to_c(r) do
      {:ok, m} -> rules_to_c(rest, [m | acc])
      err -> err
    end
  end

  defp priority_to_c({n, off}), do: %{"name" => Atom.to_string(n), "offset" => off}
  defp priority_to_c(p) when is_atom(p) and p != nil, do: Atom.to_string(p)
  defp priority_to_c(p), do: p

  defp atom_s(nil), do: nil
  defp atom_s(a), do: Atom.to_string(a)

  defp put(m, _k, nil), do: m
  defp put(m, k, v), do: Map.put(m, k, v)

  @doc false
  def from_c(%{"name" => name} = m, table) do
    %__MODULE__{
      name: name,
      table: table,
      type: enum(m["type"], @types),
      hook: enum(m["hook"], @hooks),
      priority: priority_from_c(m["priority"]),
      policy: enum(m["policy"], [:accept, :drop]),
      device: m["device"] || m["devices"],
      flags: Enum.map(Map.get(m, "flags", []), &enum(&1, [:hw_offload])),
      comment: m["comment"],
      handle: m["handle"],
      rules: Enum.map(Map.get(m, "rules", []), &Rule.from_c(&1, name))
    }
  end

  defp priority_from_c(%{"name" => n} = p) do
    case Map.get(p, "offset", 0) do
      0 -> enum(n, @prio_names)
      off -> {enum(n, @prio_names), off}
    end
  end

  defp priority_from_c(p) when is_binary(p), do: enum(p, @prio_names)
  defp priority_from_c(p), do: p

  @doc false
  def enum(nil, _known), do: nil

  def enum(s, known) when is_binary(s) do
    Enum.find(known, s, &(Atom.to_string(&1) == s))
  end

  def enum(v, _known), do: v
end
