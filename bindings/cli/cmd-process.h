/* SPDX-License-Identifier: MIT */
/*
 * `linx spawn` and `linx enter`: run a workload through the checkpoint.
 * The command-table entries (cli_cmd_spawn, cli_cmd_enter in cli.h) call
 * linx_cli_process_run() with an argv whose argv[0] is the command name,
 * as getopt expects, and return the workload's exit status.
 */
#ifndef LINX_CLI_CMD_PROCESS_H
#define LINX_CLI_CMD_PROCESS_H

#include <stdbool.h>

#include <linx/process.h>

/* Copy argv with `name` prepended and run the session. */
int cli_process_command(int argc, char **argv, const char *name, bool enter);

/* Shared by both: parse the options, run the session, return the status. */
int linx_cli_process_run(int argc, char **argv, bool enter);

/* The session's agent, forked from us (agent-fork.c); or the program
 * $LINX_AGENT names, through linx_agent_start(). */
int cli_agent_start(struct linx_agent **ret, struct linx_error *err);

#endif
