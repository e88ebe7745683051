/* SPDX-License-Identifier: MIT */
/*
 * The verb layer: what `linx call rtnl.* ...` and the Elixir binding see.
 * Results are compared key by key with `ip -j`; handles, namespace
 * targets, errors, the batch and the monitor verbs; and the plugin loaded
 * as a module, calling the core only through the host table.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtnl-test.h"

#ifndef RTNL_MODULE
#error RTNL_MODULE must name the built rtnl.so
#endif

static struct linx_registry *reg;

static struct linx_registry *registry(void)
{
	const struct linx_plugin *const plugins[] = { &linx_plugin_rtnl };

	return linx_test_registry(plugins, 1);
}

/* Call a verb whose arguments are given as key/value string pairs
 * (values starting with '#' are unsigned numbers), expect success. */
static struct linx_value call_ok(const char *verb, const struct linx_value *args)
{
	struct linx_value res = linx_value_nil();
	struct linx_error err;

	linx_assert_ok(linx_call(reg, verb, args, &res, 0, &err), &err);
	return res;
}

static struct linx_value kv(const char *k1, const char *v1, ...)
{
	struct linx_value m = linx_value_map();
	va_list ap;
	const char *k = k1, *v = v1;

	va_start(ap, v1);
	while (k) {
		if (v[0] == '#')
			linx_map_put_uint(&m, k, strtoull(v + 1, NULL, 0));
		else
			linx_map_put_cstring(&m, k, v);
		k = va_arg(ap, const char *);
		if (k)
			v = va_arg(ap, const char *);
	}
	va_end(ap);
	ck_assert_int_eq(linx_value_status(&m), 0);
	return m;
}

static void do_call(const char *verb, struct linx_value args)
{
	struct linx_value res = call_ok(verb, &args);

	linx_value_clear(&res);
	linx_value_clear(&args);
}

/* A field as text: strings as they are, numbers in decimal, lists
 * sorted and joined with ',', absent as "-". */
static const char *f(const struct linx_value *m, const char *key)
{
	static char buf[16][256];
	static unsigned k;
	const struct linx_value *v = linx_map_get(m, key);
	char *b = buf[k++ % 16];

	if (!v || v->type == LINX_NIL)
		return "-";
	switch (v->type) {
	case LINX_STRING:
		snprintf(b, 256, "%s", v->str);
		break;
	case LINX_UINT:
		snprintf(b, 256, "%llu", (unsigned long long)v->u);
		break;
	case LINX_INT:
		snprintf(b, 256, "%lld", (long long)v->i);
		break;
	case LINX_BOOL:
		snprintf(b, 256, "%s", v->b ? "true" : "false");
		break;
	case LINX_LIST: {
		struct rt_lines l = { 0 };
		char *joined, *p;

		for (uint32_t i = 0; i < v->len; i++)
			if (strcmp(v->items[i].str, "NO-CARRIER") != 0)
				rt_lines_add(&l, "%s", v->items[i].str);
		joined = rt_lines_join(&l);
		for (p = joined; *p; p++)
			if (*p == '\n')
				*p = p[1] ? ',' : '\0';
		snprintf(b, 256, "%s", joined);
		free(joined);
		break;
	}
	default:
		snprintf(b, 256, "?");
	}
	return b;
}

#define LINK_JQ                                                              \
	".[] | \"\\(.ifindex) \\(.ifname) \\(.mtu) \\(.operstate) "          \
	"\\(.link_type) \\(.address // \"-\") \\(.master // \"-\") "         \
	"\\(.link // \"-\") \\(.qdisc) \\(.group) \\(.txqlen) "              \
	"\\(.flags - [\"NO-CARRIER\",\"M-DOWN\"] | sort | join(\",\"))\""

static char *verb_links(void *unused)
{
	(void)unused;
	struct linx_value args = kv("netns", "self", NULL);
	struct linx_value res = call_ok("rtnl.link.list", &args);
	struct rt_lines l = { 0 };

	ck_assert_int_eq(res.type, LINX_LIST);
	for (uint32_t i = 0; i < res.len; i++) {
		const struct linx_value *m = &res.items[i];

		rt_lines_add(&l, "%s %s %s %s %s %s %s %s %s %s %s %s",
			     f(m, "ifindex"), f(m, "ifname"), f(m, "mtu"),
			     f(m, "operstate"), f(m, "link_type"),
			     f(m, "address"), f(m, "master"), f(m, "link"),
			     f(m, "qdisc"), f(m, "group"), f(m, "txqlen"),
			     f(m, "flags"));
	}
	linx_value_clear(&res);
	linx_value_clear(&args);
	return rt_lines_join(&l);
}

