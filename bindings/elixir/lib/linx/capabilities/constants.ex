defmodule Linx.Capabilities.Constants do
  @moduledoc false
  # The capability atoms by bit number, the same table as the core's
  # (plugins/caps: linx_caps_name()).  The atoms exist here at compile
  # time, so converting the plugin's names never creates one; a test
  # checks this list against the plugin's.

  @names ~w(cap_chown cap_dac_override cap_dac_read_search cap_fowner
            cap_fsetid cap_kill cap_setgid cap_setuid cap_setpcap
            cap_linux_immutable cap_net_bind_service cap_net_broadcast
            cap_net_admin cap_net_raw cap_ipc_lock cap_ipc_owner
            cap_sys_module cap_sys_rawio cap_sys_chroot cap_sys_ptrace
            cap_sys_pacct cap_sys_admin cap_sys_boot cap_sys_nice
            cap_sys_resource cap_sys_time cap_sys_tty_config cap_mknod
            cap_lease cap_audit_write cap_audit_control cap_setfcap
            cap_mac_override cap_mac_admin cap_syslog cap_wake_alarm
            cap_block_suspend cap_audit_read cap_perfmon cap_bpf
            cap_checkpoint_restore)a

  @all MapSet.new(@names)
  @bits @names |> Enum.with_index() |> Map.new()
  @by_bit @names |> Enum.with_index() |> Map.new(fn {n, b} -> {b, n} end)
  @by_name Map.new(@names, &{Atom.to_string(&1), &1})

  @doc "Every capability Linx knows, as a MapSet of `:cap_*` atoms (41)."
  @spec all() :: MapSet.t(atom())
  def all, do: @all

  @doc "The atoms in bit order."
  @spec list() :: [atom()]
  def list, do: @names

  @doc "The kernel bit of `cap`, or `nil` for an atom that is not a capability."
  @spec to_bit(atom()) :: non_neg_integer() | nil
  def to_bit(cap), do: Map.get(@bits, cap)

  @doc "The atom of bit `bit`, or `:unknown` past the table."
  @spec from_bit(non_neg_integer()) :: atom()
  def from_bit(bit), do: Map.get(@by_bit, bit, :unknown)

  @doc "The capabilities of a 64-bit mask (bits past the table are dropped)."
  @spec from_mask(non_neg_integer()) :: MapSet.t(atom())
  def from_mask(mask) when is_integer(mask) and mask >= 0 do
    for {b, n} <- @by_bit, Bitwise.band(mask, Bitwise.bsl(1, b)) != 0, into: MapSet.new(), do: n
  end

  @doc "The mask of an enumerable of capability atoms."
  @spec to_mask(Enumerable.t()) :: non_neg_integer()
  def to_mask(caps) do
    Enum.reduce(caps, 0, fn cap, acc ->
      Bitwise.bor(acc, Bitwise.bsl(1, Map.fetch!(@bits, cap)))
    end)
  end

  @doc "Whether `cap` is a capability atom Linx knows."
  @spec known?(term()) :: boolean()
  def known?(cap), do: is_map_key(@bits, cap)

  @doc "The atom of a capability name from the plugin, or `nil`."
  @spec from_name(String.t()) :: atom() | nil
  def from_name(name), do: Map.get(@by_name, name)
end
