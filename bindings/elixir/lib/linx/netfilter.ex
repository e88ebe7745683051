defmodule Linx.Netfilter do
  @moduledoc """
  nf_tables, the kernel firewall, as data.

  A `%Linx.Netfilter.Ruleset{}` (tables of chains of rules, sets, maps,
  objects, flowtables) is built with the pipeline of
  `Linx.Netfilter.Ruleset`, the `~NFT` sigil or `Linx.NFT.parse/2`, then:

    * `push/3` writes it in one atomic batch (`mode: :replace`, the
      default, rebuilds each table it names; `mode: :reconcile` sends only
      the difference with what the kernel has, guarded by the ruleset
      generation);
    * `pull/2,3` reads the kernel's back in the same shape;
    * `diff/2` computes the patch between two rulesets (a
      `%Linx.Netfilter.Patch{}`), `apply/3` sends one;
    * `subscribe/2` follows the changes (`Linx.Netfilter.Monitor`),
      `log_listen/2` receives logged packets (`Linx.Netfilter.Log`);
    * `validate/1` checks a ruleset without touching the kernel.

  Everything goes through the C `nft` plugin (its verbs `nft.push`,
  `nft.pull`, ...; docs/nft/): the binding converts structs to the plugin's
  ruleset value and back, and the plugin encodes nf_tables messages.

  ## Sockets and namespaces

  `sock` is either a socket from `open/1` (kept open, living in the network
  namespace it was opened in; needed for `:owner` tables, which die with
  it) or a target for one call: `:self` (the BEAM's network namespace),
  `{:pid, n}` (process `n`'s) or `{:path, p}` (a namespace file such as
  `/run/netns/blue`).

  ## Errors

    * `{:error, {:bad_table | :bad_chain | :bad_rule | :bad_set | ..., reason}}`
      - the value is malformed, found before any system call (by the
      Elixir builders or by the C plugin's validator, whose reasons are
      `{reason_atom, detail_text}`);
    * `{:error, {:bad_sock, term}}` / `{:error, {:bad_opts, term}}` - bad
      arguments;
    * `{:error, %Linx.Netfilter.Error{}}` - the kernel refused, or the
      namespace could not be entered.
  """

  alias Linx.Netfilter.{Error, Ruleset}

  @value_tags ~w(bad_table bad_chain bad_rule bad_set bad_set_element bad_map
                 bad_map_element bad_object bad_flowtable bad_verdict bad_expr
                 tag_required)

  @type sock() :: reference() | :self | {:pid, pos_integer()} | {:path, String.t()}

  @doc "Whether the kernel has nfnetlink (a NETLINK_NETFILTER socket opens)."
  @spec supported?() :: boolean()
  def supported?, do: Linx.Native.call("nft.supported", nil) == {:ok, true}

  @doc """
  Opens an nf_tables socket in a network namespace: `in:` `:self`
  (default), `{:pid, n}` or `{:path, p}`.  The socket is closed by
  `close/1` or when garbage collected.
  """
  @spec open(keyword()) :: {:ok, reference()} | {:error, Error.t() | term()}
  def open(opts \\ [])

  def open(opts) when not is_list(opts), do: {:error, {:bad_opts, opts}}

  def open(opts) do
    with {:ok, args} <- target_args(%{}, Keyword.get(opts, :in, :self), "netns") do
      call("nft.open", args, :open)
    end
  end

  @doc "Closes a socket from `open/1`."
  @spec close(reference()) :: :ok | {:error, Error.t() | term()}
  def close(sock) when is_reference(sock) do
    with {:ok, _} <- call("nft.close", %{"sock" => sock}, :close), do: :ok
  end

  def close(other), do: {:error, {:bad_sock, other}}

  @doc """
  Checks a ruleset as `push/3` would, without any system call: `:ok` or
  the value error.
  """
  @spec validate(Ruleset.t()) :: :ok | {:error, term()}
  def validate(ruleset) do
    with {:ok, value} <- Ruleset.to_c(ruleset),
         {:ok, _} <- call("nft.validate", %{"ruleset" => value}, :validate) do
      :ok
    end
  end

  @doc """
  Pushes a ruleset in one atomic batch.

  Options: `mode:` `:replace` (default: each table named is rebuilt whole;
  other tables are left alone) or `:reconcile` (only the difference, every
  rule of a chain with several rules needing a `:tag`); `retries:` for
  `:reconcile` when another writer commits in between (default 3).
  """
  @spec push(sock(), Ruleset.t(), keyword()) :: :ok | {:error, Error.t() | term()}
  def push(sock, ruleset, opts \\ []) do
    with {:ok, args} <- sock_args(sock),
         {:ok, value} <- Ruleset.to_c(ruleset),
         {:ok, args} <- push_opts(Map.put(args, "ruleset", value), opts),
         {:ok, _} <- call("nft.push", args, :push) do
      :ok
    end
  end

  defp push_opts(args, opts) when is_list(opts) do
    Enum.reduce_while(opts, {:ok, args}, fn
      {:mode, m}, {:ok, a} when m in [:replace, :reconcile] ->
        {:cont, {:ok, Map.put(a, "mode", Atom.to_string(m))}}

      {:retries, n}, {:ok, a} when is_integer(n) and n >= 0 ->
        {:cont, {:ok, Map.put(a, "retries", n)}}

      other, _ ->
        {:halt, {:error, {:bad_opts, other}}}
    end)
  end

  defp push_opts(_args, opts), do: {:error, {:bad_opts, opts}}

  @doc """
  Reads the kernel's ruleset.  `scope` is `[]` (everything) or
  `{family, name}` (one table: `{:error, %Error{errno: :enoent}}` when
  absent).

  Option `subscribe_first: monitor` (a `Linx.Netfilter.Monitor` already
  subscribed to the same namespace) is the snapshot-and-tail handshake:
  the pull reads the generation it saw and sets it as the monitor's floor
  (`Linx.Netfilter.Monitor.set_min_gen/2`), so the events that follow are
  exactly the changes the snapshot does not hold.
  """
  @spec pull(sock(), keyword() | {atom(), String.t()}) ::
          {:ok, Ruleset.t()} | {:error, Error.t() | term()}
  def pull(sock, scope \\ [])

  def pull(sock, {family, name}), do: pull(sock, {family, name}, [])

  def pull(sock, opts) when is_list(opts) do
    with {:ok, args} <- sock_args(sock), do: do_pull(args, opts)
  end

  def pull(_sock, other), do: {:error, {:bad_opts, other}}

  @doc "Reads one table, `{family, name}`; see `pull/2`."
  @spec pull(sock(), {atom(), String.t()}, keyword()) ::
          {:ok, Ruleset.t()} | {:error, Error.t() | term()}
  def pull(sock, {family, name}, opts)
      when is_atom(family) and is_binary(name) and is_list(opts) do
    if family in Linx.Netfilter.Table.families() do
      with {:ok, args} <- sock_args(sock) do
        do_pull(Map.merge(args, %{"family" => Atom.to_string(family), "table" => name}), opts)
      end
    else
      {:error, {:bad_table, {:bad_family, family}}}
    end
  end

  def pull(_sock, scope, _opts), do: {:error, {:bad_opts, scope}}

  defp do_pull(args, opts) do
    case Keyword.fetch(opts, :subscribe_first) do
      :error ->
        with {:ok, value} <- call("nft.pull", args, :pull), do: {:ok, Ruleset.from_c(value)}

      {:ok, monitor} when is_pid(monitor) ->
        args = Map.put(args, "with_gen", true)

        with {:ok, %{"ruleset" => value, "genid" => gen}} <- call("nft.pull", args, :pull),
             :ok <- Linx.Netfilter.Monitor.set_min_gen(monitor, gen) do
          {:ok, Ruleset.from_c(value)}
        end

      {:ok, other} ->
        {:error, {:bad_opts, {:subscribe_first, other}}}
    end
  end

  @doc """
  The `%Linx.Netfilter.Patch{}` that turns `from` into `to`, computed by
  the C plugin (docs/nft/patch.md; `Linx.Netfilter.Diff`).  Rule changes
  are found by tag and replaced over the handles of `from`'s rules: diff
  against a pulled ruleset.  Raises `ArgumentError` on a malformed ruleset.
  """
  @spec diff(Ruleset.t(), Ruleset.t()) :: Linx.Netfilter.Patch.t()
  def diff(from, to), do: Linx.Netfilter.Diff.diff(from, to)

  @doc "Alias of `diff/2`: what would change, without sending it."
  @spec dry_run(Ruleset.t(), Ruleset.t()) :: Linx.Netfilter.Patch.t()
  def dry_run(from, to), do: diff(from, to)

  @doc """
  Sends a patch from `diff/2` in one batch (a `%Patch{}`, or the plugin's
  patch value as `nft.diff` gives it); `genid:` refuses it (ERESTART)
  when the ruleset generation has moved.
  """
  @spec apply(sock(), Linx.Netfilter.Patch.t() | map(), keyword()) ::
          :ok | {:error, Error.t() | term()}
  def apply(sock, patch, opts \\ [])

  def apply(_sock, patch, _opts) when not is_map(patch), do: {:error, {:bad_patch, patch}}
  def apply(_sock, _patch, opts) when not is_list(opts), do: {:error, {:bad_opts, opts}}

  def apply(sock, patch, opts) do
    with {:ok, args} <- sock_args(sock),
         {:ok, value} <- patch_value(patch),
         {:ok, args} <- genid(Map.put(args, "patch", value), Keyword.get(opts, :genid)),
         {:ok, _} <- call("nft.apply", args, :apply) do
      :ok
    end
  end

  defp patch_value(%Linx.Netfilter.Patch{} = p), do: Linx.Netfilter.Patch.to_c(p)
  defp patch_value(%{__struct__: _} = other), do: {:error, {:bad_patch, other}}
  defp patch_value(%{} = value), do: {:ok, value}

  defp genid(args, nil), do: {:ok, args}
  defp genid(args, g) when is_integer(g) and g >= 0, do: {:ok, Map.put(args, "genid", g)}
  defp genid(_args, g), do: {:error, {:bad_opts, {:genid, g}}}

  @doc """
  Creates an empty table in the kernel and returns a ruleset holding it.
  Options: `family:` (default `:inet`), `persist: true` (keep the table
  when the socket closes: no owner flag).  Without `persist`, the table is
  an owner table and `sock` must be a socket from `open/1`.
  """
  @spec create_table(sock(), String.t(), keyword()) :: {:ok, Ruleset.t()} | {:error, term()}
  def create_table(sock, name, opts \\ []) do
    family = Keyword.get(opts, :family, :inet)
    flags = if Keyword.get(opts, :persist, false), do: [], else: ["owner"]

    with {:ok, rs} <- Ruleset.add_table(Ruleset.new(), family, name),
         {:ok, args} <- sock_args(sock),
         args =
           Map.merge(args, %{
             "name" => name,
             "family" => Atom.to_string(family),
             "flags" => flags
           }),
         {:ok, _} <- call("nft.create_table", args, :create_table) do
      {:ok, rs}
    end
  end

  @doc """
  Subscribes `owner_pid` to the ruleset changes of a network namespace
  (`Linx.Netfilter.Monitor`).  Returns `{:ok, monitor_pid}`; the owner
  then receives `{:linx_netfilter, :event, %Linx.Netfilter.Event{}}` per
  changed object and per commit (`:new_gen`), and
  `{:linx_netfilter, :resync_needed}` when notifications were lost (pull
  again).

  Options: `:netns` (`:host`, the default, `{:pid, n}`, `{:path, p}`),
  `:since_gen` (drop events of generations at or below it), `:rcvbuf`
  (receive buffer bytes, default 4 MiB).
  """
  @spec subscribe(pid(), keyword()) :: {:ok, pid()} | {:error, term()}
  def subscribe(owner_pid \\ self(), opts \\ []),
    do: Linx.Netfilter.Monitor.subscribe(owner_pid, opts)

  @doc "Stops a monitor from `subscribe/2`."
  @spec unsubscribe(pid()) :: :ok
  def unsubscribe(monitor), do: Linx.Netfilter.Monitor.stop(monitor)

  @doc """
  Opens an NFLOG listener (`Linx.Netfilter.Log`) bound to `:group`
  (required, 1..65535; Linx's convention is 5000).  The owner receives
  `{:linx_netfilter, :log, %Linx.Netfilter.Log.Event{}}` per logged
  packet, and `{:linx_netfilter, :resync_needed}` when packets were lost.

  Options: `:netns` (default `:host`), `:copy_mode` (`:none`, `:meta`,
  the default, `:packet`, `{:packet, snaplen}`), `:qthresh` (default 1),
  `:timeout_ms` (default 0), `:flags` (`:seq`, `:seq_global`,
  `:conntrack`), `:families` (default `[:ipv4, :ipv6]`), `:rcvbuf`
  (default 4 MiB).  Returns `{:ok, listener_pid}`.
  """
  @spec log_listen(pid(), keyword()) :: {:ok, pid()} | {:error, term()}
  def log_listen(owner_pid \\ self(), opts \\ []),
    do: Linx.Netfilter.Log.listen(owner_pid, opts)

  @doc "Stops a listener from `log_listen/2`: the group is unbound, then the socket closed."
  @spec unlog_listen(pid()) :: :ok
  def unlog_listen(listener), do: Linx.Netfilter.Log.stop(listener)

  # ---- plumbing -----------------------------------------------------------------

  defp sock_args(sock) when is_reference(sock), do: {:ok, %{"sock" => sock}}
  defp sock_args(target), do: target_args(%{}, target, "netns")

  defp target_args(args, :self, _key), do: {:ok, args}

  defp target_args(args, {:pid, pid}, key) when is_integer(pid) and pid > 0,
    do: {:ok, Map.put(args, key, %{"pid" => pid})}

  defp target_args(args, {:path, "/" <> _ = path}, key),
    do: {:ok, Map.put(args, key, %{"path" => path})}

  defp target_args(_args, other, _key), do: {:error, {:bad_sock, other}}

  @doc false
  def call(verb, args, op) do
    case Linx.Verb.call(verb, args, :nft) do
      {:ok, _} = ok -> ok
      {:error, %Linx.Error{} = e} -> {:error, translate(e, op)}
    end
  end

  @doc false
  # A value in the plugin's terms, shaped as the NIF shapes nft results
  # (expressions, verdicts and set elements as structs), for tests.
  def shape(term) do
    with {:ok, bytes} <- Linx.Native.encode(term), do: Linx.Native.decode(bytes, :nft)
  end

  # The plugin's reasons (schema.md, "Errors"): a fixed table.
  @reasons ~w(type_not_valid_for_family hook_not_valid_for_family device_required_for_hook
              duplicate_tag duplicate_chain duplicate_set duplicate_table duplicate_object
              duplicate_flowtable unknown_chain bad_priority bad_policy bad_hook bad_type
              bad_name bad_flags required)a
  @reason_table Map.new(@reasons, &{Atom.to_string(&1), &1})

  defp reason_atom(r), do: Map.get(@reason_table, r, r)

  @doc false
  # A value error ("bad_chain: type_not_valid_for_family: nat input in
  # arp") becomes {:bad_chain, {:type_not_valid_for_family, "nat input in
  # arp"}}; anything else is a %Linx.Netfilter.Error{}.
  def translate(%Linx.Error{errno: :einval, param: tag, message: msg}, _op)
      when tag in @value_tags do
    rest = String.replace_prefix(msg, tag <> ": ", "")

    reason =
      case String.split(rest, ": ", parts: 2) do
        [r, detail] -> if is_atom(reason_atom(r)), do: {reason_atom(r), detail}, else: rest
        [r] -> reason_atom(r)
      end

    {String.to_atom(tag), reason}
  end

  def translate(%Linx.Error{op: "convert"} = e, _op), do: {:bad_value, e.message}

  def translate(%Linx.Error{op: "validate", param: p} = e, _op) when p in ["sock", "netns"],
    do: {:bad_sock, e.message}

  def translate(%Linx.Error{} = e, op), do: Error.from_linx(e, op)
end
