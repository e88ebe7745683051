/* SPDX-License-Identifier: MIT */
/*
 * rtnl reconcile (linx/rtnl-reconcile.h and the rtnl.reconcile/diff
 * verbs), each test in a fresh network namespace with a veth pair; drift
 * is made with ip(8) and the outcome read back with `ip -j`: drift healed
 * in one pass, a second pass a no-op, other owners' routes and addresses
 * left alone, a failure in the middle leaving the rest pending for the
 * next pass, a bad desired state refused before anything is written;
 * neighbours and rules owned three-way like addresses; links checked for
 * existence, never created or deleted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linx/rtnl-reconcile.h>

#include "cli.h"
#include "rtnl-test.h"

static struct linx_rtnl *sock;

static void setup(void)
{
	rt_require_oracle();
	sock = rt_setup();
	free(rt_sh_ok("ip link add d0 type veth peer name d1 && "
		      "ip link set d0 up && ip link set d1 up"));
}

/* A value from JSON text (the CLI's reader, linked in). */
static struct linx_value json(const char *text)
{
	char why[CLI_JSON_ERR_MAX];
	struct linx_value v;

	ck_assert_msg(cli_json_read(text, strlen(text), 0, &v, why) == 0,
		      "%s: %s", text, why);
	return v;
}

static const char desired_text[] =
	"{\"addresses\": [{\"dev\": \"d0\", \"address\": \"10.0.0.2/24\"},"
	"                 [\"d0\", \"fd00::2\", 64]],"
	" \"routes\": [{\"dst\": \"10.50.0.0/24\", \"gateway\": \"10.0.0.1\"},"
	"              [\"10.60.0.0\", 24, \"10.0.0.1\","
	"               {\"table\": 100, \"metric\": 50}],"
	"              [\"default\", \"10.0.0.1\"],"
	"              {\"dst\": \"fd01::/64\", \"gateway\": \"fd00::1\","
	"               \"dev\": \"d0\"}]}";

/* The routes carrying protocol 76 and the global addresses of d0, as ip
 * sees them, one line each, sorted. */
static char *ip_routes(void)
{
	return rt_ip_jq("route show table all",
			".[] | select(.protocol == \"76\") | "
			"\"\\(.dst) \\(.gateway // \"-\") \\(.table // \"main\") "
			"\\(.metric // 0)\"");
}

static char *ip_addrs(void)
{
	return rt_ip_jq("addr show dev d0",
			".[].addr_info[] | select(.scope == \"global\") | "
			"\"\\(.local)/\\(.prefixlen)\"");
}

static const char want_routes[] = "10.50.0.0/24 10.0.0.1 main 0\n"
				  "10.60.0.0/24 10.0.0.1 100 50\n"
				  "default 10.0.0.1 main 0\n"
				  "fd01::/64 fd00::1 main 1024\n";
static const char want_addrs[] = "10.0.0.2/24\nfd00::2/64\n";

static struct linx_value pass(const struct linx_value *desired,
			      const struct linx_value *last)
{
	struct linx_value rep;
	struct linx_error err;

	linx_assert_ok(linx_rtnl_reconcile(sock, desired, last, -1, &rep, &err),
		       &err);
	return rep;
}

static uint32_t count(const struct linx_value *rep, const char *field)
{
	const struct linx_value *l = linx_map_get(rep, field);

	ck_assert_msg(l && l->type == LINX_LIST, "no %s list", field);
	return l->len;
}

static bool converged(const struct linx_value *rep)
{
	const struct linx_value *c = linx_map_get(rep, "converged");

	ck_assert(c && c->type == LINX_BOOL);
	return c->b;
}

/* Is there an op `op` on `key` in the report's list `field`? */
static bool has_op(const struct linx_value *rep, const char *field,
		   const char *op, const char *key)
{
	const struct linx_value *l = linx_map_get(rep, field);

	for (uint32_t i = 0; l && i < l->len; i++) {
		const struct linx_value *o = &l->items[i];

		if (!strcmp(field, "failed"))
			o = linx_map_get(o, "op");
		if (!strcmp(linx_map_get(o, "op")->str, op) &&
		    !strcmp(linx_map_get(o, "key")->str, key))
			return true;
	}
	return false;
}

static struct linx_value last_of(const struct linx_value *rep)
{
	struct linx_value v;

	ck_assert_int_eq(linx_value_copy(&v, linx_map_get(rep, "last_applied")),
			 0);
	return v;
}

