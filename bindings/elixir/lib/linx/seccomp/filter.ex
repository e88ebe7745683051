defmodule Linx.Seccomp.Filter do
  @moduledoc """
  A compiled seccomp filter: what `Linx.Seccomp.allow_list/2`,
  `deny_list/2`, `from_rules/1` and `Linx.Seccomp.Builder.build/2` return
  and `Linx.Seccomp.install/2` takes.

    * `:arch` - the architecture it was built for (`:x86_64`,
      `:aarch64`); it allows no other ABI;
    * `:bpf` - the classic BPF program, 8 bytes per instruction (`struct
      sock_filter`), ready for `seccomp(SECCOMP_SET_MODE_FILTER)`: export
      it as it is;
    * `:rules` - `{rules, default}`, the data form it was built from
      (`Linx.Seccomp.to_rules/1`), or `nil` for a bare program;
    * `:summary` - free text for humans, or `nil`.

  Build filters with the functions above rather than by hand: the program
  has to match the rules.  It inspects as its size:

      #Linx.Seccomp.Filter<x86_64 41 syscalls, 12 BPF insns>
  """

  defstruct arch: nil, bpf: <<>>, rules: nil, summary: nil

  @typedoc "What a rule (or the default) does with a syscall."
  @type action() ::
          :allow
          | :kill_process
          | :kill_thread
          | :trap
          | :log
          | {:errno, atom() | non_neg_integer()}

  @typedoc "An action and the syscall it applies to."
  @type rule() :: {action(), atom()}

  @type t() :: %__MODULE__{
          arch: atom(),
          bpf: binary(),
          rules: {[rule()], action()} | nil,
          summary: String.t() | nil
        }

  defimpl Inspect do
    def inspect(f, _opts) do
      n =
        case f.rules do
          {rules, _} when is_list(rules) -> length(rules)
          _ -> 0
        end

      insns = if is_binary(f.bpf), do: div(byte_size(f.bpf), 8), else: 0
      "#Linx.Seccomp.Filter<#{f.arch} #{n} syscalls, #{insns} BPF insns>"
    end
  end
end
