/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtnl-test.h"

struct linx_rtnl *rt_setup(void)
{
	struct linx_rtnl *s = NULL;
	struct linx_error err;

	linx_test_private_netns();
	linx_assert_ok(linx_rtnl_open(NULL, &s, &err), &err);
	return s;
}

void rt_require_oracle(void)
{
	linx_test_require_root();
	/* Not linx_test_have(): that asserts, and we are outside a test. */
	linx_test_require(system("command -v ip >/dev/null 2>&1") == 0,
			  "needs ip (iproute2) as the oracle");
	linx_test_require(system("command -v jq >/dev/null 2>&1") == 0,
			  "needs jq to read ip -j (apt-get install jq)");
}

char *rt_ip_jq(const char *ip_args, const char *filter)
{
	int status;
	char *out = linx_test_sh(&status, "ip -j %s | jq -r '%s' | LC_ALL=C sort",
				 ip_args, filter);

	ck_assert_msg(status == 0, "ip -j %s | jq '%s' failed", ip_args, filter);
	return out;
}

char *rt_sh_ok(const char *fmt, ...)
{
	char *cmd = NULL, *out;
	va_list ap;
	int status;

	va_start(ap, fmt);
	ck_assert(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	out = linx_test_sh(&status, "%s", cmd);
	ck_assert_msg(status == 0, "command failed (%d): %s\n%s", status, cmd,
		      out);
	free(cmd);
	return out;
}

void rt_lines_add(struct rt_lines *l, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	ck_assert(vasprintf(&s, fmt, ap) >= 0);
	va_end(ap);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		ck_assert(l->v != NULL);
	}
	l->v[l->n++] = s;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *rt_lines_join(struct rt_lines *l)
{
	size_t len = 1;
	char *out, *p;

	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp);
	for (size_t i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + 1;
	out = p = malloc(len);
	ck_assert(out != NULL);
	for (size_t i = 0; i < l->n; i++) {
		p += sprintf(p, "%s\n", l->v[i]);
		free(l->v[i]);
	}
	*p = '\0';
	free(l->v);
	memset(l, 0, sizeof(*l));
	return out;
}

void rt_assert_settled(char *(*ours)(void *arg), void *arg,
		       const char *ip_args, const char *jq)
{
	char *o = NULL, *t = NULL;

	for (int i = 0; i < 100; i++) {
		free(o);
		free(t);
		o = ours(arg);
		t = rt_ip_jq(ip_args, jq);
		if (strcmp(o, t) == 0)
			break;
		usleep(20 * 1000);
	}
	rt_assert_same(o, t);
	free(o);
	free(t);
}

const char *rt_ip(const struct linx_rtnl_ip *ip)
{
	static char buf[4][LINX_RTNL_ADDRSTRLEN];
	static unsigned k;
	char *b = buf[k++ % 4];

	linx_rtnl_ip_format(ip, b, LINX_RTNL_ADDRSTRLEN);
	return b;
}

const char *rt_mac(const struct linx_rtnl_lladdr *ll)
{
	static char buf[4][LINX_RTNL_ADDRSTRLEN];
	static unsigned k;
	char *b = buf[k++ % 4];

	linx_rtnl_lladdr_format(ll, b, LINX_RTNL_ADDRSTRLEN);
	return b;
}

struct linx_rtnl_ip rt_parse_ip(const char *s)
{
	struct linx_rtnl_ip ip;
	struct linx_error err;

	linx_assert_ok(linx_rtnl_ip_parse(s, &ip, &err), &err);
	return ip;
}

struct linx_rtnl_lladdr rt_parse_mac(const char *s)
{
	struct linx_rtnl_lladdr ll;
	struct linx_error err;

	linx_assert_ok(linx_rtnl_lladdr_parse(s, &ll, &err), &err);
	return ll;
}
