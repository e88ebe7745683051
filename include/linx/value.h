/* SPDX-License-Identifier: MIT */
/*
 * linx/value.h - the value tree verbs take and return.
 *
 * A struct linx_value is one node: nil, bool, int (int64), uint (uint64),
 * bytes, string, list, map or handle.  Containers hold their children
 * inline (a list is an array of struct linx_value, a map an array of
 * struct linx_pair), so a tree is a few flat allocations.
 *
 * Invariants the library maintains and every constructor enforces:
 *   - a string is valid UTF-8 without NUL bytes, and always stored with a
 *     terminating NUL, so `v->str` can be handed to C APIs as is;
 *   - bytes are arbitrary and also NUL-terminated in storage (not counted);
 *   - map keys are strings (same rules), unique within one map, and kept in
 *     insertion order.
 *
 * Ownership: a node owns everything below it.  linx_value_clear() frees a
 * node's children and resets it to nil; it accepts NULL and nil.  Putting a
 * value into a container *moves* it: the source is reset to nil and the
 * container owns the data, on success and on failure alike.
 *
 * Depth: trees nest at most LINX_VALUE_MAX_DEPTH levels.  A push or put
 * that would go deeper fails with -ELOOP (and poisons the container:
 * linx_value_status() then says -ELOOP), so walking any tree built through
 * this API is bounded.  Build trees through these functions only:
 * hand-made nodes bypass the checks.
 *
 * Out of memory while building: container builders never leave a tree in an
 * inconsistent state.  A failed put/push marks the container (and, once it
 * is moved, every ancestor) as poisoned; linx_value_status() then reports
 * -ENOMEM (or -EINVAL for a rejected string), so a verb can build a whole
 * result and check once.
 */
#ifndef LINX_VALUE_H
#define LINX_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/common.h>
#include <linx/error.h>

LINX_BEGIN_DECLS

enum linx_type {
	LINX_NIL = 0,
	LINX_BOOL = 1,
	LINX_INT = 2,
	LINX_UINT = 3,
	LINX_BYTES = 4,
	LINX_STRING = 5,
	LINX_LIST = 6,
	LINX_MAP = 7,
	LINX_HANDLE = 8,
};
#define LINX_TYPE_COUNT 9

/* Type masks, for parameter schemas (plugin.h). */
#define LINX_TM(t) (1u << (t))
#define LINX_TM_NIL LINX_TM(LINX_NIL)
#define LINX_TM_BOOL LINX_TM(LINX_BOOL)
/* An integer parameter accepts an int or a uint value; the core checks the
 * range the schema asks for (see LINX_TM_INT / LINX_TM_UINT below). */
#define LINX_TM_INT LINX_TM(LINX_INT)
#define LINX_TM_UINT LINX_TM(LINX_UINT)
#define LINX_TM_BYTES LINX_TM(LINX_BYTES)
#define LINX_TM_STRING LINX_TM(LINX_STRING)
#define LINX_TM_LIST LINX_TM(LINX_LIST)
#define LINX_TM_MAP LINX_TM(LINX_MAP)
#define LINX_TM_HANDLE LINX_TM(LINX_HANDLE)
#define LINX_TM_ANY ((1u << LINX_TYPE_COUNT) - 1u)

/* Per-node flags. */
#define LINX_VALUE_F_POISON_NOMEM 0x01u /* an allocation below failed */
#define LINX_VALUE_F_POISON_INVAL 0x02u /* a rejected string/key below */
#define LINX_VALUE_F_POISON_DEEP 0x04u  /* a push/put past the depth limit */
#define LINX_VALUE_F_POISON                                                  \
	(LINX_VALUE_F_POISON_NOMEM | LINX_VALUE_F_POISON_INVAL |             \
	 LINX_VALUE_F_POISON_DEEP)

struct linx_pair;
struct linx_handle;

