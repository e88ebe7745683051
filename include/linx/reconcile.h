/* SPDX-License-Identifier: MIT */
/*
 * linx/reconcile.h - desired state for flat key/value subsystems, and the
 * report every reconciler returns.
 *
 * Reconcile is observe -> diff -> apply, one caller-driven pass at a time:
 * the library holds no state between passes.  What a reconciler needs to
 * remember - which keys it manages and what they held before it first
 * wrote them - is `last_applied`, returned in the report and handed back
 * by the caller on the next pass (a file, a process's memory, the Elixir
 * loop's state).  This header is the engine for subsystems whose state is
 * a flat map of independent knobs (sysctls, a cgroup's interface files);
 * ordered subsystems (rtnl, nf_tables) return the same report shape.
 *
 * ---- values ------------------------------------------------------------
 *
 *   desired       {KEY: VALUE}         VALUE: int, uint, string, or a list
 *                                      of ints; the subsystem renders it
 *   last_applied  {KEY: {"applied": VALUE, "original": STRING | nil}}
 *   op            {"op": "set", "key": KEY, "value": VALUE}
 *                 {"op": "revert", "key": KEY, "value": ORIGINAL}
 *                 {"op": "release", "key": KEY}
 *   report        {"converged": bool, "applied": [op], "failed":
 *                  [{"op": op, "error": ERROR}], "pending": [op],
 *                  "last_applied": last_applied}
 *   ERROR         {"errno": "enoent", "code": 2, "op": "write",
 *                  "message": ..., "param"?: ..., "object"?: ...}
 *
 * All of it is plain data: it serialises to JSON and back (linx call,
 * linx reconcile --state), so last_applied can cross processes.
 *
 * Ownership is three-way: a key that leaves `desired` but is still in
 * `last_applied` is released (left as it is, op "release") or, with
 * LINX_RECONCILE_REVERT_ON_RELEASE, written back to the value it had before
 * the reconciler first touched it (op "revert").  A key that merely exists
 * and was never desired is never touched.
 */
#ifndef LINX_RECONCILE_H
#define LINX_RECONCILE_H

#include <stdbool.h>
#include <stdint.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

/* Flags for the flat engine. */
/* Write the captured original back when a key leaves the desired set. */
#define LINX_RECONCILE_REVERT_ON_RELEASE 0x1u

/*
 * What a flat subsystem provides.  Every function gets `ctx`.
 *
 * render   the text `value` is written as and compared by, malloc'd into
 *          *ret (the caller frees); EINVAL naming "desired" for a value
 *          the key cannot take.  Called before anything is read or
 *          written, so a malformed desired state changes nothing.
 * same     does `observed` (what read returned) already hold `rendered`?
 *          NULL: linx_reconcile_same_text(), which a subsystem's own
 *          rule can also fall back to.
 * read     the key's current text, malloc'd into *ret; a failure makes the
 *          key "unobserved" (it is then written, and the write reports
 *          the real error).
 * write    write `rendered` to `key`.
 */
struct linx_reconcile_flat {
	int (*render)(void *ctx, const char *key, const struct linx_value *value,
		      char **ret, struct linx_error *err);
	bool (*same)(void *ctx, const char *key, const char *observed,
		     const char *rendered);
	int (*read)(void *ctx, const char *key, char **ret,
		    struct linx_error *err);
	int (*write)(void *ctx, const char *key, const char *rendered,
		     struct linx_error *err);
	void *ctx;
};

/*
 * The ops that converge `observed` ({KEY: STRING}, keys that could not be
 * read absent) on `desired`, given `last_applied` (NULL or nil: empty).
 * Pure: no read, no write.  Sets first, then releases and reverts, each
 * in key order, so the same inputs give the same list.  *ret_ops (a list)
 * is owned by the caller.  EINVAL naming "desired", "last_applied" or
 * "observed" for a malformed input.
 */
