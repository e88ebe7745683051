/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for the `linx` CLI until its command table lands: dispatches
 * "spawn" and "enter" to the entry functions in bindings/cli.
 */
#include <stdio.h>
#include <string.h>

#include "cmd-process.h"

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "spawn") == 0)
		return linx_cli_spawn(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "enter") == 0)
		return linx_cli_enter(argc - 1, argv + 1);
	fprintf(stderr, "usage: %s spawn|enter ...\n", argv[0]);
	return 2;
}