#define ADDR_JQ                                                              \
	".[] | .ifname as $n | .addr_info[] | \"\\($n) \\(.family) "        \
	"\\(.local) \\(.prefixlen) \\(.scope) \\(.broadcast // \"-\") "     \
	"\\(.label // \"-\")\""

static char *verb_addrs(void *unused)
{
	(void)unused;
	struct linx_value args = linx_value_map();
	struct linx_value res = call_ok("rtnl.address.list", &args);
	struct rt_lines l = { 0 };

	for (uint32_t i = 0; i < res.len; i++) {
		const struct linx_value *m = &res.items[i];

		rt_lines_add(&l, "%s %s %s %s %s %s %s", f(m, "ifname"),
			     f(m, "family"), f(m, "local"), f(m, "prefixlen"),
			     f(m, "scope"), f(m, "broadcast"), f(m, "label"));
	}
	linx_value_clear(&res);
	return rt_lines_join(&l);
}

#define ROUTE_JQ                                                             \
	".[] | \"\\(.type // \"unicast\") \\(.dst) \\(.gateway // \"-\") "  \
	"\\(.dev // \"-\") \\(.table // \"main\") \\(.protocol // \"boot\") " \
	"\\(.scope // \"global\") \\(.prefsrc // \"-\") \\(.metric // \"-\") " \
	"\\(.flags | sort | join(\",\"))\""

static char *verb_routes(void *arg)
{
	const char *family = arg;

	struct linx_value args = kv("family", family, NULL);
	struct linx_value res = call_ok("rtnl.route.list", &args);
	struct rt_lines l = { 0 };

	for (uint32_t i = 0; i < res.len; i++) {
		const struct linx_value *m = &res.items[i];
		const char *metric = f(m, "metric");

		/* ip omits an IPv4 metric of 0. */
		if (!strcmp(family, "inet") && !strcmp(metric, "0"))
			metric = "-";
		rt_lines_add(&l, "%s %s %s %s %s %s %s %s %s %s", f(m, "type"),
			     f(m, "dst"), f(m, "gateway"), f(m, "dev"),
			     f(m, "table"), f(m, "protocol"), f(m, "scope"),
			     f(m, "prefsrc"), metric, f(m, "flags"));
	}
	linx_value_clear(&res);
	linx_value_clear(&args);
	return rt_lines_join(&l);
}

#define RULE_JQ                                                              \
	".[] | \"\\(.priority) \\(.src) \\(.srclen // \"-\") "               \
	"\\(.dst // \"-\") \\(.dstlen // \"-\") \\(.fwmark // \"-\") "        \
	"\\(.fwmask // \"-\") \\(.iif // \"-\") \\(.oif // \"-\") "           \
	"\\(.table // \"-\")\""

static char *verb_rules(void *unused)
{
	(void)unused;
	struct linx_value args = kv("family", "inet", NULL);
	struct linx_value res = call_ok("rtnl.rule.list", &args);
	struct rt_lines l = { 0 };

	for (uint32_t i = 0; i < res.len; i++) {
		const struct linx_value *m = &res.items[i];

		rt_lines_add(&l, "%s %s %s %s %s %s %s %s %s %s",
			     f(m, "priority"), f(m, "src"), f(m, "srclen"),
			     f(m, "dst"), f(m, "dstlen"), f(m, "fwmark"),
			     f(m, "fwmask"), f(m, "iif"), f(m, "oif"),
			     f(m, "table"));
	}
	linx_value_clear(&res);
	linx_value_clear(&args);
	return rt_lines_join(&l);
}

#define NEIGH_JQ                                                             \
	".[] | \"\\(.dst) \\(.dev) \\(.lladdr // \"-\") "                    \
	"\\(.state | sort | join(\",\"))\""

