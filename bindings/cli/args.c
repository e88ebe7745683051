/* SPDX-License-Identifier: MIT */
/*
 * Verb arguments from the command line.
 *
 *   name=text    The text is typed by the verb's schema for `name`:
 *                  - an integer if the parameter takes integers and the
 *                    text is a decimal integer (-?[0-9]+) that fits in 64
 *                    bits (an int, or a uint above INT64_MAX);
 *                  - true or false if the parameter takes a bool and the
 *                    text is exactly "true" or "false";
 *                  - otherwise a string, or bytes when the text is not
 *                    valid UTF-8 (the core then refuses it by name unless
 *                    the parameter takes bytes).
 *                Nothing else is guessed: a parameter that takes only lists
 *                or maps needs name:=JSON.
 *   name:=JSON   Any JSON value, with the mapping of json-value.c ("$bytes",
 *                "$uint" and "$map" tags for what JSON lacks).
 *
 * The core validates the resulting map (missing, unknown and mistyped
 * parameters); this file only refuses what it cannot turn into a value.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Parameter names are [a-z][a-z0-9_]* (linx/plugin.h); the length bound
 * only keeps messages short. */
#define NAME_MAX_LEN 128

static bool valid_name(const char *s, size_t n)
{
	if (n == 0 || n > NAME_MAX_LEN || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static const struct linx_param *find_param(const struct linx_verb *verb,
					   const char *name)
{
	for (uint32_t i = 0; verb && i < verb->n_params; i++)
		if (strcmp(verb->params[i].name, name) == 0)
			return &verb->params[i];
	return NULL;
}

/* Is `s` -?[0-9]+ ?  Then parse it into *ret: 1 if it fits, 0 if it is
 * integer-shaped but out of range, -1 if it is not an integer at all. */
static int parse_integer(const char *s, struct linx_value *ret)
{
	bool neg = *s == '-';
	const char *d = s + neg;
	uint64_t u = 0;

	if (!*d)
		return -1;
	for (const char *p = d; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	for (const char *p = d; *p; p++) {
		unsigned digit = (unsigned)(*p - '0');

		if (u > (UINT64_MAX - digit) / 10)
			return 0;
		u = u * 10 + digit;
	}
	if (!neg) {
		*ret = u <= INT64_MAX ? linx_value_int((int64_t)u)
				      : linx_value_uint(u);
		return 1;
	}
	if (u > (uint64_t)INT64_MAX + 1)
		return 0;
	*ret = linx_value_int(u == (uint64_t)INT64_MAX + 1
				      ? INT64_MIN
				      : -(int64_t)u);
	return 1;
}

static int typed_text(const struct linx_verb *verb, const char *name,
		      const char *text, struct linx_value *ret)
{
	const struct linx_param *p = find_param(verb, name);
	uint32_t types = p ? p->types : LINX_TM_STRING;
	size_t len = strlen(text);
	int r;

	if (types & (LINX_TM_INT | LINX_TM_UINT)) {
		r = parse_integer(text, ret);
		if (r > 0)
			return 0;
		if (r == 0 && !(types & (LINX_TM_STRING | LINX_TM_BYTES))) {
			cli_usage_error(verb->name,
					"parameter \"%s\": %s does not fit in "
					"a 64-bit integer",
					name, cli_short(text));
			return CLI_EXIT_USAGE;
		}
	}
	if (types & LINX_TM_BOOL) {
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
			*ret = linx_value_bool(text[0] == 't');
			return 0;
		}
	}
	r = linx_utf8_valid(text, len) ? linx_value_string(ret, text, len)
				       : linx_value_bytes(ret, text, len);
	if (r < 0) {
		cli_usage_error(verb->name, "parameter \"%s\": %s", name,
				r == -E2BIG ? "value too long"
					    : strerror(-r));
		return r == -ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
	}
	return 0;
}

static int json_arg(const struct linx_verb *verb, const char *name,
		    const char *text, struct linx_value *ret)
{
	char why[CLI_JSON_ERR_MAX];
	int r;

	/* The value goes into the argument map: one level is taken. */
	r = cli_json_read(text, strlen(text), 1, ret, why);
	if (r < 0) {
		cli_usage_error(verb->name, "parameter \"%s\": %s", name, why);
		return r == -ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
	}
	return 0;
}

int cli_args_parse(struct cli *cli, const struct linx_verb *verb, int argc,
		   char **argv, struct linx_value *map)
{
	(void)cli;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '=');
		bool is_json = eq && eq > arg && eq[-1] == ':';
		size_t n = eq ? (size_t)(eq - arg) - is_json : 0;
		struct linx_value v = linx_value_nil();
		char name[NAME_MAX_LEN + 1];
		int r;

		if (!eq) {
			cli_usage_error(verb->name,
					"malformed argument \"%s\" (expected "
					"name=value or name:=JSON)",
					cli_short(arg));
			return CLI_EXIT_USAGE;
		}
		if (!valid_name(arg, n)) {
			cli_usage_error(verb->name,
					"malformed parameter name in \"%s\" "
					"(names are [a-z][a-z0-9_]*)",
					cli_short(arg));
			return CLI_EXIT_USAGE;
		}
		memcpy(name, arg, n);
		name[n] = '\0';
		if (linx_map_get(map, name)) {
			cli_usage_error(verb->name,
					"parameter \"%s\" given twice", name);
			return CLI_EXIT_USAGE;
		}
		r = is_json ? json_arg(verb, name, eq + 1, &v)
			    : typed_text(verb, name, eq + 1, &v);
		if (r)
			return r;
		r = linx_map_put(map, name, &v);
		if (r == -ENOMEM)
			return cli_oom(verb->name);
		if (r < 0) {
			cli_usage_error(verb->name, "parameter \"%s\": %s", name,
					strerror(-r));
			return CLI_EXIT_USAGE;
		}
	}
	return 0;
}
