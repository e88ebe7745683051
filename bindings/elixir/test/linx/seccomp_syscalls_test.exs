defmodule Linx.Seccomp.SyscallsTest do
  # The table against the kernel's own: the UAPI header of the host's
  # architecture, where it is installed (linux-libc-dev).
  use ExUnit.Case, async: true

  alias Linx.Seccomp.Syscalls

  @header "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"

  test "the spec's examples" do
    assert Syscalls.to_number(:read, :x86_64) == 0
    assert Syscalls.to_number(:read, :aarch64) == 63
    assert Syscalls.from_number(317, :x86_64) == :seccomp
    assert Syscalls.from_number(99999, :x86_64) == :unknown
    assert Syscalls.from_number(-1, :x86_64) == :unknown
    assert Syscalls.to_number(:no_such_syscall, :x86_64) == :unknown
    assert Syscalls.to_number("openat", :x86_64) == 257
    # aarch64 has the generic table: no open(2), only openat(2)
    assert Syscalls.to_number(:open, :aarch64) == :unknown
    assert Syscalls.to_number(:openat, :aarch64) == 56
  end

  test "both directions agree, and all/1 is the set of names" do
    for arch <- [:x86_64, :aarch64] do
      all = Syscalls.all(arch)
      assert MapSet.size(all) > 250

      for name <- all do
        nr = Syscalls.to_number(name, arch)
        assert is_integer(nr) and nr >= 0
        assert Syscalls.from_number(nr, arch) == name
      end
    end
  end

  @tag skip: not File.exists?(@header) && "no #{@header} (linux-libc-dev) on this host"
  test "x86_64 numbers are the kernel's" do
    defs =
      for line <- File.read!(@header) |> String.split("\n"),
          [_, name, nr] <- [Regex.run(~r/^#define __NR_(\w+) (\d+)$/, line)],
          do: {name, String.to_integer(nr)}

    assert length(defs) > 300
    ours = for {name, nr} <- defs, do: {name, nr, Syscalls.to_number(name, :x86_64)}
    # a header newer than libseccomp may name syscalls it does not know yet;
    # a number that differs is wrong whatever the versions
    assert for({name, nr, n} <- ours, is_integer(n) and n != nr, do: {name, nr, n}) == []
    unknown = for {name, _, :unknown} <- ours, do: name
    assert length(unknown) < 20, "libseccomp lacks #{inspect(unknown)}"
  end

  test "bad input is refused, never a crash" do
    assert Syscalls.to_number(:read, :mips) == {:error, {:bad_arch, :mips}}
    assert Syscalls.from_number(0, "x86_64") == {:error, {:bad_arch, "x86_64"}}
    assert Syscalls.all(nil) == {:error, {:bad_arch, nil}}
    assert Syscalls.to_number(42, :x86_64) == {:error, {:bad_syscall, 42}}
    assert Syscalls.from_number(:read, :x86_64) == {:error, {:bad_number, :read}}
  end
end
