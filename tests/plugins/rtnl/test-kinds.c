/* SPDX-License-Identifier: MIT */
/*
 * Link kinds that this machine's kernel may lack: macvlan (modes), ipvlan
 * (modes), 802.1Q vlan (ids) and dummy.  Created through the typed API and
 * the verbs, decoded, and compared with `ip -j -d link`.  The binary takes
 * the kind as its argument (one meson test per kind) and skips when the
 * kernel cannot create that kind; the VM lane (Debian's 6.12 kernel,
 * LINX_TEST_NO_SKIP=1) runs them all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-test.h"

/* A parent for the stacked kinds, in a fresh netns. */
static struct linx_rtnl *setup(void)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_error err;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "p0", "p1", NULL, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_set_up(s, "p0", true, &err), &err);
	return s;
}

/* "kind mode-or-id parent" from ip -j -d, for one link. */
static char *ip_kind(const char *name, const char *data_field)
{
	char args[64], filter[256];

	snprintf(args, sizeof(args), "-d link show %s", name);
	snprintf(filter, sizeof(filter),
		 ".[0] | \"\\(.linkinfo.info_kind) "
		 "\\(.linkinfo.info_data.%s // \"-\") \\(.link // \"-\")\"",
		 data_field);
	return rt_ip_jq(args, filter);
}

static const char *parent_name(struct linx_rtnl *s, const struct linx_rtnl_link *l)
{
	static struct linx_rtnl_link p;
	struct linx_error err;

	if (!(l->present & LINX_RTNL_LINK_HAS_LINK) || !l->link)
		return "-";
	linx_assert_ok(linx_rtnl_link_get(s, NULL, l->link, &p, &err), &err);
	return p.name;
}

