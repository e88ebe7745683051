/* SPDX-License-Identifier: MIT */
/*
 * lang-internal.h - the nftables language: tokens, the type tables shared
 * by the compiler (lang-parse.c) and the formatter (lang-format.c).
 * See docs/nft/lang.md.
 */
#ifndef LINX_NFT_LANG_INTERNAL_H
#define LINX_NFT_LANG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linx/nft.h>
#include <linx/plugin.h>
#include <linx/value.h>

/* strcmp() == 0, the first bytes compared inline: the parser and the
 * formatter test a word against long chains of keywords, and most differ
 * at the first byte. */
static inline bool streq(const char *a, const char *b)
{
	return a[0] == b[0] && strcmp(a, b) == 0;
}

/* Limits: every input is bounded by these. */
#define NFT_LANG_MAX_TEXT (64u * 1024 * 1024) /* bytes of one file */
#define NFT_LANG_MAX_TOKENS (8u * 1024 * 1024)
#define NFT_LANG_MAX_INCLUDE 16	      /* default include depth */
#define NFT_LANG_MAX_DEFINES 4096
#define NFT_LANG_MAX_NEST 32	      /* nested comments, braces */
#define NFT_LANG_MAX_EXPANSION (1u << 20) /* tokens from defines, total */

enum tok_kind {
	T_EOF = 0,
	T_SEP,	  /* ';' or newlines */
	T_IDENT,  /* word: keywords are identifiers */
	T_INT,	  /* decimal, 0x, 0b; value in .u */
	T_STRING, /* "..." with escapes resolved */
	T_IPV4,	  /* text in .s, prefix in .plen (-1 none) */
	T_IPV6,
	T_MAC,
	T_VAR,	  /* $name */
	T_SETREF, /* @name */
	T_BIGINT, /* a hex number past 64 bits, at most 128: its digits,
		   * lowercase with no leading zero, in .s */
	T_PUNCT,  /* one character in .c ('{', '}', ',', ':', '-', ...) or
		   * two: "!=" "<=" ">=" encoded as c = 'N', 'l', 'g' */
};

struct tok {
	uint8_t kind;
	char c;
	int16_t plen;
	uint32_t line, col;
	uint32_t file; /* index into the parser's file table */
	uint64_t u;
	char *s; /* IDENT, STRING, addresses, VAR, SETREF (owned by lexer) */
	size_t slen;
};

struct tok_list {
	struct tok *v;
	size_t n, cap;
};

/* The number in len bytes at b (at most the first 8), in host order when
 * `host`, else big-endian. */
uint64_t nftl_get_uint(const uint8_t *b, unsigned len, bool host);

/* Table families as the language names them (nftl_fam_names), in this
 * order; F_UNKNOWN for any other. */
enum nftl_fam { F_IP, F_IP6, F_INET, F_ARP, F_BRIDGE, F_NETDEV, F_UNKNOWN };
extern const char *const nftl_fam_names[F_UNKNOWN];
/* The family named `s` (NULL: none), or F_UNKNOWN. */
int nftl_fam_of(const char *s);
/* The netlink family (NFPROTO_*) of F_*; NFPROTO_UNSPEC for any other. */
uint8_t nftl_fam_nfproto(int family);

/* Where lexing stopped with an error: 0 or -EINVAL (line/col/message). */
struct lex_err {
	uint32_t line, col;
	char msg[200];
};

int nftl_lex(const char *text, size_t len, uint32_t file,
	    struct tok_list *out, struct lex_err *e);
void nftl_tok_list_free(struct tok_list *l);

/* ---- type tables ---------------------------------------------------------- */

