defmodule Linx.Capabilities do
  @moduledoc """
  Linux capabilities: read any process's five sets, and shrink a
  `Linx.Process` workload's sets at its checkpoint, before it runs.

  Sets are MapSets of `:cap_*` atoms (the kernel's `CAP_*` names in lower
  case); `Linx.Capabilities.Constants.all/0` is every one Linx knows.

  ## Reading

  `read/1` works on any live process, from the host:

      {:ok, state} = Linx.Capabilities.read(:self)
      MapSet.member?(state.bounding, :cap_net_admin)

  ## Writing, at the checkpoint

  `capset(2)` and the `prctl(2)` calls act on the calling thread only, so
  the writes run inside the child while it is parked between `{:linx_process,
  :ready, _}` and `Linx.Process.proceed/1` (the agent carries them there):

      {:ok, c} = Linx.Process.spawn(argv: ["/usr/sbin/nginx"])
      receive do {:linx_process, :ready, _} -> :ok end

      keep = [:cap_net_bind_service]
      :ok = Linx.Capabilities.drop_bounding(c,
              MapSet.difference(Linx.Capabilities.Constants.all(), MapSet.new(keep)))
      :ok = Linx.Capabilities.set_thread_sets(c, effective: keep, permitted: keep, inheritable: [])
      :ok = Linx.Process.proceed(c)

  Order matters: dropping from the bounding set needs `CAP_SETPCAP` in
  the effective set, so shrink the bounding set before the thread sets.

  A write returns once the child has done it.  The session refuses it
  with `{:error, :not_ready}` before `:ready`, `{:error, :running}` after
  `proceed/1` and `{:error, :no_process}` after the terminal event; an
  atom that is not a capability is `{:error, {:bad_capability, atom}}`
  and nothing reaches the child.  When the kernel refuses a write, the
  child ends there: the owner gets `{:linx_process, :error, errno,
  stage}` with stage `:cap_drop_bounding`, `:cap_set_thread` or
  `:cap_set_ambient`, the session's terminal event.

  Everything goes through the `caps` plugin of the Linx core (docs/caps in
  the repository).
  """

  alias Linx.Capabilities.{Constants, Error, State}

  @typedoc "A capability atom, such as `:cap_net_admin`."
  @type cap() :: atom()

  @typedoc "A set of capabilities."
  @type cap_set() :: MapSet.t(cap())

  @typep write_error() ::
           :not_ready | :running | :no_process | {:bad_capability, term()}

  @doc """
  The capability sets of process `pid` (or `:self`, the BEAM), from
  `/proc/<pid>/status`.

      iex> {:ok, %Linx.Capabilities.State{} = state} = Linx.Capabilities.read(:self)
      iex> is_struct(state.effective, MapSet) and is_struct(state.bounding, MapSet)
      true
      iex> {:error, %Linx.Capabilities.Error{errno: :enoent}} = Linx.Capabilities.read(1_234_567_890)
      iex> true
      true

  Bits past Linx's table (a newer kernel) are left out of the sets.  A
  pid that is not a positive integer is `{:error, {:bad_pid, pid}}`.
  """
  @spec read(pos_integer() | :self) ::
          {:ok, State.t()} | {:error, Error.t() | {:bad_pid, term()}}
  def read(pid) do
    with {:ok, arg, path} <- pid_arg(pid) do
      case Linx.Native.call("caps.read", %{"pid" => arg}) do
        {:ok, sets} ->
          {:ok,
           %State{
             effective: set(sets["effective"]),
             permitted: set(sets["permitted"]),
             inheritable: set(sets["inheritable"]),
             bounding: set(sets["bounding"]),
             ambient: set(sets["ambient"])
           }}

        {:error, %{errno: errno} = native} ->
          errno = if errno == :ebadmsg, do: :bad_status, else: errno
          path = if is_binary(native[:object]), do: native[:object], else: path
          {:error, Error.from_posix(errno, path, :read)}
      end
    end
  end

  @doc """
  Drops `caps` (a list or MapSet, non-empty) from the bounding set of the
  child parked at `session`'s checkpoint.  One-way: nothing can put them
  back, in the workload or anything it starts.

      :ok = Linx.Capabilities.drop_bounding(session, [:cap_sys_admin, :cap_sys_module])
  """
  @spec drop_bounding(Linx.Process.t(), Enumerable.t()) :: :ok | {:error, write_error()}
  def drop_bounding(session, caps) do
    with {:ok, names} <- names(caps) do
      if names == [],
        do: {:error, {:bad_capability, []}},
        else: write(session, "caps.drop_bounding", %{"caps" => names})
    end
  end

  @doc """
  Sets the effective, permitted and inheritable sets of the parked child
  (`capset(2)`).  All three keys are required (`[]` clears a set); a
  missing one is `{:error, {:bad_thread_sets, {:missing, key}}}`.  The
  kernel only lets `:permitted` shrink, and wants `:effective` within it.
  """
  @spec set_thread_sets(Linx.Process.t(), keyword()) ::
          :ok | {:error, write_error() | {:bad_thread_sets, term()}}
  def set_thread_sets(session, opts) when is_list(opts) do
    with {:ok, e} <- thread_set(opts, :effective),
         {:ok, p} <- thread_set(opts, :permitted),
         {:ok, i} <- thread_set(opts, :inheritable) do
      args = %{"effective" => e, "permitted" => p, "inheritable" => i}
      write(session, "caps.set_thread_sets", args)
    end
  end

  def set_thread_sets(_session, opts), do: {:error, {:bad_thread_sets, opts}}

  @doc """
  Makes the parked child's ambient set exactly `caps` (clear, then raise
  each).  Each must be in its permitted and inheritable sets, or the raise
  fails (`:cap_set_ambient`).
  """
  @spec set_ambient(Linx.Process.t(), Enumerable.t()) :: :ok | {:error, write_error()}
  def set_ambient(session, caps) do
    with {:ok, names} <- names(caps) do
      write(session, "caps.set_ambient", %{"caps" => names})
    end
  end

  @doc """
  Whether capabilities can be read here (`/proc/self/status` has a
  `CapBnd:` line).

      iex> Linx.Capabilities.supported?()
      true
  """
  @spec supported?() :: boolean()
  def supported?, do: match?({:ok, true}, Linx.Native.call("caps.supported", nil))

  # ---- helpers ---------------------------------------------------------

  defp pid_arg(:self), do: {:ok, "self", "/proc/self/status"}

  defp pid_arg(pid) when is_integer(pid) and pid > 0 and pid <= 0x7FFFFFFF,
    do: {:ok, pid, "/proc/#{pid}/status"}

  defp pid_arg(pid), do: {:error, {:bad_pid, pid}}

  defp set(names) when is_list(names) do
    for n <- names,
        is_binary(n),
        cap = Constants.from_name(n),
        cap != nil,
        into: MapSet.new(),
        do: cap
  end

  defp set(_), do: MapSet.new()

  defp thread_set(opts, key) do
    case Keyword.fetch(opts, key) do
      {:ok, caps} -> names(caps)
      :error -> {:error, {:bad_thread_sets, {:missing, key}}}
    end
  end

  # Any enumerable of known atoms -> the plugin's names.
  defp names(caps) do
    case Linx.Seccomp.to_list(caps) do
      {:ok, list} -> names_of(list)
      :error -> {:error, {:bad_capability, caps}}
    end
  end

  defp names_of(caps) do
    caps
    |> Enum.reduce_while({:ok, []}, fn cap, {:ok, acc} ->
      if Constants.known?(cap),
        do: {:cont, {:ok, [Atom.to_string(cap) | acc]}},
        else: {:halt, {:error, {:bad_capability, cap}}}
    end)
    |> case do
      {:ok, rev} -> {:ok, rev |> Enum.reverse() |> Enum.uniq()}
      error -> error
    end
  end

  defp write(session, verb, args) do
    case Linx.Process.checkpoint_call(session, verb, args) do
      {:ok, _} ->
        :ok

      {:error, %{"param" => param, "message" => msg}} when is_binary(param) and param != "" ->
        {:error, {:bad_capability, bad_name(msg)}}

      # The kernel refused: the child has ended, and the owner gets the
      # {:linx_process, :error, errno, stage} event.
      {:error, %{}} ->
        :ok

      {:error, reason} when reason in [:not_ready, :running, :no_process] ->
        {:error, reason}

      {:error, :aborting} ->
        {:error, :no_process}
    end
  end

  defp bad_name(msg) do
    with [_, name] <- Regex.run(~r/"([a-z_]+)"/, msg),
         cap when cap != nil <- Constants.from_name(name) do
      cap
    else
      _ -> msg
    end
  end
end
