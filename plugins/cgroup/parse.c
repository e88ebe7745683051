/* SPDX-License-Identifier: MIT */
/*
 * Reading cgroupfs values: single numbers ("memory.current") and
 * flat-keyed files ("cpu.stat", "cgroup.events"), the two formats
 * cgroup-v2.rst ("Interface Files", "Conventions") describes.
 *
 * The parsers are strict about numbers and lenient about lines: a value
 * that is not a plain decimal number fitting 64 bits is reported as
 * malformed (the caller then leaves the field out), while lines with keys
 * nobody asked for are ignored, so a kernel that adds a counter changes
 * nothing here.
 */
#include <string.h>

#include "cgroup-internal.h"

bool cg_parse_u64(const char *s, size_t len, uint64_t *ret)
{
	uint64_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return false;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ret = v;
	return true;
}

bool cg_parse_single_u64(const char *buf, size_t len, uint64_t *ret)
{
	/* One value and its newline; nothing else. */
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	return cg_parse_u64(buf, len, ret);
}

void cg_parse_flat_keyed(const char *buf, size_t len, cg_kv_fn *fn, void *arg)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *sp = memchr(p, ' ', (size_t)(eol - p));

		if (sp && sp > p)
			fn(p, (size_t)(sp - p), sp + 1, (size_t)(eol - sp - 1),
			   arg);
		p = nl ? nl + 1 : end;
	}
}