/* Data types of match right-hand sides. */
enum nft_dtype {
	DT_INT,	     /* big-endian integer of `len` bytes */
	DT_HINT,     /* host-endian integer */
	DT_MARK,     /* host-endian, printed in hex */
	DT_IPV4,
	DT_IPV6,
	DT_ETHER,
	DT_SERVICE,  /* inet_service: BE 2 */
	DT_PROTO,    /* inet_proto: 1 byte, names */
	DT_IFNAME,   /* 16 bytes, NUL padded; wildcard "x*" */
	DT_IFINDEX,  /* host 4 */
	DT_ETHERTYPE, /* BE 2, names */
	DT_NFPROTO,  /* 1 byte: ipv4 2, ipv6 10 */
	DT_CTSTATE,  /* host 4, bit mask */
	DT_CTSTATUS, /* host 4, bit mask */
	DT_CTDIR,    /* 1 byte */
	DT_TCPFLAGS, /* 1 byte bit mask */
	DT_ICMPTYPE,
	DT_ICMP6TYPE,
	DT_PKTTYPE,
	DT_ARPHRD,   /* host 2 */
	DT_FIBADDR,  /* host 4: RTN_* (fib ... type) */
	DT_UID,      /* host 4: meta skuid (nft's type uid) */
	DT_GID,      /* host 4: meta skgid (gid) */
	DT_DEVGROUP, /* host 4: meta iifgroup/oifgroup (devgroup) */
	DT_ARPOP,    /* BE 2: arp operation (arp_op), names */
	DT_DSCP,     /* 6 bits of a byte, names cs0 ... ef */
	DT_ECN,      /* 2 bits of a byte, names not-ect ... ce */
	DT_TIME,     /* host 4: milliseconds, written 1m30s (ct expiration) */
	DT_STR16,    /* 16 bytes, NUL padded: a quoted name (ct helper) */
	DT_CTEVENT,  /* host 4, bit mask: ct event set new,related */
	DT_CTLABEL,  /* 128 bits: `ct label N` tests bit N */
	DT_BOOL,     /* 1 byte: exists 1, missing 0 (meta ipsec) */
	DT_CLASSID,  /* host 4: major:minor in hex, none, root */
	DT_DAY,      /* 1 byte: "Sunday" 0 ... "Saturday" 6 */
	DT_HOUR,     /* host 4: seconds since midnight UTC, "HH:MM[:SS]"
		      * local time as nft writes it */
	DT_DATE,     /* host 8: nanoseconds since the epoch (meta time),
		      * "YYYY-MM-DD[ HH:MM[:SS]]" local time, or seconds */
	DT_XINT,     /* big-endian integer of `len` bytes printed in hex:
		      * a raw payload's (`@th,96,32 0x2112a442`), up to 16 */
	DT_MHTYPE,   /* 1 byte: the mobility header's type (RFC 6275), names */
	DT_REALM,    /* host 4: a route's realm (meta rtclassid), a number */
	DT_DCCPTYPE, /* 4 bits of a byte: dccp type, names request ... */
	DT_IGMPTYPE, /* 1 byte: igmp type, names membership-query ... */
	DT_ICMPCODE, /* 1 byte: icmp code, names net-unreachable ... */
	DT_ICMP6CODE, /* 1 byte: icmpv6 code, names no-route ... */
};

/* Adjacent `==` matches of header fields as one load, as nft compiles
 * them (lang-merge.c): merged in a rule's expressions in place, and
 * split back for the formatter - a copy in *out and 1 when there was
 * something to split, else 0.  `net`: the table family's network
 * protocol, "ip", "ip6" or NULL; `raw` (NULL: none) the bitmap of the
 * expressions that are raw payload loads, which merge as fields do.
 * Negative errno on allocation failure. */
int nftl_merge_payloads(struct linx_value *exprs, const uint64_t *raw,
			const char *net);
int nftl_split_payloads(const struct linx_value *exprs, const char *net,
			struct linx_value *out);

/* The codes a reject statement names, by its icmp flavour. */
enum nftl_reject { REJECT_ICMP, REJECT_ICMP6, REJECT_ICMPX };
const struct nftl_sym *nftl_reject_codes(enum nftl_reject which, size_t *n);

/* The local time's offset from UTC in seconds, as nft applies it to
 * meta hour values (now's, whatever the value's date). */
long nftl_gmtoff(void);

