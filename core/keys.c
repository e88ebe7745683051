/* SPDX-License-Identifier: MIT */
/*
 * Map keys stored once.
 *
 * A value tree repeats a handful of keys many times over: a pulled
 * ruleset of 10,000 rules holds "expr" 60,000 times.  Each key used to be
 * its own heap string, so building a map cost an allocation per key,
 * freeing it as many frees, and every lookup read a cold string just to
 * compare its first byte.  The keys the plugins' schemas use (keys.def)
 * live instead in one read-only pool: a pair whose key is in the schema
 * points into the pool, allocates nothing, and its key stays in cache.
 *
 * Nothing depends on a key being pooled: a key outside the pool is a
 * heap copy as before, and linx__key_free() tells the two apart by
 * address.  The pool is a cache, so a key missing from keys.def costs
 * speed, never correctness.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

static const char key_pool[] =
#define K(s) s "\0"
#include "keys.def"
#undef K
	;

/* Offsets fit 16 bits; the table keeps its load under a half. */
_Static_assert(sizeof(key_pool) < 65535, "key pool over 64 KiB");
#define KEY_SLOTS 2048u
#define KEY_MAX 32u /* longer keys are never looked up */

static uint16_t key_slots[KEY_SLOTS]; /* pool offset + 1; 0 = empty */
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static uint32_t key_hash(const char *k, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)k[i]) * 16777619u;
	return h;
}

static const char *key_find(const char *k, size_t n)
{
	for (uint32_t h = key_hash(k, n) & (KEY_SLOTS - 1); key_slots[h];
	     h = (h + 1) & (KEY_SLOTS - 1)) {
		const char *s = key_pool + key_slots[h] - 1;

		if (s[0] == k[0] && strncmp(s, k, n) == 0 && s[n] == '\0')
			return s;
	}
	return NULL;
}

static void key_init(void)
{
	size_t used = 0;

	for (size_t off = 0; off + 1 < sizeof(key_pool);) {
		size_t n = strlen(key_pool + off);

		/* a duplicate in keys.def is harmless: the first one wins */
		if (n && n <= KEY_MAX && !key_find(key_pool + off, n) &&
		    used < KEY_SLOTS / 2) {
			uint32_t h = key_hash(key_pool + off, n) &
				     (KEY_SLOTS - 1);

			while (key_slots[h])
				h = (h + 1) & (KEY_SLOTS - 1);
			key_slots[h] = (uint16_t)(off + 1);
			used++;
		}
		off += n + 1;
	}
}

bool linx__key_pooled(const char *k)
{
	return (uintptr_t)k - (uintptr_t)key_pool < sizeof(key_pool);
}

char *linx__key_dup(const char *k, size_t n)
{
	char *s;

	if (n && n <= KEY_MAX) {
		const char *p;

		pthread_once(&key_once, key_init);
		if ((p = key_find(k, n)))
			return (char *)p; /* never written: see linx_pair */
	}
	s = malloc(n + 1);
	if (s) {
		memcpy(s, k, n);
		s[n] = '\0';
	}
	return s;
}

void linx__key_free(char *k)
{
	if (!linx__key_pooled(k))
		free(k);
}
