/* SPDX-License-Identifier: MIT */
/*
 * Typed data (nft-internal.h): the data types of set keys and map data,
 * their concatenations, and the conversion of one key between its value
 * form ("10.0.0.1", 22, "eth0", a list for a concatenation) and the bytes
 * of a kernel register.
 *
 * The type numbers are nftables' own datatype ids (src/datatype.h in
 * nftables; TYPE_BITS = 6 for concatenations): the kernel only stores
 * them, and `nft list` uses them to print the set the way it was
 * declared.  Every length and byte order was checked against what nft
 * 1.0.6 sends for the same declaration (docs/nft/sets.md).
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-internal.h"

#define TYPE_BITS 6
#define TYPE_MASK ((1u << TYPE_BITS) - 1)
#define ID_INTEGER 4
#define IFNAMSIZ_NFT 16

/* "integer/N" types are made on demand: one entry per byte length. */
#define INTEGER_MAX_BYTES NFT_DATA_VALUE_MAXLEN

static const struct nft_type types[] = {
	{ "ipv4_addr", 7, 4, false },	  { "ipv6_addr", 8, 16, false },
	{ "ether_addr", 9, 6, false },	  { "ether_type", 10, 2, false },
	{ "inet_proto", 12, 1, false },	  { "inet_service", 13, 2, false },
	{ "mark", 19, 4, true },	  { "iface_index", 20, 4, true },
	{ "ifname", 41, IFNAMSIZ_NFT, true },
	/* The other types of nftables' selectors (nft describe), so that
	 * sets nft declared with them (typeof icmpv6 type, ct state, ...)
	 * keep their type through a pull and a push; values are integers
	 * in the register's byte order. */
	{ "nf_proto", 2, 1, false },	  { "arp_op", 11, 2, false },
	{ "icmp_type", 14, 1, false },	  { "tcp_flag", 15, 1, false },
	{ "dccp_pkttype", 16, 1, false }, { "mh_type", 17, 1, false },
	{ "time", 18, 4, true },	  { "iface_type", 21, 2, true },
	{ "realm", 22, 4, true },	  { "classid", 23, 4, true },
	{ "uid", 24, 4, true },		  { "gid", 25, 4, true },
	{ "ct_state", 26, 4, true },	  { "ct_dir", 27, 1, false },
	{ "ct_status", 28, 4, true },	  { "icmpv6_type", 29, 1, false },
	{ "pkt_type", 31, 1, false },	  { "icmp_code", 32, 1, false },
	{ "icmpv6_code", 33, 1, false },  { "icmpx_code", 34, 1, false },
	{ "devgroup", 35, 4, true },	  { "dscp", 36, 1, false },
	{ "ecn", 37, 1, false },	  { "fib_addrtype", 38, 4, true },
	{ "boolean", 39, 1, false },	  { "igmp_type", 42, 1, false },
	{ "time_date", 43, 8, true },	  { "hour", 44, 4, true },
	{ "day", 45, 1, false },
};

/* The integer types, "integer/8" ... "integer/512", built once, and
 * their host-order twins "host_integer/8" ...: nftables' plain integers
 * of host-order keys (ct zone, meta cpu, numgen), which it marks with
 * the set's byte order rather than a type of their own. */
static struct nft_type integers[2][INTEGER_MAX_BYTES];
static char integer_names[2][INTEGER_MAX_BYTES][24];
static pthread_once_t integers_once = PTHREAD_ONCE_INIT;

static void integers_init(void)
{
	for (unsigned h = 0; h < 2; h++)
		for (unsigned i = 0; i < INTEGER_MAX_BYTES; i++) {
			snprintf(integer_names[h][i],
				 sizeof(integer_names[h][i]), "%sinteger/%u",
				 h ? "host_" : "", (i + 1) * 8);
			integers[h][i].name = integer_names[h][i];
			integers[h][i].id = ID_INTEGER;
			integers[h][i].len = i + 1;
			integers[h][i].host_order = h;
		}
}

static const struct nft_type *integer_type_of(uint32_t len, bool host)
{
	if (len == 0 || len > INTEGER_MAX_BYTES)
		return NULL;
	pthread_once(&integers_once, integers_init);
	return &integers[host][len - 1];
}