/* An address key on d0. */
static const char *akey(const char *family, const char *prefix)
{
	static char buf[4][128];
	static unsigned k;
	char *b = buf[k++ % 4];
	struct linx_error err;
	int32_t index;

	linx_assert_ok(linx_rtnl_link_index(sock, "d0", &index, &err), &err);
	snprintf(b, 128, "ifindex %d %s %s", index, family, prefix);
	return b;
}

static void assert_state(const char *routes, const char *addrs)
{
	char *r = ip_routes(), *a = ip_addrs();

	rt_assert_same(r, routes);
	rt_assert_same(a, addrs);
	free(r);
	free(a);
}

START_TEST(drift_is_healed_in_one_pass)
{
	struct linx_value d, rep, last;

	setup();
	d = json(desired_text);
	rep = pass(&d, NULL);
	ck_assert(converged(&rep));
	ck_assert_int_eq(count(&rep, "applied"), 6);
	ck_assert_int_eq(count(&rep, "failed"), 0);
	ck_assert_int_eq(count(&rep, "pending"), 0);
	assert_state(want_routes, want_addrs);
	last = last_of(&rep);
	linx_value_clear(&rep);

	/* Removing the address takes the IPv4 routes through its subnet
	 * with it: the pass must put the address back before the routes. */
	free(rt_sh_ok("ip addr del 10.0.0.2/24 dev d0 && "
		      "ip route replace default dev d1 proto 76 && "
		      "ip -6 route del fd01::/64"));
	rep = pass(&d, &last);
	ck_assert_msg(converged(&rep), "not converged");
	ck_assert(has_op(&rep, "applied", "create",
			 akey("inet", "10.0.0.2/24")));
	ck_assert(has_op(&rep, "applied", "create",
			 "table 254 inet 10.50.0.0/24 metric 0"));
	ck_assert(has_op(&rep, "applied", "update",
			 "table 254 inet default metric 0"));
	ck_assert(has_op(&rep, "applied", "create",
			 "table 254 inet6 fd01::/64 metric 1024"));
	assert_state(want_routes, want_addrs);
	linx_value_clear(&last);
	last = last_of(&rep);
	linx_value_clear(&rep);

	/* Converged: the next pass changes nothing. */
	rep = pass(&d, &last);
	ck_assert(converged(&rep));
	ck_assert_int_eq(count(&rep, "applied"), 0);
	ck_assert(linx_value_equal(linx_map_get(&rep, "last_applied"), &last));
	assert_state(want_routes, want_addrs);
	linx_value_clear(&rep);
	linx_value_clear(&last);
	linx_value_clear(&d);
	linx_rtnl_close(sock);
}
END_TEST

START_TEST(foreign_state_is_left_alone)
{
	struct linx_value d, d2, rep, last;
	char *r, *a;

	setup();
	d = json(desired_text);
	rep = pass(&d, NULL);
	ck_assert(converged(&rep));
	last = last_of(&rep);
	linx_value_clear(&rep);

	/* Other writers: a static and a boot route, an address; and a
	 * route with our tag that nobody desires. */
	free(rt_sh_ok("ip route add 10.80.0.0/24 via 10.0.0.1 proto static && "
		      "ip route add 10.81.0.0/24 via 10.0.0.1 && "
		      "ip addr add 10.0.0.99/24 dev d0 && "
		      "ip route add 10.70.0.0/24 via 10.0.0.1 proto 76"));
	rep = pass(&d, &last);
	ck_assert(converged(&rep));
	ck_assert_int_eq(count(&rep, "applied"), 1);
	ck_assert(has_op(&rep, "applied", "delete",
			 "table 254 inet 10.70.0.0/24 metric 0"));
	r = rt_ip_jq("route show", ".[] | \"\\(.dst) \\(.protocol // \"boot\")\"");
	ck_assert_ptr_nonnull(strstr(r, "10.80.0.0/24 static\n"));
	ck_assert_ptr_nonnull(strstr(r, "10.81.0.0/24 boot\n"));
	ck_assert_ptr_null(strstr(r, "10.70.0.0/24"));
	free(r);
	a = ip_addrs();
	rt_assert_same(a, "10.0.0.2/24\n10.0.0.99/24\nfd00::2/64\n");
	free(a);
	linx_value_clear(&last);
	last = last_of(&rep);
	linx_value_clear(&rep);

	/* Dropping an address we installed removes it; the foreign one
	 * stays even though it is not desired either. */
	d2 = json("{\"addresses\": [{\"dev\": \"d0\", \"address\": "
		  "\"10.0.0.2/24\"}]}");
	rep = pass(&d2, &last);
	ck_assert(converged(&rep));
	ck_assert(has_op(&rep, "applied", "delete",
			 akey("inet6", "fd00::2/64")));
	a = ip_addrs();
	rt_assert_same(a, "10.0.0.2/24\n10.0.0.99/24\n");
	free(a);
	/* Our routes went with the desired state; the others did not. */
	r = ip_routes();
	rt_assert_same(r, "");
	free(r);
	r = rt_ip_jq("route show", ".[] | \"\\(.dst)\"");
	ck_assert_ptr_nonnull(strstr(r, "10.80.0.0/24"));
	ck_assert_ptr_nonnull(strstr(r, "10.81.0.0/24"));
	free(r);
	linx_value_clear(&rep);
	linx_value_clear(&last);
	linx_value_clear(&d);
	linx_value_clear(&d2);
	linx_rtnl_close(sock);
}
END_TEST

