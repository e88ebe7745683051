/* SPDX-License-Identifier: MIT */
/*
 * linx spawn [options] -- argv...
 *
 * Clones argv into fresh namespaces through an agent of its own (forked,
 * not exec'd: agent-fork.c), decides its identity, privileges and syscall
 * surface while it is parked at the checkpoint, then releases it and
 * waits.  Exit status: the workload's, or
 * 128 + signal, or 125 when it never ran (as docker run does).
 *
 * The flags become a plan (linx/plan.h); the library applies it at the
 * checkpoint, in its order and with its rollback, exactly as it does for
 * a C program or a binding.  What stays here is the terminal relay.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linx/linx.h>
#include <linx/plan.h>
#include <linx/process.h>
#include <linx/tty.h>

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
	/* The workload's filesystem, made in the child (mount.rootfs). */
	const char *rootfs;
	const char *nft; /* --nft FILE.json */
	bool mount_proc, ro_root;
	const char **binds, **tmpfs, **mounts; /* as given */
	size_t n_binds, n_tmpfs, n_mounts;
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
		"  --nft FILE.json      push this nf_tables ruleset into the\n"
		"                       workload's netns (needs --ns net); its\n"
		"                       owner tables live as long as the session\n"
		"  --rootfs DIR         pivot into DIR (needs --ns mount); a\n"
		"                       minimal /dev is made in it\n"
		"  --mount-proc         mount /proc (of the workload's pid\n"
		"                       namespace, with --ns pid)\n"
		"  --bind SRC:DST[:ro]  bind host path SRC at DST (repeatable)\n"
		"  --tmpfs DST[:SIZE]   a tmpfs at DST (repeatable)\n"
		"  --mount FSTYPE:SRC:DST[:DATA]  any other mount (repeatable)\n"
		"  --ro-root            the root read-only (mounts on it stay\n"
		"                       writable)\n"
		"  --pty                run on a new terminal, relayed to ours\n"
		"                       (it follows our window size)\n"
		"  --detach-keys KEYS   with --pty on a terminal: keys that end\n"
		"                       the attach, as docker spells them\n"
		"                       (default ctrl-p,ctrl-q; \"\" for none).\n"
		"                       The workload does not outlive linx: it\n"
		"                       gets SIGHUP, and linx exits 0\n"
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

/* Long-only options take codes past the characters. */
#define OPT_DETACH_KEYS 0x100
#define OPT_NFT 0x101
/* --detach-keys, kept by the relay (below): 0 or -EINVAL. */
static int relay_detach_keys(const char *text);

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
	{ "rootfs", required_argument, NULL, 'R' },
	{ "mount-proc", no_argument, NULL, 'O' },
	{ "bind", required_argument, NULL, 'B' },
	{ "tmpfs", required_argument, NULL, 'T' },
	{ "mount", required_argument, NULL, 'm' },
	{ "ro-root", no_argument, NULL, 'r' },
	{ "detach-keys", required_argument, NULL, OPT_DETACH_KEYS },
	{ "nft", required_argument, NULL, OPT_NFT },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A flag that takes NAME=VALUE. */
static bool pair_ok(const char *flag, const char *what, const char *v)
{
	if (strchr(v, '='))
		return true;
	fprintf(stderr, "linx: --%s takes %s, not \"%s\"\n", flag, what, v);
	return false;
}