static const struct nft_type *integer_type(uint32_t len)
{
	return integer_type_of(len, false);
}

const struct nft_type *nft_type_by_name(const char *name)
{
	unsigned long bits;
	char *end;

	for (size_t i = 0; i < NFT_ARRAY_SIZE(types); i++)
		if (strcmp(types[i].name, name) == 0)
			return &types[i];
	bool host = strncmp(name, "host_", 5) == 0;
	if (host)
		name += 5;
	if (strncmp(name, "integer/", 8) != 0 || name[8] < '1' ||
	    name[8] > '9')
		return NULL;
	bits = strtoul(name + 8, &end, 10);
	if (*end || bits % 8 || bits / 8 > INTEGER_MAX_BYTES)
		return NULL;
	return integer_type_of((uint32_t)(bits / 8), host);
}

void nft_keytype_host_integer(struct nft_keytype *kt)
{
	if (!kt->verdict && !kt->object && kt->n == 1 &&
	    kt->t[0]->id == ID_INTEGER && !kt->t[0]->host_order)
		kt->t[0] = integer_type_of(kt->t[0]->len, true);
}

const struct nft_type *nft_type_by_id(uint32_t id)
{
	for (size_t i = 0; i < NFT_ARRAY_SIZE(types); i++)
		if (types[i].id == id)
			return &types[i];
	return NULL;
}

/* ---- key types ----------------------------------------------------------- */

static uint32_t slot_len(const struct nft_type *t)
{
	return (t->len + 3u) & ~3u;
}

/* Fill id and len from the components. */
static int keytype_finish(struct nft_keytype *kt)
{
	uint32_t id = 0, len = 0;

	if (kt->n == 1) {
		kt->id = kt->t[0]->id;
		kt->len = kt->t[0]->len;
		return 0;
	}
	for (unsigned i = 0; i < kt->n; i++) {
		id = (id << TYPE_BITS) | kt->t[i]->id;
		len += slot_len(kt->t[i]);
	}
	if (len > NFT_DATA_VALUE_MAXLEN)
		return -EINVAL;
	kt->id = id;
	kt->len = len;
	return 0;
}

int nft_keytype_from_value(const struct linx_value *v, bool allow_verdict,
			   const char *what, struct nft_keytype *ret,
			   struct linx_error *err)
{
	memset(ret, 0, sizeof(*ret));
	if (v && v->type == LINX_STRING) {
		if (allow_verdict && strcmp(v->str, "verdict") == 0) {
			ret->verdict = true;
			ret->id = NFT_DATA_VERDICT;
			return 0;
		}
		if (allow_verdict && nft_object_type(v->str)) {
			ret->object = nft_object_type(v->str);
			return 0;
		}
		ret->t[0] = nft_type_by_name(v->str);
		if (!ret->t[0])
			return nft_bad(err, what, NULL, "unknown type: %s",
				       v->str);
		ret->n = 1;
		return keytype_finish(ret);
	}
	if (!v || v->type != LINX_LIST)
		return nft_bad(err, what, NULL,
			       "type: expected a type name or a list of them");
	if (v->len < 2 || v->len > NFT_CONCAT_MAX)
		return nft_bad(err, what, NULL,
			       "type: a concatenation has 2..%d types",
			       NFT_CONCAT_MAX);
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *c = &v->items[i];
		const struct nft_type *t =
			c->type == LINX_STRING ? nft_type_by_name(c->str) : NULL;

		if (!t)
			return nft_bad(err, what, NULL,
				       "type: unknown type in concatenation: %s",
				       c->type == LINX_STRING ? c->str
							      : "(not a string)");
		/* nftables concatenates its plain integers (typeof ip
		 * ttl, @nh,64,8, ct zone) under their id; a host-order
		 * one's order lives in the typeof only, which the set
		 * code asks for (set.c) */
		ret->t[ret->n++] = t;
	}
	if (keytype_finish(ret) < 0)
		return nft_bad(err, what, NULL,
			       "type: concatenation longer than %d bytes",
			       NFT_DATA_VALUE_MAXLEN);
	return 0;
}