LINX_API int linx_reconcile_flat_diff(const struct linx_reconcile_flat *f,
				      const struct linx_value *observed,
				      const struct linx_value *desired,
				      const struct linx_value *last_applied,
				      uint32_t flags, struct linx_value *ret_ops,
				      struct linx_error *err);

/*
 * One pass: read every key of `desired` and `last_applied`, diff, and
 * apply every op best-effort (a failure is recorded in the report and the
 * rest still run; pending is always empty).  *ret_report is owned by the
 * caller.  Returns 0 whether or not ops failed - per-op failures are part
 * of the report - or EINVAL for malformed input, before anything is read.
 */
LINX_API int linx_reconcile_flat_pass(const struct linx_reconcile_flat *f,
				      const struct linx_value *desired,
				      const struct linx_value *last_applied,
				      uint32_t flags,
				      struct linx_value *ret_report,
				      struct linx_error *err);

/*
 * The engine's comparison: equal once runs of blanks (space, tab, newline,
 * CR, VT, FF) are one space and both ends are trimmed, so "4\t4\t1\t7\n"
 * holds "4 4 1 7".  Inline, so that a plugin's `same` can fall back to it
 * without a host service.
 */
static inline bool linx_reconcile_blank_(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static inline bool linx_reconcile_same_text(const char *observed,
					    const char *rendered)
{
	const char *a = observed, *b = rendered;

	for (;;) {
		while (linx_reconcile_blank_(*a))
			a++;
		while (linx_reconcile_blank_(*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		while (*a && !linx_reconcile_blank_(*a) && *a == *b)
			a++, b++;
		if ((*a && !linx_reconcile_blank_(*a)) ||
		    (*b && !linx_reconcile_blank_(*b)))
			return false;
	}
}

/*
 * The parameters every flat reconciler's verbs share, spelled once, as
 * initializers for a plugin's enum-indexed struct linx_param table
 * (linx/plugin.h): a reconcile verb takes desired, last_applied and
 * revert_on_release, a diff verb observed, desired, last_applied and
 * revert_on_release.  `doc` describes the map's form; `what` names one of
 * its keys ("key", "file").
 */
#define LINX_RECONCILE_PARAM_DESIRED(doc)                                      \
	{ "desired", LINX_TM_MAP, LINX_PARAM_REQUIRED, doc }
#define LINX_RECONCILE_PARAM_OBSERVED(doc)                                     \
	{ "observed", LINX_TM_MAP, LINX_PARAM_REQUIRED, doc }
#define LINX_RECONCILE_PARAM_LAST_APPLIED                                      \
	{ "last_applied", LINX_TM_MAP | LINX_TM_NIL, 0,                        \
	  "what the previous pass returned (default: none)" }
#define LINX_RECONCILE_PARAM_REVERT(what)                                      \
	{ "revert_on_release", LINX_TM_BOOL, 0,                                \
	  "write back the original of a " what " that leaves desired "        \
	  "(default false)" }
#define LINX_RECONCILE_PARAM_REVERT_OPS                                        \
	{ "revert_on_release", LINX_TM_BOOL, 0,                                \
	  "revert ops instead of release ops" }

/* The engine's flags from a verb's revert_on_release argument (absent:
 * false). */
static inline uint32_t linx_reconcile_flags(const struct linx_value *revert)
{
	return revert && revert->type == LINX_BOOL && revert->b
		       ? LINX_RECONCILE_REVERT_ON_RELEASE
		       : 0;
}

/* An error as the report carries it (see ERROR above).  *ret is owned by
 * the caller; never fails but for memory (then the value is poisoned).
 * Not linx_error_to_value()'s wire shape ({"errno": 2, "errno_name":
 * "enoent", "stage": ...}): the report's is documented with the errno
 * by name, as the CLI prints errors (docs/reconcile/README.md). */
LINX_API struct linx_value linx_reconcile_error_value(const struct linx_error *e);

LINX_END_DECLS

#endif /* LINX_RECONCILE_H */
