defmodule Linx.Netlink.Rtnl.Stats do
  @moduledoc """
  Per-interface counters (`RTM_GETSTATS`, `IFLA_STATS_LINK_64`).

      {:ok, stats} = Stats.get(sock, "eth0")
      #=> {:ok, #Linx.Netlink.Rtnl.Stats<ifindex=2 rx=128431p/189204771B tx=85912p/12504331B>}
      stats.link.rx_packets
      #=> 128431

  `get/2` reads one interface's, `list/1` every interface's; both only
  read (no `CAP_NET_ADMIN` needed).  The counters are a
  `Linx.Netlink.Rtnl.Stats.Link64` in `:link`.  `:family` is always
  `:unspec`; `:filter_mask` is the request's mask as the kernel echoes it.
  """

  alias Linx.Netlink.Rtnl.{Call, Stats.Link64}
  alias Linx.Netlink.Socket

  defstruct [:ifindex, :filter_mask, :link, family: :unspec]

  @type t() :: %__MODULE__{
          family: :unspec,
          filter_mask: non_neg_integer(),
          ifindex: pos_integer(),
          link: Link64.t() | nil
        }

  @doc """
  The counters of the link named `name`;
  `{:error, %Linx.Netlink.Error{errno: :enodev}}` if there is none.
  """
  @spec get(Socket.t(), binary()) :: {:ok, t()} | {:error, term()}
  def get(sock, name) do
    with :ok <- Call.socket(sock),
         {:ok, name} <- Call.ifname(name),
         {:ok, map} <- Call.call(sock, "stats.get", %{"dev" => name}) do
      {:ok, from_map(map)}
    end
  end

  @doc "The counters of every link in the socket's namespace."
  @spec list(Socket.t()) :: {:ok, [t()]} | {:error, term()}
  def list(sock) do
    with :ok <- Call.socket(sock),
         {:ok, maps} <- Call.call(sock, "stats.list", %{}) do
      {:ok, Enum.map(maps, &from_map/1)}
    end
  end

  @doc false
  def from_map(m) do
    %__MODULE__{
      ifindex: m["ifindex"],
      filter_mask: m["filter_mask"],
      link: Link64.from_map(m["stats64"])
    }
  end

  defimpl Inspect do
    def inspect(%Linx.Netlink.Rtnl.Stats{link: %Linx.Netlink.Rtnl.Stats.Link64{} = l} = s, _) do
      "#Linx.Netlink.Rtnl.Stats<ifindex=#{s.ifindex} " <>
        "rx=#{l.rx_packets}p/#{l.rx_bytes}B tx=#{l.tx_packets}p/#{l.tx_bytes}B>"
    end

    def inspect(s, opts), do: Inspect.Any.inspect(s, opts)
  end
end
