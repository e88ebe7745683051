defmodule Linx.Sysctl.Reconcile do
  @moduledoc """
  Declarative sysctls, one pass at a time: observe the keys, diff them
  against the values wanted, write what differs, and report.

  It holds no state and owns no process; `Linx.Reconcile` is the opt-in
  loop that calls it on a timer.  The diff, the writes and the ownership
  rules are the C `sysctl` plugin's (`sysctl.observe`, `sysctl.diff`,
  `sysctl.reconcile`), the same code `linx reconcile` runs.

  ## Desired state

  A map from dot-form key to the value wanted, in any shape
  `Linx.Sysctl.write/3` takes:

      %{"net.ipv4.ip_forward" => 1,
        "kernel.printk" => [4, 4, 1, 7],
        "kernel.hostname" => "ct0"}

  A value matches when the kernel's text says the same thing: `1` matches
  `"1"`, `[4, 4, 1, 7]` matches `"4\\t4\\t1\\t7"`.

  ## Ownership: `last_applied`

  Every report carries `last_applied`,
  `%{key => %{applied: value_written, original: text_before}}`, to give to
  the next pass.  It is what lets a pass tell "a key I set and that left
  the desired map" from "a key I never touched": the first is released,
  the second ignored.  A released key is left as it is (`{:release, key}`)
  or, with `revert_on_release: true`, given back the text it had before
  the first write (`{:revert, key, original}`).  It lives in memory only:
  an original is only meaningful on the machine, and in the boot, that
  captured it.

  ## A pass

  Writes are independent, so a pass is best-effort: every op is tried,
  failures are listed in `report.failed` with a `Linx.Sysctl.Error`, and
  the next pass tries them again.

      desired = %{"net.ipv4.ip_forward" => 1, "net.ipv4.conf.all.rp_filter" => 1}
      {:ok, r} = Linx.Sysctl.Reconcile.reconcile(desired)
      r.converged?
      #=> true
      {:ok, r2} = Linx.Sysctl.Reconcile.reconcile(desired, r.last_applied)
      r2.applied
      #=> []

  ## Errors

  Kernel refusals are never an `{:error, _}` of `reconcile/3`: they are in
  the report.  Input that cannot describe a pass is refused before any
  I/O: `{:error, {:bad_key, key}}` (not a dot-form key),
  `{:error, {:bad_value, {key, value}}}`, `{:error, {:bad_desired, term}}`
  (not a map), `{:error, {:bad_last_applied, term}}`,
  `{:error, {:bad_in, term}}`; a namespace that cannot be entered is
  `{:error, %Linx.Sysctl.Error{}}`.
  """

  alias Linx.Reconcile.Flat
  alias Linx.Sysctl.Reconcile.Report

  @typedoc "Dot-form key to the value to converge on."
  @type desired() :: %{optional(Linx.Sysctl.key()) => Linx.Sysctl.value()}

  @typedoc """
  Per-key ownership: `:applied` is the value last written, `:original` the
  text the key had before the first write (`nil` if it could not be read).
  """
  @type ownership() :: %{applied: Linx.Sysctl.value(), original: Linx.Sysctl.value() | nil}

  @typedoc "What a pass hands to the next one, keyed by dot-form key."
  @type last_applied() :: %{optional(Linx.Sysctl.key()) => ownership()}

  @typedoc "An op: `:set` and `:revert` write, `:release` only stops managing."
  @type op() ::
          {:set, Linx.Sysctl.key(), Linx.Sysctl.value()}
          | {:revert, Linx.Sysctl.key(), Linx.Sysctl.value()}
          | {:release, Linx.Sysctl.key()}

  @typedoc """
  `:in` - whose namespaces (as in `Linx.Sysctl`, default `:self`);
  `:revert_on_release` - write originals back (default false).
  """
  @type opts() :: [in: Linx.Sysctl.in_target(), revert_on_release: boolean()]

  @typep bad() ::
           {:bad_key, term()}
           | {:bad_value, term()}
           | {:bad_desired, term()}
           | {:bad_last_applied, term()}
           | {:bad_in, term()}
           | {:bad_observed, term()}
           | {:bad_option, term()}

  @doc """
  Reads `keys` into `%{key => text}`.  Keys that cannot be read (missing,
  not permitted) are left out: the diff then plans a write, and the write
  reports the real error.

  Malformed input gives `{:error, {:bad_key, key}}` or
  `{:error, {:bad_in, term}}` instead of a map, and a namespace that
  cannot be entered `{:error, %Linx.Sysctl.Error{}}`.
  """
  @spec observe([Linx.Sysctl.key()], opts()) ::
          %{optional(Linx.Sysctl.key()) => binary()} | {:error, Linx.Sysctl.Error.t() | bad()}
  def observe(keys, opts \\ [])

  def observe(keys, opts) when is_list(keys) do
    with :ok <- binary_keys(keys),
         {:ok, target} <- Linx.Sysctl.__in__(opts) do
      case Linx.Native.call("sysctl.observe", Map.put(target, "keys", keys)) do
        {:ok, map} ->
          map

        {:error, %{param: "keys", message: msg}} ->
          {:error, {:bad_key, Enum.find(keys, hd(keys), &String.contains?(msg, inspect(&1)))}}

        {:error, %{param: "in"}} ->
          {:error, {:bad_in, Keyword.get(opts, :in)}}

        {:error, native} ->
          {:error, Linx.Sysctl.__error__(native, "", :read)}
      end
    end
  end

  def observe(keys, _opts), do: {:error, {:bad_key, keys}}

  @doc """
  The ops that would take `observed` (`%{key => text}`, as `observe/2`
  returns it) to `desired`, given `last_applied`.  No I/O.

  `{:set, key, value}` for every desired key whose text differs or is
  missing, then `{:revert, key, original}` (with `revert_on_release:
  true`, when an original was captured) or `{:release, key}` for every
  owned key that left `desired`.
  """
  @spec diff(%{optional(Linx.Sysctl.key()) => binary()}, desired(), last_applied(), opts()) ::
          [op()] | {:error, bad()}
  def diff(observed, desired, last_applied \\ %{}, opts \\ []) do
    with {:ok, args} <- args(desired, last_applied, opts),
         :ok <- Flat.observed_ok(observed) do
      case Linx.Native.call("sysctl.diff", Map.put(args, "observed", observed)) do
        {:ok, ops} -> Enum.map(ops, fn op -> Flat.op_in(op, &Function.identity/1) end)
        {:error, native} -> {:error, refusal(native, desired, last_applied, opts)}
      end
    end
  end

  @doc """
  Runs one pass: observes every key of `desired` and of `last_applied`,
  diffs, writes, and returns `{:ok, %Linx.Sysctl.Reconcile.Report{}}`.
  Feed `report.last_applied` to the next pass.
  """
  @spec reconcile(desired(), last_applied(), opts()) ::
          {:ok, Report.t()} | {:error, Linx.Sysctl.Error.t() | bad()}
  def reconcile(desired, last_applied \\ %{}, opts \\ []) do
    with {:ok, args} <- args(desired, last_applied, opts),
         {:ok, target} <- Linx.Sysctl.__in__(opts) do
      case Linx.Native.call("sysctl.reconcile", Map.merge(args, target)) do
        {:ok, r} -> {:ok, Flat.report_in(Report, r, &Function.identity/1, &failure/2)}
        {:error, native} -> {:error, refusal(native, desired, last_applied, opts)}
      end
    end
  end

  # ---- plumbing -------------------------------------------------------------

  defp args(desired, last_applied, opts) do
    with :ok <- desired_ok(desired),
         {:ok, la} <- Flat.last_applied_out(last_applied, &value_out/1),
         {:ok, revert} <- Flat.revert_opt(opts) do
      {:ok, %{"desired" => desired, "last_applied" => la, "revert_on_release" => revert}}
    end
  end

  defp desired_ok(d) when is_map(d) do
    case Enum.find(Map.keys(d), &(not is_binary(&1))) do
      nil -> :ok
      k -> {:error, {:bad_key, k}}
    end
  end

  defp desired_ok(d), do: {:error, {:bad_desired, d}}

  defp binary_keys(keys) do
    case Enum.find(keys, &(not is_binary(&1))) do
      nil -> :ok
      k -> {:error, {:bad_key, k}}
    end
  rescue
    # an improper list
    _ in [ArgumentError, FunctionClauseError] -> {:error, {:bad_key, keys}}
  end

  defp value_out(v) when is_integer(v) or is_binary(v), do: {:ok, v}
  defp value_out([_ | _] = v), do: if(Enum.all?(v, &is_integer/1), do: {:ok, v}, else: :error)
  defp value_out(_), do: :error

  defp refusal(%{op: op} = native, desired, last_applied, opts)
       when op in ["validate", "convert"] do
    if native.param == "in" do
      {:bad_in, Keyword.get(opts, :in)}
    else
      Flat.bad_argument(native, desired, last_applied, :bad_key) ||
        Linx.Sysctl.__error__(native, "", :read)
    end
  end

  defp refusal(native, _desired, _last_applied, _opts),
    do: Linx.Sysctl.__error__(native, "", :read)

  # A failed op's error map as a Linx.Sysctl.Error (the operation names
  # the step that failed: the write, or entering the namespaces first).
  defp failure(op, e) do
    key = elem(op, 1)
    {errno, code} = Flat.errno(e)
    native = %{op: e["op"] || "write", object: e["object"], errno: errno, code: code}
    Linx.Sysctl.__error__(native, key, :write)
  end
end
