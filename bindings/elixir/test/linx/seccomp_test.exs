defmodule Linx.SeccompTest do
  # Linx.Seccomp: building filters (the spec's examples and errors, and
  # PropEr properties of the data form and the Builder), the exported BPF,
  # and installing at the checkpoint with the workload's behaviour checked:
  # a denied syscall fails with EPERM, a syscall off an allow-list kills
  # it with SIGSYS.  Last, the README's headline composition: user maps,
  # capabilities, seccomp and no_new_privs on one workload.
  use ExUnit.Case, async: false

  import LinxTest.Kernel
  import LinxTest.Checkpoint

  alias :proper_types, as: T
  alias Linx.Capabilities, as: Caps
  alias Linx.Process, as: P
  alias Linx.Seccomp, as: S
  alias Linx.Seccomp.{Builder, Error, Filter}
  alias LinxTest.Gen

  doctest Linx.Seccomp
  doctest Linx.Seccomp.Error

  @root_only skip_unless(root?(), "needs root: user namespaces and a full capability set")
  # Under `tests/run --asan` the agent is built with the sanitizers, and
  # its runtime makes system calls of its own between the filter's
  # install and execve, which a tight allow list kills.
  @sanitized skip_unless(
               System.get_env("LINX_NIF_SANITIZE") not in ["1", "true"],
               "the sanitized agent makes system calls a tight allow list kills"
             )

  @spec_rules [
    {:allow, :read},
    {:allow, :write},
    {:allow, :openat},
    {:allow, :close},
    {:allow, :exit_group},
    {{:errno, :eperm}, :ptrace},
    {:kill_process, :kexec_load}
  ]

  describe "building" do
    test "arch and supported" do
      assert S.arch() in [:x86_64, :aarch64]
      assert S.arch() == S.arch()
      assert S.supported?() == (File.read!("/proc/self/status") =~ ~r/^Seccomp:/m)
    end

    test "from_rules and to_rules round trip (the guide's rules)" do
      assert {:ok, %Filter{arch: arch, bpf: bpf, rules: {@spec_rules, :allow}} = f} =
               S.from_rules({@spec_rules, :allow})

      assert arch == S.arch()
      assert {:ok, {@spec_rules, :allow}} = S.to_rules(f)
      assert byte_size(bpf) > 0 and rem(byte_size(bpf), 8) == 0

      assert inspect(f) ==
               "#Linx.Seccomp.Filter<#{arch} 7 syscalls, #{div(byte_size(bpf), 8)} BPF insns>"
    end

    test "allow_list and deny_list defaults" do
      assert {:ok, f} = S.allow_list([:read, :write])
      assert {:ok, {[{:allow, :read}, {:allow, :write}], :kill_process}} = S.to_rules(f)

      assert {:ok, f} = S.allow_list(MapSet.new([:read]), default: :log)
      assert {:ok, {[{:allow, :read}], :log}} = S.to_rules(f)

      assert {:ok, f} = S.deny_list(~w(kexec_load init_module delete_module ptrace mount)a)
      assert {:ok, {rules, :allow}} = S.to_rules(f)
      assert Enum.all?(rules, &match?({{:errno, :eperm}, _}, &1))
      assert length(rules) == 5

      assert {:ok, f} = S.deny_list([:kexec_load, :init_module], deny_action: :kill_process)

      assert {:ok, {[{:kill_process, :kexec_load}, {:kill_process, :init_module}], :allow}} =
               S.to_rules(f)

      assert {:ok, f} = S.deny_list([:ptrace], deny_action: {:errno, 13}, default: :trap)
      assert {:ok, {[{{:errno, e}, :ptrace}], :trap}} = S.to_rules(f)
      assert e in [13, :eacces]
    end

    test "the Builder example" do
      b =
        S.builder()
        |> Builder.allow(:read)
        |> Builder.allow(:write)
        |> Builder.deny(:ptrace, errno: :eperm)
        |> Builder.deny(:kexec_load, action: :kill_process)

      assert b.rules == [
               {:kill_process, :kexec_load},
               {{:errno, :eperm}, :ptrace},
               {:allow, :write},
               {:allow, :read}
             ]

      assert {:ok, %Filter{} = f} = Builder.build(b, default: :allow)

      assert {:ok,
              {[
                 {:allow, :read},
                 {:allow, :write},
                 {{:errno, :eperm}, :ptrace},
                 {:kill_process, :kexec_load}
               ], :allow}} = S.to_rules(f)

      assert Builder.new() == S.builder()
      assert Builder.deny(Builder.new(), :ptrace).rules == [{{:errno, :eperm}, :ptrace}]

      assert Builder.deny(Builder.new(), :ptrace, errno: :eacces).rules == [
               {{:errno, :eacces}, :ptrace}
             ]

      assert Builder.deny(Builder.new(), :ptrace, errno: :eacces, action: :trap).rules == [
               {:trap, :ptrace}
             ]

      # build/1 defaults to :kill_process
      assert {:ok, f} = S.builder() |> Builder.allow(:read) |> Builder.build()
      assert {:ok, {_, :kill_process}} = S.to_rules(f)
    end

    test "the spec's build errors" do
      assert {:error, {:unknown_syscall, :not_a_real_syscall}} =
               S.allow_list([:not_a_real_syscall])

      assert {:error, {:bad_action, :not_an_action}} =
               S.allow_list([:read], default: :not_an_action)

      assert {:error, {:duplicate_rule, :read}} = S.allow_list([:read, :read])
      assert {:error, {:bad_rule, :not_a_rule}} = S.from_rules({[:not_a_rule], :allow})

      assert {:error, {:unknown_syscall, :not_a_real_syscall}} =
               S.from_rules({[{:allow, :not_a_real_syscall}], :allow})

      assert {:error, {:duplicate_rule, :write}} =
               S.from_rules({[{:allow, :write}, {:log, :read}, {:trap, :write}], :allow})

      assert {:error, {:bad_action, {:errno, :not_an_errno}}} =
               S.from_rules({[{:allow, :read}, {{:errno, :not_an_errno}, :write}], :allow})

      assert {:error, {:bad_action, {:errno, 4096}}} =
               S.from_rules({[{{:errno, 4096}, :write}], :allow})

      assert {:error, {:bad_action, :nope}} = S.deny_list([:read], deny_action: :nope)
      assert {:error, {:bad_rule, {:allow, "read"}}} = S.from_rules({[{:allow, "read"}], :allow})
      assert {:error, {:bad_rule, {1, 2, 3}}} = S.from_rules({[{1, 2, 3}], :allow})
      assert {:error, {:bad_rule, :nope}} = S.from_rules(:nope)
      assert {:error, {:unknown_syscall, "read"}} = S.allow_list(["read"])
      assert {:error, {:unknown_syscall, 42}} = S.allow_list(42)
      assert {:error, {:empty_list, :syscalls}} = S.allow_list([])
      assert {:error, {:empty_list, :rules}} = S.from_rules({[], :allow})
      assert {:error, {:unknown_syscall, :"@no-such-group"}} = S.allow_list([:"@no-such-group"])
      assert {:error, {:bad_options, :x}} = S.allow_list([:read], :x)
      assert {:error, {:bad_options, :x}} = Builder.build(S.builder(), :x)
      assert {:error, :no_rules} = S.to_rules(%Filter{arch: S.arch(), bpf: <<0::64>>})
      assert {:error, {:bad_filter, :x}} = S.to_rules(:x)

      # A build failure outside the tagged ones is the struct.
      assert {:error, %Error{operation: :build}} = S.allow_list([:read], default: {:errno, 4095})
    end

    test "groups expand, and to_rules reports one rule per syscall" do
      assert {:ok, f} = S.deny_list([:"@mount"])
      assert {:ok, {rules, :allow}} = S.to_rules(f)
      assert {{:errno, :eperm}, :mount} in rules
      assert {{:errno, :eperm}, :umount2} in rules
    end

    test "Error messages" do
      assert Exception.message(Error.from_posix(:e2big, :build)) ==
               "seccomp build failed: e2big (errno 7)"

      assert Error.from_process_error(1, :seccomp_install) == Error.from_posix(:eperm, :install)

      assert %Error{operation: :set_no_new_privs, errno: :einval, code: 22} =
               Error.from_process_error(22, :seccomp_no_new_privs)

      assert Error.from_process_error(1, :execve) == nil
      assert Error.from_posix(:not_posix, :build).code == nil
    end
  end

  describe "the exported BPF" do
    test "is struct sock_filter instructions, checking the arch first" do
      {:ok, %Filter{bpf: bpf}} = S.allow_list([:read, :write, :exit_group])
      insns = for <<code::little-16, jt::8, jf::8, k::little-32 <- bpf>>, do: {code, jt, jf, k}
      assert length(insns) * 8 == byte_size(bpf)
      # BPF_LD | BPF_W | BPF_ABS of seccomp_data.arch (offset 4).
      assert {0x20, 0, 0, 4} = hd(insns)
      # It ends with a return (BPF_RET | BPF_K).
      assert {0x06, _, _, _} = List.last(insns)
    end

    test "the data form rebuilds the same program" do
      {:ok, f} = S.from_rules({@spec_rules, :kill_process})
      {:ok, data} = S.to_rules(f)
      {:ok, g} = S.from_rules(data)
      assert g.bpf == f.bpf
      assert g == f
    end
  end

  describe "properties (PropEr)" do
    @pool ~w(read write openat close fstat mmap munmap brk ptrace kexec_load mkdir mkdirat
             getpid uname chdir dup pipe2 socket bind listen)a

    defp action_gen do
      T.oneof([
        T.oneof([:allow, :kill_process, :kill_thread, :trap, :log]),
        T.tuple([:errno, T.oneof([:eperm, :eacces, :enosys, :einval])])
      ])
    end

    defp rules_gen do
      T.bind(
        T.non_empty(T.list(T.tuple([action_gen(), T.oneof(@pool)]))),
        fn rules -> Enum.uniq_by(rules, &elem(&1, 1)) end,
        false
      )
    end

    test "from_rules -> to_rules is the identity, and rebuilds the same program" do
      prop = fn {rules, default} ->
        {:ok, f} = S.from_rules({rules, default})
        {:ok, {^rules, ^default}} = S.to_rules(f)
        {:ok, g} = S.from_rules({rules, default})
        g.bpf == f.bpf and rem(byte_size(f.bpf), 8) == 0 and f.rules == {rules, default}
      end

      assert Gen.quickcheck(T.tuple([rules_gen(), action_gen()]), 300, prop) == true
    end

    test "the Builder builds what from_rules builds" do
      prop = fn {rules, default} ->
        b =
          Enum.reduce(rules, S.builder(), fn
            {:allow, s}, b -> Builder.allow(b, s)
            {{:errno, e}, s}, b -> Builder.deny(b, s, errno: e)
            {a, s}, b -> Builder.deny(b, s, action: a)
          end)

        Builder.build(b, default: default) == S.from_rules({rules, default})
      end

      assert Gen.quickcheck(T.tuple([rules_gen(), action_gen()]), 300, prop) == true
    end

    test "a syscall named twice is a duplicate_rule naming it" do
      gen = T.tuple([rules_gen(), action_gen(), T.non_neg_integer()])

      prop = fn {rules, action, i} ->
        {_, dup} = Enum.at(rules, rem(i, length(rules)))
        S.from_rules({rules ++ [{action, dup}], :allow}) == {:error, {:duplicate_rule, dup}}
      end

      assert Gen.quickcheck(gen, 200, prop) == true
    end

    test "any term as input is an error tuple, never a crash" do
      prop = fn term ->
        results = [
          S.from_rules(term),
          S.from_rules({term, :allow}),
          S.from_rules({[term], :allow}),
          S.from_rules({[{term, :read}], :allow}),
          S.from_rules({[{:allow, :read}], term}),
          S.allow_list(term),
          S.allow_list([term]),
          S.allow_list([:read], default: term),
          S.deny_list([:read], deny_action: term),
          S.deny_list(List.wrap(term)),
          Builder.build(Builder.allow(S.builder(), term)),
          Builder.build(Builder.deny(S.builder(), :read, errno: term)),
          S.to_rules(term),
          S.to_rules(%Filter{arch: S.arch(), bpf: <<>>, rules: {[term], :allow}}),
          S.to_rules(%Filter{arch: S.arch(), bpf: <<>>, rules: {[{:allow, :read}], term}})
        ]

        Enum.all?(results, &match?({tag, _} when tag in [:ok, :error], &1))
      end

      assert Gen.quickcheck(Gen.term(), 500, prop) == true
    end
  end

  # ---- installing ----------------------------------------------------------

  defp tmp_path(name) do
    Path.join(System.tmp_dir!(), "linx-seccomp-#{name}-#{System.unique_integer([:positive])}")
  end

  describe "install/2" do
    test "deny mkdir: the workload's mkdir fails with EPERM" do
      {:ok, filter} = S.deny_list([:mkdir, :mkdirat])

      dir = tmp_path("denied")
      {:ok, c} = P.spawn(argv: ["/bin/mkdir", dir], stdio: :pty)
      ready!()
      assert :ok = S.install(c, filter)
      {out, term} = run!(c)
      assert term == {:linx_process, :exited, 1}
      assert out =~ "Operation not permitted"
      refute File.exists?(dir)

      # The same workload without the filter makes the directory.
      ok_dir = tmp_path("allowed")
      {:ok, c} = P.spawn(argv: ["/bin/mkdir", ok_dir], stdio: :pty)
      ready!()
      assert {_, {:linx_process, :exited, 0}} = run!(c)
      assert File.dir?(ok_dir)
      File.rmdir!(ok_dir)
    end

    test "a syscall off the allow-list kills the workload with SIGSYS" do
      {:ok, c} = P.spawn(argv: ["/bin/sh", "-c", "true"], no_new_privs: true, stdio: :pty)
      ready!()
      # Pathologically tight: not even execve.
      {:ok, filter} = S.allow_list(~w(write openat close exit_group)a, default: :kill_process)
      assert :ok = S.install(c, filter)
      assert {_, {:linx_process, :signaled, 31}} = run!(c)
    end

    test "no_new_privs, and the filter in the workload's status" do
      {:ok, c} = P.spawn(argv: ["/bin/cat", "/proc/self/status"], no_new_privs: true, stdio: :pty)
      host = ready!()
      {:ok, filter} = S.deny_list([:ptrace])
      assert :ok = S.install(c, filter)
      # Staged for the last step before execve: not loaded while parked.
      assert File.read!("/proc/#{host}/status") |> status_field("Seccomp") == "0"
      {out, {:linx_process, :exited, 0}} = run!(c)
      assert status_field(out, "NoNewPrivs") == "1"
      assert status_field(out, "Seccomp") == "2"

      {:ok, c} = P.spawn(argv: ["/bin/cat", "/proc/self/status"], stdio: :pty)
      ready!()
      {out, {:linx_process, :exited, 0}} = run!(c)
      assert status_field(out, "Seccomp") == "0"
      assert {:error, {:bad_no_new_privs, 1}} = P.spawn(argv: ["/bin/true"], no_new_privs: 1)
    end

    test "outside the checkpoint: :not_ready, :running, :no_process" do
      {:ok, filter} = S.deny_list([:ptrace])
      {:ok, c} = P.spawn(argv: ["/bin/sh", "-c", "exit 4"], stdio: :devnull)
      # Usually before the child is parked; a fast agent may have
      # reported :ready already, and then the install works.
      assert S.install(c, filter) in [{:error, :not_ready}, :ok]
      ready!()
      assert :ok = P.proceed(c)
      assert {:error, :running} = S.install(c, filter)
      assert {:ok, {:exited, 4}} = P.wait(c, t())
      assert {:error, :no_process} = S.install(c, filter)
    end

    test "bad filters are refused and the child stays parked" do
      {:ok, c} = P.spawn(argv: ["/bin/sh", "-c", "exit 5"], stdio: :devnull)
      ready!()
      other = if S.arch() == :x86_64, do: :aarch64, else: :x86_64
      {:ok, filter} = S.deny_list([:ptrace])

      assert {:error, {:bad_filter, :x}} = S.install(c, :x)
      assert {:error, {:bad_filter, _}} = S.install(c, %{filter | arch: other})
      assert {:error, {:bad_filter, _}} = S.install(c, %{filter | bpf: :nope})
      # Not whole instructions: the plugin refuses it in the child.
      assert {:error, {:bad_filter, _}} = S.install(c, %{filter | bpf: <<1, 2, 3>>})
      assert {:error, {:bad_filter, _}} = S.install(c, %{filter | bpf: <<>>})
      assert :ok = P.proceed(c)
      assert {:ok, {:exited, 5}} = P.wait(c, t())
    end

    test "a program the kernel refuses ends the session at :seccomp_install" do
      {:ok, c} = P.spawn(argv: ["/bin/true"], stdio: :devnull)
      ready!()
      # One instruction that is not a return: EINVAL from seccomp(2).
      assert :ok = S.install(c, %Filter{arch: S.arch(), bpf: <<0::64>>})
      assert {_, {:linx_process, :error, 22, :seccomp_install} = ev} = run!(c)
      {:linx_process, :error, errno, stage} = ev
      assert %Error{operation: :install, errno: :einval} = Error.from_process_error(errno, stage)
    end
  end

  # The README's headline, as far as these modules reach: a workload in
  # fresh namespaces, root inside mapped to the caller outside, one
  # capability kept, an allow-list filter, no_new_privs.
  @tag skip: @root_only || @sanitized
  test "headline composition: user maps + caps keep + seccomp allow + no_new_privs" do
    status = File.read!("/proc/self/status")
    my_uid = status_field(status, "Uid") |> String.to_integer()
    my_gid = status_field(status, "Gid") |> String.to_integer()

    {:ok, c} =
      P.spawn(
        argv: ["/bin/cat", "/proc/self/status"],
        namespaces: [:user, :mount, :pid, :uts, :ipc],
        no_new_privs: true,
        stdio: :pty
      )

    host = ready!()

    :ok = Linx.User.setup_maps(host, uid: [{0, my_uid, 1}], gid: [{0, my_gid, 1}])

    keep = [:cap_net_bind_service]
    :ok = Caps.drop_bounding(c, MapSet.difference(Caps.Constants.all(), MapSet.new(keep)))
    :ok = Caps.set_thread_sets(c, effective: keep, permitted: keep, inheritable: [])

    {:ok, filter} =
      S.allow_list(
        ~w(execve brk arch_prctl mmap mprotect munmap access openat newfstatat fstat
           read pread64 write close lseek fadvise64 set_tid_address set_robust_list
           rseq prlimit64 getrandom futex exit_group)a,
        default: :kill_process
      )

    :ok = S.install(c, filter)

    # Seen from outside while parked.
    assert File.read!("/proc/#{host}/uid_map") |> String.split() == ~w(0 #{my_uid} 1)
    assert {:ok, %{bounding: bnd}} = Caps.read(host)
    assert bnd == MapSet.new(keep)

    :ok = P.proceed(c)
    {out, term} = finish!()
    assert term == {:linx_process, :exited, 0}, out

    # Seen by the workload.
    assert status_field(out, "Uid") == "0"
    assert status_field(out, "NoNewPrivs") == "1"
    assert status_field(out, "Seccomp") == "2"
    m = Caps.Constants.to_mask(keep)
    assert hex(out, "CapBnd") == m
    assert hex(out, "CapEff") == m
    assert hex(out, "CapPrm") == m
    # In its own pid namespace, it is pid 1 (NSpid: outer ... innermost).
    assert [_ | _] = nspid = Regex.run(~r/^NSpid:\s*(.*)$/m, out, capture: :all_but_first)
    assert nspid |> hd() |> String.split() |> List.last() == "1"
  end
end
