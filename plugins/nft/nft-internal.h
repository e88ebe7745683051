/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the nft plugin's files; not installed.
 *
 * The plugin speaks nf_tables over NETLINK_NETFILTER with its own
 * table-driven codec on libmnl and the shared netlink engine
 * (lib/netlink): messages are built straight from value trees into one
 * batch buffer and parsed with validated attribute tables, so a pull of
 * 100,000 elements allocates values, not an object model, and an
 * expression the codec does not model still round-trips (raw).  libnftnl
 * supplies the userdata TLV layout nftables uses for comments.  See
 * docs/nft/README.md and docs/nft/schema.md (the value schema).
 *
 * Layout:
 *   wire.c      message buffer, attribute writers, nfgenmsg
 *   names.c     symbol tables: families, hooks, priorities, verdicts,...
 *   data.c      typed data: set key/data types <-> bytes, verdicts
 *   expr.c      expressions <-> NFTA_EXPR_* (table-driven)
 *   table.c chain.c rule.c set.c object.c flowtable.c
 *               one encoder, decoder and validator per object kind
 *   socket.c    sockets in a netns, batches, dumps, get_gen
 *   pull.c push.c diff.c   the ruleset operations
 *   monitor.c log.c        NFNLGRP_NFTABLES events and NFLOG
 *   verbs.c     the verb adapters
 */
#ifndef LINX_NFT_INTERNAL_H
#define LINX_NFT_INTERNAL_H

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/nft.h>
#include <linx/plugin.h>

#include "linx-nl.h"

#define NFT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- symbol tables (names.c) -------------------------------------------- */

/* One name <-> number pair; tables end with { NULL, 0 }. */
struct nft_sym {
	const char *name;
	int64_t val;
};

/* The number of `name`, or false. */
bool nft_sym_val(const struct nft_sym *t, const char *name, int64_t *ret);
/* The name of `val`, or NULL. */
const char *nft_sym_name(const struct nft_sym *t, int64_t val);

/* Read a flag list value (list of strings) into a bit mask using a table
 * of single-bit values.  -EINVAL with err naming `what` and the bad
 * entry. */
int nft_flags_from_value(const struct nft_sym *t, const struct linx_value *v,
			 const char *what, uint32_t *ret, struct linx_error *err);
/* Build the list of names of the bits of `mask`; bits without a name
 * come out as integers (so nothing is lost). */
int nft_flags_to_value(const struct nft_sym *t, uint32_t mask,
		       struct linx_value *ret);

extern const struct nft_sym nft_families[]; /* ip ip6 inet arp bridge netdev */
extern const struct nft_sym nft_table_flags[]; /* dormant owner persist */
extern const struct nft_sym nft_chain_types[]; /* filter nat route (strings) */
extern const struct nft_sym nft_chain_flags[]; /* hw_offload (base, binding) */
extern const struct nft_sym nft_verdicts[]; /* accept drop continue ... */

/*
 * A set of borrowed strings, for duplicate checks over lists that may
 * hold 10,000 rules (a pairwise check is quadratic): open addressing on
 * a power-of-two table sized for `n` at init.  The strings must outlive
 * the set.  nft_strset_add: 1 added, 0 already there, -ENOMEM.
 */
struct nft_strset {
	const char **slot;
	uint32_t *val;
	size_t mask;
};

int nft_strset_init(struct nft_strset *s, size_t n);
int nft_strset_add(struct nft_strset *s, const char *str);
/* With a value: nft_strset_put keeps the first value of a string. */
int nft_strset_put(struct nft_strset *s, const char *str, uint32_t val);
bool nft_strset_get(const struct nft_strset *s, const char *str,
		    uint32_t *val);
void nft_strset_fini(struct nft_strset *s);

/* Hooks and named priorities depend on the family. */
bool nft_hook_num(uint8_t family, const char *name, uint32_t *ret);
const char *nft_hook_name(uint8_t family, uint32_t num);
bool nft_priority_num(uint8_t family, const char *name, int32_t *ret);
/* Whether nft takes priority `name` in `hook` of `family` (names.c). */
bool nft_priority_fits_hook(uint8_t family, const char *name,
			    const char *hook);

/* ---- message building (wire.c) ------------------------------------------- */

/*
 * A growable buffer of netlink messages.  Writers never fail: the first
 * failure (-ENOMEM, or -EMSGSIZE when a message or an attribute outgrows
 * its 16- or 32-bit length) is kept in `error` and every later write is a
 * no-op, so an encoder checks once at the end.  Positions are offsets,
 * because the buffer moves when it grows.
 */
