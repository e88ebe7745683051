defmodule Mix.Tasks.Compile.LinxC do
  @moduledoc """
  Builds Linx's C parts for the `:linx` application.

  The core, the plugins and the dispatch NIF are the repository's own Meson
  project (two directories up from this mix project).  This compiler
  configures it into `<app build dir>/c_build` (under `_build`, nothing is
  written into the source tree), runs Ninja there, and installs what the
  application loads at run time into its `priv` directory in `_build`:

      priv/linx_nif.so        the dispatch NIF, with the core linked in
      priv/linx-agent         the checkpoint agent Linx.Process drives
      priv/plugins/<name>.so  every plugin module the build produced

  Ninja makes a run with nothing to do cheap, so the step runs on every
  `mix compile`.  A missing tool or library stops the build with a message
  naming the Debian package to install.

  `LINX_NIF_SANITIZE=1` builds everything with AddressSanitizer and UBSan
  (in `c_build-asan`); the VM must then be started with the ASan runtime
  preloaded, see the README.
  """
  use Mix.Task.Compiler

  @recursive false

  # pkg-config names Meson may report missing, and the Debian package
  # providing each.
  @debian_packages %{
    "check" => "check",
    "libmnl" => "libmnl-dev",
    "libnftnl" => "libnftnl-dev",
    "libcap" => "libcap-dev",
    "libseccomp" => "libseccomp-dev",
    "jansson" => "libjansson-dev",
    "threads" => "libc6-dev"
  }

  @impl true
  def run(_args) do
    with {:ok, src} <- source_root(),
         :ok <- check_tools(),
         {:ok, erts_include} <- erts_include_dir(),
         build = build_dir(),
         :ok <- configure(src, build, erts_include),
         {:ok, status} <- ninja(build),
         {:ok, installed?} <- install(build, priv_dir()) do
      {if(status == :noop and not installed?, do: :noop, else: :ok), []}
    else
      {:error, message} ->
        Mix.shell().error(message)
        {:error, [diagnostic(message)]}
    end
  end

  @impl true
  def clean do
    app = Mix.Project.app_path()
    File.rm_rf!(Path.join(app, "c_build"))
    File.rm_rf!(Path.join(app, "c_build-asan"))
    File.rm_rf!(Path.join(priv_dir(), "linx_nif.so"))
    File.rm_rf!(Path.join(priv_dir(), "linx-agent"))
    File.rm_rf!(Path.join(priv_dir(), "plugins"))
    :ok
  end

  @doc "Where the Meson build of the current project lives."
  def build_dir do
    name = if sanitize?(), do: "c_build-asan", else: "c_build"
    Path.join(Mix.Project.app_path(), name)
  end

  defp sanitize?, do: System.get_env("LINX_NIF_SANITIZE") in ["1", "true"]

  defp priv_dir, do: Path.join(Mix.Project.app_path(), "priv")

  defp project_dir, do: Path.dirname(Mix.Project.project_file())

  defp source_root do
    root = Path.expand("../..", project_dir())

    if File.regular?(Path.join(root, "meson.build")) and
         File.dir?(Path.join(root, "core")) do
      {:ok, root}
    else
      {:error,
       """
       linx: the C sources are not where this mix project expects them
       (#{root}/meson.build and #{root}/core/).  bindings/elixir builds the
       repository around it: depend on it with the whole repository checked
       out, e.g. {:linx, path: "<repo>/bindings/elixir"} or
       {:linx, git: "<url>", subdir: "bindings/elixir"}.
       """}
    end
  end

  defp check_tools do
    cond do
      System.find_executable("meson") == nil ->
        {:error,
         "linx: `meson` not found; the C parts are built with Meson and " <>
           "Ninja (Debian: apt-get install meson ninja-build)"}

      System.find_executable("ninja") == nil ->
        {:error, "linx: `ninja` not found (Debian: apt-get install ninja-build)"}

      System.find_executable("cc") == nil and System.find_executable("gcc") == nil ->
        {:error, "linx: no C compiler (`cc`) found (Debian: apt-get install build-essential)"}

      true ->
        :ok
    end
  end

  # The NIF must be compiled against the headers of the VM that will load
  # it, so the include directory comes from the running VM rather than from
  # whatever `erl` is first on PATH.
  defp erts_include_dir do
    dir =
      Path.join([
        to_string(:code.root_dir()),
        "erts-#{:erlang.system_info(:version)}",
        "include"
      ])

    if File.regular?(Path.join(dir, "erl_nif.h")) do
      {:ok, dir}
    else
      {:error,
       "linx: erl_nif.h not found in #{dir}; the NIF needs the Erlang " <>
         "development headers (Debian: apt-get install erlang-dev)"}
    end
  end

  defp configure(src, build, erts_include) do
    if File.regular?(Path.join(build, "build.ninja")) do
      :ok
    else
      # A half-configured directory would make `meson setup` refuse.
      File.rm_rf!(build)
      File.mkdir_p!(Path.dirname(build))

      options =
        [
          "-Dtests=false",
          "-Dfuzzers=disabled",
          "-Delixir_nif=enabled",
          "-Derts_include_dir=#{erts_include}"
        ] ++
          if(sanitize?(),
            do: ["-Db_sanitize=address,undefined", "-Db_lundef=false"],
            else: []
          )

      Mix.shell().info("==> linx: configuring the C build in #{build}")

      case cmd("meson", ["setup" | options] ++ [build, src]) do
        {_, 0} ->
          :ok

        {out, _} ->
          # The directory stays for its meson-logs; the next run starts
          # over since it has no build.ninja.
          {:error, "linx: meson setup failed\n" <> tail(out) <> hint(out)}
      end
    end
  end

  defp ninja(build) do
    case cmd("ninja", ["-C", build]) do
      {out, 0} ->
        if out =~ "no work to do" do
          {:ok, :noop}
        else
          Mix.shell().info("==> linx: built the C parts (#{build})")
          {:ok, :built}
        end

      {out, _} ->
        {:error, "linx: building the C parts failed\n" <> tail(out) <> hint(out)}
    end
  end

  # Copy the NIF and the plugin modules into priv, replacing a file only
  # when its content changed, and never in place: a VM may have the old
  # file mapped, and overwriting a mapped shared object crashes it.
  defp install(build, priv) do
    nif = Path.join([build, "bindings", "elixir", "linx_nif.so"])

    plugins =
      Path.wildcard(Path.join([build, "plugins", "*", "*.so"]))
      |> Enum.filter(fn file ->
        Path.basename(file, ".so") == Path.basename(Path.dirname(file))
      end)

    if File.regular?(nif) do
      plugin_dir = Path.join(priv, "plugins")
      File.mkdir_p!(plugin_dir)
      wanted = MapSet.new(plugins, &Path.basename/1)

      stale =
        for file <- File.ls!(plugin_dir), not MapSet.member?(wanted, file) do
          File.rm!(Path.join(plugin_dir, file))
          true
        end

      copied =
        for file <- [nif | plugins] do
          dest =
            if file == nif,
              do: Path.join(priv, "linx_nif.so"),
              else: Path.join(plugin_dir, Path.basename(file))

          replace(file, dest)
        end

      agent = Path.join([build, "bindings", "elixir", "linx-agent"])

      copied =
        if File.regular?(agent),
          do: [replace(agent, Path.join(priv, "linx-agent")) | copied],
          else: copied

      {:ok, Enum.any?(copied ++ stale)}
    else
      {:error, "linx: the build did not produce #{nif}"}
    end
  end

  defp replace(src, dest) do
    data = File.read!(src)

    if File.read(dest) == {:ok, data} do
      false
    else
      tmp = dest <> ".tmp"
      File.write!(tmp, data)
      File.chmod!(tmp, 0o755)
      File.rename!(tmp, dest)
      true
    end
  end

  defp cmd(prog, args) do
    System.cmd(prog, args, stderr_to_stdout: true, env: [{"NINJA_STATUS", "[%f/%t] "}])
  rescue
    e in ErlangError -> {"cannot run #{prog}: #{inspect(e.original)}", 127}
  end

  defp tail(out) do
    lines = String.split(out, "\n")
    Enum.join(Enum.take(lines, -40), "\n")
  end

  defp hint(out) do
    missing =
      Regex.scan(~r/Dependency "?([A-Za-z0-9_+.-]+)"? (?:not found|.*found: NO)/, out)
      |> Enum.map(fn [_, name] -> name end)
      |> Enum.uniq()

    compiler? = out =~ "Unknown compiler" or out =~ "compiler for language"

    lines =
      Enum.map(missing, fn name ->
        pkg = Map.get(@debian_packages, name, "the -dev package providing #{name}.pc")
        "  missing library #{name}: apt-get install #{pkg}"
      end) ++
        if(compiler?, do: ["  no working C compiler: apt-get install build-essential"], else: [])

    if lines == [], do: "", else: "\n" <> Enum.join(lines, "\n") <> "\n"
  end

  defp diagnostic(message) do
    %Mix.Task.Compiler.Diagnostic{
      compiler_name: "linx_c",
      file: Mix.Project.project_file(),
      position: nil,
      message: message,
      severity: :error
    }
  end
end
