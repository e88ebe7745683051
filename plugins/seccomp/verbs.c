/* SPDX-License-Identifier: MIT */
/*
 * The seccomp plugin's verbs.  Building is host-side; seccomp.install is a
 * child-side verb that stages the program, and seccomp.load (also
 * child-side) installs it: install answers {"at_exec": {"verb":
 * "seccomp.load", ...}}, which linx-agent runs as the last step before
 * execve, so the filter screens the workload and not the agent's own
 * plumbing (stdio, chdir) after it.
 */
#include <linx/plugin.h> /* first: host-table routing in module builds */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linx/seccomp.h>
#include <seccomp.h>

/* A filter as a value: the program, the arch, and the rules form. */
static int filter_result(struct linx_seccomp_filter *f, struct linx_value *ret,
			 struct linx_error *err)
{
	struct linx_value rules;
	size_t len;
	const void *bpf = linx_seccomp_filter_bpf(f, &len);
	int r = linx_seccomp_filter_to_value(f, &rules, err);

	if (r < 0) {
		linx_seccomp_filter_free(f);
		return r;
	}
	*ret = linx_value_map();
	linx_map_put_cstring(ret, "arch", linx_seccomp_arch());
	linx_map_put_bytes(ret, "bpf", bpf, len);
	linx_map_put_uint(ret, "insns", len / 8);
	linx_map_put(ret, "rules", &rules);
	linx_seccomp_filter_free(f);
	return 0;
}

enum { FR_RULES, FR_DEFAULT, FR_ARCHES };
static const struct linx_param from_rules_params[] = {
	[FR_RULES] = { "rules", LINX_TM_LIST, LINX_PARAM_REQUIRED,
		       "non-empty list of {syscall, action, args?}; a syscall "
		       "may be an @group (seccomp.groups)" },
	[FR_DEFAULT] = { "default", LINX_TM_STRING | LINX_TM_MAP,
			 LINX_PARAM_REQUIRED, "action for everything else" },
	[FR_ARCHES] = { "arches", LINX_TM_LIST, 0,
			"ABIs to allow (default: the native one)" },
};

static int from_rules(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	struct linx_value v = linx_value_map(), copy;
	struct linx_seccomp_filter *f = NULL;
	int r = 0;

	for (unsigned i = 0; i < 3; i++) {
		if (!linx_call_arg(call, i))
			continue;
		if (linx_value_copy(&copy, linx_call_arg(call, i)) < 0)
			r = -ENOMEM;
		linx_map_put(&v, from_rules_params[i].name, &copy);
	}
	if (r < 0 || linx_value_status(&v) < 0) {
		linx_value_clear(&v);
		return linx_error_set(err, ENOMEM, "build", NULL);
	}
	r = linx_seccomp_filter_from_value(&v, &f, err);
	linx_value_clear(&v);
	return r < 0 ? r : filter_result(f, ret, err);
}

static const struct linx_param to_rules_params[] = {
	{ "filter", LINX_TM_MAP, LINX_PARAM_REQUIRED,
	  "a filter a build verb returned" },
};

static int to_rules(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	const struct linx_value *rules =
		linx_map_get(linx_call_arg(call, 0), "rules");
	struct linx_seccomp_filter *f = NULL;
	int r;

	if (!rules || rules->type != LINX_MAP)
		return linx_error_param(err, "to_rules", "filter",
					"no_rules: the filter carries no rules "
					"(a raw program?)");
	/* Normalise through a rebuild, so what comes back is canonical. */
	r = linx_seccomp_filter_from_value(rules, &f, err);
	if (r < 0)
		return r;
	r = linx_seccomp_filter_to_value(f, ret, err);
	linx_seccomp_filter_free(f);
	return r;
}

/* Names from a list value (borrowed pointers into it). */
static int names(const struct linx_value *v, const char ***ret,
		 struct linx_error *err)
{
	const char **out = calloc(v->len ? v->len : 1, sizeof(char *));

	if (!out)
		return linx_error_set(err, ENOMEM, "build", NULL);
	for (uint32_t i = 0; i < v->len; i++) {
		if (v->items[i].type != LINX_STRING) {
			free(out);
			return linx_error_param(err, "build", "syscalls",
						"unknown_syscall: element %u is "
						"not a name",
						i);
		}
		out[i] = v->items[i].str;
	}
	*ret = out;
	return 0;
}

static int get_action(const struct linx_value *v, struct linx_seccomp_action dflt,
		      const char *param, struct linx_seccomp_action *ret,
		      struct linx_error *err)
{
	int r;

	if (!v) {
		*ret = dflt;
		return 0;
	}
	r = linx_seccomp_action_from_value(v, ret, err);
	if (r < 0 && err)
		memcpy(err->param, param, strlen(param) + 1);
	return r;
}

static int arches_mask(const struct linx_value *v, uint32_t *ret,
		       struct linx_error *err)
{
	return linx_seccomp_arches_from_value(v, ret, err);
}