/* Record one option: 0, 1 for --help (done), or -EINVAL. */
static int take_option(int c, bool enter, struct opts *o, const char **ns)
{
	struct linx_error err;

	switch (c) {
	case 'n':
		*ns = optarg;
		if (linx_process_ns_parse(optarg, &o->ns, &err) < 0) {
			fprintf(stderr, "linx: --ns: %s\n", err.message);
			return -EINVAL;
		}
		return 0;
	case 'u': o->uid_map = optarg; return 0;
	case 'g': o->gid_map = optarg; return 0;
	case 'k': o->caps_keep = optarg; return 0;
	case 'd': o->caps_drop = optarg; return 0;
	case 'a': o->seccomp_allow = optarg; return 0;
	case 'D': o->seccomp_deny = optarg; return 0;
	case 'e': o->seccomp_errno = optarg; return 0;
	case 'N': o->nnp = true; return 0;
	case 'p': o->pty = true; return 0;
	case 'c': o->cwd = optarg; return 0;
	case 'E': o->env[o->n_env++] = optarg; return 0;
	case 'G': o->cgroup = optarg; return 0;
	case 'M': o->memory_max = optarg; return 0;
	case 'P': o->pids_max = optarg; return 0;
	case 'C': o->cpu_max = optarg; return 0;
	case 'H': o->hostname = optarg; return 0;
	case 'S':
		if (!pair_ok("sysctl", "KEY=VALUE", optarg))
			return -EINVAL;
		o->sysctls[o->n_sysctls++] = optarg;
		return 0;
	case 'L': o->links[o->n_links++] = optarg; return 0;
	case 'I':
		if (!pair_ok("ip", "NAME=ADDRESS/PREFIX", optarg))
			return -EINVAL;
		o->ips[o->n_ips++] = optarg;
		return 0;
	case 'W': o->gateway = optarg; return 0;
	case 'R': o->rootfs = optarg; return 0;
	case 'O': o->mount_proc = true; return 0;
	case 'B': o->binds[o->n_binds++] = optarg; return 0;
	case 'T': o->tmpfs[o->n_tmpfs++] = optarg; return 0;
	case 'm': o->mounts[o->n_mounts++] = optarg; return 0;
	case 'r': o->ro_root = true; return 0;
	case OPT_DETACH_KEYS: return relay_detach_keys(optarg);
	case OPT_NFT: o->nft = optarg; return 0;
	case 'v': o->verbose = true; return 0;
	case 'h': usage(stdout, enter); return 1;
	default: usage(stderr, enter); return -EINVAL;
	}
}

/* `linx enter PID`: the target. */
static int take_pid(int argc, char **argv, struct opts *o)
{
	char *end;
	long pid;

	if (optind >= argc) {
		usage(stderr, true);
		return -EINVAL;
	}
	pid = strtol(argv[optind], &end, 10);
	if (*end || pid <= 0) {
		fprintf(stderr, "linx: enter: bad pid \"%s\"\n", argv[optind]);
		return -EINVAL;
	}
	o->target = (pid_t)pid;
	optind++;
	return 0;
}

/* Flags that exclude or need each other. */
static int combinations_ok(const struct opts *o)
{
	const char *msg = NULL;

	if (o->seccomp_allow && o->seccomp_deny)
		msg = "--seccomp-allow and --seccomp-deny exclude each other";
	/* Configuring "the workload's" network without a network namespace
	 * of its own would reconfigure ours. */
	else if ((o->n_links || o->n_ips || o->gateway) && !o->enter &&
		 !(o->ns & LINX_NS_NET))
		msg = "--link, --ip and --gateway need the workload's own "
		      "network namespace (--ns net)";
	else if ((o->memory_max || o->pids_max || o->cpu_max) && !o->cgroup)
		msg = "--memory-max, --pids-max and --cpu-max need --cgroup";
	else if (o->caps_keep && o->caps_drop)
		msg = "--caps-keep and --caps-drop exclude each other";
	if (msg)
		fprintf(stderr, "linx: %s\n", msg);
	return msg ? -EINVAL : 0;
}