/* The types of the ids of a concatenation, first one first, into c;
 * an integer's width comes from fields[] (NFTA_SET_DESC_CONCAT) when the
 * kernel reports them, else it takes what the other components leave,
 * shared evenly: nftables' sets keep the widths only in their typeof
 * userdata (nft_keytype_fit_typeof()). */
static bool concat_from_ids(const uint32_t *ids, uint32_t n, uint32_t len,
			    const uint32_t *fields, unsigned nfields,
			    struct nft_keytype *c)
{
	uint32_t rest = len, nint = 0;

	c->n = n;
	for (uint32_t i = 0; i < n; i++) {
		if (ids[i] == ID_INTEGER && nfields == n) {
			c->t[i] = integer_type(fields[i]);
		} else if (ids[i] == ID_INTEGER) {
			c->t[i] = NULL;
			nint++;
			continue;
		} else {
			c->t[i] = nft_type_by_id(ids[i]);
		}
		if (!c->t[i] || (nfields == n && c->t[i]->len != fields[i]))
			return false;
		if (slot_len(c->t[i]) > rest)
			return false;
		rest -= slot_len(c->t[i]);
	}
	for (uint32_t i = 0; i < n && nint; i++)
		if (!c->t[i] && !(c->t[i] = integer_type(rest / nint)))
			return false;
	return true;
}

int nft_keytype_from_wire(uint32_t id, uint32_t len, const uint32_t *fields,
			  unsigned nfields, struct nft_keytype *ret)
{
	const struct nft_type *t = nft_type_by_id(id);
	struct nft_keytype c;

	memset(ret, 0, sizeof(*ret));
	if (id == NFT_DATA_VERDICT) {
		ret->verdict = true;
		ret->id = id;
		return 0;
	}
	if (len == 0 || len > NFT_DATA_VALUE_MAXLEN)
		return -EBADMSG;
	if (t && t->len == len) {
		ret->n = 1;
		ret->t[0] = t;
		return keytype_finish(ret);
	}
	/* A concatenation: the ids are TYPE_BITS wide, first one highest. */
	memset(&c, 0, sizeof(c));
	if (id > TYPE_MASK) {
		uint32_t ids[NFT_CONCAT_MAX], n = 0, rest = id;

		while (rest && n < NFT_CONCAT_MAX) {
			ids[n++] = rest & TYPE_MASK;
			rest >>= TYPE_BITS;
		}
		for (uint32_t i = 0; i < n / 2; i++) {
			uint32_t x = ids[i];

			ids[i] = ids[n - 1 - i];
			ids[n - 1 - i] = x;
		}
		if (!rest && n >= 2 &&
		    concat_from_ids(ids, n, len, fields, nfields, &c)) {
			if (keytype_finish(&c) == 0 && c.len == len &&
			    c.id == id) {
				*ret = c;
				return 0;
			}
		}
	}
	/* Anything else keeps its bytes as an integer of that length. */
	ret->n = 1;
	ret->t[0] = integer_type(len);
	ret->id = ID_INTEGER;
	ret->len = len;
	return 0;
}

int nft_keytype_to_value(const struct nft_keytype *kt, struct linx_value *ret)
{
	if (kt->verdict)
		return linx_value_cstring(ret, "verdict");
	if (kt->object && nft_object_kind(kt->object))
		return linx_value_cstring(ret, nft_object_kind(kt->object));
	if (kt->object) {
		*ret = linx_value_uint(kt->object);
		return 0;
	}
	if (kt->n == 1)
		return linx_value_cstring(ret, kt->t[0]->name);
	*ret = linx_value_list();
	for (unsigned i = 0; i < kt->n; i++)
		linx_list_push_cstring(ret, kt->t[i]->name);
	return nft_built(ret);
}

bool nft_keytype_value_has_integer(const struct linx_value *v)
{
	for (uint32_t i = 0; v && v->type == LINX_LIST && i < v->len; i++)
		if (v->items[i].type == LINX_STRING &&
		    (strncmp(v->items[i].str, "integer/", 8) == 0 ||
		     strncmp(v->items[i].str, "host_integer/", 13) == 0))
			return true;
	return false;
}

