defmodule Linx.Native do
  @moduledoc """
  The dispatch NIF: calls any Linx verb by name.

  This is the low-level door every Linx module goes through; applications
  normally use `Linx.Verb` (generic calls with `Linx.Error` structs) or the
  subsystem modules (`Linx.Sysctl`, `Linx.Cgroup`, ...).

  `call/2` takes the verb name as a binary and its arguments as a map whose
  keys are binaries or atoms (or `nil` for no arguments), and returns
  `{:ok, result}` or `{:error, map}` where the map has the fields of the
  core's error: `:errno` (an atom such as `:enoent`, or `:unknown`),
  `:code`, `:op`, `:param`, `:object`, `:message` and `:extack`.

  Values cross as follows: `nil`, booleans, integers (64-bit, signed or
  not), binaries (text if valid UTF-8 without NUL, else raw bytes),
  `{:bytes, binary}` (raw bytes whatever the binary holds: for data that
  could pass for text, such as a one-byte protocol number), lists and maps;
  kernel objects that verbs return (sockets, sessions) arrive as references
  that keep the object open until they are garbage collected.  Anything
  else is refused with an error naming where it sits in the arguments.

  Verbs the plugin marks as blocking run on dirty I/O schedulers; the rest
  run directly on the calling scheduler.
  """

  @on_load :load_nif

  # The netfilter names the NIF may turn results into (call/3 with :nft),
  # fixed at compile time: the NIF makes no atom.
  @nft_names Linx.Netfilter.Names.all()
  @nft_enum_keys Linx.Netfilter.Names.enum_keys()

  @doc false
  def load_nif do
    case :code.priv_dir(:linx) do
      {:error, reason} ->
        {:error, {:no_priv_dir, reason}}

      priv ->
        priv = List.to_string(priv)

        :erlang.load_nif(
          String.to_charlist(Path.join(priv, "linx_nif")),
          {plugin_path(priv), @nft_names, @nft_enum_keys}
        )
    end
  end

  # The plugin search path: $LINX_PLUGIN_PATH first (as for every Linx
  # front-end), then the plugins installed with this application.
  defp plugin_path(priv) do
    bundled = Path.join(priv, "plugins")

    case System.get_env("LINX_PLUGIN_PATH") do
      env when env in [nil, ""] -> bundled
      env -> env <> ":" <> bundled
    end
  end

  @doc "Calls verb `verb` with `args` (a map, or `nil`)."
  @spec call(binary(), map() | nil) :: {:ok, term()} | {:error, map()}
  def call(_verb, _args), do: :erlang.nif_error(:not_loaded)

  @doc false
  # call/2 with the result shaped: `:nft` builds Linx.Netfilter's Expr and
  # Verdict structs and set elements on the way (c_src/term_nft.c).
  def call(_verb, _args, _shape), do: :erlang.nif_error(:not_loaded)

  @doc false
  # An empty NIF of the same arity as call/2: the benchmark's baseline.
  def nop(_verb, _args), do: :erlang.nif_error(:not_loaded)

  @doc "Describes every verb of the loaded plugins, sorted by name."
  @spec verbs() :: [map()]
  def verbs, do: :erlang.nif_error(:not_loaded)

  @doc "Describes the loaded plugins, in load order."
  @spec plugins() :: [map()]
  def plugins, do: :erlang.nif_error(:not_loaded)

  @doc "Loads the plugin in file `path` (runs on a dirty I/O scheduler)."
  @spec load_plugin(binary()) :: :ok | {:error, map()}
  def load_plugin(_path), do: :erlang.nif_error(:not_loaded)

  @doc "The directories searched for plugins, colon-separated."
  @spec plugin_path() :: binary()
  def plugin_path, do: :erlang.nif_error(:not_loaded)

  @doc "The type name of a Linx handle (`\"rtnl.socket\"`), or `nil`."
  @spec handle_type(term()) :: binary() | nil
  def handle_type(_ref), do: :erlang.nif_error(:not_loaded)

  @doc "The errno number of a name such as `:enoent`, or `nil`."
  @spec errno_code(atom()) :: pos_integer() | nil
  def errno_code(_name), do: :erlang.nif_error(:not_loaded)

  @doc "The name of an errno number, or `:unknown`."
  @spec errno_name(integer()) :: atom()
  def errno_name(_code), do: :erlang.nif_error(:not_loaded)

  @doc """
  Encodes `term` in the core's value codec (docs/core/codec.md): the bytes
  of the checkpoint protocol's frames.  Terms cross as for `call/2`'s
  arguments (map keys binaries or atoms), at any top level.
  """
  @spec encode(term()) :: {:ok, binary()} | {:error, map()}
  def encode(_term), do: :erlang.nif_error(:not_loaded)

  @doc """
  Decodes bytes of the core's value codec.  Map keys and text come back as
  binaries: no atom is made from the input.  Malformed input is
  `{:error, %{errno: :ebadmsg, ...}}` naming the offset.
  """
  @spec decode(binary()) :: {:ok, term()} | {:error, map()}
  def decode(_bytes), do: :erlang.nif_error(:not_loaded)

  @doc false
  # decode/1 with the result shaped as call/3 shapes it.
  def decode(_bytes, _shape), do: :erlang.nif_error(:not_loaded)

  @doc false
  # Linx.Netlink.Socket.Native: a netlink socket opened inside a network
  # namespace by a throwaway native thread (dirty I/O scheduler).
  def nl_open_in_netns(_path, _protocol), do: :erlang.nif_error(:not_loaded)

  @doc false
  def nl_bind(_fd, _groups), do: :erlang.nif_error(:not_loaded)

  @doc false
  def nl_close_fd(_fd), do: :erlang.nif_error(:not_loaded)

  @doc false
  def nl_cloexec(_fd), do: :erlang.nif_error(:not_loaded)
end
