# The plugins only the tests use (nif_test, example) are built next to the
# NIF, in the C build tree, and loaded from there.
c_build = Mix.Tasks.Compile.LinxC.build_dir()

for name <- ["nif_test", "example"] do
  :ok = Linx.Verb.load_plugin(Path.join([c_build, "bindings", "elixir", name <> ".so"]))
end

# A sanitizer run must really have the ASan runtime in the VM (the NIF would
# not load otherwise, but say so plainly).
if System.get_env("LINX_NIF_SANITIZE") in ["1", "true"] and
     not (File.read!("/proc/self/maps") =~ "libasan") do
  raise "LINX_NIF_SANITIZE=1 but the ASan runtime is not loaded"
end

# A message the test waits for without saying how long may take more than
# ExUnit's default 100 ms on a loaded CI machine or in the VM lane; a
# longer wait costs only the tests that fail.
ExUnit.start(assert_receive_timeout: 2_000)
