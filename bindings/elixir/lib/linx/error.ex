defmodule Linx.Error do
  @moduledoc """
  A failed verb call, as the Linx core reports it.

  `Linx.Verb.call/2` returns this struct; the subsystem modules turn it into
  their own error structs (`Linx.Sysctl.Error`, `Linx.Cgroup.Error`).

    * `:errno` - the errno as an atom (`:enoent`, `:eperm`...), or
      `:unknown` for a number outside the core's table;
    * `:code` - the positive errno number, always present;
    * `:op` - the operation or stage that failed, as the plugin named it
      (`"read"`, `"setns_net"`, `"validate"`, `"convert"`);
    * `:param` - for a bad argument, the parameter's name, else `nil`;
    * `:object` - what was acted on (a path, a key), or `nil`;
    * `:message` - a sentence for humans;
    * `:extack` - the kernel's extended-ACK text for netlink errors, or `nil`.

  Arguments the NIF cannot convert fail with `op: "convert"`; arguments
  that do not match the verb's schema with `op: "validate"`.
  """

  defexception [:errno, :code, :op, :param, :object, :message, :extack]

  @type t :: %__MODULE__{
          errno: atom(),
          code: pos_integer(),
          op: String.t(),
          param: String.t() | nil,
          object: String.t() | nil,
          message: String.t(),
          extack: String.t() | nil
        }

  @doc false
  # From the map the NIF returns.
  def from_native(%{} = map) do
    %__MODULE__{
      errno: Map.get(map, :errno, :unknown),
      code: Map.get(map, :code),
      op: Map.get(map, :op, ""),
      param: Map.get(map, :param),
      object: Map.get(map, :object),
      message: Map.get(map, :message, ""),
      extack: Map.get(map, :extack)
    }
  end

  @impl true
  # "op: object: message (errno)", the core's own rendering.
  def message(%__MODULE__{} = e) do
    [e.op, e.object, e.message]
    |> Enum.reject(&(&1 in [nil, ""]))
    |> Enum.join(": ")
    |> Kernel.<>(" (#{e.errno})")
  end
end
