defmodule Linx.Seccomp.Syscalls do
  @moduledoc false
  # The syscall table of an architecture, by name and by number, for
  # introspection and for decoding filters: libseccomp's own table (the
  # one the filters are built from), read once per architecture through
  # the `seccomp.syscalls` verb and kept in :persistent_term.
  #
  # Both directions are total: a number the table does not name, or a name
  # it does not have, is `:unknown`, never a crash, so a filter that
  # mentions a syscall newer than the table still decodes.  The names are
  # turned into atoms once per architecture: a fixed set of a few hundred
  # that comes from the library, not from anything a caller or the agent
  # sends.
  #
  #     iex> Linx.Seccomp.Syscalls.to_number(:read, :x86_64)
  #     0
  #     iex> Linx.Seccomp.Syscalls.to_number(:read, :aarch64)
  #     63
  #     iex> Linx.Seccomp.Syscalls.from_number(317, :x86_64)
  #     :seccomp
  #     iex> Linx.Seccomp.Syscalls.from_number(99999, :x86_64)
  #     :unknown

  @arches [:x86_64, :aarch64]

  @doc "The number of `name` on `arch`, or `:unknown`."
  @spec to_number(atom() | String.t(), :x86_64 | :aarch64) ::
          non_neg_integer() | :unknown | {:error, term()}
  def to_number(name, arch) when is_atom(name) or is_binary(name) do
    with {:ok, {by_name, _}} <- table(arch) do
      key = if is_atom(name), do: Atom.to_string(name), else: name
      Map.get(by_name, key, :unknown)
    end
  end

  def to_number(name, _arch), do: {:error, {:bad_syscall, name}}

  @doc "The name (an atom) of syscall `nr` on `arch`, or `:unknown`."
  @spec from_number(integer(), :x86_64 | :aarch64) :: atom() | {:error, term()}
  def from_number(nr, arch) when is_integer(nr) do
    with {:ok, {_, by_nr}} <- table(arch), do: Map.get(by_nr, nr, :unknown)
  end

  def from_number(nr, _arch), do: {:error, {:bad_number, nr}}

  @doc "Every syscall name `arch` has, as atoms."
  @spec all(:x86_64 | :aarch64) :: MapSet.t(atom()) | {:error, term()}
  def all(arch) do
    with {:ok, {_, by_nr}} <- table(arch), do: MapSet.new(Map.values(by_nr))
  end

  defp table(arch) when arch in @arches do
    case :persistent_term.get({__MODULE__, arch}, nil) do
      nil -> load(arch)
      t -> {:ok, t}
    end
  end

  defp table(arch), do: {:error, {:bad_arch, arch}}

  defp load(arch) do
    case Linx.Native.call("seccomp.syscalls", %{"arch" => Atom.to_string(arch)}) do
      {:ok, names} when is_map(names) ->
        by_nr = Map.new(names, fn {name, nr} -> {nr, String.to_atom(name)} end)
        t = {names, by_nr}
        :persistent_term.put({__MODULE__, arch}, t)
        {:ok, t}

      {:error, err} ->
        # only without the seccomp plugin: the table is part of building
        errno = if is_map(err), do: Map.get(err, :errno, :unknown), else: :unknown
        {:error, Linx.Seccomp.Error.from_posix(errno, :build)}
    end
  end
end
