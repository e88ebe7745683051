/* SPDX-License-Identifier: MIT */
/*
 * JSON on stdout, the way `ip -j` and `nft -j` print it: one compact line
 * by default, indented with -p/--pretty.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_print_json(struct cli *cli, const json_t *j)
{
	size_t flags = JSON_ENCODE_ANY |
		       (cli->pretty ? JSON_INDENT(2) : JSON_COMPACT);
	char *text = json_dumps(j, flags);
	int r = 0;

	if (!text)
		return cli_oom(cli->command);
	if (fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF)
		r = -1;
	free(text);
	if (fflush(stdout) == EOF || r < 0) {
		/* SIGPIPE is ignored (main.c): a reader that went away shows
		 * up here as EPIPE, and is nobody's error to report. */
		if (errno != EPIPE)
			cli_usage_error(cli->command, "writing output: %s",
					strerror(errno));
		return CLI_EXIT_FAILED;
	}
	return 0;
}

int cli_print_value(struct cli *cli, const struct linx_value *v)
{
	char why[CLI_JSON_ERR_MAX];
	json_t *j = cli_value_to_json(v, why);
	int r;

	if (!j) {
		cli_usage_error(cli->command, "cannot print the result: %s",
				why);
		return CLI_EXIT_FAILED;
	}
	r = cli_print_json(cli, j);
	json_decref(j);
	return r;
}

json_t *cli_json_text(const char *s)
{
	size_t len = strlen(s), o = 0;
	json_t *j;
	char *buf;

	if (linx_utf8_valid(s, len))
		return json_stringn_nocheck(s, len);
	buf = malloc(len + 1);
	if (!buf)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n;

		/* The shortest prefix that is one whole, valid character. */
		for (n = 1; n <= 4 && i + n <= len; n++)
			if (linx_utf8_valid(s + i, n))
				break;
		if (n > 4 || i + n > len) {
			buf[o++] = '?';
			i++;
			continue;
		}
		memcpy(buf + o, s + i, n);
		o += n;
		i += n;
	}
	j = json_stringn_nocheck(buf, o);
	free(buf);
	return j;
}

json_t *cli_types_json(uint32_t types)
{
	json_t *a = json_array();

	for (unsigned t = 0; a && t < LINX_TYPE_COUNT; t++)
		if ((types & LINX_TM(t)) &&
		    json_array_append_new(a, json_string(linx_type_name(t))) <
			    0) {
			json_decref(a);
			return NULL;
		}
	return a;
}