struct linx_value {
	uint8_t type;  /* enum linx_type */
	uint8_t flags; /* LINX_VALUE_F_* */
	uint16_t reserved; /* internal: list/map nesting depth, kept by the
			    * builders */
	/* bytes/string: length in bytes (excluding the NUL);
	 * list/map: number of elements. */
	uint32_t len;
	/* list/map: allocated elements. */
	uint32_t cap;
	uint32_t reserved2; /* internal: the library's bookkeeping */
	union {
		bool b;
		int64_t i;
		uint64_t u;
		char *str;		   /* LINX_STRING */
		uint8_t *bytes;		   /* LINX_BYTES */
		struct linx_value *items;  /* LINX_LIST */
		struct linx_pair *pairs;   /* LINX_MAP */
		struct linx_handle *handle; /* LINX_HANDLE */
	};
};

struct linx_pair {
	/* NUL-terminated, UTF-8, no NUL inside.  Read-only: a common key
	 * may be shared, in a read-only pool, by every map that holds it.
	 * A pair filled in place owns a malloc()ed key; freed by the map. */
	char *key;
	uint32_t key_len;
	uint32_t reserved;
	struct linx_value value;
};

/* Largest string, bytes, list or map the library will build or decode. */
#define LINX_VALUE_MAX_LEN (64u * 1024 * 1024)
/* Deepest nesting the codec accepts (a scalar at top level is depth 1). */
#define LINX_VALUE_MAX_DEPTH 64

/* ---- scalars: no allocation, cannot fail ------------------------------ */

static inline struct linx_value linx_value_nil(void)
{
	struct linx_value v = { .type = LINX_NIL };
	return v;
}
static inline struct linx_value linx_value_bool(bool b)
{
	struct linx_value v = { .type = LINX_BOOL, .b = b };
	return v;
}
static inline struct linx_value linx_value_int(int64_t i)
{
	struct linx_value v = { .type = LINX_INT, .i = i };
	return v;
}
static inline struct linx_value linx_value_uint(uint64_t u)
{
	struct linx_value v = { .type = LINX_UINT, .u = u };
	return v;
}
static inline struct linx_value linx_value_map(void)
{
	struct linx_value v = { .type = LINX_MAP };
	return v;
}
static inline struct linx_value linx_value_list(void)
{
	struct linx_value v = { .type = LINX_LIST };
	return v;
}

/* Read an int or uint as int64_t / uint64_t.  False if `v` is not an
 * integer or its value does not fit. */
static inline bool linx_value_get_i64(const struct linx_value *v,
				      int64_t *out)
{
	if (v && v->type == LINX_INT) {
		*out = v->i;
		return true;
	}
	if (v && v->type == LINX_UINT && v->u <= (uint64_t)INT64_MAX) {
		*out = (int64_t)v->u;
		return true;
	}
	return false;
}
static inline bool linx_value_get_u64(const struct linx_value *v,
				      uint64_t *out)
{
	if (v && v->type == LINX_UINT) {
		*out = v->u;
		return true;
	}
	if (v && v->type == LINX_INT && v->i >= 0) {
		*out = (uint64_t)v->i;
		return true;
	}
	return false;
}

/* ---- strings and bytes: copy the input -------------------------------- */

/*
 * Build a string from `len` bytes at `s` (copied).  Fails with -EINVAL if
 * the bytes are not valid UTF-8 or contain a NUL, -E2BIG past
 * LINX_VALUE_MAX_LEN, -ENOMEM if out of memory.  On failure *ret is nil.
 */
LINX_API int linx_value_string(struct linx_value *ret, const char *s,
			       size_t len);
/* Same for a NUL-terminated C string. */
LINX_API int linx_value_cstring(struct linx_value *ret, const char *s);
/* Build bytes (copied; any content). */
LINX_API int linx_value_bytes(struct linx_value *ret, const void *data,
			      size_t len);
/* Wrap a handle; takes a new reference (linx_handle_ref). */
LINX_API struct linx_value linx_value_handle(struct linx_handle *h);

