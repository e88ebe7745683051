defmodule Linx.NativeSerialTest do
  # What must be measured with nothing else running: the atom table, the
  # handle count, open descriptors, memory.
  use ExUnit.Case, async: false

  alias Linx.Native

  defp live do
    {:ok, n} = Native.call("nif_test.handle.live", nil)
    n
  end

  test "no atom is made from caller or kernel data" do
    # Warm up every path once (first calls may load code).
    Linx.Verb.call("bogus.verb", %{"k" => 1})
    Linx.Verb.call("example.fail", errno: 4000)
    Linx.Verb.call("example.greet", %{"name" => "x"})
    before = :erlang.system_info(:atom_count)

    for i <- 1..5_000 do
      # distinct unknown verbs, plugins, keys, values, errnos
      {:error, _} = Native.call("bogus#{i}.verb#{i}", nil)
      {:error, _} = Native.call("example.verb#{i}", %{"key#{i}" => "value#{i}"})
      {:error, _} = Native.call("example.add", %{"a" => 1, "b" => 2, "c#{i}" => 3})
      {:error, %{errno: :unknown}} = Native.call("example.fail", %{"errno" => 1000 + i})
      {:ok, %{}} = Native.call("nif_test.echo", %{"value" => %{"k#{i}" => "v#{i}"}})
      :unknown = Native.errno_name(1000 + i)
    end

    assert :erlang.system_info(:atom_count) == before
  end

  test "handle destructors release the kernel objects" do
    before = live()

    {pid, ref} =
      spawn_monitor(fn ->
        for i <- 1..1000, do: elem(Native.call("nif_test.handle.new", %{"tag" => "t#{i}"}), 1)
      end)

    assert_receive {:DOWN, ^ref, :process, ^pid, :normal}
    # The process heap, and the resources on it, go when it exits.
    LinxTest.Kernel.wait_until(fn -> live() == before end)
  end

  test "calls leak no descriptors and no memory" do
    fds = fn -> length(File.ls!("/proc/self/fd")) end

    rss = fn ->
      :erlang.garbage_collect()

      [kb] =
        Regex.run(~r/VmRSS:\s+(\d+)/, File.read!("/proc/self/status"), capture: :all_but_first)

      String.to_integer(kb)
    end

    churn = fn n ->
      Enum.each(1..n, fn i ->
        {:ok, 6} = Native.call("example.add", %{"a" => 1, "b" => 2, "c" => 3})
        {:ok, _} = Native.call("nif_test.echo", %{"value" => %{"k" => [i, "x", <<255>>]}})
        {:error, _} = Native.call("example.add", %{"a" => 1.0, "b" => [1 | 2]})
        {:error, _} = Native.call("example.fail", %{"errno" => 5})
        {:ok, h} = Native.call("nif_test.handle.new", %{"tag" => "x"})
        {:ok, "x"} = Native.call("nif_test.handle.tag", %{"handle" => h})
      end)
    end

    # Let the allocators reach their working size first.
    churn.(200_000)
    {fd0, rss0} = {fds.(), rss.()}
    churn.(200_000)
    {fd1, rss1} = {fds.(), rss.()}

    assert fd1 == fd0
    # 200k iterations of a dozen allocations: even 8 bytes lost per call
    # would be ~20 MB.
    assert rss1 - rss0 < 8_000, "RSS grew by #{rss1 - rss0} KiB"
  end

  test "many processes calling at once" do
    tasks =
      for t <- 1..16 do
        Task.async(fn ->
          for i <- 1..2_000 do
            {:ok, sum} = Native.call("example.add", %{"a" => t, "b" => i})
            sum == t + i or raise "wrong sum"
            if rem(i, 500) == 0, do: {:ok, nil} = Native.call("nif_test.sleep", %{"ms" => 1})
          end

          :done
        end)
      end

    assert Enum.map(tasks, &Task.await(&1, 60_000)) == List.duplicate(:done, 16)
  end
end
