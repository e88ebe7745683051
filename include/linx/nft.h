/* SPDX-License-Identifier: MIT */
/*
 * linx/nft.h - nf_tables: the ruleset as a value, pushed and pulled
 * atomically, diffed, reconciled under the generation counter, watched.
 *
 * Rulesets, tables, chains, rules, sets, objects and flowtables are value
 * trees (linx/value.h) with the schema of docs/nft/schema.md; the same
 * shape goes through this API, the nft.* verbs, `linx nft` (JSON) and the
 * Elixir binding.
 *
 * Sockets.  A struct linx_nft is a NETLINK_NETFILTER socket opened inside
 * a network namespace and pinned there for its life (the caller's, a
 * process's, or a namespace file: struct linx_ns_target).  Calls on one
 * socket may come from several threads; they are serialised.  Tables
 * created with the owner flag belong to the socket: the kernel deletes
 * them when it closes.
 *
 * Errors.  Every function returns 0 (or a count) on success and a
 * negative errno on failure with `err` filled (may be NULL):
 *   - EINVAL, op "validate": the value is malformed; err->param holds the
 *     spec's tag (bad_chain, bad_rule, ...) and err->message the detail.
 *     Nothing was sent.
 *   - a kernel error: err->op is the message kind that failed ("newrule",
 *     "newset", ...) or the operation ("pull", "get_gen"), err->object
 *     the entity ("inet/fw/input#3"), err->extack and err->extack_offset
 *     the kernel's extended ACK.  A batch is all-or-nothing: nothing of
 *     it was applied.
 *   - EPERM/EACCES without CAP_NET_ADMIN in the socket's namespace owner;
 *     ERESTART from a reconcile push that kept losing the generation race
 *     (the last generation seen is in err->message).
 * Returned values are owned by the caller (linx_value_clear()).
 */
#ifndef LINX_NFT_H
#define LINX_NFT_H

#include <stdbool.h>
#include <stdint.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/ns.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

struct linx_nft;

/* Open a socket in `netns` (NULL: the caller's network namespace). */
LINX_API int linx_nft_open(const struct linx_ns_target *netns,
			   struct linx_nft **ret, struct linx_error *err);
/* Close it (owner tables go with it).  Accepts NULL. */
LINX_API void linx_nft_close(struct linx_nft *s);
/* True if a NETLINK_NETFILTER socket can be opened here (no privilege
 * check). */
LINX_API bool linx_nft_supported(void);

/* The ruleset generation: its id, and the pid and name of the process
 * that asked - the kernel fills them from the requesting task
 * (nf_tables_fill_gen_info()), whatever the spec says about the last
 * committer; a commit's own process is in the monitor's events. */
struct linx_nft_gen {
	uint32_t id;
	uint32_t proc_pid; /* 0 when the kernel did not say */
	char proc_name[32]; /* "" when the kernel did not say */
};
LINX_API int linx_nft_get_gen(struct linx_nft *s, struct linx_nft_gen *ret,
			      struct linx_error *err);

/* ---- values ------------------------------------------------------------ */

/* Check a ruleset value (schema and family rules) without the kernel. */
LINX_API int linx_nft_validate(const struct linx_value *ruleset,
			       struct linx_error *err);

/* ---- pull ---------------------------------------------------------------- */

/* What to pull: everything (all NULL), one table (family + table), or one
 * set's elements (family + table + set). */
struct linx_nft_scope {
	const char *family; /* "inet", ...; NULL = every family */
	const char *table;
	const char *set;
};
/* The ruleset (or, for a set scope, the set with its elements) into *ret.
 * `scope` may be NULL (everything).  Dumps are complete: an interrupted
 * dump is restarted.  ENOENT when a
 * scoped table or set does not exist.  `gen` (may be NULL) receives the
 * generation the ruleset was read at (read before and after: the pull is
 * retried when they differ). */
LINX_API int linx_nft_pull(struct linx_nft *s,
			   const struct linx_nft_scope *scope,
			   struct linx_value *ret, struct linx_nft_gen *gen,
			   struct linx_error *err);
/* The same, and the rules' counters and quotas and the stateful objects
 * read are zeroed in the same dumps (GETOBJ_RESET; GETRULE_RESET, which
 * needs Linux 6.2: EOPNOTSUPP before, after the objects were reset).
 * Not retried when another writer commits during it (a second dump would
 * zero what the first one read): `gen` is the generation after it. */