enum { AL_SYSCALLS, AL_DEFAULT, AL_ARCHES };
static const struct linx_param allow_params[] = {
	[AL_SYSCALLS] = { "syscalls", LINX_TM_LIST, LINX_PARAM_REQUIRED,
			  "syscalls or @groups to allow (non-empty; "
			  "seccomp.groups lists the groups)" },
	[AL_DEFAULT] = { "default", LINX_TM_STRING | LINX_TM_MAP, 0,
			 "action for the rest (default kill_process)" },
	[AL_ARCHES] = { "arches", LINX_TM_LIST, 0,
			"ABIs to allow (default: the native one)" },
};

static int allow_list(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	const struct linx_value *sc = linx_call_arg(call, AL_SYSCALLS);
	struct linx_seccomp_action def;
	struct linx_seccomp_filter *f = NULL;
	const char **list = NULL;
	uint32_t arches;
	int r;

	r = get_action(linx_call_arg(call, AL_DEFAULT),
		       (struct linx_seccomp_action){ LINX_SECCOMP_KILL_PROCESS, 0 },
		       "default", &def, err);
	if (r >= 0)
		r = arches_mask(linx_call_arg(call, AL_ARCHES), &arches, err);
	if (r >= 0)
		r = names(sc, &list, err);
	if (r >= 0)
		r = linx_seccomp_allow_list(list, sc->len, def, arches, &f, err);
	free(list);
	return r < 0 ? r : filter_result(f, ret, err);
}

enum { DL_SYSCALLS, DL_DENY, DL_DEFAULT, DL_ARCHES };
static const struct linx_param deny_params[] = {
	[DL_SYSCALLS] = { "syscalls", LINX_TM_LIST, LINX_PARAM_REQUIRED,
			  "syscalls or @groups to deny (non-empty).  Names are "
			  "exact: denying mkdir leaves mkdirat, open leaves "
			  "openat, clone leaves clone3; deny a group such as "
			  "@file-system, @mount or @process to cover every "
			  "variant (seccomp.groups lists them)" },
	[DL_DENY] = { "deny_action", LINX_TM_STRING | LINX_TM_MAP, 0,
		      "action for them (default {\"errno\": \"eperm\"})" },
	[DL_DEFAULT] = { "default", LINX_TM_STRING | LINX_TM_MAP, 0,
			 "action for the rest (default allow)" },
	[DL_ARCHES] = { "arches", LINX_TM_LIST, 0,
			"ABIs to allow (default: the native one)" },
};

static int deny_list(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	const struct linx_value *sc = linx_call_arg(call, DL_SYSCALLS);
	struct linx_seccomp_action deny, def;
	struct linx_seccomp_filter *f = NULL;
	const char **list = NULL;
	uint32_t arches;
	int r;

	r = get_action(linx_call_arg(call, DL_DENY),
		       (struct linx_seccomp_action){ LINX_SECCOMP_ERRNO, EPERM },
		       "deny_action", &deny, err);
	if (r >= 0)
		r = get_action(linx_call_arg(call, DL_DEFAULT),
			       (struct linx_seccomp_action){ LINX_SECCOMP_ALLOW, 0 },
			       "default", &def, err);
	if (r >= 0)
		r = arches_mask(linx_call_arg(call, DL_ARCHES), &arches, err);
	if (r >= 0)
		r = names(sc, &list, err);
	if (r >= 0)
		r = linx_seccomp_deny_list(list, sc->len, deny, def, arches, &f,
					   err);
	free(list);
	return r < 0 ? r : filter_result(f, ret, err);
}

/* {"@mount": {"summary": ..., "syscalls": [...]}, ...}: each group as
 * this machine expands it (members libseccomp knows, nested groups
 * flattened), built through the same expansion a filter uses. */
static int groups(const struct linx_call *call, struct linx_value *ret,
		  struct linx_error *err)
{
	size_t n;
	const struct linx_seccomp_group *g = linx_seccomp_groups(&n);

	(void)call;
	*ret = linx_value_map();
	for (size_t i = 0; i < n; i++) {
		struct linx_seccomp_rule rule = {
			.syscall = g[i].name,
			.action = { LINX_SECCOMP_ERRNO, EPERM },
		};
		struct linx_value m = linx_value_map(), list = linx_value_list(),
				  rules;
		struct linx_seccomp_filter *f = NULL;
		const struct linx_value *rl;
		int r = linx_seccomp_filter_new(&rule, 1,
						(struct linx_seccomp_action){
							LINX_SECCOMP_ALLOW, 0 },
						0, &f, err);

		if (r < 0 && r != -EINVAL) {
			linx_value_clear(ret);
			return r;
		}
		if (r >= 0 && linx_seccomp_filter_to_value(f, &rules, NULL) >= 0) {
			rl = linx_map_get(&rules, "rules");
			for (uint32_t k = 0; rl && k < rl->len; k++)
				linx_list_push_cstring(
					&list,
					linx_map_get(&rl->items[k], "syscall")->str);
			linx_value_clear(&rules);
		}
		linx_seccomp_filter_free(f);
		linx_map_put_cstring(&m, "summary", g[i].summary);
		linx_map_put(&m, "syscalls", &list);
		linx_map_put(ret, g[i].name, &m);
	}
	if (linx_value_status(ret) < 0) {
		linx_value_clear(ret);
		return linx_error_set(err, ENOMEM, "groups", NULL);
	}
	return 0;
}

