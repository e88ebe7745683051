/* SPDX-License-Identifier: MIT */
/*
 * Building seccomp filters with libseccomp, their data form, and installing
 * a program on the calling thread.
 */
#include <linx/plugin.h> /* first: host-table routing in module builds */

#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linx/seccomp.h>

struct linx_seccomp_filter {
	struct linx_seccomp_rule *rules; /* syscall names owned */
	size_t n;
	struct linx_seccomp_action def;
	uint32_t arches;
	uint8_t *bpf;
	size_t bpf_len;
};

static const struct {
	uint32_t flag;
	const char *name;
	uint32_t token;
} arch_table[] = {
	{ LINX_SECCOMP_ARCH_X86_64, "x86_64", SCMP_ARCH_X86_64 },
	{ LINX_SECCOMP_ARCH_X86, "x86", SCMP_ARCH_X86 },
	{ LINX_SECCOMP_ARCH_X32, "x32", SCMP_ARCH_X32 },
	{ LINX_SECCOMP_ARCH_AARCH64, "aarch64", SCMP_ARCH_AARCH64 },
};
#define N_ARCH (sizeof(arch_table) / sizeof(arch_table[0]))

static const char *const action_names[] = {
	[LINX_SECCOMP_ALLOW] = "allow",
	[LINX_SECCOMP_ERRNO] = "errno",
	[LINX_SECCOMP_KILL_PROCESS] = "kill_process",
	[LINX_SECCOMP_KILL_THREAD] = "kill_thread",
	[LINX_SECCOMP_TRAP] = "trap",
	[LINX_SECCOMP_LOG] = "log",
};

static const char *const op_names[] = {
	[LINX_SECCOMP_EQ] = "eq", [LINX_SECCOMP_NE] = "ne",
	[LINX_SECCOMP_LT] = "lt", [LINX_SECCOMP_LE] = "le",
	[LINX_SECCOMP_GT] = "gt", [LINX_SECCOMP_GE] = "ge",
	[LINX_SECCOMP_MASKED_EQ] = "masked_eq",
};

const char *linx_seccomp_arch(void)
{
#if defined(__x86_64__)
	return "x86_64";
#elif defined(__aarch64__)
	return "aarch64";
#else
	return "unsupported";
#endif
}

static uint32_t native_arch(void)
{
#if defined(__x86_64__)
	return LINX_SECCOMP_ARCH_X86_64;
#elif defined(__aarch64__)
	return LINX_SECCOMP_ARCH_AARCH64;
#else
	return 0;
#endif
}

bool linx_seccomp_supported(void)
{
	return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
}

void linx_seccomp_filter_free(struct linx_seccomp_filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		free((char *)f->rules[i].syscall);
	free(f->rules);
	free(f->bpf);
	free(f);
}

const void *linx_seccomp_filter_bpf(const struct linx_seccomp_filter *f,
				    size_t *ret_len)
{
	if (ret_len)
		*ret_len = f ? f->bpf_len : 0;
	return f ? f->bpf : NULL;
}

static int check_action(const struct linx_seccomp_action *a, const char *param,
			struct linx_error *err)
{
	if (a->kind > LINX_SECCOMP_LOG)
		return linx_error_param(err, "build", param,
					"bad_action: unknown action kind %u",
					a->kind);
	/* SECCOMP_RET_DATA carries the errno; the kernel clamps it to
	 * MAX_ERRNO (4095). */
	if (a->kind == LINX_SECCOMP_ERRNO && a->errno_value > 4095)
		return linx_error_param(err, "build", param,
					"bad_action: errno %u is past 4095",
					a->errno_value);
	return 0;
}

static uint32_t scmp_action(const struct linx_seccomp_action *a)
{
	switch (a->kind) {
	case LINX_SECCOMP_ERRNO:
		return SCMP_ACT_ERRNO(a->errno_value);
	case LINX_SECCOMP_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case LINX_SECCOMP_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case LINX_SECCOMP_TRAP:
		return SCMP_ACT_TRAP;
	case LINX_SECCOMP_LOG:
		return SCMP_ACT_LOG;
	default:
		return SCMP_ACT_ALLOW;
	}
}

static bool same_action(const struct linx_seccomp_action *a,
			const struct linx_seccomp_action *b)
{
	return a->kind == b->kind &&
	       (a->kind != LINX_SECCOMP_ERRNO || a->errno_value == b->errno_value);
}