struct nft_msgbuf {
	char *data;
	size_t len, cap;
	int error; /* 0 or the first -errno */
	uint32_t count; /* messages started */
};

void nft_msgbuf_init(struct nft_msgbuf *b);
void nft_msgbuf_fini(struct nft_msgbuf *b);
void nft_msgbuf_reset(struct nft_msgbuf *b); /* keep the memory */

/* Start a message: nlmsghdr {type, flags | NLM_F_REQUEST, seq} and the
 * nfgenmsg {family, NFNETLINK_V0, res_id (host order in, BE out)}.
 * `type` is the full nlmsg_type (NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_x,
 * or NFNL_MSG_BATCH_*). Returns the message's offset. */
size_t nft_msg_begin(struct nft_msgbuf *b, uint16_t type, uint16_t flags,
		     uint32_t seq, uint8_t family, uint16_t res_id);
/* Close the message started at `off`: sets nlmsg_len. */
void nft_msg_end(struct nft_msgbuf *b, size_t off);
/* The message at `off` (valid until the next write). */
static inline struct nlmsghdr *nft_msg_at(struct nft_msgbuf *b, size_t off)
{
	return (struct nlmsghdr *)(b->data + off);
}

/* Attribute writers: integers are written big-endian (nf_tables' rule,
 * unlike rtnetlink), strings with their NUL. */
void nft_put(struct nft_msgbuf *b, uint16_t type, const void *data,
	     size_t len);
void nft_put_u8(struct nft_msgbuf *b, uint16_t type, uint8_t v);
void nft_put_be16(struct nft_msgbuf *b, uint16_t type, uint16_t v);
void nft_put_be32(struct nft_msgbuf *b, uint16_t type, uint32_t v);
void nft_put_be64(struct nft_msgbuf *b, uint16_t type, uint64_t v);
void nft_put_strz(struct nft_msgbuf *b, uint16_t type, const char *s);
/* Nests: begin returns the offset to hand to end (NLA_F_NESTED set). */
size_t nft_nest_begin(struct nft_msgbuf *b, uint16_t type);
void nft_nest_end(struct nft_msgbuf *b, size_t off);

/* Message type helpers. */
#define NFT_TYPE(msg) ((uint16_t)((NFNL_SUBSYS_NFTABLES << 8) | (msg)))

/* ---- value helpers (value.c) --------------------------------------------- */

/* Typed readers of a map field with a clear error naming `what`.  A
 * missing (or nil) optional field leaves *ret untouched and returns 0
 * with *has false (has may be NULL for required fields: then missing is
 * an error).  Errors are -EINVAL with `err` set through
 * nft_bad(). */
int nft_get_str(const struct linx_value *map, const char *key,
		const char *what, bool *has, const char **ret,
		struct linx_error *err);
int nft_get_u64(const struct linx_value *map, const char *key, uint64_t max,
		const char *what, bool *has, uint64_t *ret,
		struct linx_error *err);
int nft_get_i64(const struct linx_value *map, const char *key, int64_t min,
		int64_t max, const char *what, bool *has, int64_t *ret,
		struct linx_error *err);
int nft_get_bool(const struct linx_value *map, const char *key,
		 const char *what, bool *ret, struct linx_error *err);
/* A list field (missing -> *ret NULL, 0). */
int nft_get_list(const struct linx_value *map, const char *key,
		 const char *what, const struct linx_value **ret,
		 struct linx_error *err);

/*
 * The value-level error shape: EINVAL, op "validate", and a message
 * "<kind>: <detail>" where kind is the spec's tuple tag (bad_table,
 * bad_chain, bad_rule, bad_set, bad_set_element, bad_map,
 * bad_map_element, bad_object, bad_flowtable, bad_verdict, bad_expr,
 * no_such_table, ...), recorded in err->param as well so bindings can
 * rebuild `{:bad_chain, detail}` without parsing text.  `object` names
 * the entity ("inet/fw/input").  Returns -EINVAL.
 */
