defmodule Linx.FuzzTest do
  # Random terms thrown at the dispatch entry point: whatever comes in, the
  # VM survives and every call answers {:ok, _} or {:error, %{...}}.
  # Only the fixture plugins are targeted: a random call to a real verb
  # could change the machine (sysctl.write...).
  use ExUnit.Case, async: true

  @moduletag timeout: 600_000

  import LinxTest.Gen, only: [well_formed?: 1]

  alias :proper_types, as: T
  alias Linx.Native
  alias LinxTest.Gen

  @verbs ~w(example.add example.greet example.fail nif_test.echo nif_test.types
            nif_test.thread nif_test.thread_blocking nif_test.handle.new
            nif_test.handle.tag nif_test.handle.live)
  @params ~w(a b c name times errno value pad tag handle)

  defp verb_gen do
    T.frequency([
      {4, T.elements(@verbs)},
      {1, T.binary()},
      {1, T.bind(T.list(T.elements(String.graphemes("abcxyz._"))), &Enum.join/1, false)},
      {1, Gen.term()}
    ])
  end

  # Argument maps that look like real ones: known names, random values.
  defp args_gen do
    T.frequency([
      {3, T.bind(T.list(T.tuple([T.elements(@params), Gen.term()])), &Map.new/1, false)},
      {1, T.bind(T.list(T.tuple([Gen.term(), Gen.term()])), &Map.new/1, false)},
      {1, Gen.term()}
    ])
  end

  test "random verbs and arguments: every call answers, the VM stays up" do
    prop = fn {verb, args} -> well_formed?(Native.call(verb, args)) end
    assert Gen.quickcheck(T.tuple([verb_gen(), args_gen()]), 3000, prop) == true
  end

  test "random values for each parameter of each fixture verb" do
    prop = fn {verb, param, value} ->
      well_formed?(Native.call(verb, %{param => value}))
    end

    gen = T.tuple([T.elements(@verbs), T.elements(@params), Gen.term()])
    assert Gen.quickcheck(gen, 3000, prop) == true
  end

  test "random verbs and arguments with the :nft shape: every call answers" do
    prop = fn {verb, args} -> well_formed?(Native.call(verb, args, :nft)) end
    assert Gen.quickcheck(T.tuple([verb_gen(), args_gen()]), 3000, prop) == true
    # echoed values come back shaped (see Linx.Netfilter.ShapeTest)
    echo = fn v -> well_formed?(Native.call("nif_test.echo", %{"value" => v}, :nft)) end
    assert Gen.quickcheck(Gen.term(), 3000, echo) == true
  end

  test "the Elixir wrapper never raises on bad input" do
    prop = fn {verb, args} ->
      case Linx.Verb.call(verb, args) do
        {:ok, _} -> true
        {:error, %Linx.Error{}} -> true
      end
    end

    assert Gen.quickcheck(T.tuple([verb_gen(), args_gen()]), 1000, prop) == true
  end

  test "from many processes at once" do
    tasks =
      for _ <- 1..8 do
        Task.async(fn ->
          prop = fn {verb, args} -> well_formed?(Native.call(verb, args)) end
          Gen.quickcheck(T.tuple([verb_gen(), args_gen()]), 250, prop)
        end)
      end

    assert Enum.map(tasks, &Task.await(&1, :infinity)) == List.duplicate(true, 8)
  end
end