LINX_API int linx_nft_pull_reset(struct linx_nft *s,
				 const struct linx_nft_scope *scope,
				 struct linx_value *ret,
				 struct linx_nft_gen *gen,
				 struct linx_error *err);

/* ---- push ---------------------------------------------------------------- */

enum linx_nft_mode {
	LINX_NFT_REPLACE = 0, /* the named tables replaced in one batch */
	LINX_NFT_RECONCILE = 1, /* pull, diff, apply the patch (GENID) */
};

struct linx_nft_push_opts {
	enum linx_nft_mode mode;
	unsigned retries; /* reconcile: generation races retried; 0 = 3 */
};

/*
 * Push `ruleset`.  REPLACE: for each table, destroy it (silently when
 * absent) and create it whole, in one atomic batch; tables not named are
 * untouched.  RECONCILE: pull the named tables, diff, and apply only the
 * patch, guarded by the generation read with the pull; when another
 * writer commits in between, start again (at most `retries` times, with
 * backoff), then fail with ERESTART.  Foreign tables are never touched.
 * `report` (may be NULL) receives {"mode", "ops": n, "attempts": n,
 * "patch": PATCH (reconcile), "gen": id}.
 */
LINX_API int linx_nft_push(struct linx_nft *s, const struct linx_value *ruleset,
			   const struct linx_nft_push_opts *opts,
			   struct linx_value *report, struct linx_error *err);

/* ---- diff and patch ------------------------------------------------------ */

/*
 * The patch turning `from` (a pulled ruleset: rules carry handles) into
 * `to`, scoped to the tables of `to`: {"ops": [OP, ...]} in the canonical
 * order (docs/nft/patch.md).  Rules are matched by tag, else by position;
 * a changed tagged rule is replaced in place.  EINVAL (tag_required) when
 * a chain of `to` with more than one rule has an untagged rule and the
 * chain differs.
 */
LINX_API int linx_nft_diff(const struct linx_value *from,
			   const struct linx_value *to,
			   struct linx_value *patch, struct linx_error *err);
/* Apply a patch in one batch; `genid` (may be NULL) guards it. */
LINX_API int linx_nft_apply(struct linx_nft *s, const struct linx_value *patch,
			    const uint32_t *genid, struct linx_error *err);

/* ---- single objects -------------------------------------------------------- */

/* Create an empty table.  `flags` are table flags; pass "owner" (the
 * default of the verb) to tie it to this socket.  EEXIST if present. */
LINX_API int linx_nft_create_table(struct linx_nft *s, const char *family,
				   const char *name,
				   const struct linx_value *flags,
				   struct linx_error *err);
/*
 * Delete one object: `what` is {"family", "table"} plus one of "chain",
 * "set", "object" (+ "kind"), "flowtable", or "chain" + "handle" for a
 * rule.  A table alone deletes the table.  ENOENT when absent.
 */
LINX_API int linx_nft_delete(struct linx_nft *s, const struct linx_value *what,
			     struct linx_error *err);
/* Add (add = true) or delete elements of an existing set, leaving the
 * rest alone.  The set's declaration is read from the kernel to encode
 * the keys. */
LINX_API int linx_nft_set_elements(struct linx_nft *s, bool add,
				   const char *family, const char *table,
				   const char *set,
				   const struct linx_value *elements,
				   struct linx_error *err);

/* ---- monitor ------------------------------------------------------------- */

struct linx_nft_monitor;

struct linx_nft_monitor_opts {
	int rcvbuf; /* socket receive buffer; 0 = 4 MiB */
	uint32_t since_gen; /* drop events of generations <= this; 0 = none */
};

/*
 * Subscribe to NFNLGRP_NFTABLES in `netns` (NULL: the caller's; opts may
 * be NULL).  Events come out grouped by the generation that committed
 * them: the kernel sends a commit's notifications and then its NEWGEN, so
 * events are held until that NEWGEN and then delivered stamped with its
 * id, pid and name, followed by a "new_gen" event.  Two sockets are
 * opened: the subscribed one, and one that asks the kernel for the
 * declaration of a set whose elements change (docs/nft/monitor.md).
 * *ret is owned by the caller (linx_nft_monitor_close()).
 */
LINX_API int linx_nft_monitor_open(const struct linx_ns_target *netns,
				   const struct linx_nft_monitor_opts *opts,
				   struct linx_nft_monitor **ret,
				   struct linx_error *err);