int nft_bad(struct linx_error *err, const char *kind, const char *object,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- comments in userdata (udata.c) -------------------------------------- */

/* Comments are nftables' userdata TLVs (libnftnl/udata.h); `type` is the
 * kind's NFTNL_UDATA_*_COMMENT.  Longer than nft accepts: bad_<what>. */
int nft_comment_check(const char *comment, const char *what,
		      const char *object, struct linx_error *err);
void nft_put_comment(struct nft_msgbuf *b, uint16_t attr, uint8_t type,
		     const char *comment);
/* The comment in a userdata attribute (NULL: none) into out; false when
 * there is none (or the TLVs are malformed). */
bool nft_comment_parse(const struct nlattr *a, uint8_t type, char *out,
		       size_t cap);

/* ---- a set's typeof selectors in userdata (typeof.c) ---------------------- */

struct nftnl_udata_buf;
struct nft_keytype;
/* Whether `v` (key_typeof or data_typeof: "ip saddr", a list of those for
 * a concatenation, or "verdict") fits the set's type `kt`; on -EINVAL
 * *why says what is wrong. */
int nft_typeof_check(const struct linx_value *v, const struct nft_keytype *kt,
		     const char **why);
/* The byte order nftables writes for a set key (or map data) of one byte
 * whose typeof is the lone selector `v`: it takes it from the expression
 * where the type has none (`typeof ip ttl` network order, `typeof meta
 * l4proto` host order). False when `v` is no lone selector. */
bool nft_typeof_one_byte_host(const struct linx_value *v, bool *ret_host);
/* Append `v` (checked) as the userdata TLV `type`: 0 or -EMSGSIZE. */
int nft_typeof_put(struct nftnl_udata_buf *u, uint8_t type,
		   const struct linx_value *v);
/* The selectors of the userdata TLV value b[0..n), when they are ones we
 * know and match `kt`; the caller owns *ret (nil when false).  A
 * concatenation's integer components take the selectors' widths (`ip
 * ttl` is integer/8 in a 4-byte slot), which nftables' sets keep only
 * here; kt is changed only when true is returned. */
bool nft_typeof_parse(const uint8_t *b, size_t n, struct nft_keytype *kt,
		      struct linx_value *ret);

/* ---- typed data (data.c) ------------------------------------------------- */

/*
 * A data type of set keys, map data and typed comparisons: how a value
 * becomes bytes in a register.  `id` is nftables' datatype number
 * (src/datatype.h, stored in NFTA_SET_KEY_TYPE so `nft list` prints the
 * set the way we declared it), `len` the register length in bytes.
 */
struct nft_type {
	const char *name; /* "ipv4_addr", "inet_service", ... */
	uint32_t id;
	uint32_t len;
	bool host_order; /* mark, iface_index: host-endian registers */
};

const struct nft_type *nft_type_by_name(const char *name);
const struct nft_type *nft_type_by_id(uint32_t id);

/*
 * A set's key (or data) type as declared: one type or a concatenation.
 * Concatenated keys put each component in its own 4-byte aligned slot
 * and the declared type id is the nftables concat encoding
 * (id0 << 6*(n-1) | ...), len the sum of the aligned lengths.
 */
#define NFT_CONCAT_MAX 8
struct nft_keytype {
	unsigned n; /* 1 = plain, >1 = concatenation */
	const struct nft_type *t[NFT_CONCAT_MAX];
	uint32_t id, len; /* as sent in NFTA_SET_KEY_TYPE / _KEY_LEN */
	bool verdict; /* data type "verdict" (vmaps): n = 0 */
	/* Object maps: data type "counter", "quota", ... (NFT_OBJECT_*,
	 * NFTA_SET_OBJ_TYPE); n = 0.  Their data is the object's name. */
	uint32_t object;
};

/* The NFT_OBJECT_* number of an object kind name ("counter"), and back
 * (object.c); 0 / NULL when unknown. */
uint32_t nft_object_type(const char *kind);
const char *nft_object_kind(uint32_t type);

/* Parse a key_type value (string, or list of strings for a concat);
 * with allow_verdict (data types) also "verdict" and object kinds. */
int nft_keytype_from_value(const struct linx_value *v, bool allow_verdict,
			   const char *what, struct nft_keytype *ret,
			   struct linx_error *err);
/* Rebuild a key type from the kernel's id and length (unknown ids give
 * an "integer" of that length, so nothing is lost); fields[] are the
 * components' lengths from NFTA_SET_DESC_CONCAT, if the set has them
 * (nfields 0 if not), which the widths of integer components need. */
int nft_keytype_from_wire(uint32_t id, uint32_t len, const uint32_t *fields,
			  unsigned nfields, struct nft_keytype *ret);
/* A plain integer key type made its host-order twin ("host_integer/N"):
 * what a set nftables marked with host byte order holds. */
void nft_keytype_host_integer(struct nft_keytype *kt);
int nft_keytype_to_value(const struct nft_keytype *kt, struct linx_value *ret);
/* Whether a key_type value is a concatenation with an "integer/N" or
 * "host_integer/N" component, whose width only a typeof says to nft. */
bool nft_keytype_value_has_integer(const struct linx_value *v);
/* Whether a concatenation has a host-order integer component: nftables
 * keys it as a plain integer and the byte order is then only in the
 * typeof selector (ct zone, meta cpu), which such a set must have. */
bool nft_keytype_has_host_integer(const struct nft_keytype *kt);

/* One element key (or data) value -> bytes (`out` holds up to 64 bytes,
 * NFT_DATA_VALUE_MAXLEN), and back.  For interval sets a key may be a
 * prefix "10.0.0.0/8" or a range {"range": [lo, hi]}: then `end` gets the
 * last value of the interval (and *is_interval true). */
int nft_data_from_value(const struct nft_keytype *kt, const struct linx_value *v,
			uint8_t *out, uint32_t *len, uint8_t *end,
			bool *is_interval, const char *what,
			struct linx_error *err);
int nft_data_to_value(const struct nft_keytype *kt, const uint8_t *data,
		      uint32_t len, struct linx_value *ret);

/* Interval sets hold host-order components (mark, iface_index)
 * big-endian, as nftables writes them, so the kernel's interval tree
 * orders them numerically: swap those components of a key in place
 * (the same call converts both ways). */
void nft_data_interval_order(const struct nft_keytype *kt, uint8_t *data);
/* The interval [lo, hi] (kt->len bytes each, register order) as a key
 * value: the single key when lo == hi, an address prefix "a/n" where it
 * is one, else {"range": [lo, hi]}; per component for a concatenation. */
int nft_interval_to_value(const struct nft_keytype *kt, const uint8_t *lo,
			  const uint8_t *hi, struct linx_value *ret);

/* Verdicts: "accept", "drop", "continue", "return", {"jump": chain},
 * {"goto": chain}, {"queue": n}.  Written as NFTA_DATA_VERDICT nested in
 * attribute `type`; read back from such a nest. */
int nft_verdict_put(struct nft_msgbuf *b, uint16_t type,
		    const struct linx_value *v, struct linx_error *err);
int nft_verdict_parse(const struct nlattr *nest, struct linx_value *ret);
/* Validate a verdict value without writing it (bad_verdict). */
int nft_verdict_check(const struct linx_value *v, struct linx_error *err);

/* ---- encoding context ---------------------------------------------------- */

/*
 * What a message's failure maps back to: the batch index is the message's
 * position, `op` the spec's operation name ("newrule"), `object` the
 * entity ("inet/fw/input#3", "inet/fw/set blocklist").
 */
struct nft_origin {
	const char *op;
	char object[96];
};

/*
 * One batch being built: the messages (NFNL_MSG_BATCH_BEGIN at index 0)
 * and, per message, where it came from.  Sequence numbers are assigned
 * when the batch is sent (base + index).
 */
struct nft_batch {
	struct nft_msgbuf buf;
	struct nft_origin *origins;
	size_t n, cap; /* messages, BEGIN and END included */
	uint32_t next_set_id; /* NFTA_SET_ID of the batch's new sets */
	uint32_t genid; /* NFNL_BATCH_GENID, 0 = none */
	bool has_genid;
	int error; /* sticky, as nft_msgbuf */
	/* Optional: NLM_F_ECHO on BEGIN and on every NEWRULE, and each
	 * echoed message (NEWRULE, NEWGEN) through `echo` as it arrives,
	 * before the acknowledgements (`cut`: truncated, header only). */
	int (*echo)(void *arg, const struct nlmsghdr *nlh, bool cut);
	void *echo_arg;
};

void nft_batch_init(struct nft_batch *bt);
void nft_batch_fini(struct nft_batch *bt);
/* Start message number bt->n with the given identity (printf). */
size_t nft_batch_msg(struct nft_batch *bt, uint16_t msg, uint16_t flags,
		     uint8_t family, const char *op, const char *objfmt, ...)
	__attribute__((format(printf, 6, 7)));

/* The encoder's view of the table a rule or set lives in. */
struct nft_enc {
	struct nft_batch *bt;
	uint8_t family;
	const char *table;
	const char *chain; /* rules only */
	unsigned rule_index; /* rules only: position in the chain value */
	bool has_position; /* rules only: NFTA_RULE_POSITION = position */
	bool no_exprs; /* nft_rule_check: leave the expressions out */
	uint64_t position;
	/* The table's value (for a lookup's set, a named object), may be
	 * NULL when encoding a lone message. */
	const struct linx_value *table_v;
	/* Anonymous set names.  NULL: nftables' templates ("__set%d"), the
	 * kernel numbers the set.  Else the next free number per template
	 * (__set, __map, __objmap): the table is created whole in this
	 * batch, so the encoder knows which numbers are free, and a set
	 * with its number spelled out spares the kernel a scan of the
	 * table's sets per new set and a walk of the batch per lookup
	 * (nft_table_put_all(); docs/nft/performance.md). */
	uint32_t *anon_next; /* [NFT_ANON_TEMPLATES] */
	struct linx_error *err;
};

#define NFT_ANON_TEMPLATES 3

/* An anonymous set emitted before its rule: its batch NFTA_SET_ID and
 * the name it was sent under (a template or a spelled-out number). */
struct nft_anon {
	uint32_t id;
	char name[24];
};

/* ---- expressions (expr.c) ------------------------------------------------ */

/*
 * Check one rule's expression list (values, before any message):
 * known names, fields, registers, lengths; bad_expr / bad_verdict.
 * Verdict sugar ("accept", {"jump": "c"}) is accepted in place of an
 * immediate.
 */
int nft_exprs_check(const struct nft_enc *e, const struct linx_value *exprs);

/*
 * Before a rule message: emit the anonymous sets its set_literal
 * expressions need (NEWSET with NFT_SET_F_ANONYMOUS|CONSTANT and the
 * elements), recording each set's id and name in order in anons[] (at
 * most max).  Returns how many, or -errno.
 */
int nft_exprs_emit_anon_sets(struct nft_enc *e, const struct linx_value *exprs,
			     struct nft_anon *anons, size_t max);
/* Write NFTA_RULE_EXPRESSIONS for `exprs` into the current message;
 * `anons` are the sets from nft_exprs_emit_anon_sets(). */
int nft_exprs_put(struct nft_enc *e, const struct linx_value *exprs,
		  const struct nft_anon *anons, size_t n_anons);

/* The decoder's view: anonymous sets of the table, by name, so a lookup
 * of "__set3" comes back as the set_literal it was built from. */
struct nft_dec {
	uint8_t family; /* of the rule (nft_rule_parse() fills it) */
	const char *table; /* of the rule (nft_rule_parse() fills it) */
	/* Returns the anonymous set `name` of d->table (a set value with
	 * key_type and elements) or NULL; may be NULL itself. */
	const struct linx_value *(*anon_set)(const struct nft_dec *d,
					     const char *name);
	void *arg;
};

/* Decode NFTA_RULE_EXPRESSIONS into a list of expression values.
 * Unknown expressions come back as {"expr": name, "raw": bytes}. */
int nft_exprs_parse(const struct nft_dec *d, const struct nlattr *list,
		    struct linx_value *ret);

/*
 * A set's or an element's expressions (set.c checks which kinds): one
 * goes in `attr_one` (NFTA_SET_EXPR, NFTA_SET_ELEM_EXPR), several in a
 * list under `attr_list` (NFTA_SET_EXPRESSIONS, ...), as libnftnl writes
 * them; with `b` NULL only checked.  Errors are bad_expr, "expression
 * N: ...", for the caller to restate.
 */
int nft_set_exprs_put(struct nft_msgbuf *b, const struct linx_value *exprs,
		      uint16_t attr_one, uint16_t attr_list,
		      struct linx_error *err);
/* The list of expression values of a single expression attribute
 * (`one`) or of a list of them (`list`, preferred when both). */
int nft_set_exprs_parse(const struct nlattr *one, const struct nlattr *list,
			struct linx_value *ret);

/* ---- object kinds (table.c chain.c rule.c set.c object.c flowtable.c) ---- */

/* Validators: the value-level checks of one entity (and its children);
 * `family` from the enclosing table.  NFT_CHECK_NO_EXPRS leaves rules'
 * expression lists to the encoder (a reconcile pass encodes only the
 * rules it sends, and those checks run there, before the batch). */
#define NFT_CHECK_NO_EXPRS 1u
/* ... and named sets' elements to theirs. */
#define NFT_CHECK_NO_ELEMS 2u
/* Both: a push encodes everything before it sends anything. */
#define NFT_CHECK_ENCODER (NFT_CHECK_NO_EXPRS | NFT_CHECK_NO_ELEMS)
int nft_validate(const struct linx_value *ruleset, unsigned flags,
		 struct linx_error *err);
int nft_table_check(const struct linx_value *t, uint8_t *family,
		    unsigned flags, struct linx_error *err);
int nft_chain_check(uint8_t family, const char *table,
		    const struct linx_value *c, unsigned flags,
		    struct linx_error *err);
int nft_set_check(uint8_t family, const char *table,
		  const struct linx_value *s, unsigned check,
		  struct linx_error *err);
int nft_object_check(uint8_t family, const char *table,
		     const struct linx_value *o, struct linx_error *err);
int nft_flowtable_check(uint8_t family, const char *table,
			const struct linx_value *f, struct linx_error *err);

/* Shared checks: "family" of a map, and a "name" of 1..max-1 bytes. */
int nft_family_from_value(const struct linx_value *map, const char *what,
			  uint8_t *ret, struct linx_error *err);
int nft_name_check(const struct linx_value *map, const char *what,
		   size_t max, const char **ret, struct linx_error *err);

/* A chain priority value (integer, name, "name+N", {name, offset}). */
int nft_priority_from_value(uint8_t family, const struct linx_value *v,
			    const char *what, const char *object,
			    int32_t *ret, struct linx_error *err);
/* One rule's value-level checks (exprs, tag, comment); `object` names
 * its chain. */
int nft_rule_check(const struct nft_enc *e, const char *object,
		   const struct linx_value *r);
/* DELRULE by handle. */
void nft_rule_put_delete(struct nft_batch *bt, uint8_t family,
			 const char *table, const char *chain, uint64_t handle);
/* A message naming one chain (DELCHAIN). */
void nft_chain_put_ref(struct nft_batch *bt, uint16_t msg, uint8_t family,
		       const char *table, const char *chain);

/* A message naming only a table (NEWTABLE / DELTABLE). */
void nft_table_put_ref(struct nft_batch *bt, uint16_t msg, uint16_t flags,
		       uint8_t family, const char *table);

/* Encoders: append the NEW message(s) of one entity to the batch.
 * `flags` adds NLM_F_* (NLM_F_CREATE is always set, NLM_F_EXCL on
 * request). */
int nft_table_put(struct nft_enc *e, const struct linx_value *t,
		  uint16_t flags);
int nft_chain_put(struct nft_enc *e, const struct linx_value *c,
		  uint16_t flags);
/* A rule: NLM_F_APPEND, or NLM_F_REPLACE with a handle, or a position
 * (NFTA_RULE_POSITION) from the rule's "position"/"handle". */
int nft_rule_put(struct nft_enc *e, const struct linx_value *r,
		 uint16_t flags);
/* A set or map (anonymous with "anonymous": true): NEWSET then
 * NEWSETELEM chunks.  The set's NFTA_SET_ID is ++bt->next_set_id, so
 * after the call bt->next_set_id names it (lookups of the batch). */
int nft_set_put(struct nft_enc *e, const struct linx_value *s,
		uint16_t flags);
/* Elements only (add or delete: msg NFT_MSG_NEWSETELEM/DELSETELEM) of a
 * set whose declaration is `s` (key/data types). */
int nft_setelem_put(struct nft_enc *e, const struct linx_value *s,
		    const struct linx_value *elements, uint16_t msg);
/* DELSET / DELOBJ / DELFLOWTABLE by name (objects: the value gives kind
 * and name). */
void nft_set_put_delete(struct nft_batch *bt, uint8_t family,
			const char *table, const char *set);
void nft_object_put_delete(struct nft_batch *bt, uint8_t family,
			   const char *table, const struct linx_value *o);
void nft_flowtable_put_delete(struct nft_batch *bt, uint8_t family,
			      const char *table, const char *name);
int nft_object_put(struct nft_enc *e, const struct linx_value *o,
		   uint16_t flags);
int nft_flowtable_put(struct nft_enc *e, const struct linx_value *f,
		      uint16_t flags);

/* Decoders: one kernel message (NEW* reply or notification) into the
 * entity's value.  The family comes from the nfgenmsg; *table (and
 * *chain, *set) point into the message. -EBADMSG on malformed input. */
struct nft_where {
	uint8_t family;
	char table[NFT_TABLE_MAXNAMELEN];
	char chain[NFT_CHAIN_MAXNAMELEN];
	char set[NFT_SET_MAXNAMELEN];
};
int nft_table_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		    struct linx_value *ret);
int nft_chain_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		    struct linx_value *ret);
int nft_rule_parse(const struct nft_dec *d, const struct nlmsghdr *nlh,
		   struct nft_where *w, struct linx_value *ret);
