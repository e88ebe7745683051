defmodule Linx.Capabilities.State do
  @moduledoc """
  The five capability sets of a process, as `Linx.Capabilities.read/1`
  found them in `/proc/<pid>/status`; each a MapSet of `:cap_*` atoms.

    * `:effective` - what the kernel checks right now;
    * `:permitted` - the most `:effective` may hold;
    * `:inheritable` - what may pass through `execve(2)` (with file caps);
    * `:bounding` - the ceiling for every later `:permitted`; only shrinks;
    * `:ambient` - what passes through `execve(2)` of a plain binary.

  It inspects as the size of each set:

      iex> %Linx.Capabilities.State{bounding: Linx.Capabilities.Constants.all()}
      #Linx.Capabilities.State<eff=0 prm=0 inh=0 bnd=41 amb=0>
  """

  defstruct effective: MapSet.new(),
            permitted: MapSet.new(),
            inheritable: MapSet.new(),
            bounding: MapSet.new(),
            ambient: MapSet.new()

  @type t() :: %__MODULE__{
          ambient: MapSet.t(atom()),
          bounding: MapSet.t(atom()),
          effective: MapSet.t(atom()),
          inheritable: MapSet.t(atom()),
          permitted: MapSet.t(atom())
        }

  defimpl Inspect do
    def inspect(s, _opts) do
      "#Linx.Capabilities.State<eff=#{n(s.effective)} prm=#{n(s.permitted)} " <>
        "inh=#{n(s.inheritable)} bnd=#{n(s.bounding)} amb=#{n(s.ambient)}>"
    end

    defp n(set) do
      Enum.count(set)
    rescue
      _ -> 0
    end
  end
end
