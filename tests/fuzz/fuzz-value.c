/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the value codec (core/codec.c).
 *
 * Property: the decoder accepts only canonical encodings, so any input it
 * accepts must re-encode to exactly the same bytes.  Along the way every
 * accepted tree is copied, compared, status-checked and encoded into a
 * buffer one byte too small, and every rejection must be EBADMSG (or
 * ENOMEM) with a nil result: all under ASan/UBSan, which catch reads
 * outside the input and leaks.
 *
 * Built two ways (tests/fuzz/meson.build): with clang's -fsanitize=fuzzer
 * for real fuzzing, and with standalone.c as an ordinary program that runs
 * the seed corpus as a meson test under any compiler.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linx/value.h>

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
	struct linx_value v, copy;
	struct linx_error err;
	void *out = NULL;
	size_t out_len = 0, need = 0;
	uint8_t *small;
	int r;

	/* An exact-size heap copy: a read past the end is an ASan report. */
	small = malloc(size ? size : 1);
	CHECK(small);
	if (size)
		memcpy(small, data, size);
	r = linx_value_decode(small, size, &v, &err);
	if (r < 0) {
		CHECK(r == -EBADMSG || r == -ENOMEM);
		CHECK(err.code == -r);
		CHECK(v.type == LINX_NIL);
		CHECK(r != -EBADMSG || strstr(err.message, "at offset "));
		free(small);
		return 0;
	}

	CHECK(linx_value_status(&v) == 0);
	/* canonical: the same bytes come back */
	CHECK(linx_value_encode(&v, &out, &out_len, &err) == 0);
	CHECK(out_len == size);
	CHECK(memcmp(out, data, size) == 0);
	/* a buffer one byte short: ENOBUFS and the exact need */
	if (size > 0) {
		CHECK(linx_value_encode_to(&v, small, size - 1, &need, NULL) ==
		      -ENOBUFS);
		CHECK(need == size);
	}
	/* copy and equality agree with the codec */
	CHECK(linx_value_copy(&copy, &v) == 0);
	CHECK(linx_value_equal(&copy, &v));
	linx_value_clear(&copy);

	linx_value_clear(&v);
	free(out);
	free(small);
	return 0;
}
