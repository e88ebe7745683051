defmodule Linx.NFT do
  @moduledoc """
  nftables' own language: text to `%Linx.Netfilter.Ruleset{}` and back,
  and the `~NFT` sigil.

    * `parse/2` and `parse_file/1` read nft syntax (what `nft -f` loads);
    * `format/1` writes a ruleset as canonical nft text, which parses back
      to the same ruleset;
    * `~NFT` parses at compile time.

  The parser and formatter are the C `nft` plugin's (`nft.parse`,
  `nft.format`; docs/nft/lang.md lists the grammar it covers).

  ## The `~NFT` sigil

      import Linx.NFT

      ~NFT\"\"\"
      table inet myapp {
        chain input {
          type filter hook input priority 0; policy drop;
          tcp dport 22 accept
        }
      }
      \"\"\"

  The body is parsed when the module is compiled: a syntax error raises
  `Linx.NFT.ParseError` then, at the line and column of the `.ex` file.
  A body without interpolation becomes a literal `%Ruleset{}`.

  `\#{...}` is allowed at the right-hand side of a match
  (`tcp dport \#{port}`, `ip saddr \#{addr}`, `meta iifname \#{name}`):
  the body is still parsed at compile time, with each interpolation left
  as a runtime hole of the C parser, and at run time the values are
  converted by the C plugin for the type of the match (`nft.fill_holes`).
  A value of the wrong kind raises `ArgumentError` naming the hole's type.
  Integers, strings, `%Linx.IP{}`, address tuples and `%Linx.MAC{}` are
  accepted.  Interpolation anywhere else is a compile-time ParseError.

  Multi-letter sigils need Elixir 1.15.  On Elixir 1.14 call the macro by
  name, which is the same compile-time parse:

      sigil_NFT(<<"table inet x { }">>, [])

      sigil_NFT(~S\"\"\"
      table inet x {
        chain c { tcp dport \#{port} accept }
      }
      \"\"\", [])

  With `~S` the body stays raw as in the real sigil, and error positions
  are exact for heredocs too; in an ordinary string literal `\#{...}` is
  Elixir's interpolation, which the macro turns into holes the same way
  (positions are exact for a string that starts on the call's line, but
  not for a `\"\"\"` heredoc, whose indentation the macro cannot see).
  """

  alias Linx.NFT.ParseError
  alias Linx.Netfilter.Ruleset

  @doc """
  Parses nft text.  Options: `:file`, the name errors give (default
  `"nofile"`).  `include` is refused here (no directory to resolve it
  against): use `parse_file/1`.
  """
  @spec parse(String.t(), keyword()) :: {:ok, Ruleset.t()} | {:error, ParseError.t()}
  def parse(source, opts \\ [])

  def parse(source, opts) when is_binary(source) and is_list(opts) do
    file = Keyword.get(opts, :file, "nofile")

    with {:ok, value} <- parse_c(%{"text" => source, "file" => file}, source, file) do
      {:ok, Ruleset.from_c(value)}
    end
  end

  def parse(source, _opts),
    do:
      {:error,
       %ParseError{file: "nofile", line: 1, column: 1, message: "not text: #{inspect(source)}"}}

  @doc """
  Reads and parses a `.nft` file; its `include`s are resolved relative to
  it (and may not leave its directory).
  """
  @spec parse_file(Path.t()) :: {:ok, Ruleset.t()} | {:error, ParseError.t() | File.posix()}
  def parse_file(path) when not (is_binary(path) or is_list(path)), do: {:error, :einval}

  def parse_file(path) do
    path = Path.expand(path)

    with {:ok, source} <- File.read(path),
         {:ok, value} <- parse_c(%{"path" => path}, source, path) do
      {:ok, Ruleset.from_c(value)}
    end
  end

  defp parse_c(args, source, file) do
    case Linx.Verb.call("nft.parse", args, :nft) do
      {:ok, value} ->
        {:ok, value}

      {:error, %Linx.Error{op: "parse", param: nil, message: msg}} ->
        {:error, ParseError.from_c(msg, source, file)}

      {:error, %Linx.Error{} = e} ->
        {:error, %ParseError{file: file, line: 1, column: 1, message: Exception.message(e)}}
    end
  end

  @doc """
  Writes a ruleset as canonical nft text.  Raises `ArgumentError` for a
  value that is not a well-formed ruleset.
  """
  @spec format(Ruleset.t()) :: String.t()
  def format(rs) do
    with {:ok, value} <- Ruleset.to_c(rs),
         {:ok, text} <- Linx.Verb.call("nft.format", %{"ruleset" => value}, :nft) do
      text
    else
      {:error, reason} -> raise ArgumentError, "cannot format: #{inspect(reason)}"
    end
  end

  @doc """
  The `~NFT` sigil: nft text parsed at compile time into a
  `%Linx.Netfilter.Ruleset{}` (see the module doc).  No modifiers.
  """
  defmacro sigil_NFT(body, modifiers)

  defmacro sigil_NFT(body, modifiers) when is_binary(body),
    do: compile_sigil([], [body], modifiers, __CALLER__)

  # sigil_NFT(~S"""...""", []): the call form that keeps the body raw and
  # its heredoc indentation known, as the real ~NFT would.
  defmacro sigil_NFT({sigil, _, [{:<<>>, meta, parts}, []]}, modifiers)
           when sigil in [:sigil_S, :sigil_s],
           do: compile_sigil(meta, parts, modifiers, __CALLER__)

  defmacro sigil_NFT({:<<>>, meta, parts}, modifiers),
    do: compile_sigil(meta, parts, modifiers, __CALLER__)

  defp compile_sigil(meta, parts, modifiers, caller) do
    if modifiers not in [[], ~c""] do
      raise ArgumentError, "~NFT takes no modifiers, got: #{inspect(modifiers)}"
    end

    {text, holes} = split_parts(parts, caller)
    # A heredoc's body starts on the line after the sigil and has its
    # indentation removed.
    {line0, col0} =
      case Keyword.fetch(meta, :indentation) do
        {:ok, ind} -> {Keyword.get(meta, :line, caller.line) + 1, ind}
        :error -> {caller.line, 0}
      end

    file = Path.relative_to_cwd(caller.file)

    # With holes, the plugin's value is the template fill_holes/3 hands
    # back to the plugin at run time: it stays in the plugin's terms.
    shape = if holes == [], do: :nft, else: nil

    case Linx.Verb.call("nft.parse", %{"text" => text, "file" => file}, shape) do
      {:ok, value} when holes == [] ->
        Macro.escape(Ruleset.from_c(value))

      {:ok, value} ->
        values =
          for {name, ast} <- holes do
            quote do: {unquote(name), Linx.NFT.hole_value(unquote(ast))}
          end

        sources = Map.new(holes, fn {name, ast} -> {name, Macro.to_string(ast)} end)

        quote do
          Linx.NFT.fill_holes(
            unquote(Macro.escape(value)),
            Map.new(unquote(values)),
            unquote(Macro.escape(sources))
          )
        end

      {:error, %Linx.Error{op: "parse", message: msg}} ->
        e = ParseError.from_c(msg, text, file)
        col = if e.line == 1 and col0 == 0, do: e.column, else: e.column + col0
        # the parser points past a hole's '$', as nft does at a variable;
        # the user's #{...} starts at the '$'
        col = if hole_message?(e.message), do: col - 1, else: col
        snippet = e.snippet && String.duplicate(" ", col0) <> e.snippet
        sources = Map.new(holes, fn {name, ast} -> {name, Macro.to_string(ast)} end)

        raise %{
          e
          | line: e.line + line0 - 1,
            column: col,
            snippet: snippet && unhole(snippet, sources),
            message: unhole_message(e.message, sources)
        }

      {:error, %Linx.Error{} = e} ->
        raise %ParseError{file: file, line: line0, column: 1, message: Exception.message(e)}
    end
  end

  # The body as text for the C parser, each interpolation a hole
  # "$linx_hole_N", and the Elixir expressions of the holes.
  defp split_parts(parts, caller, holes0 \\ []) do
    {iodata, holes} =
      Enum.reduce(parts, {[], holes0}, fn
        bin, {acc, holes} when is_binary(bin) ->
          {text, holes} = split_text(bin, holes, caller)
          {[acc, text], holes}

        # "#{x}" in an ordinary string literal (the sigil_NFT/2 call form)
        {:"::", _, [{{:., _, [Kernel, :to_string]}, _, [ast]}, {:binary, _, _}]}, {acc, holes} ->
          name = "linx_hole_#{length(holes)}"
          {[acc, "$", name], holes ++ [{name, ast}]}

        {:<<>>, _, inner}, {acc, holes} ->
          {text, holes} = split_parts(inner, caller, holes)
          {[acc, text], holes}

        other, _ ->
          raise ArgumentError, "~NFT: unexpected body part #{Macro.to_string(other)}"
      end)

    {IO.iodata_to_binary(iodata), holes}
  end

  # "#{...}" written literally in the uppercase sigil's body.
  defp split_text(bin, holes, caller) do
    case :binary.split(bin, "\#{") do
      [text] ->
        {text, holes}

      [before, rest] ->
        {src, after_} = take_braced(rest, 1, [])
        name = "linx_hole_#{length(holes)}"
        ast = Code.string_to_quoted!(src, file: caller.file, line: caller.line)
        {tail, holes} = split_text(after_, holes ++ [{name, ast}], caller)
        {[before, "$", name, tail], holes}
    end
  end

  defp take_braced(<<"}", rest::binary>>, 1, acc),
    do: {IO.iodata_to_binary(Enum.reverse(acc)), rest}

  defp take_braced(<<"}", rest::binary>>, n, acc), do: take_braced(rest, n - 1, ["}" | acc])
  defp take_braced(<<"{", rest::binary>>, n, acc), do: take_braced(rest, n + 1, ["{" | acc])

  defp take_braced(<<c::utf8, rest::binary>>, n, acc),
    do: take_braced(rest, n, [<<c::utf8>> | acc])

  defp take_braced(<<>>, _n, _acc),
    do: raise(ArgumentError, "~NFT: unterminated \#{ interpolation")

  @doc false
  # An interpolated value in the C plugin's terms.
  def hole_value(v) when is_integer(v) or is_binary(v), do: v
  def hole_value(%Linx.IP{} = ip), do: Linx.IP.to_string(ip)
  def hole_value(%Linx.MAC{} = m), do: Linx.MAC.to_string(m)

  def hole_value(t) when is_tuple(t) and tuple_size(t) in [4, 8] do
    t |> Linx.IP.from_tuple() |> Linx.IP.to_string()
  rescue
    _ -> raise ArgumentError, "~NFT: cannot interpolate #{inspect(t)}"
  end

  def hole_value(v) when is_atom(v) and v not in [nil, true, false], do: Atom.to_string(v)
  def hole_value(v), do: raise(ArgumentError, "~NFT: cannot interpolate #{inspect(v)}")

  @doc false
  def fill_holes(value, values, sources) do
    case Linx.Verb.call("nft.fill_holes", %{"ruleset" => value, "values" => values}, :nft) do
      {:ok, filled} -> Ruleset.from_c(filled)
      {:error, e} -> raise ArgumentError, "~NFT: " <> unhole(e.message, sources)
    end
  end

  # The C parser's messages name our holes; give the user's source back.
  # "unknown identifier 'linx_hole_N' (no define gives $linx_hole_N)"
  defp hole_message?(msg), do: msg =~ ~r/unknown identifier 'linx_hole_\d+'/

  defp unhole_message(msg, sources) do
    if hole_message?(msg) do
      [name] = Regex.run(~r/linx_hole_\d+/, msg)
      src = Map.get(sources, name, name)
      "interpolation is only allowed at a match's right-hand side: \#{" <> src <> "}"
    else
      unhole(msg, sources)
    end
  end

  defp unhole(text, sources) do
    Regex.replace(~r/\$(linx_hole_\d+)/, text, fn whole, name ->
      case Map.fetch(sources, name) do
        {:ok, src} -> "\#{" <> src <> "}"
        :error -> whole
      end
    end)
  end
end