/* A set declaration; *anonymous says NFT_SET_F_ANONYMOUS. */
int nft_set_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		  bool *anonymous, struct linx_value *ret);
/* Elements of one NEWSETELEM message, appended to `elements` (a list),
 * decoded with the set's declaration `set` (key_type, data_type,
 * flags). Interval end markers are kept as {"key":..., "end": true}
 * until nft_setelem_merge() folds them into ranges. */
int nft_setelem_parse(const struct nlmsghdr *nlh, const struct linx_value *set,
		      struct nft_where *w, struct linx_value *elements);
int nft_setelem_merge(const struct linx_value *set, struct linx_value *elements);
/* nft's auto-merge, on a set's element list: overlapping and adjacent
 * intervals of a one-component interval set become one, in key order;
 * the first element of each run keeps its timeout and comment.  0 and
 * nothing done for other sets; -EINVAL for an element that does not
 * encode. */
int nft_setelem_automerge(const struct linx_value *set,
			  struct linx_value *elements);
int nft_object_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		     struct linx_value *ret);
int nft_flowtable_parse(const struct nlmsghdr *nlh, struct nft_where *w,
			struct linx_value *ret);

/* ---- sockets (socket.c) -------------------------------------------------- */

#define NFT_RECV_DEFAULT (64u * 1024)
#define NFT_RECV_MAX (64u * 1024 * 1024)
#define NFT_RCVBUF (4 * 1024 * 1024)
#define NFT_SNDBUF (4 * 1024 * 1024)

