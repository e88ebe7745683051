/* SPDX-License-Identifier: MIT */
/*
 * linx spawn [options] -- argv...
 *
 * Clones argv into fresh namespaces through linx-agent, decides its
 * identity, privileges and syscall surface while it is parked at the
 * checkpoint, then releases it and waits.  Exit status: the workload's, or
 * 128 + signal, or 125 when it never ran (as docker run does).
 *
 * Host-side steps use verbs (user.setup_maps, caps.names,
 * seccomp.allow_list/deny_list) through a plugin registry; child-side ones
 * (caps.drop_bounding, seccomp.install) go through the session.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <linx/linx.h>
#include <linx/process.h>

#include "cli.h"
#include "cmd-process.h"

#define STATUS_NOT_RUN 125

struct opts {
	bool enter;
	pid_t target;
	uint32_t ns;
	bool pty, nnp, verbose;
	const char *uid_map, *gid_map;
	const char *caps_keep, *caps_drop;
	const char *seccomp_allow, *seccomp_deny, *seccomp_errno;
	const char *cwd;
	const char **env;
	size_t n_env;
	/* Resources and tunables, applied at the checkpoint. */
	const char *cgroup, *memory_max, *pids_max, *cpu_max;
	const char *hostname;
	const char **sysctls; /* KEY=VALUE */
	size_t n_sysctls;
	/* Network, configured inside the workload's network namespace. */
	const char **links; /* interfaces moved in from ours */
	size_t n_links;
	const char **ips; /* NAME=ADDRESS/PREFIX */
	size_t n_ips;
	const char *gateway;
	char **argv;
};

static void usage(FILE *f, bool enter)
{
	fprintf(f,
		"usage: linx %s [options] -- PROGRAM [ARGS...]\n"
		"\n"
		"  --ns LIST            namespaces %s (net,mount,pid,uts,ipc,\n"
		"                       user,cgroup,time)\n"
		"  --uid-map IN:OUT:LEN[,...]  uid map written at the checkpoint\n"
		"  --gid-map IN:OUT:LEN[,...]  gid map (default: the uid map)\n"
		"  --caps-keep LIST     drop every other capability from the\n"
		"                       bounding set (names like net_bind_service)\n"
		"  --caps-drop LIST     drop these from the bounding set\n"
		"  --seccomp-allow LIST allow only these syscalls (execve is added:\n"
		"                       the filter starts with the workload's execve)\n"
		"  --seccomp-deny LIST  deny these syscalls\n"
		"  --seccomp-errno NAME errno for denied syscalls (default eperm;\n"
		"                       \"kill\" kills the process)\n"
		"  --no-new-privs       set no_new_privs before execve\n"
		"  --cgroup PATH        place the workload in this cgroup v2\n"
		"                       (created if missing, and then removed\n"
		"                       when the workload ends)\n"
		"  --memory-max BYTES|max, --pids-max N|max,\n"
		"  --cpu-max QUOTA[/PERIOD]|max   limits of that cgroup (us)\n"
		"  --hostname NAME      the workload's hostname (needs --ns uts)\n"
		"  --sysctl KEY=VALUE   write a sysctl in the workload's\n"
		"                       namespaces (repeatable; the key's\n"
		"                       namespace must be one --ns creates)\n"
		"  --link NAME          move interface NAME from our network\n"
		"                       namespace into the workload's (repeatable)\n"
		"  --ip NAME=ADDR/LEN   add an address to NAME inside and set it\n"
		"                       up (repeatable; lo is set up too)\n"
		"  --gateway ADDR       the workload's default route\n"
		"  --pty                run on a new terminal, relayed to ours\n"
		"                       (it follows our window size)\n"
		"  --cwd DIR            working directory\n"
		"  --env KEY=VALUE      environment (repeatable; replaces ours)\n"
		"  -v, --verbose        report the host pid and each step\n",
		enter ? "enter PID" : "spawn",
		enter ? "of PID to join (default: all)" : "to create");
}

/*
 * A comma-separated list given to a flag must name something, and every
 * element must be non-blank: "--seccomp-deny ''" or "--caps-drop ,"
 * would otherwise run the workload with no restriction at all, which is
 * the opposite of what was asked for.
 */
