# The C parts (the core, the plugins and the dispatch NIF) are built by the
# compiler below, which drives the repository's Meson build.  It is defined
# here rather than under lib/ because it must exist before the project's own
# code is compiled, and the same holds when :linx is someone's dependency.
Code.require_file("mix/linx_c.exs", __DIR__)
Code.require_file("mix/test_namespaces.exs", __DIR__)

defmodule Linx.MixProject do
  use Mix.Project

  @version "0.1.0"

  def project do
    [
      app: :linx,
      version: @version,
      elixir: "~> 1.14",
      compilers: [:linx_c] ++ Mix.compilers(),
      start_permanent: Mix.env() == :prod,
      elixirc_paths: elixirc_paths(Mix.env()),
      deps: [],
      # PropEr (Debian's erlang-proper) is used by the tests only.
      xref: [exclude: [:proper, :proper_types]],
      aliases: aliases(),
      name: "Linx",
      description: "Linux kernel interfaces for Elixir",
      docs: [main: "readme", extras: ["README.md"]]
    ]
  end

  def application do
    [extra_applications: [:logger] ++ test_applications(Mix.env()), mod: {Linx.Application, []}]
  end

  # PropEr must be named: Elixir 1.15 and later drop from the code path
  # whatever the project does not list (Debian 13's Elixir 1.18 included).
  defp test_applications(:test), do: [:proper]
  defp test_applications(_), do: []

  defp elixirc_paths(:test), do: ["lib", "test/support"]
  defp elixirc_paths(_), do: ["lib"]

  # `mix test` first moves into private mount, network, UTS and IPC
  # namespaces (mix/test_namespaces.exs), so that the tests that change
  # kernel state never reach the machine's own.
  defp aliases do
    [
      test: &LinxMix.TestNamespaces.run/1,
      bench: "run bench/dispatch.exs",
      "bench.process": "run bench/process.exs",
      "bench.nft": "run bench/nft.exs"
    ]
  end
end
