/* SPDX-License-Identifier: MIT */
/* Say "ready", read one line, then crash with SIGSEGV (no core file). */
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>

int main(void)
{
	struct rlimit none = { 0, 0 };
	char line[64];

	setrlimit(RLIMIT_CORE, &none);
	puts("ready");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 3;
	/* A real crash even when built with a sanitizer, whose handler
	 * would turn it into an abort. */
	signal(SIGSEGV, SIG_DFL);
	*(volatile int *)0 = 1;
	return 4;
}
