defmodule Linx.Netlink.Rtnl.Route do
  @moduledoc """
  Routes, IPv4 and IPv6: list and look them up, add, replace and delete
  them.

      {:ok, sock} = Linx.Netlink.Rtnl.open()
      :ok = Route.add_default(sock, "10.0.0.1")
      :ok = Route.add(sock, "192.168.9.0", 24, "10.0.0.254")
      :ok = Route.replace(sock, "192.168.9.0", 24, "10.0.0.253")
      :ok = Route.add(sock, "10.50.0.0", 24, "10.0.0.1", table: 100, protocol: :static)
      {:ok, route} = Route.get(sock, "192.168.9.7")
      #=> {:ok, #Linx.Netlink.Rtnl.Route<192.168.9.7/32 via 10.0.0.253 oif=2>}

  Destinations and gateways are strings or `Linx.IP`s and must be of one
  family, which is the route's.

  ## Options

  `add/5`, `replace/5`, `delete/5` and the `*_default` forms take:

    * `:table` - the routing table, 1..2^32-1 (default 254, `main`);
    * `:protocol` - the route's origin tag, 0..255 or `:kernel`, `:boot`
      (the default on add), `:static`, `:ra`, `:dhcp`;
    * `:metric` - the route's metric (`RTA_PRIORITY`), a u32.

  `add/5` refuses an existing route (`:eexist`); `replace/5` creates or
  rewrites it.  On delete, options left out match any value: without
  `:protocol` a route is deleted whichever protocol installed it.

  ## The struct

    * `:dst` - the destination as a `Linx.IP` (nil for a default route),
      `:dst_len` its prefix length; `:src_len`;
    * `:gateway` - a `Linx.IP` or nil; `:oif` - the output interface index;
    * `:family` - `:inet`/`:inet6`; `:type` - `:unicast`, `:local`,
      `:broadcast`, `:blackhole`...; `:scope` - `:global`, `:link`,
      `:host`...; `:protocol` - `:kernel`, `:boot`, `:static`... or a number;
    * `:priority` - the metric; `:tos`; `:flags` - atoms (`:onlink`,
      `:linkdown`...);
    * `:table` - the header's table byte (252, `RT_TABLE_COMPAT`, for tables
      above 255) and `:table_ext` the full table number; `target_table/1`
      gives the table.

  Bad arguments are refused before any I/O: `{:bad_socket, s}`,
  `{:bad_address, a}`, `{:bad_prefix, p}`, `{:bad_gateway, g}` (including a
  gateway of another family than the destination), `{:bad_table, t}`,
  `{:bad_protocol, p}`, `{:bad_metric, m}`, `{:bad_option, key}`,
  `{:bad_options, opts}`.
  """

  alias Linx.Netlink.Rtnl.Call
  alias Linx.Netlink.Socket

  defstruct [
    :dst,
    :dst_len,
    :family,
    :gateway,
    :oif,
    :priority,
    :protocol,
    :scope,
    :src_len,
    :table,
    :table_ext,
    :tos,
    :type,
    flags: []
  ]

  @type t() :: %__MODULE__{
          dst: Linx.IP.t() | nil,
          dst_len: 0..128,
          family: :inet | :inet6,
          flags: [atom() | binary()],
          gateway: Linx.IP.t() | nil,
          oif: pos_integer() | nil,
          priority: non_neg_integer() | nil,
          protocol: atom() | 0..255,
          scope: atom() | 0..255,
          src_len: 0..128,
          table: 0..255,
          table_ext: non_neg_integer() | nil,
          tos: non_neg_integer(),
          type: atom() | 0..255
        }

  @typedoc "Options for add/5, replace/5 and delete/5 (see the module doc)."
  @type opts() :: [table: pos_integer(), protocol: 0..255 | atom(), metric: non_neg_integer()]

  @protocols Call.known([
               :unspec,
               :redirect,
               :kernel,
               :boot,
               :static,
               :ra,
               :mrt,
               :zebra,
               :bird,
               :dnrouted,
               :xorp,
               :ntk,
               :dhcp,
               :keepalived,
               :babel,
               :openr,
               :bgp,
               :isis,
               :ospf,
               :rip,
               :eigrp
             ])

  @types Call.known([
           :unspec,
           :unicast,
           :local,
           :broadcast,
           :anycast,
           :multicast,
           :blackhole,
           :unreachable,
           :prohibit,
           :throw,
           :nat,
           :xresolve
         ])

  @flags Call.known([:dead, :pervasive, :onlink, :offload, :linkdown, :unresolved])

  # ---- reading ------------------------------------------------------------------

  @doc "Lists every route in the socket's network namespace, of every table."
  @spec list(Socket.t()) :: {:ok, [t()]} | {:error, term()}
  def list(sock) do
    with :ok <- Call.socket(sock),
         {:ok, maps} <- Call.call(sock, "route.list", %{}) do
      {:ok, Enum.map(maps, &from_map/1)}
    end
  end

  @doc """
  Looks up the route the kernel would use to reach `destination` (as
  `ip route get`).  An unroutable destination gives
  `{:error, %Linx.Netlink.Error{errno: :enetunreach}}`.
  """
  @spec get(Socket.t(), binary() | Linx.IP.t()) :: {:ok, t()} | {:error, term()}
  def get(sock, destination) do
    with :ok <- Call.socket(sock),
         {:ok, ip} <- Call.ip(destination),
         {:ok, map} <- Call.call(sock, "route.get", %{"dst" => Linx.IP.to_string(ip)}) do
      {:ok, from_map(map)}
    end
  end

  @doc """
  The route's table number: `:table_ext` (the `RTA_TABLE` attribute) when
  present, else the header's `:table`.
  """
  @spec target_table(t()) :: non_neg_integer()
  def target_table(%__MODULE__{table_ext: ext}) when is_integer(ext), do: ext
  def target_table(%__MODULE__{table: table}), do: table

  @doc false
  def from_map(m) do
    {dst, _} = Call.to_prefix(m["dst"])
    {_, src_len} = Call.to_prefix(m["src"])
    table = m["table_id"]

    %__MODULE__{
      dst: dst,
      dst_len: m["dst_len"],
      src_len: src_len || 0,
      family: Call.to_family(m["family"]),
      gateway: Call.to_ip(m["gateway"]),
      oif: m["oif"],
      priority: m["metric"],
      protocol: Call.name_or_int(m["protocol"], @protocols),
      scope: Call.name_or_int(m["scope"], Call.scope_known()),
      table: if(is_integer(table) and table > 255, do: 252, else: table),
      table_ext: table,
      tos: m["tos"] || 0,
      type: Call.name_or_int(m["type"], @types),
      flags: Call.names(m["flags"], @flags)
    }
  end

  # ---- changing -------------------------------------------------------------------

  @doc """
  Adds a route to `destination`/`prefix` via `gateway`; `:eexist` if a
  matching route exists.  See the module doc for `opts`.
  """
  @spec add(Socket.t(), binary() | Linx.IP.t(), non_neg_integer(), binary() | Linx.IP.t(), opts()) ::
          :ok | {:error, term()}
  def add(sock, destination, prefix, gateway, opts \\ []),
    do: change(sock, "route.add", {destination, prefix}, gateway, opts)

  @doc """
  Creates or replaces: installs the route if absent, rewrites it in place
  (a new gateway, say) if present.  Same arguments as `add/5`.
  """
  @spec replace(
          Socket.t(),
          binary() | Linx.IP.t(),
          non_neg_integer(),
          binary() | Linx.IP.t(),
          opts()
        ) :: :ok | {:error, term()}
  def replace(sock, destination, prefix, gateway, opts \\ []),
    do: change(sock, "route.replace", {destination, prefix}, gateway, opts)

  @doc """
  Deletes the route to `destination`/`prefix` via `gateway`.  Options
  narrow the match; left out, they match anything.
  """
  @spec delete(
          Socket.t(),
          binary() | Linx.IP.t(),
          non_neg_integer(),
          binary() | Linx.IP.t(),
          opts()
        ) :: :ok | {:error, term()}
  def delete(sock, destination, prefix, gateway, opts \\ []),
    do: change(sock, "route.delete", {destination, prefix}, gateway, opts)

  @doc "Adds the default route (`0.0.0.0/0` or `::/0`, by the gateway's family) via `gateway`."
  @spec add_default(Socket.t(), binary() | Linx.IP.t(), opts()) :: :ok | {:error, term()}
  def add_default(sock, gateway, opts \\ []),
    do: change(sock, "route.add_default", :default, gateway, opts)

  @doc "Deletes the default route via `gateway`."
  @spec delete_default(Socket.t(), binary() | Linx.IP.t(), opts()) :: :ok | {:error, term()}
  def delete_default(sock, gateway, opts \\ []),
    do: change(sock, "route.delete_default", :default, gateway, opts)

  defp change(sock, verb, dst, gateway, opts) do
    with :ok <- Call.socket(sock),
         {:ok, opts} <- Call.options(opts, [:table, :protocol, :metric]),
         {:ok, args} <- dst_args(dst),
         {:ok, gw} <- gateway(gateway, args),
         {:ok, args} <- opt_args(opts, Map.put(args, "gateway", Linx.IP.to_string(gw))) do
      Call.mutate(sock, verb, Map.delete(args, :family))
    end
  end

  defp dst_args(:default), do: {:ok, %{}}

  defp dst_args({destination, prefix}) do
    with {:ok, ip} <- Call.ip(destination),
         {:ok, prefix} <- Call.prefix(ip, prefix) do
      {:ok, %{"dst" => Linx.IP.to_string(ip), "prefix" => prefix, family: ip.family}}
    end
  end

  defp gateway(gateway, args) do
    case Call.ip(gateway) do
      {:ok, %Linx.IP{family: family} = gw} ->
        if Map.get(args, :family, family) == family,
          do: {:ok, gw},
          else: {:error, {:bad_gateway, gateway}}

      {:error, _} ->
        {:error, {:bad_gateway, gateway}}
    end
  end

  defp opt_args([], args), do: {:ok, args}

  defp opt_args([{:table, t} | rest], args) do
    if is_integer(t) and t > 0 and t < 0x100000000,
      do: opt_args(rest, Map.put(args, "table", t)),
      else: {:error, {:bad_table, t}}
  end

  defp opt_args([{:metric, m} | rest], args) do
    with {:ok, m} <- Call.uint(m, 32, :bad_metric), do: opt_args(rest, Map.put(args, "metric", m))
  end

  defp opt_args([{:protocol, p} | rest], args) do
    cond do
      is_integer(p) and p in 0..255 ->
        opt_args(rest, Map.put(args, "protocol", p))

      is_atom(p) and p in [:kernel, :boot, :static, :ra, :dhcp, :redirect] ->
        opt_args(rest, Map.put(args, "protocol", Atom.to_string(p)))

      true ->
        {:error, {:bad_protocol, p}}
    end
  end

  defimpl Inspect do
    alias Linx.Netlink.Rtnl.Route

    def inspect(%Route{family: family} = r, opts) when family in [:inet, :inet6] do
      dst =
        case r do
          %Route{dst: nil, dst_len: 0} -> "default"
          %Route{dst: %Linx.IP{} = ip, dst_len: len} -> "#{ip}/#{len}"
          _ -> nil
        end

      if dst do
        via = if r.gateway, do: " via #{r.gateway}", else: ""
        oif = if r.oif, do: " oif=#{r.oif}", else: ""
        "#Linx.Netlink.Rtnl.Route<#{dst}#{via}#{oif}>"
      else
        Inspect.Any.inspect(r, opts)
      end
    end

    def inspect(r, opts), do: Inspect.Any.inspect(r, opts)
  end
end
