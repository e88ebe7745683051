defmodule Linx.SysctlTest do
  # The spec's examples for Linx.Sysctl, run against the live kernel.
  #
  # `mix test` runs inside fresh network, UTS and IPC namespaces (see
  # mix/test_namespaces.exs), so "the host" below is a namespace of the
  # test run's own: writing net.ipv4.ip_forward or kernel.hostname there
  # never reaches the machine.  Global knobs (kernel.printk, vm.*) are only
  # read.  "A container" is a helper process in further namespaces.
  use ExUnit.Case, async: false

  import LinxTest.Kernel

  alias Linx.Sysctl
  alias Linx.Sysctl.{Entry, Error}

  @moduletag skip: needs("sysctl")

  doctest Linx.Sysctl.Error
  doctest Linx.Sysctl.Entry

  defp sysctl(key), do: sh!("sysctl", ["-n", key])

  # The test run's namespace is shared with the other modules (the
  # reconcile tests write ip_forward too): start from its default.
  setup do
    sh!("sysctl", ["-qw", "net.ipv4.ip_forward=0"])
    :ok
  end

  describe "reading" do
    test "supported?/0" do
      assert Sysctl.supported?() == true
    end

    test "read/1 trims the newline, as sysctl(8) prints the value" do
      assert Sysctl.read("kernel.ostype") == {:ok, "Linux"}
      assert Sysctl.read("kernel.osrelease") == {:ok, sysctl("kernel.osrelease")}
      # A fresh network namespace starts with forwarding off.
      assert Sysctl.read("net.ipv4.ip_forward") == {:ok, "0"}
    end

    test "read_int/1 and read_ints/1" do
      assert Sysctl.read_int("net.ipv4.ip_forward") == {:ok, 0}
      assert Sysctl.read_int("vm.swappiness") == {:ok, String.to_integer(sysctl("vm.swappiness"))}

      for key <- ["kernel.printk", "net.ipv4.tcp_rmem"] do
        expected = sysctl(key) |> String.split() |> Enum.map(&String.to_integer/1)
        assert Sysctl.read_ints(key) == {:ok, expected}
      end

      {:ok, hostname} = Sysctl.read("kernel.hostname")

      assert Sysctl.read_int("kernel.hostname") ==
               {:error, {:bad_value, {:not_an_integer, hostname}}}

      assert {:error, {:bad_value, {:not_all_integers, ^hostname}}} =
               Sysctl.read_ints("kernel.hostname")
    end
  end

  describe "writing" do
    test "an integer, a string, a list of integers" do
      {:ok, hostname} = Sysctl.read("kernel.hostname")
      on_exit(fn -> Sysctl.write("kernel.hostname", hostname) end)

      assert Sysctl.write("net.ipv4.ip_forward", 1) == :ok
      assert sysctl("net.ipv4.ip_forward") == "1"
      assert Sysctl.write("net.ipv4.ip_forward", 0) == :ok

      assert Sysctl.write("kernel.hostname", "ct0") == :ok
      assert sh!("hostname", []) == "ct0"

      assert Sysctl.write("net.ipv4.tcp_rmem", [4096, 262_144, 16_777_216]) == :ok
      assert sysctl("net.ipv4.tcp_rmem") |> String.split() == ~w(4096 262144 16777216)
    end

    # The spec's kernel.printk example is not run: kernel.printk is global,
    # and writing it would change the machine.  The list form is covered
    # above with net.ipv4.tcp_rmem, which each network namespace has.

    test "the kernel's refusal" do
      assert {:error, %Error{errno: :einval, code: 22, operation: :write} = e} =
               Sysctl.write("net.ipv4.ip_forward", "yes")

      assert e.key == "net.ipv4.ip_forward"
      assert e.path == "/proc/sys/net/ipv4/ip_forward"
    end
  end

  describe "caller mistakes, caught before any I/O" do
    test "malformed keys" do
      for key <- [
            "",
            "net..ip_forward",
            "net.ipv4.../etc/passwd",
            ".net",
            "net.",
            "net/ipv4",
            "a b"
          ] do
        assert Sysctl.read(key) == {:error, {:bad_key, key}}, inspect(key)
      end

      assert Sysctl.read(:kernel) == {:error, {:bad_key, :kernel}}
      assert Sysctl.write("", 1) == {:error, {:bad_key, ""}}
      assert Sysctl.list(42) == {:error, {:bad_key, 42}}
    end

    test "values the kernel would truncate or cannot take" do
      assert Sysctl.write("kernel.hostname", "ct0\nct1") ==
               {:error, {:bad_value, {:contains, :newline}}}

      assert Sysctl.write("kernel.hostname", "ct0\0") == {:error, {:bad_value, {:contains, :nul}}}

      assert Sysctl.write("kernel.printk", [4, 4, "1", 7]) ==
               {:error, {:bad_value, {:not_all_integers, [4, 4, "1", 7]}}}

      # Linx 0.2.0's term for a value of a type write/3 cannot send.
      for v <- [1.5, :one, {1}, %{}, self()] do
        assert Sysctl.write("net.ipv4.tcp_rmem", v) ==
                 {:error, {:bad_value, {:unsupported_type, v}}}
      end

      assert Sysctl.write("net.ipv4.tcp_rmem", []) == {:error, {:bad_value, []}}
    end

    test "malformed :in" do
      for bad <- [{:pid, -1}, {:pid, "1"}, {:path, 1}, :nope, {:path, "relative"}] do
        assert Sysctl.read("kernel.ostype", in: bad) == {:error, {:bad_in, bad}}, inspect(bad)
      end

      assert Sysctl.read("kernel.ostype", :nope) == {:error, {:bad_in, :nope}}
    end
  end

  test "a missing sysctl" do
    assert Sysctl.read("linx.this.does.not.exist") ==
             {:error,
              %Error{
                key: "linx.this.does.not.exist",
                path: "/proc/sys/linx/this/does/not/exist",
                operation: :read,
                errno: :enoent,
                code: 2
              }}

    assert {:error,
            %Error{operation: :list, errno: :enoent, path: "/proc/sys/linx/does/not/exist"}} =
             Sysctl.list("linx.does.not.exist")
  end

  describe "listing" do
    test "list/0: everything, sorted, kernel.ostype among it" do
      assert {:ok, all} = Sysctl.list()
      assert length(all) > 500
      assert Enum.map(all, & &1.key) == Enum.sort(Enum.map(all, & &1.key))
      assert %Entry{value: "Linux"} = Enum.find(all, &(&1.key == "kernel.ostype"))

      assert inspect(Enum.find(all, &(&1.key == "kernel.ostype"))) ==
               ~S(#Linx.Sysctl.Entry<kernel.ostype = "Linux">)
    end

    test "list/1 with a prefix matches sysctl(8)" do
      assert {:ok, net} = Sysctl.list("net.ipv4.conf.lo")
      assert Enum.all?(net, &String.starts_with?(&1.key, "net.ipv4.conf.lo."))

      oracle =
        sh!("sysctl", ["-a"])
        |> String.split("\n")
        |> Enum.filter(&String.starts_with?(&1, "net.ipv4.conf.lo."))
        |> Map.new(fn line ->
          [k, v] = String.split(line, " = ", parts: 2)
          {k, v}
        end)

      # sysctl(8) prints tabs in multi-value knobs as they are.
      for %Entry{key: k, value: v} <- net, Map.has_key?(oracle, k) do
        assert oracle[k] == v, k
      end

      assert map_size(oracle) > 10
    end

    test "a leaf prefix gives one entry" do
      assert Sysctl.list("kernel.ostype") == {:ok, [%Entry{key: "kernel.ostype", value: "Linux"}]}
    end

    test "Entry inspect cuts long values" do
      long = String.duplicate("é", 40)
      shown = inspect(%Entry{key: "k", value: long})
      assert shown =~ "..." and byte_size(shown) < 100
      assert String.valid?(shown)
    end
  end

  describe "another process's namespaces (:in)" do
    setup do
      child = spawn_in_ns(["--net", "--uts", "--ipc"])
      on_exit(fn -> stop(child) end)
      {_port, pid} = child
      %{pid: pid}
    end

    test "each side sees its own value", %{pid: pid} do
      assert Sysctl.read_int("net.ipv4.ip_forward") == {:ok, 0}
      assert Sysctl.read_int("net.ipv4.ip_forward", in: {:pid, pid}) == {:ok, 0}
      assert Sysctl.write("net.ipv4.ip_forward", 1, in: {:pid, pid}) == :ok
      assert Sysctl.read_int("net.ipv4.ip_forward", in: {:pid, pid}) == {:ok, 1}
      assert Sysctl.read_int("net.ipv4.ip_forward") == {:ok, 0}
      # The oracle, run inside the target's namespace by nsenter(1).
      assert sh!("nsenter", ["--net", "--target", "#{pid}", "sysctl", "-n", "net.ipv4.ip_forward"]) ==
               "1"
    end

    test "the container's hostname", %{pid: pid} do
      {:ok, ours} = Sysctl.read("kernel.hostname")
      assert Sysctl.write("kernel.hostname", "web-01", in: {:pid, pid}) == :ok
      assert Sysctl.read("kernel.hostname", in: {:pid, pid}) == {:ok, "web-01"}
      assert Sysctl.read("kernel.hostname") == {:ok, ours}
      assert sh!("nsenter", ["--uts", "--target", "#{pid}", "hostname"]) == "web-01"

      assert Sysctl.list("kernel.hostname", in: {:pid, pid}) ==
               {:ok, [%Entry{key: "kernel.hostname", value: "web-01"}]}
    end

    test "listing the container's subtree", %{pid: pid} do
      :ok = Sysctl.write("net.ipv4.ip_forward", 1, in: {:pid, pid})
      assert {:ok, net} = Sysctl.list("net.ipv4", in: {:pid, pid})
      assert %Entry{value: "1"} = Enum.find(net, &(&1.key == "net.ipv4.ip_forward"))
      assert {:ok, all} = Sysctl.list(in: {:pid, pid})
      assert %Entry{value: "1"} = Enum.find(all, &(&1.key == "net.ipv4.ip_forward"))
    end

    test "{:path, p}: one namespace file", %{pid: pid} do
      ns = "/proc/#{pid}/ns/net"
      assert Sysctl.write("net.ipv4.ip_forward", 1, in: {:path, ns}) == :ok
      assert Sysctl.read_int("net.ipv4.ip_forward", in: {:path, ns}) == {:ok, 1}
      assert Sysctl.read_int("net.ipv4.ip_forward") == {:ok, 0}
    end

    test "a target that is gone" do
      assert {:error, %Error{operation: :open_ns, errno: errno} = e} =
               Sysctl.write("kernel.hostname", "x", in: {:pid, 999_999_999})

      assert errno in [:enoent, :esrch]
      assert e.key == "kernel.hostname" and e.path == "/proc/sys/kernel/hostname"
    end
  end
end