START_TEST(a_failure_leaves_the_rest_pending)
{
	struct linx_value d, d2, rep, last;
	const struct linx_value *f, *e;

	setup();
	d = json("{\"addresses\": [{\"dev\": \"d0\", \"address\": "
		 "\"10.0.0.2/24\"}, {\"dev\": \"d0\", \"address\": "
		 "\"10.0.1.2/24\"}],"
		 " \"routes\": [{\"dst\": \"10.70.0.0/24\", \"gateway\": "
		 "\"10.0.0.1\"}]}");
	rep = pass(&d, NULL);
	ck_assert(converged(&rep));
	last = last_of(&rep);
	linx_value_clear(&rep);

	/* Someone else holds 10.90.0.0/24 (same table and metric): our
	 * create fails in the route stage; the route delete and the address
	 * delete after it wait. */
	free(rt_sh_ok("ip route add 10.90.0.0/24 via 10.0.0.1 proto static"));
	d2 = json("{\"addresses\": [{\"dev\": \"d0\", \"address\": "
		  "\"10.0.0.2/24\"}, {\"dev\": \"d0\", \"address\": "
		  "\"10.0.0.3/24\"}],"
		  " \"routes\": [{\"dst\": \"10.90.0.0/24\", \"gateway\": "
		  "\"10.0.0.1\"}, {\"dst\": \"10.91.0.0/24\", \"gateway\": "
		  "\"10.0.0.1\"}]}");
	rep = pass(&d2, &last);
	ck_assert(!converged(&rep));
	ck_assert_int_eq(count(&rep, "failed"), 1);
	f = &linx_map_get(&rep, "failed")->items[0];
	e = linx_map_get(f, "error");
	ck_assert_str_eq(linx_map_get(e, "errno")->str, "eexist");
	ck_assert(has_op(&rep, "failed", "create",
			 "table 254 inet 10.90.0.0/24 metric 0"));
	/* the stage before and the rest of its own stage went through */
	ck_assert(has_op(&rep, "applied", "create",
			 akey("inet", "10.0.0.3/24")));
	ck_assert(has_op(&rep, "pending", "delete",
			 akey("inet", "10.0.1.2/24")));
	ck_assert(has_op(&rep, "applied", "create",
			 "table 254 inet 10.91.0.0/24 metric 0"));
	ck_assert_int_eq(count(&rep, "pending"), 2);
	ck_assert(has_op(&rep, "pending", "delete",
			 "table 254 inet 10.70.0.0/24 metric 0"));
	/* nothing of the pending stages happened */
	{
		char *r = ip_routes(), *a = ip_addrs();

		ck_assert_ptr_nonnull(strstr(r, "10.70.0.0/24"));
		ck_assert_ptr_nonnull(strstr(a, "10.0.1.2/24"));
		free(r);
		free(a);
	}
	/* The address not yet deleted is still ours. */
	linx_value_clear(&last);
	last = last_of(&rep);
	linx_value_clear(&rep);

	/* The obstacle goes; the next pass finishes. */
	free(rt_sh_ok("ip route del 10.90.0.0/24 proto static"));
	rep = pass(&d2, &last);
	ck_assert(converged(&rep));
	ck_assert_int_eq(count(&rep, "applied"), 3);
	assert_state("10.90.0.0/24 10.0.0.1 main 0\n"
		     "10.91.0.0/24 10.0.0.1 main 0\n",
		     "10.0.0.2/24\n10.0.0.3/24\n");
	linx_value_clear(&rep);
	linx_value_clear(&last);
	linx_value_clear(&d);
	linx_value_clear(&d2);
	linx_rtnl_close(sock);
}
END_TEST