/* The fd to poll for POLLIN (-EINVAL for NULL).  Readable does not
 * always mean an event: a commit in progress is held. */
LINX_API int linx_nft_monitor_fd(const struct linx_nft_monitor *m);
/*
 * The next event into *ret (owned by the caller): {"op": "new_rule",
 * "gen": id, "proc_pid", "proc_name", "family", "table", "chain", "set",
 * "entity": VALUE} (chain and set where the kind has them; "anonymous":
 * true on an anonymous set), {"op": "new_gen", ..., "entity": {"id",
 * "proc_pid", "proc_name"}} closing each commit, {"op": "unknown",
 * "type": n, ...} for a message type not modelled, or {"op": "resync"}
 * after the kernel dropped notifications (ENOBUFS): pull again.
 * Returns 1 with an event, 0 when none is ready (never blocks; call
 * until 0 before polling again), or -errno.
 */
LINX_API int linx_nft_monitor_next(struct linx_nft_monitor *m,
				   struct linx_value *ret,
				   struct linx_error *err);
/* From now on drop events of generations <= gen, those already held
 * included (the snapshot-and-tail recipe: open, pull, set the pulled
 * generation).  0, or -EINVAL for NULL. */
LINX_API int linx_nft_monitor_set_min_gen(struct linx_nft_monitor *m,
					  uint32_t gen);
/* Close both sockets and free what is held.  Accepts NULL. */
LINX_API void linx_nft_monitor_close(struct linx_nft_monitor *m);

/* ---- NFLOG --------------------------------------------------------------- */

struct linx_nft_log;

enum linx_nft_copy {
	LINX_NFT_COPY_NONE = 0,
	LINX_NFT_COPY_META = 1,
	LINX_NFT_COPY_PACKET = 2,
};

struct linx_nft_log_opts {
	uint16_t group; /* 1..65535, required */
	enum linx_nft_copy copy; /* default META */
	uint32_t snaplen; /* PACKET: bytes of payload copied; 0 = 0xffff */
	uint32_t qthreshold; /* 1..1024; 0 = 1 */
	uint32_t timeout_ms; /* flush timeout; 0 = none */
	uint16_t flags; /* NFULNL_CFG_F_* */
	int rcvbuf; /* 0 = 4 MiB */
	/* Families bound (NFPROTO_*); n_families 0 = ipv4 and ipv6. */
	uint8_t families[4];
	unsigned n_families;
};

/*
 * Bind NFLOG group opts->group in `netns` (NULL: the caller's):
 * NFULNL_CFG_CMD_PF_BIND per family, then one config message with
 * CMD_BIND, the copy mode and range, timeout, queue threshold and flags.
 * Options are checked first (EINVAL, err->param names the option).
 * EBUSY when the group is bound by another socket in that namespace.
 * *ret is owned by the caller (linx_nft_log_close()).  docs/nft/log.md.
 */
LINX_API int linx_nft_log_open(const struct linx_ns_target *netns,
			       const struct linx_nft_log_opts *opts,
			       struct linx_nft_log **ret,
			       struct linx_error *err);
/* The fd to poll for POLLIN (-EINVAL for NULL). */
LINX_API int linx_nft_log_fd(const struct linx_nft_log *l);
/*
 * The next packet event (owned by the caller): {"group", "prefix",
 * "hook", "hook_name", "family", "hw_protocol", "mark", "indev",
 * "outdev", "physindev", "physoutdev", "hwaddr", "hwtype", "hwlen",
 * "hwheader", "l2hdr", "vlan", "ct", "ct_info", "uid", "gid", "seq",
 * "seq_global", "timestamp": {"sec", "usec"}, "payload": bytes}, only
 * the fields the kernel sent (interfaces as indexes: their names belong
 * to the packet's namespace); or {"op": "resync", "group"} after an
 * overflow lost packets.  1, 0 (none ready; never blocks) or -errno.
 */
LINX_API int linx_nft_log_next(struct linx_nft_log *l, struct linx_value *ret,
			       struct linx_error *err);
/* Unbind the group and close. Accepts NULL. */
LINX_API void linx_nft_log_close(struct linx_nft_log *l);

/* ---- the nftables language (plugins/nft/lang-*.c, docs/nft/lang.md) ------ */

