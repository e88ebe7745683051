/* SPDX-License-Identifier: MIT */
/*
 * The command table.  To add a command: write cmd-<name>.c with one entry
 * function (declared in cli.h), add a row here and the file to
 * meson.build.  `linx --help` lists the rows in this order.
 */
#include <string.h>

#include "cli.h"

const struct cli_command cli_commands[] = {
	{ "plugins", "",
	  "Load every plugin on the search path and list them as JSON, "
	  "refused ones included.",
	  cli_cmd_plugins },
	{ "verbs", "[PLUGIN]",
	  "List every verb (of one plugin) with its flags and parameters, "
	  "as JSON.",
	  cli_cmd_verbs },
	{ "help", "[VERB|PLUGIN|COMMAND]",
	  "Describe a verb (parameters, flags, result), a plugin's verbs, "
	  "or a command.",
	  cli_cmd_help },
	{ "call", "VERB [--json OBJECT|-] [name=value | name:=JSON]...",
	  "Call a verb and print its result as JSON.", cli_cmd_call },
	{ "batch", "PLUGIN [--chunk N] [name=value | name:=JSON]... < OPS.jsonl",
	  "Stream ops, one JSON object per line, into PLUGIN.batch; print "
	  "the failures by line and a count.",
	  cli_cmd_batch },
	{ "monitor",
	  "PLUGIN [--count N] [--netns PID|PATH] [name=value | name:=JSON]...",
	  "Stream a plugin's events as JSON lines (PLUGIN.monitor.open, "
	  ".read, .close).",
	  cli_cmd_monitor },
	{ "reconcile",
	  "SUBSYSTEM DESIRED.json [--netns T|--in T|--path P] [--state FILE] "
	  "[--watch [--interval MS] [--debounce MS]] [name=value]...",
	  "Converge rtnl, sysctl or cgroup on a desired state: one pass, or "
	  "a loop that heals drift; reports as JSON.",
	  cli_cmd_reconcile },
	{ "nft",
	  "pull|push|diff|apply|validate|gen [FILE.json|-] [--netns T] ...",
	  "nf_tables rulesets as JSON: pull, push (--hold for owner tables), "
	  "diff, apply a patch, validate, the generation.",
	  cli_cmd_nft },
	{ "spawn",
	  "[--ns LIST] [--uid-map M] [--caps-keep LIST] "
	  "[--seccomp-allow LIST|--seccomp-deny LIST] [--pty] ... -- ARGV...",
	  "Run a workload through the checkpoint: namespaces, identity, "
	  "capabilities and syscalls decided before execve.",
	  cli_cmd_spawn },
	{ "enter", "PID [--ns LIST] ... -- ARGV...",
	  "Run a workload inside an existing process's namespaces "
	  "(like nsenter).",
	  cli_cmd_enter },
	{ 0 },
};

const struct cli_command *cli_command_find(const char *name)
{
	if (!name)
		return NULL;
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
