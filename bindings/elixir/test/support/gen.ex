defmodule LinxTest.Gen do
  @moduledoc false
  # PropEr generators (Debian's erlang-proper) for the NIF tests.
  #
  #   value/0 - terms the NIF can represent, for round trips through
  #             nif_test.echo;
  #   term/0  - anything at all, for the fuzz test: every kind of term,
  #             including pids, ports, references, funs, Linx handles, huge
  #             and edge integers, improper lists, maps with odd keys and
  #             deep nesting.  Atoms are drawn from a fixed set: PropEr's own
  #             atom() and any() make a new atom per draw and would fill the
  #             atom table over a long run.

  alias :proper_types, as: T

  @atoms [
    :ok,
    :error,
    :nil_,
    true,
    false,
    nil,
    :undefined,
    :"Elixir.Linx",
    :"a b",
    :ünïcödé,
    :"",
    :"example.add",
    :value,
    :a
  ]

  @doc """
  A value as a plain call takes it: atoms other than nil, true and false,
  as keys or values, become their text (what the :nft shape does to
  Linx.Netfilter's values in the NIF).
  """
  @byte_keys [:data, :mask, :xor, :from, :to, :raw]

  # An expression that crosses as its struct (Linx.Netfilter.Expr.to_c/1),
  # as the NIF reads it (c_src/term_in.c).
  def text(%Linx.Netfilter.Expr{name: n, data: d}) do
    for {k, v} <- d || %{}, into: %{"expr" => text(n)} do
      if k in @byte_keys and is_binary(v), do: {text(k), {:bytes, v}}, else: {text(k), text(v)}
    end
  end

  def text(m) when is_map(m) and not is_struct(m),
    do: Map.new(m, fn {k, v} -> {text(k), text(v)} end)

  def text(l) when is_list(l), do: Enum.map(l, &text/1)
  def text(a) when is_atom(a) and a not in [nil, true, false], do: Atom.to_string(a)
  def text({:bytes, b}), do: {:bytes, b}
  def text(v), do: v

  @doc """
  Whether a dispatch call's answer has the one shape the NIF may give:
  {:ok, _} or {:error, %{errno:, code:, op:, message:, ...}}, the fuzz
  tests' property.
  """
  def well_formed?({:ok, _}), do: true

  def well_formed?({:error, %{errno: errno, code: code, op: op, message: msg} = e}) do
    is_atom(errno) and is_integer(code) and code > 0 and is_binary(op) and is_binary(msg) and
      map_size(e) == 7
  end

  def well_formed?(_), do: false

  # true, or the failing case (PropEr's counterexample) for the assertion
  # message.
  def quickcheck(gen, numtests, prop, max_size \\ 30) do
    opts = [{:numtests, numtests}, {:max_size, max_size}, :quiet]

    case :proper.quickcheck(:proper.forall(gen, prop), opts) do
      true -> true
      _ -> {:counterexample, :proper.counterexample()}
    end
  end

  # ---- representable values ------------------------------------------------

  def value, do: T.sized(fn size -> value(size) end)

  defp value(size) when size <= 1, do: scalar()

  defp value(size) do
    T.frequency([
      {4, scalar()},
      {1, T.lazy(fn -> T.resize(div(size, 2), T.list(value(div(size, 2)))) end)},
      {1, T.lazy(fn -> value_map(div(size, 2)) end)}
    ])
  end

  defp value_map(size) do
    T.bind(T.resize(size, T.list(T.tuple([key(), value(size)]))), &Map.new/1, false)
  end

  defp scalar do
    T.union([
      T.exactly(nil),
      T.bool(),
      T.integer(),
      edge_integer(),
      T.binary(),
      utf8()
    ])
  end

  def edge_integer do
    T.elements([
      0,
      -1,
      9_223_372_036_854_775_807,
      -9_223_372_036_854_775_808,
      9_223_372_036_854_775_808,
      18_446_744_073_709_551_615
    ])
  end

  # Valid UTF-8 without NUL: what map keys must be.
  def key, do: T.bind(utf8(), &String.replace(&1, <<0>>, "_"), false)

  defp utf8, do: T.bind(T.list(T.integer(1, 0x2FFFF)), &utf8_from/1, false)

  defp utf8_from(points) do
    points |> Enum.reject(&(&1 in 0xD800..0xDFFF)) |> List.to_string()
  end

  # ---- anything --------------------------------------------------------------

  def term, do: T.sized(fn size -> term(size) end)

  defp term(size) when size <= 1, do: odd_scalar()

  defp term(size) do
    half = div(size, 2)

    T.frequency([
      {3, odd_scalar()},
      {1, T.lazy(fn -> T.resize(half, T.list(term(half))) end)},
      {1,
       T.lazy(fn ->
         T.bind(T.tuple([T.resize(half, T.list(term(half))), term(half)]), &improper/1, false)
       end)},
      {1,
       T.lazy(fn ->
         T.bind(T.resize(half, T.list(T.tuple([term(half), term(half)]))), &Map.new/1, false)
       end)},
      {1, T.lazy(fn -> T.bind(T.resize(half, T.list(term(half))), &List.to_tuple/1, false) end)},
      {1, T.lazy(fn -> T.bind(T.integer(0, 200), &nest/1, false) end)}
    ])
  end

  defp odd_scalar do
    T.union([
      T.exactly(nil),
      T.bool(),
      T.integer(),
      edge_integer(),
      T.elements([18_446_744_073_709_551_616, -9_223_372_036_854_775_809, Integer.pow(2, 200)]),
      T.float(),
      T.binary(),
      T.bitstring(),
      T.elements(@atoms),
      T.bind(T.integer(0, 4), &special/1, false)
    ])
  end

  defp improper({[], tail}), do: [:head | tail]
  defp improper({list, tail}), do: list ++ tail

  defp nest(n), do: Enum.reduce(1..max(n, 1), [], fn _, acc -> [acc] end)

  # Terms PropEr cannot generate itself.
  defp special(0), do: self()
  defp special(1), do: make_ref()
  defp special(2), do: fn -> :ok end
  defp special(3), do: hd(Port.list() ++ [make_ref()])

  defp special(4) do
    {:ok, h} = Linx.Native.call("nif_test.handle.new", %{"tag" => "fuzz"})
    h
  end
end