static bool same_cmps(const struct linx_seccomp_rule *a,
		      const struct linx_seccomp_rule *b)
{
	if (a->n_cmps != b->n_cmps)
		return false;
	for (uint32_t i = 0; i < a->n_cmps; i++)
		if (a->cmps[i].arg != b->cmps[i].arg ||
		    a->cmps[i].op != b->cmps[i].op ||
		    a->cmps[i].value != b->cmps[i].value ||
		    a->cmps[i].mask != b->cmps[i].mask)
			return false;
	return true;
}

/* Export the program through a memfd (libseccomp 2.5 writes to an fd). */
static int export_bpf(scmp_filter_ctx ctx, struct linx_seccomp_filter *f,
		      struct linx_error *err)
{
	int fd = memfd_create("linx-seccomp", MFD_CLOEXEC), r;
	off_t len;

	if (fd < 0)
		return linx_error_set(err, errno, "build", "memfd_create: %s",
				      linx_strerror(errno));
	r = seccomp_export_bpf(ctx, fd);
	len = lseek(fd, 0, SEEK_END);
	if (r < 0 || len <= 0 || len % 8) {
		close(fd);
		return linx_error_set(err, r < 0 ? -r : EIO, "build",
				      "exporting the BPF program failed");
	}
	if (len / 8 > BPF_MAXINSNS) {
		close(fd);
		return linx_error_set(err, E2BIG, "build",
				      "the program has %lld instructions; the "
				      "kernel takes at most %d",
				      (long long)(len / 8), BPF_MAXINSNS);
	}
	f->bpf = malloc((size_t)len);
	if (!f->bpf || pread(fd, f->bpf, (size_t)len, 0) != len) {
		close(fd);
		return linx_error_set(err, f->bpf ? EIO : ENOMEM, "build",
				      "reading the BPF program back failed");
	}
	f->bpf_len = (size_t)len;
	close(fd);
	return 0;
}

