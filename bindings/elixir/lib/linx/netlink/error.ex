defmodule Linx.Netlink.Error do
  @moduledoc """
  An error the kernel (or the rtnl plugin on its behalf) returned for a
  netlink request.

  From the wire layer (`Linx.Netlink.Request`, `Linx.Netlink.Nfnl`) it is
  built from the kernel's `NLMSG_ERROR` reply; sockets from
  `Linx.Netlink.Socket.open/2` ask for extended acknowledgements (Linux
  4.12 and later), so `:message` then holds the kernel's own text
  (`NLMSGERR_ATTR_MSG`) when it gave one.

    * `:code` - the positive errno number;
    * `:errno` - its name as an atom (`:enodev`, `:eexist`, `:einval`...);
    * `:message` - the kernel's extended-ACK text when it gave one, else the
      plugin's own sentence (`no such interface "nope0"`), or `nil`.

  There is no operation field: the error comes straight back from the
  function the caller invoked.  The struct is an exception, so it can be
  raised or rendered:

      iex> Exception.message(Linx.Netlink.Error.from_errno(19, ~s(no such interface "nope0")))
      "netlink ENODEV (19): no such interface \\"nope0\\""
  """

  @enforce_keys [:code, :errno]
  defexception [:code, :errno, :message]

  @type t() :: %__MODULE__{
          __exception__: true,
          code: pos_integer(),
          errno: atom(),
          message: binary() | nil
        }

  @doc """
  Builds an error from a positive errno `code` and an optional message
  (the kernel's `NLMSGERR_ATTR_MSG` text).
  """
  @spec from_errno(pos_integer(), binary() | nil) :: t()
  def from_errno(code, message \\ nil) when is_integer(code) and code > 0 do
    %__MODULE__{code: code, errno: Linx.Errno.name(code), message: message}
  end

  @doc false
  # From a failed verb call.  The plugin's message already carries the
  # kernel's extended-ACK text when there was one ("link kind \"dummy\" is
  # not available: Unknown device type").
  def from_linx(%Linx.Error{} = e) do
    message =
      cond do
        e.message not in [nil, ""] -> e.message
        e.extack not in [nil, ""] -> e.extack
        true -> nil
      end

    %__MODULE__{code: e.code, errno: e.errno, message: message}
  end

  @impl true
  def message(%__MODULE__{} = e) do
    name = e.errno |> to_string() |> String.upcase()
    base = "netlink #{name} (#{e.code})"
    if e.message in [nil, ""], do: base, else: base <> ": " <> e.message
  end
end
