/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the tty plugin's source files; not installed.
 *
 * term.c, keys.c and verbs.c build both the static library and the
 * loadable module (LINX_PLUGIN_MODULE: core calls through the host table,
 * which plugin.h sets up).  attach.c calls the process API, which the host
 * table does not carry, so it is in the static library only.
 */
#ifndef LINX_TTY_INTERNAL_H
#define LINX_TTY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/plugin.h>
#include <linx/tty.h>

/*
 * The detach-sequence matcher.  `held` bytes of the sequence have been
 * seen at the end of the input so far and not yet forwarded.
 */
struct tty_keys {
	uint8_t seq[LINX_TTY_DETACH_KEYS_MAX];
	size_t len;  /* 0: detaching disabled */
	size_t held; /* < len */
};

/* Set up the matcher; EINVAL (param "detach_keys") past the maximum. */
int tty_keys_init(struct tty_keys *k, const void *seq, size_t len,
		  struct linx_error *err);

/*
 * Feed `n` input bytes.  The bytes to forward are written to `out`
 * (room for n + LINX_TTY_DETACH_KEYS_MAX) and counted in *ret_out.
 * Returns true when the sequence completed (the rest of `in` is dropped).
 */
bool tty_keys_feed(struct tty_keys *k, const uint8_t *in, size_t n,
		   uint8_t *out, size_t *ret_out);

/* The bytes held back, for EOF: written to `out`, matcher reset. */
size_t tty_keys_flush(struct tty_keys *k, uint8_t *out);

#endif /* LINX_TTY_INTERNAL_H */