static int compile(struct linx_seccomp_filter *f, struct linx_error *err)
{
	static const enum scmp_compare ops[] = {
		[LINX_SECCOMP_EQ] = SCMP_CMP_EQ, [LINX_SECCOMP_NE] = SCMP_CMP_NE,
		[LINX_SECCOMP_LT] = SCMP_CMP_LT, [LINX_SECCOMP_LE] = SCMP_CMP_LE,
		[LINX_SECCOMP_GT] = SCMP_CMP_GT, [LINX_SECCOMP_GE] = SCMP_CMP_GE,
		[LINX_SECCOMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
	};
	scmp_filter_ctx ctx = seccomp_init(scmp_action(&f->def));
	int r;

	if (!ctx)
		return linx_error_set(err, ENOMEM, "build", "seccomp_init");
	/* Any ABI not asked for kills the process: this is what closes the
	 * x32 and i386 side doors (libseccomp also sends x32 numbers on an
	 * x86_64-only filter to this action). */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	for (size_t i = 0; r == 0 && i < N_ARCH; i++) {
		if (!(f->arches & arch_table[i].flag))
			continue;
		r = seccomp_arch_add(ctx, arch_table[i].token);
		if (r == -EEXIST)
			r = 0;
	}
	if (r == 0 && !(f->arches & native_arch()))
		r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	if (r < 0) {
		seccomp_release(ctx);
		return linx_error_set(err, -r, "build",
				      "setting up the filter's architectures: %s",
				      linx_strerror(-r));
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct linx_seccomp_rule *rule = &f->rules[i];
		struct scmp_arg_cmp cmps[LINX_SECCOMP_MAX_CMPS];
		int nr = seccomp_syscall_resolve_name(rule->syscall);

		/* A rule with the default action changes nothing, and
		 * libseccomp refuses it. */
		if (same_action(&rule->action, &f->def))
			continue;
		for (uint32_t c = 0; c < rule->n_cmps; c++) {
			const struct linx_seccomp_cmp *k = &rule->cmps[c];

			cmps[c] = (struct scmp_arg_cmp){
				.arg = k->arg,
				.op = ops[k->op],
				.datum_a = k->op == LINX_SECCOMP_MASKED_EQ ? k->mask
									   : k->value,
				.datum_b = k->op == LINX_SECCOMP_MASKED_EQ ? k->value
									   : 0,
			};
		}
		r = seccomp_rule_add_array(ctx, scmp_action(&rule->action), nr,
					   rule->n_cmps, cmps);
		if (r < 0) {
			seccomp_release(ctx);
			linx_error_param(err, "build", "rules",
					 "bad_rule: libseccomp refused the rule "
					 "for %s: %s",
					 rule->syscall, linx_strerror(-r));
			return -EINVAL;
		}
	}
	r = export_bpf(ctx, f, err);
	seccomp_release(ctx);
	return r;
}

static int validate_rules(const struct linx_seccomp_rule *rules, size_t n,
			  const char *param, struct linx_error *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct linx_seccomp_rule *r = &rules[i];
		int rc;

		if (!r->syscall || !*r->syscall)
			return linx_error_param(err, "build", param,
						"bad_rule: rule %zu names no "
						"syscall",
						i);
		/* A typo must never silently widen or narrow a filter. */
		if (seccomp_syscall_resolve_name(r->syscall) == __NR_SCMP_ERROR)
			return linx_error_param(err, "build", param,
						"unknown_syscall: \"%s\" is not "
						"a %s syscall",
						r->syscall, linx_seccomp_arch());
		rc = check_action(&r->action, param, err);
		if (rc < 0)
			return rc;
		if (r->n_cmps > LINX_SECCOMP_MAX_CMPS)
			return linx_error_param(err, "build", param,
						"bad_rule: at most %d argument "
						"comparisons",
						LINX_SECCOMP_MAX_CMPS);
		for (uint32_t c = 0; c < r->n_cmps; c++)
			if (r->cmps[c].arg > 5 || r->cmps[c].op < LINX_SECCOMP_EQ ||
			    r->cmps[c].op > LINX_SECCOMP_MASKED_EQ)
				return linx_error_param(
					err, "build", param,
					"bad_rule: %s: argument index 0..5 and "
					"a known comparison",
					r->syscall);
		for (size_t j = 0; j < i; j++)
			if (strcmp(rules[j].syscall, r->syscall) == 0 &&
			    same_cmps(&rules[j], r))
				return linx_error_param(err, "build", param,
							"duplicate_rule: %s "
							"appears twice",
							r->syscall);
	}
	return 0;
}

/* ---- groups ------------------------------------------------------------------ */

struct expansion {
	struct linx_seccomp_rule *rules; /* syscall names owned */
	size_t n, cap;
};

static void expansion_free(struct expansion *x)
{
	for (size_t i = 0; i < x->n; i++)
		free((char *)x->rules[i].syscall);
	free(x->rules);
	*x = (struct expansion){ 0 };
}

static bool expansion_has(const struct expansion *x,
			  const struct linx_seccomp_rule *r, const char *name)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->rules[i].syscall, name) == 0 &&
		    same_cmps(&x->rules[i], r))
			return true;
	return false;
}

static int expansion_add(struct expansion *x, const struct linx_seccomp_rule *r,
			 const char *name, size_t len)
{
	char *copy;

	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		struct linx_seccomp_rule *n = realloc(x->rules, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		x->rules = n;
		x->cap = cap;
	}
	copy = strndup(name, len);
	if (!copy)
		return -ENOMEM;
	x->rules[x->n] = *r;
	x->rules[x->n++].syscall = copy;
	return 0;
}

/* Add every member of a space-separated list that libseccomp knows and
 * that no earlier rule covers; "@x" recurses (the table nests two deep;
 * the bound only guards against a cycle slipping into it). */
static int expand_members(struct expansion *x, const struct linx_seccomp_rule *r,
			  const char *list, unsigned depth)
{
	while (list && *list) {
		size_t len = strcspn(list, " ");
		char name[64];
		int rc = 0;

		if (len && len < sizeof(name)) {
			memcpy(name, list, len);
			name[len] = '\0';
			if (name[0] == '@') {
				const struct linx_seccomp_group *g =
					linx_seccomp_group_find(name, len);

				if (g && depth < 4)
					rc = expand_members(x, r, g->members,
							    depth + 1);
				if (g && depth < 4 && rc == 0)
					rc = expand_members(x, r, g->compat,
							    depth + 1);
			} else if (seccomp_syscall_resolve_name(name) !=
					   __NR_SCMP_ERROR &&
				   !expansion_has(x, r, name)) {
				rc = expansion_add(x, r, name, len);
			}
		}
		if (rc < 0)
			return rc;
		list += len;
		list += strspn(list, " ");
	}
	return 0;
}