struct linx_nft {
	pthread_mutex_t lock;
	int fd;
	struct linx_nl_conn io;
	unsigned dump_retries;
	int rcvbuf;
	/* The reconcile cache (push.c): the ruleset our last reconcile pass
	 * left (the desired value, each rule with its kernel handle) and
	 * the generation that pass produced; nil when not valid.  Guarded
	 * by lock; a pass moves it out and puts back the next one. */
	struct linx_value cache;
	uint32_t cache_gen;
};

/* Open a NETLINK_NETFILTER socket in `netns` (NULL: the caller's),
 * joined to `groups` (NFNLGRP_*), with rcvbuf bytes asked for. */
int nft_socket_open(const struct linx_ns_target *netns, const unsigned *groups,
		    unsigned n_groups, int rcvbuf, struct linx_nft **ret,
		    struct linx_error *err);

/*
 * Send the batch (BEGIN/END added here, NFNL_BATCH_GENID when set) in
 * one sendmsg and collect an acknowledgement per message.  On failure
 * `err` names the first rejected message: code, extack text and
 * offset, err->op = its origin's op, err->object its identity, and
 * *failed_index (may be NULL) its index.  Caller holds s->lock.
 */
int nft_batch_send(struct linx_nft *s, struct nft_batch *bt,
		   size_t *failed_index, struct linx_error *err);

