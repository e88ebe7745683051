defmodule Linx.NetFuzzTest do
  # Random terms thrown at the netfilter and rtnetlink verbs (nft.*, its
  # log and monitor, rtnl.*) through the dispatch NIF: the VM stays up,
  # every call answers {:ok, _} or {:error, %{...}}, no atom is made.
  #
  # These verbs change the kernel, so every call is aimed at a network
  # namespace this test creates: a "netns" argument naming it is forced on
  # every call without a "sock", as are the other namespace arguments
  # ("to", "peer_netns", in rtnl.batch's ops too), and the live handles
  # given are opened in it.  A map
  # without these would act on the test run's namespace: non-map arguments
  # go only to verbs that take no namespace or that a missing required
  # argument stops first.  nft.parse's "path" (a file to read) is dropped,
  # timeouts are kept to a few milliseconds.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Gen, only: [well_formed?: 1]

  alias :proper_types, as: T
  alias Linx.Native
  alias LinxTest.Gen

  @moduletag skip: needs("nft") || needs("rtnl")
  @moduletag timeout: 900_000

  # Those the Elixir modules call (lib/linx): every one must be fuzzed.
  @called ~w(nft.open nft.close nft.validate nft.push nft.pull nft.apply nft.create_table
             nft.parse nft.format nft.fill_holes nft.get_gen nft.supported
             nft.monitor.open nft.monitor.read nft.monitor.set_min_gen nft.monitor.close
             nft.log.open nft.log.next nft.log.close
             rtnl.open rtnl.close rtnl.monitor.open rtnl.monitor.read rtnl.monitor.close
             rtnl.link.list rtnl.link.get rtnl.link.create_dummy rtnl.link.set_mtu
             rtnl.address.add rtnl.route.add rtnl.rule.list rtnl.stats.get)

  @ns_params ~w(netns to peer_netns)
  @handle_params ~w(sock monitor log)

  setup_all do
    verbs =
      for v <- Linx.Verb.list(), String.starts_with?(v.name, ["nft.", "rtnl."]) do
        {v.name, Map.new(v.params, &{&1.name, &1})}
      end
      |> Map.new()

    {port, pid} = spawn_in_ns(["--net"])
    ns = %{"pid" => pid}

    # Something to find in the namespace: a link, a table.
    {:ok, rtnl} = Native.call("rtnl.open", %{"netns" => ns})
    # (veth, as the kernel may lack the dummy driver; or only lo)
    Native.call("rtnl.link.create_veth", %{"sock" => rtnl, "name" => "d0", "peer" => "d1"})
    {:ok, rs} = Linx.NFT.parse(~S(table inet t { chain c { tcp dport 22 accept; }; }))
    {:ok, ruleset} = Linx.Netfilter.Ruleset.to_c(rs)
    # (plain calls below: atoms as text, as the :nft shape passes them)
    ruleset = LinxTest.Gen.text(ruleset)

    live = %{
      "sock" => [
        rtnl,
        elem(Native.call("nft.open", %{"netns" => ns}), 1)
      ],
      "monitor" => [
        elem(Native.call("nft.monitor.open", %{"netns" => ns}), 1),
        elem(Native.call("rtnl.monitor.open", %{"netns" => ns}), 1)
      ],
      "log" => [elem(Native.call("nft.log.open", %{"netns" => ns, "group" => 4242}), 1)]
    }

    # Closed ones.
    stale =
      for {open, close, key} <- [
            {"nft.open", "nft.close", "sock"},
            {"rtnl.open", "rtnl.close", "sock"},
            {"nft.monitor.open", "nft.monitor.close", "monitor"},
            {"rtnl.monitor.open", "rtnl.monitor.close", "monitor"}
          ] do
        {:ok, h} = Native.call(open, %{"netns" => ns})
        {:ok, _} = Native.call(close, %{key => h})
        h
      end

    {:ok, foreign} = Native.call("nif_test.handle.new", %{"tag" => "x"})
    forged = [make_ref(), foreign, self(), 0, "sock", %{"pid" => pid}]
    handles = List.flatten(Map.values(live)) ++ stale ++ forged

    on_exit(fn -> stop({port, pid}) end)

    # Rich values to mutate: a corpus ruleset as the plugin gives it, and a
    # patch between it and the small one.
    corpus = Path.expand("../../../../tests/plugins/nft/lang/home-router.nft", __DIR__)
    {:ok, big} = Linx.NFT.parse_file(corpus)
    {:ok, big} = Linx.Netfilter.Ruleset.to_c(big)
    big = LinxTest.Gen.text(big)
    {:ok, patch} = Native.call("nft.diff", %{"from" => ruleset, "to" => big})

    %{verbs: verbs, ns: ns, handles: handles, ruleset: ruleset, big: big, patch: patch}
  end

  # The arguments made safe (see the top): the namespace forced, no path,
  # short waits.
  defp aim(verb, args, ctx) when is_map(args) do
    params = Map.fetch!(ctx.verbs, verb)

    # With a "sock" the plugins refuse a "netns" too and use no namespace
    # but the socket's: ours (opened in the namespace) or none (a stale or
    # forged handle is refused).  Without one, "netns" is the namespace.
    args =
      cond do
        Map.has_key?(args, "sock") -> Map.delete(args, "netns")
        Map.has_key?(params, "netns") -> Map.put(args, "netns", ctx.ns)
        true -> args
      end

    args =
      Enum.reduce(@ns_params -- ["netns"], Map.delete(args, "path"), fn p, a ->
        if Map.has_key?(params, p) or Map.has_key?(a, p), do: Map.put(a, p, ctx.ns), else: a
      end)

    # rtnl.batch's ops take the other verbs' arguments (but "sock", "netns")
    args =
      case args do
        %{"ops" => ops} when is_list(ops) -> %{args | "ops" => aim_ops(ops, ctx)}
        _ -> args
      end

    args =
      if Map.has_key?(params, "timeout_ms"),
        do: Map.update(args, "timeout_ms", 1, &short/1),
        else: args

    if Map.has_key?(args, "retries"), do: Map.update!(args, "retries", &short/1), else: args
  end

  defp aim(verb, args, ctx) do
    params = Map.fetch!(ctx.verbs, verb)
    stopped = Enum.any?(params, fn {_, p} -> :required in p.flags end)
    if Map.has_key?(params, "netns") and not stopped, do: %{"netns" => ctx.ns}, else: args
  end

  # (the list may be improper)
  defp aim_ops([op | rest], ctx), do: [aim_op(op, ctx) | aim_ops(rest, ctx)]
  defp aim_ops(tail, _ctx), do: tail

  defp aim_op(op, ctx) when is_map(op) do
    Enum.reduce(@ns_params -- ["netns"], op, fn p, a ->
      if Map.has_key?(a, p), do: Map.put(a, p, ctx.ns), else: a
    end)
  end

  defp aim_op(op, _ctx), do: op

  defp short(n) when is_integer(n), do: rem(abs(n), 5)
  defp short(other), do: other

  defp call(verb, args, ctx), do: Native.call(verb, aim(verb, args, ctx))

  # Values that get past the first checks now and then.
  defp plausible(ctx) do
    T.elements(
      ["lo", "d0", "d1", "t", "c", "s", "inet", "ip", "ip6", "bridge", "filter", "accept"] ++
        ["10.0.0.1", "10.0.0.0", "::1", "fe80::1", "02:00:00:00:00:01", "replace", "reconcile"] ++
        [0, 1, 24, 128, 1500, 65_536, -1, 4_294_967_295, true, false, nil, [], %{}] ++
        [ctx.ruleset, %{"ruleset" => ctx.ruleset}, [ctx.ruleset], %{"ops" => []}] ++
        ctx.handles
    )
  end

  defp value_gen(ctx), do: T.frequency([{3, Gen.term()}, {2, plausible(ctx)}])

  defp args_gen(verb, ctx) do
    names = Map.keys(Map.fetch!(ctx.verbs, verb)) ++ ~w(netns x)

    T.frequency([
      {6,
       T.bind(
         T.list(T.tuple([T.elements(names), value_gen(ctx)])),
         &Map.new/1,
         false
       )},
      {1, T.bind(T.list(T.tuple([Gen.term(), Gen.term()])), &Map.new/1, false)},
      {1, Gen.term()}
    ])
  end

  defp verb_args_gen(ctx) do
    T.bind(
      T.elements(Map.keys(ctx.verbs)),
      fn verb -> T.tuple([verb, args_gen(verb, ctx)]) end,
      false
    )
  end

  defp atoms, do: :erlang.system_info(:atom_count)

  # quickcheck(gen, n, prop) and the atoms it made, after a first run of
  # n/10: loading code (PropEr's, that of the error paths) makes atoms once.
  defp checked(gen, n, prop) do
    Gen.quickcheck(gen, div(n, 10), prop)
    before = atoms()
    {Gen.quickcheck(gen, n, prop), atoms() - before}
  end

  test "every verb the Elixir modules call is fuzzed", ctx do
    assert @called -- Map.keys(ctx.verbs) == []
  end

  test "random arguments to every verb: answers, VM up, no atoms", ctx do
    prop = fn {verb, args} -> well_formed?(call(verb, args, ctx)) end
    assert checked(verb_args_gen(ctx), 4000, prop) == {true, 0}
  end

  test "random values for each parameter of each verb", ctx do
    gen =
      T.bind(
        T.elements(for {v, ps} <- ctx.verbs, p <- Map.keys(ps), do: {v, p}),
        fn {v, p} -> T.tuple([v, p, value_gen(ctx)]) end,
        false
      )

    # the other required parameters given plausible values
    prop = fn {verb, param, value} ->
      base =
        for {name, p} <- ctx.verbs[verb], :required in p.flags, into: %{} do
          {name, filler(p.types)}
        end

      well_formed?(call(verb, Map.put(base, param, value), ctx))
    end

    assert checked(gen, 4000, prop) == {true, 0}
  end

  test "handle verbs with live, stale, foreign and forged handles", ctx do
    with_handles = for {v, ps} <- ctx.verbs, p <- @handle_params, Map.has_key?(ps, p), do: {v, p}

    gen =
      T.bind(
        T.elements(with_handles),
        fn {v, p} -> T.tuple([v, p, T.elements(ctx.handles), args_gen(v, ctx)]) end,
        false
      )

    prop = fn
      {verb, param, handle, args} when is_map(args) ->
        well_formed?(call(verb, Map.put(args, param, handle), ctx))

      {verb, _param, _handle, args} ->
        well_formed?(call(verb, args, ctx))
    end

    assert checked(gen, 3000, prop) == {true, 0}

    # each handle verb with each handle and only its required arguments
    # (twice: the atoms are counted over the second round)
    every = fn ->
      for {verb, param} <- with_handles, h <- ctx.handles do
        base =
          for {name, p} <- ctx.verbs[verb], :required in p.flags, into: %{} do
            {name, filler(p.types)}
          end

        {verb, h, well_formed?(call(verb, Map.put(base, param, h), ctx))}
      end
    end

    assert Enum.reject(every.(), &elem(&1, 2)) == []
    before = atoms()
    assert Enum.reject(every.(), &elem(&1, 2)) == []
    assert atoms() == before
  end

  # `value` with one node, chosen by `seed`, replaced by `new`.
  defp mutate(value, seed, new) when is_map(value) and map_size(value) > 0,
    do: descend(value, seed, new, Map.to_list(value), &Map.new/1)

  defp mutate([_ | _] = value, seed, new), do: descend(value, seed, new, value, & &1)
  defp mutate(_value, _seed, new), do: new

  defp descend(value, seed, new, items, back) do
    if rem(seed, 5) == 0 do
      new
    else
      i = rem(div(seed, 5), length(items))
      seed = div(seed, 5 * length(items))

      items
      |> List.update_at(i, fn
        {k, v} when is_map(value) -> {k, mutate(v, seed, new)}
        v -> mutate(v, seed, new)
      end)
      |> back.()
    end
  end

  test "rulesets and patches with one part replaced: validate, format, push, diff, apply",
       ctx do
    {:ok, sock} = Native.call("nft.open", %{"netns" => ctx.ns})

    targets = [
      {"nft.validate", "ruleset", %{}, [ctx.ruleset, ctx.big]},
      {"nft.format", "ruleset", %{}, [ctx.ruleset, ctx.big]},
      {"nft.push", "ruleset", %{"sock" => sock}, [ctx.ruleset, ctx.big]},
      {"nft.push", "ruleset", %{"sock" => sock, "mode" => "reconcile"}, [ctx.big]},
      {"nft.diff", "to", %{"from" => ctx.ruleset}, [ctx.big]},
      {"nft.apply", "patch", %{"sock" => sock}, [ctx.patch]},
      {"nft.reconcile", "desired", %{"sock" => sock}, [ctx.big]},
      {"nft.fill_holes", "ruleset", %{"values" => %{}}, [ctx.big]}
    ]

    gen =
      T.tuple([
        T.elements(targets),
        T.integer(0, 1_000_000_000),
        T.frequency([{3, Gen.term()}, {2, plausible(ctx)}])
      ])

    prop = fn {{verb, param, base, values}, seed, new} ->
      value = Enum.at(values, rem(seed, length(values)))
      well_formed?(call(verb, Map.put(base, param, mutate(value, div(seed, 2), new)), ctx))
    end

    assert checked(gen, 4000, prop) == {true, 0}
  end

  test "from many processes at once", ctx do
    Gen.quickcheck(verb_args_gen(ctx), 200, fn {v, a} -> well_formed?(call(v, a, ctx)) end)
    before = atoms()

    tasks =
      for _ <- 1..8 do
        Task.async(fn ->
          prop = fn {verb, args} -> well_formed?(call(verb, args, ctx)) end
          Gen.quickcheck(verb_args_gen(ctx), 250, prop)
        end)
      end

    assert Enum.map(tasks, &Task.await(&1, :infinity)) == List.duplicate(true, 8)
    assert atoms() == before
  end

  defp filler(types) do
    cond do
      :string in types -> "d0"
      :int in types or :uint in types -> 1
      :list in types -> []
      :map in types -> %{}
      true -> nil
    end
  end
end