/* Explicit rules first, as given (validate_rules then catches their
 * duplicates), then each group's members not already covered: an explicit
 * rule wins over a group's, the first group over a later one. */
static int expand(const struct linx_seccomp_rule *rules, size_t n,
		  const char *param, struct expansion *ret,
		  struct linx_error *err)
{
	struct expansion x = { 0 };
	int r = 0;

	for (size_t i = 0; r >= 0 && i < n; i++) {
		const char *name = rules[i].syscall;

		if (!name || !*name || strspn(name, " \t\n") == strlen(name))
			r = linx_error_param(err, "build", param,
					     "bad_rule: entry %zu names no "
					     "syscall",
					     i);
		else if (name[0] == '@' &&
			 !linx_seccomp_group_find(name, strlen(name)))
			r = linx_error_param(err, "build", param,
					     "unknown_group: \"%s\" (see "
					     "`linx call seccomp.groups`)",
					     name);
		else if (name[0] != '@' &&
			 expansion_add(&x, &rules[i], name, strlen(name)) < 0)
			r = linx_error_set(err, ENOMEM, "build", NULL);
	}
	for (size_t i = 0; r >= 0 && i < n; i++) {
		const struct linx_seccomp_group *g;

		if (rules[i].syscall[0] != '@')
			continue;
		g = linx_seccomp_group_find(rules[i].syscall,
					    strlen(rules[i].syscall));
		if (expand_members(&x, &rules[i], g->members, 0) < 0 ||
		    expand_members(&x, &rules[i], g->compat, 0) < 0)
			r = linx_error_set(err, ENOMEM, "build", NULL);
	}
	if (r >= 0 && x.n == 0)
		r = linx_error_param(err, "build", param,
				     "empty_list: the groups name no syscall "
				     "%s knows",
				     linx_seccomp_arch());
	if (r < 0) {
		expansion_free(&x);
		return r;
	}
	*ret = x;
	return 0;
}

static int build(const struct linx_seccomp_rule *rules, size_t n,
		 struct linx_seccomp_action def, uint32_t arches,
		 const char *param, struct linx_seccomp_filter **ret,
		 struct linx_error *err)
{
	struct linx_seccomp_filter *f;
	struct expansion x;
	uint32_t known = 0;
	int r;

	if (!ret)
		return linx_error_param(err, "build", "ret", "no output");
	*ret = NULL;
	if (n && !rules)
		return linx_error_param(err, "build", param, "no rules");
	/* An empty list would build a filter that restricts nothing the
	 * caller named: refuse it rather than fail open (issue 9.5). */
	if (n == 0)
		return linx_error_param(err, "build", param,
					"empty_list: \"%s\" names no syscall",
					param);
	if (!native_arch())
		return linx_error_param(err, "build", "arches",
					"unsupported_arch: %s",
					linx_seccomp_arch());
	for (size_t i = 0; i < N_ARCH; i++)
		known |= arch_table[i].flag;
	if (arches & ~known)
		return linx_error_param(err, "build", "arches",
					"bad_arch: unknown architecture bits "
					"%#x",
					arches & ~known);
	if (!arches)
		arches = native_arch();
	r = check_action(&def, "default", err);
	if (r >= 0)
		r = expand(rules, n, param, &x, err);
	if (r < 0)
		return r;
	r = validate_rules(x.rules, x.n, param, err);
	if (r < 0) {
		expansion_free(&x);
		return r;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		expansion_free(&x);
		return linx_error_set(err, ENOMEM, "build", NULL);
	}
	f->def = def;
	f->arches = arches;
	f->rules = x.rules;
	f->n = x.n;
	r = compile(f, err);
	if (r < 0) {
		linx_seccomp_filter_free(f);
		return r;
	}
	*ret = f;
	return 0;
}

int linx_seccomp_filter_new(const struct linx_seccomp_rule *rules, size_t n,
			    struct linx_seccomp_action def, uint32_t arches,
			    struct linx_seccomp_filter **ret,
			    struct linx_error *err)
{
	return build(rules, n, def, arches, "rules", ret, err);
}

