defmodule Linx.Netfilter.Error do
  @moduledoc """
  A failed `Linx.Netfilter` operation: the kernel refused, or the socket
  or namespace could not be had.

    * `:operation` - what failed, as an atom: the public stage (`:push`,
      `:pull`, `:diff`, `:apply`, `:open`...) or the batch message the
      kernel refused (`:newrule`, `:newchain`, `:newset`...);
    * `:errno` / `:code` - the errno as an atom and its number;
    * `:message` - the kernel's extended ACK when it gave one, else the
      C plugin's sentence;
    * `:object` - what the refused message was about, as the C plugin
      names it (`"inet/fw/input#3"`: family, table, chain, rule index);
    * `:subsys`, `:msg_type`, `:batch_seq`, `:attr_offset`,
      `:ruleset_gen` - the spec's netlink context; `nil` when the C plugin
      does not report it (it reports the refused message as `:operation`
      and `:object` instead).

  Input mistakes (a malformed ruleset) are not this struct but tagged
  tuples such as `{:bad_chain, reason}`.
  """

  defexception [
    :operation,
    :errno,
    :code,
    :message,
    :object,
    :subsys,
    :msg_type,
    :batch_seq,
    :attr_offset,
    :ruleset_gen
  ]

  @type operation() :: atom()
  @type subsys() :: :nftables | :ctnetlink | :queue | :ulog | nil
  @type t() :: %__MODULE__{
          operation: operation(),
          errno: atom(),
          code: pos_integer() | nil,
          message: String.t() | nil,
          object: String.t() | nil,
          subsys: subsys(),
          msg_type: 0..255 | nil,
          batch_seq: non_neg_integer() | nil,
          attr_offset: non_neg_integer() | nil,
          ruleset_gen: non_neg_integer() | nil
        }

  @doc "Builds an error from an errno atom and the operation attempted."
  @spec from_posix(atom(), operation(), keyword()) :: t()
  def from_posix(errno, operation, opts \\ []) do
    struct(
      %__MODULE__{
        errno: errno,
        operation: operation,
        code: Linx.Errno.code(errno),
        subsys: :nftables
      },
      opts
    )
  end

  @doc false
  def from_linx(%Linx.Error{} = e, default_op) do
    %__MODULE__{
      operation: operation(e.op, default_op),
      errno: e.errno,
      code: e.code,
      message: e.extack || e.message,
      object: e.object,
      subsys: :nftables,
      batch_seq: batch_seq(e.message)
    }
  end

  # The plugin names the refused message of a batch: "message 5 (newrule ...)".
  defp batch_seq(msg) when is_binary(msg) do
    case Regex.run(~r/\Amessage (\d+) \(/, msg) do
      [_, n] -> String.to_integer(n)
      nil -> nil
    end
  end

  defp batch_seq(_), do: nil

  @ops ~w(open close get_gen push pull diff apply validate create_table delete
          batch_begin batch_end newtable newchain newrule newset newsetelem newobj
          newflowtable deltable delchain delrule delset delsetelem delobj delflowtable
          getgen delgen open_ns setns unshare thread reconcile)

  defp operation(op, _default) when op in @ops, do: String.to_atom(op)
  defp operation(_op, default), do: default

  @impl true
  def message(%__MODULE__{} = e) do
    [e.operation && Atom.to_string(e.operation), e.object, e.message]
    |> Enum.reject(&(&1 in [nil, ""]))
    |> Enum.join(": ")
    |> Kernel.<>(" (#{e.errno})")
  end
end
