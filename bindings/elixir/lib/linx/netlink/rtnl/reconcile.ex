defmodule Linx.Netlink.Rtnl.Reconcile do
  @moduledoc """
  Declarative addresses and routes for one network namespace, one pass at
  a time: read what the kernel has, work out the smallest set of changes
  towards the state you describe, make them in a safe order, and report.

  A pass keeps nothing and starts no process.  When to run it, where to
  keep its ownership record and who supervises it are the caller's
  choices; `Linx.Reconcile` with `Linx.Netlink.Rtnl.Reconcile.Source` is
  the opt-in loop that does it for you.  The engine is the C `rtnl`
  plugin's `rtnl.reconcile` verb (the same code as
  `linx reconcile rtnl`): this module only converts the Elixir shapes to
  the verb's and its report back into `Linx.Netlink.Rtnl.Diff` ops.

  ## What it manages

  Addresses and routes on interfaces that already exist.  Interfaces are
  looked up (by name, in a fresh link list on every pass, since indices
  change when a link is recreated) but never created, deleted or
  configured: their kind, MTU and admin state belong to whoever owns
  their lifetime.

  ## Desired state

      %{
        addresses: [
          {"eth0", "10.0.0.2", 24},
          {"eth0", "fc00::1", 64}
        ],
        routes: [
          {"10.50.0.0", 24, "10.0.0.1"},
          {"10.60.0.0", 24, "10.0.0.1", table: 100, metric: 50},
          {:default, "10.0.0.1"}
        ]
      }

  An address is `{interface, ip, prefixlen}`.  A route is
  `{dst, prefixlen, gateway}` or `{:default, gateway}`, each optionally
  followed by a keyword list with `:table` (default 254, main) and
  `:metric` (default: the kernel's, 0 for IPv4 and 1024 for IPv6).
  Addresses and gateways are strings or `Linx.IP` structs.  Every route
  is installed with this pass's ownership tag; a `:protocol` in a route's
  options is overridden by it.  Both keys are optional; a missing one is
  an empty list.

  ## Who owns what

  Routes carry their owner in the kernel (`rtm_protocol`).  A pass tags
  every route it installs with `:protocol` (76 unless told otherwise,
  see `default_protocol/0`) and only ever compares, replaces or deletes
  routes carrying that tag: connected routes, DHCP routes and routes
  added by hand are not seen at all.

  Addresses carry no owner, so ownership is the `last_applied` map the
  report hands back, `%{addresses: MapSet}` of
  `Linx.Netlink.Rtnl.Diff.address_key/1` tuples.  Give it to the next
  pass: an address whose key is in it and that left the desired state is
  deleted; an address nobody asked for is never touched.  Every desired
  address present after a pass is owned from then on, including one that
  was already there; an owned address a pass meant to delete but did not
  reach stays owned, so the next pass tries again.  Only global-scope
  addresses are compared: the kernel's IPv6 link-locals never are.

  ## Order and failures

  Address creates come first (a gateway has to be reachable), then route
  creates and in-place updates (a changed gateway is an `:update`,
  applied with a replace), then route deletes, then address deletes.  The
  first failure ends the pass: it is in `report.failed`, what was not
  reached is in `report.pending`, and nothing is rolled back; the next
  pass starts from what the kernel has and finishes the job.

  ## Example

      {:ok, sock} = Linx.Netlink.Rtnl.open({:pid, container_pid})

      desired = %{
        addresses: [{"eth0", "10.0.0.2", 24}],
        routes: [{:default, "10.0.0.1"}]
      }

      {:ok, r} = Linx.Netlink.Rtnl.Reconcile.reconcile(sock, desired)
      r.converged?
      #=> true
      {:ok, r2} = Linx.Netlink.Rtnl.Reconcile.reconcile(sock, desired, r.last_applied)
      r2.applied
      #=> []

  ## Errors

  A kernel refusal of one op is not an error of the pass: it is in the
  report.  A desired state that cannot be applied is refused before
  anything is written, as `{:error, {:normalize, reason}}`:

    * `{:unknown_interface, name}` - no such interface in the namespace
      (or the name cannot be an interface name);
    * `{:bad_address, entry}` - an address entry that is not
      `{interface, ip, prefixlen}`, an address that does not parse, or a
      prefix length out of range for its family;
    * `{:bad_route, entry}` - a route entry of another shape, an unknown
      or invalid option, a destination with bits set past its prefix;
    * `{:family_mismatch, entry}` - a gateway of another family than the
      destination;
    * `{:duplicate, entry}` - an entry with the same identity as an
      earlier one (for a route: table, destination and metric);
    * `{:bad_desired, term}` - not a map of `:addresses` and `:routes`
      lists.

  Arguments that are not desired state are refused in the binding's
  usual style: `{:bad_socket, s}`, `{:bad_protocol, p}`,
  `{:bad_option, key}`, `{:bad_options, opts}`,
  `{:bad_last_applied, term}`.  When the kernel cannot be read the pass
  returns `{:error, %Linx.Netlink.Error{}}`.
  """

  alias Linx.Netlink.Rtnl.{Address, Call, Route}
  alias Linx.Netlink.Rtnl.Reconcile.Report
  alias Linx.Netlink.{Error, Socket}

  @typedoc "An address: `{interface_name, ip, prefixlen}`."
  @type address_spec() :: {String.t(), binary() | Linx.IP.t(), non_neg_integer()}

  @typedoc "A route (see the module doc): with a destination and prefix, or `:default`."
  @type route_spec() ::
          {binary() | Linx.IP.t(), non_neg_integer(), binary() | Linx.IP.t()}
          | {binary() | Linx.IP.t(), non_neg_integer(), binary() | Linx.IP.t(), keyword()}
          | {:default, binary() | Linx.IP.t()}
          | {:default, binary() | Linx.IP.t(), keyword()}

  @typedoc "The state to converge on, by interface name."
  @type desired() :: %{
          optional(:addresses) => [address_spec()],
          optional(:routes) => [route_spec()]
        }

  @typedoc "The addresses a previous pass stands behind, as `Diff.address_key/1` tuples."
  @type last_applied() :: %{optional(:addresses) => MapSet.t()}

  @default_protocol 76

  # The route protocol names the plugin accepts, as Route takes them.
  @protocol_atoms [:kernel, :boot, :static, :ra, :dhcp, :redirect]

  # rtm_protocol numbers with a name (rtnetlink.h), as Route.list shows them.
  @protocol_names %{
    0 => :unspec,
    1 => :redirect,
    2 => :kernel,
    3 => :boot,
    4 => :static,
    9 => :ra,
    10 => :mrt,
    11 => :zebra,
    12 => :bird,
    13 => :dnrouted,
    14 => :xorp,
    15 => :ntk,
    16 => :dhcp,
    18 => :keepalived,
    42 => :babel,
    99 => :openr,
    186 => :bgp,
    187 => :isis,
    188 => :ospf,
    189 => :rip,
    192 => :eigrp
  }

  @doc "The ownership tag routes get unless `:protocol` says otherwise: 76, ASCII `L`."
  @spec default_protocol() :: pos_integer()
  def default_protocol, do: @default_protocol

  @doc """
  Runs one pass in `socket`'s network namespace and returns
  `{:ok, %Linx.Netlink.Rtnl.Reconcile.Report{}}`; hand its
  `:last_applied` to the next pass.

  Option: `:protocol`, the routes' ownership tag, 1..255 or one of
  `:kernel`, `:boot`, `:static`, `:ra`, `:dhcp`, `:redirect` (default
  `default_protocol/0`).  Errors are listed in the module doc.
  """
  @spec reconcile(Socket.t(), desired(), last_applied(), keyword()) ::
          {:ok, Report.t()} | {:error, term()}
  def reconcile(socket, desired, last_applied \\ %{}, opts \\ []) do
    with :ok <- Call.socket(socket),
         {:ok, opts} <- Call.options(opts, [:protocol]),
         {:ok, protocol} <- protocol(Keyword.get(opts, :protocol, @default_protocol)),
         {:ok, lists} <- desired_lists(desired),
         {:ok, args} <- desired_args(lists),
         {:ok, owned} <- last_applied_args(last_applied) do
      args = %{"desired" => args, "last_applied" => owned, "protocol" => protocol}

      case Linx.Native.call("rtnl.reconcile", Map.put(args, "sock", socket.socket)) do
        {:ok, report} -> {:ok, report_in(report)}
        {:error, native} -> {:error, refusal(native, lists)}
      end
    end
  end

  # ---- arguments ------------------------------------------------------------------

  defp protocol(p) when is_integer(p) and p in 1..255, do: {:ok, p}
  defp protocol(p) when p in @protocol_atoms, do: {:ok, Atom.to_string(p)}
  defp protocol(p), do: {:error, {:bad_protocol, p}}

  defp desired_lists(%{} = d) do
    case Map.keys(d) -- [:addresses, :routes] do
      [] ->
        addresses = Map.get(d, :addresses, [])
        routes = Map.get(d, :routes, [])

        if proper_list?(addresses) and proper_list?(routes),
          do: {:ok, %{addresses: addresses, routes: routes}},
          else: normalize({:bad_desired, d})

      _ ->
        normalize({:bad_desired, d})
    end
  end

  defp desired_lists(d), do: normalize({:bad_desired, d})

  defp proper_list?([]), do: true
  defp proper_list?([_ | t]), do: proper_list?(t)
  defp proper_list?(_), do: false

  defp normalize(reason), do: {:error, {:normalize, reason}}

  # The verb's short forms: [dev, address, prefixlen] and
  # [dst, prefixlen, gateway, options] / ["default", gateway, options].
  defp desired_args(%{addresses: addresses, routes: routes}) do
    with {:ok, a} <- each(addresses, &address_arg/1),
         {:ok, r} <- each(routes, &route_arg/1) do
      {:ok, %{"addresses" => a, "routes" => r}}
    end
  end

  defp each(list, fun) do
    Enum.reduce_while(list, {:ok, []}, fn entry, {:ok, acc} ->
      case fun.(entry) do
        {:ok, arg} -> {:cont, {:ok, [arg | acc]}}
        {:error, reason} -> {:halt, normalize(reason)}
      end
    end)
    |> case do
      {:ok, acc} -> {:ok, Enum.reverse(acc)}
      error -> error
    end
  end

  defp address_arg({ifname, ip, prefixlen} = entry) do
    with {:name, {:ok, name}} <- {:name, Call.ifname(ifname)},
         {:ok, ip} <- Call.ip(ip),
         {:ok, len} <- Call.prefix(ip, prefixlen) do
      {:ok, [name, Linx.IP.to_string(ip), len]}
    else
      {:name, _} -> {:error, {:unknown_interface, ifname}}
      {:error, _} -> {:error, {:bad_address, entry}}
    end
  end

  defp address_arg(entry), do: {:error, {:bad_address, entry}}

  defp route_arg(entry) do
    case route_parts(entry) do
      {:ok, parts} -> route_arg(parts, entry)
      :error -> {:error, {:bad_route, entry}}
    end
  end

  defp route_parts({:default, gw}), do: {:ok, {:default, nil, gw, []}}
  defp route_parts({:default, gw, opts}), do: {:ok, {:default, nil, gw, opts}}
  defp route_parts({dst, len, gw}), do: {:ok, {dst, len, gw, []}}
  defp route_parts({dst, len, gw, opts}) when dst != :default, do: {:ok, {dst, len, gw, opts}}
  defp route_parts(_), do: :error

  defp route_arg({:default, nil, gateway, opts}, entry) do
    with {:ok, gw} <- Call.ip(gateway),
         {:ok, opts} <- route_opts(opts) do
      {:ok, ["default", Linx.IP.to_string(gw), opts]}
    else
      _ -> {:error, {:bad_route, entry}}
    end
  end

  defp route_arg({dst, len, gateway, opts}, entry) do
    with {:ok, dst} <- Call.ip(dst),
         {:ok, len} <- Call.prefix(dst, len),
         {:ok, gw} <- Call.ip(gateway),
         {:ok, opts} <- route_opts(opts) do
      if gw.family == dst.family,
        do: {:ok, [Linx.IP.to_string(dst), len, Linx.IP.to_string(gw), opts]},
        else: {:error, {:family_mismatch, entry}}
    else
      _ -> {:error, {:bad_route, entry}}
    end
  end

  # :table and :metric go to the verb; :protocol is this pass's, whatever
  # the entry says.
  defp route_opts(opts) do
    with {:ok, opts} <- Call.options(opts, [:table, :metric, :protocol]) do
      Enum.reduce_while(opts, {:ok, %{}}, fn
        {:protocol, _}, acc ->
          {:cont, acc}

        {:table, t}, {:ok, m} when is_integer(t) and t > 0 and t < 0x100000000 ->
          {:cont, {:ok, Map.put(m, "table", t)}}

        {:metric, n}, {:ok, m} when is_integer(n) and n >= 0 and n < 0x100000000 ->
          {:cont, {:ok, Map.put(m, "metric", n)}}

        _, _ ->
          {:halt, :error}
      end)
    end
  end

  # %{addresses: MapSet of {index, family, ip, prefixlen}} -> the verb's
  # key texts ("ifindex 3 inet 10.0.0.2/24").
  defp last_applied_args(%{} = la) do
    with [] <- Map.keys(la) -- [:addresses],
         {:ok, keys} <- owned_keys(Map.get(la, :addresses, MapSet.new())) do
      {:ok, %{"addresses" => keys}}
    else
      _ -> {:error, {:bad_last_applied, la}}
    end
  end

  defp last_applied_args(la), do: {:error, {:bad_last_applied, la}}

  defp owned_keys(%MapSet{} = set) do
    Enum.reduce_while(set, {:ok, []}, fn key, {:ok, acc} ->
      case key_text(key) do
        {:ok, text} -> {:cont, {:ok, [text | acc]}}
        :error -> {:halt, :error}
      end
    end)
  end

  defp owned_keys(_), do: :error

  defp key_text({index, family, %Linx.IP{family: family} = ip, len})
       when is_integer(index) and index > 0 and family in [:inet, :inet6] and is_integer(len) do
    if Linx.IP.valid?(ip) and len in 0..bit_size(ip.bytes),
      do: {:ok, "ifindex #{index} #{family} #{Linx.IP.to_string(ip)}/#{len}"},
      else: :error
  end

  defp key_text(_), do: :error

  # ---- the verb's refusals ----------------------------------------------------------

  defp refusal(%{param: "desired", op: "bad_interface", object: name}, _lists),
    do: {:normalize, {:unknown_interface, name}}

  defp refusal(%{param: "desired", op: op, message: msg}, lists) when is_binary(msg) do
    case Regex.run(~r/^desired\.(addresses|routes)\[(\d+)\]( and \[(\d+)\])?/, msg) do
      [_, list, _, _, second] ->
        {:normalize, {:duplicate, entry(lists, list, second)}}

      [_, list, i] ->
        {:normalize, {entry_reason(op, list), entry(lists, list, i)}}

      nil ->
        {:normalize, {:bad_desired, msg}}
    end
  end

  defp refusal(native, _lists) do
    message = if native[:message] in [nil, ""], do: native[:extack], else: native[:message]
    %Error{code: native.code, errno: native.errno, message: message}
  end

  defp entry_reason("bad_family", _), do: :family_mismatch
  defp entry_reason(_, "routes"), do: :bad_route
  defp entry_reason(_, "addresses"), do: :bad_address

  defp entry(lists, "addresses", i), do: Enum.at(lists.addresses, String.to_integer(i))
  defp entry(lists, "routes", i), do: Enum.at(lists.routes, String.to_integer(i))

  # ---- the report ---------------------------------------------------------------------

  defp report_in(r) do
    la = r["last_applied"] || %{}

    %Report{
      converged?: r["converged"] == true,
      applied: Enum.map(r["applied"] || [], &op_in/1),
      failed: Enum.map(r["failed"] || [], fn f -> {op_in(f["op"]), error_in(f["error"])} end),
      pending: Enum.map(r["pending"] || [], &op_in/1),
      last_applied: %{addresses: MapSet.new(la["addresses"] || [], &key_in/1)}
    }
  end

  @ops %{"create" => :create, "update" => :update, "delete" => :delete}

  defp op_in(%{"op" => op, "kind" => "address", "value" => v}) do
    {Map.fetch!(@ops, op),
     %Address{
       index: v["ifindex"],
       family: Call.to_family(v["family"]),
       address: Call.to_ip(v["address"]),
       prefixlen: v["prefixlen"],
       scope: :global,
       flags: []
     }}
  end

  defp op_in(%{"op" => op, "kind" => "route", "value" => v}) do
    {dst, dst_len} = Call.to_prefix(v["dst"])
    table = v["table"]

    {Map.fetch!(@ops, op),
     %Route{
       dst: dst,
       dst_len: dst_len,
       src_len: 0,
       family: Call.to_family(v["family"]),
       gateway: Call.to_ip(v["gateway"]),
       oif: v["oif"],
       priority: v["metric"],
       protocol: Map.get(@protocol_names, v["protocol"], v["protocol"]),
       scope: :global,
       table: if(is_integer(table) and table > 255, do: 252, else: table),
       table_ext: table,
       tos: 0,
       type: :unicast,
       flags: []
     }}
  end

  # "ifindex 3 inet 10.0.0.2/24" -> {3, :inet, ~IP"10.0.0.2", 24}
  defp key_in(text) do
    ["ifindex", index, family, prefix] = String.split(text, " ")
    {ip, len} = Call.to_prefix(prefix)
    {String.to_integer(index), Call.to_family(family), ip, len}
  end

  defp error_in(%{"code" => code} = e) when is_integer(code) and code > 0,
    do: Error.from_errno(code, e["message"])

  defp error_in(e), do: e
end