static int list_filter(const char *const *syscalls, size_t n,
		       struct linx_seccomp_action action,
		       struct linx_seccomp_action def, uint32_t arches,
		       struct linx_seccomp_filter **ret, struct linx_error *err)
{
	struct linx_seccomp_rule *rules;
	int r;

	if (n && !syscalls)
		return linx_error_param(err, "build", "syscalls", "no list");
	rules = calloc(n ? n : 1, sizeof(*rules));
	if (!rules)
		return linx_error_set(err, ENOMEM, "build", NULL);
	for (size_t i = 0; i < n; i++)
		rules[i] = (struct linx_seccomp_rule){ .syscall = syscalls[i],
						       .action = action };
	r = build(rules, n, def, arches, "syscalls", ret, err);
	free(rules);
	return r;
}

int linx_seccomp_allow_list(const char *const *syscalls, size_t n,
			    struct linx_seccomp_action def, uint32_t arches,
			    struct linx_seccomp_filter **ret,
			    struct linx_error *err)
{
	return list_filter(syscalls, n,
			   (struct linx_seccomp_action){ LINX_SECCOMP_ALLOW, 0 },
			   def, arches, ret, err);
}

int linx_seccomp_deny_list(const char *const *syscalls, size_t n,
			   struct linx_seccomp_action deny,
			   struct linx_seccomp_action def, uint32_t arches,
			   struct linx_seccomp_filter **ret,
			   struct linx_error *err)
{
	return list_filter(syscalls, n, deny, def, arches, ret, err);
}

/* ---- the data form ----------------------------------------------------------- */

static struct linx_value action_value(const struct linx_seccomp_action *a)
{
	struct linx_value v = linx_value_nil();

	if (a->kind == LINX_SECCOMP_ERRNO) {
		const char *name = linx_errno_name((int)a->errno_value);

		v = linx_value_map();
		if (name && a->errno_value)
			linx_map_put_cstring(&v, "errno", name);
		else
			linx_map_put_uint(&v, "errno", a->errno_value);
	} else {
		linx_value_cstring(&v, action_names[a->kind]);
	}
	return v;
}

/* "eperm" -> EPERM by inverting linx_errno_name(), the host service a
 * module may call (errno values stay below 4096 for SECCOMP_RET_ERRNO). */
static int errno_from_name(const char *name)
{
	for (int e = 1; e < 4096; e++) {
		const char *n = linx_errno_name(e);

		if (n && strcmp(n, name) == 0)
			return e;
	}
	return 0;
}

int linx_seccomp_action_from_value(const struct linx_value *v,
				   struct linx_seccomp_action *ret,
				   struct linx_error *err)
{
	if (!ret)
		return linx_error_param(err, "build", "ret", "no output");
	*ret = (struct linx_seccomp_action){ 0, 0 };
	if (v && v->type == LINX_STRING) {
		for (uint32_t k = 0; k <= LINX_SECCOMP_LOG; k++) {
			if (k != LINX_SECCOMP_ERRNO &&
			    strcmp(v->str, action_names[k]) == 0) {
				ret->kind = k;
				return 0;
			}
		}
	} else if (v && v->type == LINX_MAP && v->len == 1) {
		const struct linx_value *e = linx_map_get(v, "errno");
		uint64_t n;

		ret->kind = LINX_SECCOMP_ERRNO;
		if (e && e->type == LINX_STRING && errno_from_name(e->str) > 0) {
			ret->errno_value = (uint32_t)errno_from_name(e->str);
			return 0;
		}
		if (e && linx_value_get_u64(e, &n) && n <= 4095) {
			ret->errno_value = (uint32_t)n;
			return 0;
		}
	}
	return linx_error_param(err, "build", "action",
				"bad_action: an action is \"allow\", "
				"\"kill_process\", \"kill_thread\", \"trap\", "
				"\"log\" or {\"errno\": name or 0..4095}");
}

int linx_seccomp_filter_to_value(const struct linx_seccomp_filter *f,
				 struct linx_value *ret,
				 struct linx_error *err)
{
	struct linx_value rules = linx_value_list(), arches = linx_value_list(),
			  def;