static int parse(int argc, char **argv, bool enter, struct opts *o)
{
	const char *ns = NULL;
	bool need_pid = enter;
	int c, r;

	memset(o, 0, sizeof(*o));
	o->enter = enter;
	o->env = calloc((size_t)argc + 1, sizeof(char *));
	o->sysctls = calloc((size_t)argc + 1, sizeof(char *));
	o->links = calloc((size_t)argc + 1, sizeof(char *));
	o->ips = calloc((size_t)argc + 1, sizeof(char *));
	o->binds = calloc((size_t)argc + 1, sizeof(char *));
	o->tmpfs = calloc((size_t)argc + 1, sizeof(char *));
	o->mounts = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->env || !o->sysctls || !o->links || !o->ips || !o->binds ||
	    !o->tmpfs || !o->mounts)
		return -ENOMEM;
	optind = 0; /* re-initialise getopt for this argv */
	for (;;) {
		while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1)
			if ((r = take_option(c, enter, o, &ns)) != 0)
				return r;
		if (!need_pid)
			break;
		if ((r = take_pid(argc, argv, o)) < 0)
			return r;
		need_pid = false;
		/* Options may follow the pid too: "enter PID --ns net --". */
		if (!(optind < argc && argv[optind][0] == '-' &&
		      strcmp(argv[optind], "--") != 0))
			break;
	}
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc) {
		fprintf(stderr, "linx: %s: no program to run (argv_required)\n",
			enter ? "enter" : "spawn");
		return -EINVAL;
	}
	if (!lists_ok(o, ns) || combinations_ok(o) < 0)
		return -EINVAL;
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
	/* The plan names the namespace a sysctl needs; say it as a flag. */
	if (strcmp(err->param, "namespaces") == 0 && err->object[0])
		fprintf(stderr, "linx: hint: add --ns %s\n", err->object);
	return -(err->code ? err->code : EIO);
}

/* A limit from the command line: digits are a number, anything else
 * ("max") goes to the plan as text for it to judge. */
static void put_limit(struct linx_value *m, const char *name, const char *text)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (text[0] >= '0' && text[0] <= '9' && !*end && errno == 0)
		linx_map_put_uint(m, name, v);
	else
		linx_map_put_cstring(m, name, text);
}

static int plan_cgroup(const struct opts *o, struct linx_value *plan)
{
	struct linx_value cg = linx_value_map();

	linx_map_put_cstring(&cg, "path", o->cgroup);
	if (o->memory_max)
		put_limit(&cg, "memory_max", o->memory_max);
	if (o->pids_max)
		put_limit(&cg, "pids_max", o->pids_max);
	if (o->cpu_max) {
		struct linx_value cpu = linx_value_map();
		char *copy = strdup(o->cpu_max), *slash;

		if (!copy) {
			linx_value_clear(&cg);
			return -ENOMEM;
		}
		slash = strchr(copy, '/');
		if (slash)
			*slash++ = '\0';
		put_limit(&cpu, "quota", copy);
		if (slash)
			put_limit(&cpu, "period", slash);
		free(copy);
		linx_map_put(&cg, "cpu_max", &cpu);
	}
	return linx_map_put(plan, "cgroup", &cg);
}

/* NAME=TEXT -> {NAME: TEXT} entries of `key`. */
static void plan_pairs(struct linx_value *plan, const char *key,
		       const char **items, size_t n)
{
	struct linx_value m = linx_value_map();

	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(items[i], '=');
		char *k = strndup(items[i], (size_t)(eq - items[i]));

		if (k)
			linx_map_put_cstring(&m, k, eq + 1);
		else
			linx_map_put_nil(&m, "");
		free(k);
	}
	linx_map_put(plan, key, &m);
}

static void plan_network(const struct opts *o, struct linx_value *plan)
{
	struct linx_value net = linx_value_map(), links = linx_value_list();
	struct linx_value addrs = linx_value_list();

	for (size_t i = 0; i < o->n_links; i++)
		linx_list_push_cstring(&links, o->links[i]);
	if (o->n_links)
		linx_map_put(&net, "links", &links);
	for (size_t i = 0; i < o->n_ips; i++) {
		const char *eq = strchr(o->ips[i], '=');
		struct linx_value a = linx_value_map();

		linx_map_put_string(&a, "dev", o->ips[i],
				    (size_t)(eq - o->ips[i]));
		linx_map_put_cstring(&a, "address", eq + 1);
		linx_list_push(&addrs, &a);
	}
	if (o->n_ips)
		linx_map_put(&net, "addresses", &addrs);
	if (o->gateway)
		linx_map_put_cstring(&net, "gateway", o->gateway);
	linx_value_clear(&links);
	linx_value_clear(&addrs);
	linx_map_put(plan, "network", &net);
}