bool nft_keytype_has_host_integer(const struct nft_keytype *kt)
{
	for (unsigned i = 0; kt->n > 1 && i < kt->n; i++)
		if (kt->t[i]->id == ID_INTEGER && kt->t[i]->host_order)
			return true;
	return false;
}

/* ---- one component --------------------------------------------------------- */

static bool is_addr(const struct nft_type *t)
{
	return t->id == 7 || t->id == 8;
}

/* Reverse `len` bytes in place. */
static inline void reverse(uint8_t *a, uint32_t len)
{
	for (uint32_t i = 0; i < len / 2; i++) {
		uint8_t x = a[i];

		a[i] = a[len - 1 - i];
		a[len - 1 - i] = x;
	}
}

/* Host-order registers (mark, iface_index, ct_state, ...) hold the
 * integer in the machine's byte order; the others are big-endian. */
static void put_uint(const struct nft_type *t, uint64_t u, uint8_t *out)
{
	for (uint32_t i = 0; i < t->len; i++)
		out[t->len - 1 - i] = i < 8 ? (uint8_t)(u >> (8 * i)) : 0;
#if __BYTE_ORDER == __LITTLE_ENDIAN
	if (t->host_order)
		reverse(out, t->len);
#endif
}

static uint64_t get_uint(const struct nft_type *t, const uint8_t *in)
{
	uint8_t be[8];
	uint32_t len = t->len < 8 ? t->len : 8;
	uint64_t u = 0;

	/* The low 8 bytes only: wider integers are bytes (scalar_to_value). */
	memcpy(be, in + (t->host_order ? 0 : t->len - len), len);
#if __BYTE_ORDER == __LITTLE_ENDIAN
	if (t->host_order)
		reverse(be, len);
#endif
	for (uint32_t i = 0; i < len; i++)
		u = (u << 8) | be[i];
	return u;
}

/* Parse one scalar of type t into out (t->len bytes). */
static int scalar_from_value(const struct nft_type *t,
			     const struct linx_value *v, uint8_t *out,
			     const char *what, struct linx_error *err)
{
	uint64_t u;

	if (is_addr(t)) {
		/* The spec's element inputs: the address's 4 or 16 bytes
		 * too (pulled back as text). */
		if (v->type == LINX_BYTES && v->len == t->len) {
			memcpy(out, v->bytes, t->len);
			return 0;
		}
		if (v->type != LINX_STRING ||
		    inet_pton(t->len == 4 ? AF_INET : AF_INET6, v->str, out) != 1)
			return nft_bad(err, what, NULL, "not an %s: %s",
				       t->name,
				       v->type == LINX_STRING ? v->str
							      : linx_type_name(v->type));
		return 0;
	}
	if (t->id == 9) {
		unsigned b[6];
		char tail;

		if (v->type == LINX_BYTES && v->len == 6) {
			memcpy(out, v->bytes, 6);
			return 0;
		}
		if (v->type != LINX_STRING || v->len != 17 ||
		    sscanf(v->str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1],
			   &b[2], &b[3], &b[4], &b[5], &tail) != 6)
			return nft_bad(err, what, NULL,
				       "not an ether_addr (aa:bb:cc:dd:ee:ff)");
		for (int i = 0; i < 6; i++)
			out[i] = (uint8_t)b[i];
		return 0;
	}
	if (t->id == 41) {
		if (v->type == LINX_BYTES && v->len == IFNAMSIZ_NFT) {
			memcpy(out, v->bytes, IFNAMSIZ_NFT);
			return 0;
		}
		if (v->type != LINX_STRING || v->len == 0 ||
		    v->len >= IFNAMSIZ_NFT)
			return nft_bad(err, what, NULL,
				       "not an ifname (1..%d bytes)",
				       IFNAMSIZ_NFT - 1);
		memset(out, 0, IFNAMSIZ_NFT);
		memcpy(out, v->str, v->len);
		return 0;
	}
	/* Integers; the raw "integer/N" also takes bytes of its length. */
	if (t->id == ID_INTEGER && v->type == LINX_BYTES) {
		if (v->len != t->len)
			return nft_bad(err, what, NULL,
				       "%s: expected %u bytes, got %u", t->name,
				       t->len, v->len);
		memcpy(out, v->bytes, t->len);
		return 0;
	}
	if (!linx_value_get_u64(v, &u) ||
	    (t->len < 8 && u >> (8 * t->len)))
		return nft_bad(err, what, NULL, "not a %s: expected an integer "
			       "of %u bytes", t->name, t->len);
	put_uint(t, u, out);
	return 0;
}

