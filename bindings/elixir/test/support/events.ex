defmodule LinxTest.Events do
  @moduledoc false
  # Helpers for the tests of the monitors (Linx.Netfilter.Monitor,
  # Linx.Netlink.Rtnl.Monitor), whose messages to their owner are
  # `{tag, kind, payload}` and `{tag, :resync_needed}`, with `tag`
  # :linx_netfilter or :linx_rtnl.

  import ExUnit.Assertions

  @doc "How long (ms) to wait for an event: longer in the VM lane."
  def t, do: if(System.get_env("LINX_TEST_LANE") == "vm", do: 30_000, else: 5_000)

  @doc "Every `tag` message until `quiet` ms pass without one, oldest first."
  def drain(tag, quiet, acc \\ []) do
    receive do
      {^tag, _, _} = m -> drain(tag, quiet, [m | acc])
      {^tag, :resync_needed} = m -> drain(tag, quiet, [m | acc])
    after
      quiet -> Enum.reverse(acc)
    end
  end

  @doc """
  `tag` messages, oldest first, until `done?` holds for those received so
  far (given newest first), or until none comes for t() ms.
  """
  def collect(tag, done?, acc \\ []) do
    receive do
      {^tag, _, _} = m -> collect_until(tag, done?, [m | acc])
      {^tag, :resync_needed} = m -> collect_until(tag, done?, [m | acc])
    after
      t() -> Enum.reverse(acc)
    end
  end

  defp collect_until(tag, done?, acc) do
    if done?.(acc), do: Enum.reverse(acc), else: collect(tag, done?, acc)
  end

  @doc """
  Waits for the `tag` message that `wanted?` accepts, passing over the
  others; fails the test, naming `what`, if it does not come within t() ms.
  """
  def await(tag, wanted?, what) do
    receive do
      {^tag, _, _} = m -> if wanted?.(m), do: :ok, else: await(tag, wanted?, what)
      {^tag, :resync_needed} -> await(tag, wanted?, what)
    after
      t() -> flunk("no #{what} event within #{t()} ms")
    end
  end

  @doc """
  Runs `fun` in a Task and returns `{its result, the longest (µs) of the
  trivial Task round trips taken meanwhile}`: a blocked scheduler shows.
  """
  def max_latency_during(fun) do
    job = Task.async(fun)
    lat = sample_latency(job, [])
    {Task.await(job, 60_000), lat}
  end

  defp sample_latency(job, acc) do
    {us, :pong} = :timer.tc(fn -> Task.await(Task.async(fn -> :pong end), 10_000) end)

    if Process.alive?(job.pid) do
      Process.sleep(2)
      sample_latency(job, [us | acc])
    else
      Enum.max([us | acc])
    end
  end
end
