defmodule Linx.Netfilter.ShapeTest do
  # The NIF builds expressions, verdicts and set elements while it converts
  # an nft verb's result (c_src/term_nft.c).  Model below states the same
  # rules in Elixir, as the binding applied them before the NIF did; random
  # values in the plugin's vocabulary must come out of both the same.
  use ExUnit.Case, async: true

  alias :proper_types, as: T
  alias Linx.Netfilter.{Expr, Names, Verdict}
  alias LinxTest.Gen

  defmodule Model do
    @moduledoc false
    @enum_keys Enum.map(Names.enum_keys(), &Atom.to_string/1)

    def structure(m) when is_map(m) do
      Map.new(m, fn
        {"exprs", l} when is_list(l) -> {"exprs", Enum.map(l, &expr/1)}
        {"elements", l} when is_list(l) -> {"elements", Enum.map(l, &element/1)}
        {k, v} -> {k, structure(v)}
      end)
    end

    def structure(l) when is_list(l), do: Enum.map(l, &structure/1)
    def structure(v), do: v

    def expr(v) when is_binary(v) or (is_map(v) and not is_map_key(v, "expr")),
      do: %Expr{name: :immediate, data: verdict(v)}

    def expr(%{"expr" => "immediate", "verdict" => v}),
      do: %Expr{name: :immediate, data: verdict(v)}

    def expr(%{"expr" => name} = m) when is_binary(name) do
      data = m |> Map.delete("expr") |> Map.new(fn {k, v} -> {Names.atom(k), attr(k, v)} end)
      %Expr{name: Names.atom(name), data: data}
    end

    def expr(v), do: v

    defp attr(k, v) when k in @enum_keys and is_binary(v), do: Names.atom(v)
    defp attr(k, l) when k in @enum_keys and is_list(l), do: Enum.map(l, &Names.atom/1)
    defp attr("flags", l) when is_list(l), do: Enum.map(l, &Names.atom/1)
    defp attr("verdict", v), do: verdict(v)
    defp attr("elements", l) when is_list(l), do: Enum.map(l, &element/1)
    defp attr(_k, v), do: v

    def verdict(s) when s in ["accept", "drop", "continue", "return"],
      do: %Verdict{kind: String.to_existing_atom(s)}

    def verdict(%{"jump" => c}), do: %Verdict{kind: :jump, target: c}
    def verdict(%{"goto" => c}), do: %Verdict{kind: :goto, target: c}
    def verdict(%{"queue" => n}), do: %Verdict{kind: :queue, target: n}
    def verdict(_), do: nil

    def element(%{"range" => [lo, hi]}), do: {:range, element(lo), element(hi)}

    def element(%{"key" => _} = m),
      do: Map.new(m, fn {k, v} -> {Names.atom(k), element_attr(k, v)} end)

    def element(l) when is_list(l), do: Enum.map(l, &element/1)
    def element(v), do: v

    defp element_attr("value", v), do: verdict(v) || element(v)
    defp element_attr("exprs", l) when is_list(l), do: Enum.map(l, &expr/1)
    defp element_attr(_, v), do: element(v)
  end

  @keys ~w(exprs elements expr verdict range key value flags op type data name
           jump goto queue chain x)
  @texts ~w(accept drop continue return immediate payload cmp eq counter
            jump lookup tcp dport x) ++ ["", "not a name"]

  defp vocab, do: T.union([T.elements(@texts), T.integer(), T.exactly(nil), T.bool()])

  defp value, do: T.sized(fn size -> value(size) end)

  defp value(size) when size <= 1, do: vocab()

  defp value(size) do
    half = div(size, 2)

    T.frequency([
      {3, vocab()},
      {2, T.lazy(fn -> T.resize(half, T.list(value(half))) end)},
      {3,
       T.lazy(fn ->
         T.bind(
           T.resize(half, T.list(T.tuple([T.elements(@keys), value(half)]))),
           &Map.new/1,
           false
         )
       end)}
    ])
  end

  test "random values in the plugin's vocabulary shape as the model says" do
    prop = fn v -> Linx.Netfilter.shape(v) == {:ok, Model.structure(v)} end
    assert Gen.quickcheck(value(), 3000, prop, 40) == true
  end

  test "every corpus file parses to the model's shape" do
    files = Path.wildcard(Path.expand("../../../../../tests/plugins/nft/lang/*.nft", __DIR__))

    parsed =
      for f <- files,
          args = %{"text" => File.read!(f), "file" => f},
          # (files that include others need a root directory)
          {:ok, plain} <- [Linx.Verb.call("nft.parse", args)] do
        assert {:ok, shaped} = Linx.Verb.call("nft.parse", args, :nft)
        assert shaped == Model.structure(plain), Path.basename(f)
      end

    assert length(parsed) > 30
  end

  test "no atom is made from a result" do
    name = "no_such_name_#{System.unique_integer([:positive])}"

    assert {:ok, %{"exprs" => [%Expr{name: ^name, data: %{^name => ^name}}]}} =
             Linx.Netfilter.shape(%{"exprs" => [%{"expr" => name, name => name}]})

    assert_raise ArgumentError, fn -> String.to_existing_atom(name) end
  end
end
