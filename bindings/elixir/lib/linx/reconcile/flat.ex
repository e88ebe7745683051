defmodule Linx.Reconcile.Flat do
  @moduledoc false
  # What Linx.Sysctl.Reconcile and Linx.Cgroup.Reconcile share: both drive a
  # C verb over a flat {name => value} map (sysctl.*, cgroup.* diff and
  # reconcile) and get the same report back.  This module turns the Elixir
  # shapes into the verbs' and back; the diff, the writes and the ownership
  # rules are the C plugins'.
  #
  # A subsystem passes `value_out` (its value -> the verb's) and `value_in`
  # (the verb's -> its own), and `error` (failed op's error map -> its
  # error struct).

  @doc false
  # %{name => %{applied: v, original: o}} -> the verb's last_applied.
  def last_applied_out(la, value_out) when is_map(la) do
    Enum.reduce_while(la, {:ok, %{}}, fn
      {name, %{applied: applied} = own}, {:ok, acc} when is_binary(name) ->
        original = Map.get(own, :original)

        with {:ok, a} <- value_out.(applied),
             true <- is_nil(original) or is_binary(original) or original_ok?(original) do
          {:cont,
           {:ok, Map.put(acc, name, %{"applied" => a, "original" => original_out(original)})}}
        else
          _ -> {:halt, {:error, {:bad_last_applied, {name, own}}}}
        end

      entry, _ ->
        {:halt, {:error, {:bad_last_applied, entry}}}
    end)
  end

  def last_applied_out(la, _), do: {:error, {:bad_last_applied, la}}

  # An original is what was read: text.  Integers and integer lists are
  # taken too (a caller may build last_applied by hand) and sent as text.
  defp original_ok?(o) when is_integer(o), do: true
  defp original_ok?(o) when is_list(o), do: Enum.all?(o, &is_integer/1)
  defp original_ok?(_), do: false

  defp original_out(o) when is_integer(o), do: Integer.to_string(o)
  defp original_out([_ | _] = o), do: Enum.map_join(o, " ", &Integer.to_string/1)
  defp original_out(o), do: o

  @doc false
  # The verb's last_applied -> %{name => %{applied: v, original: o}}.
  def last_applied_in(la, value_in) when is_map(la) do
    Map.new(la, fn {name, own} ->
      {name, %{applied: value_in.(own["applied"]), original: own["original"]}}
    end)
  end

  def last_applied_in(_, _), do: %{}

  @doc false
  # One of the verb's ops -> {:set, name, v} | {:revert, name, o} | {:release, name}.
  def op_in(%{"op" => "set", "key" => k, "value" => v}, value_in), do: {:set, k, value_in.(v)}
  def op_in(%{"op" => "revert", "key" => k, "value" => v}, _), do: {:revert, k, v}
  def op_in(%{"op" => "release", "key" => k}, _), do: {:release, k}

  @doc false
  # The verb's report -> the subsystem's report struct.
  def report_in(struct, %{} = r, value_in, error) do
    struct!(struct,
      converged?: r["converged"] == true,
      applied: Enum.map(r["applied"] || [], &op_in(&1, value_in)),
      failed:
        Enum.map(r["failed"] || [], fn %{"op" => op, "error" => e} ->
          o = op_in(op, value_in)
          {o, error.(o, e)}
        end),
      pending: Enum.map(r["pending"] || [], &op_in(&1, value_in)),
      last_applied: last_applied_in(r["last_applied"], value_in)
    )
  end

  @doc false
  # Errno atom and number from a failed op's error map; no atom is made.
  def errno(%{"code" => code}) when is_integer(code) and code > 0,
    do: {Linx.Errno.name(code), code}

  def errno(_), do: {:unknown, nil}

  @doc false
  # Which key of `desired` / `last_applied` an argument refusal names:
  # the core reports the parameter and, inside it, the offending key as
  # `param["key"]` in the message; the object is the file it resolves to.
  def bad_argument(%{param: param, message: msg}, desired, last_applied, keyword) do
    case param do
      "desired" -> bad_entry(msg, desired, keyword)
      "last_applied" -> {:bad_last_applied, last_applied}
      "observed" -> {:bad_observed, msg}
      _ -> nil
    end
  end

  def bad_argument(_, _, _, _), do: nil

  defp bad_entry(msg, desired, keyword) when is_binary(msg) and is_map(desired) do
    keys = Enum.filter(Map.keys(desired), &is_binary/1)

    cond do
      k = Enum.find(keys, &String.contains?(msg, "[" <> inspect(&1) <> "]")) ->
        {:bad_value, {k, desired[k]}}

      k = Enum.find(keys, &String.contains?(msg, inspect(&1))) ->
        {keyword, k}

      true ->
        {:bad_desired, desired}
    end
  end

  defp bad_entry(_, desired, _), do: {:bad_desired, desired}

  @doc false
  # "#Name<converged: 3 applied>" or "#Name<2 applied, 1 failed>".
  def inspect_report(name, r) do
    counts =
      [applied: r.applied, failed: r.failed, pending: r.pending]
      |> Enum.filter(fn {k, l} -> k == :applied or l != [] end)
      |> Enum.map_join(", ", fn {k, l} -> "#{length(l)} #{k}" end)

    "#" <> name <> "<" <> if(r.converged?, do: "converged: ", else: "") <> counts <> ">"
  end

  @doc false
  # An observed map as observe/2 returns it: text by name.
  def observed_ok(o) when is_map(o) do
    if Enum.all?(o, fn {k, v} -> is_binary(k) and is_binary(v) end),
      do: :ok,
      else: {:error, {:bad_observed, o}}
  end

  def observed_ok(o), do: {:error, {:bad_observed, o}}

  @doc false
  # The :revert_on_release option (default false).
  def revert_opt(opts) when is_list(opts) do
    case List.keyfind(opts, :revert_on_release, 0) do
      nil -> {:ok, false}
      {_, b} when is_boolean(b) -> {:ok, b}
      other -> {:error, {:bad_option, other}}
    end
  end

  def revert_opt(opts), do: {:error, {:bad_option, opts}}
end
