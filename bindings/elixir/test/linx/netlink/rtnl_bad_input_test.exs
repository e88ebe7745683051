defmodule Linx.Netlink.Rtnl.BadInputTest do
  # Every public function of the rtnl modules, fed odd values in each
  # argument position in turn, returns an error tuple (or :ok when the odd
  # value happens to be acceptable) and never raises.  Runs in a fresh
  # netns, so anything that does reach the kernel lands there.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Netns

  alias Linx.Netlink.Rtnl
  alias Linx.Netlink.Rtnl.{Address, Link, Neighbour, Route, Rule, Stats}

  @moduletag skip: needs("rtnl")

  setup do
    %{sock: sock} = ctx = fresh()
    :ok = Link.create_veth(sock, "ve0", "ve1")
    ctx
  end

  defp odd_values do
    [
      nil,
      :atom,
      -1,
      0,
      1.5,
      "",
      "x/y",
      <<255, 0>>,
      String.duplicate("a", 300),
      [],
      [1 | 2],
      [a: 1],
      %{},
      {:pid, 0},
      {:path, 3},
      self(),
      make_ref(),
      %Linx.IP{bytes: "abc", family: :inet},
      %Linx.MAC{bytes: "ab"}
    ]
  end

  test "no function raises on odd arguments", %{sock: sock} do
    calls = [
      {Rtnl, :open, [:host]},
      {Link, :list, [sock]},
      {Link, :get, [sock, "lo"]},
      {Link, :create_bridge, [sock, "b0"]},
      {Link, :create_dummy, [sock, "d0"]},
      {Link, :create_veth, [sock, "v0", "v1"]},
      {Link, :create_macvlan, [sock, "m0", "ve0", :bridge]},
      {Link, :create_ipvlan, [sock, "i0", "ve0", :l3]},
      {Link, :create_vlan, [sock, "ve0.5", "ve0", 5]},
      {Link, :delete, [sock, "nope0"]},
      {Link, :set_up, [sock, "ve1"]},
      {Link, :set_down, [sock, "ve1"]},
      {Link, :set_mtu, [sock, "ve1", 1400]},
      {Link, :set_address, [sock, "ve1", "02:00:00:00:00:01"]},
      {Link, :set_name, [sock, "nope0", "nope1"]},
      {Link, :set_master, [sock, "nope0", "nope1"]},
      {Link, :move_to_netns, [sock, "nope0", 1]},
      {Address, :list, [sock, "ve0"]},
      {Address, :add, [sock, "ve0", "10.0.0.2", 24]},
      {Address, :delete, [sock, "ve0", "10.0.0.3", 24]},
      {Route, :list, [sock]},
      {Route, :get, [sock, "10.0.0.9"]},
      {Route, :add, [sock, "10.9.0.0", 24, "10.0.0.1", []]},
      {Route, :replace, [sock, "10.9.0.0", 24, "10.0.0.1", []]},
      {Route, :delete, [sock, "10.8.0.0", 24, "10.0.0.1", []]},
      {Route, :add_default, [sock, "10.0.0.1", []]},
      {Route, :delete_default, [sock, "10.0.0.7", []]},
      {Neighbour, :list, [sock, "ve0"]},
      {Neighbour, :add, [sock, "ve0", "10.0.0.7", "02:00:00:00:00:07"]},
      {Neighbour, :delete, [sock, "ve0", "10.0.0.8"]},
      {Rule, :list, [sock]},
      {Rule, :add, [sock, [table: 100]]},
      {Rule, :delete, [sock, [table: 101]]},
      {Stats, :get, [sock, "ve0"]},
      {Stats, :list, [sock]}
    ]

    for {mod, fun, args} <- calls, i <- 0..(length(args) - 1), odd <- odd_values() do
      args = List.replace_at(args, i, odd)

      result =
        try do
          apply(mod, fun, args)
        rescue
          e -> flunk("#{inspect(mod)}.#{fun}#{inspect(args)} raised #{Exception.message(e)}")
        end

      case result do
        :ok ->
          :ok

        {:ok, _} ->
          :ok

        {:error, {tag, _}} when is_atom(tag) ->
          assert String.starts_with?(Atom.to_string(tag), "bad_")

        {:error, %Linx.Netlink.Error{}} ->
          :ok

        other ->
          flunk("#{inspect(mod)}.#{fun}#{inspect(args)} returned #{inspect(other)}")
      end
    end
  end
end
