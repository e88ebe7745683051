defmodule Linx.Netfilter.Diff do
  @moduledoc """
  Structural diff between two `%Linx.Netfilter.Ruleset{}` values: the
  `%Linx.Netfilter.Patch{}` of the mutations that turn one into the
  other.  The work is the C plugin's `nft.diff` (docs/nft/patch.md); this
  module converts the values.

  ## Identity

    * Tables, chains, sets, maps and flowtables by name (tables within
      their family, the rest within their table); objects by kind and name.
    * Rules within a chain by `:tag` when every desired rule of the chain
      has one; otherwise by position, where any difference rebuilds the
      chain's rules (delete every rule, create the desired ones).
    * Set elements by value: elements are added and deleted, never
      modified.

  ## In place, or deleted and created again

    * A rule whose content changed is replaced in place (`NLM_F_REPLACE`
      over the handle of `from`'s rule: diff against a pulled ruleset).
    * A chain whose attributes differ (type, hook, priority, policy,
      devices, flags, comment) is deleted and created again with its rules.
    * A set whose declaration differs likewise; otherwise only elements.
    * Quota and synproxy objects are updated in place, other object kinds
      deleted and created again.

  Only the tables of `to` are looked at: a table only in `from` is left
  alone (not deleted).
  """

  alias Linx.Netfilter.{Patch, Ruleset}

  @doc """
  The `%Patch{}` that transforms `from` into `to`, sorted as a batch
  applies it (`Linx.Netfilter.Patch`).  `Patch.empty?/1` is true when the
  tables `to` names are already as it says, handles and kernel state
  (counters) aside.  Raises `ArgumentError` when a ruleset is malformed.
  """
  @spec diff(Ruleset.t(), Ruleset.t()) :: Patch.t()
  def diff(from, to) do
    with {:ok, f} <- Ruleset.to_c(from),
         {:ok, t} <- Ruleset.to_c(to),
         {:ok, patch} <- Linx.Netfilter.call("nft.diff", %{"from" => f, "to" => t}, :diff) do
      Patch.from_c(patch)
    else
      {:error, reason} -> raise ArgumentError, "diff: #{inspect(reason)}"
    end
  end

  @doc """
  Checks that `ruleset` can be pushed with `mode: :reconcile`: every chain
  with more than one rule has a tag on each of its rules.  `:ok`,
  `{:error, {:tag_required, {family, table, chain}}}`, or the ruleset's
  value error.
  """
  @spec validate_for_reconcile(Ruleset.t()) ::
          :ok | {:error, {:tag_required, {atom(), String.t(), String.t()}}} | {:error, term()}
  def validate_for_reconcile(ruleset) do
    with {:ok, value} <- Ruleset.to_c(ruleset),
         {:ok, _} <- check(value) do
      :ok
    end
  end

  defp check(value) do
    case Linx.Verb.call("nft.validate", %{"ruleset" => value, "mode" => "reconcile"}, :nft) do
      {:ok, _} = ok ->
        ok

      {:error, %Linx.Error{param: "tag_required", object: object}} when is_binary(object) ->
        [family, table, chain] = String.split(object, "/", parts: 3)

        {:error,
         {:tag_required,
          {Linx.Netfilter.Chain.enum(family, Linx.Netfilter.Table.families()), table, chain}}}

      {:error, %Linx.Error{} = e} ->
        {:error, Linx.Netfilter.translate(e, :validate)}
    end
  end
end
