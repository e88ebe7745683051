/* SPDX-License-Identifier: MIT */
/*
 * linx enter PID [--ns net,...] [options] -- argv...
 *
 * Runs argv inside the namespaces of process PID (all of them unless --ns
 * narrows it), like nsenter(1) or docker exec, through the same checkpoint
 * as `linx spawn`.
 */
#include "cli.h"
#include "cmd-process.h"

int cli_cmd_enter(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	return cli_process_command(argc, argv, "enter", true);
}
