/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the CLI's one-pass JSON reader (cli_json_read in
 * bindings/cli/json-value.c), which takes hostile text from the shell.
 *
 * Properties: it agrees with the jansson path (cli_json_parse +
 * cli_json_to_value) on what it accepts and on the value built; a
 * refusal leaves nil and says why; an accepted value renders back to JSON
 * that reads back and renders as the same JSON.  Under ASan/UBSan, reads outside the
 * input and leaks are caught.  Built like fuzz-value.c (standalone for
 * the seed corpus; libFuzzer with clang).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: check failed: %s\n",         \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[CLI_JSON_ERR_MAX], why2[CLI_JSON_ERR_MAX];
	struct linx_value v, ref = linx_value_nil(), again;
	char *text = malloc(size ? size : 1), *out, *text2;
	json_t *j;
	int r, r2;

	/* An exact-size heap copy: a read past the end is an ASan report. */
	CHECK(text);
	if (size)
		memcpy(text, data, size);
	r = cli_json_read(text, size, 0, &v, why);
	j = cli_json_parse(text, size, why2);
	r2 = j ? cli_json_to_value(j, 0, &ref, why2) : -EINVAL;
	json_decref(j);
	/* jansson ends a document at a NUL byte; the reader refuses it */
	if (memchr(text, '\0', size) && r < 0 && r2 >= 0)
		r2 = -EINVAL;
	CHECK((r < 0) == (r2 < 0));
	if (r < 0) {
		CHECK(v.type == LINX_NIL);
		CHECK(why[0] != '\0');
		goto out;
	}
	CHECK(linx_value_equal(&v, &ref));
	j = cli_value_to_json(&v, why);
	CHECK(j);
	out = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	CHECK(out);
	CHECK(cli_json_read(out, strlen(out), 0, &again, why) == 0);
	/* The same JSON again (not always the same value: a uint that fits
	 * an int64 is written as a plain integer and reads back as an int). */
	j = cli_value_to_json(&again, why);
	CHECK(j);
	text2 = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	CHECK(text2 && strcmp(out, text2) == 0);
	free(text2);
	linx_value_clear(&again);
	free(out);
out:
	linx_value_clear(&v);
	linx_value_clear(&ref);
	free(text);
	return 0;
}