/* One restricting list: {key: {which: [csv...], extra}}. */
static void plan_list(struct linx_value *plan, const char *key,
		      const char *which, const char *csv,
		      struct linx_value *extra_key_value, const char *extra)
{
	struct linx_value m = linx_value_map(), list = csv_list(csv);

	linx_map_put(&m, which, &list);
	if (extra)
		linx_map_put(&m, extra, extra_key_value);
	linx_map_put(plan, key, &m);
}

static void plan_seccomp(const struct opts *o, struct linx_value *plan)
{
	struct linx_value act;

	if (o->seccomp_allow) {
		plan_list(plan, "seccomp", "allow", o->seccomp_allow, NULL,
			  NULL);
		return;
	}
	if (o->seccomp_errno && strcmp(o->seccomp_errno, "kill") == 0) {
		linx_value_cstring(&act, "kill_process");
	} else {
		act = linx_value_map();
		linx_map_put_cstring(&act, "errno", o->seccomp_errno
							    ? o->seccomp_errno
							    : "eperm");
	}
	plan_list(plan, "seccomp", "deny", o->seccomp_deny, &act,
		  "deny_action");
}

/* Split `text` at ':' into at most `max` fields (a copy in *ret_copy). */
static int fields(const char *text, char **f, int max, char **ret_copy)
{
	char *copy = strdup(text), *p = copy;
	int n = 0;

	*ret_copy = copy;
	if (!copy)
		return -ENOMEM;
	while (p && n < max) {
		f[n++] = p;
		p = n < max ? strchr(p, ':') : NULL;
		if (p)
			*p++ = '\0';
	}
	return n;
}

/* --bind SRC:DST[:ro] */
static int plan_bind(const char *text, struct linx_value *list)
{
	struct linx_value m = linx_value_map();
	char *f[3], *copy;
	int n = fields(text, f, 3, &copy);

	if (n < 2 || !*f[0] || !*f[1] || (n == 3 && strcmp(f[2], "ro") != 0)) {
		fprintf(stderr, "linx: --bind takes SRC:DST[:ro], not "
				"\"%s\"\n", text);
		free(copy);
		return -EINVAL;
	}
	linx_map_put_cstring(&m, "source", f[0]);
	linx_map_put_cstring(&m, "target", f[1]);
	if (n == 3)
		linx_map_put_bool(&m, "readonly", true);
	free(copy);
	return linx_list_push(list, &m);
}

/* --tmpfs DST[:SIZE] */
static int plan_tmpfs(const char *text, struct linx_value *list)
{
	struct linx_value m = linx_value_map();
	char *f[2], *copy;
	int n = fields(text, f, 2, &copy);

	if (n < 1 || !*f[0] || (n == 2 && !*f[1])) {
		fprintf(stderr, "linx: --tmpfs takes DST[:SIZE], not \"%s\"\n",
			text);
		free(copy);
		return -EINVAL;
	}
	linx_map_put_cstring(&m, "target", f[0]);
	if (n == 2)
		linx_map_put_cstring(&m, "size", f[1]);
	free(copy);
	return linx_list_push(list, &m);
}