/* A selector: what a match's left-hand side loads. */
struct nftl_sel {
	const char *proto; /* "tcp", "ip", "meta", "ct", "tcp option maxseg" */
	const char *field; /* "dport" */
	uint8_t kind;	   /* SEL_PAYLOAD, SEL_META, SEL_CT, ... */
	uint8_t base;	   /* payload: 0 link, 1 network, 2 transport;
			    * exthdr: the TCP option kind */
	uint8_t offset, len;
	uint8_t dtype;
	const char *key; /* meta / ct / rt key */
	/* a field narrower than its bytes: `bits` wide, `shift` bits above
	 * the low end of the `len` loaded bytes (ip dscp, ip6 flowlabel:
	 * nft 1.0.6 masks the load and compares values shifted in place);
	 * or, for the vlan header, `mask` the bits of the loaded bytes the
	 * field is (big-endian) with `shift` how far its value sits in
	 * them. 0: whole bytes. */
	uint8_t bits, shift;
	uint16_t mask;
};
/* SEL_EXTHDR: a field of a TCP option (exthdr op tcpopt) or, its proto
 * starting "sctp chunk", of an SCTP chunk (op sctp); SEL_RT: a key
 * of the rt expression (the packet's route); SEL_GEN: numgen, jhash or
 * symhash, already computed into register 1 (a host-order 32-bit
 * integer): a match on it adds no load; SEL_SOCKET: a key of the socket
 * expression (the packet's local socket); SEL_OSF: the osf expression's
 * guess at the peer's OS, `base` its ttl mode, `offset` 1 for the
 * version flag (no key: the expression has none). */
enum { SEL_PAYLOAD, SEL_META, SEL_CT, SEL_EXTHDR, SEL_RT, SEL_GEN,
       SEL_SOCKET, SEL_OSF, SEL_EXTHDR6, SEL_EXTHDR4, SEL_XFRM };
/* SEL_EXTHDR6: a field of an IPv6 extension header (exthdr op ipv6),
 * `base` the header's protocol number (hop-by-hop 0, routing 43,
 * fragment 44, destination options 60, mobility 135), `offset` and
 * `len` within it; `bits` and `shift` as for a payload bit field.
 * SEL_EXTHDR4: a field of an IPv4 option (exthdr op ipv4, `ip option`),
 * `base` the option's type (lsrr 131, rr 7, ssrr 137, ra 148).
 * SEL_XFRM: a key of the xfrm expression (`ipsec in|out`), the IPsec
 * state a packet was decrypted with (in) or is routed to (out): `base`
 * the direction (0 in, 1 out), `offset` the state's index in the
 * packet's path (spnum). */

/* A conntrack state of a ct timeout policy: its nft word, its key in the
 * object's value (the plugin's name) and the kernel's default timeout
 * for it in seconds; nftl_ct_states() lists a protocol's ("tcp", "udp"),
 * ending with a NULL word, or is NULL. */
struct nftl_ct_state {
	const char *word, *key;
	uint32_t secs;
};
const struct nftl_ct_state *nftl_ct_states(const char *proto);

/* The words of a statement that names an object of `kind` (an objref:
 * "ct helper set", "synproxy name"), or NULL for a kind none names. */
const char *nftl_objref_words(const char *kind);
/* Object kind `kind` as a map's data type (`type inet_service :
 * counter`): counter, quota, limit, secmark, synproxy, as nft declares
 * them; NULL for any other. */
const char *nftl_object_type_word(const char *kind);

/* A raw payload expression, `@nh,OFF,LEN` (bits): nft's selector for
 * it - `@th,0,16` and `@th,16,16` are th sport and th dport, any other
 * a selector of proto "@ll", "@nh" or "@th" and type DT_XINT, its bytes
 * and, when OFF or LEN is not whole bytes, its bits and shift, filled
 * into `raw` (the text of `field`, "OFF,LEN", is kept in `field_buf`).
 * False, with a message in `why`, for a form nft refuses or Linx does
 * not write. */
struct nftl_raw {
	struct nftl_sel sel;
	char field_buf[24];
};
bool nftl_raw_sel(const char *base, uint64_t off, uint64_t len,
		  struct nftl_raw *raw, const struct nftl_sel **ret,
		  char *why, size_t why_len);
/* A raw TCP option field, `tcp option @KIND,OFF,LEN` (bits): the named
 * field nft lists it as when there is one (`@2,16,16` is maxseg size),
 * else a selector of proto "tcp option" and field "@KIND,OFF,LEN" filled
 * into `raw`.  False, with a message in `why`, for a kind above 255, a
 * field not in whole bytes (not written here), longer than 8 bytes or
 * past the 40 bytes a TCP header has for options. */
