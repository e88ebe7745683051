/* SPDX-License-Identifier: MIT */
/*
 * A workload for the seccomp tests: calls getpid through one ABI and exits
 * with the errno it got (0 on success).  Static, so its start-up makes few
 * syscalls and an allow-list can name them all.
 *
 *   probe ok       exit 0 without calling getpid
 *   probe native   getpid through the x86_64 ABI
 *   probe mkdirat  mkdirat(2) under a directory that does not exist:
 *                  ENOENT unfiltered, changes nothing either way
 *   probe x32      getpid with __X32_SYSCALL_BIT (arch/x86/include/uapi/
 *                  asm/unistd.h): an x32 call, AUDIT_ARCH_X86_64
 *   probe i386     getpid (20 in the i386 table) through int 0x80:
 *                  AUDIT_ARCH_I386
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long r;

	if (argc < 2)
		return 100;
	if (strcmp(argv[1], "ok") == 0)
		return 0;
	if (strcmp(argv[1], "native") == 0) {
		r = syscall(SYS_getpid);
		return r < 0 ? errno : 0;
	}
	if (strcmp(argv[1], "mkdirat") == 0) {
		r = mkdirat(AT_FDCWD, "/nonexistent-linx-probe/d", 0700);
		return r < 0 ? errno : 0;
	}
#if defined(__x86_64__)
	if (strcmp(argv[1], "x32") == 0) {
		r = syscall(0x40000000L | SYS_getpid);
		return r < 0 ? errno : 0;
	}
	if (strcmp(argv[1], "i386") == 0) {
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		return r < 0 ? (int)-r : 0;
	}
#endif
	return 101;
}
