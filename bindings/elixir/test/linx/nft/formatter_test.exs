defmodule Linx.NFT.FormatterTest do
  # The `mix format` plugin: .nft files and ~NFT bodies through the C
  # parser and formatter.  No kernel.
  use ExUnit.Case, async: true

  alias Linx.NFT.{Formatter, ParseError}

  @moduletag skip: LinxTest.Kernel.needs("nft", namespaces: false)

  @sigils? Version.match?(System.version(), ">= 1.15.0")
  # the skip reason where ~NFT cannot be written, false where it can
  @sigil_skip if(@sigils?,
                do: false,
                else:
                  "~NFT in source needs Elixir 1.15 (multi-letter sigils); this is #{System.version()}"
              )

  @corpus_dir Path.expand("../../../../../tests/plugins/nft/lang", __DIR__)

  @messy """
  table inet  myapp {
      chain input { type filter hook input priority 0; policy drop;
    tcp dport 22   accept
  }
  }
  """

  defp nft(text), do: Formatter.format(text, extension: ".nft", file: "fw.nft")

  test "features: .nft files always, the ~NFT sigil where Elixir reads it" do
    features = Formatter.features([])
    assert features[:extensions] == [".nft"]
    assert features[:sigils] == if(@sigils?, do: [:NFT], else: nil)
  end

  test "a .nft file is written in canonical form, which parses back to the same ruleset" do
    out = nft(@messy)
    assert out != @messy
    assert {:ok, rs} = Linx.NFT.parse(@messy)
    assert out == Linx.NFT.format(rs)
    assert {:ok, ^rs} = Linx.NFT.parse(out)
    assert nft(out) == out
  end

  test "every corpus file: formatting is idempotent and keeps the ruleset" do
    files = Path.wildcard(Path.join(@corpus_dir, "*.nft"))
    assert length(files) >= 10

    # a file that includes others is read whole by a load, and has no
    # text of its own to format (the plugin would need the includes)
    for file <- files, text = File.read!(file), not (text =~ ~r/^\s*include\s/m) do
      once = Formatter.format(text, extension: ".nft", file: file)
      assert Formatter.format(once, extension: ".nft", file: file) == once, file
      assert Linx.NFT.parse(once) == Linx.NFT.parse(text), file
    end
  end

  test "a .nft file that does not parse raises ParseError at its position" do
    e =
      assert_raise ParseError, fn ->
        nft("table inet t {\n  chain c {\n    tcp dport ? accept\n  }\n}\n")
      end

    assert {e.file, e.line} == {"fw.nft", 3}
    assert Exception.message(e) =~ "fw.nft:3:"

    assert_raise ParseError, fn -> nft("include \"other.nft\"\n") end
  end

  test "other files and sigils are left alone" do
    assert Formatter.format("not nft {", extension: ".txt") == "not nft {"
    assert Formatter.format("not nft {", sigil: :W, modifiers: []) == "not nft {"
  end

  test "sigil bodies: static ones are reformatted, the rest kept verbatim" do
    opts = [sigil: :NFT, modifiers: [], opening_delimiter: ~S(""")]
    assert Formatter.format(@messy, opts) == nft(@messy)

    bad = "table inet t { bogus }\n"
    assert Formatter.format(bad, opts) == bad

    holes = "table inet t {\n chain c {  tcp dport \#{port}   accept }\n}\n"
    assert Formatter.format(holes, opts) == holes

    # one-line sigils stay one line
    one_line = "table  inet t { }"
    assert Formatter.format(one_line, Keyword.put(opts, :opening_delimiter, "|")) == one_line
  end

  test "format/1: a ruleset as text, and a comment instead of raising" do
    {:ok, rs} = Linx.NFT.parse(@messy)
    assert Formatter.format(rs) == Linx.NFT.format(rs)
    assert Formatter.format(:not_a_ruleset) =~ ~r/\A# <unsupported ruleset: .*>\n\z/
    assert Formatter.format(%Linx.Netfilter.Ruleset{tables: :bogus}) =~ "# <unsupported"
  end

  describe "through mix format's own machinery" do
    setup do
      dir = Path.join(System.tmp_dir!(), "linx-fmt-#{System.unique_integer([:positive])}")
      File.mkdir_p!(dir)
      on_exit(fn -> File.rm_rf!(dir) end)

      dot = Path.join(dir, ".formatter.exs")

      File.write!(
        dot,
        inspect(plugins: [Formatter], inputs: ["*.{ex,nft}"])
      )

      %{dir: dir, dot: dot}
    end

    test "a .nft file", %{dir: dir, dot: dot} do
      file = Path.join(dir, "fw.nft")
      {fun, _opts} = Mix.Tasks.Format.formatter_for_file(file, dot_formatter: dot)
      assert fun.(@messy) == nft(@messy)
      assert_raise ParseError, fn -> fun.("table inet t { bogus }\n") end
    end

    @tag skip: @sigil_skip
    test "~NFT in an .ex file: delimiter and modifiers kept", %{dir: dir, dot: dot} do
      file = Path.join(dir, "fw.ex")
      {fun, _opts} = Mix.Tasks.Format.formatter_for_file(file, dot_formatter: dot)

      src = """
      defmodule Fw do
        import Linx.NFT

        def rules do
          ~NFT\"\"\"
          table inet  myapp {
              chain input { type filter hook input priority 0; policy drop;
            tcp dport 22   accept
          }
          }
          \"\"\"
        end

        def held(port), do: ~NFT"table inet t { chain c { tcp dport \#{port} accept } }"
        def one, do: ~NFT|table  inet t { }|

        def bad do
          ~NFT\"\"\"
          table inet t { bogus }
          \"\"\"
        end
      end
      """

      out = fun.(src)

      body =
        nft(@messy)
        |> String.split("\n")
        |> Enum.drop(-1)
        |> Enum.map_join(fn
          "" -> "\n"
          line -> "    #{line}\n"
        end)

      assert out =~ "    ~NFT\"\"\"\n" <> body <> "    \"\"\"\n"
      assert out =~ ~S|~NFT"table inet t { chain c { tcp dport #{port} accept } }"|
      assert out =~ "~NFT|table  inet t { }|"
      assert out =~ "    ~NFT\"\"\"\n    table inet t { bogus }\n    \"\"\"\n"
      assert fun.(out) == out

      # and Code.format_string!/2 with the plugin's function as the sigil's
      sigils = [NFT: &Formatter.format/2]
      assert IO.iodata_to_binary(Code.format_string!(src, sigils: sigils)) <> "\n" == out
    end
  end
end
