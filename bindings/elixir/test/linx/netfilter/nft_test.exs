defmodule Linx.NFTTest do
  # The nftables language through the C parser and formatter: no kernel.
  use ExUnit.Case, async: true

  import Linx.NFT

  alias Linx.NFT.ParseError
  alias Linx.Netfilter.{Expr, Ruleset, Verdict}

  @moduletag skip: LinxTest.Kernel.needs("nft", namespaces: false)

  @corpus [
    """
    table inet myapp {
      chain input {
        type filter hook input priority 0
        policy drop
        tcp dport 22 accept
      }
    }
    """,
    """
    table ip nat {
      chain pre {
        type nat hook prerouting priority dstnat; policy accept;
        tcp dport 8080 dnat to 10.0.0.5:80
      }
      chain post {
        type nat hook postrouting priority srcnat;
        oifname "eth0" masquerade
      }
    }
    table inet f {
      set allowed {
        type ipv4_addr . inet_service
        flags interval
        elements = { 10.0.0.0/8 . 22, 192.168.1.1 . 80-90 }
      }
      map marks {
        type ipv4_addr : mark
        elements = { 10.0.0.1 : 0x1 }
      }
      counter hits { }
      chain forward {
        type filter hook forward priority filter - 10;
        ct state established,related accept comment "tag:est"
        ip saddr . tcp dport @allowed counter accept comment "tag:allowed"
        meta mark set ip saddr map @marks comment "tag:mark"
        ip6 daddr fe80::/64 log prefix "ll " drop comment "tag:ll"
        reject with icmpx type admin-prohibited comment "tag:rest"
      }
    }
    """
  ]

  test "parse -> format -> parse gives the same ruleset" do
    for text <- @corpus do
      assert {:ok, rs} = Linx.NFT.parse(text)
      assert map_size(rs.tables) >= 1
      formatted = Linx.NFT.format(rs)
      assert {:ok, ^rs} = Linx.NFT.parse(formatted)
      # and the text is a fixed point of the formatter
      assert Linx.NFT.format(rs) == formatted
    end
  end

  # The C side's language corpus, through the binding's structs and back.
  @corpus_dir Path.expand("../../../../../tests/plugins/nft/lang", __DIR__)

  test "every corpus file: parse_file -> structs -> format -> parse is the identity" do
    files = Path.wildcard(Path.join(@corpus_dir, "*.nft"))
    assert length(files) >= 10

    for file <- files do
      assert {:ok, rs} = Linx.NFT.parse_file(file), file
      text = Linx.NFT.format(rs)
      assert {:ok, ^rs} = Linx.NFT.parse(text, file: Path.basename(file)), file
      assert Linx.NFT.format(elem(Linx.NFT.parse(text), 1)) == text, file
    end
  end

  test "what parse gives, in the binding's structs" do
    {:ok, rs} = Linx.NFT.parse(hd(@corpus))
    chain = rs.tables[{:inet, "myapp"}].chains["input"]
    assert {chain.type, chain.hook, chain.priority, chain.policy} == {:filter, :input, 0, :drop}
    [rule] = chain.rules

    assert rule.expressions == [
             Expr.meta(:l4proto),
             Expr.cmp(:eq, <<6>>),
             Expr.payload(:tcp_dport),
             Expr.cmp(:eq, <<22::16>>),
             Expr.immediate(:accept)
           ]

    assert Linx.Netfilter.Rule.verdict(rule) == Verdict.accept()
  end

  test "the pipeline's ruleset formats as nft text that parses back to it" do
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
        [
          Expr.meta(:l4proto),
          Expr.cmp(:eq, <<6>>),
          Expr.payload(:tcp_dport),
          Expr.cmp(:eq, <<22::16>>),
          :accept
        ]
      )

    assert Linx.NFT.parse(Linx.NFT.format(rs)) == Linx.NFT.parse(hd(@corpus))
  end

  test "a static sigil is a literal ruleset equal to parse/1's" do
    rs =
      sigil_NFT(
        ~S"""
        table inet myapp {
          chain input {
            type filter hook input priority 0
            policy drop
            tcp dport 22 accept
          }
        }
        """,
        []
      )

    assert {:ok, rs} == Linx.NFT.parse(hd(@corpus))
    assert map_size(sigil_NFT(<<"table inet x { }">>, []).tables) == 1

    expanded = Macro.expand(quote(do: Linx.NFT.sigil_NFT(<<"table inet x { }">>, [])), __ENV__)

    {_, calls} =
      Macro.prewalk(expanded, [], fn
        {{:., _, [_, f]}, _, _} = node, acc -> {node, [f | acc]}
        node, acc -> {node, acc}
      end)

    assert calls == []
    assert {:%{}, _, _} = expanded
  end

  test "parse errors carry file, line, column and the source line" do
    text = "table inet x {\n  chain y {\n    tcp dport ? accept\n  }\n}\n"
    assert {:error, %ParseError{} = e} = Linx.NFT.parse(text, file: "fw.nft")
    assert {e.file, e.line, e.column} == {"fw.nft", 3, 15}
    assert e.snippet == "    tcp dport ? accept"
    assert e.message =~ "unexpected character"

    assert Exception.message(e) ==
             "fw.nft:3:15: unexpected character '?'\n|\n|     tcp dport ? accept\n|               ^"

    assert {:error, %ParseError{file: "nofile", line: 1}} = Linx.NFT.parse("table inet")
    assert {:error, %ParseError{}} = Linx.NFT.parse(:not_text)
    assert {:error, %ParseError{}} = Linx.NFT.parse("table inet x { chain c { jump } }")
  end

  test "parse_file reads files and resolves includes beside them" do
    dir = Path.join(System.tmp_dir!(), "linx-nft-#{System.unique_integer([:positive])}")
    File.mkdir_p!(dir)
    on_exit(fn -> File.rm_rf(dir) end)

    File.write!(
      Path.join(dir, "table.nft"),
      "table inet t {\n  chain input {\n    accept\n  }\n}\n"
    )

    File.write!(Path.join(dir, "main.nft"), "include \"table.nft\"\n")
    assert {:ok, rs} = Linx.NFT.parse_file(Path.join(dir, "main.nft"))

    assert [%{expressions: [%Expr{data: %Verdict{kind: :accept}}]}] =
             rs.tables[{:inet, "t"}].chains["input"].rules

    File.write!(Path.join(dir, "bad.nft"), "table inet t {\n  chain c {\n    bogus\n  }\n}\n")

    # (nft reads an unknown word as a symbol a value may follow: it fails
    # at the end of the line, column 10)
    assert {:error, %ParseError{line: 3, column: 10} = e} =
             Linx.NFT.parse_file(Path.join(dir, "bad.nft"))

    assert e.file =~ "bad.nft"
    assert {:error, :enoent} = Linx.NFT.parse_file(Path.join(dir, "absent.nft"))
  end

  test "the C validator's value errors come back as tagged tuples" do
    # a struct built by hand, past the Elixir builders' checks
    chain = %Linx.Netfilter.Chain{name: "c", type: :nat, hook: :input, priority: 0}
    table = %{Linx.Netfilter.Table.new!(:arp, "a") | chains: %{"c" => chain}}
    rs = %Ruleset{tables: %{{:arp, "a"} => table}}

    assert Linx.Netfilter.validate(rs) ==
             {:error, {:bad_chain, {:type_not_valid_for_family, "nat input in arp"}}}

    rule = Linx.Netfilter.Rule.build!([Expr.new(:payload, %{base: :nowhere, dreg: 1})])
    ok_chain = %Linx.Netfilter.Chain{name: "c", rules: [rule]}
    table = %{Linx.Netfilter.Table.new!(:inet, "t") | chains: %{"c" => ok_chain}}

    assert {:error, {:bad_expr, detail}} =
             Linx.Netfilter.validate(%Ruleset{tables: %{{:inet, "t"} => table}})

    assert is_binary(detail)
  end

  test "expression data that reads as text still crosses as bytes" do
    # 24930 is <<"ab">> on the wire, 25185 <<"ba">>: valid UTF-8, which
    # the NIF makes text except under an expression's byte keys
    text = "table inet t {\n\tchain c {\n\t\ttcp dport 24930 tcp sport != 25185 accept\n\t}\n}\n"
    assert {:ok, rs} = Linx.NFT.parse(text)
    assert Linx.NFT.format(rs) =~ "tcp dport 24930 tcp sport != 25185 accept"
  end

  test "format refuses what is not a ruleset" do
    assert_raise ArgumentError, fn -> Linx.NFT.format(:nope) end
  end

  test "a sigil syntax error is a compile-time ParseError at the .ex position" do
    code = ~S'''
    defmodule LinxNFTTest.Bad1 do
      import Linx.NFT

      def rs do
        sigil_NFT(~S"""
        table inet fw {
          chain input {
            tcp dport ? accept
          }
        }
        """, [])
      end
    end
    '''

    e = assert_raise ParseError, fn -> Code.compile_string(code, "lib/bad1.ex") end
    # the body starts on line 6; its line 3 is the file's line 8, and the
    # heredoc's 4 stripped spaces are counted back into the column
    assert {e.file, e.line, e.column} == {"lib/bad1.ex", 8, 19}
    assert e.snippet == "        tcp dport ? accept"
    assert Exception.message(e) =~ "lib/bad1.ex:8:19: unexpected character '?'"

    one_line = ~S'''
    defmodule LinxNFTTest.Bad2 do
      import Linx.NFT
      def rs, do: sigil_NFT(<<"table inet fw {\n  chain c {\n    tcp dport ? }\n}">>, [])
    end
    '''

    e = assert_raise ParseError, fn -> Code.compile_string(one_line, "lib/bad2.ex") end
    assert {e.line, e.column} == {5, 15}

    interp_in_name = ~S'''
    defmodule LinxNFTTest.Bad3 do
      import Linx.NFT
      def rs(n), do: sigil_NFT(~S"table inet fw { chain #{n} { }; }", [])
    end
    '''

    e = assert_raise ParseError, fn -> Code.compile_string(interp_in_name, "lib/bad3.ex") end
    assert e.line == 3
    assert e.message =~ "interpolation is only allowed at a match's right-hand side"
    assert e.message =~ "\#{n}"

    assert_raise ArgumentError, ~r/modifiers/, fn ->
      Code.compile_string(~S'''
      defmodule LinxNFTTest.Bad4 do
        import Linx.NFT
        def rs, do: sigil_NFT(<<"table inet x { }">>, ~c"x")
      end
      ''')
    end
  end

  test "interpolation in the call form's ordinary string and in ~S bodies" do
    port = 443
    a = sigil_NFT("table inet t { chain c { tcp dport #{port} accept; }; }", [])
    b = sigil_NFT(~S"table inet t { chain c { tcp dport #{port} accept; }; }", [])
    {:ok, c} = Linx.NFT.parse("table inet t { chain c { tcp dport 443 accept; }; }")
    assert a == c and b == c

    addr = {10, 1, 2, 3}
    mac = Linx.MAC.parse("02:00:00:00:00:01") |> elem(1)

    rs =
      sigil_NFT(
        ~S"""
        table bridge b {
          chain c {
            ether saddr #{mac} ip daddr #{addr} accept
          }
        }
        """,
        []
      )

    text = Linx.NFT.format(rs)
    assert text =~ "ether saddr 02:00:00:00:00:01"
    assert text =~ "ip daddr 10.1.2.3"
  end
end
