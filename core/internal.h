/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the core's source files; not installed.
 */
#ifndef LINX_CORE_INTERNAL_H
#define LINX_CORE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#include <linx/linx.h>

/* fmt.c: allocation-free snprintf subset (see the file's comment). */
size_t linx__vformat(char *buf, size_t cap, const char *fmt, va_list ap)
	LINX_PRINTF(3, 0);
size_t linx__format(char *buf, size_t cap, const char *fmt, ...)
	LINX_PRINTF(3, 4);

/* Copy a C string into a fixed field, truncating; always terminates. */
void linx__strlcpy(char *dst, const char *src, size_t cap);

/* keys.c: map keys, pooled when the schemas use them (see keys.c).
 * linx__key_dup() returns a pooled key or a heap copy (NULL when out of
 * memory); linx__key_free() releases either. */
char *linx__key_dup(const char *k, size_t n);
void linx__key_free(char *k);
bool linx__key_pooled(const char *k);

/* value.c */
void linx__value_poison(struct linx_value *v, int code);
/* After pairs were appended in place: index the map's keys and record its
 * depth (see value.c). */
void linx__map_reindex(struct linx_value *m);

/* registry.c: is this liblinx the one in the build tree (decided by
 * where the library itself lives, so an installed copy never looks into a
 * stale build directory)?  Then the plugins and the agent built next to
 * it are used. */
bool linx__in_build_tree(void);

/* Cleanup helpers in the style of systemd's _cleanup_. */
static inline void linx__freep(void *p)
{
	free(*(void **)p);
}
static inline void linx__closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define LINX_CLEANUP(fn) __attribute__((cleanup(fn)))
#define _cleanup_free_ LINX_CLEANUP(linx__freep)
#define _cleanup_close_ LINX_CLEANUP(linx__closep)

/* Hand ownership out of a cleanup variable. */
#define LINX_TAKE_PTR(p)                                                     \
	({                                                                   \
		__typeof__(p) taken_ = (p);                                  \
		(p) = NULL;                                                  \
		taken_;                                                      \
	})
#define LINX_TAKE_FD(fd)                                                     \
	({                                                                   \
		int taken_ = (fd);                                           \
		(fd) = -1;                                                   \
		taken_;                                                      \
	})

#define LINX_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* LINX_CORE_INTERNAL_H */