	if (!f || !ret)
		return linx_error_param(err, "to_rules", "filter", "no filter");
	*ret = linx_value_map();
	def = action_value(&f->def);
	linx_map_put(ret, "default", &def);
	for (size_t i = 0; i < N_ARCH; i++)
		if (f->arches & arch_table[i].flag)
			linx_list_push_cstring(&arches, arch_table[i].name);
	linx_map_put(ret, "arches", &arches);
	for (size_t i = 0; i < f->n; i++) {
		const struct linx_seccomp_rule *r = &f->rules[i];
		struct linx_value m = linx_value_map(), a = action_value(&r->action);

		linx_map_put_cstring(&m, "syscall", r->syscall);
		linx_map_put(&m, "action", &a);
		if (r->n_cmps) {
			struct linx_value args = linx_value_list();

			for (uint32_t c = 0; c < r->n_cmps; c++) {
				struct linx_value cm = linx_value_map();

				linx_map_put_uint(&cm, "arg", r->cmps[c].arg);
				linx_map_put_cstring(&cm, "op",
						     op_names[r->cmps[c].op]);
				linx_map_put_uint(&cm, "value", r->cmps[c].value);
				if (r->cmps[c].op == LINX_SECCOMP_MASKED_EQ)
					linx_map_put_uint(&cm, "mask",
							  r->cmps[c].mask);
				linx_list_push(&args, &cm);
			}
			linx_map_put(&m, "args", &args);
		}
		linx_list_push(&rules, &m);
	}
	linx_map_put(ret, "rules", &rules);
	if (linx_value_status(ret) < 0) {
		linx_value_clear(ret);
		return linx_error_set(err, ENOMEM, "to_rules", NULL);
	}
	return 0;
}

static int cmp_from_value(const struct linx_value *v, const char *syscall,
			  struct linx_seccomp_cmp *ret, struct linx_error *err)
{
	const struct linx_value *op = linx_map_get(v, "op");
	uint64_t arg;

	memset(ret, 0, sizeof(*ret));
	if (v->type != LINX_MAP || !linx_value_get_u64(linx_map_get(v, "arg"), &arg) ||
	    arg > 5 || !op || op->type != LINX_STRING ||
	    !linx_value_get_u64(linx_map_get(v, "value"), &ret->value))
		goto bad;
	ret->arg = (uint32_t)arg;
	for (uint32_t k = LINX_SECCOMP_EQ; k <= LINX_SECCOMP_MASKED_EQ; k++)
		if (strcmp(op->str, op_names[k]) == 0)
			ret->op = k;
	if (!ret->op)
		goto bad;
	if (ret->op == LINX_SECCOMP_MASKED_EQ &&
	    !linx_value_get_u64(linx_map_get(v, "mask"), &ret->mask))
		goto bad;
	return 0;
bad:
	return linx_error_param(err, "build", "rules",
				"bad_rule: %s: an argument comparison is "
				"{\"arg\": 0..5, \"op\": eq|ne|lt|le|gt|ge|"
				"masked_eq, \"value\": N, \"mask\": M}",
				syscall);
}

int linx_seccomp_arches_from_value(const struct linx_value *v, uint32_t *ret,
				   struct linx_error *err)
{
	uint32_t mask = 0;

	if (!ret)
		return linx_error_param(err, "build", "ret", "no output");
	*ret = 0;
	if (v && v->type == LINX_LIST) {
		for (uint32_t i = 0; i < v->len; i++) {
			const struct linx_value *a = &v->items[i];
			size_t k;

			for (k = 0; k < N_ARCH; k++)
				if (a->type == LINX_STRING &&
				    strcmp(a->str, arch_table[k].name) == 0)
					break;
			if (k == N_ARCH)
				return linx_error_param(
					err, "build", "arches",
					"bad_arch: \"%s\" (x86_64, x86, x32 or "
					"aarch64)",
					a->type == LINX_STRING ? a->str : "?");
			mask |= arch_table[k].flag;
		}
	} else if (v && v->type != LINX_NIL) {
		return linx_error_param(err, "build", "arches",
					"bad_arch: \"arches\" must be a list");
	}
	*ret = mask;
	return 0;
}

int linx_seccomp_filter_from_value(const struct linx_value *v,
				   struct linx_seccomp_filter **ret,
				   struct linx_error *err)
{
	const struct linx_value *rules, *arches;
	struct linx_seccomp_rule *rs = NULL;
	struct linx_seccomp_action def;
	uint32_t mask = 0;
	size_t n = 0;
	int r;