static bool list_ok(const char *flag, const char *v)
{
	const char *p = v;
	bool all_blank = strspn(v, " \t,") == strlen(v) && !strchr(v, ',');

	for (;;) {
		size_t n = strcspn(p, ",");
		bool blank = true;

		for (size_t i = 0; i < n; i++)
			if (p[i] != ' ' && p[i] != '\t')
				blank = false;
		if (blank) {
			fprintf(stderr,
				"linx: --%s: %s in \"%s\" (a list that names "
				"nothing would restrict nothing)\n",
				flag, all_blank ? "empty list" : "empty element",
				v);
			return false;
		}
		if (!p[n])
			return true;
		p += n + 1;
	}
}

/* Every list-valued flag, checked once parsing is done. */
static bool lists_ok(const struct opts *o, const char *ns)
{
	const struct {
		const char *flag, *value;
	} lists[] = {
		{ "ns", ns },
		{ "uid-map", o->uid_map },
		{ "gid-map", o->gid_map },
		{ "caps-keep", o->caps_keep },
		{ "caps-drop", o->caps_drop },
		{ "seccomp-allow", o->seccomp_allow },
		{ "seccomp-deny", o->seccomp_deny },
	};

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (lists[i].value && !list_ok(lists[i].flag, lists[i].value))
			return false;
	return true;
}

static int parse(int argc, char **argv, bool enter, struct opts *o)
{
	static const struct option longopts[] = {
		{ "ns", required_argument, NULL, 'n' },
		{ "uid-map", required_argument, NULL, 'u' },
		{ "gid-map", required_argument, NULL, 'g' },
		{ "caps-keep", required_argument, NULL, 'k' },
		{ "caps-drop", required_argument, NULL, 'd' },
		{ "seccomp-allow", required_argument, NULL, 'a' },
		{ "seccomp-deny", required_argument, NULL, 'D' },
		{ "seccomp-errno", required_argument, NULL, 'e' },
		{ "no-new-privs", no_argument, NULL, 'N' },
		{ "pty", no_argument, NULL, 'p' },
		{ "cwd", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, 'E' },
		{ "cgroup", required_argument, NULL, 'G' },
		{ "memory-max", required_argument, NULL, 'M' },
		{ "pids-max", required_argument, NULL, 'P' },
		{ "cpu-max", required_argument, NULL, 'C' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "sysctl", required_argument, NULL, 'S' },
		{ "link", required_argument, NULL, 'L' },
		{ "ip", required_argument, NULL, 'I' },
		{ "gateway", required_argument, NULL, 'W' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct linx_error err;
	const char *ns = NULL;
	bool need_pid = enter;
	int c;

	memset(o, 0, sizeof(*o));
	o->enter = enter;
	o->env = calloc((size_t)argc + 1, sizeof(char *));
	o->sysctls = calloc((size_t)argc + 1, sizeof(char *));
	o->links = calloc((size_t)argc + 1, sizeof(char *));
	o->ips = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->env || !o->sysctls || !o->links || !o->ips)
		return -ENOMEM;
	optind = 0; /* re-initialise getopt for this argv */
again:
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			ns = optarg;
			if (linx_process_ns_parse(optarg, &o->ns, &err) < 0) {
				fprintf(stderr, "linx: --ns: %s\n", err.message);
				return -EINVAL;
			}
			break;
		case 'u': o->uid_map = optarg; break;
		case 'g': o->gid_map = optarg; break;
		case 'k': o->caps_keep = optarg; break;
		case 'd': o->caps_drop = optarg; break;
		case 'a': o->seccomp_allow = optarg; break;
		case 'D': o->seccomp_deny = optarg; break;
		case 'e': o->seccomp_errno = optarg; break;
		case 'N': o->nnp = true; break;
		case 'p': o->pty = true; break;
		case 'c': o->cwd = optarg; break;
		case 'E': o->env[o->n_env++] = optarg; break;
		case 'G': o->cgroup = optarg; break;
		case 'M': o->memory_max = optarg; break;
		case 'P': o->pids_max = optarg; break;
		case 'C': o->cpu_max = optarg; break;
		case 'H': o->hostname = optarg; break;
		case 'S':
			if (!strchr(optarg, '=')) {
				fprintf(stderr, "linx: --sysctl takes KEY=VALUE, "
						"not \"%s\"\n", optarg);
				return -EINVAL;
			}
			o->sysctls[o->n_sysctls++] = optarg;
			break;
		case 'L': o->links[o->n_links++] = optarg; break;
		case 'I':
			if (!strchr(optarg, '=')) {
				fprintf(stderr, "linx: --ip takes NAME=ADDRESS/"
						"PREFIX, not \"%s\"\n", optarg);
				return -EINVAL;
			}
			o->ips[o->n_ips++] = optarg;
			break;
		case 'W': o->gateway = optarg; break;
		case 'v': o->verbose = true; break;
		case 'h': usage(stdout, enter); return 1;
		default: usage(stderr, enter); return -EINVAL;
		}
	}
	if (need_pid) {
		char *end;
		long pid;

		if (optind >= argc) {
			usage(stderr, enter);
			return -EINVAL;
		}
		pid = strtol(argv[optind], &end, 10);
		if (*end || pid <= 0) {
			fprintf(stderr, "linx: enter: bad pid \"%s\"\n",
				argv[optind]);
			return -EINVAL;
		}
		o->target = (pid_t)pid;
		optind++;
		need_pid = false;
		/* Options may follow the pid too: "enter PID --ns net --". */
		if (optind < argc && argv[optind][0] == '-' &&
		    strcmp(argv[optind], "--") != 0)
			goto again;
	}
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc) {
		fprintf(stderr, "linx: %s: no program to run (argv_required)\n",
			enter ? "enter" : "spawn");
		return -EINVAL;
	}
	if (!lists_ok(o, ns))
		return -EINVAL;
	if (o->seccomp_allow && o->seccomp_deny) {
		fprintf(stderr, "linx: --seccomp-allow and --seccomp-deny "
				"exclude each other\n");
		return -EINVAL;
	}
	/* Configuring "the workload's" network without a network namespace
	 * of its own would reconfigure ours. */
	if ((o->n_links || o->n_ips || o->gateway) && !enter &&
	    !(o->ns & LINX_NS_NET)) {
		fprintf(stderr, "linx: --link, --ip and --gateway need the "
				"workload's own network namespace (--ns net)\n");
		return -EINVAL;
	}
	if ((o->memory_max || o->pids_max || o->cpu_max) && !o->cgroup) {
		fprintf(stderr, "linx: --memory-max, --pids-max and --cpu-max "
				"need --cgroup\n");
		return -EINVAL;
	}
	if (o->caps_keep && o->caps_drop) {
		fprintf(stderr, "linx: --caps-keep and --caps-drop exclude each "
				"other\n");
		return -EINVAL;
	}
	o->argv = argv + optind;
	return 0;
}

