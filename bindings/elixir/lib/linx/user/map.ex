defmodule Linx.User.Map do
  @moduledoc """
  One line of a user namespace's `uid_map` or `gid_map`: `length` ids
  starting at `inside` (as the namespace sees them) stand for as many ids
  starting at `outside` (in the parent namespace).

  `Linx.User.read_uid_map/1` and `read_gid_map/1` return a list of these.
  The write side takes the same triple as a tuple `{inside, outside,
  length}`:

      mappings = Enum.map(maps, &{&1.inside, &1.outside, &1.length})

  It inspects compactly, as a single id when `length` is 1 and as ranges
  otherwise:

      iex> %Linx.User.Map{inside: 0, outside: 1000, length: 1}
      #Linx.User.Map<0 -> 1000>
      iex> %Linx.User.Map{inside: 0, outside: 100000, length: 65536}
      #Linx.User.Map<0..65535 -> 100000..165535>
  """

  @enforce_keys [:inside, :outside, :length]
  defstruct @enforce_keys

  @type t() :: %__MODULE__{
          inside: non_neg_integer(),
          outside: non_neg_integer(),
          length: pos_integer()
        }

  defimpl Inspect do
    def inspect(%{inside: i, outside: o, length: 1}, _opts),
      do: "#Linx.User.Map<#{i} -> #{o}>"

    def inspect(%{inside: i, outside: o, length: n}, _opts) when is_integer(n) do
      "#Linx.User.Map<#{i}..#{i + n - 1} -> #{o}..#{o + n - 1}>"
    end

    def inspect(map, opts), do: Inspect.Any.inspect(map, opts)
  end
end
