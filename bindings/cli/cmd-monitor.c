/* SPDX-License-Identifier: MIT */
/*
 * linx monitor PLUGIN [--count N] [--netns TARGET] [name=value | name:=JSON]...
 *
 * Generic event streaming over three verbs a plugin may provide:
 *
 *   PLUGIN.monitor.open  {...the arguments given here}  -> a handle
 *   PLUGIN.monitor.read  {monitor: handle, timeout_ms}  -> nil, an event,
 *                                                          or a list of them
 *   PLUGIN.monitor.close {monitor: handle}               (optional)
 *
 * Each event is printed as one compact JSON line (JSON Lines; --pretty
 * does not apply) and flushed, until SIGINT or SIGTERM, N events with
 * --count, or an error from read.  timeout_ms is passed only if the read
 * verb declares it; it bounds how long a signal can go unnoticed when the
 * plugin retries its wait after EINTR.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* How long one read may wait for events. */
#define READ_TIMEOUT_MS 500

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* No SA_RESTART: a read blocked in poll(2)/recv(2) returns EINTR. */
static void set_handlers(bool catch)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = catch ? on_stop : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static bool has_param(const struct linx_verb *v, const char *name)
{
	for (uint32_t i = 0; i < v->n_params; i++)
		if (strcmp(v->params[i].name, name) == 0)
			return true;
	return false;
}

static int parse_count(struct cli *cli, const char *text, uint64_t *ret)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(text, &end, 10);
	if (!*text || *end || errno || text[0] == '-' || n == 0) {
		cli_usage_error(cli->command,
				"--count: \"%s\" is not a positive integer",
				cli_short(text));
		return CLI_EXIT_USAGE;
	}
	*ret = n;
	return 0;
}

/* Print one event; returns 0 or an exit status. */
static int print_event(struct cli *cli, const char *verb,
		       const struct linx_value *ev)
{
	char why[CLI_JSON_ERR_MAX];
	json_t *j = cli_value_to_json(ev, why);
	char *text;
	int r = 0;

	if (!j) {
		cli_usage_error(verb, "cannot print an event: %s", why);
		return CLI_EXIT_FAILED;
	}
	text = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	if (!text)
		return cli_oom(verb);
	if (puts(text) == EOF || fflush(stdout) == EOF) {
		/* A stop signal can interrupt a write blocked on a full pipe
		 * (no SA_RESTART): that is the requested stop, not an error.
		 * EPIPE means the reader has gone; nobody needs telling. */
		int e = errno;

		r = e == EINTR && stop_signal ? 0 : CLI_EXIT_FAILED;
		if (r && e != EPIPE)
			cli_usage_error(cli->command, "writing output: %s",
					strerror(e));
	}
	free(text);
	return r;
}

struct monitor {
	struct cli *cli;
	const struct linx_verb *open, *read, *close;
	uint64_t count;	  /* 0: no limit */
	uint64_t printed;
};

/* The read loop; returns an exit status. */
static int pump(struct monitor *m, struct linx_value *read_args)
{
	struct linx_error err;

	while (!stop_signal && (!m->count || m->printed < m->count)) {
		struct linx_value res = linx_value_nil();
		int status = 0;

		if (linx_call_verb(m->read, read_args, &res, 0, &err) < 0) {
			/* A signal that interrupted the read is the way out,
			 * not an error. */
			if (stop_signal)
				return CLI_EXIT_OK;
			return cli_report(m->read->name, &err);
		}
		if (res.type == LINX_LIST) {
			for (uint32_t i = 0;
			     !status && !stop_signal && i < res.len &&
			     (!m->count || m->printed < m->count);
			     i++, m->printed++)
				status = print_event(m->cli, m->read->name,
						     &res.items[i]);
		} else if (res.type != LINX_NIL) {
			status = print_event(m->cli, m->read->name, &res);
			m->printed++;
		}
		linx_value_clear(&res);
		if (status)
			return status;
	}
	return CLI_EXIT_OK;
}