/* "a,b,c" -> list of strings. */
static struct linx_value csv_list(const char *csv)
{
	struct linx_value list = linx_value_list();
	char *copy = strdup(csv), *save = NULL;

	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t;
	     t = strtok_r(NULL, ",", &save))
		linx_list_push_cstring(&list, t);
	free(copy);
	return list;
}

/* "0:1000:1,1:100000:65535" -> [[0,1000,1],[1,100000,65535]]. */
static int map_list(const char *text, struct linx_value *ret)
{
	char *copy = strdup(text), *save = NULL;
	int r = 0;

	*ret = linx_value_list();
	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && r == 0;
	     t = strtok_r(NULL, ",", &save)) {
		unsigned long long in, out, len;
		struct linx_value e = linx_value_list();
		char extra;

		if (sscanf(t, "%llu:%llu:%llu%c", &in, &out, &len, &extra) != 3) {
			r = -EINVAL;
			break;
		}
		linx_list_push_uint(&e, in);
		linx_list_push_uint(&e, out);
		linx_list_push_uint(&e, len);
		linx_list_push(ret, &e);
	}
	free(copy);
	if (!copy || r < 0)
		linx_value_clear(ret);
	return copy ? r : -ENOMEM;
}

static int fail(const char *what, const struct linx_error *err)
{
	char buf[1200];

	linx_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "linx: %s: %s\n", what, buf);
	return -(err->code ? err->code : EIO);
}