/* A dump request of NFT_MSG_GET<kind> (with optional attributes written
 * by `fill`), every reply message through `cb`.  Restarts an
 * interrupted dump (after `reset`).  Caller holds s->lock. */
int nft_dump(struct linx_nft *s, uint16_t msg, uint8_t family,
	     void (*fill)(struct nft_msgbuf *b, void *arg), linx_nl_msg_cb cb,
	     linx_nl_reset_cb reset, void *arg, const char *op,
	     struct linx_error *err);

/* Whether a tree built here, by puts and pushes of finished children, is
 * whole: the builders carry a failure up to every parent, so the root's
 * marks say what linx_value_status() would find by walking all of it
 * (10,000 rules).  0, -ENOMEM, -ELOOP or -EINVAL. */
static inline int nft_built(const struct linx_value *v)
{
	if (v->flags & LINX_VALUE_F_POISON_NOMEM)
		return -ENOMEM;
	if (v->flags & LINX_VALUE_F_POISON_DEEP)
		return -ELOOP;
	return v->flags & LINX_VALUE_F_POISON ? -EINVAL : 0;
}

/* push.c / diff.c */
/* Every message creating table value `t`, which must be new in the batch
 * (absent, or deleted earlier in it): its anonymous sets are named by
 * number (struct nft_enc's anon_next). */
