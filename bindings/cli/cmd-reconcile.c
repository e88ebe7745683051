/* SPDX-License-Identifier: MIT */
/*
 * linx reconcile SUBSYSTEM DESIRED.json [--netns T | --in T | --path P]
 *                [--state FILE] [--watch [--interval MS] [--debounce MS]]
 *                [name=value | name:=JSON]...
 *
 * Drives SUBSYSTEM.reconcile (rtnl, sysctl, cgroup: any plugin with that
 * verb) with the desired state read from DESIRED.json ("-": stdin).  The
 * scope option becomes the verb's argument of the same name, extra
 * arguments go to the verb as with `linx call` (protocol=77,
 * revert_on_release=true).
 *
 * One pass prints the report as JSON and exits 0 when it converged, 1
 * when an op failed or is pending (the report says which).
 *
 * --state FILE keeps last_applied between runs: read at start (absent:
 * nothing owned), replaced after every pass that ran, by writing FILE.tmp,
 * fsync(2) and rename(2) over FILE, so a crash at any point leaves either
 * the old or the new state, never a torn one.
 *
 * --watch runs the level-triggered loop: a full pass at start, then again
 * every --interval ms (default 5000), and early when the subsystem's
 * monitor (SUBSYSTEM.monitor.open/read, rtnl's: links, addresses, routes,
 * rules, and neighbours when some are desired) reports a change, once
 * --debounce ms (default 100) have passed without another.  Every pass
 * is one JSON line: the report plus "pass" (its number) and "trigger"
 * ("start", "timer", "event", "resync").  A pass that cannot run at all
 * prints {"pass", "trigger", "error"} and keeps the previous
 * last_applied.  A monitor that fails is closed and reopened, followed by
 * a full pass ("resync"); until it reopens the timer alone drives the
 * loop.  SIGTERM or SIGINT ends the loop after the current pass, exit 0.
 *
 * Test-only: with LINX_RECONCILE_TEST_HOOKS=1 in the environment, SIGUSR1
 * makes the loop take its monitor for failed (the next read reports it
 * dead), since nothing outside the process can break a netlink socket.
 * Without the variable SIGUSR1 keeps its default action.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_INTERVAL_MS 5000
#define DEFAULT_DEBOUNCE_MS 100
/* Longest a wait goes without looking at the stop flag. */
#define WAIT_SLICE_MS 500
#define STATE_VERSION 1

static volatile sig_atomic_t stop_signal;
/* The test hook: the monitor is to fail at its next read. */
static volatile sig_atomic_t test_fail_monitor;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void on_test_fail(int sig)
{
	(void)sig;
	test_fail_monitor = 1;
}

static bool test_hooks(void)
{
	const char *v = getenv("LINX_RECONCILE_TEST_HOOKS");

	return v && strcmp(v, "1") == 0;
}

