defmodule Linx.NativeTest do
  # The dispatch NIF: conversions both ways, limits, scheduling, handles.
  # Driven through the nif_test fixture plugin (test/plugins/nif_test.c)
  # and the example plugin of tests/fixtures.
  use ExUnit.Case, async: true
  import Bitwise

  alias Linx.Native
  alias LinxTest.Gen

  # Scheduler thread names (as PR_GET_NAME gives them, 15 bytes at most):
  # "2_scheduler", "1_dirty_cpu_sch..." and "3_dirty_io_sche..." up to
  # OTP 25; "erts_sched_2", "erts_dcpus_1" and "erts_dios_3" from OTP 26.
  @regular ~r/^(\d+_scheduler|erts_sched_\d+)$/
  @dirty_cpu ~r/dirty_cpu|^erts_dcpus_/
  @dirty_io ~r/dirty_io|^erts_dios_/

  defp echo(value), do: Native.call("nif_test.echo", %{"value" => value})

  defp error!(result) do
    assert {:error, %{errno: errno, code: code, op: op, message: message} = e} = result
    assert is_atom(errno) and is_integer(code) and code > 0
    assert is_binary(op) and is_binary(message)
    e
  end

  describe "term -> value -> term" do
    test "every representable value comes back unchanged" do
      assert Gen.quickcheck(Gen.value(), 3000, fn v -> echo(v) == {:ok, v} end) == true
    end

    test "keys repeated across maps, and keys alike in length and ends" do
      # (the NIF makes each key once per result and looks it up by text)
      alike = for c <- ?a..?z, do: <<?k, c, ?y>>
      inner = Map.new(alike, &{&1, &1})
      v = %{"rows" => List.duplicate(inner, 3), "k" => Map.new(alike, &{&1 <> "y", 1})}
      assert echo(v) == {:ok, v}
    end

    test "atom map keys come back as binaries" do
      assert echo(%{"b" => %{c: [2]}, a: 1}) == {:ok, %{"a" => 1, "b" => %{"c" => [2]}}}
    end

    test "integers across the int64 / uint64 boundary" do
      for i <- [0, -1, 1 <<< 62, -(1 <<< 63), (1 <<< 63) - 1, 1 <<< 63, (1 <<< 64) - 1] do
        assert echo(i) == {:ok, i}
      end

      for i <- [1 <<< 64, -(1 <<< 63) - 1, 1 <<< 1000] do
        e = error!(echo(i))
        assert e.errno == :einval and e.op == "convert" and e.param == "value"
        assert e.message =~ "integer outside the 64-bit range"
      end
    end

    test "a result with every value type" do
      assert {:ok, r} = Native.call("nif_test.types", nil)

      assert r == %{
               "nil" => nil,
               "true" => true,
               "false" => false,
               "int_min" => -(1 <<< 63),
               "int" => -42,
               "uint_max" => (1 <<< 64) - 1,
               "string" => "héllo",
               "bytes" => <<0xFF, 0, 0xFE>>,
               "empty" => "",
               "list" => [1, "two", %{"three" => 3}]
             }
    end

    test "non-UTF-8 binaries are bytes: fine for bytes, refused for strings" do
      assert echo(<<0xFF, 0>>) == {:ok, <<0xFF, 0>>}
      e = error!(Native.call("example.greet", %{"name" => <<0xFF>>}))
      assert e.op == "validate" and e.param == "name"
      assert e.message =~ "not valid UTF-8"
    end

    test "{:bytes, binary} crosses as bytes even when the binary is text" do
      assert echo({:bytes, "abc"}) == {:ok, "abc"}
      assert echo([{:bytes, <<6>>}]) == {:ok, [<<6>>]}
      e = error!(Native.call("example.greet", %{"name" => {:bytes, "bob"}}))
      assert e.op == "validate" and e.param == "name"
      assert Native.call("example.greet", %{"name" => "bob"}) |> elem(0) == :ok
      assert error!(echo({:bytes, :nope})).message =~ "a tuple"
      assert error!(echo({:bytes, "a", "b"})).message =~ "a tuple"
    end
  end

  describe "what the NIF refuses" do
    test "terms Linx values cannot represent" do
      for {term, text} <- [
            {1.5, "a float"},
            {{1, 2}, "a tuple"},
            {self(), "a pid"},
            {make_ref(), "a reference that is not a Linx handle"},
            {fn -> :ok end, "a fun"},
            {hd(Port.list()), "a port"},
            {<<1::3>>, "a bitstring"},
            {:some_atom, "the atom :some_atom"}
          ] do
        e = error!(echo(term))

        assert {e.errno, e.op, e.param, e.object} ==
                 {:einval, "convert", "value", "nif_test.echo"}

        assert e.message =~ text
      end
    end

    test "improper lists, at any depth" do
      e = error!(echo([1, 2 | 3]))
      assert e.message =~ "argument value[2]: an improper list"
      e = error!(echo(%{"a" => [[1 | :x]]}))
      assert e.message =~ "argument value.a[0][1]: an improper list"
    end

    test "map keys that are not text" do
      for key <- [1, {:a}, [1], <<0xFF>>, "a\0b", 1.0] do
        e = error!(echo(%{key => 1}))
        assert e.op == "convert"
      end

      e = error!(echo(%{:a => 1, "a" => 2}))
      assert e.message =~ "both the atom :a and the binary"
    end

    test "arguments that are not a map" do
      for args <- [[], [1], {:a, 1}, "a", 1, :atom] do
        e = error!(Native.call("example.add", args))
        assert e.op == "convert" and e.message =~ "arguments: must be a map"
      end
    end

    test "bad verb names never reach the registry" do
      for name <- [
            :"example.add",
            ~c"example.add",
            1,
            nil,
            "",
            String.duplicate("a", 200),
            "Example.Add",
            "a b",
            "é.x",
            "x\0"
          ] do
        e = error!(Native.call(name, nil))
        assert e.errno == :einval and e.param == "verb"
      end

      e = error!(Native.call("example.nope", nil))
      assert {e.errno, e.op, e.object} == {:enoent, "find", "example.nope"}
      e = error!(Native.call("nosuchplugin.verb", nil))
      assert e.errno == :enoent
    end

    test "schema violations are reported by the core" do
      e = error!(Native.call("example.add", %{"a" => 1}))
      assert {e.op, e.param} == {"validate", "b"}
      e = error!(Native.call("example.add", %{"a" => 1, "b" => 2, "z" => 3}))
      assert {e.op, e.param} == {"validate", "z"}
      e = error!(Native.call("example.add", %{"a" => "1", "b" => 2}))
      assert {e.op, e.param} == {"validate", "a"}
    end

    test "a verb's own error, with an errno outside the table" do
      e = error!(Native.call("example.fail", %{"errno" => 2}))
      assert {e.errno, e.code, e.op, e.object} == {:enoent, 2, "fail", "example"}
      e = error!(Native.call("example.fail", %{"errno" => 4000}))
      assert {e.errno, e.code} == {:unknown, 4000}
    end
  end

  describe "limits" do
    defp nested(0), do: 0
    defp nested(n), do: [nested(n - 1)]

    test "nesting is bounded in both directions" do
      assert echo(nested(60)) == {:ok, nested(60)}
      # 64 levels in all, the argument map being the first: 62 lists
      # around an integer is the deepest argument.
      assert echo(nested(62)) == {:ok, nested(62)}
      e = error!(echo(nested(63)))
      assert e.errno == :eloop and e.message =~ "nested deeper than 64"
      e = error!(echo(nested(100)))
      assert e.errno == :eloop and e.message =~ "nested deeper than 64"
      # Stops at the limit: a million levels cost nothing.
      e = error!(echo(nested(1_000_000)))
      assert e.errno == :eloop

      assert {:ok, _} = Native.call("nif_test.deep", %{"depth" => 60})
      # The verb cannot build it: the value builders refuse to nest past
      # the limit, and the core reports that for the verb.
      e = error!(Native.call("nif_test.deep", %{"depth" => 200}))
      assert {e.errno, e.op} == {:eloop, "nif_test.deep"}
      assert e.message =~ "nested deeper than 64"
    end

    test "a part of a result marked incomplete is refused, however deep" do
      for where <- ~w(list map exprs verdict elements range), shape <- [nil, :nft] do
        e = error!(Native.call("nif_test.poisoned", %{"where" => where}, shape))
        assert {e.errno, e.op} == {:einval, "nif_test.poisoned"}, "#{where} #{shape}"
        assert e.message =~ "could not build its result"
      end
    end

    test "a shape is nil or :nft" do
      for shape <- [:other, "nft", 1, {:nft}] do
        e = error!(Native.call("nif_test.echo", %{"value" => 1}, shape))
        assert {e.errno, e.param} == {:einval, "shape"}
      end

      assert Native.call("nif_test.echo", %{"value" => 1}, nil) == {:ok, 1}

      # :nft arguments: atoms cross as their text, keys and values alike
      assert Native.call("nif_test.echo", %{"value" => [:eq, %{op: :ünïcödé}, nil]}, :nft) ==
               {:ok, ["eq", %{"op" => "ünïcödé"}, nil]}

      assert {:error, %{message: "argument value: cannot pass the atom :eq" <> _}} =
               Native.call("nif_test.echo", %{"value" => :eq}, nil)

      assert {:error, %{param: "shape"}} = Native.decode(<<0>>, :other)
    end

    test "the :nft shape reads an Expr struct as the plugin's expression map" do
      nft = fn v -> Native.call("nif_test.echo", %{"value" => v}, :nft) end
      cmp = %Linx.Netfilter.Expr{name: :cmp, data: %{op: :eq, sreg: 1, data: <<0, 80>>}}

      assert nft.([cmp, %Linx.Netfilter.Expr{name: :counter, data: nil}]) ==
               {:ok,
                [
                  %{"expr" => "cmp", "op" => "eq", "sreg" => 1, "data" => <<0, 80>>},
                  %{"expr" => "counter"}
                ]}

      # binary keys too; only a key of both kinds is refused, as in any map
      assert nft.(%Linx.Netfilter.Expr{name: :x, data: %{"a" => 1, b: 2}}) ==
               {:ok, %{"expr" => "x", "a" => 1, "b" => 2}}

      for {data, message} <- [
            {%{:a => 1, "a" => 2}, "both the atom :a and the binary \"a\""},
            {%{expr: :y}, "argument value.expr: an expression's data has its own \"expr\" key"},
            {[op: :eq], "argument value: an expression's data must be a map or nil, not a list"}
          ] do
        assert {:error, %{op: "convert", message: m}} =
                 nft.(%Linx.Netfilter.Expr{name: :x, data: data})

        assert m =~ message
      end

      for name <- [nil, true, 1] do
        assert {:error, %{message: m}} = nft.(%Linx.Netfilter.Expr{name: name, data: %{}})
        assert m =~ "an expression's name must be an atom or a binary"
      end

      # without the shape, a struct is a map with atoms in it, as before
      # (which the NIF meets first depends on the OTP's map order)
      assert {:error, %{message: "argument value." <> m}} = echo(cmp)
      assert m =~ "cannot pass the atom"
    end

    test "the :nft shape's atom cache gives every atom its own text" do
      # more atoms than the cache has slots, as keys and values, repeated
      # so that slots are reused while a key waits for its value
      atoms = for i <- 1..300, do: String.to_atom("linx_cache_#{i}")
      value = for a <- atoms, into: %{}, do: {a, %{a => [a, :eq, a]}}

      expected =
        for a <- atoms, into: %{} do
          t = Atom.to_string(a)
          {t, %{t => [t, "eq", t]}}
        end

      assert Native.call("nif_test.echo", %{"value" => value}, :nft) == {:ok, expected}
    end

    test "arguments past the quick budget take the dirty path and still work" do
      list = Enum.to_list(1..10_000)
      assert echo(list) == {:ok, list}
      bin = :binary.copy("x", 1_000_000)
      assert echo(bin) == {:ok, bin}
      # (5000 keys: the echo verb's linx_value_copy() is quadratic in the
      # number of keys)
      map = Map.new(1..5_000, &{"k#{&1}", &1})
      assert echo(map) == {:ok, map}
      assert {:ok, name} = Native.call("nif_test.thread", %{"pad" => bin})
      assert name =~ @dirty_cpu
    end

    test "arguments past the full budget are refused, not copied" do
      e = error!(echo(:binary.copy("x", 65 * 1024 * 1024)))
      assert e.errno == :e2big
      e = error!(echo(List.duplicate(0, 1_100_000)))
      assert e.errno == :e2big
    end

    test "large results" do
      assert {:ok, bin} = Native.call("nif_test.big", %{"bytes" => 16 * 1024 * 1024})
      assert byte_size(bin) == 16 * 1024 * 1024
    end
  end

  describe "scheduling" do
    test "a plain verb runs on the calling (regular) scheduler" do
      assert {:ok, name} = Native.call("nif_test.thread", nil)
      assert name =~ @regular
    end

    test "a blocking verb runs on a dirty I/O scheduler" do
      assert {:ok, name} = Native.call("nif_test.thread_blocking", nil)
      assert name =~ @dirty_io

      assert {:ok, name} =
               Native.call("nif_test.thread_blocking", %{"pad" => :binary.copy("x", 100_000)})

      assert name =~ @dirty_io
    end

    test "blocking verbs run concurrently, more of them than regular schedulers" do
      n = :erlang.system_info(:schedulers) * 2

      tasks =
        for _ <- 1..n, do: Task.async(fn -> Native.call("nif_test.sleep", %{"ms" => 50}) end)

      assert Enum.map(tasks, &Task.await/1) == List.duplicate({:ok, nil}, n)
    end
  end

  describe "handles" do
    test "a handle is a resource; passing it back reaches the same object" do
      assert {:ok, h} = Native.call("nif_test.handle.new", %{"tag" => "one"})
      assert is_reference(h)
      assert Native.handle_type(h) == "nif_test.tag"
      assert Native.handle_type(make_ref()) == nil
      assert Native.call("nif_test.handle.tag", %{"handle" => h}) == {:ok, "one"}
      # Inside other values too.
      assert {:ok, %{"h" => h2}} = echo(%{"h" => h})
      assert Native.call("nif_test.handle.tag", %{"handle" => h2}) == {:ok, "one"}
    end
  end

  test "nop/2 is an empty NIF (the benchmark's floor)" do
    assert Native.nop("anything", :at_all) == :ok
  end

  test "errno names and numbers come from the core's table" do
    assert Native.errno_code(:enoent) == 2
    assert Native.errno_code(:ewouldblock) == Native.errno_code(:eagain)
    assert Native.errno_code(:not_an_errno) == nil
    assert Native.errno_code("enoent") == nil
    assert Native.errno_name(13) == :eacces
    assert Native.errno_name(100_000) == :unknown
    assert Native.errno_name(-1) == :unknown
    assert Native.errno_name(:x) == :unknown
  end
end
