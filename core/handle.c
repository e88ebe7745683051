/* SPDX-License-Identifier: MIT */
/*
 * Reference-counted, typed handles to plugin-owned kernel objects.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "internal.h"

struct linx_handle {
	atomic_uint refs;
	const struct linx_handle_type *type;
	void *ptr;
};

struct linx_handle *linx_handle_new(const struct linx_handle_type *type,
				    void *ptr)
{
	struct linx_handle *h;

	if (!type || !type->destroy)
		return NULL;
	h = malloc(sizeof(*h));
	if (!h)
		return NULL;
	atomic_init(&h->refs, 1);
	h->type = type;
	h->ptr = ptr;
	return h;
}

struct linx_handle *linx_handle_ref(struct linx_handle *h)
{
	if (h)
		atomic_fetch_add_explicit(&h->refs, 1, memory_order_relaxed);
	return h;
}

void linx_handle_unref(struct linx_handle *h)
{
	if (!h)
		return;
	if (atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) != 1)
		return;
	h->type->destroy(h->ptr);
	free(h);
}

void *linx_handle_get(const struct linx_handle *h,
		      const struct linx_handle_type *type)
{
	return h && h->type == type ? h->ptr : NULL;
}

const struct linx_handle_type *linx_handle_type_of(const struct linx_handle *h)
{
	return h ? h->type : NULL;
}
