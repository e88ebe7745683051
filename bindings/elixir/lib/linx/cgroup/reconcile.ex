defmodule Linx.Cgroup.Reconcile do
  @moduledoc """
  Declarative limits for one cgroup, one pass at a time: read its
  interface files, diff them against the values wanted, write what
  differs, and report.

  Limits only: the cgroup's existence, its controllers and its processes
  are lifecycle, which the caller owns.  A write to a cgroup that is not
  there yet, or to a file whose controller is not enabled, fails into
  `report.failed` and is tried again next pass.  The diff, the writes and
  the ownership rules are the C `cgroup` plugin's (`cgroup.diff`,
  `cgroup.reconcile`), the same code `linx reconcile` runs; the model is
  `Linx.Sysctl.Reconcile`'s, per interface file.

  ## Desired state

      %{"memory.max" => 256 * 1024 * 1024,   # bytes, or :max
        "pids.max" => 100,                    # or :max
        "cpu.max" => {50_000, 100_000},       # {quota_us, period_us}, or :max
        "cpu.weight" => 200,
        "memory.high" => "max"}               # any file's raw syntax

  Values are compared with the file's text, blanks collapsed: `:max`
  matches `"max"`, `{50_000, 100_000}` matches `"50000 100000"`, and
  `"cpu.max" => :max` holds whatever the period is (writing a quota
  alone keeps the period).  Give memory sizes in whole pages: the kernel
  rounds them down, and a value it rounded never compares equal, so each
  pass would write it again.

  ## Ownership

  `last_applied` is `%{file => %{applied: value, original: text}}`, as in
  `Linx.Sysctl.Reconcile`: a file that leaves `desired` is released
  (`{:release, file}`), or with `revert_on_release: true` given back its
  original text (`{:revert, file, original}`).

  ## Example

      {:ok, cg} = Linx.Cgroup.create("/sys/fs/cgroup/myorg/web-42")
      desired = %{"memory.max" => 256 * 1024 * 1024, "pids.max" => 100}
      {:ok, r} = Linx.Cgroup.Reconcile.reconcile(cg, desired)
      {:ok, r2} = Linx.Cgroup.Reconcile.reconcile(cg, desired, r.last_applied)
      r2.applied
      #=> []

  ## Errors

  Kernel refusals are in the report, never an `{:error, _}`.  Input that
  cannot describe a pass is refused before any I/O:
  `{:error, {:bad_file, name}}` (not an interface file name),
  `{:error, {:bad_value, {file, value}}}`, `{:error, {:bad_desired, term}}`,
  `{:error, {:bad_last_applied, term}}`, `{:error, {:bad_path, term}}`.
  """

  alias Linx.Cgroup.Reconcile.Report
  alias Linx.Reconcile.Flat

  @typedoc ~S(An interface file name: "memory.max".)
  @type file() :: String.t()

  @typedoc "A limit: integer, `:max`, `{quota_us, period_us}`, or raw text."
  @type value() :: non_neg_integer() | :max | {pos_integer(), pos_integer()} | binary()

  @typedoc "Interface file to the value to converge on."
  @type desired() :: %{optional(file()) => value()}

  @typedoc """
  Per-file ownership: `:applied` is the value last written, `:original` the
  file's text before the first write (`nil` if it could not be read).
  """
  @type ownership() :: %{applied: value(), original: binary() | nil}

  @typedoc "What a pass hands to the next one, keyed by file."
  @type last_applied() :: %{optional(file()) => ownership()}

  @typedoc "An op: `:set` and `:revert` write, `:release` only stops managing."
  @type op() :: {:set, file(), value()} | {:revert, file(), binary()} | {:release, file()}

  @typedoc "`:revert_on_release` - write originals back (default false)."
  @type opts() :: [{:revert_on_release, boolean()}]

  @typep bad() ::
           {:bad_file, term()}
           | {:bad_value, term()}
           | {:bad_desired, term()}
           | {:bad_last_applied, term()}
           | {:bad_path, term()}
           | {:bad_observed, term()}
           | {:bad_option, term()}

  @doc """
  Reads `files` of the cgroup `cg` into `%{file => text}`.  Files that
  cannot be read (no such cgroup, controller not enabled) are left out.
  """
  @spec observe(Linx.Cgroup.cgroup(), [file()]) ::
          %{optional(file()) => binary()} | {:error, bad()}
  def observe(cg, files) when is_binary(cg) and is_list(files) do
    case Enum.find(files, &(not is_binary(&1))) do
      nil ->
        for f <- files, reduce: %{} do
          acc ->
            case Linx.Cgroup.read(cg, f) do
              {:ok, text} -> Map.put(acc, f, text)
              {:error, _} -> acc
            end
        end

      f ->
        {:error, {:bad_file, f}}
    end
  end

  def observe(cg, files) when is_list(files), do: {:error, {:bad_path, cg}}
  def observe(_cg, files), do: {:error, {:bad_file, files}}

  @doc """
  The ops that would take `observed` (`%{file => text}`) to `desired`,
  given `last_applied`: sets first, then reverts or releases.  No I/O.
  """
  @spec diff(%{optional(file()) => binary()}, desired(), last_applied(), opts()) ::
          [op()] | {:error, bad()}
  def diff(observed, desired, last_applied \\ %{}, opts \\ []) do
    with {:ok, args} <- args(desired, last_applied, opts),
         :ok <- Flat.observed_ok(observed) do
      case Linx.Native.call("cgroup.diff", Map.put(args, "observed", observed)) do
        {:ok, ops} -> Enum.map(ops, fn op -> Flat.op_in(op, &value_in/1) end)
        {:error, native} -> {:error, refusal(native, desired, last_applied, nil)}
      end
    end
  end

  @doc """
  Runs one pass on the cgroup at `cg` and returns
  `{:ok, %Linx.Cgroup.Reconcile.Report{}}`; feed `report.last_applied`
  to the next pass.
  """
  @spec reconcile(Linx.Cgroup.cgroup(), desired(), last_applied(), opts()) ::
          {:ok, Report.t()} | {:error, bad()}
  def reconcile(cg, desired, last_applied \\ %{}, opts \\ [])

  def reconcile(cg, desired, last_applied, opts) when is_binary(cg) do
    with {:ok, args} <- args(desired, last_applied, opts) do
      case Linx.Native.call("cgroup.reconcile", Map.put(args, "path", cg)) do
        {:ok, r} -> {:ok, Flat.report_in(Report, r, &value_in/1, &failure(cg, &1, &2))}
        {:error, native} -> {:error, refusal(native, desired, last_applied, cg)}
      end
    end
  end

  def reconcile(cg, _desired, _last_applied, _opts), do: {:error, {:bad_path, cg}}

  # ---- plumbing -------------------------------------------------------------

  defp args(desired, last_applied, opts) do
    with {:ok, d} <- desired_out(desired),
         {:ok, la} <- Flat.last_applied_out(last_applied, &value_out/1),
         {:ok, revert} <- Flat.revert_opt(opts) do
      {:ok, %{"desired" => d, "last_applied" => la, "revert_on_release" => revert}}
    end
  end

  defp desired_out(d) when is_map(d) do
    Enum.reduce_while(d, {:ok, %{}}, fn
      {f, v}, {:ok, acc} when is_binary(f) ->
        case value_out(v) do
          {:ok, w} -> {:cont, {:ok, Map.put(acc, f, w)}}
          :error -> {:halt, {:error, {:bad_value, {f, v}}}}
        end

      {f, _}, _ ->
        {:halt, {:error, {:bad_file, f}}}
    end)
  end

  defp desired_out(d), do: {:error, {:bad_desired, d}}

  defp value_out(:max), do: {:ok, "max"}
  defp value_out(n) when is_integer(n) and n >= 0, do: {:ok, n}
  defp value_out(s) when is_binary(s), do: {:ok, s}

  defp value_out({q, p}) when is_integer(q) and q > 0 and is_integer(p) and p > 0,
    do: {:ok, [q, p]}

  defp value_out(_), do: :error

  defp value_in("max"), do: :max
  defp value_in([q, p]) when is_integer(q) and is_integer(p), do: {q, p}
  defp value_in(v), do: v

  defp refusal(%{op: op} = native, desired, last_applied, cg)
       when op in ["validate", "convert"] do
    cond do
      native.param == "path" -> {:bad_path, cg}
      bad = Flat.bad_argument(native, desired, last_applied, :bad_file) -> bad
      true -> raise Linx.Error.from_native(native)
    end
  end

  # Anything else is a broken installation (no cgroup plugin), not an
  # answer about this cgroup.
  defp refusal(native, _desired, _last_applied, _cg), do: raise(Linx.Error.from_native(native))

  defp failure(cg, op, e) do
    {errno, code} = Flat.errno(e)

    %Linx.Cgroup.Error{
      path: e["object"] || Path.join(cg, elem(op, 1)),
      operation: if(e["op"] == "read", do: :read, else: :write),
      errno: errno,
      code: code
    }
  end
end