static int setup_maps(struct linx_registry *reg, const struct opts *o,
		      pid_t pid)
{
	struct linx_value args = linx_value_map(), uid, gid, res;
	struct linx_error err;
	int r;

	if (map_list(o->uid_map, &uid) < 0 ||
	    map_list(o->gid_map ? o->gid_map : o->uid_map, &gid) < 0) {
		fprintf(stderr, "linx: a map is IN:OUT:LEN[,IN:OUT:LEN...]\n");
		linx_value_clear(&uid);
		linx_value_clear(&args);
		return -EINVAL;
	}
	linx_map_put_int(&args, "pid", pid);
	linx_map_put(&args, "uid", &uid);
	linx_map_put(&args, "gid", &gid);
	r = linx_call(reg, "user.setup_maps", &args, &res, 0, &err);
	linx_value_clear(&args);
	return r < 0 ? fail("uid/gid maps", &err) : 0;
}

/* Call a host-side verb, reporting a failure under its name. */
static int call_verb(struct linx_registry *reg, const char *verb,
		     struct linx_value *args)
{
	struct linx_value res;
	struct linx_error err;
	int r = linx_call(reg, verb, args, &res, 0, &err);

	linx_value_clear(args);
	linx_value_clear(&res);
	return r < 0 ? fail(verb, &err) : 0;
}

/* A limit from the command line: digits are a number, anything else
 * ("max") goes to the verb as text for it to judge. */
static void put_limit(struct linx_value *args, const char *name,
		      const char *text)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (text[0] >= '0' && text[0] <= '9' && !*end && errno == 0)
		linx_map_put_uint(args, name, v);
	else
		linx_map_put_cstring(args, name, text);
}

static struct linx_value path_args(const char *path)
{
	struct linx_value args = linx_value_map();

	linx_map_put_cstring(&args, "path", path);
	return args;
}

/* Create the cgroup (remembering whether it existed), set its limits and
 * move the parked workload in. */
static int setup_cgroup(struct linx_registry *reg, const struct opts *o,
			pid_t pid, bool *ret_created)
{
	struct linx_value args;
	struct stat st;
	int r;

	*ret_created = stat(o->cgroup, &st) != 0;
	args = path_args(o->cgroup);
	r = call_verb(reg, "cgroup.create", &args);
	if (r < 0) {
		*ret_created = false;
		return r;
	}
	if (o->memory_max) {
		args = path_args(o->cgroup);
		put_limit(&args, "bytes", o->memory_max);
		if ((r = call_verb(reg, "cgroup.set_memory_max", &args)) < 0)
			return r;
	}
	if (o->pids_max) {
		args = path_args(o->cgroup);
		put_limit(&args, "max", o->pids_max);
		if ((r = call_verb(reg, "cgroup.set_pids_max", &args)) < 0)
			return r;
	}
	if (o->cpu_max) {
		char *copy = strdup(o->cpu_max), *slash;

		if (!copy)
			return -ENOMEM;
		slash = strchr(copy, '/');
		if (slash)
			*slash++ = '\0';
		args = path_args(o->cgroup);
		put_limit(&args, "quota", copy);
		if (slash)
			put_limit(&args, "period", slash);
		free(copy);
		if ((r = call_verb(reg, "cgroup.set_cpu_max", &args)) < 0)
			return r;
	}
	args = path_args(o->cgroup);
	linx_map_put_int(&args, "pid", pid);
	return call_verb(reg, "cgroup.add_process", &args);
}

/* Remove a cgroup spawn created.  The workload has been reaped, but the
 * kernel may take a moment to mark the cgroup empty. */
static void remove_cgroup(struct linx_registry *reg, const char *path)
{
	for (int i = 0; i < 50; i++) {
		struct linx_value args = path_args(path), res;
		struct linx_error err;
		int r = linx_call(reg, "cgroup.destroy", &args, &res, 0, &err);

		linx_value_clear(&args);
		if (r != -EBUSY) {
			if (r < 0 && r != -ENOENT)
				fail("cgroup.destroy", &err);
			return;
		}
		usleep(2000);
	}
	fprintf(stderr, "linx: cgroup %s still busy; left in place\n", path);
}

/* Refuse a sysctl whose namespace the workload would share with us: the
 * write would change this system, not the workload's. */
