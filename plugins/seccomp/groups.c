/* SPDX-License-Identifier: MIT */
/*
 * Named syscall groups ("@mount", "@file-system" ...), in the spirit of
 * systemd's SystemCallFilter= sets.  This table is the one place their
 * membership lives; filter.c expands a group wherever a syscall name may
 * appear.
 *
 * `members` are kernel names (arch/x86/entry/syscalls/syscall_64.tbl,
 * include/uapi/asm-generic/unistd.h); a member may itself be a group.
 * `compat` lists the names a group also covers that exist only on 32-bit
 * ABIs (arch/x86/entry/syscalls/syscall_32.tbl): on x86_64 libseccomp
 * knows them by a pseudo-number, so they matter to a filter that admits
 * the x86 ABI and cost nothing otherwise.  A name libseccomp does not
 * know at all (a syscall newer than it) is skipped: a group means "these
 * calls, as far as this machine knows them".
 */
#include <linx/plugin.h> /* first: host-table routing in module builds */

#include <string.h>

#include <linx/seccomp.h>

static const struct linx_seccomp_group groups[] = {
	{ "@basic-io", "read, write, seek and close open descriptors",
	  "read write readv writev pread64 pwrite64 preadv pwritev preadv2 "
	  "pwritev2 lseek close close_range dup dup2 dup3",
	  "_llseek" },
	{ "@clock", "set the system clock",
	  "adjtimex clock_adjtime settimeofday clock_settime",
	  "stime clock_adjtime64 clock_settime64" },
	{ "@cpu-emulation", "legacy CPU modes (LDT, vm86)", "modify_ldt",
	  "vm86 vm86old" },
	{ "@debug", "inspect or trace other processes",
	  "ptrace process_vm_readv process_vm_writev perf_event_open "
	  "lookup_dcookie kcmp",
	  "" },
	{ "@file-system", "paths, file metadata, directories, watches",
	  "open openat openat2 creat access faccessat faccessat2 chdir fchdir "
	  "getcwd chmod fchmod fchmodat chown fchown fchownat lchown mkdir "
	  "mkdirat mknod mknodat rmdir rename renameat renameat2 link linkat "
	  "symlink symlinkat unlink unlinkat readlink readlinkat stat fstat "
	  "lstat newfstatat statx statfs fstatfs truncate ftruncate fallocate "
	  "getdents getdents64 utime utimes utimensat futimesat "
	  "inotify_init inotify_init1 inotify_add_watch inotify_rm_watch "
	  "getxattr lgetxattr fgetxattr setxattr lsetxattr fsetxattr "
	  "listxattr llistxattr flistxattr removexattr lremovexattr "
	  "fremovexattr fcntl flock",
	  "stat64 lstat64 fstat64 fstatat64 statfs64 fstatfs64 truncate64 "
	  "ftruncate64 chown32 fchown32 lchown32 fcntl64 readdir oldstat "
	  "oldlstat oldfstat utimensat_time64" },
	{ "@io-event", "wait for events on descriptors",
	  "poll ppoll select pselect6 epoll_create epoll_create1 epoll_ctl "
	  "epoll_wait epoll_pwait epoll_pwait2 eventfd eventfd2",
	  "_newselect ppoll_time64 pselect6_time64" },
	{ "@ipc", "System V and POSIX IPC, pipes",
	  "pipe pipe2 msgget msgsnd msgrcv msgctl semget semop semtimedop "
	  "semctl shmget shmat shmdt shmctl mq_open mq_unlink mq_timedsend "
	  "mq_timedreceive mq_notify mq_getsetattr",
	  "ipc semtimedop_time64 mq_timedsend_time64 mq_timedreceive_time64" },
	{ "@keyring", "the kernel key retention service",
	  "add_key request_key keyctl", "" },
	{ "@module", "load and unload kernel modules",
	  "init_module finit_module delete_module", "" },
	{ "@mount", "mount, unmount, change the root",
	  "mount umount2 pivot_root chroot fsopen fsconfig fsmount fspick "
	  "move_mount open_tree mount_setattr",
	  "umount" },
	{ "@network-io", "sockets: create, connect, send, receive",
	  "socket socketpair bind listen accept accept4 connect getsockname "
	  "getpeername getsockopt setsockopt sendto recvfrom sendmsg recvmsg "
	  "sendmmsg recvmmsg shutdown",
	  "socketcall recvmmsg_time64" },
	{ "@obsolete", "calls the kernel no longer implements or never did",
	  "_sysctl uselib ustat sysfs create_module get_kernel_syms "
	  "query_module nfsservctl afs_syscall getpmsg putpmsg tuxcall "
	  "security vserver",
	  "break ftime gtty stty lock mpx prof profil idle ulimit" },
	{ "@privileged", "calls that need a capability to do anything",
	  "@clock @module @raw-io @reboot @swap acct bpf capset chroot "
	  "pivot_root open_by_handle_at quotactl quotactl_fd setdomainname "
	  "sethostname setfsuid setfsgid setgid setgroups setresgid setresuid "
	  "setregid setreuid setuid vhangup",
	  "setfsuid32 setfsgid32 setgid32 setgroups32 setresgid32 "
	  "setresuid32 setregid32 setreuid32 setuid32" },
	{ "@process", "create, replace, signal and wait for processes",
	  "clone clone3 fork vfork execve execveat exit exit_group kill tkill "
	  "tgkill wait4 waitid pidfd_open pidfd_send_signal pidfd_getfd "
	  "setns unshare rt_sigqueueinfo rt_tgsigqueueinfo",
	  "waitpid" },
	{ "@raw-io", "port I/O", "ioperm iopl", "" },
	{ "@reboot", "reboot, or boot another kernel",
	  "reboot kexec_load kexec_file_load", "" },
	{ "@resources", "change resource limits, priorities, placement",
	  "setrlimit prlimit64 setpriority sched_setparam sched_setscheduler "
	  "sched_setaffinity sched_setattr set_mempolicy mbind migrate_pages "
	  "move_pages ioprio_set",
	  "" },
	{ "@signal", "signal handlers, masks and waits",
	  "rt_sigaction rt_sigprocmask rt_sigpending rt_sigsuspend "
	  "rt_sigtimedwait rt_sigreturn sigaltstack signalfd signalfd4",
	  "sigaction signal sigprocmask sigpending sigsuspend sigreturn "
	  "sgetmask ssetmask rt_sigtimedwait_time64" },
	{ "@swap", "enable and disable swap", "swapon swapoff", "" },
	{ "@sync", "flush file data to storage",
	  "sync syncfs fsync fdatasync sync_file_range msync", "" },
};

const struct linx_seccomp_group *linx_seccomp_groups(size_t *ret_n)
{
	if (ret_n)
		*ret_n = sizeof(groups) / sizeof(groups[0]);
	return groups;
}

const struct linx_seccomp_group *linx_seccomp_group_find(const char *name,
							  size_t len)
{
	for (size_t i = 0; name && i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strlen(groups[i].name) == len &&
		    memcmp(groups[i].name, name, len) == 0)
			return &groups[i];
	return NULL;
}
