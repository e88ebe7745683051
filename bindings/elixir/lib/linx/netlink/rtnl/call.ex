defmodule Linx.Netlink.Rtnl.Call do
  @moduledoc false
  # What the Rtnl modules share: checking arguments before any I/O, calling
  # an rtnl verb on a socket, and turning the plugin's result maps (ip -j
  # shaped, binary keys) into the binding's values.

  alias Linx.Netlink.{Error, Socket}

  # ---- calling ----------------------------------------------------------------

  @doc "Calls `verb` on `sock` with `args` (binary keys); kernel errors become Netlink.Error."
  def call(%Socket{protocol: 0, socket: handle}, verb, args) do
    case Linx.Verb.call("rtnl." <> verb, Map.put(args, "sock", handle)) do
      {:ok, _} = ok -> ok
      {:error, e} -> {:error, Error.from_linx(e)}
    end
  end

  @doc "A mutation: `:ok` instead of `{:ok, nil}`."
  def mutate(sock, verb, args) do
    case call(sock, verb, args) do
      {:ok, _} -> :ok
      error -> error
    end
  end

  @doc "Checks that `sock` is an rtnetlink socket."
  def socket(%Socket{protocol: 0, socket: handle}) when is_reference(handle), do: :ok
  def socket(other), do: {:error, {:bad_socket, other}}

  # ---- argument checks ----------------------------------------------------------

  @doc """
  An interface name as the kernel accepts one (dev_valid_name): 1..15
  bytes, not "." or "..", no "/", ":" or whitespace, no NUL.
  """
  def ifname(name) when is_binary(name) and byte_size(name) in 1..15 do
    if name in [".", ".."] or name =~ ~r/[\/:\s\x00]/ or not String.valid?(name),
      do: {:error, {:bad_name, name}},
      else: {:ok, name}
  end

  def ifname(name), do: {:error, {:bad_name, name}}

  @doc "An IP address as the verb's text: a string or a Linx.IP."
  def ip(%Linx.IP{} = ip) do
    if Linx.IP.valid?(ip), do: {:ok, ip}, else: {:error, {:bad_address, ip}}
  end

  def ip(s) when is_binary(s) do
    case Linx.IP.parse(s) do
      {:ok, ip} -> {:ok, ip}
      {:error, _} -> {:error, {:bad_address, s}}
    end
  end

  def ip(other), do: {:error, {:bad_address, other}}

  @doc "A prefix length for `ip`'s family."
  def prefix(%Linx.IP{family: :inet}, p) when is_integer(p) and p in 0..32, do: {:ok, p}
  def prefix(%Linx.IP{family: :inet6}, p) when is_integer(p) and p in 0..128, do: {:ok, p}
  def prefix(_ip, p), do: {:error, {:bad_prefix, p}}

  @doc "A subnet: \"a.b.c.d/len\", a Linx.IP.Subnet, or a bare address/Linx.IP (a host)."
  def subnet(%Linx.IP.Subnet{} = s) do
    if Linx.IP.Subnet.valid?(s), do: {:ok, s}, else: {:error, {:bad_subnet, s}}
  end

  def subnet(%Linx.IP{} = ip) do
    with {:ok, ip} <- ip(ip),
         do: {:ok, %Linx.IP.Subnet{address: ip, prefix: bit_size(ip.bytes)}}
  end

  def subnet(s) when is_binary(s) do
    if String.contains?(s, "/") do
      case Linx.IP.Subnet.parse(s) do
        {:ok, subnet} -> {:ok, subnet}
        {:error, _} -> {:error, {:bad_subnet, s}}
      end
    else
      case ip(s) do
        {:ok, ip} -> subnet(ip)
        {:error, _} -> {:error, {:bad_subnet, s}}
      end
    end
  end

  def subnet(other), do: {:error, {:bad_subnet, other}}

  @doc "A MAC address: a string or a Linx.MAC."
  def mac(%Linx.MAC{bytes: <<_::48>>} = mac), do: {:ok, mac}

  def mac(s) when is_binary(s) do
    case Linx.MAC.parse(s) do
      {:ok, mac} -> {:ok, mac}
      {:error, _} -> {:error, {:bad_mac, s}}
    end
  end

  def mac(other), do: {:error, {:bad_mac, other}}

  @doc "A keyword list of options among `allowed`."
  def options(opts, allowed) when is_list(opts) do
    if Keyword.keyword?(opts) do
      case Enum.find(opts, fn {k, _} -> k not in allowed end) do
        nil -> {:ok, opts}
        {k, _} -> {:error, {:bad_option, k}}
      end
    else
      {:error, {:bad_options, opts}}
    end
  end

  def options(opts, _), do: {:error, {:bad_options, opts}}

  @doc "An unsigned integer option below 2^bits."
  def uint(value, bits, bad) do
    if is_integer(value) and value >= 0 and value < Bitwise.bsl(1, bits),
      do: {:ok, value},
      else: {:error, {bad, value}}
  end

  # ---- results ------------------------------------------------------------------

  @doc "An IP from the plugin's text, or nil."
  def to_ip(nil), do: nil

  def to_ip(s) when is_binary(s) do
    case Linx.IP.parse(s) do
      {:ok, ip} -> ip
      _ -> nil
    end
  end

  @doc "An IP and prefix length from \"a/len\", a bare address or \"default\"."
  def to_prefix(nil), do: {nil, nil}
  def to_prefix("default"), do: {nil, 0}

  def to_prefix(s) do
    case String.split(s, "/") do
      [addr, len] -> {to_ip(addr), String.to_integer(len)}
      [addr] -> {to_ip(addr), nil}
    end
  end

  @doc "A MAC from the plugin's text, or nil (a link-layer address of another length)."
  def to_mac(nil), do: nil

  def to_mac(s) do
    case Linx.MAC.parse(s) do
      {:ok, mac} -> mac
      _ -> nil
    end
  end

  @doc "The family atom."
  def to_family("inet"), do: :inet
  def to_family("inet6"), do: :inet6
  def to_family(other), do: name_or_int(other, %{})

  @doc """
  A name the plugin printed: an atom when it is in `known` (a map of
  string to atom), an integer when it is a decimal number, else the string.
  """
  def name_or_int(nil, _known), do: nil

  def name_or_int(s, known) when is_binary(s) do
    cond do
      Map.has_key?(known, s) -> Map.fetch!(known, s)
      s =~ ~r/\A[0-9]+\z/ -> String.to_integer(s)
      true -> s
    end
  end

  @doc "A list of names as atoms where known (see name_or_int/2)."
  def names(nil, _known), do: []
  def names(list, known), do: Enum.map(list, &name_or_int(&1, known))

  @doc "A map of lower-case names to atoms, for the given atoms."
  def known(atoms), do: Map.new(atoms, &{Atom.to_string(&1), &1})

  @doc "Scope names, as ip prints them (global is RT_SCOPE_UNIVERSE)."
  def scope_known, do: known([:global, :site, :link, :host, :nowhere])
end