/* Refused before anything is written: the valid entries before the bad
 * one are not applied either. */
static void assert_refused(const char *text, int code, const char *op,
			   const char *needle)
{
	struct linx_value d = json(text), rep = linx_value_nil();
	struct linx_error err;
	char *r, *a;
	int ret;

	ret = linx_rtnl_reconcile(sock, &d, NULL, -1, &rep, &err);
	ck_assert_int_eq(ret, -code);
	ck_assert_str_eq(err.op, op);
	ck_assert_msg(strstr(err.message, needle), "%s: %s", op, err.message);
	ck_assert_int_eq(rep.type, LINX_NIL);
	r = ip_routes();
	a = ip_addrs();
	rt_assert_same(r, "");
	rt_assert_same(a, "");
	free(r);
	free(a);
	linx_value_clear(&d);
}

START_TEST(a_bad_desired_state_changes_nothing)
{
	setup();
	assert_refused("{\"addresses\": [{\"dev\": \"d0\", \"address\": "
		       "\"10.0.0.2/24\"}, {\"dev\": \"nope0\", \"address\": "
		       "\"10.0.0.3/24\"}]}",
		       ENODEV, "bad_interface", "no such interface \"nope0\"");
	assert_refused("{\"addresses\": [{\"dev\": \"d0\", \"address\": "
		       "\"10.0.0.2/24\"}], \"routes\": [{\"dst\": "
		       "\"10.50.0.0/24\", \"gateway\": \"10.0.0.1\"}, "
		       "{\"dst\": \"10.51.0.0/24\", \"gateway\": \"fd00::1\"}]}",
		       EINVAL, "bad_family", "desired.routes[1]");
	assert_refused("{\"addresses\": [{\"dev\": \"d0\", \"address\": "
		       "\"10.0.0.300/24\"}]}",
		       EINVAL, "bad_address", "10.0.0.300");
	assert_refused("{\"routes\": [{\"dst\": \"10.50.0.1/24\", \"gateway\": "
		       "\"10.0.0.1\"}]}",
		       EINVAL, "bad_address", "bits set past /24");
	assert_refused("{\"routes\": [{\"dst\": \"10.50.0.0/24\", \"gateway\": "
		       "\"10.0.0.1\", \"dev\": \"nope1\"}]}",
		       ENODEV, "bad_interface", "nope1");
	assert_refused("{\"routes\": [{\"dst\": \"10.50.0.0/24\", \"gatway\": "
		       "\"10.0.0.1\"}]}",
		       EINVAL, "bad_route", "unknown field \"gatway\"");
	assert_refused("{\"routes\": [[\"10.50.0.0\", 24, \"10.0.0.1\"], "
		       "{\"dst\": \"10.50.0.0/24\", \"gateway\": \"10.0.0.2\"}]}",
		       EINVAL, "bad_route", "same route");
	assert_refused("{\"links\": [\"d0\", \"a/b\"]}", EINVAL, "bad_link",
		       "not an interface name");
	assert_refused("{\"links\": [\"d0\", {\"name\": \"d1\"}]}", EINVAL,
		       "bad_link", "unknown field \"name\"");
	assert_refused("{\"links\": [\"d0\", {\"ifname\": \"d0\"}]}", EINVAL,
		       "bad_link", "same link");
	linx_rtnl_close(sock);
}
END_TEST

/* Names, not indices: a link recreated under its name is found again. */
START_TEST(a_recreated_link_is_found_by_name)
{
	struct linx_value d, rep, last, want_last, keys;
	char *old_key;

	setup();
	d = json(desired_text);
	rep = pass(&d, NULL);
	ck_assert(converged(&rep));
	last = last_of(&rep);
	linx_value_clear(&rep);
	old_key = strdup(akey("inet", "10.0.0.2/24"));

	free(rt_sh_ok("ip link del d0 && "
		      "ip link add d0 type veth peer name d1 && "
		      "ip link set d0 up && ip link set d1 up"));
	ck_assert_str_ne(akey("inet", "10.0.0.2/24"), old_key);
	rep = pass(&d, &last);
	ck_assert(converged(&rep));
	ck_assert(has_op(&rep, "applied", "create",
			 akey("inet", "10.0.0.2/24")));
	assert_state(want_routes, want_addrs);
	/* The old index's keys are gone from what we own. */
	want_last = linx_value_map();
	keys = linx_value_list();
	linx_list_push_cstring(&keys, akey("inet", "10.0.0.2/24"));
	linx_list_push_cstring(&keys, akey("inet6", "fd00::2/64"));
	linx_map_put(&want_last, "addresses", &keys);
	ck_assert(linx_value_equal(linx_map_get(&rep, "last_applied"),
				   &want_last));
	free(old_key);
	linx_value_clear(&want_last);
	linx_value_clear(&rep);
	linx_value_clear(&last);
	linx_value_clear(&d);
	linx_rtnl_close(sock);
}
END_TEST