/* True if `len` bytes at `s` are valid UTF-8 without NUL. */
LINX_API bool linx_utf8_valid(const char *s, size_t len);

/* ---- containers ------------------------------------------------------- */

/*
 * Append `*val` to `list`, moving it (*val becomes nil).  `list` must be a
 * list.  Returns 0, or a negative errno and poisons `list`: -EINVAL (not a
 * list, or `val` is `list`), -ELOOP (the list would nest deeper than
 * LINX_VALUE_MAX_DEPTH), -E2BIG, -ENOMEM.
 */
LINX_API int linx_list_push(struct linx_value *list, struct linx_value *val);
LINX_API int linx_list_push_int(struct linx_value *list, int64_t i);
LINX_API int linx_list_push_uint(struct linx_value *list, uint64_t u);
LINX_API int linx_list_push_cstring(struct linx_value *list, const char *s);

/* Pre-size a list or map for `n` elements (an optimisation only). */
LINX_API int linx_value_reserve(struct linx_value *container, size_t n);

/*
 * Set `key` in `map` to `*val`, moving it.  The key is copied and must be a
 * valid string.  If the key exists its old value is replaced (freed).
 * Returns 0 or a negative errno, poisoning `map` on failure: -EINVAL (not
 * a map, a bad key), -ELOOP (too deep, as for linx_list_push), -E2BIG,
 * -ENOMEM.
 */
LINX_API int linx_map_put(struct linx_value *map, const char *key,
			  struct linx_value *val);
LINX_API int linx_map_put_nil(struct linx_value *map, const char *key);
LINX_API int linx_map_put_bool(struct linx_value *map, const char *key,
			       bool b);
LINX_API int linx_map_put_int(struct linx_value *map, const char *key,
			      int64_t i);
LINX_API int linx_map_put_uint(struct linx_value *map, const char *key,
			       uint64_t u);
/* `s` may be NULL, which stores nil. */
LINX_API int linx_map_put_cstring(struct linx_value *map, const char *key,
				  const char *s);
LINX_API int linx_map_put_string(struct linx_value *map, const char *key,
				 const char *s, size_t len);
LINX_API int linx_map_put_bytes(struct linx_value *map, const char *key,
				const void *data, size_t len);

/* One entry of a bulk map build. */
struct linx_map_entry {
	const char *key;
	struct linx_value value;
};

/*
 * ABI 1.1 (also for plugins through the host table).  Put `n` entries
 * into `map` at once - a decoded object's fields, say:
 *
 *   struct linx_map_entry e[] = {
 *           { "ifindex", linx_value_int(l->index) },
 *           { "mtu", linx_value_uint(l->mtu) },
 *   };
 *   linx_map_put_many(&m, e, sizeof(e) / sizeof(e[0]));
 *
 * Room is reserved once, then each value is moved in as by linx_map_put()
 * (each entries[i].value is left nil, also on failure: whatever was not
 * moved is freed).  Returns 0 or the first error, with `map` poisoned as
 * linx_map_put() does.
 */
LINX_API int linx_map_put_many(struct linx_value *map,
			       struct linx_map_entry *entries, size_t n);

/* Look up `key`; returns a pointer into the map (valid until the map is
 * modified) or NULL.  Returns NULL if `map` is not a map. */
LINX_API const struct linx_value *linx_map_get(const struct linx_value *map,
					       const char *key);

/* Move the value under `key` out of `map` into *ret, leaving nil under the
 * key: a caller that lent a tree to a map (an argument map for one call)
 * takes it back without a copy.  The map keeps its depth and poison marks.
 * Returns 0, -EINVAL (`map` not a map, NULL `ret` or `key`) or -ENOENT (no
 * such key); on failure *ret is nil. */
LINX_API int linx_map_take(struct linx_value *map, const char *key,
			   struct linx_value *ret);

/* ---- whole trees ------------------------------------------------------ */