static int find_verbs(struct monitor *m, const char *plugin)
{
	char name[3][160];
	const struct linx_verb **slot[3] = { &m->open, &m->read, &m->close };
	static const char *const what[3] = { "open", "read", "close" };

	for (int i = 0; i < 3; i++) {
		struct linx_error err;

		snprintf(name[i], sizeof(name[i]), "%s.monitor.%s", plugin,
			 what[i]);
		if (linx_registry_find(m->cli->reg, name[i], slot[i], &err) < 0)
			*slot[i] = NULL;
	}
	if (m->open && m->read)
		return 0;
	cli_usage_error(m->cli->command,
			"plugin \"%s\" cannot stream events: it lacks %s%s%s "
			"(linx verbs %s lists what it has)",
			plugin, m->open ? "" : name[0],
			!m->open && !m->read ? " and " : "",
			m->read ? "" : name[1], plugin);
	return CLI_EXIT_USAGE;
}

/* The open verb's arguments: the command line's, then --netns T as
 * netns=T, typed by the open verb's schema like any other argument (a pid
 * or a namespace file path).  Returns 0 or an exit status. */
static int open_args_parse(struct monitor *m, int argc, char **argv,
			   const char *netns_opt, struct linx_value *ret)
{
	char *arg = NULL;
	int status = cli_args_parse(m->cli, m->open, argc, argv, ret);

	if (status || !netns_opt)
		return status;
	if (asprintf(&arg, "netns=%s", netns_opt) < 0)
		return cli_oom(m->cli->command);
	status = cli_args_parse(m->cli, m->open, 1, &arg, ret);
	free(arg);
	return status;
}

/* {monitor: handle} in a new map `ret`, holding its own reference to the
 * handle; < 0 when out of memory. */
static int handle_args(const struct linx_value *handle, struct linx_value *ret)
{
	struct linx_value ref;

	*ret = linx_value_map();
	if (linx_value_copy(&ref, handle) < 0)
		return -ENOMEM;
	return linx_map_put(ret, "monitor", &ref);
}

/* Close the handle if the plugin can; returns `status`, or the close's
 * exit status when `status` is 0. */
static int monitor_close(struct monitor *m, const struct linx_value *handle,
			 int status)
{
	struct linx_value close_args, res = linx_value_nil();
	struct linx_error err;

	if (!m->close)
		return status;
	if (handle_args(handle, &close_args) < 0) {
		status = cli_oom(m->cli->command);
	} else if (linx_call_verb(m->close, &close_args, &res, 0, &err) < 0) {
		int r = cli_report(m->close->name, &err);

		status = status ? status : r;
	}
	linx_value_clear(&res);
	linx_value_clear(&close_args);
	return status;
}

/* Open, read until told to stop, close; returns an exit status. */
static int monitor_run(struct monitor *m, const struct linx_value *open_args)
{
	struct linx_value handle = linx_value_nil();
	struct linx_value read_args = linx_value_nil();
	struct linx_error err;
	int status = 0;

	stop_signal = 0;
	set_handlers(true);
	if (linx_call_verb(m->open, open_args, &handle, 0, &err) < 0) {
		status = cli_report(m->open->name, &err);
		goto out;
	}
	if (handle_args(&handle, &read_args) < 0 ||
	    (has_param(m->read, "timeout_ms") &&
	     linx_map_put_int(&read_args, "timeout_ms", READ_TIMEOUT_MS) < 0))
		status = cli_oom(m->cli->command);
	if (!status)
		status = pump(m, &read_args);
	/* A second Ctrl-C while closing ends the process at once. */
	set_handlers(false);
	status = monitor_close(m, &handle, status);
out:
	set_handlers(false);
	linx_value_clear(&read_args);
	linx_value_clear(&handle);
	return status;
}

int cli_cmd_monitor(struct cli *cli, int argc, char **argv)
{
	const char *count_opt = NULL, *netns_opt = NULL;
	const struct cli_option opts[] = {
		{ "--count", "-n", &count_opt },
		{ "--netns", NULL, &netns_opt },
		{ 0 },
	};
	struct monitor m = { .cli = cli };
	struct linx_value open_args = linx_value_map();
	int status, npos;

	if (!cli_parse(cli, argc, argv, opts, &npos, &status))
		return status;
	if (npos == 0) {
		cli_usage_error(cli->command, "missing PLUGIN");
		return CLI_EXIT_USAGE;
	}
	if (count_opt && (status = parse_count(cli, count_opt, &m.count)))
		return status;
	status = cli_load_plugin(cli, argv[0]);
	if (status)
		return status;
	status = find_verbs(&m, argv[0]);
	if (status)
		return status;
	status = open_args_parse(&m, npos - 1, argv + 1, netns_opt, &open_args);
	if (!status)
		status = monitor_run(&m, &open_args);
	linx_value_clear(&open_args);
	return status;
}