static char *ops_text(const struct linx_value *ops);

/* The names of the links ip sees, sorted. */
static char *ip_links(void)
{
	return rt_ip_jq("link show", ".[] | .ifname");
}

/* The keys of a report's last_applied.links, one a line, sorted. */
static char *owned_links(const struct linx_value *rep)
{
	const struct linx_value *l =
		linx_map_get(linx_map_get(rep, "last_applied"), "links");
	struct rt_lines t = { 0 };

	for (uint32_t i = 0; l && i < l->len; i++)
		rt_lines_add(&t, "%s", l->items[i].str);
	return rt_lines_join(&t);
}

/* Links: a desired one that is missing is refused like an unknown
 * interface, before anything is written; one no longer desired is left
 * in place and released; none is ever created or deleted. */
START_TEST(links_are_checked_never_made_or_removed)
{
	struct linx_value d, rep, last, obs, ops;
	struct linx_error err;
	char *t;

	setup();
	/* x0 missing: nothing happens, the error names it. */
	assert_refused("{\"links\": [\"d0\", \"x0\"], \"addresses\": "
		       "[{\"dev\": \"d0\", \"address\": \"10.0.0.2/24\"}]}",
		       ENODEV, "bad_interface", "no such interface \"x0\"");
	t = ip_links();
	rt_assert_same(t, "d0\nd1\nlo\n");
	free(t);

	/* Someone else makes it: the next pass goes through, owning both
	 * links and the address, with no link op. */
	free(rt_sh_ok("ip link add x0 type veth peer name x1"));
	d = json("{\"links\": [\"x0\", {\"ifname\": \"d0\"}], \"addresses\": "
		 "[{\"dev\": \"d0\", \"address\": \"10.0.0.2/24\"}]}");
	rep = pass(&d, NULL);
	ck_assert(converged(&rep));
	ck_assert_int_eq(count(&rep, "applied"), 1);
	t = owned_links(&rep);
	ck_assert_str_eq(t, "d0\nx0\n");
	free(t);
	last = last_of(&rep);
	linx_value_clear(&rep);
	linx_value_clear(&d);

	/* x0 no longer desired: the diff says it would go, the pass leaves
	 * it and lets go of it. */
	d = json("{\"links\": [\"d0\", \"x9\"], \"addresses\": "
		 "[{\"dev\": \"d0\", \"address\": \"10.0.0.2/24\"}]}");
	linx_assert_ok(linx_rtnl_observe(sock, &obs, &err), &err);
	linx_assert_ok(linx_rtnl_reconcile_diff(&obs, &d, &last, -1, &ops,
						&err),
		       &err);
	t = ops_text(&ops);
	ck_assert_str_eq(t, "create x9\ndelete x0\n");
	ck_assert_str_eq(linx_map_get(&ops.items[1], "kind")->str, "link");
	ck_assert_int_gt(linx_map_get(linx_map_get(&ops.items[1], "value"),
				      "ifindex")->i,
			 0);
	free(t);
	linx_value_clear(&ops);
	linx_value_clear(&obs);
	linx_value_clear(&d);

	d = json("{\"links\": [\"d0\"], \"addresses\": "
		 "[{\"dev\": \"d0\", \"address\": \"10.0.0.2/24\"}]}");
	rep = pass(&d, &last);
	ck_assert(converged(&rep));
	ck_assert_int_eq(count(&rep, "applied"), 0);
	t = owned_links(&rep);
	ck_assert_str_eq(t, "d0\n");
	free(t);
	t = ip_links();
	rt_assert_same(t, "d0\nd1\nlo\nx0\nx1\n");
	free(t);
	linx_value_clear(&rep);
	linx_value_clear(&last);
	linx_value_clear(&d);
	linx_rtnl_close(sock);
}
END_TEST

