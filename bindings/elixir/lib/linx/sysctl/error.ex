defmodule Linx.Sysctl.Error do
  @moduledoc """
  A sysctl read, write or walk that the kernel (or the namespace entry in
  front of it) refused.

    * `:key` - the dot-form key the caller gave (`"net.ipv4.ip_forward"`);
    * `:path` - the `/proc/sys` file it resolves to;
    * `:operation` - what failed:
      * `:read`, `:write`, `:list` - the procfs I/O itself;
      * `:open_ns`, `:setns`, `:unshare`, `:chdir`, `:thread` - entering
        the target's namespaces, only with a cross-namespace `:in` option
        (`:thread` also covers the helper process the core forks when a
        user namespace must be entered);
    * `:errno` - the errno as an atom (`:enoent`, `:eacces`...), `:unknown`
      for one outside the table;
    * `:code` - the errno number, or `nil` when `:errno` has no number.

  Mistakes the caller can see without asking the kernel - a malformed key,
  a value with a newline - are not errors of this kind but
  `{:error, {:bad_key, _}}`, `{:error, {:bad_value, _}}` and
  `{:error, {:bad_in, _}}`.

  Raise it or render it with `Exception.message/1`:

      iex> err = Linx.Sysctl.Error.from_posix(:eacces, "net.ipv4.ip_forward",
      ...>   "/proc/sys/net/ipv4/ip_forward", :write)
      iex> Exception.message(err)
      "sysctl write \\"net.ipv4.ip_forward\\" failed on /proc/sys/net/ipv4/ip_forward: eacces (errno 13)"
  """

  @enforce_keys [:key, :path, :operation, :errno, :code]
  defexception @enforce_keys

  @type operation() ::
          :read | :write | :list | :open_ns | :unshare | :setns | :chdir | :thread

  @type t() :: %__MODULE__{
          code: pos_integer() | nil,
          errno: atom(),
          key: String.t(),
          operation: operation(),
          path: Path.t()
        }

  @doc """
  Builds an error from an errno atom, the key, the procfs path and the
  operation; `:code` is looked up from the errno table.
  """
  @spec from_posix(atom(), String.t(), Path.t(), operation()) :: t()
  def from_posix(errno, key, path, operation) do
    %__MODULE__{
      key: key,
      path: path,
      operation: operation,
      errno: errno,
      code: Linx.Errno.code(errno)
    }
  end

  @impl true
  def message(%__MODULE__{} = e) do
    code = if e.code, do: " (errno #{e.code})", else: ""
    "sysctl #{e.operation} #{inspect(e.key)} failed on #{e.path}: #{e.errno}#{code}"
  end
end