static int arch(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err)
{
	(void)call;
	(void)err;
	return linx_value_cstring(ret, linx_seccomp_arch());
}

static int supported(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_bool(linx_seccomp_supported());
	return 0;
}

static const struct linx_param syscalls_params[] = {
	{ "arch", LINX_TM_STRING, LINX_PARAM_REQUIRED,
	  "\"x86_64\" or \"aarch64\"" },
};

/* libseccomp's table for an architecture, whichever the host is: every
 * number it names, as {name: number}. */
static int syscalls(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	const char *a = linx_call_arg(call, 0)->str;
	uint32_t token;

	if (strcmp(a, "x86_64") == 0)
		token = SCMP_ARCH_X86_64;
	else if (strcmp(a, "aarch64") == 0)
		token = SCMP_ARCH_AARCH64;
	else
		return linx_error_param(err, "seccomp_syscalls", "arch",
					"\"%s\": x86_64 or aarch64", a);
	*ret = linx_value_map();
	/* both tables end below 512 (the x32 bit is not a syscall of these) */
	for (int nr = 0; nr < 1024; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(token, nr);
		int r = name ? linx_map_put_int(ret, name, nr) : 0;

		free(name);
		if (r < 0) {
			linx_value_clear(ret);
			return linx_error_set(err, -r, "seccomp_syscalls",
					      NULL);
		}
	}
	return 0;
}

static const struct linx_param bpf_params[] = {
	{ "bpf", LINX_TM_BYTES, LINX_PARAM_REQUIRED,
	  "the program (a build verb's \"bpf\")" },
};

static int check_bpf(const struct linx_value *b, struct linx_error *err)
{
	if (b->len == 0 || b->len % 8 || b->len / 8 > 4096)
		return linx_error_param(err, "seccomp_install", "bpf",
					"a program is 1..4096 instructions of 8 "
					"bytes, not %u bytes",
					b->len);
	return 0;
}

static int install(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	const struct linx_value *b = linx_call_arg(call, 0);
	struct linx_value at = linx_value_map(), args = linx_value_map();
	int r = check_bpf(b, err);

	if (r < 0)
		return r;
	linx_map_put_bytes(&args, "bpf", b->bytes, b->len);
	linx_map_put_cstring(&at, "verb", "seccomp.load");
	linx_map_put(&at, "args", &args);
	*ret = linx_value_map();
	linx_map_put(ret, "at_exec", &at);
	return 0;
}

static int load(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err)
{
	const struct linx_value *b = linx_call_arg(call, 0);
	int r = check_bpf(b, err);

	(void)ret;
	return r < 0 ? r : linx_seccomp_install_bpf(b->bytes, b->len, err);
}

static const struct linx_verb verbs[] = {
	{ .name = "seccomp.from_rules",
	  .summary = "Build a filter from rules and a default action",
	  .params = from_rules_params, .n_params = 3, .fn = from_rules,
	  .result_doc = "{arch, bpf, insns, rules}" },
	{ .name = "seccomp.to_rules",
	  .summary = "The rules a filter was built from",
	  .params = to_rules_params, .n_params = 1, .fn = to_rules,
	  .result_doc = "{default, arches, rules}" },
	{ .name = "seccomp.allow_list",
	  .summary = "Build a filter allowing only the listed syscalls",
	  .params = allow_params, .n_params = 3, .fn = allow_list,
	  .result_doc = "{arch, bpf, insns, rules}" },
	{ .name = "seccomp.deny_list",
	  .summary = "Build a filter denying the listed syscalls",
	  .params = deny_params, .n_params = 4, .fn = deny_list,
	  .result_doc = "{arch, bpf, insns, rules}" },
	{ .name = "seccomp.groups",
	  .summary = "The named syscall groups (@mount ...) and their members "
		     "here",
	  .fn = groups, .result_doc = "{\"@name\": {summary, syscalls}}" },
	{ .name = "seccomp.arch",
	  .summary = "The architecture filters are built for",
	  .fn = arch, .result_doc = "string" },
	{ .name = "seccomp.syscalls",
	  .summary = "An architecture's syscall table: names and numbers",
	  .params = syscalls_params, .n_params = 1, .fn = syscalls,
	  .result_doc = "{name: number}" },
	{ .name = "seccomp.supported",
	  .summary = "Whether the kernel has seccomp",
	  .fn = supported, .result_doc = "bool" },
	{ .name = "seccomp.install",
	  .summary = "Install a filter in the parked child, just before execve",
	  .params = bpf_params, .n_params = 1, .fn = install,
	  .flags = LINX_VERB_CHILD },
	{ .name = "seccomp.load",
	  .summary = "Install a filter on the calling (parked) child now",
	  .params = bpf_params, .n_params = 1, .fn = load,
	  .flags = LINX_VERB_CHILD },
};

LINX_PLUGIN_DEFINE(seccomp, "0.1.0", "syscall filters: build, export, "
				     "install at the checkpoint",
		   NULL, NULL, verbs);