static int check_sysctl_owner(struct linx_registry *reg, const struct opts *o,
			      const char *key)
{
	struct linx_value args = linx_value_map(), owners;
	struct linx_error err;
	int r;

	linx_map_put_cstring(&args, "key", key);
	r = linx_call(reg, "sysctl.namespaces", &args, &owners, 0, &err);
	linx_value_clear(&args);
	if (r < 0)
		return fail("sysctl", &err);
	if (owners.len == 0)
		r = -EPERM;
	for (uint32_t i = 0; i < owners.len && r == 0; i++) {
		uint32_t bit = 0;

		if (linx_process_ns_parse(owners.items[i].str, &bit, NULL) < 0 ||
		    !(o->ns & bit))
			r = -EPERM;
	}
	if (r < 0)
		fprintf(stderr,
			"linx: --sysctl %s: %s, so the write would change this "
			"system%s%s\n",
			key,
			owners.len ? "the workload would share that namespace "
				     "with you"
				   : "it is a global knob, not per namespace",
			owners.len ? "; add --ns " : "",
			owners.len ? owners.items[0].str : "");
	linx_value_clear(&owners);
	return r;
}

static int write_sysctl(struct linx_registry *reg, const struct opts *o,
			pid_t pid, const char *key, size_t key_len,
			const char *value)
{
	struct linx_value args = linx_value_map();
	char *k = strndup(key, key_len);
	int r;

	if (!k)
		return -ENOMEM;
	r = o->enter ? 0 : check_sysctl_owner(reg, o, k);
	if (r == 0) {
		linx_map_put_cstring(&args, "key", k);
		linx_map_put_cstring(&args, "value", value);
		linx_map_put_int(&args, "in", pid);
		r = call_verb(reg, "sysctl.write", &args);
	}
	linx_value_clear(&args);
	free(k);
	return r;
}

static int write_sysctls(struct linx_registry *reg, const struct opts *o,
			 pid_t pid)
{
	int r = 0;

	if (o->hostname)
		r = write_sysctl(reg, o, pid, "kernel.hostname", 15,
				 o->hostname);
	for (size_t i = 0; r >= 0 && i < o->n_sysctls; i++) {
		const char *eq = strchr(o->sysctls[i], '=');

		r = write_sysctl(reg, o, pid, o->sysctls[i],
				 (size_t)(eq - o->sysctls[i]), eq + 1);
	}
	return r;
}

/* An rtnl verb in the workload's network namespace. */
static int rtnl_in(struct linx_registry *reg, pid_t pid, const char *verb,
		   struct linx_value *args)
{
	linx_map_put_int(args, "netns", pid);
	return call_verb(reg, verb, args);
}

static int setup_network(struct linx_registry *reg, const struct opts *o,
			 pid_t pid)
{
	struct linx_value args;
	int r;

	for (size_t i = 0; i < o->n_links; i++) {
		args = linx_value_map();
		linx_map_put_cstring(&args, "name", o->links[i]);
		linx_map_put_int(&args, "to", pid);
		if ((r = call_verb(reg, "rtnl.link.move_to_netns", &args)) < 0)
			return r;
	}
	args = linx_value_map();
	linx_map_put_cstring(&args, "name", "lo");
	if ((r = rtnl_in(reg, pid, "rtnl.link.set_up", &args)) < 0)
		return r;
	for (size_t i = 0; i < o->n_ips; i++) {
		const char *eq = strchr(o->ips[i], '=');
		char *dev = strndup(o->ips[i], (size_t)(eq - o->ips[i]));

		if (!dev)
			return -ENOMEM;
		args = linx_value_map();
		linx_map_put_cstring(&args, "dev", dev);
		linx_map_put_cstring(&args, "address", eq + 1);
		r = rtnl_in(reg, pid, "rtnl.address.add", &args);
		if (r >= 0) {
			args = linx_value_map();
			linx_map_put_cstring(&args, "name", dev);
			r = rtnl_in(reg, pid, "rtnl.link.set_up", &args);
		}
		free(dev);
		if (r < 0)
			return r;
	}
	if (o->gateway) {
		args = linx_value_map();
		linx_map_put_cstring(&args, "gateway", o->gateway);
		return rtnl_in(reg, pid, "rtnl.route.add_default", &args);
	}
	return 0;
}

/* Does capability `full` ("cap_net_admin", as caps.names gives it) match a
 * name from the command line, with or without its "cap_" prefix, in any
 * case? */
static bool cap_matches(const char *full, const char *given)
{
	if (strncasecmp(given, "cap_", 4) != 0)
		full += 4;
	return strcasecmp(full, given) == 0;
}