/* Free everything `v` owns and reset it to nil.  Accepts NULL. */
LINX_API void linx_value_clear(struct linx_value *v);

/* Deep copy (handles gain a reference).  On failure *ret is nil. */
LINX_API int linx_value_copy(struct linx_value *ret,
			     const struct linx_value *v);

/* 0 if the tree was built completely; -ENOMEM, -ELOOP or -EINVAL (in that
 * order of precedence) if a builder failed somewhere inside it. */
LINX_API int linx_value_status(const struct linx_value *v);

/* Structural equality (handles compare by identity; an int and a uint
 * holding the same number are equal). */
LINX_API bool linx_value_equal(const struct linx_value *a,
			       const struct linx_value *b);

/* "nil", "bool", "int", "uint", "bytes", "string", "list", "map",
 * "handle", or "invalid". */
LINX_API const char *linx_type_name(unsigned type);

/* ---- codec -------------------------------------------------------------
 *
 * A compact, canonical binary form: one tag byte per node, LEB128 varints
 * for lengths and integers (zig-zag for int), no padding.  The same tree
 * always encodes to the same bytes; the decoder accepts only that form
 * (minimal varints, unique map keys, no trailing data).  Handles are
 * process-local and cannot be encoded.  See docs/core/codec.md.
 */

/*
 * Encode into a caller buffer.  On success stores the length in *ret_len
 * and returns 0.  If `cap` is too small returns -ENOBUFS and stores the
 * needed length in *ret_len (if ret_len is not NULL).  Other errors:
 * -EINVAL (a handle or a poisoned node in the tree), -ELOOP (deeper than
 * LINX_VALUE_MAX_DEPTH).  Does not allocate: usable after fork().
 */
LINX_API int linx_value_encode_to(const struct linx_value *v, void *buf,
				  size_t cap, size_t *ret_len,
				  struct linx_error *err);

/* Encode into a new malloc'd buffer, owned by the caller (free()). */
LINX_API int linx_value_encode(const struct linx_value *v, void **ret_buf,
			       size_t *ret_len, struct linx_error *err);

/*
 * Decode exactly `len` bytes.  Rejects, with -EBADMSG and a message naming
 * the offset: truncation, trailing bytes, unknown tags, over-long or
 * overflowing varints, invalid strings, duplicate keys, lengths beyond
 * LINX_VALUE_MAX_LEN or beyond the remaining input, and nesting deeper than
 * LINX_VALUE_MAX_DEPTH.  -ENOMEM if out of memory.  On failure *ret is nil.
 * Never reads outside [buf, buf+len).
 */
LINX_API int linx_value_decode(const void *buf, size_t len,
			       struct linx_value *ret,
			       struct linx_error *err);

/* ---- handles ------------------------------------------------------------
 *
 * A handle is a reference-counted, typed pointer to a kernel object a plugin
 * owns (a netlink socket, a session).  The type's destroy function runs when
 * the last reference goes.  Bindings wrap handles (the Elixir NIF turns them
 * into resources whose destructor drops the reference).
 */
struct linx_handle_type {
	const char *name;	   /* "rtnl.socket" */
	void (*destroy)(void *ptr); /* called once, with the last unref */
};

/* New handle with one reference, or NULL (out of memory; `ptr` is then not
 * destroyed - the caller still owns it). */
LINX_API struct linx_handle *
linx_handle_new(const struct linx_handle_type *type, void *ptr);
LINX_API struct linx_handle *linx_handle_ref(struct linx_handle *h);
/* Drop a reference; accepts NULL. */
LINX_API void linx_handle_unref(struct linx_handle *h);
/* The pointer if `h` has type `type`, else NULL. */
LINX_API void *linx_handle_get(const struct linx_handle *h,
			       const struct linx_handle_type *type);
LINX_API const struct linx_handle_type *
linx_handle_type_of(const struct linx_handle *h);

LINX_END_DECLS

#endif /* LINX_VALUE_H */
