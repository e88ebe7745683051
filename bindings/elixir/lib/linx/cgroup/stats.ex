defmodule Linx.Cgroup.Stats do
  @moduledoc """
  A snapshot of a cgroup's counters, from `Linx.Cgroup.stats/1`.

  A field is `nil` when its source is missing for this cgroup: its
  controller is not enabled in the parent's `cgroup.subtree_control`, or
  the kernel is too old to have it.

    * `:cpu_usec`, `:cpu_user_usec`, `:cpu_system_usec` - CPU time used,
      in microseconds (`cpu.stat`: `usage_usec`, `user_usec`,
      `system_usec`; present on every cgroup v2);
    * `:cpu_nr_throttled`, `:cpu_throttled_usec` - how often and how long
      `cpu.max` held the cgroup back (`cpu.stat`, needs the cpu
      controller; 0 without a limit);
    * `:memory_current` - memory in use, in bytes (`memory.current`);
    * `:memory_peak` - the most ever used, in bytes (`memory.peak`, Linux
      5.19 and later);
    * `:pids_current` - number of processes (`pids.current`).

  It inspects compactly, showing only what is set:

      iex> %Linx.Cgroup.Stats{cpu_usec: 100, pids_current: 3}
      #Linx.Cgroup.Stats<cpu=100µs pids=3>
  """

  defstruct [
    :cpu_usec,
    :cpu_user_usec,
    :cpu_system_usec,
    :cpu_nr_throttled,
    :cpu_throttled_usec,
    :memory_current,
    :memory_peak,
    :pids_current
  ]

  @type t() :: %__MODULE__{
          cpu_nr_throttled: non_neg_integer() | nil,
          cpu_system_usec: non_neg_integer() | nil,
          cpu_throttled_usec: non_neg_integer() | nil,
          cpu_usec: non_neg_integer() | nil,
          cpu_user_usec: non_neg_integer() | nil,
          memory_current: non_neg_integer() | nil,
          memory_peak: non_neg_integer() | nil,
          pids_current: non_neg_integer() | nil
        }

  # The verb's keys and the fields they fill, fixed at compile time.
  @fields for f <- ~w(cpu_usec cpu_user_usec cpu_system_usec cpu_nr_throttled
                      cpu_throttled_usec memory_current memory_peak pids_current)a,
              do: {Atom.to_string(f), f}

  @doc false
  # From the cgroup.stats verb's map (binary keys; unknown keys ignored).
  def from_map(map) when is_map(map) do
    fields =
      for {key, field} <- @fields,
          value = Map.get(map, key),
          is_integer(value),
          do: {field, value}

    struct(__MODULE__, fields)
  end

  defimpl Inspect do
    def inspect(%Linx.Cgroup.Stats{} = s, _opts) do
      parts =
        [
          {"cpu", s.cpu_usec, &usec/1},
          {"mem", s.memory_current, &bytes/1},
          {"pids", s.pids_current, &Integer.to_string/1}
        ]
        |> Enum.filter(fn {_, v, _} -> is_integer(v) end)
        |> Enum.map(fn {label, v, fmt} -> "#{label}=#{fmt.(v)}" end)

      "#Linx.Cgroup.Stats<" <> Enum.join(parts, " ") <> ">"
    end

    defp usec(u) when u < 1_000, do: "#{u}µs"
    defp usec(u) when u < 1_000_000, do: one_decimal(u / 1_000) <> "ms"
    defp usec(u) when u < 60_000_000, do: one_decimal(u / 1_000_000) <> "s"

    # From a minute on, whole minutes and seconds (8m12s), and from an
    # hour on, hours too (1h2m3s), as Linx 0.2.0 renders them.
    defp usec(u) do
      total = div(u, 1_000_000)
      {h, m, s} = {div(total, 3600), div(rem(total, 3600), 60), rem(total, 60)}
      if h > 0, do: "#{h}h#{m}m#{s}s", else: "#{m}m#{s}s"
    end

    defp bytes(b) when b < 1024, do: "#{b}B"
    defp bytes(b) when b < 1024 * 1024, do: one_decimal(b / 1024) <> "KiB"
    defp bytes(b) when b < 1024 * 1024 * 1024, do: one_decimal(b / (1024 * 1024)) <> "MiB"
    defp bytes(b), do: one_decimal(b / (1024 * 1024 * 1024)) <> "GiB"

    # 12.3, or 42 when the decimal is zero.
    defp one_decimal(x) do
      rounded = Float.round(x, 1)

      if rounded == Float.round(rounded),
        do: Integer.to_string(trunc(rounded)),
        else: Float.to_string(rounded)
    end
  end
end