	if (!ret)
		return linx_error_param(err, "build", "ret", "no output");
	*ret = NULL;
	if (!v || v->type != LINX_MAP)
		return linx_error_param(err, "build", "rules",
					"bad_rule: the filter's data form is a "
					"map {default, rules, arches}");
	rules = linx_map_get(v, "rules");
	arches = linx_map_get(v, "arches");
	r = linx_seccomp_action_from_value(linx_map_get(v, "default"), &def,
					   err);
	if (r < 0)
		return r;
	if (!rules || rules->type != LINX_LIST)
		return linx_error_param(err, "build", "rules",
					"bad_rule: \"rules\" must be a list");
	r = linx_seccomp_arches_from_value(arches, &mask, err);
	if (r < 0)
		return r;
	rs = calloc(rules->len ? rules->len : 1, sizeof(*rs));
	if (!rs)
		return linx_error_set(err, ENOMEM, "build", NULL);
	for (n = 0; n < rules->len; n++) {
		const struct linx_value *e = &rules->items[n];
		const struct linx_value *sc = linx_map_get(e, "syscall");
		const struct linx_value *args = linx_map_get(e, "args");

		if (e->type != LINX_MAP || !sc || sc->type != LINX_STRING) {
			r = linx_error_param(err, "build", "rules",
					     "bad_rule: rule %zu must be "
					     "{\"syscall\": name, \"action\": "
					     "action}",
					     n);
			break;
		}
		rs[n].syscall = sc->str;
		r = linx_seccomp_action_from_value(linx_map_get(e, "action"),
						   &rs[n].action, err);
		if (r < 0) {
			linx_error_prefix(err, "rule %zu (%s)", n, sc->str);
			break;
		}
		if (args && args->type == LINX_LIST) {
			if (args->len > LINX_SECCOMP_MAX_CMPS) {
				r = linx_error_param(err, "build", "rules",
						     "bad_rule: %s: at most %d "
						     "comparisons",
						     sc->str,
						     LINX_SECCOMP_MAX_CMPS);
				break;
			}
			for (uint32_t c = 0; r >= 0 && c < args->len; c++)
				r = cmp_from_value(&args->items[c], sc->str,
						   &rs[n].cmps[c], err);
			if (r < 0)
				break;
			rs[n].n_cmps = args->len;
		} else if (args && args->type != LINX_NIL) {
			r = linx_error_param(err, "build", "rules",
					     "bad_rule: %s: \"args\" must be a "
					     "list",
					     sc->str);
			break;
		}
	}
	if (r >= 0)
		r = linx_seccomp_filter_new(rs, rules->len, def, mask, ret, err);
	free(rs);
	return r;
}

/* ---- installing -------------------------------------------------------------- */

/* Does the calling thread hold CAP_SYS_ADMIN in its effective set?
 * (capget(2), the v3 two-word layout.) */
static bool have_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return d[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32));
}

int linx_seccomp_install_bpf(const void *bpf, size_t len,
			     struct linx_error *err)
{
	struct sock_fprog prog;
	void *copy;
	int r;

	if (!bpf || len == 0 || len % sizeof(struct sock_filter) ||
	    len / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return linx_error_param(err, "seccomp_install", "bpf",
					"a program is 1..%d instructions of 8 "
					"bytes, not %zu bytes",
					BPF_MAXINSNS, len);
	/* seccomp(2): without CAP_SYS_ADMIN the caller must have set
	 * no_new_privs, or the kernel answers EACCES. */
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 && !have_sys_admin() &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return linx_error_set(err, errno, "seccomp_no_new_privs",
				      "prctl(PR_SET_NO_NEW_PRIVS): %s",
				      linx_strerror(errno));
	copy = malloc(len); /* sock_filter alignment */
	if (!copy)
		return linx_error_set(err, ENOMEM, "seccomp_install", NULL);
	memcpy(copy, bpf, len);
	prog.len = (unsigned short)(len / sizeof(struct sock_filter));
	prog.filter = copy;
	r = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	if (r < 0)
		r = linx_error_set(err, errno, "seccomp_install",
				   "seccomp(SECCOMP_SET_MODE_FILTER): %s",
				   linx_strerror(errno));
	free(copy);
	return r < 0 ? r : 0;
}