/* Set every bit after the first `plen` bits of an address to `one`. */
static void fill_host_bits(uint8_t *a, uint32_t len, unsigned plen, bool one)
{
	for (uint32_t i = 0; i < len; i++) {
		unsigned keep = plen > i * 8 ? plen - i * 8 : 0;
		uint8_t mask = keep >= 8 ? 0xff : (uint8_t)(0xff00 >> keep);

		a[i] = one ? (a[i] | (uint8_t)~mask) : (a[i] & mask);
	}
}

/* Compare two encoded components as the kernel's interval tree does
 * after host-order types are made big-endian: numerically. */
static int scalar_cmp(const struct nft_type *t, const uint8_t *a,
		      const uint8_t *b)
{
	if (t->host_order && t->id != 41) {
		uint64_t x = get_uint(t, a), y = get_uint(t, b);

		return x < y ? -1 : x > y;
	}
	return memcmp(a, b, t->len);
}

/* One component, possibly an interval (prefix or range) when `end`. */
static int component_from_value(const struct nft_type *t,
				const struct linx_value *v, uint8_t *out,
				uint8_t *end, bool *is_interval,
				const char *what, struct linx_error *err)
{
	const struct linx_value *r;
	int rc;

	if (v->type == LINX_MAP) {
		r = linx_map_get(v, "range");
		if (!r || v->len != 1 || r->type != LINX_LIST || r->len != 2)
			return nft_bad(err, what, NULL,
				       "expected a key or {\"range\": [lo, hi]}");
		if (!end)
			return nft_bad(err, what, NULL,
				       "range in a set without the interval flag");
		rc = scalar_from_value(t, &r->items[0], out, what, err);
		if (rc == 0)
			rc = scalar_from_value(t, &r->items[1], end, what, err);
		if (rc)
			return rc;
		if (scalar_cmp(t, out, end) > 0)
			return nft_bad(err, what, NULL,
				       "range: low end above high end");
		*is_interval = true;
		return 0;
	}
	if (is_addr(t) && v->type == LINX_STRING && strchr(v->str, '/')) {
		char buf[64];
		const char *slash = strchr(v->str, '/');
		size_t alen = (size_t)(slash - v->str);
		unsigned long plen;
		char *e;

		if (!end)
			return nft_bad(err, what, NULL,
				       "prefix in a set without the interval flag");
		plen = strtoul(slash + 1, &e, 10);
		if (alen >= sizeof(buf) || *e || slash[1] < '0' ||
		    slash[1] > '9' || plen > t->len * 8)
			return nft_bad(err, what, NULL, "bad prefix: %s", v->str);
		memcpy(buf, v->str, alen);
		buf[alen] = '\0';
		if (inet_pton(t->len == 4 ? AF_INET : AF_INET6, buf, out) != 1)
			return nft_bad(err, what, NULL, "bad prefix: %s", v->str);
		memcpy(end, out, t->len);
		fill_host_bits(end, t->len, (unsigned)plen, false);
		if (memcmp(end, out, t->len) != 0)
			return nft_bad(err, what, NULL,
				       "prefix with host bits set: %s", v->str);
		fill_host_bits(end, t->len, (unsigned)plen, true);
		*is_interval = true;
		return 0;
	}
	if (t->id == 41 && v->type == LINX_STRING && v->len > 1 &&
	    v->len <= IFNAMSIZ_NFT && v->str[v->len - 1] == '*') {
		/* nftables' wildcard "eth*": every name starting "eth" */
		if (!end)
			return nft_bad(err, what, NULL,
				       "wildcard in a set without the "
				       "interval flag: %s", v->str);
		memset(out, 0, IFNAMSIZ_NFT);
		memcpy(out, v->str, v->len - 1);
		memset(end, 0xff, IFNAMSIZ_NFT);
		memcpy(end, v->str, v->len - 1);
		*is_interval = true;
		return 0;
	}
	rc = scalar_from_value(t, v, out, what, err);
	if (rc == 0 && end)
		memcpy(end, out, t->len);
	return rc;
}