static char *verb_neighs(void *unused)
{
	(void)unused;
	struct linx_value args = linx_value_map();
	struct linx_value res = call_ok("rtnl.neighbour.list", &args);
	struct rt_lines l = { 0 };

	for (uint32_t i = 0; i < res.len; i++) {
		const struct linx_value *m = &res.items[i];

		rt_lines_add(&l, "%s %s %s %s", f(m, "dst"), f(m, "dev"),
			     f(m, "lladdr"), f(m, "state"));
	}
	linx_value_clear(&res);
	return rt_lines_join(&l);
}


/* A namespace like the ones the CLI is checked on: veth pairs, a bridge,
 * addresses, routes in several tables, rules and neighbours. */
static void populate(void)
{
	do_call("rtnl.link.create_veth", kv("name", "v0", "peer", "v1", NULL));
	do_call("rtnl.link.create_veth", kv("name", "w0", "peer", "w1", NULL));
	do_call("rtnl.link.create_bridge", kv("name", "br0", NULL));
	do_call("rtnl.link.set_master", kv("name", "w0", "master", "br0", NULL));
	do_call("rtnl.link.set_mtu", kv("name", "w1", "mtu", "#1400", NULL));
	do_call("rtnl.link.set_address",
		kv("name", "br0", "address", "02:00:00:00:0b:00", NULL));
	do_call("rtnl.link.set_up", kv("name", "v0", NULL));
	do_call("rtnl.link.set_up", kv("name", "v1", NULL));
	do_call("rtnl.link.set_up", kv("name", "br0", NULL));
	do_call("rtnl.address.add",
		kv("dev", "v0", "address", "10.0.0.1/24", "broadcast", "+", NULL));
	do_call("rtnl.address.add",
		kv("dev", "br0", "address", "10.9.0.1", "prefix", "#16", "label",
		   "br0:lbl", NULL));
	do_call("rtnl.address.add",
		kv("dev", "v1", "address", "fd00::2/64", NULL));
	do_call("rtnl.route.add", kv("dst", "10.1.0.0/16", "gateway", "10.0.0.2",
				     NULL));
	do_call("rtnl.route.add",
		kv("dst", "10.2.0.0/16", "gateway", "10.0.0.2", "table", "#100",
		   "protocol", "static", "metric", "#20", NULL));
	do_call("rtnl.route.add",
		kv("dst", "10.3.0.0/16", "gateway", "10.0.0.3", "table", "#1000",
		   NULL));
	do_call("rtnl.route.add",
		kv("dst", "198.51.100.0/24", "type", "blackhole", "table", "#100",
		   NULL));
	do_call("rtnl.route.add", kv("dst", "192.0.2.5", "dev", "v0", "source",
				     "10.0.0.1", NULL));
	do_call("rtnl.route.add_default", kv("gateway", "10.0.0.254", NULL));
	do_call("rtnl.rule.add", kv("from", "10.0.0.0/24", "table", "#100",
				    "priority", "#100", NULL));
	do_call("rtnl.rule.add", kv("fwmark", "#1", "fwmask", "#255", "iif",
				    "v0", "table", "#1000", NULL));
	do_call("rtnl.neighbour.add", kv("dev", "v0", "ip", "10.0.0.9", "mac",
					 "02:00:00:00:00:09", NULL));
	do_call("rtnl.neighbour.add", kv("dev", "v1", "ip", "fd00::9", "mac",
					 "02:00:00:00:00:0a", NULL));
}

START_TEST(results_match_ip_json)
{
	linx_test_private_netns();
	reg = registry();
	populate();
	rt_assert_settled(verb_links, NULL, "link show", LINK_JQ);
	rt_assert_settled(verb_addrs, NULL, "address show", ADDR_JQ);
	rt_assert_settled(verb_routes, "inet", "-4 route show table all",
			  ROUTE_JQ);
	rt_assert_settled(verb_routes, "inet6", "-6 route show table all",
			  ROUTE_JQ);
	rt_assert_settled(verb_rules, NULL, "-4 rule show", RULE_JQ);
	rt_assert_settled(verb_neighs, NULL, "neigh show nud all", NEIGH_JQ);
	linx_registry_free(reg);
}
END_TEST

