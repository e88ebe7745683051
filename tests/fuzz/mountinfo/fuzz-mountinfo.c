/* SPDX-License-Identifier: MIT */
/*
 * The mountinfo parser (plugins/mount/mountinfo.c) over arbitrary bytes:
 * whatever a file holds, it parses or skips, never crashes, and what it
 * returns is whole (every string set, propagation within bounds) and
 * converts to a value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linx/mount.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linx_mount_entry *e;
	size_t n;

	if (linx_mount_parse((const char *)data, size, &e, &n, NULL) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		if (!e[i].root || !e[i].mount_point || !e[i].fstype ||
		    !e[i].source || !e[i].super_options ||
		    e[i].n_propagation > LINX_MOUNT_PROPAGATION_MAX)
			abort();
		linx_mount_entry_value(&e[i], &v);
		linx_value_clear(&v);
	}
	linx_mount_entries_free(e, n);
	return 0;
}
