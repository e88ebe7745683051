defmodule Linx.User do
  @moduledoc """
  User namespaces: the `uid_map`, `gid_map` and `setgroups` files under
  `/proc/<pid>/` that decide who a process in a user namespace is, inside
  and outside.

  A `Linx.Process` session spawned with `namespaces: [:user, ...]` parks
  in a fresh user namespace whose maps are empty (everyone is the overflow
  id, "nobody").  Write the maps from the host between `:ready` and
  `Linx.Process.proceed/1`:

      {:ok, c} = Linx.Process.spawn(argv: ["/bin/id"], namespaces: [:user])
      host_pid = receive do {:linx_process, :ready, p} -> p end
      :ok = Linx.User.setup_maps(host_pid, uid: [{0, 1000, 1}], gid: [{0, 1000, 1}])
      :ok = Linx.Process.proceed(c)

  Each map can be written once per namespace (a second write is
  `:eperm`).  A caller without `CAP_SETGID` over the parent namespace must
  write `"deny"` to `setgroups` before `gid_map`; `setup_maps/2` does the
  three steps in that order.

  Functions take the target's host pid (the one `{:linx_process, :ready,
  pid}` carries); no namespace is entered.  The work is done by the
  `user` plugin of the Linx core (docs/user in the repository).

  ## Errors

    * `{:error, %Linx.User.Error{}}` - the kernel refused (see its
      `:operation`, `:errno`, `:path`);
    * `{:error, {:bad_map, reason}}` - a mapping list that is not a
      non-empty list of `{inside, outside, length}` non-negative integers
      with `length > 0`, or that the kernel's rules would refuse
      (overlapping ranges, more than 340 lines); `reason` is the offending
      entry when there is one;
    * `{:error, {:bad_pid, value}}` - a pid that is not a positive integer.
  """

  alias Linx.User.{Error, Map}

  @typedoc "`{inside_id, outside_id, length}`, non-negative, `length > 0`."
  @type mapping() :: {non_neg_integer(), non_neg_integer(), pos_integer()}

  @typedoc "Host pid of a process in the target user namespace."
  @type pid_target() :: pos_integer()

  @typep bad() :: {:bad_map, term()} | {:bad_pid, term()}

  @doc """
  Writes `"deny"` to `/proc/<pid>/setgroups`, which the kernel requires
  before an unprivileged `gid_map` write.  Writing it again is `:ok`.
  """
  @spec deny_setgroups(pid_target()) :: :ok | {:error, Error.t() | bad()}
  def deny_setgroups(pid) do
    with {:ok, pid} <- pid(pid) do
      run("user.deny_setgroups", %{"pid" => pid}, [], pid, :deny_setgroups)
    end
  end

  @doc """
  Writes the uid map of `pid`'s user namespace, all lines in one write.

      :ok = Linx.User.set_uid_map(host_pid, [{0, 1000, 1}])
  """
  @spec set_uid_map(pid_target(), [mapping()]) :: :ok | {:error, Error.t() | bad()}
  def set_uid_map(pid, mappings), do: set_map("user.set_uid_map", :set_uid_map, pid, mappings)

  @doc """
  Writes the gid map, like `set_uid_map/2`.  An unprivileged caller calls
  `deny_setgroups/1` first.
  """
  @spec set_gid_map(pid_target(), [mapping()]) :: :ok | {:error, Error.t() | bad()}
  def set_gid_map(pid, mappings), do: set_map("user.set_gid_map", :set_gid_map, pid, mappings)

  @doc """
  `deny_setgroups/1`, `set_uid_map/2` then `set_gid_map/2`, stopping at
  the first failure (nothing is undone: the maps are write-once).

  Options: `:uid` and `:gid` (required, lists as `set_uid_map/2` takes),
  `:setgroups` (`:deny`, the default, or `:skip` for a privileged caller).
  A missing `:uid` or `:gid` is `{:error, {:bad_map, {:missing, key}}}`,
  another `:setgroups` `{:error, {:bad_setgroups, value}}`.

      :ok = Linx.User.setup_maps(host_pid, uid: [{0, 1000, 1}], gid: [{0, 1000, 1}])
  """
  @spec setup_maps(pid_target(), keyword()) ::
          :ok | {:error, Error.t() | bad() | {:bad_setgroups, term()}}
  def setup_maps(pid, opts) when is_list(opts) do
    with {:ok, pid} <- pid(pid),
         {:ok, uid} <- mappings(Keyword.get(opts, :uid, :missing), :uid),
         {:ok, gid} <- mappings(Keyword.get(opts, :gid, :missing), :gid),
         {:ok, sg} <- setgroups(Keyword.get(opts, :setgroups, :deny)) do
      args = %{"pid" => pid, "uid" => uid, "gid" => gid, "setgroups" => sg}
      run("user.setup_maps", args, {opts[:uid], opts[:gid]}, pid, :set_uid_map)
    end
  end

  def setup_maps(_pid, opts), do: {:error, {:bad_map, opts}}

  @doc """
  The uid map of `pid`'s user namespace, one `Linx.User.Map` per line;
  `{:ok, []}` before it is written.  Lines that are not three numbers are
  skipped.
  """
  @spec read_uid_map(pid_target()) :: {:ok, [Map.t()]} | {:error, Error.t() | bad()}
  def read_uid_map(pid), do: read_map("user.read_uid_map", :read_uid_map, pid)

  @doc "The gid map, like `read_uid_map/1`."
  @spec read_gid_map(pid_target()) :: {:ok, [Map.t()]} | {:error, Error.t() | bad()}
  def read_gid_map(pid), do: read_map("user.read_gid_map", :read_gid_map, pid)

  @doc """
  Whether user namespaces can be configured here (`/proc/self/uid_map`
  exists).

      iex> is_boolean(Linx.User.supported?())
      true
  """
  @spec supported?() :: boolean()
  def supported? do
    match?({:ok, true}, Linx.Native.call("user.supported", nil))
  end

  # ---- helpers ---------------------------------------------------------

  defp set_map(verb, op, pid, mappings) do
    with {:ok, pid} <- pid(pid),
         {:ok, maps} <- mappings(mappings, nil) do
      run(verb, %{"pid" => pid, "maps" => maps}, mappings, pid, op)
    end
  end

  defp read_map(verb, op, pid) do
    with {:ok, pid} <- pid(pid) do
      case Linx.Native.call(verb, %{"pid" => pid}) do
        {:ok, rows} ->
          maps =
            for %{"inside" => i, "outside" => o, "length" => n} <- rows,
                do: %Map{inside: i, outside: o, length: n}

          {:ok, maps}

        {:error, native} ->
          {:error, error(native, nil, pid, op)}
      end
    end
  end

  defp pid(pid) when is_integer(pid) and pid > 0 and pid <= 0x7FFFFFFF, do: {:ok, pid}
  defp pid(pid), do: {:error, {:bad_pid, pid}}

  # The shape only: the plugin checks the values (ranges, overlaps...).
  defp mappings(:missing, key), do: {:error, {:bad_map, {:missing, key}}}

  defp mappings([_ | _] = list, _key) do
    case Linx.Seccomp.to_list(list) do
      {:ok, list} -> entries(list)
      :error -> {:error, {:bad_map, list}}
    end
  end

  defp mappings(other, _key), do: {:error, {:bad_map, other}}

  defp entries(list) do
    Enum.reduce_while(list, {:ok, []}, fn
      {i, o, n}, {:ok, acc} when is_integer(i) and is_integer(o) and is_integer(n) ->
        {:cont, {:ok, [[i, o, n] | acc]}}

      %Map{inside: i, outside: o, length: n}, {:ok, acc} ->
        {:cont, {:ok, [[i, o, n] | acc]}}

      bad, _ ->
        {:halt, {:error, {:bad_map, bad}}}
    end)
    |> case do
      {:ok, rev} -> {:ok, Enum.reverse(rev)}
      error -> error
    end
  end

  defp setgroups(:deny), do: {:ok, "deny"}
  defp setgroups(:skip), do: {:ok, "skip"}
  defp setgroups(other), do: {:error, {:bad_setgroups, other}}

  defp run(verb, args, input, pid, op) do
    case Linx.Native.call(verb, args) do
      {:ok, _} -> :ok
      {:error, native} -> {:error, error(native, input, pid, op)}
    end
  end

  # A value the plugin refused: name the offending entry when it says which.
  defp error(%{op: "bad_map", param: param, message: msg}, input, _pid, _op) do
    list =
      case {param, input} do
        {"gid", {_uid, gid}} -> gid
        {_, {uid, _gid}} -> uid
        {_, list} -> list
      end

    case Regex.run(~r/entry (\d+)/, msg) do
      [_, n] when is_list(list) -> {:bad_map, Enum.at(list, String.to_integer(n))}
      _ -> {:bad_map, list}
    end
  end

  defp error(%{op: "validate", param: "pid"}, _input, pid, _op), do: {:bad_pid, pid}

  defp error(%{errno: errno} = native, _input, pid, default_op) do
    op = operation(native[:op], default_op)
    path = if is_binary(native[:object]), do: native[:object], else: path(pid, op)
    Error.from_posix(errno, path, op)
  end

  defp operation("set_uid_map", _), do: :set_uid_map
  defp operation("set_gid_map", _), do: :set_gid_map
  defp operation("deny_setgroups", _), do: :deny_setgroups
  defp operation("read_uid_map", _), do: :read_uid_map
  defp operation("read_gid_map", _), do: :read_gid_map
  defp operation(_, default), do: default

  defp path(pid, op) when op in [:set_uid_map, :read_uid_map], do: "/proc/#{pid}/uid_map"
  defp path(pid, op) when op in [:set_gid_map, :read_gid_map], do: "/proc/#{pid}/gid_map"
  defp path(pid, _), do: "/proc/#{pid}/setgroups"
end