START_TEST(get_verbs)
{
	struct linx_value args, res;
	struct linx_error err;
	char *theirs, ours[512];

	linx_test_private_netns();
	reg = registry();
	populate();
	args = kv("name", "br0", NULL);
	res = call_ok("rtnl.link.get", &args);
	linx_value_clear(&args);
	ck_assert_str_eq(f(&res, "ifname"), "br0");
	ck_assert_str_eq(f(linx_map_get(&res, "linkinfo"), "info_kind"), "bridge");
	ck_assert_str_eq(f(&res, "address"), "02:00:00:00:0b:00");
	linx_value_clear(&res);
	args = kv("name", "w0", NULL);
	res = call_ok("rtnl.link.get", &args);
	ck_assert_str_eq(f(&res, "master"), "br0");
	ck_assert_str_eq(f(linx_map_get(&res, "linkinfo"), "info_slave_kind"),
			 "bridge");
	linx_value_clear(&res);
	linx_value_clear(&args);
	args = kv("dst", "10.1.2.3", NULL);
	res = call_ok("rtnl.route.get", &args);
	snprintf(ours, sizeof(ours), "%s %s %s %s\n", f(&res, "dst"),
		 f(&res, "gateway"), f(&res, "dev"), f(&res, "prefsrc"));
	theirs = rt_ip_jq("route get 10.1.2.3",
			  ".[] | \"\\(.dst) \\(.gateway) \\(.dev) \\(.prefsrc)\"");
	rt_assert_same(ours, theirs);
	free(theirs);
	linx_value_clear(&res);
	linx_value_clear(&args);
	args = kv("dev", "lo", NULL);
	res = call_ok("rtnl.stats.get", &args);
	ck_assert_str_eq(f(&res, "ifname"), "lo");
	ck_assert_int_eq(linx_map_get(&res, "stats64")->len, 25);
	ck_assert_int_eq(linx_map_get(linx_map_get(&res, "stats64"),
				      "rx_packets")->type,
			 LINX_UINT);
	linx_value_clear(&res);
	linx_value_clear(&args);
	/* The error a user sees. */
	args = kv("name", "nope0", NULL);
	ck_assert_int_eq(linx_call(reg, "rtnl.link.get", &args, &res, 0, &err),
			 -ENODEV);
	ck_assert_str_eq(err.message, "no such interface \"nope0\"");
	ck_assert_str_eq(err.op, "link.get");
	ck_assert_str_eq(linx_errno_name(err.code), "enodev");
	ck_assert_int_eq(res.type, LINX_NIL);
	linx_value_clear(&args);
	args = kv("name", "br0", "index", "#1", NULL);
	ck_assert_int_eq(linx_call(reg, "rtnl.link.get", &args, &res, 0, &err),
			 -EINVAL);
	linx_value_clear(&args);
	args = kv("dst", "10.0.0.0/33", NULL);
	ck_assert_int_eq(linx_call(reg, "rtnl.route.add", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "dst");
	linx_value_clear(&args);
	args = kv("dst", "10.0.0.0/8", "protocol", "nonsense", NULL);
	ck_assert_int_eq(linx_call(reg, "rtnl.route.add", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "protocol");
	linx_value_clear(&args);
	args = kv("bogus", "x", NULL);
	ck_assert_int_eq(linx_call(reg, "rtnl.link.list", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.op, "validate");
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

START_TEST(handles_and_targets)
{
	struct linx_value args, res, sock, mon;
	struct linx_error err;
	pid_t pid;
	char path[64];

	linx_test_private_netns();
	reg = registry();
	pid = linx_test_spawn_in_ns(CLONE_NEWNET);
	/* A socket in the other namespace, reused for several calls. */
	args = linx_value_map();
	linx_map_put_int(&args, "netns", pid);
	sock = call_ok("rtnl.open", &args);
	linx_value_clear(&args);
	ck_assert_int_eq(sock.type, LINX_HANDLE);
	ck_assert_str_eq(linx_handle_type_of(sock.handle)->name, "rtnl.socket");
	args = kv("name", "inside0", NULL);
	linx_value_copy(&res, &sock);
	linx_map_put(&args, "sock", &res);
	do_call("rtnl.link.create_bridge", args);
	/* Seen through a path target and a {pid} map, not from here. */
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	args = kv("name", "inside0", "netns", path, NULL);
	do_call("rtnl.link.get", args);
	args = kv("name", "inside0", NULL);
	res = linx_value_map();
	linx_map_put_int(&res, "pid", pid);
	linx_map_put(&args, "netns", &res);
	do_call("rtnl.link.delete", args);
	args = kv("name", "inside0", NULL);
	ck_assert_int_eq(linx_call(reg, "rtnl.link.get", &args, &res, 0, &err),
			 -ENODEV);
	/* Both sock and netns: refused. */
	linx_value_copy(&res, &sock);
	linx_map_put(&args, "sock", &res);
	linx_map_put_cstring(&args, "netns", "self");
	ck_assert_int_eq(linx_call(reg, "rtnl.link.get", &args, &res, 0, &err),
			 -EINVAL);
	linx_value_clear(&args);
	/* A monitor handle is not a socket. */
	args = linx_value_map();
	mon = call_ok("rtnl.monitor.open", &args);
	linx_map_put(&args, "sock", &mon);
	ck_assert_int_eq(linx_call(reg, "rtnl.link.list", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "sock");
	linx_value_clear(&args);
	/* Closed: later calls fail cleanly, the handle stays valid. */
	args = linx_value_map();
	linx_value_copy(&res, &sock);
	linx_map_put(&args, "sock", &res);
	do_call("rtnl.close", args);
	args = linx_value_map();
	linx_value_copy(&res, &sock);
	linx_map_put(&args, "sock", &res);
	ck_assert_int_eq(linx_call(reg, "rtnl.link.list", &args, &res, 0, &err),
			 -EBADF);
	linx_value_clear(&args);
	linx_value_clear(&sock);
	args = kv("netns", "relative/path", NULL);
	ck_assert_int_eq(linx_call(reg, "rtnl.open", &args, &res, 0, &err),
			 -EINVAL);
	linx_value_clear(&args);
	linx_test_reap(pid);
	linx_registry_free(reg);
}
END_TEST

START_TEST(batch_verb)
{
	struct linx_value args, ops, res, op;
	const struct linx_value *errors;
	struct linx_error err;
	char *out;

	linx_test_private_netns();
	reg = registry();
	do_call("rtnl.link.create_veth", kv("name", "b0", "peer", "b1", NULL));
	do_call("rtnl.link.set_up", kv("name", "b0", NULL));
	ops = linx_value_list();
	op = kv("op", "address.add", "dev", "b0", "address", "10.0.0.1/24", NULL);
	linx_list_push(&ops, &op);
	for (int i = 0; i < 5; i++) {
		char dst[32];

		snprintf(dst, sizeof(dst), "10.7.%d.0/24", i == 3 ? 1 : i);
		op = kv("op", "route.add", "dst", dst, "gateway", "10.0.0.2",
			"table", "#100", NULL);
		linx_list_push(&ops, &op);
	}
	op = kv("op", "neighbour.add", "dev", "b0", "ip", "10.0.0.9", "mac",
		"02:00:00:00:00:09", NULL);
	linx_list_push(&ops, &op);
	op = kv("op", "link.set_mtu", "name", "b1", "mtu", "#1300", NULL);
	linx_list_push(&ops, &op);
	args = linx_value_map();
	linx_map_put(&args, "ops", &ops);
	res = call_ok("rtnl.batch", &args);
	ck_assert_str_eq(f(&res, "count"), "8");
	ck_assert_str_eq(f(&res, "failed"), "1");
	errors = linx_map_get(&res, "errors");
	ck_assert_int_eq(errors->len, 1);
	ck_assert_str_eq(f(&errors->items[0], "index"), "4");
	ck_assert_str_eq(f(&errors->items[0], "errno"), "eexist");
	ck_assert_str_eq(f(&errors->items[0], "op"), "route.add");
	linx_value_clear(&res);
	linx_value_clear(&args);
	out = rt_sh_ok("ip route show table 100 | wc -l; ip -j link show b1 | "
		       "jq '.[0].mtu'; ip neigh show dev b0 | wc -l");
	ck_assert_str_eq(out, "4\n1300\n1\n");
	free(out);
	/* A malformed op is refused before anything is sent. */
	ops = linx_value_list();
	op = kv("op", "route.add", "dst", "10.8.0.0/24", "gateway", "10.0.0.2",
		NULL);
	linx_list_push(&ops, &op);
	op = kv("op", "route.add", "dst", "10.8.1.0/24", "colour", "blue", NULL);
	linx_list_push(&ops, &op);
	args = linx_value_map();
	linx_map_put(&args, "ops", &ops);
	ck_assert_int_eq(linx_call(reg, "rtnl.batch", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_msg(strstr(err.message, "ops[1]") &&
			      strstr(err.message, "colour"),
		      "%s", err.message);
	linx_value_clear(&args);
	out = rt_sh_ok("ip route show 10.8.0.0/24 | wc -l");
	ck_assert_str_eq(out, "0\n");
	free(out);
	ops = linx_value_list();
	op = kv("op", "link.create_veth", "name", "x", "peer", "y", NULL);
	linx_list_push(&ops, &op);
	args = linx_value_map();
	linx_map_put(&args, "ops", &ops);
	ck_assert_int_eq(linx_call(reg, "rtnl.batch", &args, &res, 0, &err),
			 -EINVAL);
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

/* An op in a batch is validated against the schema of its verb, so it
 * takes what a single call takes: here nil for an optional parameter
 * (left out, as linx_call does), and refuses what it refuses, naming the
 * op's index. */
START_TEST(batch_ops_validated_like_calls)
{
	struct linx_value args, ops, res, op, nil = linx_value_nil();
	struct linx_error err;
	char *out;

	linx_test_private_netns();
	reg = registry();
	op = kv("op", "route.add", "dst", "10.9.0.0/24", "dev", "lo", NULL);
	linx_map_put(&op, "metric", &nil);
	ops = linx_value_list();
	linx_list_push(&ops, &op);
	args = linx_value_map();
	linx_map_put(&args, "ops", &ops);
	res = call_ok("rtnl.batch", &args);
	ck_assert_str_eq(f(&res, "count"), "1");
	ck_assert_str_eq(f(&res, "failed"), "0");
	linx_value_clear(&res);
	linx_value_clear(&args);
	out = rt_sh_ok("ip route show 10.9.0.0/24 | wc -l");
	ck_assert_str_eq(out, "1\n");
	free(out);
	/* A missing required parameter, reported as the verb reports it. */
	op = kv("op", "route.delete", "dev", "lo", NULL);
	ops = linx_value_list();
	linx_list_push(&ops, &op);
	args = linx_value_map();
	linx_map_put(&args, "ops", &ops);
	ck_assert_int_eq(linx_call(reg, "rtnl.batch", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "ops");
	ck_assert_msg(strstr(err.message, "ops[0]") &&
			      strstr(err.message, "rtnl.route.delete") &&
			      strstr(err.message, "\"dst\""),
		      "%s", err.message);
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

START_TEST(monitor_verbs)
{
	struct linx_value args, mon, res, groups = linx_value_list();
	struct linx_error err;
	bool seen = false;

	linx_test_private_netns();
	reg = registry();
	linx_list_push_cstring(&groups, "link");
	linx_list_push_cstring(&groups, "address");
	args = linx_value_map();
	linx_map_put(&args, "groups", &groups);
	mon = call_ok("rtnl.monitor.open", &args);
	linx_value_clear(&args);
	ck_assert_str_eq(linx_handle_type_of(mon.handle)->name, "rtnl.monitor");
	do_call("rtnl.link.create_bridge", kv("name", "mbr0", NULL));
	for (int round = 0; round < 20 && !seen; round++) {
		args = kv("timeout_ms", "#200", NULL);
		linx_value_copy(&res, &mon);
		linx_map_put(&args, "monitor", &res);
		res = call_ok("rtnl.monitor.read", &args);
		for (uint32_t i = 0; i < res.len; i++) {
			const struct linx_value *e = &res.items[i];

			if (!strcmp(f(e, "op"), "new_link") &&
			    !strcmp(f(linx_map_get(e, "resource"), "ifname"),
				    "mbr0"))
				seen = true;
		}
		linx_value_clear(&res);
		linx_value_clear(&args);
	}
	ck_assert(seen);
	args = linx_value_map();
	linx_value_copy(&res, &mon);
	linx_map_put(&args, "monitor", &res);
	do_call("rtnl.monitor.close", args);
	args = linx_value_map();
	linx_value_copy(&res, &mon);
	linx_map_put(&args, "monitor", &res);
	ck_assert_int_eq(linx_call(reg, "rtnl.monitor.read", &args, &res, 0,
				   &err),
			 -EBADF);
	linx_value_clear(&args);
	groups = linx_value_list();
	linx_list_push_cstring(&groups, "bogus");
	args = linx_value_map();
	linx_map_put(&args, "groups", &groups);
	ck_assert_int_eq(linx_call(reg, "rtnl.monitor.open", &args, &res, 0,
				   &err),
			 -EINVAL);
	linx_value_clear(&args);
	linx_value_clear(&mon);
	linx_registry_free(reg);
}
END_TEST

struct hammer {
	struct linx_value sock;
	int failures;
};

static void *hammer_main(void *p)
{
	struct hammer *h = p;

	for (int i = 0; i < 200; i++) {
		struct linx_value args = linx_value_map(), res, copy;
		struct linx_error err;

		linx_value_copy(&copy, &h->sock);
		linx_map_put(&args, "sock", &copy);
		if (linx_call(reg, "rtnl.link.list", &args, &res, 0, &err) < 0 ||
		    res.len < 1)
			h->failures++;
		linx_value_clear(&res);
		linx_value_clear(&args);
	}
	return NULL;
}

START_TEST(one_handle_many_threads)
{
	struct linx_value args = linx_value_map(), sock;
	struct hammer h[4];
	pthread_t t[4];

	linx_test_private_netns();
	reg = registry();
	sock = call_ok("rtnl.open", &args);
	linx_value_clear(&args);
	for (int i = 0; i < 4; i++) {
		h[i].failures = 0;
		linx_value_copy(&h[i].sock, &sock);
		ck_assert_int_eq(pthread_create(&t[i], NULL, hammer_main, &h[i]),
				 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(h[i].failures, 0);
		linx_value_clear(&h[i].sock);
	}
	linx_value_clear(&sock);
	linx_registry_free(reg);
}
END_TEST

START_TEST(as_a_module)
{
	struct linx_value args, res;
	struct linx_error err;
	const char *file;
	void *dl;

	/* The module exports its descriptor and nothing else. */
	dl = dlopen(RTNL_MODULE, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(dl != NULL, "%s", dlerror());
	ck_assert_ptr_nonnull(dlsym(dl, LINX_PLUGIN_SYMBOL_NAME));
	ck_assert_ptr_null(dlsym(dl, "linx_rtnl_open"));
	ck_assert_ptr_null(dlsym(dl, "linx_plugin_rtnl"));
	ck_assert_ptr_null(dlsym(dl, "rtnl_talk"));
	dlclose(dl);
	linx_test_private_netns();
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_load_file(reg, RTNL_MODULE, &err), &err);
	ck_assert_str_eq(linx_registry_plugin(reg, 0, &file)->name, "rtnl");
	do_call("rtnl.link.create_veth", kv("name", "mod0", "peer", "mod1", NULL));
	args = kv("name", "mod0", NULL);
	res = call_ok("rtnl.link.get", &args);
	ck_assert_str_eq(f(linx_map_get(&res, "linkinfo"), "info_kind"), "veth");
	ck_assert_str_eq(f(&res, "link"), "mod1");
	linx_value_clear(&res);
	linx_value_clear(&args);
	args = kv("name", "nope0", NULL);
	ck_assert_int_eq(linx_call(reg, "rtnl.link.get", &args, &res, 0, &err),
			 -ENODEV);
	ck_assert_str_eq(err.message, "no such interface \"nope0\"");
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-verbs");
	TCase *tc = tcase_create("verbs");

	rt_require_oracle();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, results_match_ip_json);
	tcase_add_test(tc, get_verbs);
	tcase_add_test(tc, handles_and_targets);
	tcase_add_test(tc, batch_verb);
	tcase_add_test(tc, batch_ops_validated_like_calls);
	tcase_add_test(tc, monitor_verbs);
	tcase_add_test(tc, one_handle_many_threads);
	tcase_add_test(tc, as_a_module);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