int nft_data_from_value(const struct nft_keytype *kt, const struct linx_value *v,
			uint8_t *out, uint32_t *len, uint8_t *end,
			bool *is_interval, const char *what,
			struct linx_error *err)
{
	uint32_t off = 0;
	bool dummy = false;
	int rc;

	if (!is_interval)
		is_interval = &dummy;
	*is_interval = false;
	if (!v || v->type == LINX_NIL)
		return nft_bad(err, what, NULL, "missing key");
	if (kt->object) {
		/* An object map's data is the object's name: as bytes, for
		 * the identity of an element (longer names are cut). */
		if (v->type != LINX_STRING || v->len == 0 ||
		    v->len >= NFT_OBJ_MAXNAMELEN)
			return nft_bad(err, what, NULL,
				       "an object name (1..%d bytes)",
				       NFT_OBJ_MAXNAMELEN - 1);
		memset(out, 0, NFT_DATA_VALUE_MAXLEN);
		memcpy(out, v->str,
		       v->len < NFT_DATA_VALUE_MAXLEN ? v->len
						      : NFT_DATA_VALUE_MAXLEN);
		*len = NFT_DATA_VALUE_MAXLEN;
		return 0;
	}
	if (kt->verdict || kt->n == 0)
		return nft_bad(err, what, NULL, "verdicts are not data");
	memset(out, 0, kt->len);
	if (end)
		memset(end, 0, kt->len);
	if (kt->n == 1) {
		rc = component_from_value(kt->t[0], v, out, end, is_interval,
					  what, err);
		if (rc == 0)
			*len = kt->len;
		return rc;
	}
	if (v->type != LINX_LIST || v->len != kt->n)
		return nft_bad(err, what, NULL,
			       "a concatenated key is a list of %u values",
			       kt->n);
	for (unsigned i = 0; i < kt->n; i++) {
		bool iv = false;

		rc = component_from_value(kt->t[i], &v->items[i], out + off,
					  end ? end + off : NULL, &iv, what,
					  err);
		if (rc)
			return rc;
		*is_interval |= iv;
		off += slot_len(kt->t[i]);
	}
	*len = kt->len;
	return 0;
}

/* ---- bytes to values ------------------------------------------------------- */

static int scalar_to_value(const struct nft_type *t, const uint8_t *d,
			   struct linx_value *ret)
{
	char buf[INET6_ADDRSTRLEN];

	if (is_addr(t)) {
		if (!inet_ntop(t->len == 4 ? AF_INET : AF_INET6, d, buf,
			       sizeof(buf)))
			return -EINVAL;
		return linx_value_cstring(ret, buf);
	}
	if (t->id == 9) {
		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
			 d[0], d[1], d[2], d[3], d[4], d[5]);
		return linx_value_cstring(ret, buf);
	}
	if (t->id == 41) {
		/* A name is 1..15 bytes then NULs; anything else (the
		 * interval bounds nftables writes around names, such as the
		 * end right after "lo") stays bytes, so it encodes back
		 * exactly. */
		size_t n = strnlen((const char *)d, IFNAMSIZ_NFT), i = n;

		while (i < IFNAMSIZ_NFT && d[i] == 0)
			i++;
		if (n > 0 && i == IFNAMSIZ_NFT &&
		    linx_value_string(ret, (const char *)d, n) == 0)
			return 0;
		return linx_value_bytes(ret, d, IFNAMSIZ_NFT);
	}
	if (t->len > 8 && !t->host_order)
		return linx_value_bytes(ret, d, t->len);
	*ret = linx_value_uint(get_uint(t, d));
	return 0;
}

int nft_data_to_value(const struct nft_keytype *kt, const uint8_t *data,
		      uint32_t len, struct linx_value *ret)
{
	uint32_t off = 0;

	*ret = linx_value_nil();
	if (kt->verdict || kt->n == 0 || len < kt->len)
		return -EBADMSG;
	if (kt->n == 1)
		return scalar_to_value(kt->t[0], data, ret);
	*ret = linx_value_list();
	for (unsigned i = 0; i < kt->n; i++) {
		struct linx_value c;
		int rc = scalar_to_value(kt->t[i], data + off, &c);

		if (rc) {
			linx_value_clear(ret);
			return rc;
		}
		linx_list_push(ret, &c);
		off += slot_len(kt->t[i]);
	}
	return nft_built(ret);
}