/* --mount FSTYPE:SRC:DST[:DATA] (DATA may hold ':'). */
static int plan_mount(const char *text, struct linx_value *list)
{
	struct linx_value m = linx_value_map();
	char *f[4], *copy;
	int n = fields(text, f, 4, &copy);

	if (n < 3 || !*f[0] || !*f[2]) {
		fprintf(stderr, "linx: --mount takes FSTYPE:SRC:DST[:DATA], "
				"not \"%s\"\n", text);
		free(copy);
		return -EINVAL;
	}
	linx_map_put_cstring(&m, "fstype", f[0]);
	linx_map_put_cstring(&m, "source", f[1]);
	linx_map_put_cstring(&m, "target", f[2]);
	if (n == 4)
		linx_map_put_cstring(&m, "data", f[3]);
	free(copy);
	return linx_list_push(list, &m);
}

static int plan_rootfs(const struct opts *o, struct linx_value *plan)
{
	struct linx_value rf = linx_value_map(), binds = linx_value_list();
	struct linx_value tmpfs = linx_value_list(), mounts = linx_value_list();
	int r = 0;

	if (o->rootfs) {
		linx_map_put_cstring(&rf, "path", o->rootfs);
		linx_map_put_bool(&rf, "dev", true);
	}
	if (o->mount_proc)
		linx_map_put_bool(&rf, "proc", true);
	if (o->ro_root)
		linx_map_put_bool(&rf, "readonly", true);
	for (size_t i = 0; i < o->n_binds && r == 0; i++)
		r = plan_bind(o->binds[i], &binds);
	for (size_t i = 0; i < o->n_tmpfs && r == 0; i++)
		r = plan_tmpfs(o->tmpfs[i], &tmpfs);
	for (size_t i = 0; i < o->n_mounts && r == 0; i++)
		r = plan_mount(o->mounts[i], &mounts);
	if (binds.len)
		linx_map_put(&rf, "binds", &binds);
	if (tmpfs.len)
		linx_map_put(&rf, "tmpfs", &tmpfs);
	if (mounts.len)
		linx_map_put(&rf, "mounts", &mounts);
	linx_value_clear(&binds);
	linx_value_clear(&tmpfs);
	linx_value_clear(&mounts);
	if (r < 0) {
		linx_value_clear(&rf);
		return r;
	}
	return linx_map_put(plan, "rootfs", &rf);
}

static bool wants_rootfs(const struct opts *o)
{
	return o->rootfs || o->mount_proc || o->ro_root || o->n_binds ||
	       o->n_tmpfs || o->n_mounts;
}

/* --nft FILE.json: the ruleset value, read with the CLI's JSON mapping
 * (checked by the nft plugin when the plan runs). */
static int plan_nft(const char *path, struct linx_value *plan)
{
	char why[CLI_JSON_ERR_MAX];
	struct linx_value rs;
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");
	int r;

	if (!f) {
		fprintf(stderr, "linx: --nft %s: %s\n", path, strerror(errno));
		return -errno;
	}
	{
		FILE *m = open_memstream(&text, &len);
		char buf[8192];
		size_t n;

		if (!m) {
			fclose(f);
			return -ENOMEM;
		}
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(m);
	}
	fclose(f);
	r = cli_json_read(text, len, 1, &rs, why);
	free(text);
	if (r < 0) {
		fprintf(stderr, "linx: --nft %s: %s\n", path, why);
		return r;
	}
	return linx_map_put(plan, "nft", &rs);
}

/* The flags as a plan (linx/plan.h): the library does the rest. */
static int plan_from_opts(const struct opts *o, struct linx_value *plan)
{
	struct linx_value v;

	*plan = linx_value_map();
	if (o->uid_map) {
		if (map_list(o->uid_map, &v) < 0)
			return -EINVAL;
		linx_map_put(plan, "uid_map", &v);
		if (o->gid_map) {
			if (map_list(o->gid_map, &v) < 0)
				return -EINVAL;
			linx_map_put(plan, "gid_map", &v);
		}
	}
	if (o->cgroup && plan_cgroup(o, plan) < 0)
		return -ENOMEM;
	if (o->hostname)
		linx_map_put_cstring(plan, "hostname", o->hostname);
	if (o->n_sysctls)
		plan_pairs(plan, "sysctls", o->sysctls, o->n_sysctls);
	if (o->n_links || o->n_ips || o->gateway)
		plan_network(o, plan);
	if (wants_rootfs(o) && plan_rootfs(o, plan) < 0)
		return -EBADMSG;
	if (o->nft && plan_nft(o->nft, plan) < 0)
		return -EBADMSG;
	if (o->caps_keep)
		plan_list(plan, "caps", "keep", o->caps_keep, NULL, NULL);
	else if (o->caps_drop)
		plan_list(plan, "caps", "drop", o->caps_drop, NULL, NULL);
	if (o->seccomp_allow || o->seccomp_deny)
		plan_seccomp(o, plan);
	return linx_value_status(plan);
}