START_TEST(macvlan_modes)
{
	static const char *const modes[] = { "bridge", "private", "vepa" };
	struct linx_rtnl *s = setup();
	struct linx_error err;

	for (size_t i = 0; i < 3; i++) {
		struct linx_rtnl_link l;
		uint32_t mode;
		char name[16], ours[128], *theirs;

		snprintf(name, sizeof(name), "mv%zu", i);
		ck_assert_int_eq(linx_rtnl_macvlan_mode_from_name(modes[i], &mode),
				 0);
		linx_assert_ok(linx_rtnl_link_create_macvlan(s, name, "p0", mode,
							     &err),
			       &err);
		linx_assert_ok(linx_rtnl_link_get(s, name, 0, &l, &err), &err);
		ck_assert_int_eq(l.linkinfo.kind_id, LINX_RTNL_KIND_MACVLAN);
		ck_assert(l.linkinfo.has_data);
		ck_assert_uint_eq(l.linkinfo.data.macvlan.mode, mode);
		snprintf(ours, sizeof(ours), "%s %s %s\n", l.linkinfo.kind,
			 linx_rtnl_macvlan_mode_name(l.linkinfo.data.macvlan.mode),
			 parent_name(s, &l));
		theirs = ip_kind(name, "mode");
		rt_assert_same(ours, theirs);
		free(theirs);
	}
	/* Same name again: refused. */
	ck_assert_int_eq(linx_rtnl_link_create_macvlan(s, "mv0", "p0",
						       MACVLAN_MODE_BRIDGE, &err),
			 -EEXIST);
	linx_assert_ok(linx_rtnl_link_delete(s, "mv0", &err), &err);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(ipvlan_modes)
{
	static const char *const modes[] = { "l2", "l3", "l3s" };
	struct linx_rtnl *s = setup();
	struct linx_error err;

	for (size_t i = 0; i < 3; i++) {
		struct linx_rtnl_link l;
		uint16_t mode;
		char name[16], ours[128], *theirs;

		snprintf(name, sizeof(name), "ipv%zu", i);
		ck_assert_int_eq(linx_rtnl_ipvlan_mode_from_name(modes[i], &mode),
				 0);
		linx_assert_ok(linx_rtnl_link_create_ipvlan(s, name, "p0", mode,
							    0, &err),
			       &err);
		linx_assert_ok(linx_rtnl_link_get(s, name, 0, &l, &err), &err);
		ck_assert_int_eq(l.linkinfo.kind_id, LINX_RTNL_KIND_IPVLAN);
		ck_assert_uint_eq(l.linkinfo.data.ipvlan.mode, mode);
		snprintf(ours, sizeof(ours), "%s %s %s\n", l.linkinfo.kind,
			 linx_rtnl_ipvlan_mode_name(l.linkinfo.data.ipvlan.mode),
			 parent_name(s, &l));
		theirs = ip_kind(name, "mode");
		rt_assert_same(ours, theirs);
		free(theirs);
	}
	linx_rtnl_close(s);
}
END_TEST

START_TEST(vlan_ids)
{
	static const uint16_t ids[] = { 1, 42, 4094 };
	struct linx_rtnl *s = setup();
	struct linx_error err;

	for (size_t i = 0; i < 3; i++) {
		struct linx_rtnl_link l;
		char name[16], ours[128], *theirs;

		snprintf(name, sizeof(name), "p0.%u", ids[i]);
		linx_assert_ok(linx_rtnl_link_create_vlan(s, name, "p0", ids[i],
							  &err),
			       &err);
		linx_assert_ok(linx_rtnl_link_get(s, name, 0, &l, &err), &err);
		ck_assert_int_eq(l.linkinfo.kind_id, LINX_RTNL_KIND_VLAN);
		ck_assert_uint_eq(l.linkinfo.data.vlan.id, ids[i]);
		ck_assert_uint_eq(l.linkinfo.data.vlan.protocol, 0x8100);
		snprintf(ours, sizeof(ours), "%s %u %s\n", l.linkinfo.kind,
			 l.linkinfo.data.vlan.id, parent_name(s, &l));
		theirs = ip_kind(name, "id");
		rt_assert_same(ours, theirs);
		free(theirs);
	}
	/* The same id twice on one parent is refused by the kernel. */
	ck_assert_int_lt(linx_rtnl_link_create_vlan(s, "dup", "p0", 42, &err), 0);
	ck_assert_int_eq(linx_rtnl_link_create_vlan(s, "x", "nope0", 5, &err),
			 -ENODEV);
	ck_assert_str_eq(err.message, "no such parent interface \"nope0\"");
	linx_rtnl_close(s);
}
END_TEST

START_TEST(dummy)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_link l;
	struct linx_error err;
	char *theirs;

	linx_assert_ok(linx_rtnl_link_create_dummy(s, "d0", &err), &err);
	linx_assert_ok(linx_rtnl_link_get(s, "d0", 0, &l, &err), &err);
	ck_assert_int_eq(l.linkinfo.kind_id, LINX_RTNL_KIND_DUMMY);
	ck_assert_str_eq(l.linkinfo.kind, "dummy");
	theirs = ip_kind("d0", "mode");
	ck_assert_str_eq(theirs, "dummy - -\n");
	free(theirs);
	ck_assert_int_eq(linx_rtnl_link_create_dummy(s, "d0", &err), -EEXIST);
	linx_assert_ok(linx_rtnl_link_delete(s, "d0", &err), &err);
	linx_rtnl_close(s);
}
END_TEST

/* The same through the verbs, as `linx call` does it. */
static struct linx_value get_link(struct linx_registry *reg, const char *name)
{
	struct linx_value args = linx_value_map(), res;
	struct linx_error err;

	linx_map_put_cstring(&args, "name", name);
	linx_assert_ok(linx_call(reg, "rtnl.link.get", &args, &res, 0, &err),
		       &err);
	linx_value_clear(&args);
	return res;
}

static struct linx_registry *registry(void)
{
	const struct linx_plugin *const plugins[] = { &linx_plugin_rtnl };

	return linx_test_registry(plugins, 1);
}

