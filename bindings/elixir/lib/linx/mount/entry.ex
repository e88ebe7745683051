defmodule Linx.Mount.Entry do
  @moduledoc """
  One mount of a mount table: a parsed line of `/proc/<pid>/mountinfo`
  (proc(5)):

      36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
      (1)(2)(3)  (4)   (5)         (6)         (7)    (8) (9) (10)      (11)

    * `:mount_id`, `:parent_id` - (1) and (2);
    * `:device` - (3), `"major:minor"` as a string;
    * `:root` - (4), the path of this mount's root within its filesystem;
    * `:mount_point` - (5), where it appears;
    * `:mount_options` - (6), raw (`"rw,noatime"`);
    * `:propagation` - (7): `{:shared, group}`, `{:master, group}`,
      `{:propagate_from, group}`, `:unbindable`;
    * `:fstype`, `:source`, `:super_options` - (9), (10), (11), the last
      raw.

  The separator (8) is not kept.  Paths are decoded from the kernel's octal
  escapes (`\\040` is a space).  Optional fields Linx does not know, and
  lines without this shape, are skipped by the parser rather than failing
  the read.

      iex> %Linx.Mount.Entry{mount_id: 1, parent_id: 0, device: "8:1", root: "/",
      ...>   mount_point: "/", mount_options: "rw,relatime", propagation: [],
      ...>   fstype: "ext4", source: "/dev/sda1", super_options: "rw"}
      #Linx.Mount.Entry<ext4 on / (rw,relatime)>
  """

  @enforce_keys [
    :mount_id,
    :parent_id,
    :device,
    :root,
    :mount_point,
    :mount_options,
    :propagation,
    :fstype,
    :source,
    :super_options
  ]
  defstruct @enforce_keys

  @type propagation_entry() ::
          {:shared, non_neg_integer()}
          | {:master, non_neg_integer()}
          | {:propagate_from, non_neg_integer()}
          | :unbindable

  @type t() :: %__MODULE__{
          device: String.t(),
          fstype: String.t(),
          mount_id: non_neg_integer(),
          mount_options: String.t(),
          mount_point: String.t(),
          parent_id: integer(),
          propagation: [propagation_entry()],
          root: String.t(),
          source: String.t(),
          super_options: String.t()
        }

  @doc false
  # From the map mount.list returns (linx/mount.h).  Only known names
  # become atoms: nothing the kernel prints creates one.
  def from_native(m) do
    %__MODULE__{
      mount_id: m["mount_id"],
      parent_id: m["parent_id"],
      device: m["device"],
      root: m["root"],
      mount_point: m["mount_point"],
      mount_options: m["mount_options"],
      propagation: Enum.flat_map(m["propagation"] || [], &propagation/1),
      fstype: m["fstype"],
      source: m["source"],
      super_options: m["super_options"]
    }
  end

  defp propagation("unbindable"), do: [:unbindable]
  defp propagation(%{"shared" => n}), do: [{:shared, n}]
  defp propagation(%{"master" => n}), do: [{:master, n}]
  defp propagation(%{"propagate_from" => n}), do: [{:propagate_from, n}]
  defp propagation(_), do: []

  defimpl Inspect do
    def inspect(e, _opts) do
      "#Linx.Mount.Entry<#{e.fstype} on #{e.mount_point} (#{e.mount_options})>"
    end
  end
end
