defmodule Linx.Seccomp.Builder do
  @moduledoc """
  A pipeline that collects rules and compiles them with
  `Linx.Seccomp.from_rules/1`:

      Linx.Seccomp.builder()
      |> Linx.Seccomp.Builder.allow(:read)
      |> Linx.Seccomp.Builder.allow(:write)
      |> Linx.Seccomp.Builder.deny(:ptrace, errno: :eperm)
      |> Linx.Seccomp.Builder.deny(:kexec_load, action: :kill_process)
      |> Linx.Seccomp.Builder.build(default: :allow)
      # => {:ok, %Linx.Seccomp.Filter{}}

  Nothing is checked until `build/2`, which returns the same errors as
  `from_rules/1`.
  """

  defstruct rules: []

  @typedoc "The rules so far, newest first."
  @type t() :: %__MODULE__{rules: [{Linx.Seccomp.Filter.action(), atom()}]}

  @doc "An empty builder."
  @spec new() :: t()
  def new, do: %__MODULE__{}

  @doc "Adds a rule allowing `syscall`."
  @spec allow(t(), atom()) :: t()
  def allow(%__MODULE__{rules: rules} = b, syscall), do: %{b | rules: [{:allow, syscall} | rules]}

  @doc """
  Adds a rule denying `syscall`: with `{:errno, :eperm}` unless `:errno`
  (an errno atom or number) or `:action` (any action; it wins over
  `:errno`) says otherwise.

      builder |> deny(:ptrace)                        # {:errno, :eperm}
      builder |> deny(:ptrace, errno: :eacces)        # {:errno, :eacces}
      builder |> deny(:kexec_load, action: :kill_process)
  """
  @spec deny(t(), atom(), keyword()) :: t()
  def deny(%__MODULE__{rules: rules} = b, syscall, opts \\ []) do
    # Options that are not a keyword list become the action itself, for
    # build/2 to refuse as {:bad_action, opts}.
    action =
      with {:ok, list} <- Linx.Seccomp.to_list(opts),
           true <- Keyword.keyword?(list) do
        case Keyword.fetch(list, :action) do
          {:ok, action} -> action
          :error -> {:errno, Keyword.get(list, :errno, :eperm)}
        end
      else
        _ -> opts
      end

    %{b | rules: [{action, syscall} | rules]}
  end

  @doc """
  Compiles the rules, in the order they were added.  `:default` is the
  action for every other syscall (default `:kill_process`).
  """
  @spec build(t(), keyword()) :: {:ok, Linx.Seccomp.Filter.t()} | {:error, term()}
  def build(builder, opts \\ [])

  def build(%__MODULE__{rules: rules}, opts) when is_list(opts) and is_list(rules) do
    with {:ok, opts} <- Linx.Seccomp.to_list(opts),
         true <- Keyword.keyword?(opts),
         {:ok, rules} <- Linx.Seccomp.to_list(rules) do
      Linx.Seccomp.from_rules({Enum.reverse(rules), Keyword.get(opts, :default, :kill_process)})
    else
      _ -> {:error, {:bad_options, opts}}
    end
  end

  def build(%__MODULE__{}, opts), do: {:error, {:bad_options, opts}}
end