START_TEST(neighbours_and_rules)
{
	struct linx_value d, d2, rep, last;
	char *n, *r;

	setup();
	d = json("{\"neighbours\": [{\"dev\": \"d0\", \"dst\": \"10.0.0.1\","
		 "                  \"lladdr\": \"02:00:00:00:00:01\"},"
		 "                 [\"d0\", \"fd00::9\", \"02:00:00:00:00:09\"]],"
		 " \"rules\": [{\"priority\": 100, \"from\": \"10.0.0.0/24\","
		 "             \"table\": 100},"
		 "            {\"priority\": 200, \"fwmark\": 1, \"table\": 100},"
		 "            {\"priority\": 300, \"to\": \"fd00::/64\","
		 "             \"table\": 100}]}");
	rep = pass(&d, NULL);
	ck_assert(converged(&rep));
	ck_assert_int_eq(count(&rep, "applied"), 5);
	last = last_of(&rep);
	linx_value_clear(&rep);

	/* Drift: a changed link-layer address, a rule gone; and a rule and
	 * a neighbour entry of someone else's. */
	free(rt_sh_ok("ip neigh replace 10.0.0.1 lladdr 02:00:00:00:00:02 "
		      "dev d0 nud permanent && ip rule del priority 200 && "
		      "ip rule add priority 150 table 7 && "
		      "ip neigh add 10.0.0.77 lladdr 02:00:00:00:00:77 dev d0"));
	rep = pass(&d, &last);
	ck_assert(converged(&rep));
	ck_assert_int_eq(count(&rep, "applied"), 2);
	ck_assert(has_op(&rep, "applied", "update", akey("inet", "10.0.0.1")));
	ck_assert(has_op(&rep, "applied", "create",
			 "priority 200 inet from all to all fwmark 0x1 "
			 "table 100"));
	n = rt_ip_jq("neigh show dev d0 nud permanent",
		     ".[] | \"\\(.dst) \\(.lladdr)\"");
	rt_assert_same(n, "10.0.0.1 02:00:00:00:00:01\n"
			  "10.0.0.77 02:00:00:00:00:77\n"
			  "fd00::9 02:00:00:00:00:09\n");
	free(n);
	r = rt_ip_jq("rule show", ".[] | \"\\(.priority) \\(.table)\"");
	rt_assert_same(r, "0 local\n100 100\n150 7\n200 100\n"
			  "32766 main\n32767 default\n");
	free(r);
	linx_value_clear(&last);
	last = last_of(&rep);
	linx_value_clear(&rep);

	/* Nothing desired: ours go, the others' stay. */
	d2 = json("{}");
	rep = pass(&d2, &last);
	ck_assert(converged(&rep));
	ck_assert_int_eq(count(&rep, "applied"), 5);
	n = rt_ip_jq("neigh show dev d0 nud permanent", ".[] | .dst");
	rt_assert_same(n, "10.0.0.77\n");
	free(n);
	r = rt_ip_jq("rule show", ".[] | .priority");
	rt_assert_same(r, "0\n150\n32766\n32767\n");
	free(r);
	r = rt_ip_jq("-6 rule show", ".[] | .priority");
	rt_assert_same(r, "0\n32766\n");
	free(r);
	linx_value_clear(&rep);
	linx_value_clear(&last);
	linx_value_clear(&d);
	linx_value_clear(&d2);
	linx_rtnl_close(sock);
}
END_TEST

/* ---- the pure diff, on hand-made observed state ------------------------ */

static struct linx_value diff(const char *observed, const char *desired,
			      const char *last, int protocol)
{
	struct linx_value o = json(observed), d = json(desired),
			  l = last ? json(last) : linx_value_nil(), ops;
	struct linx_error err;

	linx_assert_ok(linx_rtnl_reconcile_diff(&o, &d, &l, protocol, &ops,
						&err),
		       &err);
	linx_value_clear(&o);
	linx_value_clear(&d);
	linx_value_clear(&l);
	return ops;
}

/* "op key" per op, in order, joined by '\n'. */
static char *ops_text(const struct linx_value *ops)
{
	size_t cap = 4096, len = 0;
	char *s = malloc(cap);

	ck_assert_ptr_nonnull(s);
	s[0] = '\0';
	for (uint32_t i = 0; i < ops->len; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s %s\n",
					linx_map_get(&ops->items[i], "op")->str,
					linx_map_get(&ops->items[i], "key")->str);
	return s;
}

