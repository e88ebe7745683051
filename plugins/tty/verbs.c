/* SPDX-License-Identifier: MIT */
/*
 * The verb table: thin adapters from the value model to the typed API.
 *
 *   tty.open_raw         {}                         -> {fd, saved}
 *   tty.restore          {fd, saved}                -> nil
 *   tty.window_size      {fd}                       -> {rows, cols,
 *                                                       xpixel, ypixel}
 *   tty.set_window_size  {fd, rows, cols, xpixel?, ypixel?} -> nil
 *   tty.detach_keys      {keys}                     -> bytes
 *   tty.set_nonblock     {fd, on}                   -> bool (as it was)
 *
 * Descriptors cross the verb boundary as integers in the calling process
 * (the spec's fd()), as sockets do nowhere else: a terminal has to be
 * handed back to tty.restore by the same process, so these verbs mean
 * something only to an in-process front-end (the NIF, a C program).
 * `saved` is the struct linx_tty_saved as bytes: the termios to put back
 * and the identity of the file it came from, which makes tty.restore
 * leave a descriptor number alone once it names another file.
 *
 * The attach loop has no verb: it calls the process API, which the
 * module's host table does not carry (linx_tty_attach() in the C API).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "tty-internal.h"

#define FD_TYPES (LINX_TM_INT | LINX_TM_UINT)

enum { FD_FD };

static const struct linx_param fd_params[] = {
	[FD_FD] = { "fd", FD_TYPES, LINX_PARAM_REQUIRED | LINX_PARAM_NONNEG,
		    "a terminal descriptor of the calling process" },
};

enum { RESTORE_FD, RESTORE_SAVED };

static const struct linx_param restore_params[] = {
	[RESTORE_FD] = { "fd", FD_TYPES,
			 LINX_PARAM_REQUIRED | LINX_PARAM_NONNEG,
			 "the descriptor tty.open_raw returned" },
	[RESTORE_SAVED] = { "saved", LINX_TM_BYTES, LINX_PARAM_REQUIRED,
			    "the state tty.open_raw returned, as is" },
};

enum { WS_FD, WS_ROWS, WS_COLS, WS_XPIXEL, WS_YPIXEL };

static const struct linx_param set_ws_params[] = {
	[WS_FD] = { "fd", FD_TYPES, LINX_PARAM_REQUIRED | LINX_PARAM_NONNEG,
		    "a terminal descriptor of the calling process" },
	[WS_ROWS] = { "rows", FD_TYPES, LINX_PARAM_REQUIRED, "0..65535" },
	[WS_COLS] = { "cols", FD_TYPES, LINX_PARAM_REQUIRED, "0..65535" },
	[WS_XPIXEL] = { "xpixel", FD_TYPES, 0, "0..65535 (default 0)" },
	[WS_YPIXEL] = { "ypixel", FD_TYPES, 0, "0..65535 (default 0)" },
};

enum { NB_FD, NB_ON };

static const struct linx_param nonblock_params[] = {
	[NB_FD] = { "fd", FD_TYPES, LINX_PARAM_REQUIRED | LINX_PARAM_NONNEG,
		    "a descriptor of the calling process" },
	[NB_ON] = { "on", LINX_TM_BOOL, LINX_PARAM_REQUIRED,
		    "true: set O_NONBLOCK; false: clear it" },
};

enum { KEYS_KEYS };

static const struct linx_param keys_params[] = {
	[KEYS_KEYS] = { "keys", LINX_TM_STRING, LINX_PARAM_REQUIRED,
			"docker's spelling: \"ctrl-p,ctrl-q\"; \"\" for none" },
};

static int fd_arg(const struct linx_call *call, unsigned i, int *ret,
		  struct linx_error *err)
{
	int64_t v = -1;

	if (!linx_value_get_i64(linx_call_arg(call, i), &v) || v > INT_MAX)
		return linx_error_param_object(err, ERANGE, "validate", "fd",
					       NULL,
					       "fd must be a descriptor "
					       "number 0..%d",
					       INT_MAX);
	*ret = (int)v;
	return 0;
}

static int verb_open_raw(const struct linx_call *call, struct linx_value *ret,
			 struct linx_error *err)
{
	struct linx_tty_saved saved;
	struct linx_value blob;
	int fd, r;

	(void)call;
	r = linx_tty_open_raw(&fd, &saved, err);
	if (r < 0)
		return r;
	r = linx_value_bytes(&blob, &saved, sizeof(saved));
	if (r == 0) {
		struct linx_map_entry e[] = {
			{ "fd", linx_value_int(fd) },
			{ "saved", blob },
		};

		*ret = linx_value_map();
		r = linx_map_put_many(ret, e, 2);
	}
	if (r < 0) {
		/* Nobody could restore it: do it now. */
		linx_value_clear(ret);
		linx_tty_restore_close(fd, &saved, NULL);
		return linx_error_set(err, -r, "open", "building the result");
	}
	return 0;
}

static int verb_restore(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	const struct linx_value *blob = linx_call_arg(call, RESTORE_SAVED);
	struct linx_tty_saved saved;
	int fd, r;

	(void)ret;
	r = fd_arg(call, RESTORE_FD, &fd, err);
	if (r < 0)
		return r;
	if (blob->len != sizeof(saved))
		return linx_error_param(err, "validate", "saved",
					"%u bytes, not the %zu of a state "
					"tty.open_raw returned",
					blob->len, sizeof(saved));
	memcpy(&saved, blob->bytes, sizeof(saved));
	return linx_tty_restore_close(fd, &saved, err);
}

