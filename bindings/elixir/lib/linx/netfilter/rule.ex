defmodule Linx.Netfilter.Rule do
  @moduledoc """
  One rule: an ordered list of `%Linx.Netfilter.Expr{}`.

  `build/2` takes expressions and verdict sugar (`:accept`,
  `{:jump, "chain"}`, a `%Verdict{}`), flattening nested lists (so
  `Expr.dnat_to/3` composes), and normalises verdicts to
  `Expr.immediate/1`.

      iex> {:ok, rule} = Linx.Netfilter.Rule.build([:drop], tag: :default_deny)
      iex> rule
      #Linx.Netfilter.Rule<:default_deny [immediate drop]>

  `:tag` is the rule's stable identity for reconcile pushes (an atom,
  `[A-Za-z0-9_.-]{1,64}`); it travels in the kernel's rule comment as
  `tag:NAME`, so `nft list` shows it.  A pulled rule's tag is the atom
  when this VM already has it, and otherwise stays a string (another
  program's tags never create atoms); such a rule pushes back as it
  came, while `build/2` takes atoms only.  Errors: `{:error, {:bad_rule, reason}}`.
  """

  alias Linx.Netfilter.{Expr, Verdict}

  defstruct expressions: [], chain: nil, handle: nil, tag: nil, comment: nil

  @type expression_input() :: Expr.t() | Verdict.t() | Verdict.input()
  @type t() :: %__MODULE__{
          chain: String.t() | nil,
          comment: String.t() | nil,
          expressions: [Expr.t()],
          handle: pos_integer() | nil,
          tag: atom() | String.t() | nil
        }

  @doc "Builds a rule; options `:tag`, `:comment`, `:chain`, `:handle`."
  @spec build([expression_input()], keyword()) :: {:ok, t()} | {:error, {:bad_rule, term()}}
  def build(expressions, opts \\ [])

  def build(expressions, opts) when is_list(expressions) and is_list(opts) do
    with true <- Keyword.keyword?(opts) || {:error, {:bad_rule, {:bad_opts, opts}}},
         {:ok, exprs} <- normalise(List.flatten(expressions), []),
         :ok <- check_tag(opts[:tag]),
         :ok <- check_comment(opts[:comment]),
         :ok <- check_handle(opts[:handle]) do
      {:ok,
       %__MODULE__{
         expressions: exprs,
         tag: opts[:tag],
         comment: opts[:comment],
         chain: opts[:chain],
         handle: opts[:handle]
       }}
    end
  end

  def build(other, opts) when is_list(opts), do: {:error, {:bad_rule, {:not_a_list, other}}}
  def build(_expressions, opts), do: {:error, {:bad_rule, {:bad_opts, opts}}}

  @doc "Like `build/2`, but returns the rule or raises `ArgumentError`."
  @spec build!([expression_input()], keyword()) :: t()
  def build!(expressions, opts \\ []) do
    case build(expressions, opts) do
      {:ok, rule} -> rule
      {:error, reason} -> raise ArgumentError, "invalid rule: #{inspect(reason)}"
    end
  end

  @doc "The rule's trailing verdict, or `nil` for a rule that falls through."
  @spec verdict(t()) :: Verdict.t() | nil
  def verdict(%__MODULE__{expressions: exprs}) do
    case List.last(exprs) do
      %Expr{name: :immediate, data: %Verdict{} = v} -> v
      _ -> nil
    end
  end

  defp normalise([], acc), do: {:ok, Enum.reverse(acc)}

  defp normalise([%Expr{name: name} = e | rest], acc) when is_atom(name) or is_binary(name),
    do: normalise(rest, [e | acc])

  defp normalise([v | rest], acc) do
    case Verdict.new(v) do
      {:ok, verdict} -> normalise(rest, [Expr.immediate(verdict) | acc])
      {:error, _} -> {:error, {:bad_rule, {:bad_expression, v}}}
    end
  end

  @doc false
  def check_tag(nil), do: :ok

  def check_tag(tag) when is_atom(tag) do
    if Atom.to_string(tag) =~ ~r/\A[A-Za-z0-9_.-]{1,64}\z/,
      do: :ok,
      else: {:error, {:bad_rule, {:bad_tag, tag}}}
  end

  def check_tag(tag), do: {:error, {:bad_rule, {:bad_tag, tag}}}

  defp check_comment(nil), do: :ok

  defp check_comment(c) when is_binary(c) do
    cond do
      not String.valid?(c) -> {:error, {:bad_rule, {:bad_comment, c}}}
      String.starts_with?(c, "tag:") -> {:error, {:bad_rule, {:comment_starts_with_tag, c}}}
      true -> :ok
    end
  end

  defp check_comment(c), do: {:error, {:bad_rule, {:bad_comment, c}}}

  defp check_handle(nil), do: :ok
  defp check_handle(h) when is_integer(h) and h > 0, do: :ok
  defp check_handle(h), do: {:error, {:bad_rule, {:bad_handle, h}}}

  @doc false
  def to_c(%__MODULE__{} = r) do
    with {:ok, exprs} <- exprs_same(r.expressions, r.expressions, 0) do
      # one map, with no intermediate ones: a push converts tens of thousands
      case {tag_to_c(r.tag), r.comment, r.handle} do
        {nil, nil, nil} ->
          {:ok, %{"exprs" => exprs}}

        {tag, nil, nil} ->
          {:ok, %{"exprs" => exprs, "tag" => tag}}

        {tag, comment, handle} ->
          {:ok,
           put(put(put(%{"exprs" => exprs}, "tag", tag), "comment", comment), "handle", handle)}
      end
    end
  end

  # Expressions that cross as they are (Expr.to_c/1) keep the rule's own
  # list: a typical rule's conversion allocates nothing but its map.  `n`
  # expressions of `all` crossed unchanged so far; at the first that does
  # not, they are copied and the rest converted into a new list.
  defp exprs_same([], all, _n), do: {:ok, all}

  defp exprs_same([e | rest], all, n) do
    case Expr.to_c(e) do
      {:ok, ^e} -> exprs_same(rest, all, n + 1)
      {:ok, c} -> exprs_to_c(rest, [c | Enum.reverse(Enum.take(all, n))])
      {:error, reason} -> {:error, {:bad_rule, reason}}
    end
  end

  defp exprs_to_c([], acc), do: {:ok, Enum.reverse(acc)}

  defp exprs_to_c([e | rest], acc) do
    case Expr.to_c(e) do
      {:ok, c} -> exprs_to_c(rest, [c | acc])
      {:error, reason} -> {:error, {:bad_rule, reason}}
    end
  end

  defp tag_to_c(nil), do: nil
  # the NIF reads other atoms as their text (the :nft shape)
  defp tag_to_c(tag) when tag in [true, false], do: Atom.to_string(tag)
  defp tag_to_c(tag) when is_atom(tag), do: tag
  defp tag_to_c(tag) when is_binary(tag), do: tag

  # A tag read from the kernel becomes the atom a program of this VM gave
  # it; a tag no code here knows (another program's) stays a string, so
  # that pulling foreign rulesets cannot fill the atom table.
  defp tag_from_c(nil), do: nil

  defp tag_from_c(tag) when is_binary(tag) do
    String.to_existing_atom(tag)
  rescue
    ArgumentError -> tag
  end

  defp put(m, _k, nil), do: m
  defp put(m, k, v), do: Map.put(m, k, v)

  @doc false
  def from_c(%{} = m, chain) do
    %__MODULE__{
      expressions: Map.get(m, "exprs", []),
      chain: chain,
      handle: m["handle"],
      tag: tag_from_c(m["tag"]),
      comment: m["comment"]
    }
  end

  defimpl Inspect do
    def inspect(%{tag: tag, expressions: exprs}, opts) do
      body = Enum.map_join(exprs, ", ", &expr_text(&1, opts))
      prefix = if tag, do: Kernel.inspect(tag) <> " ", else: ""
      "#Linx.Netfilter.Rule<#{prefix}[#{body}]>"
    end

    defp expr_text(e, opts) do
      case Inspect.Algebra.format(Inspect.Algebra.to_doc(e, opts), :infinity)
           |> IO.iodata_to_binary() do
        "#Linx.Netfilter.Expr<" <> rest -> String.trim_trailing(rest, ">")
        other -> other
      end
    end
  end
end
