/* SPDX-License-Identifier: MIT */
/*
 * `linx spawn` and `linx enter`: run a workload through the checkpoint.
 * Each entry takes the command's argv (argv[0] is the command name) and
 * returns the process exit status.  cmd-enter.c uses the session driver in
 * cmd-spawn.c, so the two files are linked together.
 */
#ifndef LINX_CLI_CMD_PROCESS_H
#define LINX_CLI_CMD_PROCESS_H

#include <stdbool.h>

int linx_cli_spawn(int argc, char **argv);
int linx_cli_enter(int argc, char **argv);

/* Shared by both: parse the options, run the session, return the status. */
int linx_cli_process_run(int argc, char **argv, bool enter);

#endif