static bool in_list(const struct linx_value *names, const char *full)
{
	for (uint32_t j = 0; j < names->len; j++)
		if (cap_matches(full, names->items[j].str))
			return true;
	return false;
}

static int drop_caps(struct linx_registry *reg, struct linx_process *p,
		     const struct opts *o)
{
	struct linx_value args = linx_value_map(), drop, all = linx_value_nil();
	struct linx_error err;
	int r;

	if (o->caps_keep) {
		struct linx_value keep = csv_list(o->caps_keep), none = linx_value_nil();

		/* Every capability the kernel knows, less the kept ones
		 * (compared by the names caps.names gives). */
		r = linx_call(reg, "caps.names", &none, &all, 0, &err);
		if (r < 0) {
			linx_value_clear(&keep);
			return fail("caps.names", &err);
		}
		drop = linx_value_list();
		for (uint32_t i = 0; i < all.len; i++)
			if (!in_list(&keep, all.items[i].str))
				linx_list_push_cstring(&drop, all.items[i].str);
		/* A kept name that is not a capability must not pass
		 * silently. */
		for (uint32_t j = 0; j < keep.len; j++) {
			bool known = false;

			for (uint32_t i = 0; i < all.len && !known; i++)
				known = cap_matches(all.items[i].str,
						    keep.items[j].str);
			if (!known) {
				fprintf(stderr,
					"linx: --caps-keep: unknown capability "
					"\"%s\" (bad_capability)\n",
					keep.items[j].str);
				linx_value_clear(&keep);
				linx_value_clear(&all);
				linx_value_clear(&drop);
				linx_value_clear(&args);
				return -EINVAL;
			}
		}
		linx_value_clear(&keep);
		linx_value_clear(&all);
	} else {
		drop = csv_list(o->caps_drop);
	}
	/* Keeping every capability leaves nothing to drop (the verb refuses
	 * an empty list). */
	if (drop.len == 0) {
		linx_value_clear(&drop);
		linx_value_clear(&args);
		return 0;
	}
	linx_map_put(&args, "caps", &drop);
	r = linx_process_call(p, "caps.drop_bounding", &args, NULL, &err);
	linx_value_clear(&args);
	return r < 0 ? fail("caps.drop_bounding", &err) : 0;
}

static int install_seccomp(struct linx_registry *reg, struct linx_process *p,
			   const struct opts *o)
{
	struct linx_value args = linx_value_map(), list, filter, iargs;
	struct linx_error err;
	const char *verb;
	int r;

	if (o->seccomp_allow) {
		bool has_execve = false;

		list = csv_list(o->seccomp_allow);
		for (uint32_t i = 0; i < list.len; i++)
			has_execve |= strcmp(list.items[i].str, "execve") == 0;
		if (!has_execve)
			linx_list_push_cstring(&list, "execve");
		verb = "seccomp.allow_list";
	} else {
		list = csv_list(o->seccomp_deny);
		verb = "seccomp.deny_list";
		if (o->seccomp_errno && strcmp(o->seccomp_errno, "kill") == 0) {
			linx_map_put_cstring(&args, "deny_action",
					     "kill_process");
		} else {
			struct linx_value act = linx_value_map();

			linx_map_put_cstring(&act, "errno",
					     o->seccomp_errno ? o->seccomp_errno
							      : "eperm");
			linx_map_put(&args, "deny_action", &act);
		}
	}
	linx_map_put(&args, "syscalls", &list);
	r = linx_call(reg, verb, &args, &filter, 0, &err);
	linx_value_clear(&args);
	if (r < 0)
		return fail(verb, &err);
	iargs = linx_value_map();
	{
		const struct linx_value *bpf = linx_map_get(&filter, "bpf");

		linx_map_put_bytes(&iargs, "bpf", bpf->bytes, bpf->len);
	}
	linx_value_clear(&filter);
	r = linx_process_call(p, "seccomp.install", &iargs, NULL, &err);
	linx_value_clear(&iargs);
	return r < 0 ? fail("seccomp.install", &err) : 0;
}

/* ---- the PTY relay -------------------------------------------------------- */

static struct termios saved_tio;
static bool tio_saved;