int nft_table_put_all(struct nft_batch *bt, const struct linx_value *t,
		      struct linx_error *err);
/* A reconcile push; `release` (may be NULL) lists "family/name" of
 * tables to delete when the desired ruleset no longer has them. */
int nft_reconcile_pass(struct linx_nft *s, const struct linx_value *ruleset,
		       const struct linx_value *release, unsigned retries,
		       struct linx_value *report, struct linx_error *err);
/* nft_reconcile_pass on a ruleset checked with NFT_CHECK_NO_EXPRS (the
 * pass checks the expressions it encodes); on failure, the full
 * validation's error when there is one. */
int nft_reconcile_checked(struct linx_nft *s, const struct linx_value *ruleset,
			  const struct linx_value *release, unsigned retries,
			  struct linx_value *report, struct linx_error *err);
/* Reconcile's entry check: tag_required. */
int nft_reconcile_check(const struct linx_value *ruleset,
			struct linx_error *err);
/* Two rules equal as values once their handles and positions are left
 * out (strict: no kernel defaults or verdict sugar read past). */
bool nft_rule_identical(const struct linx_value *a,
			const struct linx_value *b);
/* linx_nft_diff() of a `to` already validated (linx_nft_validate()). */
int nft_diff_validated(const struct linx_value *from,
		       const struct linx_value *to, struct linx_value *patch,
		       struct linx_error *err);

