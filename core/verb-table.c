/* SPDX-License-Identifier: MIT */
/*
 * The verb table: every verb of every plugin a registry loaded, sorted by
 * name (for listing) and hashed (for lookup).
 *
 * Lookups are lock-free: the table is an immutable snapshot that a load
 * replaces atomically.  Old snapshots are kept until the registry is freed
 * (there is one per plugin load, so a handful), which is what makes a
 * reader that still holds one safe without reference counting.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "registry-internal.h"

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int cmp_verbs(const void *a, const void *b)
{
	const struct linx_verb *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

const struct linx_verb *linx__table_find(const struct snapshot *s,
					 const char *name, uint32_t hash)
{
	if (!s || !s->slots)
		return NULL;
	for (uint32_t h = hash & s->mask;; h = (h + 1) & s->mask) {
		const struct linx_verb *v = s->slots[h];

		if (!v)
			return NULL;
		if (strcmp(v->name, name) == 0)
			return v;
	}
}

/* hash_name() and the length in one pass, stopping at MAX_NAME: the
 * lookup of a verb by name is on every linx_call(). */
size_t linx__table_hash(const char *s, uint32_t *ret_hash)
{
	uint32_t h = 2166136261u;
	size_t n = 0;

	while (s[n] && n < MAX_NAME)
		h = (h ^ (uint8_t)s[n++]) * 16777619u;
	*ret_hash = h;
	return n;
}

void linx__table_free(struct snapshot *s)
{
	if (!s)
		return;
	free(s->plugins);
	free(s->sorted);
	free(s->slots);
	free(s);
}

/* Build the successor of `old` with `add` appended.  Called locked. */
struct snapshot *linx__table_extend(const struct snapshot *old,
				    struct loaded *add)
{
	size_t np = (old ? old->n_plugins : 0) + 1;
	size_t nv = (old ? old->n_verbs : 0) + add->desc.n_verbs;
	uint32_t size = 16;
	struct snapshot *s = calloc(1, sizeof(*s));

	while (size < nv * 2)
		size <<= 1;
	if (!s)
		return NULL;
	s->plugins = malloc(np * sizeof(*s->plugins));
	s->sorted = malloc(nv * sizeof(*s->sorted));
	s->slots = calloc(size, sizeof(*s->slots));
	if (!s->plugins || !s->sorted || !s->slots) {
		linx__table_free(s);
		return NULL;
	}
	if (old) {
		memcpy(s->plugins, old->plugins,
		       old->n_plugins * sizeof(*s->plugins));
		memcpy(s->sorted, old->sorted, old->n_verbs * sizeof(*s->sorted));
	}
	s->plugins[np - 1] = add;
	for (uint32_t i = 0; i < add->desc.n_verbs; i++)
		s->sorted[nv - add->desc.n_verbs + i] = &add->verbs[i];
	s->n_plugins = np;
	s->n_verbs = nv;
	qsort(s->sorted, nv, sizeof(*s->sorted), cmp_verbs);
	s->mask = size - 1;
	for (size_t i = 0; i < nv; i++) {
		uint32_t h = hash_name(s->sorted[i]->name) & s->mask;

		while (s->slots[h])
			h = (h + 1) & s->mask;
		s->slots[h] = s->sorted[i];
	}
	return s;
}

struct snapshot *linx__table_current(const struct linx_registry *reg)
{
	return atomic_load_explicit(
		&((struct linx_registry *)reg)->snap, memory_order_acquire);
}

struct loaded *linx__table_plugin(const struct snapshot *s, const char *name)
{
	for (size_t i = 0; s && i < s->n_plugins; i++)
		if (strcmp(s->plugins[i]->desc.name, name) == 0)
			return s->plugins[i];
	return NULL;
}