static bool terminal_size(struct linx_winsize *ws)
{
	struct winsize w;

	if (ioctl(0, TIOCGWINSZ, &w) < 0)
		return false;
	*ws = (struct linx_winsize){ w.ws_row, w.ws_col, w.ws_xpixel,
				     w.ws_ypixel };
	return true;
}

static void raw_terminal(struct linx_winsize *ws)
{
	struct termios t;

	if (!isatty(0))
		return;
	terminal_size(ws);
	if (tcgetattr(0, &saved_tio) < 0)
		return;
	tio_saved = true;
	t = saved_tio;
	cfmakeraw(&t);
	tcsetattr(0, TCSANOW, &t);
}

static void restore_terminal(void)
{
	if (tio_saved)
		tcsetattr(0, TCSANOW, &saved_tio);
	tio_saved = false;
}

static volatile sig_atomic_t winch_pending;

static void on_winch(int sig)
{
	(void)sig;
	winch_pending = 1;
}

/* With a terminal on our stdin, the workload's PTY follows its size.
 * SIGWINCH stays blocked except inside ppoll(2), so a resize can never
 * slip in between checking the flag and going to sleep. */
static void follow_winch(bool on, sigset_t *ret_poll_mask)
{
	static sigset_t saved;
	static bool following;
	struct sigaction sa = { 0 };
	sigset_t winch;

	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	if (on && !following && isatty(0)) {
		sa.sa_handler = on_winch;
		sigemptyset(&sa.sa_mask);
		sigprocmask(SIG_BLOCK, &winch, &saved);
		sigaction(SIGWINCH, &sa, NULL);
		following = true;
	} else if (!on && following) {
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGWINCH, &sa, NULL);
		sigprocmask(SIG_SETMASK, &saved, NULL);
		following = false;
	}
	if (ret_poll_mask) {
		sigprocmask(SIG_SETMASK, NULL, ret_poll_mask);
		sigdelset(ret_poll_mask, SIGWINCH);
	}
}

/* Write the PTY output queued for `p` to stdout. */
static void relay_output(struct linx_process *p, bool *in_open)
{
	struct linx_process_event ev;

	while (linx_process_event_next(p, &ev)) {
		if (ev.type == LINX_PROCESS_EV_PTY_OUT && ev.len &&
		    fwrite(ev.data, 1, ev.len, stdout) != ev.len)
			*in_open = false;
		fflush(stdout);
		linx_process_event_clear(&ev);
	}
}

static int relay_and_wait(struct linx_agent *a, struct linx_process *p,
			  bool pty, struct linx_process_result *res)
{
	struct linx_error err;
	bool in_open = pty;
	sigset_t poll_mask;
	int r = 0;

	follow_winch(pty, &poll_mask);
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = linx_agent_fd(a), .events = POLLIN },
			{ .fd = in_open ? 0 : -1, .events = POLLIN },
		};

		relay_output(p, &in_open);
		/* wait() may read the last output together with the end:
		 * relay what it queued before leaving. */
		if (linx_process_wait(p, 0, res, NULL) == 0) {
			relay_output(p, &in_open);
			break;
		}
		if (ppoll(pfd, 2, NULL, &poll_mask) < 0) {
			if (errno != EINTR) {
				r = -errno;
				break;
			}
			pfd[0].revents = pfd[1].revents = 0;
		}
		if (winch_pending) {
			struct linx_winsize ws;

			winch_pending = 0;
			/* Best effort: the workload may be ending. */
			if (terminal_size(&ws))
				linx_process_pty_set_winsize(p, &ws, NULL);
		}
		if (pfd[1].revents) {
			char buf[4096];
			ssize_t n = read(0, buf, sizeof(buf));

			if (n <= 0)
				in_open = false; /* keep relaying output */
			else if (linx_process_pty_write(p, buf, (size_t)n, &err) < 0)
				in_open = false;
		}
		if (pfd[0].revents && linx_agent_dispatch(a, 0, &err) < 0) {
			r = fail("agent", &err);
			break;
		}
	}
	follow_winch(false, NULL);
	return r;
}

/* ---- the command ------------------------------------------------------------ */

static int status_of(const struct linx_process_result *res)
{
	switch (res->stage) {
	case LINX_PROCESS_EXITED:
		return res->value;
	case LINX_PROCESS_SIGNALED:
		return 128 + res->value;
	case LINX_PROCESS_ERRORED:
		fail("workload", &res->error);
		return STATUS_NOT_RUN;
	default:
		fprintf(stderr, "linx: the workload was aborted\n");
		return STATUS_NOT_RUN;
	}
}