/* ---- the PTY relay -------------------------------------------------------- */

/*
 * The relay is the tty plugin's attach loop (linx/tty.h): our stdin to the
 * workload's PTY, its output to our stdout, our window size followed.  We
 * hold stdin in raw mode from before the agent starts (keys typed early
 * reach the workload unechoed) until after it has gone.
 */
static struct linx_tty_saved saved_tio;
static bool tio_saved;
static uint8_t detach_keys[LINX_TTY_DETACH_KEYS_MAX] = { 0x10, 0x11 };
static size_t n_detach_keys = 2; /* LINX_TTY_DETACH_KEYS_DEFAULT */

static int relay_detach_keys(const char *text)
{
	struct linx_error err;

	if (linx_tty_detach_keys_parse(text, detach_keys, sizeof(detach_keys),
				       &n_detach_keys, &err) < 0) {
		fprintf(stderr, "linx: --detach-keys: %s\n", err.message);
		return -EINVAL;
	}
	return 0;
}

static bool terminal_size(struct linx_winsize *ws)
{
	return linx_tty_window_size(0, ws, NULL) == 0;
}

static void raw_terminal(struct linx_winsize *ws)
{
	if (!isatty(0))
		return;
	terminal_size(ws);
	tio_saved = linx_tty_make_raw(0, &saved_tio, NULL) == 0;
}

static void restore_terminal(void)
{
	if (tio_saved)
		linx_tty_restore(0, &saved_tio, NULL);
	tio_saved = false;
}

/* Detaching cannot leave the workload running: our agent is its only
 * keeper and goes when we do.  Hang up its terminal as a closed terminal
 * window would, give it the grace period, and end. */
static void end_detached(struct linx_process *p,
			 struct linx_process_result *res)
{
	fprintf(stderr, "\r\nlinx: detached; the workload is stopped "
			"(linx spawn cannot keep it for a later attach)\r\n");
	linx_process_signal(p, SIGHUP, NULL);
	if (linx_process_wait(p, 2000, res, NULL) < 0) {
		linx_process_signal(p, SIGKILL, NULL);
		linx_process_wait(p, -1, res, NULL);
	}
}