static const char observed_text[] =
	"{\"links\": [{\"ifindex\": 1, \"ifname\": \"lo\"},"
	"             {\"ifindex\": 7, \"ifname\": \"eth0\"}],"
	" \"addresses\": ["
	"   {\"ifindex\": 7, \"local\": \"10.0.0.2\", \"prefixlen\": 24,"
	"    \"scope\": \"global\"},"
	"   {\"ifindex\": 7, \"local\": \"10.0.0.9\", \"prefixlen\": 24},"
	"   {\"ifindex\": 7, \"local\": \"10.0.0.8\", \"prefixlen\": 24},"
	"   {\"ifindex\": 7, \"local\": \"fe80::1\", \"prefixlen\": 64,"
	"    \"scope\": \"link\"}],"
	" \"routes\": ["
	"   {\"dst\": \"default\", \"gateway\": \"10.0.0.1\", \"protocol\": 76},"
	"   {\"dst\": \"10.50.0.0/24\", \"gateway\": \"10.0.0.1\","
	"    \"protocol\": \"76\", \"table\": \"main\"},"
	"   {\"dst\": \"10.60.0.0/24\", \"gateway\": \"10.0.0.1\","
	"    \"protocol\": 76, \"table_id\": 100, \"metric\": 50},"
	"   {\"dst\": \"10.70.0.0/24\", \"gateway\": \"10.0.0.1\","
	"    \"protocol\": \"static\"},"
	"   {\"dst\": \"10.0.0.0/24\", \"dev\": \"eth0\","
	"    \"protocol\": \"kernel\"}]}";

START_TEST(the_diff_is_pure_and_ordered)
{
	struct linx_value ops;
	char *t;

	/* Three-way: 10.0.0.9 is owned and no longer desired, 10.0.0.8 is
	 * someone else's; two-way: the static and kernel routes are not
	 * ours; the default route's gateway changed; 10.60 moved table. */
	ops = diff(observed_text,
		   "{\"addresses\": [[\"eth0\", \"10.0.0.2\", 24],"
		   "                 [\"eth0\", \"10.0.0.3\", 24]],"
		   " \"routes\": [[\"default\", \"10.0.0.254\"],"
		   "              [\"10.50.0.0\", 24, \"10.0.0.1\"],"
		   "              [\"10.60.0.0\", 24, \"10.0.0.1\","
		   "               {\"table\": 200, \"metric\": 50}],"
		   "              [\"10.70.0.0\", 24, \"10.0.0.1\"]]}",
		   "{\"addresses\": [\"ifindex 7 inet 10.0.0.9/24\","
		   "                 \"ifindex 7 inet 10.0.0.2/24\"]}",
		   -1);
	t = ops_text(&ops);
	ck_assert_str_eq(t, "create ifindex 7 inet 10.0.0.3/24\n"
			    "create table 200 inet 10.60.0.0/24 metric 50\n"
			    "update table 254 inet default metric 0\n"
			    "create table 254 inet 10.70.0.0/24 metric 0\n"
			    "delete table 100 inet 10.60.0.0/24 metric 50\n"
			    "delete ifindex 7 inet 10.0.0.9/24\n");
	/* create carries the desired item, delete the observed one */
	ck_assert_str_eq(linx_map_get(linx_map_get(&ops.items[2], "value"),
				      "gateway")->str,
			 "10.0.0.254");
	ck_assert_int_eq(linx_map_get(linx_map_get(&ops.items[4], "value"),
				      "protocol")->u,
			 76);
	free(t);
	linx_value_clear(&ops);

	/* Another owner tag: the static route is now the one owned. */
	ops = diff(observed_text, "{}", NULL, RTPROT_STATIC);
	t = ops_text(&ops);
	ck_assert_str_eq(t, "delete table 254 inet 10.70.0.0/24 metric 0\n");
	free(t);
	linx_value_clear(&ops);

	/* Rules of the multicast routing families (128, 129, as the list
	 * verb prints them where ipmr is built in) are skipped, not refused. */
	ops = diff("{\"rules\": [{\"family\": \"128\", \"priority\": 32767,"
		   " \"src\": \"all\", \"table\": \"default\"},"
		   " {\"family\": \"inet\", \"priority\": 5, \"src\": \"all\","
		   " \"table\": \"main\"}]}",
		   "{}", "{\"rules\": [\"priority 5 inet from all to all table 254\"]}",
		   -1);
	t = ops_text(&ops);
	ck_assert_msg(strstr(t, "priority 5") && !strstr(t, "32767"), "%s", t);
	free(t);
	linx_value_clear(&ops);

	/* Links, three-way by name: wlan0 is missing, lo owned and no
	 * longer desired, eth1 owned but gone already.  Link creates come
	 * first, link deletes last. */
	ops = diff(observed_text,
		   "{\"links\": [\"eth0\", \"wlan0\"],"
		   " \"addresses\": [[\"eth0\", \"10.0.0.2\", 24]],"
		   " \"routes\": [[\"default\", \"10.0.0.1\"],"
		   "              [\"10.50.0.0\", 24, \"10.0.0.1\"],"
		   "              [\"10.60.0.0\", 24, \"10.0.0.1\","
		   "               {\"table\": 100, \"metric\": 50}]]}",
		   "{\"links\": [\"lo\", \"eth1\"],"
		   " \"addresses\": [\"ifindex 7 inet 10.0.0.9/24\"]}",
		   -1);
	t = ops_text(&ops);
	ck_assert_str_eq(t, "create wlan0\n"
			    "delete ifindex 7 inet 10.0.0.9/24\n"
			    "delete lo\n");
	ck_assert_str_eq(linx_map_get(linx_map_get(&ops.items[0], "value"),
				      "ifname")->str,
			 "wlan0");
	free(t);
	linx_value_clear(&ops);
	{
		struct linx_value o = json("{\"addresses\": []}"),
				  d = json("{\"links\": [\"lo\"]}"), ops2;
		struct linx_error err;

		/* Without the observed links, presence cannot be told. */
		ck_assert_int_eq(linx_rtnl_reconcile_diff(&o, &d, NULL, -1,
							  &ops2, &err),
				 -EINVAL);
		ck_assert_msg(strstr(err.message, "observed.links"), "%s",
			      err.message);
		linx_value_clear(&o);
		linx_value_clear(&d);
	}

	/* Nothing owned, nothing desired: nothing to do. */
	ops = diff(observed_text, "{}", NULL, -1);
	t = ops_text(&ops);
	ck_assert_str_eq(t, "delete table 100 inet 10.60.0.0/24 metric 50\n"
			    "delete table 254 inet default metric 0\n"
			    "delete table 254 inet 10.50.0.0/24 metric 0\n");
	free(t);
	linx_value_clear(&ops);
}
END_TEST