int linx_cli_process_run(int argc, char **argv, bool enter)
{
	struct linx_spawn_options so = { 0 };
	struct linx_registry *reg = NULL;
	struct linx_agent *a = NULL;
	struct linx_process *p = NULL;
	struct linx_process_result res;
	struct linx_error err;
	struct opts o;
	bool cgroup_created = false;
	int r, status = STATUS_NOT_RUN;
	pid_t pid;

	r = parse(argc, argv, enter, &o);
	if (r != 0) {
		free(o.env);
		free(o.sysctls);
		free(o.links);
		free(o.ips);
		return r > 0 ? 0 : 2;
	}
	so.argv = (const char *const *)o.argv;
	so.env = o.n_env ? o.env : NULL;
	so.cwd = o.cwd;
	so.namespaces = o.ns;
	so.pty = o.pty;
	so.no_new_privs = o.nnp;
	if (o.pty)
		raw_terminal(&so.winsize);
	if (linx_registry_new(&reg, 0, &err) < 0 ||
	    linx_agent_start(&a, NULL, &err) < 0) {
		fail("start", &err);
		goto out;
	}
	r = enter ? linx_process_enter(a, o.target, &so, &p, &err)
		  : linx_process_spawn(a, &so, &p, &err);
	if (r < 0) {
		fail(enter ? "enter" : "spawn", &err);
		goto out;
	}
	r = linx_process_wait_stage(p, LINX_PROCESS_READY, -1, &err);
	if (r < 0) {
		fail("spawn", &err);
		goto out;
	}
	if (r != LINX_PROCESS_READY) {
		linx_process_wait(p, -1, &res, NULL);
		status = status_of(&res);
		goto out;
	}
	pid = linx_process_host_pid(p, NULL);
	if (o.verbose) {
		struct linx_process_info info;

		linx_process_info(p, &info, NULL);
		fprintf(stderr, "linx: workload parked: host pid %d, pid %d "
				"inside\n",
			(int)pid, (int)info.child_pid);
	}
	r = 0;
	if (o.uid_map)
		r = setup_maps(reg, &o, pid);
	if (r >= 0 && o.cgroup)
		r = setup_cgroup(reg, &o, pid, &cgroup_created);
	if (r >= 0 && (o.hostname || o.n_sysctls))
		r = write_sysctls(reg, &o, pid);
	if (r >= 0 && (o.n_links || o.n_ips || o.gateway))
		r = setup_network(reg, &o, pid);
	if (r >= 0 && (o.caps_keep || o.caps_drop))
		r = drop_caps(reg, p, &o);
	if (r >= 0 && (o.seccomp_allow || o.seccomp_deny))
		r = install_seccomp(reg, p, &o);
	if (r < 0) {
		/* Roll back: the workload never runs. */
		if (linx_process_abort(p, NULL) == 0)
			linx_process_wait(p, -1, NULL, NULL);
		goto out;
	}
	if (linx_process_proceed(p, &err) < 0) {
		fail("proceed", &err);
		goto out;
	}
	if (o.verbose)
		fprintf(stderr, "linx: released %d\n", (int)pid);
	if (relay_and_wait(a, p, o.pty, &res) == 0)
		status = status_of(&res);
out:
	restore_terminal();
	linx_process_free(p);
	linx_agent_free(a);
	if (cgroup_created)
		remove_cgroup(reg, o.cgroup);
	linx_registry_free(reg);
	free(o.env);
	free(o.sysctls);
	free(o.links);
	free(o.ips);
	return status;
}

/* The table hands us the arguments after the command; getopt wants the
 * command itself in argv[0]. */
int cli_process_command(int argc, char **argv, const char *name, bool enter)
{
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	int status;

	if (!args) {
		fprintf(stderr, "linx: %s: out of memory\n", name);
		return CLI_EXIT_FAILED;
	}
	args[0] = (char *)name;
	memcpy(args + 1, argv, (size_t)argc * sizeof(*args));
	status = linx_cli_process_run(argc + 1, args, enter);
	free(args);
	return status;
}

int cli_cmd_spawn(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	return cli_process_command(argc, argv, "spawn", false);
}