bool nftl_tcpopt_raw_sel(uint64_t kind, uint64_t off, uint64_t len,
			 struct nftl_raw *raw, const struct nftl_sel **ret,
			 char *why, size_t why_len);
/* A raw selector `s` (made in some nftl_raw) copied into `keep`, for a
 * concatenation that holds several; any other selector as it is. */
static inline const struct nftl_sel *nftl_raw_keep(const struct nftl_sel *s,
						   struct nftl_raw *keep)
{
	if (s->proto[0] != '@')
		return s;
	*keep = *(const struct nftl_raw *)(const void *)s;
	keep->sel.field = keep->field_buf;
	return &keep->sel;
}

/* In a concatenation looked up in an interval set, whether selector `s`'s
 * value is turned to network order after its load, and the byteorder's
 * size: its length for host-order keys of 2, 4 or 8 bytes, 2 for a
 * one-byte meta or ct key (nft adds that byteorder, which changes
 * nothing), 0 for none. */
unsigned nftl_sel_hton_size(const struct nftl_sel *s);

/* The bits of a bit field in its loaded bytes, as a big-endian number. */
static inline uint32_t nftl_sel_mask(const struct nftl_sel *s)
{
	return (uint32_t)(((1ull << s->bits) - 1) << s->shift);
}

/* The ICMP type a field of ICMP or ICMPv6 is defined for, which nft
 * checks before it unless the rule established it: NFTL_ICMP_ECHO for
 * id and sequence (echo request and reply: a set of both), one type for
 * mtu (icmp destination-unreachable, icmpv6 packet-too-big) and for
 * icmpv6 max-delay (mld-listener-query), NFTL_ICMP_ANY for the rest. */
enum { NFTL_ICMP_ANY = -1, NFTL_ICMP_ECHO = 256 };
int nftl_icmp_need(const struct nftl_sel *s);
/* Whether what a rule established of the ICMP type, `known` (a type,
 * NFTL_ICMP_ECHO, or NFTL_ICMP_ANY for nothing), satisfies `need` for
 * the protocol (`v6`: ICMPv6). */
bool nftl_icmp_satisfied(int need, int known, bool v6);
/* Whether `elements` (a set's list), matched against selector `s`, is
 * icmp or icmpv6 type { echo-reply, echo-request }, in either order. */
bool nftl_icmp_echo_set(const struct nftl_sel *s,
			const struct linx_value *elements);

extern const struct nftl_sel nftl_sels[];

/*
 * How nft 1.0.6 writes a payload field (`ip ttl set 64`): the bytes it
 * writes, and, when the field is not whole bytes or its checksum needs
 * an even length, the load and the mask it keeps of them first, with
 * the value `shift` bits up.  The checksum attributes nft sends: the
 * protocol's checksum (type 1 inet, 2 sctp) and, for addresses, the
 * transport pseudo-header flag.
 */
struct nftl_write {
	unsigned offset, len;
	bool masked;
	uint64_t mask; /* big-endian over len bytes, the bits kept */
	unsigned bits, shift;
	unsigned csum_type, csum_offset;
	bool pseudohdr;
};
/* false: no payload write nft 1.0.6 makes the same way */
bool nftl_write_layout(const struct nftl_sel *s, struct nftl_write *w);
extern const size_t nftl_n_sels;
const struct nftl_sel *nftl_sel_find(const char *proto, const char *field);
/* typeof.c: selectors a set may be declared with (`typeof ip saddr`,
 * `typeof @nh,64,8` in whole bytes), the one a canonical text ("ip
 * saddr", "meta mark", "@nh,64,8") names, or NULL (a raw payload's is
 * made in *raw), and a selector's text (false if it does not fit). */
bool nftl_sel_typeof_ok(const struct nftl_sel *s);
const struct nftl_sel *nftl_typeof_sel(const char *text, struct nftl_raw *raw);
bool nftl_sel_text(const struct nftl_sel *s, char *buf, size_t n);

/* TCP option kinds by nft's names ("maxseg" is 2); the name of a kind,
 * or NULL for one nft prints as a number. */
bool nftl_tcpopt_kind(const char *name, unsigned *kind);
const char *nftl_tcpopt_name(unsigned kind);

/* IPv6 extension headers by the names `exthdr NAME exists` takes ("frag"
 * is 44), and the name of a header type, or NULL for one nft has no
 * name for. */
