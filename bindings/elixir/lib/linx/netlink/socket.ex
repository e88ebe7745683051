defmodule Linx.Netlink.Socket do
  @moduledoc """
  A netlink socket bound to one network namespace.

  In this binding a socket is a handle on a socket the C side opened (for
  rtnetlink, with the `rtnl.open` verb): the namespace is entered on a
  short-lived native thread, never on a BEAM scheduler, and the socket stays
  bound to it for its whole life.  `Linx.Netlink.Rtnl.open/1` makes one;
  `close/1` closes it (it is also closed when the struct is garbage
  collected).  A socket may be shared between processes; their requests are
  serialised.

  The namespace forms (`t:netns/0`):

    * `:host` - the BEAM's own network namespace;
    * `{:pid, pid}` - the network namespace of process `pid`;
    * `{:path, path}` - a namespace file such as `/run/netns/blue` or
      `/proc/PID/ns/net`.
  """

  defstruct [:netns, :protocol, :seq, :socket]

  @type netns() :: :host | {:pid, pos_integer()} | {:path, binary()}

  @type t() :: %__MODULE__{
          netns: netns(),
          protocol: non_neg_integer(),
          seq: nil,
          socket: reference()
        }

  @doc """
  Closes a socket.  Later calls on it fail with `:ebadf`; closing twice is
  harmless.
  """
  @spec close(t()) :: :ok | {:error, term()}
  def close(%__MODULE__{protocol: 0, socket: handle} = sock) do
    case Linx.Native.call("rtnl.close", %{"sock" => handle}) do
      {:ok, _} -> :ok
      {:error, _} -> {:error, {:bad_socket, sock}}
    end
  end

  def close(other), do: {:error, {:bad_socket, other}}

  @doc false
  # The verb argument for a namespace: nil (own), %{"pid"} or %{"path"}.
  def netns_arg(:host), do: {:ok, nil}
  def netns_arg(:self), do: {:ok, nil}
  def netns_arg({:pid, pid}) when is_integer(pid) and pid > 0, do: {:ok, %{"pid" => pid}}

  def netns_arg({:path, path}) when is_binary(path) and path != "" do
    if String.contains?(path, <<0>>), do: :error, else: {:ok, %{"path" => path}}
  end

  def netns_arg(_), do: :error
end