/* What a diff kept, for the reconcile cache: for each tagged chain it
 * compared, the desired rules list `want`, the current one `cur`, and
 * match[i], the index in `cur` of a rule equal to want[i] (no op), or -1.
 * Lets the cache move kept rules without reading them again. */
struct nft_kept_chain {
	const struct linx_value *want, *cur;
	int64_t *match;
};
struct nft_kept {
	struct nft_kept_chain *a;
	size_t n, cap, next; /* next: the lookup's cursor */
};
void nft_kept_free(struct nft_kept *k);
/* The entry for `want` (NULL if none); lookups in the diff's order are
 * O(1). */
const struct nft_kept_chain *nft_kept_find(struct nft_kept *k,
					   const struct linx_value *want);
/* nft_diff_validated(), recording what it kept in `kept` (may be NULL). */
int nft_diff_kept(const struct linx_value *from, const struct linx_value *to,
		  struct linx_value *patch, struct nft_kept *kept,
		  struct linx_error *err);
/* The messages of a patch value, in its order. */
int nft_patch_put(struct nft_batch *bt, const struct linx_value *patch,
		  struct linx_error *err);

/* linx_nft_pull() with s->lock held (pull.c). */
int nft_pull_locked(struct linx_nft *s, const struct linx_nft_scope *scope,
		    struct linx_value *ret, struct linx_nft_gen *gen,
		    struct linx_error *err);

/* A table by identity. */
struct nft_table_ref {
	uint8_t family;
	const char *name;
};
/* The tables refs[] (absent ones left out, not an error) as one ruleset
 * {"tables": [...]}, all read in one generation (*gen, may be NULL);
 * caller holds s->lock. */
int nft_pull_tables_locked(struct linx_nft *s, const struct nft_table_ref *refs,
			   size_t n, struct linx_value *ret,
			   struct linx_nft_gen *gen, struct linx_error *err);

/* GETSET of one set (its declaration); caller holds s->lock. */
int nft_get_set_locked(struct linx_nft *s, uint8_t family, const char *table,
		       const char *set, struct linx_value *ret,
		       struct linx_error *err);

/* The generation in a NEWGEN message (others: 0, *ret untouched). */
int nft_gen_parse(const struct nlmsghdr *nlh, struct linx_nft_gen *ret);

/* GETGEN; caller holds s->lock. */
int nft_get_gen_locked(struct linx_nft *s, struct linx_nft_gen *ret,
		       struct linx_error *err);

/* Map an engine failure onto err (op, extack). */
int nft_nl_error(const struct linx_nl_result *res, const char *op,
		 struct linx_error *err);

#endif /* LINX_NFT_INTERNAL_H */
