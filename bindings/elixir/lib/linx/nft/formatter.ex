defmodule Linx.NFT.Formatter do
  @moduledoc """
  Canonical nft text, for a ruleset value and as a `mix format` plugin.

  `format/1` writes a `%Linx.Netfilter.Ruleset{}` as nft source (the C
  `nft` plugin's formatter, as `Linx.NFT.format/1`), but never raises.

  ## `mix format`

  Listed under `:plugins` in `.formatter.exs`, this module formats `.nft`
  files and the bodies of `~NFT` sigils:

      # .formatter.exs
      [
        plugins: [Linx.NFT.Formatter],
        inputs: ["{lib,test}/**/*.{ex,exs}", "**/*.nft"]
      ]

  The text is parsed by the C parser and written back by the C formatter,
  so the result is the canonical form: formatting it again changes
  nothing.  What the canonical form does not keep is lost, as with
  `Linx.NFT.format/1`: comments (other than rule `comment "..."`), blank
  lines, `define`d names (their values are written in place) and the
  order of a table's items.

    * A `.nft` file that does not parse raises `Linx.NFT.ParseError`
      (`include` counts: the file is formatted alone, its includes are not
      read).
    * A `~NFT` heredoc body is rewritten, its delimiter and modifiers
      kept.  Left as they are: a body that does not parse (compiling the
      module reports the error), a body with `\#{...}` interpolation, and
      a one-line sigil (`~NFT"..."`, `~NFT|...|`), because the canonical
      text spans several lines.

  `~NFT` in source needs Elixir 1.15 (multi-letter sigils); on 1.14 the
  plugin formats `.nft` files only.
  """

  @behaviour Mix.Tasks.Format

  alias Linx.NFT.ParseError

  @doc "Emits `%Ruleset{}` as nft source.  Always returns a binary; never raises."
  @spec format(Linx.Netfilter.Ruleset.t()) :: String.t()
  def format(ruleset) do
    Linx.NFT.format(ruleset)
  rescue
    e -> "# <unsupported ruleset: #{one_line(Exception.message(e))}>\n"
  end

  defp one_line(text), do: String.replace(text, ~r/\s*\n\s*/, " ")

  @impl Mix.Tasks.Format
  @doc false
  def features(_opts) do
    if sigils?(), do: [sigils: [:NFT], extensions: [".nft"]], else: [extensions: [".nft"]]
  end

  # Whether this Elixir's parser reads ~NFT (multi-letter sigils).
  defp sigils?, do: Version.match?(System.version(), ">= 1.15.0")

  @impl Mix.Tasks.Format
  @doc false
  def format(contents, opts) do
    cond do
      Keyword.get(opts, :sigil) == :NFT -> format_sigil(contents, opts)
      Keyword.get(opts, :extension) == ".nft" -> format_file(contents, opts)
      true -> contents
    end
  end

  defp format_file(contents, opts) do
    file = Keyword.get(opts, :file, "nofile")

    case Linx.NFT.parse(contents, file: file) do
      {:ok, rs} -> Linx.NFT.format(rs)
      {:error, %ParseError{} = e} -> raise e
    end
  end

  @heredocs [~s("""), ~s(''')]

  # Only heredocs are rewritten: the canonical text spans lines, which in
  # a one-line sigil would start at column 0 under the surrounding code.
  defp format_sigil(contents, opts) do
    delimiter = Keyword.get(opts, :opening_delimiter)

    with true <- delimiter in @heredocs,
         false <- String.contains?(contents, "\#{"),
         {:ok, rs} <- Linx.NFT.parse(contents),
         {:ok, text} <- safe_format(rs),
         false <- String.contains?(text, delimiter) do
      text
    else
      _ -> contents
    end
  end

  defp safe_format(rs) do
    {:ok, Linx.NFT.format(rs)}
  rescue
    _ -> :error
  end
end
