/* SPDX-License-Identifier: MIT */
/*
 * Errors on stderr, one line each:
 *
 *     linx: example.fail: enodev (19): example: failing on request
 *
 * "linx: WHAT: " then, for an error the core or a plugin reported, the
 * errno's symbolic name (linx_errno_name), its number, the object it
 * concerns when the message does not already name it, the message, and
 * "; kernel says: ..." when a netlink plugin recorded the kernel's
 * extended ACK.  Text that came from the command line is echoed with
 * control characters replaced, so a hostile argument cannot drive the
 * terminal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Write `s`, replacing C0 controls and DEL with '?'. */
static void put_clean(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
	}
}

const char *cli_short(const char *s)
{
	enum { KEEP = 80, SLOTS = 4 };
	static char bufs[SLOTS][KEEP + 4];
	static unsigned next;
	char *b;

	if (strlen(s) <= KEEP + 3)
		return s;
	b = bufs[next++ % SLOTS];
	memcpy(b, s, KEEP);
	memcpy(b + KEEP, "...", 4);
	return b;
}

void cli_usage_error(const char *what, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("linx: ", stderr);
	if (what && *what) {
		put_clean(stderr, what);
		fputs(": ", stderr);
	}
	put_clean(stderr, msg);
	fputc('\n', stderr);
	fflush(stderr);
}

/* The core prefixes validation messages with the verb name; the line
 * already starts with it. */
static const char *strip_prefix(const char *msg, const char *what)
{
	size_t n = strlen(what);

	if (n && strncmp(msg, what, n) == 0 && msg[n] == ':' &&
	    msg[n + 1] == ' ')
		return msg + n + 2;
	return msg;
}

static bool is_usage(const struct linx_error *err)
{
	/* linx_call_verb() validates under op "validate" before the verb
	 * runs; linx_registry_find() fails under op "find" for a malformed
	 * or unknown verb name (a refused plugin keeps op "load"). */
	return strcmp(err->op, "validate") == 0 || strcmp(err->op, "find") == 0;
}

int cli_report(const char *what, const struct linx_error *err)
{
	int code = err && err->code > 0 ? err->code : EIO;
	const char *name = linx_errno_name(code);
	const char *msg = err && err->message[0] ? err->message
						 : linx_strerror(code);
	const char *object = err ? err->object : "";

	msg = strip_prefix(msg, what ? what : "");
	fputs("linx: ", stderr);
	if (what && *what) {
		put_clean(stderr, cli_short(what));
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s (%d): ", name ? name : "unknown", code);
	if (object[0] && (!what || strcmp(object, what) != 0) &&
	    !strstr(msg, object)) {
		put_clean(stderr, object);
		fputs(": ", stderr);
	}
	put_clean(stderr, msg);
	if (err && err->extack[0]) {
		fputs("; kernel says: ", stderr);
		put_clean(stderr, err->extack);
	}
	if (err && strcmp(err->op, "find") == 0 && code == ENOENT)
		fputs(" (linx verbs lists them)", stderr);
	fputc('\n', stderr);
	fflush(stderr);
	return err && is_usage(err) ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
}

/* By hand rather than through linx_error_to_value(): the CLI's shape
 * (docs/cli/README.md) names the errno under "errno" with its number
 * under "code", always has "object" (null when empty) and prints text
 * that is not UTF-8 with '?' for the bad bytes, where the wire shape has
 * "errno"/"errno_name", optional keys and bytes values. */
json_t *cli_error_json(const struct linx_error *err)
{
	int code = err->code > 0 ? err->code : EIO;
	const char *name = linx_errno_name(code);

	return json_pack("{s:s, s:i, s:o, s:o}", "errno",
			 name ? name : "unknown", "code", code, "message",
			 cli_json_text(err->message), "object",
			 err->object[0] ? cli_json_text(err->object)
					: json_null());
}

int cli_oom(const char *what)
{
	cli_usage_error(what, "out of memory");
	return CLI_EXIT_FAILED;
}