static int size_value(struct linx_value *ret, const struct linx_winsize *ws)
{
	struct linx_map_entry e[] = {
		{ "rows", linx_value_uint(ws->rows) },
		{ "cols", linx_value_uint(ws->cols) },
		{ "xpixel", linx_value_uint(ws->xpixel) },
		{ "ypixel", linx_value_uint(ws->ypixel) },
	};

	*ret = linx_value_map();
	return linx_map_put_many(ret, e, 4);
}

static int verb_window_size(const struct linx_call *call,
			    struct linx_value *ret, struct linx_error *err)
{
	struct linx_winsize ws;
	int fd, r;

	r = fd_arg(call, FD_FD, &fd, err);
	if (r == 0)
		r = linx_tty_window_size(fd, &ws, err);
	if (r < 0)
		return r;
	r = size_value(ret, &ws);
	return r < 0 ? linx_error_set(err, -r, "ioctl", "building the result")
		     : 0;
}

/* One dimension, 0..65535, the agent's bad_winsize rule: out of range is
 * refused, never truncated. */
static int dimension(const struct linx_call *call, unsigned i,
		     const char *name, uint16_t *ret, struct linx_error *err)
{
	const struct linx_value *v = linx_call_arg(call, i);
	uint64_t x = 0;

	if (!v || v->type == LINX_NIL) {
		*ret = 0;
		return 0;
	}
	if (!linx_value_get_u64(v, &x) || x > UINT16_MAX)
		return linx_error_param_object(err, ERANGE, "validate", name,
					       NULL,
					       "%s must be an integer 0..%u "
					       "(bad_winsize)",
					       name, UINT16_MAX);
	*ret = (uint16_t)x;
	return 0;
}

static int verb_set_window_size(const struct linx_call *call,
				struct linx_value *ret, struct linx_error *err)
{
	struct linx_winsize ws;
	int fd, r;

	(void)ret;
	r = fd_arg(call, WS_FD, &fd, err);
	if (r == 0)
		r = dimension(call, WS_ROWS, "rows", &ws.rows, err);
	if (r == 0)
		r = dimension(call, WS_COLS, "cols", &ws.cols, err);
	if (r == 0)
		r = dimension(call, WS_XPIXEL, "xpixel", &ws.xpixel, err);
	if (r == 0)
		r = dimension(call, WS_YPIXEL, "ypixel", &ws.ypixel, err);
	if (r == 0)
		r = linx_tty_set_window_size(fd, &ws, err);
	return r;
}

static int verb_set_nonblock(const struct linx_call *call,
			     struct linx_value *ret, struct linx_error *err)
{
	bool was = false;
	int fd, r;

	r = fd_arg(call, NB_FD, &fd, err);
	if (r == 0)
		r = linx_tty_set_nonblock(fd, linx_call_arg(call, NB_ON)->b,
					  &was, err);
	if (r == 0)
		*ret = linx_value_bool(was);
	return r;
}

static int verb_detach_keys(const struct linx_call *call,
			    struct linx_value *ret, struct linx_error *err)
{
	uint8_t buf[LINX_TTY_DETACH_KEYS_MAX];
	size_t n;
	int r;

	r = linx_tty_detach_keys_parse(linx_call_arg(call, KEYS_KEYS)->str,
				       buf, sizeof(buf), &n, err);
	if (r < 0)
		return r;
	r = linx_value_bytes(ret, buf, n);
	return r < 0 ? linx_error_set(err, -r, "validate", NULL) : 0;
}

static const struct linx_verb verbs[] = {
	{
		.name = "tty.open_raw",
		.summary = "Open the controlling terminal (/dev/tty) in raw "
			   "mode, saving its state",
		.fn = verb_open_raw,
		.result_doc = "{fd: int, saved: bytes} (give both back to "
			      "tty.restore)",
	},
	{
		.name = "tty.restore",
		.summary = "Put a saved terminal state back and close the "
			   "descriptor (again: no-op)",
		LINX_PARAMS(restore_params),
		/* TCSADRAIN waits for queued output to be sent. */
		.flags = LINX_VERB_BLOCKING,
		.fn = verb_restore,
		.result_doc = "nil",
	},
	{
		.name = "tty.window_size",
		.summary = "A terminal's window size (TIOCGWINSZ)",
		LINX_PARAMS(fd_params),
		.fn = verb_window_size,
		.result_doc = "{rows, cols, xpixel, ypixel}",
	},
	{
		.name = "tty.set_window_size",
		.summary = "Set a terminal's window size (TIOCSWINSZ; its "
			   "foreground group gets SIGWINCH)",
		LINX_PARAMS(set_ws_params),
		.fn = verb_set_window_size,
		.result_doc = "nil",
	},
	{
		.name = "tty.set_nonblock",
		.summary = "Set or clear O_NONBLOCK on a descriptor's open "
			   "file description",
		LINX_PARAMS(nonblock_params),
		.fn = verb_set_nonblock,
		.result_doc = "bool: whether it was set before",
	},
	{
		.name = "tty.detach_keys",
		.summary = "A detach sequence in docker's spelling, as bytes",
		LINX_PARAMS(keys_params),
		.fn = verb_detach_keys,
		.result_doc = "bytes (empty: detaching disabled)",
	},
};

LINX_PLUGIN_DEFINE(tty, "0.1.0", "terminals: raw mode, termios, window size",
		   NULL, NULL, verbs);
