defmodule Linx.Netlink.Codec do
  @moduledoc """
  A declarative way to write netlink message codecs.

  Netlink message bodies share one shape: a fixed C struct, then a run of
  attributes.  `use Linx.Netlink.Codec` and describe that shape in a single
  `codec` block; the module gets a struct with one field per header field
  and attribute, plus `encode/1`, `decode/1` and `__codec__/0`:

      defmodule MyLinkMsg do
        use Linx.Netlink.Codec

        codec do
          header do
            field :family, :u8
            pad 1
            field :type, :u16
            field :index, :s32
            field :flags, :u32
            field :change, :u32
          end

          attr 3, :name, :string
          attr 4, :mtu, :u32
        end
      end

      MyLinkMsg.encode(%MyLinkMsg{index: 1, name: "lo"})  # => binary body
      {:ok, %MyLinkMsg{name: "lo"}} = MyLinkMsg.decode(body)

  Header fields default to `0`; attribute fields to `nil`, and a `nil`
  attribute is left out when encoding.  Everything else - functions using
  the struct - can follow the block, since the struct is defined by it.

  `encode/1` returns the body as a binary and raises `ArgumentError` for a
  value that does not fit its declared type.  `decode/1` never raises: it
  returns `{:ok, struct}` or `{:error, reason}` with `reason` one of
  `{:bad_header, size}` (body shorter than the header) and
  `{:bad_attr, detail}` (attribute framing, or `{name, value}` for a value
  that does not decode as declared).  Attributes not declared are ignored;
  of a repeated attribute the last one counts, as in the kernel.

  The generated functions are thin: one engine in this module interprets
  the schema, which `__codec__/0` also returns as data
  (`%{header: [...], attrs: [...]}`).

  ## Types

    * integers in host byte order: `:u8`, `:u16`, `:u32`, `:u64`, `:s8`,
      `:s16`, `:s32`, `:s64`;
    * big-endian integers (nfnetlink and packet fields): `:be16`, `:be32`,
      `:be64`;
    * `:string` - NUL-terminated on the wire, a binary without the NUL in
      the struct; `:binary` - raw bytes; `:flag` (attributes only) - no
      payload, `true` when present.

  Attributes may also take:

    * a module with `encode/1` (returning iodata) and `decode/1`
      (returning `{:ok, value}` or `{:error, reason}`) - another codec
      module for a nested attribute set (the attribute is then sent with
      `NLA_F_NESTED`), or hand-written code for any odd wire form;
    * `{:dispatch, :field, %{key => module}}` - the module is picked by the
      current value of the sibling attribute `:field` (declared earlier),
      as `IFLA_INFO_DATA` depends on `IFLA_INFO_KIND`.  A key missing from
      the map leaves the value as raw bytes.

  A codec with no `header` block describes a bare attribute set, the shape
  of a nested attribute.
  """

  import Bitwise

  alias Linx.Netlink.Attr

  @ints %{
    u8: {8, :unsigned, :native},
    u16: {16, :unsigned, :native},
    u32: {32, :unsigned, :native},
    u64: {64, :unsigned, :native},
    s8: {8, :signed, :native},
    s16: {16, :signed, :native},
    s32: {32, :signed, :native},
    s64: {64, :signed, :native},
    be16: {16, :unsigned, :big},
    be32: {32, :unsigned, :big},
    be64: {64, :unsigned, :big}
  }

  @doc false
  defmacro __using__(_opts) do
    quote do
      import Linx.Netlink.Codec, only: [codec: 1]
    end
  end

  @doc """
  Declares the codec of the module: an optional `header do ... end` of
  `field name, type` and `pad bytes` lines, then `attr number, name, type`
  lines.  Defines the struct, `encode/1`, `decode/1` and `__codec__/0`.
  """
  defmacro codec(do: block) do
    schema = parse_block(block, __CALLER__)

    quote do
      @doc false
      def __codec__, do: unquote(Macro.escape(schema))

      defstruct unquote(Macro.escape(struct_fields(schema)))

      @doc "Encodes a `%#{inspect(__MODULE__)}{}` into its netlink message body."
      @spec encode(struct()) :: binary()
      def encode(%__MODULE__{} = value), do: Linx.Netlink.Codec.encode(__codec__(), value)

      @doc """
      Decodes a netlink message body into a `%#{inspect(__MODULE__)}{}`:
      `{:ok, struct}` or `{:error, reason}`.
      """
      @spec decode(binary()) :: {:ok, struct()} | {:error, term()}
      def decode(body), do: Linx.Netlink.Codec.decode(__codec__(), __MODULE__, body)
    end
  end

  # ---- compile time: the block into a schema --------------------------------

  defp parse_block(block, env) do
    {header, attrs} =
      block
      |> statements()
      |> Enum.reduce({[], []}, fn
        {:header, _, [[do: hblock]]}, {[], attrs} ->
          {Enum.map(statements(hblock), &parse_header(&1, env)), attrs}

        {:attr, _, [num, name, type]}, {header, attrs} ->
          {header, [parse_attr(num, name, type, env) | attrs]}

        other, _ ->
          raise CompileError,
            file: env.file,
            line: env.line,
            description: "unexpected in a codec block: #{Macro.to_string(other)}"
      end)

    schema = %{header: header, attrs: Enum.reverse(attrs)}
    check_schema!(schema, env)
    schema
  end

  defp statements({:__block__, _, list}), do: list
  defp statements(nil), do: []
  defp statements(one), do: [one]

  defp parse_header({:field, _, [name, type]}, env) when is_atom(name) do
    unless Map.has_key?(@ints, type) or type in [:binary] do
      compile_error(env, "header field #{name}: unsupported type #{inspect(type)}")
    end

    if type == :binary, do: compile_error(env, "header field #{name}: use an integer type")
    {:field, name, type}
  end

  defp parse_header({:pad, _, [n]}, _env) when is_integer(n) and n > 0, do: {:pad, n}

  defp parse_header(other, env),
    do: compile_error(env, "unexpected in a header block: #{Macro.to_string(other)}")

  defp parse_attr(num, name, type_ast, env)
       when is_integer(num) and num in 0..0x3FFF and is_atom(name) do
    type = resolve_type(type_ast, env)

    valid? =
      case type do
        t when t in [:string, :binary, :flag] -> true
        t when is_map_key(@ints, t) -> true
        {:dispatch, field, map} when is_atom(field) and is_map(map) -> true
        t when is_atom(t) -> true
        _ -> false
      end

    unless valid?, do: compile_error(env, "attr #{name}: unsupported type #{inspect(type)}")
    {num, name, type}
  end

  defp parse_attr(num, name, _type, env),
    do: compile_error(env, "bad attr declaration #{inspect(num)}, #{inspect(name)}")

  # The type as written, with aliases expanded; nothing is evaluated.
  defp resolve_type({:__aliases__, _, _} = alias, env), do: Macro.expand(alias, env)

  defp resolve_type({:{}, _, [:dispatch, field, {:%{}, _, pairs}]}, env) when is_atom(field) do
    {:dispatch, field,
     Map.new(pairs, fn {k, v} -> {resolve_literal(k, env), resolve_type(v, env)} end)}
  end

  defp resolve_type(other, env), do: resolve_literal(other, env)

  defp resolve_literal({:__aliases__, _, _} = alias, env), do: Macro.expand(alias, env)

  defp resolve_literal(ast, env) do
    if Macro.quoted_literal?(ast),
      do: ast,
      else: compile_error(env, "codec types must be literals: #{Macro.to_string(ast)}")
  end

  defp check_schema!(%{header: header, attrs: attrs}, env) do
    names = for({:field, n, _} <- header, do: n) ++ for({_, n, _} <- attrs, do: n)

    dups = names -- Enum.uniq(names)
    if dups != [], do: compile_error(env, "fields declared twice: #{inspect(Enum.uniq(dups))}")

    Enum.reduce(attrs, [], fn {_, name, type}, seen ->
      case type do
        {:dispatch, field, _} ->
          unless field in seen do
            compile_error(env, "attr #{name} dispatches on #{field}, not an earlier attr")
          end

        _ ->
          :ok
      end

      [name | seen]
    end)
  end

  defp compile_error(env, msg),
    do: raise(CompileError, file: env.file, line: env.line, description: msg)

  defp struct_fields(%{header: header, attrs: attrs}) do
    for({:field, n, _} <- header, do: {n, 0}) ++ for({_, n, _} <- attrs, do: {n, nil})
  end

  # ---- run time: the engine ---------------------------------------------------

  @doc false
  def encode(%{header: header, attrs: attrs}, struct) do
    head = for item <- header, do: encode_header(item, struct)

    tlvs =
      Enum.flat_map(attrs, fn {num, name, type} ->
        case Map.fetch!(struct, name) do
          nil -> []
          false when type == :flag -> []
          value -> [encode_attr(num, name, type, value, struct)]
        end
      end)

    IO.iodata_to_binary([head, Attr.encode(tlvs)])
  end

  defp encode_header({:pad, n}, _struct), do: <<0::size(n)-unit(8)>>

  defp encode_header({:field, name, type}, struct),
    do: encode_int(name, type, Map.fetch!(struct, name))

  defp encode_int(name, type, value) do
    {bits, sign, order} = Map.fetch!(@ints, type)

    {lo, hi} =
      if sign == :signed,
        do: {-(1 <<< (bits - 1)), (1 <<< (bits - 1)) - 1},
        else: {0, (1 <<< bits) - 1}

    unless is_integer(value) and value >= lo and value <= hi do
      raise ArgumentError, "#{name}: #{inspect(value)} is not a #{type}"
    end

    case order do
      :native -> <<value::size(bits)-native>>
      :big -> <<value::size(bits)-big>>
    end
  end

  defp encode_attr(num, name, type, value, struct) do
    case type do
      :string ->
        unless is_binary(value) and not String.contains?(value, <<0>>) do
          raise ArgumentError, "#{name}: #{inspect(value)} is not a string without NUL"
        end

        {num, [value, 0]}

      :binary ->
        unless is_binary(value),
          do: raise(ArgumentError, "#{name}: #{inspect(value)} is not a binary")

        {num, value}

      :flag ->
        unless value == true, do: raise(ArgumentError, "#{name}: a flag is true or nil")
        {num, <<>>}

      {:dispatch, field, map} ->
        case Map.fetch(map, Map.fetch!(struct, field)) do
          {:ok, mod} ->
            encode_attr(num, name, mod, value, struct)

          :error when is_binary(value) ->
            {num, value}

          :error ->
            raise ArgumentError,
                  "#{name}: no codec for #{field} #{inspect(Map.fetch!(struct, field))}"
        end

      int when is_map_key(@ints, int) ->
        {num, encode_int(name, int, value)}

      mod when is_atom(mod) ->
        type = if function_exported?(mod, :__codec__, 0), do: Attr.nested(num), else: num
        {type, mod.encode(value)}
    end
  end

  @doc false
  def decode(%{header: header, attrs: attrs}, module, body) when is_binary(body) do
    with {:ok, fields, rest} <- decode_header(header, body, []),
         {:ok, tlvs} <- Attr.safe_decode(rest),
         {:ok, fields} <- decode_attrs(attrs, index(tlvs), fields) do
      {:ok, struct(module, fields)}
    else
      {:error, {:bad_header, _}} -> {:error, {:bad_header, byte_size(body)}}
      error -> error
    end
  end

  def decode(_schema, _module, body), do: {:error, {:bad_header, body}}

  defp decode_header([], rest, acc), do: {:ok, acc, rest}

  defp decode_header([{:pad, n} | more], body, acc) do
    case body do
      <<_::binary-size(n), rest::binary>> -> decode_header(more, rest, acc)
      _ -> {:error, {:bad_header, byte_size(body)}}
    end
  end

  defp decode_header([{:field, name, type} | more], body, acc) do
    {bits, _, _} = Map.fetch!(@ints, type)

    case body do
      <<raw::binary-size(div(bits, 8)), rest::binary>> ->
        decode_header(more, rest, [{name, decode_int(type, raw)} | acc])

      _ ->
        {:error, {:bad_header, byte_size(body)}}
    end
  end

  defp decode_int(type, raw) do
    {bits, sign, order} = Map.fetch!(@ints, type)
    int_value(sign, order, bits, raw)
  end

  defp int_value(:unsigned, :native, bits, raw) do
    <<v::size(bits)-unsigned-native>> = raw
    v
  end

  defp int_value(:signed, :native, bits, raw) do
    <<v::size(bits)-signed-native>> = raw
    v
  end

  defp int_value(:unsigned, :big, bits, raw) do
    <<v::size(bits)-unsigned-big>> = raw
    v
  end

  # type id (flags stripped) => last value
  defp index(tlvs), do: Map.new(tlvs, fn {t, v} -> {Attr.type_id(t), v} end)

  defp decode_attrs([], _index, acc), do: {:ok, acc}

  defp decode_attrs([{num, name, type} | more], index, acc) do
    case Map.fetch(index, num) do
      :error ->
        decode_attrs(more, index, [{name, nil} | acc])

      {:ok, raw} ->
        case decode_value(type, raw, acc) do
          {:ok, v} -> decode_attrs(more, index, [{name, v} | acc])
          :error -> {:error, {:bad_attr, {name, raw}}}
          {:error, _} -> {:error, {:bad_attr, {name, raw}}}
        end
    end
  end

  defp field_value(acc, field) do
    case List.keyfind(acc, field, 0) do
      {_, v} -> v
      nil -> nil
    end
  end

  defp decode_value(:string, raw, _acc), do: {:ok, raw |> :binary.split(<<0>>) |> hd()}
  defp decode_value(:binary, raw, _acc), do: {:ok, raw}
  defp decode_value(:flag, _raw, _acc), do: {:ok, true}

  defp decode_value({:dispatch, field, map}, raw, acc) do
    case Map.fetch(map, field_value(acc, field)) do
      {:ok, mod} -> decode_value(mod, raw, acc)
      :error -> {:ok, raw}
    end
  end

  defp decode_value(int, raw, _acc) when is_map_key(@ints, int) do
    {bits, _, _} = Map.fetch!(@ints, int)
    if byte_size(raw) * 8 == bits, do: {:ok, decode_int(int, raw)}, else: :error
  end

  defp decode_value(mod, raw, _acc) when is_atom(mod) do
    case mod.decode(raw) do
      {:ok, v} -> {:ok, v}
      _ -> :error
    end
  rescue
    _ -> :error
  end
end
