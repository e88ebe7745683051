defmodule Linx.Seccomp do
  @moduledoc """
  Seccomp filters: build a syscall filter from Elixir data, export its BPF
  program, and install it in a `Linx.Process` workload at the checkpoint,
  so that it screens the workload from its own `execve(2)` on.

      {:ok, c} = Linx.Process.spawn(argv: ["/usr/sbin/nginx"], no_new_privs: true)
      receive do {:linx_process, :ready, _} -> :ok end

      {:ok, filter} = Linx.Seccomp.allow_list(
        ~w(execve read write openat close fstat brk mmap munmap mprotect
           accept4 bind listen socket rt_sigaction rt_sigreturn exit_group)a,
        default: :kill_process)

      :ok = Linx.Seccomp.install(c, filter)
      :ok = Linx.Process.proceed(c)

  ## Building

    * `allow_list/2` - these syscalls, and the default (`:kill_process`)
      for the rest;
    * `deny_list/2` - the deny action (`{:errno, :eperm}`) for these,
      the default (`:allow`) for the rest;
    * `from_rules/1` - the data form `{[{action, syscall}, ...], default}`,
      for policies translated from elsewhere; `to_rules/1` gives it back;
    * `Linx.Seccomp.Builder` - a pipeline over `from_rules/1`.

  An action is `:allow`, `:kill_process`, `:kill_thread`, `:trap`, `:log`
  or `{:errno, e}` (an errno atom or 0..4095).  A syscall is an atom
  (`:openat`); an atom starting with `@` names one of the plugin's groups
  (`:"@file-system"`, see docs/seccomp).  A rule matches one syscall
  number exactly: denying `:mkdir` leaves `:mkdirat`.

  The filter is built for the host's architecture (`arch/0`) and kills a
  process that calls through another ABI.

  ## Build errors

    * `{:error, {:unknown_syscall, name}}` - not a syscall of this arch;
    * `{:error, {:bad_action, action}}` - not an action;
    * `{:error, {:duplicate_rule, name}}` - a syscall named twice;
    * `{:error, {:bad_rule, term}}` - a rule that is not `{action, atom}`;
    * `{:error, {:empty_list, :syscalls | :rules}}` - nothing to filter
      (an empty list never means "no filter");
    * `{:error, {:unsupported_arch, arch}}` - a host Linx builds no
      filters for;
    * `{:error, %Linx.Seccomp.Error{operation: :build}}` - anything else.

  Everything goes through the `seccomp` plugin of the Linx core (libseccomp;
  docs/seccomp in the repository).
  """

  alias Linx.Seccomp.{Builder, Error, Filter}

  @typedoc "A filter architecture."
  @type arch() :: :x86_64 | :aarch64 | :unsupported

  @actions [:allow, :kill_process, :kill_thread, :trap, :log]

  @doc """
  The architecture filters are built for: `:x86_64`, `:aarch64` or
  `:unsupported`.  Asked of the plugin once, then kept.

      iex> Linx.Seccomp.arch() in [:x86_64, :aarch64, :unsupported]
      true
  """
  @spec arch() :: arch()
  def arch do
    case :persistent_term.get({__MODULE__, :arch}, nil) do
      nil ->
        arch =
          case Linx.Native.call("seccomp.arch", nil) do
            {:ok, "x86_64"} -> :x86_64
            {:ok, "aarch64"} -> :aarch64
            _ -> :unsupported
          end

        :persistent_term.put({__MODULE__, :arch}, arch)
        arch

      arch ->
        arch
    end
  end

  @doc """
  Whether the kernel has seccomp filtering (`/proc/self/status` has a
  `Seccomp:` line).

      iex> Linx.Seccomp.supported?()
      true
  """
  @spec supported?() :: boolean()
  def supported?, do: match?({:ok, true}, Linx.Native.call("seccomp.supported", nil))

  @doc "An empty `Linx.Seccomp.Builder`."
  @spec builder() :: Builder.t()
  def builder, do: Builder.new()

  @doc """
  A filter allowing `syscalls` (any enumerable of atoms) and answering
  every other one with `:default` (default `:kill_process`).  The
  workload's own `execve` is screened too: list it.

      {:ok, filter} = Linx.Seccomp.allow_list(~w(read write openat close exit_group)a)
  """
  @spec allow_list(Enumerable.t(), keyword()) :: {:ok, Filter.t()} | {:error, term()}
  def allow_list(syscalls, opts \\ []) do
    with :ok <- opts(opts),
         {:ok, names} <- syscall_names(syscalls),
         {:ok, default} <- action(Keyword.get(opts, :default, :kill_process)) do
      build("seccomp.allow_list", %{"syscalls" => names, "default" => default}, %{
        syscalls: elem(to_list(syscalls), 1),
        default: opts[:default]
      })
    end
  end

  @doc """
  A filter answering `syscalls` with `:deny_action` (default `{:errno,
  :eperm}`) and every other one with `:default` (default `:allow`).

      {:ok, filter} = Linx.Seccomp.deny_list([:kexec_load, :init_module], deny_action: :kill_process)
  """
  @spec deny_list(Enumerable.t(), keyword()) :: {:ok, Filter.t()} | {:error, term()}
  def deny_list(syscalls, opts \\ []) do
    with :ok <- opts(opts),
         {:ok, names} <- syscall_names(syscalls),
         {:ok, deny} <- action(Keyword.get(opts, :deny_action, {:errno, :eperm})),
         {:ok, default} <- action(Keyword.get(opts, :default, :allow)) do
      args = %{"syscalls" => names, "deny_action" => deny, "default" => default}

      build("seccomp.deny_list", args, %{
        syscalls: elem(to_list(syscalls), 1),
        default: opts[:default],
        deny_action: opts[:deny_action]
      })
    end
  end

  @doc """
  A filter from the data form `{rules, default}`: `rules` a list of
  `{action, syscall}` in priority order, `default` the action for the
  rest.

      rules = [{:allow, :read}, {:allow, :write}, {{:errno, :eperm}, :ptrace}]
      {:ok, filter} = Linx.Seccomp.from_rules({rules, :kill_process})

      Linx.Seccomp.from_rules({[{:allow, :not_a_real_syscall}], :allow})
      # => {:error, {:unknown_syscall, :not_a_real_syscall}}
  """
  @spec from_rules({[Filter.rule()], Filter.action()}) :: {:ok, Filter.t()} | {:error, term()}
  def from_rules({rules, default}) when is_list(rules) do
    with {:ok, rules} <- rules_list(rules),
         {:ok, wire} <- rules_to_wire(rules),
         {:ok, default_w} <- action(default) do
      build("seccomp.from_rules", %{"rules" => wire, "default" => default_w}, %{
        rules: rules,
        default: default
      })
    end
  end

  def from_rules(other), do: {:error, {:bad_rule, other}}

  defp rules_list(rules) do
    if proper_list?(rules), do: {:ok, rules}, else: {:error, {:bad_rule, rules}}
  end

  @doc """
  The data form `{rules, default}` of a filter Linx built, as the plugin
  normalises it (group names expanded to one rule per syscall); it builds
  the same program again.  `{:error, :no_rules}` for a filter without
  them.

      iex> {:ok, f} = Linx.Seccomp.allow_list([:read, :write])
      iex> {:ok, {rules, default}} = Linx.Seccomp.to_rules(f)
      iex> rules
      [{:allow, :read}, {:allow, :write}]
      iex> default
      :kill_process
  """
  @spec to_rules(Filter.t()) ::
          {:ok, {[Filter.rule()], Filter.action()}} | {:error, :no_rules | term()}
  def to_rules(%Filter{rules: {rules, default}} = f) when is_list(rules) do
    with {:ok, rules} <- rules_list(rules),
         {:ok, wire} <- rules_to_wire(rules),
         {:ok, default_w} <- action(default) do
      data = %{"rules" => wire, "default" => default_w, "arches" => [Atom.to_string(f.arch)]}

      case Linx.Native.call("seccomp.to_rules", %{"filter" => %{"rules" => data}}) do
        {:ok, out} -> data_from_wire(out)
        {:error, native} -> {:error, build_error(native, %{rules: rules, default: default})}
      end
    end
  end

  def to_rules(%Filter{}), do: {:error, :no_rules}
  def to_rules(other), do: {:error, {:bad_filter, other}}

  @doc """
  Installs `filter` in the child parked at `session`'s checkpoint.  The
  child stages it and loads it as its last step before `execve`, setting
  `no_new_privs` first when it lacks `CAP_SYS_ADMIN`.

  `{:error, :not_ready}`, `{:error, :running}`, `{:error, :no_process}`
  as for `Linx.Capabilities.drop_bounding/2`; `{:error, {:bad_filter,
  term}}` for something that is not a filter of this arch.  When the
  kernel refuses the filter the session ends with `{:linx_process, :error,
  errno, :seccomp_install}` (or `:seccomp_no_new_privs`);
  `Linx.Seccomp.Error.from_process_error/2` turns it into an error struct.
  """
  @spec install(Linx.Process.t(), Filter.t()) ::
          :ok | {:error, :not_ready | :running | :no_process | {:bad_filter, term()}}
  def install(session, %Filter{bpf: bpf, arch: arch} = filter) when is_binary(bpf) do
    if arch == arch() do
      case Linx.Process.checkpoint_call(session, "seccomp.install", %{"bpf" => bpf}) do
        {:ok, _} -> :ok
        {:error, %{"param" => p}} when is_binary(p) and p != "" -> {:error, {:bad_filter, filter}}
        {:error, %{}} -> :ok
        {:error, :aborting} -> {:error, :no_process}
        {:error, reason} -> {:error, reason}
      end
    else
      {:error, {:bad_filter, filter}}
    end
  end

  def install(_session, other), do: {:error, {:bad_filter, other}}

  # ---- argument shapes -------------------------------------------------

  defp opts(opts) do
    if proper_list?(opts) and Keyword.keyword?(opts),
      do: :ok,
      else: {:error, {:bad_options, opts}}
  end

  @doc false
  # Any enumerable as a list, or :error (an improper list, a fun that is
  # not an enumerable...): the caller's term never crashes us.
  def to_list(term) when is_list(term), do: if(proper_list?(term), do: {:ok, term}, else: :error)

  def to_list(term) do
    if Enumerable.impl_for(term) != nil, do: {:ok, Enum.to_list(term)}, else: :error
  rescue
    _ -> :error
  end

  defp proper_list?(l) when is_list(l) do
    _ = length(l)
    true
  rescue
    ArgumentError -> false
  end

  defp proper_list?(_), do: false

  defp syscall_names(syscalls) do
    case to_list(syscalls) do
      {:ok, list} -> syscall_list(list)
      :error -> {:error, {:unknown_syscall, syscalls}}
    end
  end

  defp syscall_list(syscalls) do
    syscalls
    |> Enum.reduce_while({:ok, []}, fn
      s, {:ok, acc} when is_atom(s) and s not in [nil, true, false] ->
        {:cont, {:ok, [Atom.to_string(s) | acc]}}

      s, _ ->
        {:halt, {:error, {:unknown_syscall, s}}}
    end)
    |> case do
      {:ok, rev} -> {:ok, Enum.reverse(rev)}
      error -> error
    end
  end

  defp action(a) when a in @actions, do: {:ok, Atom.to_string(a)}

  defp action({:errno, e} = a) when is_atom(e) and e not in [nil, true, false],
    do:
      if(Linx.Errno.code(e),
        do: {:ok, %{"errno" => Atom.to_string(e)}},
        else: {:error, {:bad_action, a}}
      )

  defp action({:errno, e}) when is_integer(e) and e in 0..4095, do: {:ok, %{"errno" => e}}
  defp action(a), do: {:error, {:bad_action, a}}

  defp rules_to_wire(rules) do
    Enum.reduce_while(rules, {:ok, []}, fn
      {act, sys} = rule, {:ok, acc} ->
        cond do
          not (is_atom(sys) and sys not in [nil, true, false]) ->
            {:halt, {:error, {:bad_rule, rule}}}

          true ->
            case action(act) do
              {:ok, a} ->
                {:cont, {:ok, [%{"syscall" => Atom.to_string(sys), "action" => a} | acc]}}

              error ->
                {:halt, error}
            end
        end

      other, _ ->
        {:halt, {:error, {:bad_rule, other}}}
    end)
    |> case do
      {:ok, rev} -> {:ok, Enum.reverse(rev)}
      error -> error
    end
  end

  # ---- the call and its answers ----------------------------------------

  defp build(verb, args, input) do
    case arch() do
      :unsupported ->
        {:error,
         {:unsupported_arch, :erlang.system_info(:system_architecture) |> List.to_string()}}

      arch ->
        case Linx.Native.call(verb, args) do
          {:ok, %{"bpf" => bpf, "rules" => data}} ->
            with {:ok, rules} <- data_from_wire(data) do
              {:ok, %Filter{arch: arch, bpf: bpf, rules: rules}}
            end

          {:error, native} ->
            {:error, build_error(native, input)}
        end
    end
  end

  # The data form the plugin returns, back into atoms.  Syscall names come
  # from libseccomp's per-arch table through the plugin (a fixed, bounded
  # set: the group expansions of to_rules/1 are the only names the caller
  # did not write); actions through the fixed table below; errno names
  # are already atoms (the errno table's).
  defp data_from_wire(%{"rules" => rules, "default" => default}) when is_list(rules) do
    out =
      for %{"syscall" => s, "action" => a} <- rules,
          is_binary(s),
          do: {action_from_wire(a), String.to_atom(s)}

    {:ok, {out, action_from_wire(default)}}
  end

  defp data_from_wire(_other), do: {:error, Error.from_posix(:ebadmsg, :build)}

  @wire_actions Map.new(@actions, &{Atom.to_string(&1), &1})

  defp action_from_wire(a) when is_binary(a), do: Map.get(@wire_actions, a, a)

  defp action_from_wire(%{"errno" => e}) when is_binary(e) do
    {:errno, String.to_existing_atom(e)}
  rescue
    ArgumentError -> {:errno, e}
  end

  defp action_from_wire(%{"errno" => e}) when is_integer(e), do: {:errno, e}
  defp action_from_wire(other), do: other

  # The plugin's refusal "tag: detail", with the caller's own term.
  defp build_error(%{message: msg} = native, input) do
    tag =
      case Regex.run(
             ~r/(?:^|: )(unknown_syscall|unknown_group|duplicate_rule|bad_action|bad_rule|empty_list|no_rules):/,
             msg
           ) do
        [_, tag] -> tag
        _ -> nil
      end

    case tag do
      t when t in ["unknown_syscall", "unknown_group"] ->
        name = quoted(msg)
        {:unknown_syscall, find_syscall(input, name) || name}

      "duplicate_rule" ->
        name =
          case Regex.run(~r/duplicate_rule: ([^ ]+) appears/, msg) do
            [_, n] -> n
            _ -> msg
          end

        {:duplicate_rule, find_syscall(input, name) || name}

      "bad_action" ->
        {:bad_action, bad_action(native, input)}

      "bad_rule" ->
        {:bad_rule, nth_rule(msg, input) || msg}

      "empty_list" ->
        {:empty_list, if(native[:param] == "rules", do: :rules, else: :syscalls)}

      "no_rules" ->
        :no_rules

      nil ->
        Error.from_posix(native[:errno] || :unknown, :build)
    end
  end

  defp quoted(msg) do
    case Regex.run(~r/"([^"]*)"/, msg) do
      [_, n] -> n
      _ -> msg
    end
  end

  defp find_syscall(input, name) do
    input
    |> Map.get(:syscalls, Enum.map(Map.get(input, :rules, []), &elem(&1, 1)))
    |> Enum.find(&(is_atom(&1) and Atom.to_string(&1) == name))
  end

  defp bad_action(%{param: "default"}, input), do: input[:default]
  defp bad_action(%{param: "deny_action"}, input), do: input[:deny_action]

  defp bad_action(%{message: msg}, input) do
    case nth_rule(msg, input) do
      {action, _} -> action
      _ -> msg
    end
  end

  defp nth_rule(msg, %{rules: rules}) do
    case Regex.run(~r/rule (\d+)/, msg) do
      [_, n] -> Enum.at(rules, String.to_integer(n))
      _ -> nil
    end
  end

  defp nth_rule(_msg, _input), do: nil
end
