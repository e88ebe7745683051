defmodule Linx.NFT.ParseError do
  @moduledoc """
  A syntax or compile error in nftables text: from `Linx.NFT.parse/2`,
  `Linx.NFT.parse_file/1`, and raised at compile time by the `~NFT` sigil.

  `:file`, `:line` and `:column` (1-based) locate it (for a sigil, in the
  `.ex` file), `:snippet` is the source line when known, `:message` the
  C parser's sentence.  `Exception.message/1` renders

      fw.nft:3:15: unexpected character '?'
      |
      | tcp dport ? accept
      |           ^
  """

  defexception [:file, :line, :column, :snippet, :message]

  @type t() :: %__MODULE__{
          file: String.t(),
          line: pos_integer(),
          column: pos_integer(),
          snippet: String.t() | nil,
          message: String.t()
        }

  @impl true
  def message(%__MODULE__{} = e) do
    "#{e.file}:#{e.line}:#{e.column}: #{e.message}" <> code_snippet(e.snippet, e.column)
  end

  @doc "The source line and a caret under `col`, or `\"\"` without a line."
  @spec code_snippet(String.t() | nil, pos_integer()) :: String.t()
  def code_snippet(nil, _col), do: ""

  def code_snippet(line, col) do
    "\n|\n| #{line}\n| #{String.duplicate(" ", max(col - 1, 0))}^"
  end

  @doc "Raises a ParseError from a map with `:file`, `:line`, `:column` (and `:snippet`)."
  @spec raise_syntax_error!(map(), String.t()) :: no_return()
  def raise_syntax_error!(ctx, message) do
    raise %__MODULE__{
      file: Map.get(ctx, :file, "nofile"),
      line: Map.get(ctx, :line, 1),
      column: Map.get(ctx, :column, 1),
      snippet: Map.get(ctx, :snippet),
      message: message
    }
  end

  @doc false
  # From the C parser's "file:line:col: message" and the source text.
  def from_c(message, source, file) do
    case Regex.run(~r/\A(.*?):(\d+):(\d+): (.*)\z/s, message) do
      [_, _f, line, col, msg] ->
        line = String.to_integer(line)

        %__MODULE__{
          file: file,
          line: line,
          column: String.to_integer(col),
          snippet: source && Enum.at(String.split(source, "\n"), line - 1),
          message: msg
        }

      nil ->
        %__MODULE__{file: file, line: 1, column: 1, message: message}
    end
  end
end