/* ---- intervals ------------------------------------------------------------ */

void nft_data_interval_order(const struct nft_keytype *kt, uint8_t *data)
{
	uint32_t off = 0;

	for (unsigned i = 0; i < kt->n; i++) {
		const struct nft_type *t = kt->t[i];

#if __BYTE_ORDER == __LITTLE_ENDIAN
		if (t->host_order && t->id != 41)
			reverse(data + off, t->len);
#endif
		off += slot_len(t);
	}
}

/* The prefix length of [lo, hi] if it is one, else -1. */
static int prefix_len(const uint8_t *lo, const uint8_t *hi, uint32_t len)
{
	unsigned bits = len * 8, p = 0;

	while (p < bits) {
		unsigned byte = p / 8, bit = 7 - p % 8;

		if (((lo[byte] >> bit) & 1) != ((hi[byte] >> bit) & 1))
			break;
		p++;
	}
	for (unsigned q = p; q < bits; q++) {
		unsigned byte = q / 8, bit = 7 - q % 8;

		if (((lo[byte] >> bit) & 1) != 0 || ((hi[byte] >> bit) & 1) != 1)
			return -1;
	}
	return (int)p;
}

static int interval_component(const struct nft_type *t, const uint8_t *lo,
			      const uint8_t *hi, struct linx_value *ret)
{
	struct linx_value a, b, r;
	int plen, rc;

	if (memcmp(lo, hi, t->len) == 0)
		return scalar_to_value(t, lo, ret);
	if (t->id == 41) {
		/* "eth*": lo is the prefix then NULs, hi the prefix then
		 * 0xff bytes */
		size_t p = strnlen((const char *)lo, IFNAMSIZ_NFT), i;
		char name[IFNAMSIZ_NFT + 1];

		for (i = p; i < IFNAMSIZ_NFT && lo[i] == 0 && hi[i] == 0xff;)
			i++;
		if (p > 0 && i == IFNAMSIZ_NFT && memcmp(lo, hi, p) == 0 &&
		    linx_utf8_valid((const char *)lo, p)) {
			memcpy(name, lo, p);
			name[p] = '*';
			name[p + 1] = '\0';
			return linx_value_cstring(ret, name);
		}
	}
	plen = is_addr(t) ? prefix_len(lo, hi, t->len) : -1;
	if (plen >= 0) {
		char addr[INET6_ADDRSTRLEN], buf[INET6_ADDRSTRLEN + 16];

		if (!inet_ntop(t->len == 4 ? AF_INET : AF_INET6, lo, addr,
			       sizeof(addr)))
			return -EINVAL;
		snprintf(buf, sizeof(buf), "%s/%d", addr, plen);
		return linx_value_cstring(ret, buf);
	}
	rc = scalar_to_value(t, lo, &a);
	if (rc)
		return rc;
	rc = scalar_to_value(t, hi, &b);
	if (rc) {
		linx_value_clear(&a);
		return rc;
	}
	r = linx_value_list();
	linx_list_push(&r, &a);
	linx_list_push(&r, &b);
	*ret = linx_value_map();
	linx_map_put(ret, "range", &r);
	return nft_built(ret);
}

int nft_interval_to_value(const struct nft_keytype *kt, const uint8_t *lo,
			  const uint8_t *hi, struct linx_value *ret)
{
	uint32_t off = 0;

	*ret = linx_value_nil();
	if (kt->verdict || kt->n == 0)
		return -EBADMSG;
	if (kt->n == 1)
		return interval_component(kt->t[0], lo, hi, ret);
	*ret = linx_value_list();
	for (unsigned i = 0; i < kt->n; i++) {
		struct linx_value c;
		int rc = interval_component(kt->t[i], lo + off, hi + off, &c);

		if (rc) {
			linx_value_clear(ret);
			return rc;
		}
		linx_list_push(ret, &c);
		off += slot_len(kt->t[i]);
	}
	return nft_built(ret);
}
