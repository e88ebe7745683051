defmodule Linx.Netfilter.PatchTest do
  # diff/2 and apply/3 with %Patch{} values: the kernel that a patch
  # leaves must be the one its target gives, as nft(8) lists them, each
  # ruleset in a network namespace of the test's own.
  use ExUnit.Case, async: true

  import LinxTest.Kernel
  import LinxTest.Netns, only: [netns: 0, nft!: 2, nft_load!: 2]

  alias Linx.Netfilter
  alias Linx.Netfilter.{Chain, Diff, Patch, Rule, Ruleset, Set}

  @moduletag skip: needs("nft", tools: [{"nft", "needs nft(8) as the oracle"}])

  @from """
  table inet fw {
    set blk {
      type ipv4_addr
      elements = { 10.0.0.1, 10.0.0.2 }
    }
    chain input {
      type filter hook input priority 0; policy accept;
      iifname "lo" accept comment "tag:lo"
      tcp dport 22 accept comment "tag:ssh"
      ip saddr @blk drop comment "tag:blk"
    }
    chain old {
      counter comment "tag:c"
    }
    chain out {
      type filter hook output priority 0; policy accept;
      accept comment "tag:all"
    }
  }
  """

  @to """
  table inet fw {
    set blk {
      type ipv4_addr
      elements = { 10.0.0.2, 10.0.0.3 }
    }
    chain input {
      type filter hook input priority 0; policy accept;
      iifname "lo" accept comment "tag:lo"
      tcp dport 2222 accept comment "tag:ssh"
      tcp dport 80 accept comment "tag:web"
      ip saddr @blk drop comment "tag:blk"
    }
    chain out {
      type filter hook output priority 10; policy drop;
      accept comment "tag:all"
    }
    chain fresh {
      udp dport 53 accept comment "tag:dns"
    }
  }
  table ip nat {
    map ports {
      type inet_service : inet_service
      elements = { 80 : 8080 }
    }
    chain post {
      type nat hook postrouting priority srcnat; policy accept;
      masquerade comment "tag:masq"
    }
  }
  """

  # nft -j list ruleset without what differs between equal rulesets
  # (handles, the metainfo), objects in a canonical order: grouped by
  # kind, family, table and chain, rules kept in their chain's order.
  defp listing(pid) do
    %{"nftables" => items} = LinxTest.Json.decode!(nft!(pid, ["-j", "list", "ruleset"]))

    items
    |> Enum.reject(&Map.has_key?(&1, "metainfo"))
    |> Enum.map(&strip/1)
    |> Enum.sort_by(fn item ->
      [{kind, v}] = Map.to_list(item)
      order = if kind == "rule", do: 1, else: 0
      {order, kind, v["family"], v["table"] || v["name"], v["chain"], v["name"]}
    end)
  end

  defp strip(m) when is_map(m),
    do: Map.new(Map.delete(m, "handle"), fn {k, v} -> {k, strip(v)} end)

  defp strip(l) when is_list(l), do: Enum.map(l, &strip/1)
  defp strip(v), do: v

  test "the patch between two rulesets, applied, gives the target's kernel ruleset" do
    [cur, ref] = [netns(), netns()]
    nft_load!(cur, @from)
    nft_load!(ref, @to)

    {:ok, to} = Linx.NFT.parse(@to)
    {:ok, pulled} = Netfilter.pull({:pid, cur})

    assert %Patch{ops: ops} = patch = Netfilter.diff(pulled, to)
    assert Patch.sort(patch) == patch
    assert Patch.sort(Patch.sort(patch)) == Patch.sort(patch)

    assert {:replace_rule, :inet, "fw", "input", h, %Rule{tag: :ssh}} =
             List.keyfind(ops, :replace_rule, 0)

    assert is_integer(h)
    assert {:delete_chain, :inet, "fw", "old"} in ops
    assert {:delete_chain, :inet, "fw", "out"} in ops
    assert {:delete_set_elements, :inet, "fw", "blk", ["10.0.0.1"]} in ops
    assert {:add_set_elements, :inet, "fw", "blk", ["10.0.0.3"]} in ops

    assert {:create_chain, :inet, "fw", %Chain{name: "fresh", rules: []}} =
             List.keyfind(ops, :create_chain, 0)

    assert Enum.any?(ops, &match?({:create_set, :ip, %Linx.Netfilter.Map{name: "ports"}}, &1))

    assert {:create_rule, :inet, "fw", "input", %Rule{tag: :web}, {:before, _}} =
             Enum.find(ops, &match?({:create_rule, _, _, "input", _, _}, &1))

    assert inspect(patch) =~
             ~r/^#Linx.Netfilter.Patch<\d+ ops: \d+ creates, \d+ replaces?, 3 deletes>$/

    assert :ok = Netfilter.apply({:pid, cur}, patch)
    assert listing(cur) == listing(ref)

    {:ok, again} = Netfilter.pull({:pid, cur})
    # applied: the target and the kernel's state are the same ruleset
    # (the kernel's flags [] and uints against the parsed rule's nothing
    # and ints included)
    assert Patch.empty?(Netfilter.diff(again, to))

    assert Patch.empty?(Netfilter.diff(again, again))
    assert Netfilter.dry_run(again, again) == Patch.new()
  end

  test "a patch written by hand, and the guard of the generation" do
    pid = netns()

    nft_load!(
      pid,
      """
      table ip t {
        set s {
          type inet_service
          flags interval
        }
        chain c {
          accept comment "tag:a"
        }
      }
      """
    )

    {:ok, pulled} = Netfilter.pull({:pid, pid})
    [%Rule{handle: h}] = pulled.tables[{:ip, "t"}].chains["c"].rules
    s = pulled.tables[{:ip, "t"}].sets["s"]

    patch =
      Patch.new([
        {:create_rule, :ip, "t", "c", Rule.build!([:drop], tag: :b), {:after, h}},
        {:add_set_elements, :ip, "t", "s", [22, {:range, 80, 90}]}
      ])

    assert {:error, {:bad_patch, {:unknown_set, {:ip, "t", "s"}}}} =
             Netfilter.apply({:pid, pid}, patch)

    patch = %{patch | sets: %{{:ip, "t", "s"} => %{s | elements: []}}}
    {:ok, %{"id" => gen}} = Linx.Verb.call("nft.get_gen", %{"netns" => %{"pid" => pid}})

    assert {:error, %Netfilter.Error{errno: :erestart}} =
             Netfilter.apply({:pid, pid}, patch, genid: gen - 1)

    assert :ok = Netfilter.apply({:pid, pid}, patch, genid: gen)

    {:ok, now} = Netfilter.pull({:pid, pid})
    assert [%Rule{tag: :a}, %Rule{tag: :b}] = now.tables[{:ip, "t"}].chains["c"].rules
    assert %Set{elements: [22, {:range, 80, 90}]} = now.tables[{:ip, "t"}].sets["s"]

    assert {:error, {:bad_patch, {:bad_position, {:at_index, 0}}}} =
             Netfilter.apply(
               {:pid, pid},
               Patch.new([{:create_rule, :ip, "t", "c", Rule.build!([:drop]), {:at_index, 0}}])
             )

    assert {:error, {:bad_patch, {:bad_op, {:nope}}}} =
             Netfilter.apply({:pid, pid}, Patch.new([{:nope}]))
  end

  test "validate_for_reconcile wants a tag on every rule of a chain of several" do
    rs =
      Ruleset.new()
      |> Ruleset.add_table!(:inet, "fw")
      |> Ruleset.add_chain!("fw", "one")
      |> Ruleset.add_rule!("fw", "one", [:accept])
      |> Ruleset.add_chain!("fw", "two")
      |> Ruleset.add_rule!("fw", "two", [:accept], tag: :a)

    assert Diff.validate_for_reconcile(rs) == :ok
    rs = Ruleset.add_rule!(rs, "fw", "two", [:drop])
    assert Diff.validate_for_reconcile(rs) == {:error, {:tag_required, {:inet, "fw", "two"}}}
    assert {:error, {:bad_ruleset, _}} = Diff.validate_for_reconcile(:nope)
    assert_raise ArgumentError, ~r/diff/, fn -> Netfilter.diff(:nope, rs) end
  end
end
