/* SPDX-License-Identifier: MIT */
/*
 * The nftables language parser on arbitrary bytes (issue 12, item 6).
 * Beyond "no crash, no leak, no unbounded memory", every input the parser
 * accepts must satisfy the round-trip property: its canonical text parses
 * again, to the same value (tables in the formatter's order), and
 * formatting that gives the same text.  A violation aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linx/nft.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp_tables(const void *a, const void *b)
{
	const struct linx_value *x = a, *y = b;
	int r = strcmp(linx_map_get(x, "family")->str,
		       linx_map_get(y, "family")->str);

	return r ? r : strcmp(linx_map_get(x, "name")->str,
			      linx_map_get(y, "name")->str);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linx_value a, b;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	char *t1 = NULL, *t2 = NULL;
	size_t l1, l2;

	if (size > 1 << 20)
		return 0;
	/* bytes that decode as a value: the formatter on a value nobody
	 * parsed must not crash, and what it prints must parse, unless the
	 * value is no valid ruleset (an ingress chain without its device
	 * prints, and the parser refuses it as nft does) */
	struct linx_value v;
	if (linx_value_decode(data, size, &v, NULL) == 0) {
		if (linx_nft_format(&v, &t1, &l1, &err) == 0) {
			if (linx_nft_parse(t1, l1, NULL, &a, &pe, &err) < 0 &&
			    linx_nft_validate(&v, &err) == 0) {
				fprintf(stderr, "formatted value does not "
						"parse: %s\n%s\n",
					err.message, t1);
				abort();
			}
			linx_value_clear(&a);
			free(t1);
			t1 = NULL;
		}
		linx_value_clear(&v);
		return 0;
	}
	if (linx_nft_parse((const char *)data, size, NULL, &a, &pe, &err) < 0)
		return 0;
	if (linx_nft_format(&a, &t1, &l1, &err) < 0)
		abort();
	if (linx_nft_parse(t1, l1, NULL, &b, &pe, &err) < 0) {
		fprintf(stderr, "formatted text does not parse: %s\n%s\n",
			err.message, t1);
		abort();
	}
	struct linx_value *ts = (struct linx_value *)linx_map_get(&a, "tables");
	if (ts->len > 1)
		qsort(ts->items, ts->len, sizeof(*ts->items), cmp_tables);
	if (!linx_value_equal(&a, &b)) {
		fprintf(stderr, "parse(format(x)) != x\n%s\n", t1);
		abort();
	}
	if (linx_nft_format(&b, &t2, &l2, &err) < 0 || l1 != l2 ||
	    memcmp(t1, t2, l1) != 0) {
		fprintf(stderr, "format is not a fixed point\n%s\n---\n%s\n", t1,
			t2 ? t2 : "");
		abort();
	}
	free(t1);
	free(t2);
	linx_value_clear(&a);
	linx_value_clear(&b);
	return 0;
}
