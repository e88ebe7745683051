# The plugins only the tests use (nif_test, example) are built next to the
# NIF, in the C build tree, and loaded from there.
c_build = Mix.Tasks.Compile.LinxC.build_dir()

for name <- ["nif_test", "example"] do
  :ok = Linx.Verb.load_plugin(Path.join([c_build, "bindings", "elixir", name <> ".so"]))
end

ExUnit.start()