START_TEST(the_verbs)
{
	const struct linx_plugin *const plugins[] = { &linx_plugin_rtnl };
	struct linx_registry *reg;
	struct linx_value args, d, res, res2;
	struct linx_error err;

	setup();
	reg = linx_test_registry(plugins, 1);
	d = json(desired_text);
	args = linx_value_map();
	linx_map_put(&args, "desired", &d);
	linx_map_put_cstring(&args, "protocol", "static");
	linx_assert_ok(linx_call(reg, "rtnl.reconcile", &args, &res, 0, &err),
		       &err);
	ck_assert(converged(&res));
	{
		char *r = rt_ip_jq("route show table all",
				   ".[] | select(.protocol == \"static\") | "
				   ".dst");

		rt_assert_same(r, "10.50.0.0/24\n10.60.0.0/24\ndefault\n"
				  "fd01::/64\n");
		free(r);
	}
	linx_value_clear(&res);

	/* observe + diff agree with the pass: nothing left to do */
	linx_value_clear(&args);
	args = linx_value_map();
	linx_assert_ok(linx_call(reg, "rtnl.observe", &args, &res, 0, &err),
		       &err);
	ck_assert_int_ge(count(&res, "routes"), 4);
	linx_value_clear(&args);
	args = linx_value_map();
	d = json(desired_text);
	linx_map_put(&args, "observed", &res);
	linx_map_put(&args, "desired", &d);
	linx_map_put_uint(&args, "protocol", RTPROT_STATIC);
	linx_assert_ok(linx_call(reg, "rtnl.diff", &args, &res2, 0, &err),
		       &err);
	ck_assert_int_eq(res2.type, LINX_LIST);
	ck_assert_int_eq(res2.len, 0);
	linx_value_clear(&res2);

	/* protocol 0 would own every route on delete: refused */
	linx_map_put_uint(&args, "protocol", 0);
	ck_assert_int_eq(linx_call(reg, "rtnl.diff", &args, &res2, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "protocol");
	linx_value_clear(&args);
	linx_registry_free(reg);
	linx_rtnl_close(sock);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rtnl-reconcile");
	TCase *tc = tcase_create("reconcile");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, drift_is_healed_in_one_pass);
	tcase_add_test(tc, foreign_state_is_left_alone);
	tcase_add_test(tc, a_failure_leaves_the_rest_pending);
	tcase_add_test(tc, a_bad_desired_state_changes_nothing);
	tcase_add_test(tc, a_recreated_link_is_found_by_name);
	tcase_add_test(tc, links_are_checked_never_made_or_removed);
	tcase_add_test(tc, neighbours_and_rules);
	tcase_add_test(tc, the_diff_is_pure_and_ordered);
	tcase_add_test(tc, the_verbs);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