static int relay_and_wait(struct linx_agent *a, struct linx_process *p,
			  bool pty, struct linx_process_result *res)
{
	struct linx_tty_attach_opts ao;
	struct linx_tty_attach_result ar;
	struct linx_error err;

	if (!pty) {
		if (linx_process_wait(p, -1, res, &err) < 0)
			return fail("agent", &err);
		return 0;
	}
	linx_tty_attach_opts_init(&ao);
	ao.input_fd = 0;
	ao.output_fd = 1;
	/* Detach keys are keystrokes: bytes piped in are data. */
	ao.detach_keys = detach_keys;
	ao.detach_keys_len = isatty(0) ? n_detach_keys : 0;
	fflush(stdout);
	if (linx_tty_attach(a, p, &ao, &ar, &err) < 0)
		return fail("attach", &err);
	if (ar.how != LINX_TTY_ATTACH_DETACHED) {
		*res = ar.process;
		return 0;
	}
	end_detached(p, res);
	/* Detaching is a success of ours, as docker reports it, whatever
	 * the hang-up did to the workload. */
	*res = (struct linx_process_result){ .stage = LINX_PROCESS_EXITED };
	return 0;
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

/* Flags to plan, checked before anything starts: a malformed plan is a
 * usage error. */
static int make_plan(const struct opts *o, struct linx_value *plan)
{
	struct linx_error err;
	int r = plan_from_opts(o, plan);

	if (r == -EINVAL) {
		fprintf(stderr, "linx: a map is IN:OUT:LEN[,IN:OUT:LEN...]\n");
		return r;
	}
	if (r == -EBADMSG)
		return -EINVAL; /* the flag's parser said what is wrong */
	if (r < 0) {
		fprintf(stderr, "linx: out of memory\n");
		return r;
	}
	r = linx_plan_check(plan, o->ns, o->enter, &err);
	if (r < 0)
		fail("plan", &err);
	return r;
}

/* Start the session and wait until it is parked (or has ended). */
static int start_parked(struct linx_agent *a, const struct opts *o,
			const struct linx_spawn_options *so,
			struct linx_process **p, int *status)
{
	struct linx_process_result res;
	struct linx_error err;
	int r;

	r = o->enter ? linx_process_enter(a, o->target, so, p, &err)
		     : linx_process_spawn(a, so, p, &err);
	if (r < 0)
		return fail(o->enter ? "enter" : "spawn", &err);
	r = linx_process_wait_stage(*p, LINX_PROCESS_READY, -1, &err);
	if (r < 0)
		return fail("spawn", &err);
	if (r != LINX_PROCESS_READY) {
		linx_process_wait(*p, -1, &res, NULL);
		*status = status_of(&res);
		return -ECHILD;
	}
	if (o->verbose) {
		struct linx_process_info info;

		linx_process_info(*p, &info, NULL);
		fprintf(stderr, "linx: workload parked: host pid %d, pid %d "
				"inside\n",
			(int)info.host_pid, (int)info.child_pid);
	}
	return 0;
}

/* Parked: apply the plan (the library rolls back on failure), release
 * the workload and relay its terminal until it ends. */
static int run_parked(struct linx_agent *a, struct linx_process *p,
		      const struct opts *o, const struct linx_value *plan)
{
	struct linx_process_result res;
	struct linx_error err;
	int status = STATUS_NOT_RUN;

	if (linx_process_setup(p, plan, &err) < 0) {
		fail("setup", &err);
		return status;
	}
	if (linx_process_proceed(p, &err) < 0) {
		fail("proceed", &err);
		return status;
	}
	if (o->verbose)
		fprintf(stderr, "linx: released %d\n",
			(int)linx_process_host_pid(p, NULL));
	if (relay_and_wait(a, p, o->pty, &res) == 0)
		status = status_of(&res);
	return status;
}

static void free_opts(struct opts *o)
{
	free(o->env);
	free(o->sysctls);
	free(o->links);
	free(o->ips);
	free(o->binds);
	free(o->tmpfs);
	free(o->mounts);
}

int linx_cli_process_run(int argc, char **argv, bool enter)
{
	struct linx_spawn_options so = { 0 };
	struct linx_value plan = linx_value_nil();
	struct linx_agent *a = NULL;
	struct linx_process *p = NULL;
	struct linx_error err;
	struct opts o;
	int r, status = STATUS_NOT_RUN;

	r = parse(argc, argv, enter, &o);
	if (r == 0 && make_plan(&o, &plan) < 0)
		r = -EINVAL;
	if (r != 0) {
		linx_value_clear(&plan);
		free_opts(&o);
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
	if (cli_agent_start(&a, &err) < 0)
		fail("start", &err);
	else if (start_parked(a, &o, &so, &p, &status) == 0)
		status = run_parked(a, p, &o, &plan);
	restore_terminal();
	linx_process_free(p);
	linx_agent_free(a);
	linx_value_clear(&plan);
	free_opts(&o);
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