static void set_handlers(bool catch)
{
	struct sigaction sa = { 0 };

	/* No SA_RESTART: a wait in poll(2) or recv(2) returns EINTR. */
	sa.sa_handler = catch ? on_stop : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (test_hooks()) {
		test_fail_monitor = 0;
		sa.sa_handler = catch ? on_test_fail : SIG_DFL;
		sigaction(SIGUSR1, &sa, NULL);
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct rec {
	struct cli *cli;
	const char *subsystem;
	const struct linx_verb *verb;
	const struct linx_verb *mon_open, *mon_read, *mon_close;
	struct linx_value args;	    /* desired, scope, extras */
	struct linx_value mon_args; /* for monitor.open */
	struct linx_value last;	    /* last_applied, nil when none */
	struct linx_value monitor;  /* handle, nil when none */
	const char *state;
	bool watch;
	uint64_t interval, debounce, passes;
};

/* ---- input ------------------------------------------------------------- */

static int parse_ms(struct cli *cli, const char *opt, const char *text,
		    uint64_t *ret)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(text, &end, 10);
	if (!*text || *end || errno || text[0] == '-' || n == 0 ||
	    n > 24ull * 3600 * 1000) {
		cli_usage_error(cli->command,
				"%s: \"%s\" is not a number of milliseconds "
				"(1..86400000)",
				opt, cli_short(text));
		return CLI_EXIT_USAGE;
	}
	*ret = n;
	return 0;
}

/* A JSON file (or stdin) as a value; CLI_EXIT_* on failure, reported. */
static int read_json(struct cli *cli, const char *what, const char *path,
		     bool missing_ok, struct linx_value *ret)
{
	char why[CLI_JSON_ERR_MAX];
	size_t len = 0;
	char *text = cli_read_file(path, &len);
	int r;

	*ret = linx_value_nil();
	if (!text) {
		if (missing_ok && errno == ENOENT)
			return 0;
		cli_usage_error(cli->command, "%s %s: %s", what,
				cli_short(path), strerror(errno));
		return errno == ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
	}
	r = cli_json_read(text, len, 1, ret, why);
	free(text);
	if (r < 0) {
		cli_usage_error(cli->command, "%s %s: %s", what,
				cli_short(path), why);
		return r == -ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
	}
	if (ret->type != LINX_MAP) {
		cli_usage_error(cli->command, "%s %s: expected a JSON object",
				what, cli_short(path));
		linx_value_clear(ret);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* ---- the state file ----------------------------------------------------- */

/* {"version": 1, "subsystem": S, "last_applied": V} */
static int load_state(struct rec *c)
{
	const struct linx_value *sub, *last;
	struct linx_value st;
	int status = read_json(c->cli, "--state", c->state, true, &st);

	if (status || st.type == LINX_NIL)
		return status;
	sub = linx_map_get(&st, "subsystem");
	last = linx_map_get(&st, "last_applied");
	if (!sub || sub->type != LINX_STRING || !last) {
		cli_usage_error(c->cli->command,
				"--state %s: not a state file (expected "
				"{subsystem, last_applied})",
				cli_short(c->state));
		status = CLI_EXIT_USAGE;
	} else if (strcmp(sub->str, c->subsystem) != 0) {
		cli_usage_error(c->cli->command,
				"--state %s: the state of %s, not of %s",
				cli_short(c->state), sub->str, c->subsystem);
		status = CLI_EXIT_USAGE;
	} else if (linx_value_copy(&c->last, last) < 0) {
		status = cli_oom(c->cli->command);
	}
	linx_value_clear(&st);
	return status;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Replace the state file atomically: FILE.tmp, fsync, rename, fsync of
 * the directory (so the rename itself survives a power cut). */
static int save_state(struct rec *c)
{
	char why[CLI_JSON_ERR_MAX];
	json_t *j = json_object(), *last;
	char *text = NULL, *tmp = NULL, *dir = NULL;
	int fd = -1, e = 0;

	last = cli_value_to_json(&c->last, why);
	if (!j || !last ||
	    json_object_set_new(j, "version", json_integer(STATE_VERSION)) ||
	    json_object_set_new(j, "subsystem", json_string(c->subsystem)) ||
	    json_object_set_new(j, "last_applied", last)) {
		json_decref(j);
		return cli_oom(c->cli->command);
	}
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text || asprintf(&tmp, "%s.tmp", c->state) < 0) {
		free(text);
		return cli_oom(c->cli->command);
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0 ||
	    write_all(fd, "\n", 1) < 0 || fsync(fd) < 0)
		e = errno;
	if (fd >= 0 && close(fd) < 0 && !e)
		e = errno;
	if (!e && rename(tmp, c->state) < 0)
		e = errno;
	if (!e) {
		dir = strdup(c->state);
		fd = dir ? open(dirname(dir),
				O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			 : -1;
		if (fd >= 0) {
			(void)fsync(fd);
			close(fd);
		}
		free(dir);
	} else {
		unlink(tmp);
	}
	free(text);
	free(tmp);
	if (e) {
		cli_usage_error(c->cli->command, "--state %s: %s",
				cli_short(c->state), strerror(e));
		return CLI_EXIT_FAILED;
	}
	return 0;
}

/* ---- one pass ----------------------------------------------------------- */

static int print_line(struct cli *cli, json_t *j, bool pretty)
{
	char *text = json_dumps(j, JSON_ENCODE_ANY |
					   (pretty ? JSON_INDENT(2)
						   : JSON_COMPACT));
	int r = 0;

	if (!text)
		return cli_oom(cli->command);
	if (puts(text) == EOF || fflush(stdout) == EOF) {
		int e = errno;

		r = e == EINTR && stop_signal ? 0 : CLI_EXIT_FAILED;
		if (r && e != EPIPE)
			cli_usage_error(cli->command, "writing output: %s",
					strerror(e));
	}
	free(text);
	return r;
}

/*
 * Run one pass and print it.  *ret_converged says how it went.  Returns
 * 0, or an exit status: in a one-shot run any failure; in the loop only
 * what must end it (the output is gone, memory).
 */
static int pass(struct rec *c, const char *trigger, bool *ret_converged)
{
	struct linx_value res = linx_value_nil(), last;
	const struct linx_value *lv, *conv;
	struct linx_error err;
	char why[CLI_JSON_ERR_MAX];
	json_t *j;
	int status = 0;

	*ret_converged = false;
	c->passes++;
	if (c->last.type != LINX_NIL) {
		if (linx_value_copy(&last, &c->last) < 0 ||
		    linx_map_put(&c->args, "last_applied", &last) < 0)
			return cli_oom(c->cli->command);
	}
	if (linx_call_verb(c->verb, &c->args, &res, 0, &err) < 0) {
		if (!c->watch)
			return cli_report(c->verb->name, &err);
		j = json_pack("{s:I, s:s, s:o}", "pass", (json_int_t)c->passes,
			      "trigger", trigger, "error",
			      cli_error_json(&err));
		status = j ? print_line(c->cli, j, false)
			   : cli_oom(c->cli->command);
		json_decref(j);
		return status;
	}
	lv = linx_map_get(&res, "last_applied");
	conv = linx_map_get(&res, "converged");
	*ret_converged = conv && conv->type == LINX_BOOL && conv->b;
	if (lv) {
		linx_value_clear(&c->last);
		if (linx_value_copy(&c->last, lv) < 0) {
			linx_value_clear(&res);
			return cli_oom(c->cli->command);
		}
	}
	/* The state first: a report on screen whose state was lost would
	 * lie about what the next run owns. */
	if (c->state)
		status = save_state(c);
	j = cli_value_to_json(&res, why);
	linx_value_clear(&res);
	if (!j) {
		cli_usage_error(c->verb->name, "cannot print the report: %s",
				why);
		return CLI_EXIT_FAILED;
	}
	if (c->watch &&
	    (json_object_set_new(j, "pass",
				 json_integer((json_int_t)c->passes)) ||
	     json_object_set_new(j, "trigger", json_string(trigger)))) {
		json_decref(j);
		return cli_oom(c->cli->command);
	}
	if (!status)
		status = print_line(c->cli, j, c->cli->pretty && !c->watch);
	json_decref(j);
	return status;
}

/* ---- the monitor -------------------------------------------------------- */

static void monitor_close(struct rec *c)
{
	struct linx_value args = linx_value_map(), res = linx_value_nil();
	struct linx_error err;

	if (c->monitor.type == LINX_NIL)
		return;
	if (c->mon_close && linx_map_put(&args, "monitor", &c->monitor) == 0)
		(void)linx_call_verb(c->mon_close, &args, &res, 0, &err);
	else
		linx_value_clear(&c->monitor);
	c->monitor = linx_value_nil();
	linx_value_clear(&args);
	linx_value_clear(&res);
}

static bool monitor_open(struct rec *c)
{
	struct linx_error err;

	if (!c->mon_open || !c->mon_read)
		return false;
	if (linx_call_verb(c->mon_open, &c->mon_args, &c->monitor, 0, &err) <
	    0) {
		c->monitor = linx_value_nil();
		return false;
	}
	return true;
}

/* Read hints for up to `ms`.  1: something happened ("resync" when the
 * stream lost events), 0: nothing, -1: the monitor failed. */
static int monitor_wait(struct rec *c, int64_t ms, bool *ret_resync)
{
	struct linx_value args = linx_value_map(), ref, res = linx_value_nil();
	struct linx_error err;
	int got = 0;

	if (linx_value_copy(&ref, &c->monitor) < 0 ||
	    linx_map_put(&args, "monitor", &ref) < 0 ||
	    linx_map_put_int(&args, "timeout_ms", ms) < 0) {
		linx_value_clear(&args);
		return -1;
	}
	if (linx_call_verb(c->mon_read, &args, &res, 0, &err) < 0) {
		linx_value_clear(&args);
		return stop_signal ? 0 : -1;
	}
	if (test_fail_monitor) {
		test_fail_monitor = 0;
		linx_value_clear(&res);
		linx_value_clear(&args);
		return -1;
	}
	if (res.type == LINX_LIST) {
		for (uint32_t i = 0; i < res.len; i++) {
			const struct linx_value *op =
				linx_map_get(&res.items[i], "op");

			if (op && op->type == LINX_STRING &&
			    strcmp(op->str, "resync") == 0)
				*ret_resync = true;
		}
		got = res.len > 0;
	} else {
		got = res.type != LINX_NIL;
	}
	linx_value_clear(&res);
	linx_value_clear(&args);
	return got;
}

static void sleep_ms(int64_t ms)
{
	if (ms > 0)
		(void)poll(NULL, 0, (int)ms);
}

/* Wait for the next reason to pass; returns its trigger, or NULL when
 * stopping. */
static const char *wait_next(struct rec *c)
{
	int64_t deadline = now_ms() + (int64_t)c->interval;
	bool resync = false;

	for (;;) {
		int64_t left = deadline - now_ms();
		int got;

		if (stop_signal)
			return NULL;
		if (left <= 0)
			return "timer";
		if (left > WAIT_SLICE_MS)
			left = WAIT_SLICE_MS;
		if (c->monitor.type == LINX_NIL) {
			/* A monitor that died: reopen it, then look at
			 * everything, since what happened meanwhile is
			 * unknown. */
			if (c->mon_open && monitor_open(c))
				return "resync";
			sleep_ms(left);
			continue;
		}
		got = monitor_wait(c, left, &resync);
		if (got < 0) {
			monitor_close(c);
			continue;
		}
		if (!got)
			continue;
		/* Debounce: wait for a quiet spell before looking. */
		while (!stop_signal && now_ms() < deadline) {
			got = monitor_wait(c, (int64_t)c->debounce, &resync);
			if (got < 0) {
				monitor_close(c);
				return "resync";
			}
			if (!got)
				break;
		}
		return resync ? "resync" : "event";
	}
}

static int watch(struct rec *c)
{
	const char *trigger = "start";
	bool converged;
	int status = 0;

	if (c->mon_open && c->mon_read && !monitor_open(c))
		c->monitor = linx_value_nil(); /* retried in wait_next() */
	while (!stop_signal) {
		status = pass(c, trigger, &converged);
		if (status)
			break;
		trigger = wait_next(c);
		if (!trigger)
			break;
	}
	monitor_close(c);
	return status;
}

/* ---- the command -------------------------------------------------------- */

static int add_arg(struct rec *c, const struct linx_verb *verb,
		   struct linx_value *map, const char *name, const char *value)
{
	char *arg = NULL;
	int status;

	if (asprintf(&arg, "%s=%s", name, value) < 0)
		return cli_oom(c->cli->command);
	status = cli_args_parse(c->cli, verb, 1, &arg, map);
	free(arg);
	return status;
}

static bool has_param(const struct linx_verb *v, const char *name)
{
	for (uint32_t i = 0; i < v->n_params; i++)
		if (strcmp(v->params[i].name, name) == 0)
			return true;
	return false;
}

static int find_verbs(struct rec *c)
{
	char name[160];
	struct linx_error err;
	int r;

	if (!cli_plugin_name_valid(c->subsystem)) {
		cli_usage_error(c->cli->command,
				"\"%s\" is not a subsystem (rtnl, sysctl, "
				"cgroup, nft)",
				cli_short(c->subsystem));
		return CLI_EXIT_USAGE;
	}
	if (!cli_registry(c->cli))
		return CLI_EXIT_FAILED;
	r = linx_registry_load(c->cli->reg, c->subsystem, &err);
	snprintf(name, sizeof(name), "%s.reconcile", c->subsystem);
	if (r < 0 && !(r == -ENOENT && strcmp(err.object, c->subsystem) == 0))
		return cli_report(c->cli->command, &err);
	if (r < 0 ||
	    linx_registry_find(c->cli->reg, name, &c->verb, &err) < 0) {
		cli_usage_error(c->cli->command,
				"%s: not available: no plugin on the search "
				"path provides %s (reconcile works for rtnl, "
				"sysctl, cgroup and nft)",
				c->subsystem, name);
		return CLI_EXIT_USAGE;
	}
	snprintf(name, sizeof(name), "%s.monitor.open", c->subsystem);
	if (linx_registry_find(c->cli->reg, name, &c->mon_open, &err) < 0)
		c->mon_open = NULL;
	snprintf(name, sizeof(name), "%s.monitor.read", c->subsystem);
	if (linx_registry_find(c->cli->reg, name, &c->mon_read, &err) < 0)
		c->mon_read = NULL;
	snprintf(name, sizeof(name), "%s.monitor.close", c->subsystem);
	if (linx_registry_find(c->cli->reg, name, &c->mon_close, &err) < 0)
		c->mon_close = NULL;
	if (c->mon_read && !has_param(c->mon_read, "timeout_ms"))
		c->mon_open = c->mon_read = NULL; /* cannot wait on it */
	return 0;
}

/* The monitor watches the scope the passes converge: the same netns. */
static int monitor_args(struct rec *c, const char *netns,
			const struct linx_value *desired)
{
	const struct linx_value *neighs = linx_map_get(desired, "neighbours");
	struct linx_value groups = linx_value_list();

	if (!c->mon_open)
		return 0;
	if (netns && has_param(c->mon_open, "netns")) {
		int status = add_arg(c, c->mon_open, &c->mon_args, "netns",
				     netns);

		if (status)
			return status;
	}
	/* rtnl: what a pass looks at.  Neighbour tables churn on their own
	 * (ARP, NDP), so they wake the loop only when it manages some. */
	if (strcmp(c->subsystem, "rtnl") == 0 &&
	    has_param(c->mon_open, "groups")) {
		linx_list_push_cstring(&groups, "link");
		linx_list_push_cstring(&groups, "address");
		linx_list_push_cstring(&groups, "route");
		linx_list_push_cstring(&groups, "rule");
		if (neighs && neighs->type == LINX_LIST && neighs->len)
			linx_list_push_cstring(&groups, "neighbour");
		if (linx_map_put(&c->mon_args, "groups", &groups) < 0)
			return cli_oom(c->cli->command);
	}
	return 0;
}

/* The options with a value. */
struct rec_opts {
	const char *netns, *in, *path, *state, *interval, *debounce;
};

/* --watch is the one option without a value: takes it out of argv (not
 * past "--") and says how many arguments are left. */
static int take_watch(int argc, char **argv, bool *ret_watch)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--watch") == 0)
			*ret_watch = true;
		else
			argv[n++] = argv[i];
	}
	return n;
}

/* The command line into `o` and `c`; false with *ret_status when the
 * command ends here. */
static bool parse_options(struct rec *c, int argc, char **argv,
			  struct rec_opts *o, int *ret_npos, int *ret_status)
{
	const struct cli_option opts[] = {
		{ "--netns", NULL, &o->netns },
		{ "--in", NULL, &o->in },
		{ "--path", NULL, &o->path },
		{ "--state", NULL, &o->state },
		{ "--interval", NULL, &o->interval },
		{ "--debounce", NULL, &o->debounce },
		{ 0 },
	};
	const char *command = c->cli->command;
	int n = take_watch(argc, argv, &c->watch);

	if (!cli_parse(c->cli, n, argv, opts, ret_npos, ret_status))
		return false;
	if (*ret_npos < 2) {
		cli_usage_error(command, "missing %s",
				*ret_npos ? "DESIRED.json" : "SUBSYSTEM");
		*ret_status = CLI_EXIT_USAGE;
		return false;
	}
	if ((o->interval || o->debounce) && !c->watch) {
		cli_usage_error(command,
				"--interval and --debounce need --watch");
		*ret_status = CLI_EXIT_USAGE;
		return false;
	}
	if ((o->interval && (*ret_status = parse_ms(c->cli, "--interval",
						    o->interval,
						    &c->interval))) ||
	    (o->debounce && (*ret_status = parse_ms(c->cli, "--debounce",
						    o->debounce,
						    &c->debounce))))
		return false;
	if (!!o->netns + !!o->in + !!o->path > 1) {
		cli_usage_error(command,
				"give one scope: --netns, --in or --path");
		*ret_status = CLI_EXIT_USAGE;
		return false;
	}
	return true;
}

/* The verb's arguments: the extra ones, the scope and the desired state
 * read from argv[1] (moved into c->args). */
static int build_args(struct rec *c, const struct rec_opts *o, int npos,
		      char **argv, struct linx_value *desired)
{
	int status = find_verbs(c);

	if (status)
		return status;
	status = cli_args_parse(c->cli, c->verb, npos - 2, argv + 2, &c->args);
	if (!status && o->netns)
		status = add_arg(c, c->verb, &c->args, "netns", o->netns);
	if (!status && o->in)
		status = add_arg(c, c->verb, &c->args, "in", o->in);
	if (!status && o->path)
		status = add_arg(c, c->verb, &c->args, "path", o->path);
	if (!status)
		status = read_json(c->cli, "desired", argv[1], false, desired);
	if (!status && c->watch)
		status = monitor_args(c, o->netns, desired);
	if (status)
		return status;
	if (linx_map_put(&c->args, "desired", desired) < 0)
		return cli_oom(c->cli->command);
	return 0;
}

/* One pass (exit 1 unless it converged), or the loop. */
static int run(struct rec *c)
{
	bool converged;
	int status;

	if (c->state) {
		status = load_state(c);
		if (status)
			return status;
	}
	if (c->watch) {
		stop_signal = 0;
		set_handlers(true);
		status = watch(c);
		set_handlers(false);
	} else {
		status = pass(c, "start", &converged);
		if (!status && !converged)
			status = CLI_EXIT_FAILED;
	}
	return status;
}

int cli_cmd_reconcile(struct cli *cli, int argc, char **argv)
{
	struct rec_opts o = { 0 };
	struct rec c = {
		.cli = cli,
		.args = linx_value_map(),
		.mon_args = linx_value_map(),
		.last = linx_value_nil(),
		.monitor = linx_value_nil(),
		.interval = DEFAULT_INTERVAL_MS,
		.debounce = DEFAULT_DEBOUNCE_MS,
	};
	struct linx_value desired = linx_value_nil();
	int status, npos;

	if (!parse_options(&c, argc, argv, &o, &npos, &status))
		return status;
	c.subsystem = argv[0];
	c.state = o.state;
	status = build_args(&c, &o, npos, argv, &desired);
	if (!status)
		status = run(&c);
	linx_value_clear(&desired);
	linx_value_clear(&c.args);
	linx_value_clear(&c.mon_args);
	linx_value_clear(&c.last);
	linx_value_clear(&c.monitor);
	return status;
}
