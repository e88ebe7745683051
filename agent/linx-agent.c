/* SPDX-License-Identifier: MIT */
/*
 * linx-agent: the agent (agent-main.h) as a program.
 *
 *   linx-agent [--in FD] [--out FD] [--preload PLUGIN,...]
 *
 * Requests are read on --in (default 3), events written on --out (default
 * 4): the layout of an Erlang Port opened with nouse_stdio.  Plugins in
 * --preload, or else $LINX_AGENT_PRELOAD, are loaded before anything is
 * cloned.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent-main.h"

static void usage(void) __attribute__((noreturn));
static void usage(void)
{
	static const char text[] =
		"usage: linx-agent [--in FD] [--out FD] [--preload P,...]\n"
		"Speaks the Linx checkpoint protocol (4-byte big-endian "
		"length frames)\non FD (default 3, requests) and FD "
		"(default 4, events).\n";

	if (write(2, text, sizeof(text) - 1) < 0)
		_exit(2);
	_exit(2);
}

/* The command line; anything else, or a descriptor that is not open, is a
 * usage error. */
static void parse_args(int argc, char **argv, int *in, int *out,
		       const char **preload)
{
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--in") == 0)
			*in = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--out") == 0)
			*out = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--preload") == 0)
			*preload = argv[++i];
		else
			usage();
	}
	if (fcntl(*in, F_GETFD) < 0 || fcntl(*out, F_GETFD) < 0)
		usage();
}

int main(int argc, char **argv)
{
	const char *preload = getenv("LINX_AGENT_PRELOAD");
	int in = 3, out = 4;

	parse_args(argc, argv, &in, &out, &preload);
	return agent_main(in, out, preload);
}
