defmodule LinxTest.Sigils do
  @moduledoc false
  # Evaluates what `inspect/1` printed, as a user pasting it into code
  # would.  Elixir 1.15 reads `~IP"..."` itself; Elixir 1.14 has no
  # multi-letter sigils, so there the literal is handed to the same macro
  # by name (`sigil_IP("...", [])`), which is what `~IP"..."` expands to.

  def eval(text) do
    code =
      if Version.match?(System.version(), ">= 1.15.0") do
        text
      else
        Regex.replace(~r/~(IP|MAC)"([^"]*)"/, text, ~S{sigil_\1("\2", [])})
      end

    {value, _} =
      Code.eval_string(
        "import Linx.IP, only: [sigil_IP: 2]; import Linx.MAC, only: [sigil_MAC: 2]; " <> code
      )

    value
  end
end
