defmodule Linx.Netfilter.Expr do
  @moduledoc """
  One expression of a rule: a payload load, a comparison, a lookup, a
  verdict...

  `:name` is the kernel expression's name as an atom (`:payload`, `:cmp`,
  `:immediate`, `:lookup`) and `:data` its attributes: a map with atom keys
  named after the UAPI attributes, as in docs/nft/expressions.md (`base`,
  `offset`, `len`, `dreg`...), enumerations as atoms and raw data as
  binaries in register byte order.  A verdict-loading immediate carries the
  `%Linx.Netfilter.Verdict{}` itself as its data.

      iex> Linx.Netfilter.Expr.payload(:tcp_dport)
      #Linx.Netfilter.Expr<payload>

  The helpers (`payload/1,4`, `cmp/3`, `meta/2`, `ct/2`, `lookup/2`,
  `counter/1`, `log/1`, `reject/2`, `nat/2`, `dnat_to/3`, `snat_to/3`,
  `masquerade/1`, `redirect/1`, `set_literal/3`) build the same struct as
  `new/2`.  The expressions are encoded by the C `nft` plugin, which checks
  every field before anything reaches the kernel: a malformed expression
  comes back from `Linx.Netfilter.push/3` as `{:error, {:bad_expr, _}}`.
  """

  alias Linx.Netfilter.Verdict

  @enforce_keys [:name]
  defstruct [:name, :data]

  @type t() :: %__MODULE__{name: atom() | String.t(), data: term()}
  @type addr_input() ::
          :inet.ip_address() | <<_::32>> | <<_::128>> | String.t() | Linx.IP.t()

  # Header fields by name: {base, offset, len} (docs/nft/expressions.md).
  @fields %{
    ether_daddr: {:link, 0, 6},
    ether_saddr: {:link, 6, 6},
    ether_type: {:link, 12, 2},
    ip_tos: {:network, 1, 1},
    ip_length: {:network, 2, 2},
    ip_ttl: {:network, 8, 1},
    ip_protocol: {:network, 9, 1},
    ip_saddr: {:network, 12, 4},
    ip_daddr: {:network, 16, 4},
    ip6_nexthdr: {:network, 6, 1},
    ip6_hoplimit: {:network, 7, 1},
    ip6_saddr: {:network, 8, 16},
    ip6_daddr: {:network, 24, 16},
    tcp_sport: {:transport, 0, 2},
    tcp_dport: {:transport, 2, 2},
    udp_sport: {:transport, 0, 2},
    udp_dport: {:transport, 2, 2},
    th_sport: {:transport, 0, 2},
    th_dport: {:transport, 2, 2},
    tcp_flags: {:transport, 13, 1},
    icmp_type: {:transport, 0, 1},
    icmp_code: {:transport, 1, 1},
    icmpv6_type: {:transport, 0, 1},
    icmpv6_code: {:transport, 1, 1}
  }

  @doc "Generic constructor: an expression named `name` carrying `data`."
  @spec new(atom() | String.t(), term()) :: t()
  def new(name, data \\ nil), do: %__MODULE__{name: name, data: data}

  @doc """
  An immediate: a verdict into register 0 (any input `Verdict.new!/1`
  takes), or a constant binary into register 1 (`dreg:` in a keyword list
  form `immediate({:data, bin, dreg})` is not needed: use `new/2`).
  """
  @spec immediate(term()) :: t()
  def immediate(bin) when is_binary(bin), do: new(:immediate, %{dreg: 1, data: bin})
  def immediate(v), do: new(:immediate, Verdict.new!(v))

  @doc "Comparison of register `:sreg` (default 1) with `value` (raw bytes)."
  @spec cmp(atom(), binary(), keyword()) :: t()
  def cmp(op, value, opts \\ [])

  def cmp(op, value, opts) when op in [:eq, :neq, :lt, :lte, :gt, :gte],
    do: new(:cmp, %{op: op, sreg: Keyword.get(opts, :sreg, 1), data: value})

  def cmp(op, _value, _opts),
    do:
      raise(
        ArgumentError,
        "cmp: op must be :eq, :neq, :lt, :lte, :gt or :gte, got: #{inspect(op)}"
      )

  @doc "A header field by name (`:tcp_dport`, `:ip_saddr`...) into `:dreg` (1)."
  @spec payload(atom(), keyword()) :: t()
  def payload(field, opts \\ []) do
    case Map.fetch(@fields, field) do
      {:ok, {base, offset, len}} -> payload(base, offset, len, opts)
      :error -> raise ArgumentError, "unknown payload field #{inspect(field)}"
    end
  end

  @doc "`len` bytes at `offset` from `base` (`:link`, `:network`, `:transport`, `:inner`)."
  @spec payload(atom(), non_neg_integer(), pos_integer(), keyword()) :: t()
  def payload(base, offset, len, opts \\ []),
    do: new(:payload, %{base: base, offset: offset, len: len, dreg: Keyword.get(opts, :dreg, 1)})

  @doc "Packet metadata `key` (`:iifname`, `:l4proto`, `:mark`...) into `:dreg` (1)."
  @spec meta(atom(), keyword()) :: t()
  def meta(key, opts \\ []), do: new(:meta, %{key: key, dreg: Keyword.get(opts, :dreg, 1)})

  @doc "Conntrack `key` (`:state`, `:mark`...) into `:dreg` (1); `:direction` optional."
  @spec ct(atom(), keyword()) :: t()
  def ct(key, opts \\ []) do
    data = %{key: key, dreg: Keyword.get(opts, :dreg, 1)}
    new(:ct, put_opt(data, :direction, opts[:direction]))
  end

  @doc "`(reg & mask) ^ xor`; `len` is `byte_size(mask)`."
  @spec bitwise(binary(), binary(), keyword()) :: t()
  def bitwise(mask, xor, opts \\ []) do
    new(:bitwise, %{
      sreg: Keyword.get(opts, :sreg, 1),
      dreg: Keyword.get(opts, :dreg, 1),
      len: Keyword.get(opts, :len, byte_size(mask)),
      mask: mask,
      xor: xor
    })
  end

  @doc "Lookup of `:sreg` (1) in set `set_name`; `:dreg` for maps, `flags: [:inv]`."
  @spec lookup(String.t(), keyword()) :: t()
  def lookup(set_name, opts \\ []) do
    %{set: set_name, sreg: Keyword.get(opts, :sreg, 1)}
    |> put_opt(:dreg, opts[:dreg])
    |> put_opt(:flags, opts[:flags])
    |> then(&new(:lookup, &1))
  end

  @doc "A per-rule counter (`:packets`, `:bytes` optional)."
  @spec counter(keyword()) :: t()
  def counter(opts \\ []), do: new(:counter, Map.new(Keyword.take(opts, [:packets, :bytes])))

  @doc "Log: `:group`, `:prefix`, `:snaplen`, `:qthreshold`, `:level`, `:flags`."
  @spec log(keyword()) :: t()
  def log(opts \\ []),
    do:
      new(
        :log,
        Map.new(Keyword.take(opts, [:group, :prefix, :snaplen, :qthreshold, :level, :flags]))
      )

  @doc "Reject: `:icmp_unreach` (code 3 by default), `:tcp_reset` or `:icmpx_unreach` (code 1)."
  @spec reject(atom(), keyword()) :: t()
  def reject(type \\ :icmp_unreach, opts \\ [])

  def reject(:tcp_reset, _opts), do: new(:reject, %{type: :tcp_reset})

  def reject(type, opts) do
    default = if type == :icmpx_unreach, do: 1, else: 3
    new(:reject, %{type: type, code: Keyword.get(opts, :icmp_code, default)})
  end

  @doc "Low-level NAT: `type` `:snat`/`:dnat`, `:family`, register and flag options."
  @spec nat(atom(), keyword()) :: t()
  def nat(type, opts \\ []) do
    keys = [:family, :reg_addr_min, :reg_addr_max, :reg_proto_min, :reg_proto_max, :flags]
    new(:nat, Map.merge(%{type: type}, Map.new(Keyword.take(opts, keys))))
  end

  @doc """
  Destination NAT to `addr` (and `port`): the C plugin expands it into the
  immediates and the `nat` nftables writes for `dnat ip to A:P`.  Returns
  a list, which `Linx.Netfilter.Rule.build/2` flattens.
  """
  @spec dnat_to(addr_input(), non_neg_integer() | nil, keyword()) :: [t()]
  def dnat_to(addr, port \\ nil, opts \\ []), do: [nat_to(:dnat_to, addr, port, opts)]

  @doc "Source NAT to `addr` (and `port`); see `dnat_to/3`."
  @spec snat_to(addr_input(), non_neg_integer() | nil, keyword()) :: [t()]
  def snat_to(addr, port \\ nil, opts \\ []), do: [nat_to(:snat_to, addr, port, opts)]

  defp nat_to(name, addr, port, opts) do
    %{addr: addr_text(addr)}
    |> put_opt(:port, port)
    |> Map.merge(Map.new(Keyword.take(opts, [:family, :flags, :reg_addr, :reg_port])))
    |> then(&new(name, &1))
  end

  defp addr_text(%Linx.IP{} = ip), do: Linx.IP.to_string(ip)
  defp addr_text(t) when is_tuple(t), do: t |> Linx.IP.from_tuple() |> Linx.IP.to_string()

  defp addr_text(b) when is_binary(b) and byte_size(b) in [4, 16] do
    if String.valid?(b) and String.contains?(b, [".", ":"]),
      do: b,
      else: b |> Linx.IP.decode() |> Linx.IP.to_string()
  end

  defp addr_text(other), do: other

  @doc "Masquerade (postrouting): `:flags`, `:port_min`/`:port_max`."
  @spec masquerade(keyword()) :: t()
  def masquerade(opts \\ []),
    do: new(:masq, Map.new(Keyword.take(opts, [:flags, :port_min, :port_max])))

  @doc "Redirect to the host itself: `:port`, `:flags`."
  @spec redirect(keyword()) :: t()
  def redirect(opts \\ []), do: new(:redir, Map.new(Keyword.take(opts, [:port, :flags])))

  @doc """
  An anonymous set and its lookup, `tcp dport { 22, 80 }`: `values` as a
  set's elements, `key_type` as `Linx.Netfilter.Set.new/2` takes it.
  Options: `:sreg` (1), `flags: [:inv]`.
  """
  @spec set_literal([term()], atom() | [atom()], keyword()) :: t()
  def set_literal(values, key_type, opts \\ []) do
    %{key_type: key_type, elements: values, sreg: Keyword.get(opts, :sreg, 1)}
    |> put_opt(:flags, opts[:flags])
    |> then(&new(:set_literal, &1))
  end

  @doc "Whether `expr` is an immediate carrying a verdict."
  @spec verdict?(term()) :: boolean()
  def verdict?(%__MODULE__{name: :immediate, data: %Verdict{}}), do: true
  def verdict?(_), do: false

  defp put_opt(map, _k, nil), do: map
  defp put_opt(map, k, v), do: Map.put(map, k, v)

  # ---- the C value (docs/nft/schema.md, "Expressions") -----------------------

  # Raw data the NIF must pass as bytes even when it looks like text.
  @byte_keys ["data", "mask", "xor", "from", "to", "raw"]
  @byte_atoms Enum.map(@byte_keys, &String.to_atom/1)
  # String values that are enumerations, made atoms on the way in.
  @enum_keys Enum.map(Linx.Netfilter.Names.enum_keys(), &Atom.to_string/1)

  @doc false
  def to_c(%__MODULE__{name: :immediate, data: %Verdict{} = v}), do: {:ok, Verdict.to_c(v)}

  # An expression whose data holds only scalars (most of a ruleset's) is
  # passed as the struct itself: the NIF reads it as the plugin's map, its
  # byte keys' binaries as bytes (c_src/term_in.c), and the push makes no
  # garbage for it.
  def to_c(%__MODULE__{name: name, data: data} = e)
      when is_atom(name) and name not in [nil, true, false] and
             (is_nil(data) or (is_map(data) and not is_struct(data))) do
    if data == nil or clean_values?(:maps.values(data)),
      do: {:ok, e},
      else: expr_map(name, data)
  end

  def to_c(%__MODULE__{name: name, data: data})
      when (is_atom(name) or is_binary(name)) and not is_nil(name) do
    data = if is_list(data) and Keyword.keyword?(data), do: Map.new(data), else: data
    expr_map(name, data)
  end

  def to_c(other), do: {:error, {:not_an_expression, other}}

  defp expr_map(name, nil), do: {:ok, %{"expr" => name}}

  defp expr_map(name, %{} = map) when not is_struct(map),
    do: {:ok, Map.put(pairs_to_c(wide_keys(name, map)), "expr", name)}

  defp expr_map(name, other), do: {:error, {:bad_expression_data, name, other}}

  # Values the NIF converts as they are: integers, atoms and binaries
  # (bytes under a byte key, as value_to_c/2 marks them).  Any keys: the
  # NIF reads atoms and binaries alike.  (`:maps.values/1` is the cheapest
  # walk: a list cell per value, where `:maps.to_list/1` makes a tuple too.)
  defp clean_values?([]), do: true
  defp clean_values?([v | rest]) when is_integer(v) or is_atom(v), do: clean_values?(rest)
  defp clean_values?([v | rest]) when is_binary(v), do: clean_values?(rest)
  defp clean_values?(_), do: false

  # An integer key wider than 64 bits (a raw payload of 9 to 16 bytes,
  # `@nh,64,128 { ... }`) is its bytes, as the plugin gives it back: they
  # must reach it as bytes, not as text.
  defp wide_keys(:set_literal, %{key_type: "integer/" <> n, elements: els} = d)
       when is_list(els) do
    case Integer.parse(n) do
      {bits, ""} when bits > 64 -> %{d | elements: Enum.map(els, &wide_key/1)}
      _ -> d
    end
  end

  defp wide_keys(_name, d), do: d

  defp wide_key(b) when is_binary(b), do: {:bytes, b}
  defp wide_key({:range, lo, hi}), do: {:range, wide_key(lo), wide_key(hi)}
  defp wide_key(other), do: other

  # Values go to the plugin through Linx.Netfilter's calls, whose :nft
  # shape lets atoms (keys and values) cross as their text: they are left
  # as they are here.

  @doc false
  def value_to_c(k, b) when (k in @byte_atoms or k in @byte_keys) and is_binary(b),
    do: {:bytes, b}

  def value_to_c(_k, v), do: value_to_c(v)

  @doc false
  def value_to_c(v) when is_atom(v), do: v
  def value_to_c(%Verdict{} = v), do: Verdict.to_c(v)

  # a set's or an element's expressions
  def value_to_c(%__MODULE__{} = e) do
    case to_c(e) do
      {:ok, c} -> c
      {:error, _} -> e
    end
  end

  def value_to_c(%Linx.IP{} = ip), do: Linx.IP.to_string(ip)
  def value_to_c(%Linx.IP.Subnet{} = s), do: to_string(s)
  def value_to_c(%Linx.MAC{} = m), do: Linx.MAC.to_string(m)
  def value_to_c({:range, lo, hi}), do: %{"range" => [value_to_c(lo), value_to_c(hi)]}
  def value_to_c(l) when is_list(l), do: Enum.map(l, &value_to_c/1)

  def value_to_c(%{} = m) when not is_struct(m), do: pairs_to_c(m)

  def value_to_c(t) when is_tuple(t) and tuple_size(t) in [4, 8] do
    t |> Linx.IP.from_tuple() |> Linx.IP.to_string()
  rescue
    _ -> t
  end

  def value_to_c(v), do: v

  # A map's values converted; its keys stay (atoms or binaries, which the
  # NIF reads as text), and so does the map's shape: a push converts tens
  # of thousands.
  # Most expressions hold atom keys and scalars: those stay the same map,
  # with only their byte keys' binaries marked. One pass over the pairs
  # decides, and collects the byte keys that hold a binary.
  defp pairs_to_c(map) do
    case scan_pairs(:maps.to_list(map), []) do
      [] -> map
      marks when is_list(marks) -> mark_bytes(map, marks)
      :other -> :maps.from_list(for {k, v} <- :maps.to_list(map), do: {k, pairs_value(k, v)})
    end
  end

  defp scan_pairs([], marks), do: marks

  defp scan_pairs([{k, v} | rest], marks) when is_atom(k) and is_binary(v) do
    if k in @byte_atoms, do: scan_pairs(rest, [k | marks]), else: scan_pairs(rest, marks)
  end

  defp scan_pairs([{k, v} | rest], marks) when is_atom(k) and (is_atom(v) or is_integer(v)),
    do: scan_pairs(rest, marks)

  defp scan_pairs(_, _), do: :other

  defp mark_bytes(map, []), do: map
  defp mark_bytes(map, [k | ks]), do: mark_bytes(%{map | k => {:bytes, map[k]}}, ks)

  defp pairs_value(k, v) when is_atom(k) or is_binary(k), do: value_to_c(k, v)
  defp pairs_value(_k, v), do: value_to_c(v)

  # From the plugin's values to these structs: the NIF builds expressions,
  # verdicts and set elements itself while it converts an nft verb's
  # result (c_src/term_nft.c, Linx.Native.call/3 with :nft).

  @doc false
  # An object's attributes (Linx.Netfilter.Object): its enumerations as
  # atoms, as the NIF makes them in expressions.
  def value_from_c(k, v) when k in @enum_keys and is_binary(v), do: enum_atom(v)
  def value_from_c(k, l) when k in @enum_keys and is_list(l), do: Enum.map(l, &enum_atom/1)
  def value_from_c("flags", l) when is_list(l), do: Enum.map(l, &enum_atom/1)
  def value_from_c(_k, v), do: v

  @doc false
  # C names and enumerations become atoms through a fixed table only.
  def key_atom(s) when is_binary(s), do: Linx.Netfilter.Names.atom(s)

  defp enum_atom(s) when is_binary(s), do: key_atom(s)
  defp enum_atom(v), do: v

  defimpl Inspect do
    def inspect(%{name: :immediate, data: %Linx.Netfilter.Verdict{kind: k, target: nil}}, _),
      do: "#Linx.Netfilter.Expr<immediate #{k}>"

    def inspect(%{name: :immediate, data: %Linx.Netfilter.Verdict{kind: k, target: t}}, _),
      do: "#Linx.Netfilter.Expr<immediate #{k} #{Kernel.inspect(t)}>"

    def inspect(%{name: name}, _), do: "#Linx.Netfilter.Expr<#{name}>"
  end
end
