defmodule Linx.Netfilter.ValuesTest do
  # The value structs and the pipeline: no kernel, no namespaces.
  use ExUnit.Case, async: true

  alias Linx.Netfilter.{Chain, Expr, Flowtable, Object, Rule, Ruleset, Set, Table, Verdict, Vmap}
  alias Linx.Netfilter.Map, as: NMap

  for mod <- [Verdict, Expr, Rule, Chain, Table, Set, Vmap, Object, Flowtable, Ruleset],
      do: doctest(mod)

  describe "Verdict" do
    test "constructors, new/1 forms and Inspect" do
      assert inspect(Verdict.accept()) == "#Linx.Netfilter.Verdict<accept>"

      assert inspect(Verdict.jump("input_extras")) ==
               ~s(#Linx.Netfilter.Verdict<jump "input_extras">)

      assert Verdict.new(:drop) == {:ok, Verdict.drop()}
      assert {:ok, v} = Verdict.new({:goto, "drop_quietly"})
      assert inspect(v) == ~s(#Linx.Netfilter.Verdict<goto "drop_quietly">)
      assert Verdict.new(v) == {:ok, v}
      assert Verdict.queue(3).target == 3
      assert {:error, {:bad_verdict, _}} = Verdict.new(:reject)
      assert {:error, {:bad_verdict, _}} = Verdict.new({:jump, ""})
      assert {:error, {:bad_verdict, _}} = Verdict.new({:queue, -1})
      assert {:error, {:bad_verdict, _}} = Verdict.new("accept")
      assert_raise ArgumentError, fn -> Verdict.new!({:goto, 5}) end
      refute Verdict.valid?(%Verdict{kind: :jump, target: nil})
    end
  end

  describe "Expr and Rule" do
    test "Inspect as the spec shows it" do
      assert inspect(Expr.immediate(Verdict.accept())) == "#Linx.Netfilter.Expr<immediate accept>"
      assert inspect(Expr.immediate(:drop)) == "#Linx.Netfilter.Expr<immediate drop>"

      assert inspect(Expr.new(:counter, %{packets: 0, bytes: 0})) ==
               "#Linx.Netfilter.Expr<counter>"

      assert inspect(Expr.cmp(:eq, <<22::16>>)) == "#Linx.Netfilter.Expr<cmp>"
      assert Expr.payload(:tcp_dport) == Expr.payload(:transport, 2, 2)

      assert {:ok, r} = Rule.build([Expr.immediate(:accept)])
      assert inspect(r) == "#Linx.Netfilter.Rule<[immediate accept]>"
      assert {:ok, r} = Rule.build([:drop], tag: :default_deny, comment: "block-all")
      assert inspect(r) == "#Linx.Netfilter.Rule<:default_deny [immediate drop]>"
      assert {:ok, r} = Rule.build([{:jump, "input_extras"}])
      assert inspect(r) == ~s(#Linx.Netfilter.Rule<[immediate jump "input_extras"]>)
      assert Rule.verdict(r) == Verdict.jump("input_extras")
    end

    test "build flattens helper lists and refuses bad input" do
      assert {:ok, r} = Rule.build([Expr.payload(:tcp_dport), Expr.dnat_to({10, 0, 0, 5}, 80)])

      assert [%Expr{name: :payload}, %Expr{name: :dnat_to, data: %{addr: "10.0.0.5", port: 80}}] =
               r.expressions

      assert Rule.verdict(r) == nil
      assert {:error, {:bad_rule, {:bad_expression, 42}}} = Rule.build([42])
      assert {:error, {:bad_rule, {:not_a_list, :accept}}} = Rule.build(:accept)
      assert {:error, {:bad_rule, {:bad_tag, "str"}}} = Rule.build([:accept], tag: "str")
      assert {:error, {:bad_rule, {:bad_tag, :"a b"}}} = Rule.build([:accept], tag: :"a b")

      assert {:error, {:bad_rule, {:comment_starts_with_tag, _}}} =
               Rule.build([:accept], comment: "tag:x")

      assert_raise ArgumentError, fn -> Rule.build!([:nope]) end
      assert Expr.verdict?(Expr.immediate(:accept))
      refute Expr.verdict?(Expr.counter())
    end
  end

  describe "Chain and Table" do
    test "chain shapes" do
      assert {:ok, c} =
               Chain.new("input", type: :filter, hook: :input, priority: 0, policy: :accept)

      assert Chain.base?(c)
      assert {:ok, c} = Chain.new("input_extras")
      refute Chain.base?(c)

      assert {:ok, %Chain{device: "eth0"}} =
               Chain.new("ing", type: :filter, hook: :ingress, priority: -500, device: "eth0")

      assert {:error, {:bad_chain, {:device_required_for_hook, :ingress}}} =
               Chain.new("ing", type: :filter, hook: :ingress, priority: -500)

      assert {:error, {:bad_chain, {:incomplete_base_chain, _}}} = Chain.new("x", type: :filter)

      assert {:error, {:bad_chain, {:bad_hook, :sideways}}} =
               Chain.new("x", type: :filter, hook: :sideways, priority: 0)

      assert {:error, {:bad_chain, {:bad_priority, "0"}}} =
               Chain.new("x", type: :filter, hook: :input, priority: "0")

      assert {:ok, _} = Chain.new("x", type: :filter, hook: :input, priority: {:filter, -10})
      assert {:error, {:bad_chain, {:bad_name, ""}}} = Chain.new("")

      nat = Chain.new!("pre", type: :nat, hook: :prerouting, priority: :dstnat)
      assert Chain.validate_for_family(nat, :inet) == :ok

      assert {:error, {:bad_chain, {:type_not_valid_for_family, %{type: :nat, family: :bridge}}}} =
               Chain.validate_for_family(nat, :bridge)

      arp = Chain.new!("fwd", type: :filter, hook: :forward, priority: 0)

      assert {:error, {:bad_chain, {:hook_not_valid_for_family, %{family: :arp}}}} =
               Chain.validate_for_family(arp, :arp)
    end

    test "table construction and uniqueness" do
      assert {:ok, %Table{family: :inet, name: "myapp", flags: []}} = Table.new(:inet, "myapp")
      assert {:ok, %Table{flags: [:owner]}} = Table.new(:inet, "myapp", flags: [:owner])
      assert {:error, {:bad_table, {:bad_family, :ipx}}} = Table.new(:ipx, "t")

      assert {:error, {:bad_table, {:bad_flags, [:sticky]}}} =
               Table.new(:ip, "t", flags: [:sticky])

      assert {:error, {:bad_table, {:bad_name, nil}}} = Table.new(:ip, nil)

      t = Table.new!(:inet, "t")
      {:ok, t} = Table.add_set(t, Set.new!("s", key_type: :ipv4_addr))

      assert {:error, {:bad_table, {:duplicate_map, "s"}}} =
               Table.add_map(t, Vmap.new!("s", key_type: :inet_service))

      {:ok, t} = Table.add_object(t, Object.new!(:counter, "c"))
      assert {:ok, t} = Table.add_object(t, Object.new!(:quota, "c", %{bytes: 100}))

      assert {:error, {:bad_table, {:duplicate_object, {:counter, "c"}}}} =
               Table.add_object(t, Object.new!(:counter, "c"))

      assert {:error, :no_such_chain} = Table.fetch_chain(t, "nope")
    end
  end

  describe "Set, Map, Vmap" do
    test "elements are checked and normalised" do
      ip = Linx.IP.parse("10.0.0.3") |> elem(1)

      assert {:ok, s} =
               Set.new("b", key_type: :ipv4_addr, elements: ["10.0.0.1", {10, 0, 0, 2}, ip])

      assert s.elements == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
      assert {:ok, s} = Set.delete_elements(s, [{10, 0, 0, 2}])
      assert s.elements == ["10.0.0.1", "10.0.0.3"]

      assert {:error, {:bad_set_element, {"fe80::1", :ipv4_addr}}} =
               Set.new("b", key_type: :ipv4_addr, elements: ["fe80::1"])

      assert {:error, {:bad_set_element, _}} =
               Set.new("p", key_type: :inet_service, elements: [70_000])

      assert {:error, {:bad_set_element, _}} =
               Set.new("b", key_type: :ipv4_addr, elements: ["10.0.0.0/8"])

      assert {:ok, _} =
               Set.new("b",
                 key_type: :ipv4_addr,
                 flags: [:interval],
                 elements: ["10.0.0.0/8", {:range, "10.1.0.1", "10.1.0.9"}]
               )

      assert {:ok, %Set{elements: [["10.0.0.1", 22]]}} =
               Set.new("c", key_type: [:ipv4_addr, :inet_service], elements: [["10.0.0.1", 22]])

      assert {:error, {:bad_set, {:bad_key_type, :ipv5_addr}}} =
               Set.new("b", key_type: :ipv5_addr)

      assert {:error, {:bad_set, {:timeout_needs_flag, 1000}}} =
               Set.new("b", key_type: :mark, timeout: 1000)

      assert {:error, {:bad_set, {:bad_flags, [:sparkly]}}} =
               Set.new("b", key_type: :mark, flags: [:sparkly])

      assert_raise ArgumentError, fn -> Set.new!("b", key_type: nil) end
    end

    test "maps and verdict maps" do
      assert {:ok, m} =
               NMap.new("port_to_chain",
                 key_type: :inet_service,
                 data_type: :verdict,
                 elements: [{22, Verdict.jump("ssh_in")}, {80, {:jump, "http_in"}}]
               )

      assert m.elements == [{22, Verdict.jump("ssh_in")}, {80, Verdict.jump("http_in")}]
      assert {:ok, m} = NMap.delete_elements(m, [22])
      assert m.elements == [{80, Verdict.jump("http_in")}]

      assert {:ok, %NMap{data_type: :verdict, elements: [{22, %Verdict{kind: :accept}}]}} =
               Vmap.new("d", key_type: :inet_service, elements: [{22, :accept}])

      # the spec's bare :jump_ssh_in is not a verdict: the C side refuses it too
      assert {:error, {:bad_map_element, _}} =
               Vmap.new("d", key_type: :inet_service, elements: [{22, :jump_ssh_in}])

      assert {:ok, _} =
               NMap.new("dnat",
                 key_type: :inet_service,
                 data_type: :ipv4_addr,
                 elements: [{80, "10.0.0.5"}]
               )

      assert {:error, {:bad_map_element, _}} =
               NMap.new("dnat",
                 key_type: :inet_service,
                 data_type: :ipv4_addr,
                 elements: [{80, 5}]
               )

      assert {:error, {:bad_map, {:bad_data_type, :nope}}} =
               NMap.new("x", key_type: :mark, data_type: :nope)
    end

    test "set and element expressions round trip through the C value" do
      c = %{
        "name" => "s",
        "key_type" => "ipv4_addr",
        "exprs" => [%{"expr" => "counter", "bytes" => 0, "packets" => 0}],
        "elements" => [
          %{
            "key" => "10.0.0.2",
            "exprs" => [%{"expr" => "counter", "bytes" => 300, "packets" => 5}]
          }
        ]
      }

      {:ok, shaped} = Linx.Netfilter.shape(c)
      s = Set.from_c(shaped, "t")
      assert [%Expr{name: :counter}] = s.exprs

      assert [%{key: "10.0.0.2", exprs: [%Expr{name: :counter, data: %{packets: 5}}]}] =
               s.elements

      assert LinxTest.Gen.text(Set.to_c(s)) == c

      m =
        Map.merge(c, %{
          "data_type" => "verdict",
          "elements" => [
            %{
              "key" => "1.2.3.4",
              "value" => "accept",
              "exprs" => [%{"expr" => "counter", "bytes" => 0, "packets" => 0}]
            }
          ]
        })

      {:ok, shaped} = Linx.Netfilter.shape(m)
      assert LinxTest.Gen.text(NMap.to_c(NMap.from_c(shaped, "t"))) == m

      assert {:ok, %Set{exprs: [%Expr{name: :counter}]} = s} =
               Set.new("s",
                 key_type: :ipv4_addr,
                 exprs: [Expr.counter()],
                 elements: [%{key: {10, 0, 0, 1}, exprs: [Expr.counter(packets: 1, bytes: 60)]}]
               )

      assert %{"exprs" => [%{"expr" => "counter"}], "elements" => [%{"key" => "10.0.0.1"}]} =
               LinxTest.Gen.text(Set.to_c(s))

      assert {:error, {:bad_set, {:bad_exprs, _}}} =
               Set.new("s",
                 key_type: :ipv4_addr,
                 exprs: [Expr.counter(), Expr.counter(), Expr.counter()]
               )
    end

    test "objects and flowtables" do
      assert {:ok, %Object{kind: :ct_helper}} =
               Object.new(:ct_helper, "ftp_helper", %{type: "ftp", protocol: :tcp, l3proto: :inet})

      assert {:error, {:bad_object, {:bad_kind, :gauge}}} = Object.new(:gauge, "g")
      assert {:ok, %Flowtable{hook: :ingress}} = Flowtable.new("ft", devices: ["lo"])
      assert {:error, {:bad_flowtable, {:bad_hook, :egress}}} = Flowtable.new("ft", hook: :egress)
    end
  end

  describe "bad input is an error, not a crash" do
    test "options that are not keyword lists" do
      assert {:error, {:bad_set, {:bad_opts, [1]}}} = Set.new("x", [1])
      assert {:error, {:bad_map, {:bad_opts, [1]}}} = NMap.new("x", [1])
      assert {:error, {:bad_map, {:bad_opts, [1]}}} = Vmap.new("x", [1])
      assert {:error, {:bad_chain, {:bad_opts, [1]}}} = Chain.new("x", [1])
      assert {:error, {:bad_rule, {:bad_opts, :bad}}} = Rule.build([:accept], :bad)
      assert {:error, {:bad_object, {:bad_opts, :bad}}} = Object.new(:counter, "x", %{}, :bad)
      assert {:error, {:bad_flowtable, {:bad_opts, [1]}}} = Flowtable.new("x", [1])

      assert {:error, {:bad_table, {:bad_opts, :bad}}} =
               Ruleset.add_table(Ruleset.new(), :inet, "x", :bad)

      assert_raise ArgumentError, ~r/op must be/, fn -> Expr.cmp(:bad, <<1>>) end
      assert_raise ArgumentError, ~r/unknown payload field/, fn -> Expr.payload(:nope) end
    end

    test "hand-built structs that do not hold together" do
      assert {:error, {:bad_ruleset, {:malformed, _}}} = Ruleset.to_c(%Ruleset{tables: %{x: 1}})

      assert_raise ArgumentError, ~r/cannot format/, fn ->
        Linx.NFT.format(%Ruleset{tables: %{x: 1}})
      end

      assert {:error, {:bad_ruleset, _}} = Linx.Netfilter.validate(:nope)
      assert {:error, {:bad_patch, :bad}} = Linx.Netfilter.apply(:self, :bad)
      assert {:error, {:bad_opts, :bad}} = Linx.Netfilter.open(:bad)
      assert {:error, {:bad_sock, :bad}} = Linx.Netfilter.open(in: :bad)
      assert {:error, :einval} = Linx.NFT.parse_file(:bad)
    end
  end

  describe "Ruleset pipeline" do
    test "builds, navigates and reports errors as the spec lists them" do
      rs =
        Ruleset.new()
        |> Ruleset.add_table!(:inet, "myapp")
        |> Ruleset.add_chain!("myapp", "input",
          type: :filter,
          hook: :input,
          priority: 0,
          policy: :drop
        )
        |> Ruleset.add_rule!(
          "myapp",
          "input",
          Rule.build!([Expr.immediate(:accept)], tag: :allow_all)
        )

      assert [{:inet, "myapp", %Table{}}] = Ruleset.tables(rs)
      assert {:ok, t} = Ruleset.fetch_table(rs, {:inet, "myapp"})
      assert [%Rule{chain: "input", tag: :allow_all}] = t.chains["input"].rules
      assert t.chains["input"].table == "myapp"

      assert {:error, {:bad_table, {:duplicate_table, {:inet, "myapp"}}}} =
               Ruleset.add_table(rs, :inet, "myapp")

      assert {:error, {:bad_table, {:bad_family, :nope}}} = Ruleset.add_table(rs, :nope, "x")
      rs2 = Ruleset.add_table!(rs, :ip, "myapp")
      assert {:error, {:ambiguous_table_name, "myapp"}} = Ruleset.add_chain(rs2, "myapp", "x")
      assert {:ok, _} = Ruleset.add_chain(rs2, {:ip, "myapp"}, "x")
      assert {:error, {:no_such_table, "other"}} = Ruleset.add_chain(rs, "other", "x")
      assert {:error, {:no_such_table, {:ip, "myapp"}}} = Ruleset.fetch_table(rs, {:ip, "myapp"})
      assert {:error, {:no_such_chain, "nope"}} = Ruleset.add_rule(rs, "myapp", "nope", [:accept])

      assert {:error, {:bad_rule, {:duplicate_tag, :allow_all}}} =
               Ruleset.add_rule(rs, "myapp", "input", [:drop], tag: :allow_all)

      assert {:ok, _} = Ruleset.add_rule(rs, "myapp", "input", [:drop])

      assert {:error, {:bad_chain, {:type_not_valid_for_family, _}}} =
               Ruleset.new()
               |> Ruleset.add_table!(:arp, "a")
               |> Ruleset.add_chain("a", "c", type: :nat, hook: :input, priority: 0)

      assert {:error, {:bad_table, {:duplicate_chain, "input"}}} =
               Ruleset.add_chain(rs, "myapp", "input")

      assert {:ok, rs3} = Ruleset.delete_table(rs2, {:ip, "myapp"})
      assert Map.keys(rs3.tables) == [{:inet, "myapp"}]
      assert {:error, {:no_such_table, "zzz"}} = Ruleset.delete_table(rs, "zzz")
      assert_raise ArgumentError, ~r/no_such_table/, fn -> Ruleset.add_chain!(rs, "zzz", "c") end
      assert {:error, {:bad_ruleset, _}} = Ruleset.add_chain(:not_a_ruleset, "t", "c")
      assert {:error, {:bad_set, {:not_a_set, :x}}} = Ruleset.add_set(rs, "myapp", :x)
    end
  end
end
