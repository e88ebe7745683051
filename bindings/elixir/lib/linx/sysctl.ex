defmodule Linx.Sysctl do
  @moduledoc """
  Kernel tunables: the `/proc/sys` files that sysctl(8) reads and writes.

  A sysctl is named by its dot-form key, the path under `/proc/sys` with
  dots for slashes: `net.ipv4.ip_forward` is
  `/proc/sys/net/ipv4/ip_forward`.  `read/2` returns a knob's text (without
  the kernel's trailing newline), `read_int/2` and `read_ints/2` parse it,
  `write/3` takes an integer, a string or a list of integers (written
  space-separated, for knobs such as `kernel.printk`), and `list/0,1,2`
  walks a subtree.  Linx offers these primitives only; reading
  `/etc/sysctl.d` and deciding what to apply is the caller's business.

      iex> Linx.Sysctl.read("kernel.ostype")
      {:ok, "Linux"}

  ## Namespaces and the `:in` option

  The kernel answers a sysctl access in the namespaces of the task making
  it: `net.*` belongs to the network namespace, `kernel.hostname` and
  `kernel.domainname` to the UTS namespace, the `kernel.shm*`, `kernel.msg*`,
  `kernel.sem` and `fs.mqueue.*` limits to the IPC namespace; most of the
  rest (`vm.*`, `kernel.printk`...) is global.  Going through
  `/proc/<pid>/root/proc/sys` does not change that, so every function takes
  an `:in` option naming whose namespaces to use:

    * `:self` (the default) - the BEAM's own;
    * `{:pid, n}` - those of process `n` (its user, mount, UTS, IPC and
      network namespaces, skipping any the BEAM already shares);
    * `{:path, p}` - one namespace file, such as `/run/netns/blue` or
      `/proc/<n>/ns/net`.

  With `{:pid, n}` or `{:path, p}` the access runs on a short-lived thread
  that joins the target's namespaces (or, when a user namespace must be
  entered, in a short-lived helper process); the BEAM's own threads never
  change namespace.  This works equally for a child parked at the
  `Linx.Process` checkpoint and for a running container.

  ## Errors

    * `{:error, {:bad_key, key}}` - not a dot-form key (segments of
      `A-Z a-z 0-9 _ -` separated by single dots), checked before any I/O;
    * `{:error, {:bad_value, reason}}` - a value `write/3` cannot send
      (`{:contains, :newline}`, `{:contains, :nul}`,
      `{:not_all_integers, list}`), or text `read_int/2` and `read_ints/2`
      cannot parse (`{:not_an_integer, text}`, `{:not_all_integers, text}`);
    * `{:error, {:bad_in, value}}` - a malformed `:in` option;
    * `{:error, %Linx.Sysctl.Error{}}` - the kernel refused, or the target's
      namespaces could not be entered.

  Everything here goes through the `sysctl` plugin of the Linx core.
  """

  alias Linx.Sysctl.{Entry, Error}

  @typedoc "Whose namespaces an access uses (see the module doc)."
  @type in_target() :: :self | {:pid, pos_integer()} | {:path, String.t()}

  @typedoc ~S(A dot-form key: "net.ipv4.ip_forward", "kernel.hostname".)
  @type key() :: String.t()

  @typedoc "Options of every function: `:in` (default `:self`)."
  @type opts() :: [{:in, in_target()}]

  @typedoc "What `write/3` accepts."
  @type value() :: integer() | binary() | [integer()]

  @typep bad() :: {:bad_key, term()} | {:bad_in, term()} | {:bad_value, term()}

  @doc """
  Whether this kernel exposes `/proc/sys` (`/proc/sys/kernel/ostype`
  exists): true wherever procfs is mounted.
  """
  @spec supported?() :: boolean()
  def supported? do
    Linx.Native.call("sysctl.supported", nil) == {:ok, true}
  end

  @doc """
  Reads a sysctl as text, without the trailing newline.

      Linx.Sysctl.read("net.ipv4.ip_forward")
      #=> {:ok, "0"}

      Linx.Sysctl.read("net.ipv4.ip_forward", in: {:pid, container_pid})
      #=> {:ok, "1"}
  """
  @spec read(key(), opts()) :: {:ok, binary()} | {:error, Error.t() | bad()}
  def read(key, opts \\ []) do
    with {:ok, args} <- args(key, opts) do
      call("sysctl.read", args, key, :read, opts)
    end
  end

  @doc """
  Reads a sysctl holding one integer.

      Linx.Sysctl.read_int("net.ipv4.ip_forward")
      #=> {:ok, 0}

      Linx.Sysctl.read_int("kernel.hostname")
      #=> {:error, {:bad_value, {:not_an_integer, "fry"}}}
  """
  @spec read_int(key(), opts()) :: {:ok, integer()} | {:error, Error.t() | bad()}
  def read_int(key, opts \\ []) do
    with {:ok, args} <- args(key, opts) do
      call("sysctl.read_int", args, key, :read, opts, :not_an_integer)
    end
  end

  @doc """
  Reads a sysctl holding whitespace-separated integers, such as
  `kernel.printk` or `net.ipv4.tcp_rmem`.

      Linx.Sysctl.read_ints("kernel.printk")
      #=> {:ok, [4, 4, 1, 7]}
  """
  @spec read_ints(key(), opts()) :: {:ok, [integer()]} | {:error, Error.t() | bad()}
  def read_ints(key, opts \\ []) do
    with {:ok, args} <- args(key, opts) do
      call("sysctl.read_ints", args, key, :read, opts, :not_all_integers)
    end
  end

  @doc """
  Writes a sysctl.

  `value` is an integer (written in decimal), a binary (written as is; a
  newline or NUL byte is refused, because the kernel stops reading at a
  newline and would silently keep only part of it) or a list of integers
  (written space-separated).  No newline is appended.

      Linx.Sysctl.write("net.ipv4.ip_forward", 1)
      #=> :ok

      Linx.Sysctl.write("kernel.hostname", "ct0", in: {:pid, container_pid})
      #=> :ok
  """
  @spec write(key(), value(), opts()) :: :ok | {:error, Error.t() | bad()}
  def write(key, value, opts \\ []) do
    with {:ok, args} <- args(key, opts),
         {:ok, value} <- check_value(value),
         {:ok, nil} <- call("sysctl.write", Map.put(args, "value", value), key, :write, opts) do
      :ok
    end
  end

  defp check_value(v) when is_integer(v), do: {:ok, v}

  defp check_value(v) when is_binary(v) do
    cond do
      String.contains?(v, "\n") -> {:error, {:bad_value, {:contains, :newline}}}
      String.contains?(v, <<0>>) -> {:error, {:bad_value, {:contains, :nul}}}
      true -> {:ok, v}
    end
  end

  defp check_value(v) when is_list(v) do
    if Enum.all?(v, &is_integer/1),
      do: {:ok, v},
      else: {:error, {:bad_value, {:not_all_integers, v}}}
  rescue
    # an improper list
    _ in ArgumentError -> {:error, {:bad_value, {:not_all_integers, v}}}
  end

  defp check_value(v), do: {:error, {:bad_value, {:unsupported_type, v}}}

  @doc """
  Walks all of `/proc/sys` and returns every readable sysctl as a
  `Linx.Sysctl.Entry`, sorted by key.

  Files that cannot be read (permission denied, write-only knobs) are left
  out: the list is what the caller can see.

      {:ok, all} = Linx.Sysctl.list()
      Enum.find(all, &(&1.key == "kernel.ostype"))
      #=> #Linx.Sysctl.Entry<kernel.ostype = "Linux">
  """
  @spec list() :: {:ok, [Entry.t()]} | {:error, Error.t() | bad()}
  def list, do: list_entries(nil, [])

  @doc """
  `list(prefix)` walks the subtree `prefix` names (`"net.ipv4"`); a prefix
  naming one sysctl gives a one-entry list.  `list(opts)` walks everything
  with options (`in: {:pid, n}`).

      Linx.Sysctl.list("kernel.ostype")
      #=> {:ok, [#Linx.Sysctl.Entry<kernel.ostype = "Linux">]}

  Keys are built from paths, so a file whose own name contains a dot (an
  interface named `eth0.10` under `net.ipv4.conf`) gives a key that does
  not map back to a single path.
  """
  @spec list(key() | opts()) :: {:ok, [Entry.t()]} | {:error, Error.t() | bad()}
  def list(prefix) when is_binary(prefix), do: list_entries(prefix, [])
  def list(opts) when is_list(opts), do: list_entries(nil, opts)
  def list(other), do: {:error, {:bad_key, other}}

  @doc """
  Walks the subtree `prefix` in the namespaces `opts` names.

      Linx.Sysctl.list("kernel.hostname", in: {:pid, container_pid})
      #=> {:ok, [#Linx.Sysctl.Entry<kernel.hostname = "ct0">]}
  """
  @spec list(key(), opts()) :: {:ok, [Entry.t()]} | {:error, Error.t() | bad()}
  def list(prefix, opts) when is_binary(prefix), do: list_entries(prefix, opts)
  def list(prefix, _opts), do: {:error, {:bad_key, prefix}}

  defp list_entries(prefix, opts) do
    with {:ok, target} <- target(opts) do
      args = if prefix, do: Map.put(target, "prefix", prefix), else: target

      case call("sysctl.list", args, prefix || "", :list, opts) do
        {:ok, rows} when is_list(rows) ->
          entries =
            for %{"key" => key, "value" => value} <- rows,
                do: %Entry{key: key, value: value}

          {:ok, Enum.sort_by(entries, & &1.key)}

        {:error, _} = error ->
          error
      end
    end
  end

  # ---- plumbing -------------------------------------------------------------

  defp args(key, _opts) when not is_binary(key), do: {:error, {:bad_key, key}}

  defp args(key, opts) do
    with {:ok, target} <- target(opts), do: {:ok, Map.put(target, "key", key)}
  end

  # For Linx.Sysctl.Reconcile: the :in option in the plugin's terms, and a
  # refusal of the plugin as this module's error.
  @doc false
  def __in__(opts), do: target(opts)

  @doc false
  def __error__(native, key, op), do: kernel_error(native, key, op)

  # The :in option in the plugin's terms ("in": nil | {"pid": n} | {"path": p}).
  defp target(opts) when is_list(opts) do
    case List.keyfind(opts, :in, 0) do
      nil -> {:ok, %{}}
      {:in, :self} -> {:ok, %{}}
      {:in, {:pid, pid}} when is_integer(pid) and pid > 0 -> {:ok, %{"in" => %{"pid" => pid}}}
      {:in, {:path, path}} when is_binary(path) -> {:ok, %{"in" => %{"path" => path}}}
      {:in, other} -> {:error, {:bad_in, other}}
    end
  end

  defp target(opts), do: {:error, {:bad_in, opts}}

  defp call(verb, args, key, op, opts, parse_reason \\ nil) do
    case Linx.Native.call(verb, args) do
      {:ok, _} = ok -> ok
      {:error, native} -> {:error, error(native, args, key, op, opts, parse_reason)}
    end
  end

  # Arguments the plugin or the NIF refused name the parameter at fault.
  defp error(%{op: op, param: param} = native, args, key, default_op, opts, _reason)
       when op in ["validate", "convert"] do
    case param do
      "value" -> {:bad_value, Map.get(args, "value")}
      "in" -> {:bad_in, Keyword.get(opts, :in)}
      p when p in ["key", "prefix", nil] -> {:bad_key, key}
      _ -> kernel_error(native, key, default_op)
    end
  end

  # read_int / read_ints: the text is not what was asked for.  The reason
  # carries the text, which the plugin's error does not: read it again.
  defp error(%{op: "parse"} = native, args, key, default_op, _opts, reason)
       when reason != nil do
    case Linx.Native.call("sysctl.read", Map.take(args, ["key", "in"])) do
      {:ok, text} -> {:bad_value, {reason, text}}
      {:error, _} -> kernel_error(native, key, default_op)
    end
  end

  defp error(native, _args, key, default_op, _opts, _reason),
    do: kernel_error(native, key, default_op)

  defp kernel_error(%{op: op} = native, key, default_op) do
    if op in ["find", "load", "call"] do
      # The sysctl plugin is missing or was refused: a broken installation,
      # not an answer from the kernel.
      raise Linx.Error.from_native(native)
    end

    # An errno outside the table still has its number (errno: :unknown).
    %Error{
      key: key,
      path: native.object || path_of(key),
      operation: operation(op, default_op),
      errno: native.errno,
      code: native.code
    }
  end

  defp path_of(key) when is_binary(key), do: "/proc/sys/" <> String.replace(key, ".", "/")
  defp path_of(_), do: "/proc/sys"

  # The core names namespace stages per kind ("setns_net", "open_ns_uts").
  defp operation("read", _), do: :read
  defp operation("write", _), do: :write
  defp operation("list", _), do: :list
  defp operation("unshare", _), do: :unshare
  defp operation("chdir", _), do: :chdir
  defp operation("open_ns" <> _, _), do: :open_ns
  defp operation("setns" <> _, _), do: :setns
  defp operation(op, _) when op in ["thread", "fork", "pipe"], do: :thread
  defp operation(_, default), do: default
end
