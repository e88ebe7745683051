/* SPDX-License-Identifier: MIT */
/*
 * linx enter PID [--ns net,...] [options] -- argv...
 *
 * Runs argv inside the namespaces of process PID (all of them unless --ns
 * narrows it), like nsenter(1) or docker exec, through the same checkpoint
 * as `linx spawn`.
 */
#include "cmd-process.h"

int linx_cli_enter(int argc, char **argv)
{
	return linx_cli_process_run(argc, argv, true);
}