bool nftl_exthdr6_type(const char *name, unsigned *type);
const char *nftl_exthdr6_name(unsigned type);
/* SCTP chunk types by name (`sctp chunk NAME`), and the name of one. */
bool nftl_sctp_chunk(const char *name, unsigned *type);
const char *nftl_sctp_chunk_name(unsigned type);
/* IPv4 options by name (`ip option NAME`), and the name of a type. */
bool nftl_ipopt_type(const char *name, unsigned *type);
const char *nftl_ipopt_name(unsigned type);

/* Symbol tables. */
struct nftl_sym {
	const char *name;
	uint32_t v;
};
const struct nftl_sym *nftl_dtype_syms(unsigned dtype, size_t *n);
const char *nftl_sym_name(const struct nftl_sym *t, size_t n, uint32_t v);
bool nftl_sym_value(const struct nftl_sym *t, size_t n, const char *name,
		   uint32_t *v);
/* The byte length of a dtype's value (0: depends on the selector). */
unsigned nftl_dtype_len(unsigned dtype);
/* Set key type name of a dtype ("ipv4_addr", ...). */
const char *nftl_dtype_settype(unsigned dtype, unsigned len);
/* The set key type of a raw payload of `len` whole bytes in an anonymous
 * set ("integer/48"), which carries its typeof; NULL past 16 bytes.
 * nftl_dtype_settype() has the widths other keys can have. */
const char *nftl_raw_settype(unsigned len);
bool nftl_dtype_is_bitmask(unsigned dtype);
/* Whether values of `dtype` sit in the register in host byte order. */
bool nftl_dtype_host(unsigned dtype);
/* Whether ordering a `len`-byte value of `dtype` (ranges, <, >, interval
 * sets) needs the register turned to network order first, as nft does. */
bool nftl_dtype_hton(unsigned dtype, unsigned len);
/* Whether a `src` key may be stored into the `dst` selector though it is
 * shorter: a one-byte or host-order key into a mark, the kernel zeroing
 * the rest of the register (`meta mark set ct zone`, as nft takes it). */
bool nftl_widens_into_mark(const struct nftl_sel *dst,
			   const struct nftl_sel *src);
/* Whether the kernel writes key s, `meta|ct KEY set ...`
 * (nft_meta_set_init(), nft_ct_set_init()); and whether such a key may be
 * set from a map lookup as nft takes it (mark, priority, pkttype, zone). */
bool nftl_sel_settable(const struct nftl_sel *s);
bool nftl_sel_map_settable(const struct nftl_sel *s);
/* The dtype of a set type name; false for integer/N and unknown names. */
bool nftl_settype_dtype(const char *name, unsigned *dtype, unsigned *len);

/* Whether nft takes `s` as a keyword where a name is expected (an
 * unquoted table, chain, set, object or flowtable name). */
bool nftl_is_keyword(const char *s);
/* Whether s[0..n) is a byte unit (bytes, kbytes, mbytes: nft 1.0.6 has
 * no gbytes), with its multiplier in *mul (NULL: not wanted).  The lexer
 * ends a word at the '/' after one (`10 mbytes/second` is a rate), the
 * parser reads quotas and rates with them, the formatter quotes a name
 * that starts with one and a '/'. */
bool nftl_byte_unit(const char *s, size_t n, uint64_t *mul);
/* The type of a $hole matched against a selector of `dt`, `len` bytes
 * (ipv4_addr, ifname, integer/16, ...): the parser writes it into the
 * hole, the formatter picks a selector that gives it back.  `buf` holds
 * integer names. */
const char *nftl_hole_type(unsigned dt, unsigned len, char *buf, size_t n);

/* Layer-4 protocol number of a payload protocol name, or -1. */
int nftl_l4_proto(const char *proto);

/* Dynamic text buffer (formatter, errors). */
struct sbuf {
	char *p;
	size_t n, cap;
	bool oom;
};
void nftl_sb_put(struct sbuf *b, const char *s, size_t n);
void nftl_sb_puts(struct sbuf *b, const char *s);
void nftl_sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nftl_sb_quote(struct sbuf *b, const char *s);

#endif /* LINX_NFT_LANG_INTERNAL_H */