START_TEST(macvlan_verbs)
{
	struct linx_rtnl *s = setup();
	struct linx_registry *reg = registry();
	struct linx_value args = linx_value_map(), res;
	const struct linx_value *info;
	struct linx_error err;

	linx_map_put_cstring(&args, "name", "vmv0");
	linx_map_put_cstring(&args, "parent", "p0");
	linx_map_put_cstring(&args, "mode", "private");
	linx_assert_ok(linx_call(reg, "rtnl.link.create_macvlan", &args, &res, 0,
				 &err),
		       &err);
	linx_value_clear(&args);
	res = get_link(reg, "vmv0");
	info = linx_map_get(&res, "linkinfo");
	ck_assert_str_eq(linx_map_get(info, "info_kind")->str, "macvlan");
	ck_assert_str_eq(linx_map_get(linx_map_get(info, "info_data"), "mode")->str,
			 "private");
	ck_assert_str_eq(linx_map_get(&res, "link")->str, "p0");
	linx_value_clear(&res);
	args = linx_value_map();
	linx_map_put_cstring(&args, "name", "vmv1");
	linx_map_put_cstring(&args, "parent", "p0");
	linx_map_put_cstring(&args, "mode", "sideways");
	ck_assert_int_eq(linx_call(reg, "rtnl.link.create_macvlan", &args, &res,
				   0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "mode");
	linx_value_clear(&args);
	linx_registry_free(reg);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(vlan_verbs)
{
	struct linx_rtnl *s = setup();
	struct linx_registry *reg = registry();
	struct linx_value args = linx_value_map(), res;
	const struct linx_value *info;
	struct linx_error err;

	linx_map_put_cstring(&args, "name", "vvl0");
	linx_map_put_cstring(&args, "parent", "p0");
	linx_map_put_uint(&args, "id", 7);
	linx_assert_ok(linx_call(reg, "rtnl.link.create_vlan", &args, &res, 0,
				 &err),
		       &err);
	linx_value_clear(&args);
	res = get_link(reg, "vvl0");
	info = linx_map_get(linx_map_get(&res, "linkinfo"), "info_data");
	ck_assert_uint_eq(linx_map_get(info, "id")->u, 7);
	ck_assert_str_eq(linx_map_get(info, "protocol")->str, "802.1Q");
	ck_assert_str_eq(linx_map_get(&res, "link")->str, "p0");
	linx_value_clear(&res);
	linx_registry_free(reg);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(ipvlan_verbs)
{
	struct linx_rtnl *s = setup();
	struct linx_registry *reg = registry();
	struct linx_value args = linx_value_map(), res;
	const struct linx_value *info;
	struct linx_error err;

	linx_map_put_cstring(&args, "name", "vip0");
	linx_map_put_cstring(&args, "parent", "p0");
	linx_map_put_cstring(&args, "mode", "l2");
	linx_assert_ok(linx_call(reg, "rtnl.link.create_ipvlan", &args, &res, 0,
				 &err),
		       &err);
	linx_value_clear(&args);
	res = get_link(reg, "vip0");
	info = linx_map_get(linx_map_get(&res, "linkinfo"), "info_data");
	ck_assert_str_eq(linx_map_get(info, "mode")->str, "l2");
	linx_value_clear(&res);
	linx_registry_free(reg);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(dummy_verbs)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_registry *reg = registry();
	struct linx_value args = linx_value_map(), res;
	struct linx_error err;

	linx_map_put_cstring(&args, "name", "vd0");
	linx_assert_ok(linx_call(reg, "rtnl.link.create_dummy", &args, &res, 0,
				 &err),
		       &err);
	linx_value_clear(&args);
	res = get_link(reg, "vd0");
	ck_assert_str_eq(linx_map_get(linx_map_get(&res, "linkinfo"),
				      "info_kind")->str,
			 "dummy");
	linx_value_clear(&res);
	linx_registry_free(reg);
	linx_rtnl_close(s);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *su = suite_create("rtnl-kinds");
	TCase *tc = tcase_create("kinds");
	static const char *const kinds[] = { "macvlan", "ipvlan", "vlan",
					     "dummy" };
	const char *kind = NULL;

	for (size_t i = 0; argc > 1 && i < 4; i++)
		if (!strcmp(argv[1], kinds[i]))
			kind = kinds[i];
	if (!kind) {
		fprintf(stderr, "usage: %s macvlan|ipvlan|vlan|dummy\n", argv[0]);
		return 2;
	}
	rt_require_oracle();
	linx_test_require(linx_test_link_kind_supported(kind),
			  "link kind \"%s\" is absent from this kernel (not "
			  "built, and modules cannot be loaded); this test runs "
			  "in the VM lane (Debian 6.12 kernel, "
			  "LINX_TEST_NO_SKIP=1)",
			  kind);
	if (!strcmp(kind, "macvlan")) {
		tcase_add_test(tc, macvlan_modes);
		tcase_add_test(tc, macvlan_verbs);
	} else if (!strcmp(kind, "ipvlan")) {
		tcase_add_test(tc, ipvlan_modes);
		tcase_add_test(tc, ipvlan_verbs);
	} else if (!strcmp(kind, "vlan")) {
		tcase_add_test(tc, vlan_ids);
		tcase_add_test(tc, vlan_verbs);
	} else {
		tcase_add_test(tc, dummy);
		tcase_add_test(tc, dummy_verbs);
	}
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
