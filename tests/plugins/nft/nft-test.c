/* SPDX-License-Identifier: MIT */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nft-test.h"

struct linx_nft *nt_setup(void)
{
	struct linx_error err = { 0 };
	struct linx_nft *s = NULL;

	linx_test_require_root();
	linx_test_private_netns();
	linx_assert_ok(linx_nft_open(NULL, &s, &err), &err);
	return s;
}

void nt_require_oracle(void)
{
	linx_test_require(linx_test_have("nft"), "nft (nftables) not on PATH");
	linx_test_require(linx_test_have("jq"), "jq not on PATH");
}

struct linx_value nt_json(const char *text)
{
	char why[CLI_JSON_ERR_MAX];
	struct linx_value v;
	int r = cli_json_read(text, strlen(text), 0, &v, why);

	ck_assert_msg(r == 0, "bad test JSON: %s\n%s", why, text);
	return v;
}

char *nt_to_json(const struct linx_value *v)
{
	char why[CLI_JSON_ERR_MAX];
	json_t *j = cli_value_to_json(v, why);
	char *s;

	ck_assert_msg(j != NULL, "value to JSON: %s", why);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	ck_assert(s != NULL);
	return s;
}

char *nt_sh_ok(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int status;
	char *out;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	out = linx_test_sh(&status, "%s", cmd);
	ck_assert_msg(status == 0, "command failed (%d): %s\n%s", status, cmd,
		      out);
	return out;
}

void nt_push(struct linx_nft *s, const char *json, enum linx_nft_mode mode)
{
	struct linx_nft_push_opts o = { .mode = mode };
	struct linx_error err = { 0 };
	struct linx_value rs = nt_json(json);

	linx_assert_ok(linx_nft_push(s, &rs, &o, NULL, &err), &err);
	linx_value_clear(&rs);
}

struct linx_value nt_pull(struct linx_nft *s)
{
	struct linx_error err = { 0 };
	struct linx_value v;

	linx_assert_ok(linx_nft_pull(s, NULL, &v, NULL, &err), &err);
	return v;
}