/* Options of linx_nft_parse(); all may be zero. */
struct linx_nft_parse_opts {
	const char *file;     /* name in errors ("nofile"); includes are
			       * relative to its directory */
	const char *root_dir; /* includes must stay under it; NULL: no
			       * include allowed (linx_nft_parse_file():
			       * the file's directory) */
	unsigned max_include_depth; /* 0 = 16 */
	/* Values for `$name` holes that no `define` gave: a map of name to
	 * integer, string (address, interface name) or bytes.  A hole
	 * without a value stays in the ruleset as {"hole": NAME, "type":
	 * T} in place of a cmp's data; linx_nft_fill_holes() fills it. */
	const struct linx_value *values;
	/* Refuse a `$name` that neither a define nor `values` gives, at its
	 * place, as nft does ("unknown identifier"), instead of leaving a
	 * hole. `linx nft` turns it on but for `format`. */
	bool no_holes;
	/* Refuse a rule whose jump or goto chain, looked-up set or map, or
	 * named object (counter, quota, limit, ct helper) is not in its
	 * table once the whole input is read: what the kernel refuses with
	 * ENOENT, said at the reference, as `nft -c` refuses it. Off by
	 * default: a fragment may refer to what another part of a ruleset
	 * declares. `linx nft` turns it on. */
	bool check_refs;
	/* Where interface names (`iif "eth0"`, `oif`) become indexes: the
	 * network namespace the ruleset is for (borrowed).  NULL: the
	 * caller's, as nft resolves them in its own. */
	const struct linx_ns_target *netns;
};

/* A syntax or compile error at a place in the text (the spec's
 * ParseError).  line and column are 1-based; snippet is the source line. */
struct linx_nft_parse_error {
	char file[256];
	uint32_t line;
	uint32_t column;
	char message[256];
	char snippet[256];
};

/*
 * Parse nftables text into a ruleset value (docs/nft/schema.md).  On a
 * syntax or compile error returns -EINVAL with *perr (may be NULL) filled
 * and err->op "parse", err->message "file:line:col: message"; other
 * errors: -ENOMEM, -ENOENT/-EACCES (an include), -ELOOP (include depth).
 * *ruleset is nil on failure.
 */
LINX_API int linx_nft_parse(const char *text, size_t len,
			    const struct linx_nft_parse_opts *opts,
			    struct linx_value *ruleset,
			    struct linx_nft_parse_error *perr,
			    struct linx_error *err);
/* Read `path` and parse it (opts->file defaults to `path`). */
LINX_API int linx_nft_parse_file(const char *path,
				 const struct linx_nft_parse_opts *opts,
				 struct linx_value *ruleset,
				 struct linx_nft_parse_error *perr,
				 struct linx_error *err);
/* "file:line:col: message\n|\n| source line\n|     ^\n" into buf (always
 * NUL-terminated); returns the length it needed. */
LINX_API size_t linx_nft_parse_error_format(
	const struct linx_nft_parse_error *perr, char *buf, size_t size);

/*
 * A ruleset value as canonical nftables text (the spec's layout).  What
 * cannot be rendered becomes a `# <unsupported ...>` comment line, so
 * the text stays loadable.  *text is malloc'd, NUL-terminated; *len (may
 * be NULL) its length.  -EINVAL when `ruleset` is not a ruleset map.
 */
LINX_API int linx_nft_format(const struct linx_value *ruleset, char **text,
			     size_t *len, struct linx_error *err);

/* Options of linx_nft_format_with(); zero-initialise. */
struct linx_nft_format_opts {
	/* The network namespace the ruleset is from (borrowed): interface
	 * indexes (`iif`, `oif`, `fib ... oif`, `fwd to`, `dup ...
	 * device`, iface_index elements) are written as the names they
	 * have there, quoted, as nft lists them; an index with no
	 * interface stays a number.  NULL: every index is a number (the
	 * ruleset may be for another host). */
	const struct linx_ns_target *netns;
};

/* linx_nft_format() with options (NULL: none).  Also fails with the
 * errno of entering opts->netns. */
LINX_API int linx_nft_format_with(const struct linx_value *ruleset,
				  const struct linx_nft_format_opts *opts,
				  char **text, size_t *len,
				  struct linx_error *err);

/* Fill the holes of a parsed ruleset from `values` (name -> value) into
 * *ret; EINVAL (param "hole") naming a missing or mistyped value. */
LINX_API int linx_nft_fill_holes(const struct linx_value *ruleset,
				 const struct linx_value *values,
				 struct linx_value *ret,
				 struct linx_error *err);

LINX_END_DECLS

#endif /* LINX_NFT_H */
