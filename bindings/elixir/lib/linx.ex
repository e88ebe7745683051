defmodule Linx do
  @moduledoc """
  Linux kernel interfaces for Elixir.

  Linx provides primitives - the kernel's own interfaces, given an Elixir
  shape - not a runtime: container engines, network managers and
  monitoring tools are built on it.  The subsystems are written in C, as
  plugins of a small core; this application calls them through one NIF
  (`Linx.Native`, or `Linx.Verb` for any verb by name).

  Available in this version:

    * `Linx.Sysctl` - `/proc/sys` knobs by dot-form key, in the BEAM's
      namespaces or another process's (`:in`);
    * `Linx.Cgroup` - cgroup v2: create, place processes, limit memory,
      pids and CPU, freeze and thaw, read counters;
    * value types: `Linx.IP` (with `Linx.IP.Subnet`) and `Linx.MAC`, with
      compile-time sigils that `inspect/1` reproduces.

  Subsystems that depend on an optional kernel feature answer
  `supported?/0`.
  """

  @doc "The version of the Linx application."
  @spec version() :: String.t()
  def version, do: to_string(Application.spec(:linx, :vsn) || "0.1.0")
end
