/* SPDX-License-Identifier: MIT */
/*
 * lang-parse.c - nftables text to the ruleset value: a recursive-descent
 * parser that compiles each rule straight into the register-level
 * expressions nftables 1.0.6 generates for it (dependencies, payload
 * loads, bitwise masks, anonymous sets, immediates before nat).
 * docs/nft/lang.md lists the grammar and the choices made.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lang-internal.h"
#include "nft-internal.h"

#define MAX_SRC 32 /* token source stack: files and define expansions */
#define MAX_FILES 256

struct pfile {
	char *name;
	char *text;
	size_t len;
	struct tok_list toks;
};

struct define {
	char *name;
	const struct tok *v;
	size_t n;
};

struct src {
	const struct tok *v;
	size_t n, i;
	bool is_define;
	/* files included inside a block (table, chain, set): their tokens
	 * stand in the including file's stream, as nft's scanner splices
	 * them, and the stream goes on past their end; the files of a
	 * wildcard come one after the other, the next at next_file (up to
	 * end_file) */
	bool spliced;
	uint32_t next_file, end_file;
};


/* A concatenated key's components: their types and lengths (nftables
 * allows eight, and 64 bytes with each component in a 4-byte slot). */
#define CONCAT_MAX 8
struct ckey {
	unsigned n;
	unsigned dt[CONCAT_MAX], len[CONCAT_MAX];
	const char *name[CONCAT_MAX];
	const struct tok *at[CONCAT_MAX];
};

/* A set statement's reference to a set: what the set must allow. */
struct dynref {
	size_t table;
	const struct tok *set, *key, *timeout, *data;
	struct ckey k;
	unsigned ddt, dlen;
};

/* A name a rule refers to (a jump's chain, a lookup's set, a named
 * object): it must exist in the table once the whole input is read, or
 * the kernel refuses the rule with ENOENT. */
struct nameref {
	size_t table;
	const char *list; /* "chains", "sets", "objects", "flowtables" */
	const char *kind; /* objects: "counter", "quota", ... */
	const struct tok *name;
	/* a lookup's key (`nkey` types, NULL where unknown) and whether it
	 * is a verdict map's: checked against the set once it is known */
	const char *key[CONCAT_MAX];
	unsigned nkey;
	bool vmap;
};

/* A nat from a named map declared after its rule: whether the map gives
 * the port too (data ADDR . PORT) is known once it is (natrefs_rule()).
 * `set` names it, `map` is where the lookup starts; `l4` the rule
 * matched a transport protocol first, `pair` it was written `addr .
 * port`, `port` a port followed the map, `netmap` it was `snat ip prefix
 * to` (the map must give address ranges, data_interval, whose last
 * address the nat reads from the slot after the first). */
struct natref {
	size_t table;
	const struct tok *set, *map;
	int fam;
	bool l4, pair, port, netmap;
};

/* An objref through a named map (`counter name SEL map @m`): the map
 * must be a map of objects of this input, as the rule's value names
 * only the map, whose data type says the kind (and the formatter the
 * statement). */
struct objmapref {
	size_t table;
	const struct tok *set;
	const char *kind;
};

/* A table a delete command removed: family, name, and the command. */
struct gone {
	int fam;
	const char *name;
	const struct tok *at;
};

/* A meter: its table and name, unique among the table's sets. */
struct meterref {
	size_t table;
	const struct tok *name;
};

struct parser {
	const struct linx_nft_parse_opts *opts;
	struct pfile files[MAX_FILES];
	size_t n_files;
	struct define *defs;
	size_t n_defs;
	/* the first define of the innermost table or chain block: nft
	 * scopes a define to the block it is in */
	size_t def_scope;
	struct src src[MAX_SRC];
	size_t n_src;
	char root[PATH_MAX];
	bool have_root;
	unsigned max_depth, depth;
	struct linx_value rs; /* {"tables": [...]} */
	struct linx_nft_parse_error *perr;
	struct linx_error *err;
	const struct tok *last; /* last token consumed, for errors */
	/* an object's properties on the command's own line, without
	 * braces: `add quota ip t q 10 mbytes`, `add counter ip t c` */
	bool obj_inline;
	const struct tok *first_iv; /* the first prefix or range of a set */
	/* while the elements of a concatenated key are read: its types */
	const struct ckey *ck;
	/* while a named map's elements are read, when its data is a
	 * concatenation (`type K : ipv4_addr . inet_service`): its types */
	const struct ckey *dck;
	/* parse_elements() of an object map (data kind 3): the kind */
	const char *obj_kind;
	/* while a named set's elements are read: they may carry statements */
	bool elem_stmts;
	/* a set after `SEL & MASK`: one element is a compare, not the
	 * flag test of `ct state { established }` */
	bool masked_set;
	size_t expanded; /* tokens produced by define expansion */
	bool expand_overflow;
	/* the table being filled */
	int family;
	size_t table;
	/* table_item()'s last find: a chain body looks its chain up again
	 * for every rule, and names are unique in their list */
	const struct linx_value *ti_list;
	uint32_t ti_index;
	/* the sets set statements refer to, checked at the end (a set may
	 * be declared after the chain that updates it) */
	struct dynref *dynrefs;
	size_t n_dynrefs;
	struct meterref *meters;
	size_t n_meters;
	struct nameref *refs;
	size_t n_refs;
	/* byteorders waiting for a set declared later (hton_for_set) */
	size_t n_hostrefs;
	/* nats from named maps declared later (stmt_nat) */
	struct natref *natrefs;
	size_t n_natrefs;
	/* objrefs through named maps, checked at the end */
	struct objmapref *objmaprefs;
	size_t n_objmaprefs;
	/* tables a delete or destroy command removed and no table command
	 * declared again since: a load cannot delete a table (it replaces
	 * the tables it declares), so each must come back by the end */
	struct gone *gone;
	size_t n_gone;
	/* how deep the set literal being read is in others (parse_elements) */
	unsigned set_depth;
	/* the largest value the last numgen or hash gives (gen_mod) */
	uint64_t gen_max;
	/* while the values of a bit field (ip dscp) are read: its width
	 * and place; parse_value() checks and shifts them (0: none) */
	uint8_t fbits, fshift;
	/* while a nat map's elements are read: how many values were
	 * ADDR . PORT (-1: not a nat map) */
	long nat_pairs;
	/* while a map's elements are read: whether its values may be
	 * ranges (a nat map's addresses, a map declared `: interval T`),
	 * and whether one was (data_interval) */
	bool data_iv_ok, data_iv;
	/* the selector of the raw payload expression being read */
	struct nftl_raw raw;
	/* the bytes of the last set element read (parse_elem_key) */
	struct {
		uint8_t lo[64], hi[64];
		int plen;
		bool range;
		unsigned wild; /* a wildcard's prefix length, 0 none */
	} one;
};

static struct tok eof_tok = { .kind = T_EOF };

static int block_common(struct parser *p, const struct tok *t);
static size_t scope_open(struct parser *p);
static void scope_close(struct parser *p, size_t outer);

/* ---- errors ------------------------------------------------------------- */

static int perror_at(struct parser *p, const struct tok *t, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));

static void fill_perr(struct parser *p, uint32_t file, uint32_t line,
		      uint32_t col, const char *msg)
{
	struct linx_nft_parse_error *e = p->perr;
	const struct pfile *f = file < p->n_files ? &p->files[file] : NULL;
	const char *name = f && f->name ? f->name : "nofile";

	if (e) {
		memset(e, 0, sizeof(*e));
		snprintf(e->file, sizeof(e->file), "%s", name);
		e->line = line;
		e->column = col;
		snprintf(e->message, sizeof(e->message), "%s", msg);
		if (f && f->text && line > 0) {
			const char *s = f->text, *end = f->text + f->len;
			for (uint32_t l = 1; l < line && s < end; s++)
				if (*s == '\n')
					l++;
			const char *q = s;
			while (q < end && *q != '\n' && *q != '\r')
				q++;
			size_t n = (size_t)(q - s);
			if (n >= sizeof(e->snippet))
				n = sizeof(e->snippet) - 1;
			memcpy(e->snippet, s, n);
			e->snippet[n] = 0;
			/* keep the snippet printable */
			for (size_t i = 0; i < n; i++)
				if ((unsigned char)e->snippet[i] < 0x20 &&
				    e->snippet[i] != '\t')
					e->snippet[i] = ' ';
		}
	}
	linx_error_set(p->err, EINVAL, "parse", "%s:%u:%u: %s", name,
		       (unsigned)line, (unsigned)col, msg);
}

static int perror_at(struct parser *p, const struct tok *t, const char *fmt,
		     ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!t || t->kind == T_EOF) {
		t = p->last ? p->last : t;
	}
	fill_perr(p, t ? t->file : 0, t ? t->line : 1, t ? t->col : 1, msg);
	return -EINVAL;
}

static int nomem(struct parser *p)
{
	linx_error_set(p->err, ENOMEM, "parse", "out of memory");
	return -ENOMEM;
}

/* ---- token stream with define expansion ------------------------------------ */

static const struct define *find_def(struct parser *p, const char *name)
{
	for (size_t i = p->n_defs; i > 0; i--)
		if (strcmp(p->defs[i - 1].name, name) == 0)
			return &p->defs[i - 1];
	return NULL;
}

static const struct tok *peek(struct parser *p)
{
	for (;;) {
		if (p->n_src == 0)
			return &eof_tok;
		struct src *s = &p->src[p->n_src - 1];
		if (s->i >= s->n) {
			if (s->spliced && s->next_file < s->end_file) {
				const struct pfile *f = &p->files[s->next_file++];
				s->v = f->toks.v;
				s->n = f->toks.n;
				s->i = 0;
				continue;
			}
			if (!s->is_define && !s->spliced)
				return &eof_tok;
			p->n_src--;
			continue;
		}
		const struct tok *t = &s->v[s->i];
		if (t->kind == T_VAR) {
			const struct define *d = find_def(p, t->s);
			if (d && p->expanded + d->n > NFT_LANG_MAX_EXPANSION)
				p->expand_overflow = true;
			else if (d && p->n_src < MAX_SRC) {
				p->expanded += d->n;
				s->i++;
				p->src[p->n_src++] = (struct src){
					.v = d->v, .n = d->n, .is_define = true
				};
				continue;
			}
		}
		return t;
	}
}

static const struct tok *next(struct parser *p)
{
	const struct tok *t = peek(p);

	if (t->kind != T_EOF) {
		p->src[p->n_src - 1].i++;
		p->last = t;
	}
	return t;
}

static bool is_ident(const struct tok *t, const char *s)
{
	return t->kind == T_IDENT && streq(t->s, s);
}

static bool is_punct(const struct tok *t, char c)
{
	return t->kind == T_PUNCT && t->c == c;
}

static bool accept_ident(struct parser *p, const char *s)
{
	if (is_ident(peek(p), s)) {
		next(p);
		return true;
	}
	return false;
}

static bool accept_punct(struct parser *p, char c)
{
	if (is_punct(peek(p), c)) {
		next(p);
		return true;
	}
	return false;
}

static const char *tok_desc(const struct tok *t, char *buf, size_t n)
{
	switch (t->kind) {
	case T_EOF: return "end of file";
	case T_SEP: return "end of statement";
	case T_INT: snprintf(buf, n, "number %llu", (unsigned long long)t->u); return buf;
	case T_STRING: snprintf(buf, n, "string \"%.40s\"", t->s); return buf;
	case T_PUNCT:
		if (t->c == 'N') return "'!='";
		if (t->c == 'l') return "'<='";
		if (t->c == 'g') return "'>='";
		snprintf(buf, n, "'%c'", t->c);
		return buf;
	case T_VAR: snprintf(buf, n, "$%.40s", t->s); return buf;
	case T_SETREF: snprintf(buf, n, "@%.40s", t->s); return buf;
	default: snprintf(buf, n, "'%.40s'", t->s); return buf;
	}
}

static int unexpected(struct parser *p, const struct tok *t, const char *want)
{
	char b[96];

	if (t->kind == T_VAR && p->expand_overflow)
		return perror_at(p, t, "variables expand to more than %u tokens",
				 NFT_LANG_MAX_EXPANSION);
	if (t->kind == T_VAR && find_def(p, t->s))
		return perror_at(p, t, "variable $%s refers to itself", t->s);
	if (t->kind == T_VAR) {
		struct tok name = *t; /* nft points past the '$' */
		name.col++;
		return perror_at(p, &name, "unknown identifier '%s' (no define "
					   "gives $%s)",
				 t->s, t->s);
	}
	return perror_at(p, t, "syntax error, unexpected %s%s%s",
			 tok_desc(t, b, sizeof(b)), want ? ", expecting " : "",
			 want ? want : "");
}

/* A comment's text: a quoted string or, as nft takes it, a word that
 * is not a keyword (`comment web`).  NULL and *rc set otherwise. */
static const struct tok *comment_text(struct parser *p, int *rc)
{
	const struct tok *t = next(p);

	if (t->kind == T_STRING ||
	    (t->kind == T_IDENT && !nftl_is_keyword(t->s)))
		return t;
	*rc = unexpected(p, t, "a string");
	return NULL;
}

static int expect_punct(struct parser *p, char c)
{
	char w[8] = { '\'', c, '\'', 0 };

	if (accept_punct(p, c))
		return 0;
	return unexpected(p, peek(p), w);
}

static void skip_seps(struct parser *p)
{
	while (peek(p)->kind == T_SEP)
		next(p);
}

/* After an item of a `{ a, b }` list: 1 when another item follows, 0
 * when the closing brace ended the list, or an error. */
static int list_next(struct parser *p)
{
	skip_seps(p);
	if (accept_punct(p, ','))
		return 1;
	if (accept_punct(p, '}'))
		return 0;
	return unexpected(p, peek(p), "',' or '}'");
}

static int expect_name(struct parser *p, const char **ret, const char *what)
{
	const struct tok *t = peek(p);

	/* `ens*` is an interface name wildcard, not a name (nft: string
	 * with a trailing asterisk) */
	if (t->kind == T_IDENT && t->s[t->slen - 1] == '*')
		return perror_at(p, t, "syntax error, unexpected wildcard %s, "
				       "expecting %s",
				 t->s, what);
	if (t->kind == T_IDENT || t->kind == T_STRING) {
		next(p);
		if (t->slen == 0 || t->slen > 255)
			return perror_at(p, t, "%s: length out of range",
					 what);
		*ret = t->s;
		return 0;
	}
	return unexpected(p, t, what);
}

/* The name of a table, chain, set, object or flowtable (declared or
 * referred to): nft refuses its keywords there, unquoted, with a syntax
 * error; a quoted name is Linx's own way to write one (what the
 * formatter prints for a name nft cannot read). */
static int expect_decl_name(struct parser *p, const char **ret,
			    const char *what)
{
	const struct tok *t = peek(p);

	if (t->kind == T_IDENT && nftl_is_keyword(t->s))
		return perror_at(p, t, "syntax error, unexpected %s, "
				       "expecting %s (quote a name nft "
				       "takes as a keyword)",
				 t->s, what);
	return expect_name(p, ret, what);
}

static int expect_uint(struct parser *p, uint64_t max, uint64_t *ret,
		       const char *what)
{
	const struct tok *t = peek(p);

	if (t->kind != T_INT)
		return unexpected(p, t, what);
	next(p);
	if (t->u > max)
		return perror_at(p, t, "%s out of range (at most %llu)", what,
				 (unsigned long long)max);
	*ret = t->u;
	return 0;
}

/* ---- interface names ---------------------------------------------------- */

static int ifindex_in_netns(void *arg, struct linx_value *ret,
			    struct linx_error *err)
{
	(void)err;
	*ret = linx_value_uint(if_nametoindex(arg));
	return 0;
}

/* The index of the interface `t` names, in the namespace the ruleset is
 * for (opts->netns, else the caller's); 0 when there is none. */
static int ifindex_of(struct parser *p, const struct tok *t, unsigned *idx)
{
	const struct linx_ns_target *ns = p->opts ? p->opts->netns : NULL;
	struct linx_value v = linx_value_nil();
	struct linx_error e;

	if (!ns || ns->kind == LINX_NS_TARGET_SELF) {
		*idx = if_nametoindex(t->s);
		return 0;
	}
	int rc = linx_ns_run(ns, LINX_NS_NET, 0, ifindex_in_netns,
			     (void *)t->s, &v, &e);
	if (rc < 0)
		return perror_at(p, t, "cannot look up interface %s: %s", t->s,
				 e.message);
	*idx = v.type == LINX_UINT ? (unsigned)v.u : 0;
	return 0;
}

/* ---- value helpers ------------------------------------------------------ */

static struct linx_value *mget(struct linx_value *m, const char *k)
{
	return (struct linx_value *)linx_map_get(m, k);
}

/* The list under key `k` of map `m`, created when absent. */
static struct linx_value *mlist(struct linx_value *m, const char *k)
{
	struct linx_value *l = mget(m, k);

	if (!l) {
		struct linx_value nl = linx_value_list();
		linx_map_put(m, k, &nl);
		l = mget(m, k);
	}
	return l;
}

/* ---- time, rates, sizes ------------------------------------------------------ */

/* "1h30m", "10s", "500ms", or an integer (seconds) -> ms. */
static int parse_time(struct parser *p, uint64_t *ms)
{
	const struct tok *t = next(p);
	uint64_t total = 0;

	if (t->kind == T_INT) {
		if (t->u > UINT64_MAX / 1000 / 2)
			return perror_at(p, t, "time out of range");
		*ms = t->u * 1000;
		return 0;
	}
	if (t->kind != T_IDENT && t->kind != T_STRING)
		return unexpected(p, t, "a time (1h30m, 10s)");
	const char *s = t->s;
	if (!*s)
		return perror_at(p, t, "empty time");
	while (*s) {
		uint64_t v = 0, mul;
		if (!isdigit((unsigned char)*s))
			return perror_at(p, t, "bad time: %s", t->s);
		while (isdigit((unsigned char)*s)) {
			if (v > 1000000000ull)
				return perror_at(p, t, "time out of range");
			v = v * 10 + (uint64_t)(*s++ - '0');
		}
		if (strncmp(s, "ms", 2) == 0) {
			mul = 1;
			s += 2;
		} else if (*s == 'd') {
			mul = 86400000;
			s++;
		} else if (*s == 'h') {
			mul = 3600000;
			s++;
		} else if (*s == 'm') {
			mul = 60000;
			s++;
		} else if (*s == 's') {
			mul = 1000;
			s++;
		} else {
			return perror_at(p, t, "bad time unit in %s", t->s);
		}
		total += v * mul;
	}
	*ms = total;
	return 0;
}

static bool time_unit(const char *s, const char **name)
{
	static const char *const u[] = { "second", "minute", "hour", "day",
					 "week" };
	for (size_t i = 0; i < 5; i++)
		if (strcmp(s, u[i]) == 0) {
			*name = u[i];
			return true;
		}
	return false;
}

static bool byte_unit(const char *s, uint64_t *mul)
{
	/* nft 1.0.6 has no gbytes ("Wrong rate format") */
	return nftl_byte_unit(s, strlen(s), mul);
}

/* "N unit" where unit is bytes/kbytes/mbytes; also "Nmbytes". */
static int parse_bytes(struct parser *p, uint64_t *ret)
{
	const struct tok *t = next(p);
	uint64_t v = 0, mul;

	if (t->kind == T_INT) {
		v = t->u;
		const struct tok *u = peek(p);
		if (u->kind != T_IDENT || !byte_unit(u->s, &mul))
			return unexpected(p, u, "a byte unit (bytes, kbytes, "
						"mbytes)");
		next(p);
	} else if (t->kind == T_IDENT) {
		const char *s = t->s;
		while (isdigit((unsigned char)*s) && v < (1ull << 40))
			v = v * 10 + (uint64_t)(*s++ - '0');
		if (s == t->s || !byte_unit(s, &mul))
			return unexpected(p, t, "a size (10 mbytes)");
	} else {
		return unexpected(p, t, "a size (10 mbytes)");
	}
	if (v > UINT64_MAX / mul)
		return perror_at(p, t, "size out of range");
	*ret = v * mul;
	return 0;
}

/* ---- verdicts ---------------------------------------------------------------- */

static bool is_verdict_word(const char *s)
{
	return streq(s, "accept") || streq(s, "drop") ||
	       streq(s, "continue") || streq(s, "return") ||
	       streq(s, "jump") || streq(s, "goto");
}

static int add_ref(struct parser *p, const char *list, const char *kind,
		   const struct tok *name)
{
	if (p->n_refs >= (1u << 24))
		return perror_at(p, name, "too many references");
	if (p->n_refs % 64 == 0) {
		struct nameref *n = realloc(p->refs, (p->n_refs + 64) *
							     sizeof(*n));
		if (!n)
			return nomem(p);
		p->refs = n;
	}
	p->refs[p->n_refs++] = (struct nameref){ .table = p->table,
						 .list = list,
						 .kind = kind,
						 .name = name };
	return 0;
}

static int parse_verdict(struct parser *p, struct linx_value *ret)
{
	const struct tok *t = next(p);

	if (t->kind != T_IDENT || !is_verdict_word(t->s))
		return unexpected(p, t, "a verdict");
	if (streq(t->s, "jump") || streq(t->s, "goto")) {
		const char *name;
		int r = expect_decl_name(p, &name, "a chain name");
		if (r < 0 || (r = add_ref(p, "chains", NULL, p->last)) < 0)
			return r;
		*ret = linx_value_map();
		linx_map_put_cstring(ret, t->s, name);
		return 0;
	}
	return linx_value_cstring(ret, t->s) < 0 ? nomem(p) : 0;
}

/* ---- typed values ------------------------------------------------------------ */

struct val {
	uint8_t b[64];
	unsigned len;
	int plen;	/* prefix, or -1 */
	bool wildcard;	/* ifname "eth*" */
	struct linx_value elem; /* the set element form of the value */
};

static void put_uint(uint8_t *b, unsigned len, uint64_t v, bool host)
{
	for (unsigned i = 0; i < len; i++) {
		unsigned sh = host ? i : len - 1 - i;
#if __BYTE_ORDER == __BIG_ENDIAN
		if (host)
			sh = len - 1 - i;
#endif
		/* a raw payload's bytes past the 64 bits of a number */
		b[i] = sh < 8 ? (uint8_t)(v >> (8 * sh)) : 0;
	}
}

static int lookup_service(const char *name, uint64_t *v)
{
	struct servent se, *res = NULL;
	char buf[1024];

	/* any protocol's entry, as nft resolves names: ntp and bootps are
	 * listed for udp only */
	if ((getservbyname_r(name, "tcp", &se, buf, sizeof(buf), &res) != 0 ||
	     !res) &&
	    (getservbyname_r(name, "udp", &se, buf, sizeof(buf), &res) != 0 ||
	     !res))
		return -1;
	*v = ntohs((uint16_t)res->s_port);
	return 0;
}

/* An IP protocol by its /etc/protocols name (`ipv6-frag`), as nft
 * resolves the names it has no symbol for. */
static int lookup_protocol(const char *name, uint64_t *v)
{
	struct protoent pe, *res = NULL;
	char buf[1024];

	if (getprotobyname_r(name, &pe, buf, sizeof(buf), &res) != 0 || !res ||
	    res->p_proto < 0 || res->p_proto > 255)
		return -1;
	*v = (uint64_t)res->p_proto;
	return 0;
}

/*
 * A name in one of iproute2's tables (`group` for device groups,
 * `rt_realms` for realms), as nft reads them: lines of `NUMBER NAME`,
 * the number decimal or 0x hex, `#` comments, in /etc/iproute2 and then
 * in /usr/share/iproute2 (where Debian 13 keeps the defaults).  0 with
 * *v, or -1 when no file names it.
 */
static int lookup_iproute2(const char *table, const char *name, uint64_t *v)
{
	static const char *const dirs[] = { "/etc/iproute2",
					    "/usr/share/iproute2" };
	char path[64], line[256];

	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[d], table);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *end, *w = line + strspn(line, " \t");
			if (*w == '#' || *w == '\n' || !*w)
				continue;
			errno = 0;
			unsigned long long n = strtoull(w, &end, 0);
			if (end == w || errno || n > UINT32_MAX ||
			    !strchr(" \t", *end))
				continue;
			end += strspn(end, " \t");
			size_t l = strcspn(end, " \t\r\n#");
			if (l == strlen(name) && strncmp(end, name, l) == 0) {
				fclose(f);
				*v = n;
				return 0;
			}
		}
		fclose(f);
	}
	return -1;
}

/* A hole's type name: what linx_nft_fill_holes() converts to. */
int nftl_lang_hole_bytes(const char *type, const struct linx_value *v,
			uint8_t *out, unsigned *len, char *why, size_t whyn);

/* A classid half in hex: the lexer read 10 as a decimal integer and
 * ffff or 1a as a word. */
static int classid_half(struct parser *p, const struct tok *t, uint64_t *ret)
{
	char buf[24], *end;

	if (t->kind == T_INT)
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)t->u);
	else if (t->kind == T_IDENT && t->slen < sizeof(buf))
		memcpy(buf, t->s, t->slen + 1);
	else
		return unexpected(p, t, "a hex number (major:minor)");
	if (!isxdigit((unsigned char)buf[0]))
		return unexpected(p, t, "a hex number (major:minor)");
	*ret = strtoull(buf, &end, 16);
	if (*end || *ret > 0xffff)
		return perror_at(p, t, "bad classid: %s (hex, up to ffff)",
				 buf);
	return 0;
}

/* meta priority: MAJOR:MINOR in hex as tc writes a class, none, root,
 * or a plain number (the 32-bit value). */
static int parse_classid(struct parser *p, struct val *v)
{
	const struct tok *t = next(p);
	uint64_t hi, lo;
	int rc;

	if (is_ident(t, "none") || is_ident(t, "root")) {
		hi = is_ident(t, "root") ? 0xffffffff : 0;
	} else if (t->kind == T_INT && !is_punct(peek(p), ':')) {
		if (t->u > UINT32_MAX)
			return perror_at(p, t, "value out of range: %llu",
					 (unsigned long long)t->u);
		hi = t->u;
	} else {
		if ((rc = classid_half(p, t, &hi)) < 0 ||
		    (rc = expect_punct(p, ':')) < 0 ||
		    (rc = classid_half(p, next(p), &lo)) < 0)
			return rc;
		hi = hi << 16 | lo;
	}
	put_uint(v->b, v->len, hi, true);
	v->elem = linx_value_int((int64_t)hi);
	return 0;
}

/* meta hour "HH:MM[:SS]": local time, kept as seconds since midnight
 * UTC - nft subtracts the local offset of now (a number is taken as it
 * is, by the generic path). */
static int parse_hour(struct parser *p, struct val *v)
{
	const struct tok *t = next(p);
	unsigned h, m, s = 0;
	int n = 0, k;

	k = sscanf(t->s, "%2u:%2u%n:%2u%n", &h, &m, &n, &s, &n);
	if (k < 2 || (size_t)n != t->slen || h > 23 || m > 59 || s > 59 ||
	    t->s[0] < '0' || t->s[0] > '9')
		return perror_at(p, t, "bad hour: %s (HH:MM or HH:MM:SS)",
				 t->s);
	long x = ((long)h * 3600 + m * 60 + s - nftl_gmtoff()) % 86400;
	if (x < 0)
		x += 86400;
	put_uint(v->b, v->len, (uint64_t)x, true);
	v->elem = linx_value_int(x);
	return 0;
}

/* meta time: "YYYY-MM-DD[ HH:MM[:SS]]" in local time, or a number of
 * seconds since the epoch; kept as nanoseconds.  nft wraps values past
 * 2^64 ns and dates before 1970 around; Linx refuses them. */
static int parse_date(struct parser *p, struct val *v)
{
	const struct tok *t = next(p);
	uint64_t secs;

	if (t->kind == T_INT) {
		secs = t->u;
	} else if (t->kind == T_STRING) {
		static const char *const forms[] = { "%Y-%m-%d %H:%M:%S",
						     "%Y-%m-%d %H:%M",
						     "%Y-%m-%d" };
		struct tm tm;
		const char *end = NULL;
		time_t x;

		for (size_t i = 0; !end && i < sizeof(forms) / sizeof(*forms);
		     i++) {
			memset(&tm, 0, sizeof(tm));
			end = strptime(t->s, forms[i], &tm);
			if (end && *end)
				end = NULL;
		}
		if (!end || !isdigit((unsigned char)t->s[0]))
			return perror_at(p, t, "bad date: %s (YYYY-MM-DD, "
					       "optionally with HH:MM or "
					       "HH:MM:SS)", t->s);
		tm.tm_isdst = -1;
		x = mktime(&tm);
		if (x < 0)
			return perror_at(p, t, "date out of range: %s (1970 "
					       "or later)", t->s);
		secs = (uint64_t)x;
	} else {
		return unexpected(p, t, "a date (\"YYYY-MM-DD HH:MM:SS\")");
	}
	if (secs > UINT64_MAX / 1000000000u)
		return perror_at(p, t, "date out of range");
	put_uint(v->b, v->len, secs * 1000000000u, true);
	v->elem = linx_value_uint(secs * 1000000000u);
	return 0;
}

/* A user or group name as the value of meta skuid / skgid: resolved now,
 * in the parsing process's user database, as nft resolves it
 * (getpwnam_r(3), getgrnam_r(3)); a name that is all digits and names
 * nobody is the number, as nft reads "1000". */
static int lookup_id(struct parser *p, const struct tok *t, bool user,
		     uint64_t *ret_id)
{
	char buf[16384];
	struct passwd pw, *pwr = NULL;
	struct group gr, *grr = NULL;
	char *end;

	if (user && getpwnam_r(t->s, &pw, buf, sizeof(buf), &pwr) == 0 &&
	    pwr) {
		*ret_id = pw.pw_uid;
		return 0;
	}
	if (!user && getgrnam_r(t->s, &gr, buf, sizeof(buf), &grr) == 0 &&
	    grr) {
		*ret_id = gr.gr_gid;
		return 0;
	}
	errno = 0;
	unsigned long long v = strtoull(t->s, &end, 10);
	if (isdigit((unsigned char)t->s[0]) && !*end && errno == 0 &&
	    v <= UINT32_MAX) {
		*ret_id = v;
		return 0;
	}
	return perror_at(p, t, "%s does not exist: %s",
			 user ? "user" : "group", t->s);
}

/* One value of `dt` (`len` bytes in the register) from the next token. */
static int parse_value(struct parser *p, unsigned dt, unsigned len,
		       struct val *v)
{
	const struct tok *t;
	uint64_t n = 0;
	bool have_n = false;
	int rc;

	memset(v->b, 0, sizeof(v->b));
	v->len = len;
	v->plen = -1;
	v->wildcard = false;
	v->elem = linx_value_nil();
	if (dt == DT_TIME) { /* milliseconds: 5s, 1m30s */
		t = peek(p);
		if ((rc = parse_time(p, &n)) < 0)
			return rc;
		if (n > UINT32_MAX)
			return perror_at(p, t, "time out of range");
		put_uint(v->b, len, n, true);
		v->elem = linx_value_int((int64_t)n);
		return 0;
	}
	if (dt == DT_CLASSID)
		return parse_classid(p, v);
	if (dt == DT_HOUR && peek(p)->kind == T_STRING)
		return parse_hour(p, v);
	if (dt == DT_DATE)
		return parse_date(p, v);
	t = next(p);
	switch (dt) {
	case DT_IPV4:
	case DT_IPV6: {
		int af = dt == DT_IPV4 ? AF_INET : AF_INET6;
		if (dt == DT_IPV4 && t->kind == T_INT && t->u <= UINT32_MAX) {
			/* a number, as nft takes it (`& 0xffffff00`) */
			char txt[INET_ADDRSTRLEN];
			put_uint(v->b, 4, t->u, false);
			inet_ntop(AF_INET, v->b, txt, sizeof(txt));
			linx_value_cstring(&v->elem, txt);
			return 0;
		}
		if (t->kind != (dt == DT_IPV4 ? T_IPV4 : T_IPV6))
			return unexpected(p, t, dt == DT_IPV4
							? "an IPv4 address"
							: "an IPv6 address");
		inet_pton(af, t->s, v->b);
		v->plen = t->plen;
		if (t->plen >= 0) {
			/* host bits are cleared, as nftables does */
			char buf[80], txt[INET6_ADDRSTRLEN];
			unsigned bits = (unsigned)t->plen;
			for (unsigned i = 0; i < len; i++) {
				unsigned keep = bits >= 8 ? 8 : bits;
				v->b[i] &= (uint8_t)(keep ? 0xff << (8 - keep) : 0);
				bits -= keep;
			}
			inet_ntop(af, v->b, txt, sizeof(txt));
			snprintf(buf, sizeof(buf), "%s/%d", txt, t->plen);
			linx_value_cstring(&v->elem, buf);
		} else {
			linx_value_cstring(&v->elem, t->s);
		}
		return 0;
	}
	case DT_ETHER: {
		if (t->kind != T_MAC)
			return unexpected(p, t, "a MAC address");
		unsigned o[6];
		sscanf(t->s, "%x:%x:%x:%x:%x:%x", &o[0], &o[1], &o[2], &o[3],
		       &o[4], &o[5]);
		char buf[32];
		for (int i = 0; i < 6; i++)
			v->b[i] = (uint8_t)o[i];
		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
			 o[0], o[1], o[2], o[3], o[4], o[5]);
		linx_value_cstring(&v->elem, buf);
		return 0;
	}
	case DT_STR16: { /* ct helper "ftp": no wildcard */
		if (t->kind != T_STRING && t->kind != T_IDENT)
			return unexpected(p, t, "a name");
		if (t->slen == 0 || t->slen >= 16 || strlen(t->s) != t->slen)
			return perror_at(p, t, "name length out of range: %s",
					 t->s);
		memcpy(v->b, t->s, t->slen);
		linx_value_cstring(&v->elem, t->s);
		return 0;
	}
	case DT_IFNAME: {
		/* unquoted, nft's keywords are no names, except those its
		 * grammar takes as a value too (keyword_expr: `iifname ip`) */
		static const char *const kw_values[] = {
			"arp", "dnat", "ecn", "ether", "ip", "ip6", "reset",
			"snat", "vlan",
		};
		bool kw = t->kind == T_IDENT && nftl_is_keyword(t->s);
		for (size_t i = 0; kw && i < sizeof(kw_values) / sizeof(*kw_values); i++)
			kw = !streq(t->s, kw_values[i]);
		if ((t->kind != T_STRING && t->kind != T_IDENT) || kw)
			return unexpected(p, t, "an interface name");
		size_t l = t->slen;
		if (l > 0 && t->s[l - 1] == '*') {
			v->wildcard = true;
			l--;
			if (l == 0)
				return perror_at(p, t, "a wildcard needs a "
						       "prefix");
		}
		if (l == 0 || l >= 16)
			return perror_at(p, t, "interface name length out of "
					       "range: %s", t->s);
		for (size_t i = 0; i < l; i++)
			if ((unsigned char)t->s[i] < 0x20 || t->s[i] == 0x7f)
				return perror_at(p, t, "a control character in "
						       "an interface name");
		memcpy(v->b, t->s, l);
		if (v->wildcard)
			v->len = (unsigned)l;
		linx_value_cstring(&v->elem, t->s);
		return 0;
	}
	default:
		break;
	}
	/* a raw payload's value past 64 bits, in its bytes */
	if (t->kind == T_BIGINT) {
		if (dt != DT_XINT || t->slen > 2 * len || p->fbits)
			return perror_at(p, t, "value out of range: 0x%s",
					 t->s);
		for (size_t i = 0; i < t->slen; i++) {
			char c = t->s[t->slen - 1 - i];
			unsigned d = isdigit((unsigned char)c) ? (unsigned)(c - '0')
							       : (unsigned)(c - 'a' + 10);
			v->b[len - 1 - i / 2] |= (uint8_t)(d << (4 * (i % 2)));
		}
		linx_value_bytes(&v->elem, v->b, len);
		return 0;
	}
	/* integers and symbols */
	if (t->kind == T_INT) {
		n = t->u;
		have_n = true;
	} else if (t->kind == T_IDENT || t->kind == T_STRING) {
		size_t ns;
		const struct nftl_sym *syms = nftl_dtype_syms(dt, &ns);
		uint32_t sv;

		if (syms && nftl_sym_value(syms, ns, t->s, &sv)) {
			n = sv;
			have_n = true;
		} else if (dt == DT_SERVICE && lookup_service(t->s, &n) == 0) {
			have_n = true;
		} else if (dt == DT_PROTO && lookup_protocol(t->s, &n) == 0) {
			have_n = true;
		} else if ((dt == DT_DEVGROUP || dt == DT_REALM) &&
			   lookup_iproute2(dt == DT_DEVGROUP ? "group"
							     : "rt_realms",
					   t->s, &n) == 0) {
			have_n = true;
		} else if (dt == DT_UID || dt == DT_GID) {
			if ((rc = lookup_id(p, t, dt == DT_UID, &n)) < 0)
				return rc;
			have_n = true;
		} else if (dt == DT_IFINDEX) {
			unsigned idx = 0;
			if ((rc = ifindex_of(p, t, &idx)) < 0)
				return rc;
			if (!idx)
				return perror_at(p, t,
						 "interface does not exist: %s "
						 "(iif/oif resolve names now; "
						 "use iifname/oifname)",
						 t->s);
			n = idx;
			have_n = true;
		}
	}
	if (!have_n)
		return unexpected(p, t, "a value");
	if (dt == DT_DAY && n > 6)
		return perror_at(p, t, "day out of range: %llu (0-6)",
				 (unsigned long long)n);
	if (p->fbits && n >> p->fbits)
		return perror_at(p, t, "value out of range: %llu (a %u-bit "
				       "field)",
				 (unsigned long long)n, p->fbits);
	/* a bit field's value sits where the field does, in the register
	 * and in set elements alike, as nft 1.0.6 puts it */
	n <<= p->fshift;
	if (len < 8 && n >> (8 * len))
		return perror_at(p, t, "value out of range: %llu",
				 (unsigned long long)n);
	put_uint(v->b, len, n, nftl_dtype_host(dt));
	/* a key past 8 bytes (@nh,64,128) is bytes, as a pull gives it */
	if (dt == DT_XINT && len > 8)
		linx_value_bytes(&v->elem, v->b, len);
	else
		v->elem = linx_value_int((int64_t)n);
	return 0;
}

/* ---- rule context ----------------------------------------------------------- */

struct rule {
	struct linx_value exprs;
	int l4;	     /* known l4 protocol, -1 */
	int nfproto; /* known nfproto (2, 10), -1 */
	int ethproto;
	unsigned vlan; /* 802.1Q headers established (stacked), 0 none */
	bool iiftype;
	/* a transport protocol was matched, maybe as one of a set (meta
	 * l4proto { tcp, udp }): what nft wants before tproxy */
	bool l4seen;
	/* the ICMP type established: one type, NFTL_ICMP_ECHO (a set of
	 * both echo types) or NFTL_ICMP_ANY (nothing) */
	int icmp;
	bool verdict;
	struct linx_value tag, comment;
	/* the expressions that are raw payload loads (`@th,96,32`), which
	 * nft merges with their neighbours as it does header fields */
	uint64_t raw[1024 / 64 + 1];
};

static int push_expr(struct parser *p, struct rule *r, struct linx_value *e)
{
	if (linx_list_push(&r->exprs, e) < 0 || r->exprs.len > 1024)
		return r->exprs.len > 1024 ? perror_at(p, p->last,
						       "rule too long")
					   : nomem(p);
	return 0;
}

static int e_load(struct parser *p, struct rule *r, const char *kind,
		  const char *key, unsigned reg)
{
	struct linx_value e = linx_value_map();

	linx_map_put_cstring(&e, "expr", kind);
	linx_map_put_cstring(&e, "key", key);
	linx_map_put_int(&e, "dreg", reg);
	return push_expr(p, r, &e);
}

static int e_payload_reg(struct parser *p, struct rule *r, unsigned base,
			 unsigned off, unsigned len, unsigned reg)
{
	static const char *const bases[] = { "link", "network", "transport" };
	struct linx_value e = linx_value_map();

	linx_value_reserve(&e, 5); /* not 4 then 8 */
	linx_map_put_cstring(&e, "expr", "payload");
	linx_map_put_int(&e, "dreg", reg);
	linx_map_put_cstring(&e, "base", bases[base]);
	linx_map_put_int(&e, "offset", off);
	linx_map_put_int(&e, "len", len);
	return push_expr(p, r, &e);
}

static int e_payload(struct parser *p, struct rule *r, unsigned base,
		     unsigned off, unsigned len)
{
	return e_payload_reg(p, r, base, off, len, 1);
}

/* exthdr of a TCP option: a load into register 1 (`present`: whether the
 * option is there, one byte) or a write from register 1, in the
 * attribute order of nftables. */
static int e_exthdr_l4(struct parser *p, struct rule *r, const char *op,
		       bool write, unsigned kind, unsigned off, unsigned len,
		       bool present)
{
	struct linx_value e = linx_value_map();

	linx_value_reserve(&e, 7);
	linx_map_put_cstring(&e, "expr", "exthdr");
	linx_map_put_int(&e, write ? "sreg" : "dreg", 1);
	linx_map_put_int(&e, "type", kind);
	linx_map_put_int(&e, "offset", off);
	linx_map_put_int(&e, "len", len);
	linx_map_put_cstring(&e, "op", op);
	if (!write) {
		/* a load always carries its flags, 0 or present */
		struct linx_value f = linx_value_list();
		if (present)
			linx_list_push_cstring(&f, "present");
		linx_map_put(&e, "flags", &f);
	}
	return push_expr(p, r, &e);
}

static int e_tcpopt(struct parser *p, struct rule *r, bool write,
		    unsigned kind, unsigned off, unsigned len, bool present)
{
	return e_exthdr_l4(p, r, "tcpopt", write, kind, off, len, present);
}

/* Whether a SEL_EXTHDR selector is an SCTP chunk's field. */
static bool sctp_chunk_sel(const struct nftl_sel *s)
{
	return strncmp(s->proto, "sctp chunk ", 11) == 0;
}

/* exthdr of an IPv6 extension header (`v6`) or an IPv4 option: a load
 * of `len` bytes at `off` in the first header or option of `type` into
 * register 1 (`present`: whether there is one, one byte), in the
 * attribute order of nftables; the kernel dumps the flags of every load,
 * so they are always given. */
static int e_exthdr_ip(struct parser *p, struct rule *r, bool v6,
		       unsigned type, unsigned off, unsigned len, bool present)
{
	struct linx_value e = linx_value_map(), f = linx_value_list();

	linx_value_reserve(&e, 7);
	linx_map_put_cstring(&e, "expr", "exthdr");
	linx_map_put_int(&e, "dreg", 1);
	linx_map_put_int(&e, "type", type);
	linx_map_put_int(&e, "offset", off);
	linx_map_put_int(&e, "len", len);
	linx_map_put_cstring(&e, "op", v6 ? "ipv6" : "ipv4");
	if (present)
		linx_list_push_cstring(&f, "present");
	linx_map_put(&e, "flags", &f);
	return push_expr(p, r, &e);
}

static int e_bitwise(struct parser *p, struct rule *r, const uint8_t *mask,
		     unsigned len);

/* A bit field's load keeps only its bits: a bitwise with its mask. */
static int e_field_mask(struct parser *p, struct rule *r,
			const struct nftl_sel *s)
{
	uint8_t m[8];

	if (!s->bits)
		return 0;
	put_uint(m, s->len, ((1ull << s->bits) - 1) << s->shift, false);
	return e_bitwise(p, r, m, s->len);
}

/* A bitwise shift of register 1 by `by` bits (`<< N` when left). */
static int e_shift(struct parser *p, struct rule *r, bool left, uint32_t by,
		   unsigned len)
{
	struct linx_value e = linx_value_map();

	linx_map_put_cstring(&e, "expr", "bitwise");
	linx_map_put_int(&e, "sreg", 1);
	linx_map_put_int(&e, "dreg", 1);
	linx_map_put_cstring(&e, "op", left ? "lshift" : "rshift");
	linx_map_put_int(&e, "len", len);
	linx_map_put_bytes(&e, "data", &by, sizeof(by)); /* host order */
	return push_expr(p, r, &e);
}

/* A bit field's masked value shifted down to the field's own value, for
 * a named set or map of its type (`ip dscp @s`, `ip dscp vmap @m`): nft
 * shifts the elements of an anonymous set up instead, and cannot do that
 * to a named one's. */
static int e_field_shift(struct parser *p, struct rule *r,
			 const struct nftl_sel *s)
{
	if (!s || !s->bits || !s->shift) /* s: NULL for fib */
		return 0;
	return e_shift(p, r, false, s->shift, s->len);
}

/* A ct key into register `reg`, with the direction of `ct
 * original|reply KEY` (the selector's proto says which). */
static int e_ct_load_reg(struct parser *p, struct rule *r,
			 const struct nftl_sel *s, unsigned reg)
{
	struct linx_value e = linx_value_map();

	linx_map_put_cstring(&e, "expr", "ct");
	linx_map_put_cstring(&e, "key", s->key);
	linx_map_put_int(&e, "dreg", reg);
	if (s->proto[2] == ' ')
		linx_map_put_cstring(&e, "direction", s->proto[3] == 'o'
							      ? "original"
							      : "reply");
	return push_expr(p, r, &e);
}

static int e_ct_load(struct parser *p, struct rule *r,
		     const struct nftl_sel *s)
{
	return e_ct_load_reg(p, r, s, 1);
}

/* osf into register 1, its attributes in nft's order; the kernel dumps
 * the ttl mode even when nft leaves it out, so it is always given. */
static int e_osf(struct parser *p, struct rule *r, const struct nftl_sel *s)
{
	struct linx_value e = linx_value_map();

	linx_map_put_cstring(&e, "expr", "osf");
	linx_map_put_int(&e, "dreg", 1);
	linx_map_put_int(&e, "ttl", s->base);
	if (s->offset) {
		struct linx_value f = linx_value_list();
		linx_list_push_cstring(&f, "version");
		linx_map_put(&e, "flags", &f);
	}
	return push_expr(p, r, &e);
}

/* xfrm into register 1, its attributes in the order the kernel dumps
 * them (the state's index too when 0, as nft sends it). */
static int e_xfrm(struct parser *p, struct rule *r, const struct nftl_sel *s)
{
	struct linx_value e = linx_value_map();

	linx_map_put_cstring(&e, "expr", "xfrm");
	linx_map_put_cstring(&e, "key", s->key);
	linx_map_put_cstring(&e, "dir", s->base ? "out" : "in");
	linx_map_put_int(&e, "spnum", s->offset);
	linx_map_put_int(&e, "dreg", 1);
	return push_expr(p, r, &e);
}

/* The load of a selector into register 1 (a payload of `len` bytes). */
static int e_sel_load(struct parser *p, struct rule *r,
		      const struct nftl_sel *s, unsigned len)
{
	int rc;

	switch (s->kind) {
	case SEL_PAYLOAD:
		rc = e_payload(p, r, s->base, s->offset, len);
		return rc < 0 ? rc : e_field_mask(p, r, s);
	case SEL_CT:
		return e_ct_load(p, r, s);
	case SEL_EXTHDR:
		rc = e_exthdr_l4(p, r, sctp_chunk_sel(s) ? "sctp" : "tcpopt",
				 false, s->base, s->offset, s->len, false);
		return rc < 0 ? rc : e_field_mask(p, r, s);
	case SEL_EXTHDR6:
		rc = e_exthdr_ip(p, r, true, s->base, s->offset, s->len, false);
		return rc < 0 ? rc : e_field_mask(p, r, s);
	case SEL_EXTHDR4:
		return e_exthdr_ip(p, r, false, s->base, s->offset, s->len,
				   false);
	case SEL_RT:
		return e_load(p, r, "rt", s->key, 1);
	case SEL_SOCKET:
		return e_load(p, r, "socket", s->key, 1);
	case SEL_OSF:
		return e_osf(p, r, s);
	case SEL_XFRM:
		return e_xfrm(p, r, s);
	case SEL_GEN: /* computed into register 1 already */
		return 0;
	default:
		return e_load(p, r, s->kind == SEL_META ? "meta" : "ct", s->key,
			      1);
	}
}

static int e_cmp(struct parser *p, struct rule *r, const char *op,
		 const uint8_t *data, unsigned len)
{
	struct linx_value e = linx_value_map();

	linx_map_put_cstring(&e, "expr", "cmp");
	linx_map_put_int(&e, "sreg", 1);
	linx_map_put_cstring(&e, "op", op);
	linx_map_put_bytes(&e, "data", data, len);
	return push_expr(p, r, &e);
}

/*
 * The kernel orders register bytes with memcmp(): ranges, <, > and interval
 * sets over a host-order selector (meta mark, meta skuid, ct zone ...)
 * work on big-endian values (nftl_dtype_hton).  As nft does, such a match turns the
 * register with a byteorder expression first and gives its values in
 * network order; == and != and hash sets keep host order.
 */
/* host-order bytes to big-endian, in place */
static void host_to_be(uint8_t *b, unsigned len)
{
#if __BYTE_ORDER == __LITTLE_ENDIAN
	for (unsigned i = 0; i < len / 2; i++) {
		uint8_t t = b[i];
		b[i] = b[len - 1 - i];
		b[len - 1 - i] = t;
	}
#else
	(void)b;
	(void)len;
#endif
}

/* Whether lo > hi, for two values of `dt` as the parser encodes them. */
static bool range_reversed(unsigned dt, const uint8_t *lo, const uint8_t *hi,
			   unsigned len)
{
	uint8_t a[64], b[64];

	if (!nftl_dtype_host(dt) || len > sizeof(a))
		return memcmp(lo, hi, len) > 0;
	memcpy(a, lo, len);
	memcpy(b, hi, len);
	host_to_be(a, len);
	host_to_be(b, len);
	return memcmp(a, b, len) > 0;
}

/* reg = hton(reg): a host-order key (or a concatenation's component)
 * turned to network order */
static int e_hton_reg(struct parser *p, struct rule *r, unsigned reg,
		      unsigned len, unsigned size)
{
	struct linx_value e = linx_value_map();

	linx_map_put_cstring(&e, "expr", "byteorder");
	linx_map_put_int(&e, "sreg", reg);
	linx_map_put_int(&e, "dreg", reg);
	linx_map_put_cstring(&e, "op", "hton");
	linx_map_put_int(&e, "len", len);
	linx_map_put_int(&e, "size", size);
	return push_expr(p, r, &e);
}

static int e_hton(struct parser *p, struct rule *r, unsigned len)
{
	return e_hton_reg(p, r, 1, len, len);
}

/* reg 1 = (reg 1 & mask) ^ xor */
static int e_bitwise_xor(struct parser *p, struct rule *r, const uint8_t *mask,
			 const uint8_t *xor, unsigned len)
{
	struct linx_value e = linx_value_map();

	linx_value_reserve(&e, 6);
	linx_map_put_cstring(&e, "expr", "bitwise");
	linx_map_put_int(&e, "sreg", 1);
	linx_map_put_int(&e, "dreg", 1);
	linx_map_put_int(&e, "len", len);
	linx_map_put_bytes(&e, "mask", mask, len);
	linx_map_put_bytes(&e, "xor", xor, len);
	return push_expr(p, r, &e);
}

static int e_bitwise(struct parser *p, struct rule *r, const uint8_t *mask,
		     unsigned len)
{
	static const uint8_t zero[64];

	return e_bitwise_xor(p, r, mask, zero, len);
}

static int e_imm(struct parser *p, struct rule *r, unsigned reg,
		 const uint8_t *data, unsigned len)
{
	struct linx_value e = linx_value_map();

	linx_map_put_cstring(&e, "expr", "immediate");
	linx_map_put_int(&e, "dreg", reg);
	linx_map_put_bytes(&e, "data", data, len);
	return push_expr(p, r, &e);
}

static const char *l4_name(int proto, char buf[8])
{
	switch (proto) {
	case 1: return "icmp";
	case 2: return "igmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 33: return "dccp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	case 136: return "udplite";
	default:
		snprintf(buf, 8, "%d", proto & 0xff);
		return buf;
	}
}

/* The dependencies nftables adds before a header field.  A rule that
 * already established another layer 4 protocol (a field of it, or an
 * explicit l4proto or ip protocol match) can never match: nft refuses
 * it, and so do we ("conflicting protocols specified: udp vs. tcp"). */
static int dep_l4(struct parser *p, struct rule *r, int proto,
		  const struct tok *at)
{
	char n1[8], n2[8];

	if (r->l4 == proto)
		return 0;
	if (r->l4 >= 0)
		return perror_at(p, at, "conflicting protocols specified: "
					"%s vs. %s",
				 l4_name(r->l4, n1), l4_name(proto, n2));
	uint8_t b = (uint8_t)proto;
	int rc = e_load(p, r, "meta", "l4proto", 1);
	if (rc == 0)
		rc = e_cmp(p, r, "eq", &b, 1);
	r->l4 = proto;
	return rc;
}

/* `vlan type ET` of the innermost 802.1Q header: what nft checks before
 * a network header behind a VLAN tag, instead of meta protocol. */
static int dep_vlan_type(struct parser *p, struct rule *r, int et)
{
	uint8_t b[2] = { (uint8_t)(et >> 8), (uint8_t)et };
	int rc;

	if (r->ethproto == et)
		return 0;
	rc = e_payload(p, r, 0, 16 + 4 * (r->vlan - 1), 2);
	if (rc == 0)
		rc = e_cmp(p, r, "eq", b, 2);
	r->ethproto = et;
	return rc;
}

static int dep_network(struct parser *p, struct rule *r,
		       const struct tok *at, bool v6)
{
	int want = v6 ? 10 : 2;

	if (r->vlan && (p->family == F_INET || p->family == F_BRIDGE ||
			p->family == F_NETDEV)) {
		r->nfproto = want;
		return dep_vlan_type(p, r, v6 ? 0x86dd : 0x0800);
	}
	switch (p->family) {
	case F_IP:
	case F_IP6:
		if ((p->family == F_IP6) != v6)
			return perror_at(p, at, "conflicting protocols "
						"specified: %s vs. %s",
					 nftl_fam_names[p->family],
					 v6 ? "ip6" : "ip");
		return 0;
	case F_INET:
		if (r->nfproto == want)
			return 0;
		if (r->nfproto >= 0)
			return perror_at(p, at, "conflicting protocols "
						"specified: ip and ip6");
		{
			uint8_t b = (uint8_t)want;
			int rc = e_load(p, r, "meta", "nfproto", 1);
			if (rc == 0)
				rc = e_cmp(p, r, "eq", &b, 1);
			r->nfproto = want;
			return rc;
		}
	case F_BRIDGE:
	case F_NETDEV: {
		int et = v6 ? 0x86dd : 0x0800;
		if (r->ethproto == et)
			return 0;
		uint8_t b[2] = { (uint8_t)(et >> 8), (uint8_t)et };
		int rc = e_load(p, r, "meta", "protocol", 1);
		if (rc == 0)
			rc = e_cmp(p, r, "eq", b, 2);
		r->ethproto = et;
		return rc;
	}
	default:
		return perror_at(p, at, "%s headers are not available in "
					"an %s table",
				 v6 ? "ip6" : "ip", nftl_fam_names[p->family]);
	}
}

static int dep_link(struct parser *p, struct rule *r)
{
	if (p->family == F_BRIDGE || r->iiftype)
		return 0;
	uint8_t b[2];
	put_uint(b, 2, 1, true);
	int rc = e_load(p, r, "meta", "iiftype", 1);
	if (rc == 0)
		rc = e_cmp(p, r, "eq", b, 2);
	r->iiftype = true;
	return rc;
}

/* A vlan field: the link layer's, then `ether type 8021q` unless a
 * VLAN header is known.  nft refuses it after meta protocol. */
static int dep_vlan(struct parser *p, struct rule *r, const struct tok *at)
{
	static const uint8_t q[2] = { 0x81, 0x00 };
	int rc;

	if ((rc = dep_link(p, r)) < 0 || r->vlan)
		return rc;
	if (r->ethproto >= 0)
		return perror_at(p, at, "conflicting protocols specified: "
					"ether vs. vlan");
	rc = e_payload(p, r, 0, 12, 2);
	if (rc == 0)
		rc = e_cmp(p, r, "eq", q, 2);
	r->vlan = 1;
	return rc;
}

/* An arp field: nothing in an arp table; behind a VLAN tag its vlan
 * type; `ether type arp` in a bridge, meta protocol in netdev. */
static int dep_arp(struct parser *p, struct rule *r, const struct tok *at)
{
	static const uint8_t b[2] = { 0x08, 0x06 };
	int rc;

	switch (p->family) {
	case F_ARP:
		return 0;
	case F_BRIDGE:
	case F_NETDEV:
		if (r->vlan)
			return dep_vlan_type(p, r, 0x0806);
		if (r->ethproto == 0x0806)
			return 0;
		if (r->ethproto >= 0)
			return perror_at(p, at, "conflicting protocols "
						"specified: ether vs. arp");
		if (p->family == F_BRIDGE)
			rc = e_payload(p, r, 0, 12, 2);
		else
			rc = e_load(p, r, "meta", "protocol", 1);
		if (rc == 0)
			rc = e_cmp(p, r, "eq", b, 2);
		r->ethproto = 0x0806;
		return rc;
	default:
		return perror_at(p, at, "conflicting protocols specified: "
					"%s vs. arp",
				 nftl_fam_names[p->family]);
	}
}

/* The network protocol an icmp, icmpv6 or igmp field needs: in a bridge
 * (no VLAN tag) nft checks the Ethernet type in the header, as for an
 * extension header, where an ip field has meta protocol. */
static int dep_icmp_network(struct parser *p, struct rule *r,
			    const struct tok *at, bool v6)
{
	int et = v6 ? 0x86dd : 0x0800;
	uint8_t b[2] = { (uint8_t)(et >> 8), (uint8_t)et };
	int rc;

	/* an ip or ip6 table checks no network protocol: nft takes icmpv6
	 * in an ip table and icmp or igmp in an ip6 one, behind meta
	 * l4proto alone (the packet never matches) */
	if (p->family == F_IP || p->family == F_IP6)
		return 0;
	if (p->family != F_BRIDGE || r->vlan)
		return dep_network(p, r, at, v6);
	if (r->ethproto == et)
		return 0;
	if (r->ethproto >= 0)
		return perror_at(p, at, "conflicting protocols specified: "
					"%s vs. %s",
				 v6 ? "ip6" : "ip",
				 r->ethproto == 0x0806 ? "arp"
				 : r->ethproto == 0x0800 ? "ip" : "ip6");
	if ((rc = e_payload(p, r, 0, 12, 2)) < 0 ||
	    (rc = e_cmp(p, r, "eq", b, 2)) < 0)
		return rc;
	r->ethproto = et;
	r->nfproto = v6 ? 10 : 2;
	return 0;
}

/*
 * The ICMP type a field is defined for (nftl_icmp_need()), checked first
 * as nft 1.0.6 and 1.1 check it: `icmp type { echo-reply, echo-request }`
 * before id and sequence (a set literal), `icmp type
 * destination-unreachable` before mtu.  Nothing when a match before
 * established it; a different single type is nft's error.
 */
static int dep_icmp_type(struct parser *p, struct rule *r,
			 const struct nftl_sel *s, const struct tok *at)
{
	int need = nftl_icmp_need(s);
	bool v6 = streq(s->proto, "icmpv6");
	int rc;

	if (nftl_icmp_satisfied(need, r->icmp, v6))
		return 0;
	if (r->icmp != NFTL_ICMP_ANY) {
		char want[16];
		if (need == NFTL_ICMP_ECHO)
			snprintf(want, sizeof(want), "%d or %d", v6 ? 128 : 0,
				 v6 ? 129 : 8);
		else
			snprintf(want, sizeof(want), "%d", need);
		char has[16];
		if (r->icmp == NFTL_ICMP_ECHO)
			snprintf(has, sizeof(has), "%d and %d", v6 ? 128 : 0,
				 v6 ? 129 : 8);
		else
			snprintf(has, sizeof(has), "%d", r->icmp);
		/* nft's words */
		return perror_at(p, at, "incompatible %s match: rule has %s, "
					"need %s",
				 s->proto, has, want);
	}
	if ((rc = e_payload(p, r, 2, 0, 1)) < 0)
		return rc;
	if (need == NFTL_ICMP_ECHO) {
		struct linx_value e = linx_value_map(), el = linx_value_list();
		linx_list_push_int(&el, v6 ? 128 : 0);
		linx_list_push_int(&el, v6 ? 129 : 8);
		linx_map_put_cstring(&e, "expr", "set_literal");
		linx_map_put_cstring(&e, "key_type",
				     v6 ? "icmpv6_type" : "icmp_type");
		linx_map_put(&e, "elements", &el);
		linx_map_put_int(&e, "sreg", 1);
		rc = push_expr(p, r, &e);
	} else {
		uint8_t b = (uint8_t)need;
		rc = e_cmp(p, r, "eq", &b, 1);
	}
	r->icmp = need;
	return rc;
}

static int emit_deps(struct parser *p, struct rule *r,
		     const struct nftl_sel *s, const struct tok *at)
{
	int rc;

	/* nor does nft for a raw payload */
	if (s->kind != SEL_PAYLOAD || s->proto[0] == '@')
		return 0;
	if (s->base == 0)
		return streq(s->proto, "vlan") ? dep_vlan(p, r, at)
					       : dep_link(p, r);
	if (streq(s->proto, "arp"))
		return dep_arp(p, r, at);
	if (s->base == 1)
		return dep_network(p, r, at, streq(s->proto, "ip6"));
	if (streq(s->proto, "th"))
		return 0;
	/* icmp and icmpv6 name their IP version too, unless an explicit
	 * `meta l4proto icmp|ipv6-icmp` came first: nft then adds nothing */
	if ((streq(s->proto, "icmp") && p->family != F_IP && r->l4 != 1) ||
	    (streq(s->proto, "igmp") && p->family != F_IP && r->l4 != 2)) {
		if ((rc = dep_icmp_network(p, r, at, false)) < 0)
			return rc;
	}
	if (streq(s->proto, "icmpv6") && p->family != F_IP6 && r->l4 != 58) {
		if ((rc = dep_icmp_network(p, r, at, true)) < 0)
			return rc;
	}
	if ((rc = dep_l4(p, r, nftl_l4_proto(s->proto), at)) < 0)
		return rc;
	return dep_icmp_type(p, r, s, at);
}

/* `ether type` or `vlan type` ET: a VLAN tag (802.1Q or 802.1ad) starts
 * a header, stacked behind the one before; ip, ip6 and arp say what the
 * network header is. */
static void note_ethertype(struct rule *r, bool vlan, int et)
{
	if (et == 0x8100 || et == 0x88a8) {
		if (!vlan)
			r->vlan = 1;
		else if (r->vlan && r->vlan < 8)
			r->vlan++;
	} else if ((vlan || !r->vlan) &&
		   (et == 0x0800 || et == 0x86dd || et == 0x0806)) {
		/* `ether type ip` is the network header's dependency
		 * already, as in nft (meta protocol, or meta nfproto in
		 * inet) */
		r->ethproto = et;
		if (et != 0x0806)
			r->nfproto = et == 0x0800 ? 2 : 10;
	}
}

/* Remember what an explicit match established (nftables' protocol
 * context), so later fields add no second dependency. */
static void note_ctx(const struct parser *p, struct rule *r,
		     const struct nftl_sel *s, const char *op,
		     const struct val *v)
{
	if (!streq(op, "eq") || v->plen >= 0 || v->wildcard)
		return;
	if ((s->kind == SEL_META && streq(s->key, "l4proto")) ||
	    /* nft takes ct protocol for the transport protocol where the
	     * network one is the table's (ip, ip6) */
	    (s->kind == SEL_CT && streq(s->key, "protocol") &&
	     (p->family == F_IP || p->family == F_IP6)))
		r->l4 = v->b[0];
	else if (s->kind == SEL_META && streq(s->key, "nfproto") &&
		 (v->b[0] == 2 || v->b[0] == 10))
		r->nfproto = v->b[0];
	else if (s->kind == SEL_META && streq(s->key, "protocol") &&
		 ((v->b[0] << 8 | v->b[1]) == 0x0800 ||
		  (v->b[0] << 8 | v->b[1]) == 0x86dd))
		r->ethproto = v->b[0] << 8 | v->b[1];
	else if (s->kind == SEL_PAYLOAD && s->base == 1 &&
		 (streq(s->field, "protocol") ||
		  streq(s->field, "nexthdr")))
		r->l4 = v->b[0];
	else if (s->kind == SEL_PAYLOAD && s->base == 2 &&
		 streq(s->field, "type") &&
		 (streq(s->proto, "icmp") || streq(s->proto, "icmpv6")))
		r->icmp = v->b[0];
	else if (s->kind == SEL_PAYLOAD && s->dtype == DT_ETHERTYPE &&
		 (streq(s->proto, "ether") || streq(s->proto, "vlan")))
		note_ethertype(r, streq(s->proto, "vlan"),
			       v->b[0] << 8 | v->b[1]);
}

/* `data`, the value just read at `at`, as a map's range value: a prefix
 * as it is, `LO-HI` as {"range": [LO, HI]}; only where a map's values
 * may be ranges (p->data_iv_ok), which then are (p->data_iv). */
static int range_value(struct parser *p, const struct tok *at, unsigned dt,
		       unsigned len, const uint8_t *lo, struct linx_value *data)
{
	struct val hi;
	int rc;

	if (!p->data_iv_ok) {
		linx_value_clear(data);
		return perror_at(p, at, "a prefix or range as a map's value "
					"needs a map of `interval` values "
					"(type K : interval T)");
	}
	p->data_iv = true;
	if (!accept_punct(p, '-'))
		return 0;
	if ((rc = parse_value(p, dt, len, &hi)) < 0) {
		linx_value_clear(data);
		return rc;
	}
	if (hi.plen >= 0) {
		linx_value_clear(data);
		linx_value_clear(&hi.elem);
		return perror_at(p, p->last, "a range's end is no prefix");
	}
	if (range_reversed(dt, lo, hi.b, len)) { /* nft's words */
		linx_value_clear(data);
		linx_value_clear(&hi.elem);
		return perror_at(p, at, "Range has zero or negative size");
	}
	struct linx_value r = linx_value_list(), m = linx_value_map();
	linx_list_push(&r, data);
	linx_list_push(&r, &hi.elem);
	linx_map_put(&m, "range", &r);
	if (linx_value_status(&m) < 0) {
		linx_value_clear(&m);
		return nomem(p);
	}
	*data = m;
	return 0;
}

/* ---- matches ------------------------------------------------------------------- */

static int parse_elem_key(struct parser *p, unsigned dt, unsigned len,
			  struct linx_value *ret, bool *interval);

/* `A . B . C`, each component as a key of its type (a component may be
 * a prefix or a range): the list [A, B, C]. */
static int parse_concat_key(struct parser *p, struct linx_value *ret,
			    bool *interval)
{
	const struct ckey *k = p->ck;
	struct linx_value l = linx_value_list();
	int rc = 0;

	p->ck = NULL;
	for (unsigned i = 0; i < k->n && rc == 0; i++) {
		struct linx_value c = linx_value_nil();

		if (i && (rc = expect_punct(p, '.')) < 0)
			break;
		const struct tok *at = peek(p);
		rc = parse_elem_key(p, k->dt[i], k->len[i], &c, interval);
		if (rc == 0 && p->one.wild) {
			linx_value_clear(&c);
			rc = perror_at(p, at, "unsupported feature: a wildcard "
					      "in a concatenation");
		}
		if (rc == 0 && linx_list_push(&l, &c) < 0)
			rc = nomem(p);
	}
	p->ck = k;
	if (rc < 0) {
		linx_value_clear(&l);
		return rc;
	}
	*ret = l;
	return 0;
}

static int parse_elem_key(struct parser *p, unsigned dt, unsigned len,
			  struct linx_value *ret, bool *interval)
{
	if (p->ck)
		return parse_concat_key(p, ret, interval);

	struct val lo, hi;
	const struct tok *at = peek(p);
	int rc = parse_value(p, dt, len, &lo);

	if (rc < 0)
		return rc;
	p->one.wild = 0;
	if (lo.wildcard) {
		/* "eth*": every name with that prefix, an interval as a
		 * prefix is (data.c encodes it), and alone the prefix's
		 * compare, as nft makes them */
		if (is_punct(peek(p), '-')) {
			linx_value_clear(&lo.elem);
			return perror_at(p, peek(p), "a wildcard cannot start "
						     "a range");
		}
		if (!*interval)
			p->first_iv = at;
		*interval = true;
		memcpy(p->one.lo, lo.b, sizeof(p->one.lo));
		p->one.plen = -1;
		p->one.range = false;
		p->one.wild = lo.len;
		*ret = lo.elem;
		return 0;
	}
	if (nftl_dtype_is_bitmask(dt) && is_punct(peek(p), '|')) {
		/* flags combined, `{ syn, syn|ack }`: one element */
		bool host = nftl_dtype_host(dt);
		uint64_t m = nftl_get_uint(lo.b, len, host);
		struct val x;
		while (accept_punct(p, '|')) {
			if ((rc = parse_value(p, dt, len, &x)) < 0) {
				linx_value_clear(&lo.elem);
				return rc;
			}
			linx_value_clear(&x.elem);
			m |= nftl_get_uint(x.b, len, host);
		}
		put_uint(lo.b, len, m, host);
		linx_value_clear(&lo.elem);
		lo.elem = linx_value_int((int64_t)m);
	}
	if (lo.plen >= 0 || is_punct(peek(p), '-')) {
		if (!*interval)
			p->first_iv = at;
		*interval = true;
	}
	if (accept_punct(p, '-')) {
		rc = parse_value(p, dt, len, &hi);
		if (rc < 0) {
			linx_value_clear(&lo.elem);
			return rc;
		}
		if (hi.plen >= 0 || lo.plen >= 0 ||
		    range_reversed(dt, lo.b, hi.b, len)) {
			bool pfx = hi.plen >= 0 || lo.plen >= 0;
			linx_value_clear(&lo.elem);
			linx_value_clear(&hi.elem);
			/* nft's words, at the range's start */
			return pfx ? perror_at(p, p->last, "bad range")
				   : perror_at(p, at, "Range has zero or "
						      "negative size");
		}
		memcpy(p->one.lo, lo.b, sizeof(p->one.lo));
		memcpy(p->one.hi, hi.b, sizeof(p->one.hi));
		p->one.plen = -1;
		p->one.range = true;
		struct linx_value rg = linx_value_list(), m = linx_value_map();
		linx_list_push(&rg, &lo.elem);
		linx_list_push(&rg, &hi.elem);
		linx_map_put(&m, "range", &rg);
		*ret = m;
		*interval = true;
		return 0;
	}
	memcpy(p->one.lo, lo.b, sizeof(p->one.lo));
	p->one.plen = lo.plen;
	p->one.range = false;
	*ret = lo.elem;
	return 0;
}

static int stateful_stmts(struct parser *p, struct linx_value *exprs);

/* The data of a named map's element when the map's data is a
 * concatenation (p->dck): one value of each type, `192.168.1.2 . 8080`,
 * as a list.  Ranges and prefixes would be nft's `interval` data, which
 * is not written. */
static int parse_concat_data(struct parser *p, struct linx_value *ret)
{
	struct linx_value l = linx_value_list();
	int rc = 0;

	for (unsigned i = 0; i < p->dck->n; i++) {
		const struct tok *at = peek(p);
		struct val v;

		if (i && (rc = expect_punct(p, '.')) < 0)
			break;
		if (i)
			at = peek(p);
		if ((rc = parse_value(p, p->dck->dt[i], p->dck->len[i], &v)) < 0)
			break;
		linx_list_push(&l, &v.elem);
		if (v.plen >= 0 || is_punct(peek(p), '-')) {
			rc = perror_at(p, at, "unsupported feature: ranges and "
					      "prefixes in a map's "
					      "concatenated data");
			break;
		}
	}
	if (rc < 0) {
		linx_value_clear(&l);
		return rc;
	}
	*ret = l;
	return linx_value_status(ret) < 0 ? nomem(p) : 0;
}

/* `{ a, b-c, d : verdict }` (the '{' consumed) or `a, b` (comma list). */
static int parse_elements(struct parser *p, unsigned dt, unsigned len,
			  bool braces, int data_kind, unsigned ddt,
			  unsigned dlen, struct linx_value *elems,
			  bool *interval)
{
	int rc;

	*elems = linx_value_list();
	for (;;) {
		struct linx_value key = linx_value_nil();

		if (braces) {
			skip_seps(p);
			if (accept_punct(p, '}'))
				break;
		}
		if (elems->len >= 10000000)
			return perror_at(p, peek(p), "too many elements");
		if (braces && is_punct(peek(p), '{')) {
			/* a set inside a set, as a define of a set used in
			 * one ({ $lan_nets, $vpn_nets }): nft flattens it */
			const struct tok *at = next(p);
			struct linx_value inner;
			if (p->set_depth >= 16)
				return perror_at(p, at, "sets nested deeper "
							"than 16");
			p->set_depth++;
			rc = parse_elements(p, dt, len, true, data_kind, ddt,
					    dlen, &inner, interval);
			p->set_depth--;
			for (uint32_t k = 0; rc == 0 && k < inner.len; k++)
				if (linx_list_push(elems, &inner.items[k]) < 0)
					rc = nomem(p);
			linx_value_clear(&inner);
			if (rc < 0)
				return rc;
			skip_seps(p);
			if (accept_punct(p, ','))
				continue;
			if (accept_punct(p, '}'))
				break;
			return unexpected(p, peek(p), "',' or '}'");
		}
		rc = parse_elem_key(p, dt, len, &key, interval);
		if (rc < 0)
			return rc;
		struct linx_value el = key;
		bool extra = false;
		struct linx_value em = linx_value_map();
		linx_map_put(&em, "key", &key);
		if (p->elem_stmts) {
			/* nft takes an element's statements before its
			 * timeout and comment */
			struct linx_value xs = linx_value_list();
			if ((rc = stateful_stmts(p, &xs)) < 0) {
				linx_value_clear(&xs);
				goto fail;
			}
			if (xs.len) {
				linx_map_put(&em, "exprs", &xs);
				extra = true;
			} else {
				linx_value_clear(&xs);
			}
		}
		for (;;) {
			if (accept_ident(p, "timeout")) {
				uint64_t ms;
				if ((rc = parse_time(p, &ms)) < 0)
					goto fail;
				linx_map_put_int(&em, "timeout", (int64_t)ms);
				extra = true;
			} else if (accept_ident(p, "expires")) {
				/* the time left, as `nft list` writes it */
				uint64_t ms;
				if ((rc = parse_time(p, &ms)) < 0)
					goto fail;
				linx_map_put_int(&em, "expires", (int64_t)ms);
				extra = true;
			} else if (accept_ident(p, "comment")) {
				const struct tok *t = comment_text(p, &rc);
				if (!t)
					goto fail;
				linx_map_put_cstring(&em, "comment", t->s);
				extra = true;
			} else {
				break;
			}
		}
		if (data_kind) {
			struct linx_value data = linx_value_nil();
			if (!accept_punct(p, ':')) {
				rc = unexpected(p, peek(p), "':'");
				goto fail;
			}
			if (data_kind == 2) {
				rc = parse_verdict(p, &data);
			} else if (data_kind == 3) {
				/* an object map: the name of an object of the
				 * map's kind (quoted or not) */
				const char *on;
				rc = expect_name(p, &on, "an object name");
				if (rc == 0)
					rc = add_ref(p, "objects", p->obj_kind,
						     p->last);
				if (rc == 0)
					rc = linx_value_cstring(&data, on) < 0
						     ? nomem(p)
						     : 0;
			} else if (p->dck) {
				rc = parse_concat_data(p, &data);
			} else {
				struct val dv;
				const struct tok *vt = peek(p);
				rc = parse_value(p, ddt, dlen, &dv);
				data = dv.elem;
				/* a range of values, in a map whose values
				 * are ranges (nft's `: interval T`) */
				if (rc == 0 && (dv.plen >= 0 ||
						is_punct(peek(p), '-')))
					rc = range_value(p, vt, ddt, dlen, dv.b,
							 &data);
				/* a nat map's ADDR . PORT */
				if (rc == 0 && p->nat_pairs >= 0 &&
				    accept_punct(p, '.')) {
					struct linx_value pr = linx_value_list();
					linx_list_push(&pr, &data);
					rc = parse_value(p, DT_SERVICE, 2, &dv);
					linx_list_push(&pr, &dv.elem);
					if (rc < 0) {
						linx_value_clear(&pr);
						goto fail;
					}
					data = pr;
					p->nat_pairs++;
				}
			}
			if (rc < 0)
				goto fail;
			linx_map_put(&em, "value", &data);
			extra = true;
		}
		if (!extra) {
			linx_value_copy(&el, linx_map_get(&em, "key"));
			linx_value_clear(&em);
		}
		if (extra)
			el = em;
		if (linx_list_push(elems, &el) < 0)
			return nomem(p);
		if (braces) {
			skip_seps(p);
			if (accept_punct(p, ','))
				continue;
			if (accept_punct(p, '}'))
				break;
			return unexpected(p, peek(p), "',' or '}'");
		}
		if (!accept_punct(p, ','))
			break;
		continue;
	fail:
		linx_value_clear(&em);
		return rc;
	}
	if (elems->len == 0)
		return perror_at(p, p->last, "empty set");
	return linx_value_status(elems) < 0 ? nomem(p) : 0;
}

static int parse_hole(struct parser *p, struct rule *r, const struct tok *t,
		      unsigned dt, unsigned len, const char *op)
{
	if (p->expand_overflow)
		return perror_at(p, t, "variables expand to more than %u tokens",
				 NFT_LANG_MAX_EXPANSION);
	if (find_def(p, t->s))
		return perror_at(p, t, "variable $%s refers to itself", t->s);
	const struct linx_value *vals = p->opts ? p->opts->values : NULL;
	const struct linx_value *given = vals ? linx_map_get(vals, t->s) : NULL;
	char tb[32];
	bool ordering = strcmp(op, "eq") && strcmp(op, "neq");
	const char *type;
	int rc;

	if (ordering && nftl_dtype_hton(dt, len)) {
		/* compared in network order, as a literal would be */
		if ((rc = e_hton(p, r, len)) < 0)
			return rc;
		dt = DT_INT;
	}
	type = nftl_hole_type(dt, len, tb, sizeof(tb));

	if (!given && p->opts && p->opts->no_holes)
		return unexpected(p, t, NULL); /* unknown identifier */
	if (given) {
		uint8_t b[64];
		unsigned bl = 0;
		char why[160];

		if (nftl_lang_hole_bytes(type, given, b, &bl, why,
					sizeof(why)) < 0)
			return perror_at(p, t, "$%s: %s", t->s, why);
		return e_cmp(p, r, op, b, bl);
	}
	struct linx_value e = linx_value_map(), h = linx_value_map();
	linx_map_put_cstring(&h, "hole", t->s);
	linx_map_put_cstring(&h, "type", type);
	linx_map_put_cstring(&e, "expr", "cmp");
	linx_map_put_int(&e, "sreg", 1);
	linx_map_put_cstring(&e, "op", op);
	linx_map_put(&e, "data", &h);
	return push_expr(p, r, &e);
}

static const char *op_of(const struct tok *t)
{
	if (t->kind == T_PUNCT) {
		switch (t->c) {
		case 'N': return "neq";
		case '<': return "lt";
		case '>': return "gt";
		case 'l': return "lte";
		case 'g': return "gte";
		}
	}
	if (t->kind == T_IDENT) {
		if (streq(t->s, "eq")) return "eq";
		if (streq(t->s, "ne")) return "neq";
		if (streq(t->s, "lt")) return "lt";
		if (streq(t->s, "gt")) return "gt";
		if (streq(t->s, "le")) return "lte";
		if (streq(t->s, "ge")) return "gte";
	}
	return NULL;
}

static int single_match(struct parser *p, struct rule *r,
			const struct nftl_sel *s, unsigned dt, unsigned len,
			bool inv);

/* An anonymous set after a load; a match's set (`s` given) of one
 * element is that element's plain match, as nft makes it. */
/* Whether `s` is the transport protocol (meta l4proto, ip protocol,
 * ip6 nexthdr). */
static bool is_l4_sel(const struct nftl_sel *s)
{
	return (s->kind == SEL_META && streq(s->key, "l4proto")) ||
	       (s->kind == SEL_PAYLOAD && s->base == 1 &&
		(streq(s->field, "protocol") || streq(s->field, "nexthdr")));
}

/* The declaration of the interval set an anonymous literal with key type
 * kt stands for (a verdict map's when vmap, with a copy of `elems` when
 * given), for the set code's merge and checks.  -ENOMEM, *decl nil. */
static int interval_decl(const char *kt, bool vmap,
			 const struct linx_value *elems, struct linx_value *decl)
{
	struct linx_value fl = linx_value_list(), el;

	*decl = linx_value_map();
	linx_list_push_cstring(&fl, "interval");
	linx_map_put_cstring(decl, "name", "anonymous");
	linx_map_put_cstring(decl, "key_type", kt);
	if (vmap)
		linx_map_put_cstring(decl, "data_type", "verdict");
	linx_map_put(decl, "flags", &fl);
	if (elems) {
		linx_value_copy(&el, elems);
		linx_map_put(decl, "elements", &el);
	}
	if (linx_value_status(decl) < 0) {
		linx_value_clear(decl);
		return -ENOMEM;
	}
	return 0;
}

/* nft writes the raw payload key of an anonymous set (not a map's)
 * into the set's userdata as its typeof, which it lists the elements
 * by, in hex, and by which it tells @nh,96,32 from ip saddr.  A masked
 * field's set has none (its key is the bitwise), and @th,0,16 is th
 * sport. */
static bool raw_set_typeof(const struct nftl_sel *s)
{
	return s->proto[0] == '@' && !s->bits;
}

/* ct original|reply proto-src|proto-dst: nft 1.0.6 knows their type
 * from the rule's protocol only, and writes an anonymous set's typeof
 * (which it then lists as "[invalid type]"). */
static bool ct_port_sel(const struct nftl_sel *s)
{
	return s->kind == SEL_CT && s->dtype == DT_SERVICE;
}

static int set_literal(struct parser *p, struct rule *r,
		       const struct nftl_sel *s, unsigned dt, unsigned len,
		       bool vmap, bool inv, bool braces, const struct tok *at)
{
	struct linx_value elems;
	bool interval = false;
	bool raw = s && !vmap && raw_set_typeof(s);
	bool ctport = s && !vmap && ct_port_sel(s);
	const char *kt = raw ? nftl_raw_settype(len)
			     : nftl_dtype_settype(dt, len);
	int rc;

	if (!kt)
		return perror_at(p, at, "unsupported feature: sets of this "
					"type");
	/* a match's elements may carry statements (a counter each), as
	 * nft takes them; a verdict map's may not */
	p->elem_stmts = s && !vmap;
	rc = parse_elements(p, dt, len, braces, vmap ? 2 : 0, 0, 0, &elems,
			    &interval);
	p->elem_stmts = false;
	/* one element is its plain match, as nft makes it, whatever the
	 * element carried (nft drops its counter, timeout and comment) */
	if (rc == 0 && s && !vmap && elems.len == 1) {
		linx_value_clear(&elems);
		return single_match(p, r, s, dt, len, inv);
	}
	if (rc == 0 && interval && !vmap) {
		/* nft merges an anonymous interval set's overlapping and
		 * adjacent elements ({ 1-2, 3 } is { 1-3 }), as auto-merge
		 * does for a named one */
		struct linx_value decl;
		if (interval_decl(kt, false, NULL, &decl) < 0)
			rc = nomem(p);
		else if (nft_setelem_automerge(&decl, &elems) < 0)
			rc = perror_at(p, at, "the elements do not encode");
		linx_value_clear(&decl);
	} else if (rc == 0 && interval) {
		/* a verdict map's intervals do not merge: nft refuses any
		 * two that overlap */
		struct linx_value decl;
		struct linx_error err;
		linx_error_clear(&err);
		if (interval_decl(kt, true, &elems, &decl) < 0)
			rc = nomem(p);
		else if (nft_set_check(NFPROTO_UNSPEC, "anonymous", &decl, 0,
				       &err) < 0 &&
			 strstr(err.message, "overlapping intervals"))
			rc = perror_at(p, at, "conflicting intervals "
					      "specified");
		linx_value_clear(&decl);
	}
	if (rc == 0 && s && !vmap && !inv && nftl_icmp_echo_set(s, &elems))
		r->icmp = NFTL_ICMP_ECHO; /* what id and sequence need */
	if (rc == 0 && interval && nftl_dtype_hton(dt, len))
		rc = e_hton(p, r, len);
	if (rc < 0) {
		linx_value_clear(&elems);
		return rc;
	}
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "set_literal");
	linx_map_put_cstring(&e, "key_type", kt);
	if (raw || ctport) {
		char buf[48];

		nftl_sel_text(s, buf, sizeof(buf));
		linx_map_put_cstring(&e, "key_typeof", buf);
	}
	if (vmap)
		linx_map_put_cstring(&e, "data_type", "verdict");
	linx_map_put(&e, "elements", &elems);
	linx_map_put_int(&e, "sreg", 1);
	if (vmap)
		linx_map_put_int(&e, "dreg", 0);
	if (inv) {
		struct linx_value f = linx_value_list();
		linx_list_push_cstring(&f, "inv");
		linx_map_put(&e, "flags", &f);
	}
	if (vmap)
		r->verdict = true;
	else if (!inv && s && is_l4_sel(s))
		r->l4seen = true;
	return push_expr(p, r, &e);
}

static struct linx_value *find_set(struct parser *p, size_t table,
				   const char *name);
static bool has_flag(const struct linx_value *set, const char *flag);

/* A host-order key looked up in an interval set is turned to network
 * order first (nftl_dtype_hton); in a hash set it is not.  For a set
 * declared after the rule (the formatter prints chains first), the
 * byteorder is written with the set's name in PENDING_SET and kept or
 * dropped once the input is read (hostrefs_rule()). */
#define PENDING_SET "\x01set"

/* reg = hton(reg) before a lookup in `set` when it is an interval set
 * (any set named NULL is one: an anonymous interval set). */
static int hton_into(struct parser *p, struct rule *r, unsigned reg,
		     unsigned len, unsigned size, const char *set)
{
	struct linx_value *s = set ? find_set(p, p->table, set) : NULL;
	int rc;

	if (!set || s)
		return !s || has_flag(s, "interval")
			       ? e_hton_reg(p, r, reg, len, size)
			       : 0;
	if ((rc = e_hton_reg(p, r, reg, len, size)) < 0)
		return rc;
	struct linx_value *e = &r->exprs.items[r->exprs.len - 1];
	if (linx_map_put_cstring(e, PENDING_SET, set) < 0)
		return nomem(p);
	p->n_hostrefs++;
	return 0;
}

static int hton_for_set(struct parser *p, struct rule *r, const struct tok *t,
			unsigned dt, unsigned len)
{
	if (!nftl_dtype_hton(dt, len))
		return 0;
	return hton_into(p, r, 1, len, len, t->s);
}

/* A range match of reg 1, [lo, hi] in the value's own order (turned to
 * network order with the register for a host-order type, as nft does
 * to compare): cmp gte and lte, or one `range neq` for `!=`.  lo and hi
 * are turned in place. */
static int e_range(struct parser *p, struct rule *r, unsigned dt,
		   unsigned len, uint8_t *lo, uint8_t *hi, bool neq)
{
	int rc;

	if (nftl_dtype_hton(dt, len)) {
		if ((rc = e_hton(p, r, len)) < 0)
			return rc;
		host_to_be(lo, len);
		host_to_be(hi, len);
	}
	if (neq) {
		struct linx_value e = linx_value_map();
		linx_map_put_cstring(&e, "expr", "range");
		linx_map_put_int(&e, "sreg", 1);
		linx_map_put_cstring(&e, "op", "neq");
		linx_map_put_bytes(&e, "from", lo, len);
		linx_map_put_bytes(&e, "to", hi, len);
		return push_expr(p, r, &e);
	}
	if ((rc = e_cmp(p, r, "gte", lo, len)) < 0)
		return rc;
	return e_cmp(p, r, "lte", hi, len);
}

/* The one element of a set just read (p->one), as the plain match nft
 * makes of it: `tcp dport { 22 }` is `tcp dport 22`, `{ 1-5 }` a range,
 * `ip saddr { 10.0.0.0/8 }` the prefix match. */
static int single_match(struct parser *p, struct rule *r,
			const struct nftl_sel *s, unsigned dt, unsigned len,
			bool inv)
{
	const char *op = inv ? "neq" : "eq";
	uint8_t *lo = p->one.lo, *hi = p->one.hi;
	int plen = p->one.plen;
	int rc;

	if (p->one.wild) /* { "eth*" } is iifname "eth*" */
		return e_cmp(p, r, op, lo, p->one.wild);
	if (p->one.range) {
		return e_range(p, r, dt, len, lo, hi, inv);
	}
	if (plen < 0 && !inv && nftl_dtype_is_bitmask(dt) && !p->masked_set) {
		/* `ct state { established }`: the flag test */
		uint8_t zero[64] = { 0 };
		if ((rc = e_bitwise(p, r, lo, len)) < 0)
			return rc;
		return e_cmp(p, r, "neq", zero, len);
	}
	if (plen < 0) {
		/* what the match tells the rule (meta l4proto { tcp }) */
		struct val v = { .len = len, .plen = -1 };
		memcpy(v.b, lo, sizeof(v.b));
		note_ctx(p, r, s, op, &v);
	}
	if (plen < 0 || (unsigned)plen == len * 8)
		return e_cmp(p, r, op, lo, len);
	/* a /0 keeps the whole load and masks it all away, as nft does */
	if (plen > 0 && plen % 8 == 0 && s->kind == SEL_PAYLOAD) {
		/* nftables loads only the prefix's bytes */
		struct linx_value *ld = &r->exprs.items[r->exprs.len - 1];
		linx_map_put_int(ld, "len", plen / 8);
		return e_cmp(p, r, op, lo, (unsigned)plen / 8);
	}
	uint8_t mask[64] = { 0 };
	unsigned bits = (unsigned)plen;
	for (unsigned i = 0; i < len && i < sizeof(mask); i++) {
		unsigned k = bits >= 8 ? 8 : bits;
		mask[i] = (uint8_t)(k ? 0xff << (8 - k) : 0);
		bits -= k;
	}
	if ((rc = e_bitwise(p, r, mask, len)) < 0)
		return rc;
	return e_cmp(p, r, op, lo, len);
}

/* A lookup of register 1 in `set`; `k` the key's types (NULL: not
 * known), checked against the set's once the input is read. */
static int lookup(struct parser *p, struct rule *r, const struct tok *set,
		  const struct ckey *k, bool inv, bool vmap)
{
	struct linx_value e = linx_value_map();
	int rc;

	if ((rc = add_ref(p, "sets", NULL, set)) < 0) {
		linx_value_clear(&e);
		return rc;
	}
	struct nameref *ref = &p->refs[p->n_refs - 1];
	for (unsigned i = 0; k && i < k->n; i++)
		ref->key[i] = k->name[i];
	ref->nkey = k ? k->n : 0;
	ref->vmap = vmap;
	linx_map_put_cstring(&e, "expr", "lookup");
	linx_map_put_int(&e, "sreg", 1);
	linx_map_put_cstring(&e, "set", set->s);
	if (vmap) {
		linx_map_put_int(&e, "dreg", 0);
		r->verdict = true;
	}
	if (inv) {
		struct linx_value f = linx_value_list();
		linx_list_push_cstring(&f, "inv");
		linx_map_put(&e, "flags", &f);
	}
	return push_expr(p, r, &e);
}


/* ---- concatenations ------------------------------------------------------ */

static bool unqualified_meta(const char *s);
static bool is_payload_proto(const char *s);

/* Add a component of type `dt`/`len` (named `at` for errors) to `k`. */
static int ckey_add(struct parser *p, struct ckey *k, unsigned dt,
		    unsigned len, const struct tok *at)
{
	const char *name = nftl_dtype_settype(dt, len);
	unsigned slots = 0;

	if (!name)
		return perror_at(p, at, "unsupported feature: this type in a "
					"concatenation");
	if (k->n == CONCAT_MAX)
		return perror_at(p, at, "a concatenation has at most %d "
					"components",
				 CONCAT_MAX);
	for (unsigned i = 0; i < k->n; i++)
		slots += (k->len[i] + 3) / 4;
	if ((slots + (len + 3) / 4) * 4 > 64)
		return perror_at(p, at, "a concatenation is at most 64 bytes");
	k->at[k->n] = at;
	k->dt[k->n] = dt;
	k->len[k->n] = len;
	k->name[k->n] = name;
	k->n++;
	return 0;
}

/* The key_type of a concatenation: the list of its types' names. */
static struct linx_value ckey_types(const struct ckey *k)
{
	struct linx_value l = linx_value_list();

	for (unsigned i = 0; i < k->n; i++)
		linx_list_push_cstring(&l, k->name[i]);
	return l;
}

/*
 * The set_literal of an anonymous set or map keyed by the concatenation
 * `k` (expressions.md), looked up from register 1: `dt` the data type
 * (nil: a set) and `elems`, both moved in.  The caller adds the dreg
 * and flags.
 */
static struct linx_value concat_literal(const struct ckey *k,
					struct linx_value *dt,
					struct linx_value *elems)
{
	struct linx_value e = linx_value_map(), kt = ckey_types(k);

	linx_map_put_cstring(&e, "expr", "set_literal");
	linx_map_put(&e, "key_type", &kt);
	if (dt->type != LINX_NIL)
		linx_map_put(&e, "data_type", dt);
	linx_map_put(&e, "elements", elems);
	linx_map_put_int(&e, "sreg", 1);
	return e;
}

/*
 * A concatenation with a plain integer (`ip ttl`) has its width only in
 * the set's typeof userdata, which nft 1.0.6 writes for anonymous sets
 * too and cannot list the set without: the set_literal gets key_typeof
 * then (`e` is changed only on success).
 */
static int concat_typeof(struct parser *p, const struct nftl_sel *const *sel,
			 const struct tok *const *ats, unsigned n, bool vmap,
			 struct linx_value *e)
{
	struct linx_value tl = linx_value_list();
	bool need = false;
	char buf[48];

	/* a host-order integer (ct zone) has its order only there */
	for (unsigned i = 0; i < n; i++)
		need = need || sel[i]->dtype == DT_INT ||
		       sel[i]->dtype == DT_HINT || sel[i]->proto[0] == '@' ||
		       ct_port_sel(sel[i]);
	if (!need)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		if (!nftl_sel_typeof_ok(sel[i])) {
			linx_value_clear(&tl);
			return perror_at(p, ats[i], "unsupported feature: %s "
						    "%s in a concatenation "
						    "with an integer",
					 sel[i]->proto, sel[i]->field);
		}
		nftl_sel_text(sel[i], buf, sizeof(buf));
		linx_list_push_cstring(&tl, buf);
	}
	if (linx_value_status(&tl) < 0) {
		linx_value_clear(&tl);
		return nomem(p);
	}
	/* a vmap's data typeof too, `verdict`, as nft writes it */
	if (linx_map_put(e, "key_typeof", &tl) < 0 ||
	    (vmap && linx_map_put_cstring(e, "data_typeof", "verdict") < 0))
		return nomem(p);
	return 0;
}

/* `arp saddr ip`, `arp daddr ether`: the field is two words. */
static int arp_field(struct parser *p, const char *proto, const char **field)
{
	if (!streq(proto, "arp") ||
	    (!streq(*field, "saddr") && !streq(*field, "daddr")))
		return 0;
	const struct tok *t = next(p);
	if (is_ident(t, "ip"))
		*field = streq(*field, "saddr") ? "saddr ip" : "daddr ip";
	else if (is_ident(t, "ether"))
		*field = streq(*field, "saddr") ? "saddr ether" : "daddr ether";
	else
		return unexpected(p, t, "ip or ether");
	return 0;
}

/* Whether word `w`, before token `u`, starts an IPv6 extension header
 * match: `exthdr`, a header's name, or `rt` before a field of the
 * routing header (rt's other words are the route's: mtu, classid ...). */
static bool exthdr6_word(const char *w, const struct tok *u)
{
	static const char *const words[] = { "exthdr", "hbh", "rt0", "rt2",
					     "srh", "frag", "dst", "mh" };
	const struct nftl_sel *s;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (streq(w, words[i]))
			return true;
	s = streq(w, "rt") && u && u->kind == T_IDENT ? nftl_sel_find(w, u->s)
						      : NULL;
	return s && s->kind == SEL_EXTHDR6;
}

/* `meta KEY`, `ct KEY`, `PROTO FIELD` or an unqualified meta key. */
static const struct tok *peek_after(struct parser *p);

/*
 * `@BASE,OFFSET,LENGTH` (at peek()): its selector, nftl_raw_sel()'s, in
 * p->raw unless it is a named field nft makes of it (th sport and th
 * dport).
 */
static int raw_sel(struct parser *p, const struct nftl_sel **ret)
{
	const struct tok *at = next(p);
	uint64_t off, len;
	char why[160];
	int rc;

	if ((rc = expect_punct(p, ',')) < 0)
		return rc;
	const struct tok *ot = peek(p);
	if ((rc = expect_uint(p, UINT32_MAX, &off, "raw payload offset")) < 0 ||
	    (rc = expect_punct(p, ',')) < 0)
		return rc;
	const struct tok *lt = peek(p);
	if ((rc = expect_uint(p, UINT32_MAX, &len, "raw payload length")) < 0)
		return rc;
	if (!nftl_raw_sel(at->s, off, len, &p->raw, ret, why, sizeof(why)))
		return perror_at(p, strstr(why, "base") ? at
				    : strstr(why, "length") ? lt : ot,
				 "%s", why);
	return 0;
}

/* A raw payload of no type of its own in a key: nft types it `integer`,
 * which only a concatenation of ours holds (parse_concat). */
static int raw_in_key(struct parser *p, const struct tok *at)
{
	return perror_at(p, at, "unsupported feature: a raw payload other "
				"than @th,0,16 or @th,16,16 in a key");
}

/* One not in whole bytes: its key would need a mask. */
static int raw_bits_in_concat(struct parser *p, const struct tok *at)
{
	return perror_at(p, at, "unsupported feature: a raw payload not in "
				"whole bytes in a concatenation");
}

/* Whether a raw payload `@nh,OFF,LEN` starts at peek(). */
static bool is_raw_start(struct parser *p)
{
	return peek(p)->kind == T_SETREF && peek_after(p) &&
	       is_punct(peek_after(p), ',');
}

static int parse_selector_bits(struct parser *p, const struct nftl_sel **ret,
			       const struct tok **field_tok);

static int parse_selector(struct parser *p, const struct nftl_sel **ret)
{
	const struct tok *ft;
	int rc = parse_selector_bits(p, ret, &ft);

	/* a key's load would need the field's mask: not done yet */
	if (rc == 0 && (*ret)->bits)
		return perror_at(p, ft, "unsupported feature: %s %s in a key",
				 (*ret)->proto, (*ret)->field);
	return rc;
}

/* A selector, bit fields (ip dscp) included; *field_tok: the token an
 * error about the field points at. */
static int ct_dir_sel(struct parser *p, const struct tok *ct,
		      const char *dir, const struct nftl_sel **ret);
static bool ct_port_sel(const struct nftl_sel *s);

static int parse_selector_bits(struct parser *p, const struct nftl_sel **ret,
			       const struct tok **field_tok)
{
	const struct tok *t = peek(p), *ft = t;
	const char *proto, *field;
	int rc;

	if (is_raw_start(p)) {
		/* ip saddr . @th,0,16: nft takes the transport ports */
		if ((rc = raw_sel(p, ret)) < 0)
			return rc;
		return (*ret)->proto[0] == '@' ? raw_in_key(p, t) : 0;
	}
	next(p);
	if (t->kind != T_IDENT)
		return unexpected(p, t, "a selector");
	if (streq(t->s, "meta") || streq(t->s, "ct") ||
	    is_payload_proto(t->s)) {
		ft = next(p);
		if (ft->kind != T_IDENT)
			return unexpected(p, ft, "a field");
		proto = t->s;
		field = ft->s;
		/* their offsets and dependencies are the matches' alone */
		if (streq(proto, "vlan") || streq(proto, "arp"))
			return perror_at(p, t, "unsupported feature: %s fields "
					       "here",
					 proto);
	} else if (unqualified_meta(t->s)) {
		proto = "meta";
		field = t->s;
	} else if (exthdr6_word(t->s, peek(p))) {
		/* what nft sends for them in keys is not verified */
		return perror_at(p, t, "unsupported feature: IPv6 extension "
				       "header fields in keys, concatenations, "
				       "typeof and set statements");
	} else if (streq(t->s, "rt") || streq(t->s, "ipsec") ||
		   streq(t->s, "socket") || streq(t->s, "osf")) {
		return perror_at(p, t, "unsupported feature: %s in keys, "
				       "concatenations, typeof and set "
				       "statements",
				 t->s);
	} else {
		return unexpected(p, t, "a selector");
	}
	*field_tok = ft;
	/* ct original ip saddr . ct reply proto-dst */
	if (streq(proto, "ct") &&
	    (streq(field, "original") || streq(field, "reply")))
		return ct_dir_sel(p, t, field, ret);
	*ret = nftl_sel_find(proto, field);
	if (!*ret)
		return perror_at(p, ft, "unsupported feature: %s %s", proto,
				 field);
	return 0;
}

/* A value's operators as they fold (see "a value's bitwise operators"
 * below). */
struct binops {
	unsigned dt, len;
	struct rule *r;	     /* where shifts go; NULL: none (a match) */
	uint8_t mask[16], xor[16]; /* the pending mask-and-xor */
	uint8_t top[16];     /* the constant of the last operator applied */
	char last;	     /* that operator: '&', '^', '|' (0: none) */
	unsigned n;	     /* and/or/xor applied since the last shift */
	bool no_shift;	     /* a header field's value: nft turns it to host
			      * order around a shift, not done here */
};

static char binop_at(struct parser *p, int *prec);
static void binops_init(struct binops *b, unsigned dt, unsigned len,
			struct rule *r);
static int binop_expr(struct parser *p, struct binops *b, bool var, int min,
		      uint8_t *c, unsigned depth);

/* A component's operators (`ip saddr & 255.255.255.0 . tcp dport`):
 * the bitwise on its register after its load. */
struct cmask {
	bool on;
	uint8_t mask[16], xor[16];
};

/* What a key is looked up in: an anonymous interval set, or the set
 * named `set` (interval or not, known once it is declared); NULL: neither
 * (a hash's input, a set statement). */
struct key_order {
	bool interval;
	const char *set;
	const struct cmask *masks; /* one per component, or NULL */
};

/* A one-byte bit field in a key (`ip dscp . tcp dport`): masked, then
 * shifted down to the field's own value in register `reg`, as nft loads
 * it (its elements are the values themselves). */
static int key_bits(struct parser *p, struct rule *r, const struct nftl_sel *s,
		    unsigned reg)
{
	uint8_t m = (uint8_t)(((1u << s->bits) - 1) << s->shift), z = 0;
	uint32_t by = s->shift; /* host order, as the kernel reads it */
	struct linx_value e = linx_value_map();
	int rc;

	linx_value_reserve(&e, 6);
	linx_map_put_cstring(&e, "expr", "bitwise");
	linx_map_put_int(&e, "sreg", reg);
	linx_map_put_int(&e, "dreg", reg);
	linx_map_put_int(&e, "len", 1);
	linx_map_put_bytes(&e, "mask", &m, 1);
	linx_map_put_bytes(&e, "xor", &z, 1);
	if ((rc = push_expr(p, r, &e)) < 0 || !s->shift)
		return rc;
	e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "bitwise");
	linx_map_put_int(&e, "sreg", reg);
	linx_map_put_int(&e, "dreg", reg);
	linx_map_put_cstring(&e, "op", "rshift");
	linx_map_put_int(&e, "len", 1);
	linx_map_put_bytes(&e, "data", &by, sizeof(by));
	return push_expr(p, r, &e);
}

/* A bit field a key can hold: one byte of a header (nft 1.1 turns a
 * wider one to host order before the shift, 1.0.6 does not). */
static bool key_bits_ok(const struct nftl_sel *s)
{
	return !s->bits || (s->kind == SEL_PAYLOAD && s->len == 1 &&
			    s->proto[0] != '@');
}

/* A key of `n` selectors: every component's dependencies first (a
 * dependency's cmp uses register 1), then each load into its own 4-byte
 * slot - register 1 for the first, then NFT_REG32_00 + slot, or the
 * 16-byte register where the slot starts one (nftables' own allocation).
 * Loads start at slot `first`: 0 for a set key, 4 (register 2) for the
 * input of a hash, whose result takes register 1.  `*slots` is the
 * number of 4-byte slots used. */
static int load_key(struct parser *p, struct rule *r,
		    const struct nftl_sel *const *sel,
		    const struct tok *const *ats, unsigned n, unsigned first,
		    const struct key_order *order, unsigned *slots)
{
	unsigned slot = first;
	int rc;

	for (unsigned i = 0; i < n; i++)
		if ((rc = emit_deps(p, r, sel[i], ats[i])) < 0)
			return rc;
	for (unsigned i = 0; i < n; i++) {
		unsigned reg = slot % 4 == 0 ? 1 + slot / 4 : 8 + slot;

		if (sel[i]->kind == SEL_PAYLOAD)
			rc = e_payload_reg(p, r, sel[i]->base, sel[i]->offset,
					   sel[i]->len, reg);
		else if (sel[i]->kind == SEL_CT)
			rc = e_ct_load_reg(p, r, sel[i], reg);
		else
			rc = e_load(p, r, "meta", sel[i]->key, reg);
		/* an interval set compares memory: a host-order component
		 * is turned to network order in its own register, as nft
		 * does (one-byte keys too, a byteorder that changes
		 * nothing) */
		if (rc == 0 && sel[i]->bits)
			rc = key_bits(p, r, sel[i], reg);
		if (rc == 0 && order && order->masks && order->masks[i].on) {
			struct linx_value e = linx_value_map();
			unsigned len = sel[i]->len;

			linx_value_reserve(&e, 6);
			linx_map_put_cstring(&e, "expr", "bitwise");
			linx_map_put_int(&e, "sreg", reg);
			linx_map_put_int(&e, "dreg", reg);
			linx_map_put_int(&e, "len", len);
			linx_map_put_bytes(&e, "mask", order->masks[i].mask, len);
			linx_map_put_bytes(&e, "xor", order->masks[i].xor, len);
			rc = push_expr(p, r, &e);
		}
		unsigned hs = nftl_sel_hton_size(sel[i]);
		if (rc == 0 && order && (order->interval || order->set) && hs)
			rc = hton_into(p, r, reg, sel[i]->len, hs,
				       order->interval ? NULL : order->set);
		if (rc < 0)
			return rc;
		slot += (sel[i]->len + 3) / 4;
	}
	*slots = slot - first;
	return 0;
}

/* A concatenation's component with operators, `ip saddr & 255.255.255.0
 * . tcp dport`: &, ^, | fold into one mask and xor (struct binops) for
 * its register (a host-order component's in host order, before the
 * byteorder an interval set wants); shifts are refused (nft turns a
 * header field to host order around one). */
static int component_ops(struct parser *p, const struct nftl_sel *s,
			 struct cmask *m)
{
	struct binops b;
	int prec, rc;

	if (!binop_at(p, &prec))
		return 0;
	if (s->len > sizeof(m->mask) || s->dtype == DT_IFNAME ||
	    s->proto[0] == '@' || s->bits)
		return perror_at(p, peek(p), "unsupported feature: operators "
					     "on %s %s in a key",
				 s->proto, s->field);
	binops_init(&b, s->dtype, s->len, NULL);
	if ((rc = binop_expr(p, &b, true, 1, NULL, 0)) < 0)
		return rc;
	m->on = b.n > 0;
	memcpy(m->mask, b.mask, s->len);
	memcpy(m->xor, b.xor, s->len);
	return 0;
}

/* Whether operators and their constants, then a `.`, come next: the
 * first component of a concatenation with operators (`ip saddr &
 * 255.255.255.0 . tcp dport { ... }`), not a masked match.  An
 * address is one token, so a `.` here separates components. */
static bool masked_concat_ahead(struct parser *p)
{
	const struct src *sr = &p->src[p->n_src - 1];
	size_t i = sr->i, depth = 0;
	bool op = false;

	for (; i < sr->n && i < sr->i + 64; i++) {
		const struct tok *t = &sr->v[i];

		if (is_punct(t, '(')) {
			depth++;
		} else if (is_punct(t, ')')) {
			if (depth == 0)
				return false;
			depth--;
		} else if (depth == 0 && is_punct(t, '.')) {
			return op;
		} else if (depth == 0 &&
			   (is_punct(t, '&') || is_punct(t, '|') ||
			    is_punct(t, '^') || is_ident(t, "and") ||
			    is_ident(t, "or") || is_ident(t, "xor"))) {
			op = true;
		} else if (depth == 0 && !op) {
			return false;
		} else if (t->kind == T_PUNCT && !is_punct(t, '<') &&
			   !is_punct(t, '>') && !is_punct(t, ':')) {
			/* a value's own punctuation aside, the match goes on
			 * with a set, a comparison or the next statement */
			return false;
		} else if (depth == 0 && i > sr->i + 1 &&
			   sr->v[i - 1].kind != T_PUNCT &&
			   !is_ident(&sr->v[i - 1], "and") &&
			   !is_ident(&sr->v[i - 1], "or") &&
			   !is_ident(&sr->v[i - 1], "xor")) {
			/* two words in a row: the match's value is done */
			return false;
		}
	}
	return false;
}

/*
 * `SEL . SEL ... @set`, `... { A . B, ... }`, `... vmap @m` and
 * `... vmap { A . B : verdict }`, with `!=` for the set forms: every
 * component's dependencies first (a dependency's cmp uses register 1),
 * then each load into its own 4-byte slot - register 1 for the first,
 * then NFT_REG32_00 + slot, or the 16-byte register where the slot
 * starts one (nftables' own allocation, so the rule is byte for byte
 * what nft -f loads) - then one lookup from register 1.
 */
static int parse_concat(struct parser *p, struct rule *r,
			const struct nftl_sel *first, const struct tok *at)
{
	const struct nftl_sel *sel[CONCAT_MAX];
	const struct tok *ats[CONCAT_MAX];
	struct nftl_raw raws[CONCAT_MAX];
	struct ckey k = { 0 };
	unsigned slot = 0;
	int rc;

	struct cmask masks[CONCAT_MAX];
	memset(masks, 0, sizeof(masks));
	sel[0] = nftl_raw_keep(first, &raws[0]);
	ats[0] = at;
	if (!key_bits_ok(first))
		return perror_at(p, at, "unsupported feature: %s %s in a key",
				 first->proto, first->field);
	if ((rc = ckey_add(p, &k, first->dtype, first->len, at)) < 0 ||
	    (rc = component_ops(p, first, &masks[0])) < 0)
		return rc;
	while (accept_punct(p, '.')) {
		const struct tok *t = peek(p);
		const struct nftl_sel *s;

		/* a raw payload in whole bytes: an integer component */
		if (is_raw_start(p)) {
			if ((rc = raw_sel(p, &s)) < 0)
				return rc;
			if (s->proto[0] == '@' && s->bits)
				return raw_bits_in_concat(p, t);
		} else {
			const struct tok *ft;
			if ((rc = parse_selector_bits(p, &s, &ft)) < 0)
				return rc;
			if (!key_bits_ok(s))
				return perror_at(p, ft, "unsupported feature: "
							"%s %s in a key",
						 s->proto, s->field);
		}
		if ((rc = ckey_add(p, &k, s->dtype, s->len, t)) < 0 ||
		    (rc = component_ops(p, s, &masks[k.n - 1])) < 0)
			return rc;
		sel[k.n - 1] = nftl_raw_keep(s, &raws[k.n - 1]);
		ats[k.n - 1] = t;
	}
	/* a ct port's type comes from the protocol the rule established */
	for (unsigned i = 0; i < k.n && r->l4 < 0 && !r->l4seen; i++)
		if (ct_port_sel(sel[i]))
			return perror_at(p, ats[i], "Can't parse symbolic "
						    "invalid expressions");
	bool inv = false, vmap = false;
	const struct tok *t = peek(p);
	if (is_punct(t, 'N')) {
		next(p);
		inv = true;
	} else if (is_punct(t, '=')) {
		next(p);
		if ((rc = expect_punct(p, '=')) < 0)
			return rc;
	} else if (is_ident(t, "vmap")) {
		next(p);
		vmap = true;
	}
	/* the loads follow what the key is looked up in: an interval
	 * set's host-order components are turned to network order */
	t = next(p);
	if (t->kind == T_SETREF) {
		struct key_order o = { .set = t->s, .masks = masks };
		if ((rc = load_key(p, r, sel, ats, k.n, 0, &o, &slot)) < 0)
			return rc;
		return lookup(p, r, t, &k, inv, vmap);
	}
	if (!is_punct(t, '{'))
		return perror_at(p, t, "unsupported feature: a concatenation "
				       "outside a set lookup");

	struct linx_value elems;
	bool interval = false;
	p->ck = &k;
	rc = parse_elements(p, 0, 0, true, vmap ? 2 : 0, 0, 0, &elems,
			    &interval);
	p->ck = NULL;
	/* nft 1.0.6 writes such a set literal's typeof empty and lists it
	 * wrong ({ 0 . 0.0.0.1-0.0.0.2 }): no bytes to be identical to */
	for (unsigned i = 0; rc == 0 && interval && i < k.n; i++)
		if (sel[i]->dtype == DT_HINT)
			rc = perror_at(p, ats[i], "unsupported feature: a "
						  "host-order integer in a "
						  "set literal with ranges");
	struct key_order o = { .interval = interval, .masks = masks };
	struct linx_value dt = linx_value_nil();
	if (rc == 0)
		rc = load_key(p, r, sel, ats, k.n, 0, &o, &slot);
	if (rc == 0 && vmap && linx_value_cstring(&dt, "verdict") < 0)
		rc = nomem(p);
	if (rc < 0) {
		linx_value_clear(&elems);
		return rc;
	}
	struct linx_value e = concat_literal(&k, &dt, &elems);
	if ((rc = concat_typeof(p, sel, ats, k.n, vmap, &e)) < 0) {
		linx_value_clear(&e);
		return rc;
	}
	if (vmap) {
		linx_map_put_int(&e, "dreg", 0);
		r->verdict = true;
	}
	if (inv) {
		struct linx_value f = linx_value_list();
		linx_list_push_cstring(&f, "inv");
		linx_map_put(&e, "flags", &f);
	}
	return push_expr(p, r, &e);
}

/* Flags of a bit-mask type: NAME[,|NAME...] or a number, OR'ed. */
static int parse_flags_value(struct parser *p, unsigned dt, unsigned len,
			     bool paren, uint64_t *ret)
{
	uint64_t m = 0;
	struct val v;
	int rc;

	for (;;) {
		if ((rc = parse_value(p, dt, len, &v)) < 0)
			return rc;
		linx_value_clear(&v.elem);
		m |= nftl_get_uint(v.b, len, nftl_dtype_host(dt));
		if (accept_punct(p, '|') || (!paren && accept_punct(p, ',')))
			continue;
		break;
	}
	*ret = m;
	return 0;
}

/* SEL & MASK [==|!=] VALUE, SEL VALUE / MASK: a bitwise and a cmp. */
static int masked_match(struct parser *p, struct rule *r, unsigned dt,
			unsigned len, uint64_t mask, const char *op,
			uint64_t value)
{
	uint8_t b[8] = { 0 };
	int rc;

	if (len > sizeof(b))
		return perror_at(p, p->last, "value too wide");
	put_uint(b, len, mask, nftl_dtype_host(dt));
	if ((rc = e_bitwise(p, r, b, len)) < 0)
		return rc;
	put_uint(b, len, value, nftl_dtype_host(dt));
	return e_cmp(p, r, op, b, len);
}

/* ---- a value's bitwise operators ------------------------------------------ */

/* `SEL OP C OP C ...`: `&`, `^`, `|` (and, xor, or) and the shifts `<<`,
 * `>>` (lshift, rshift), with nft's precedence, which is C's: shifts bind
 * tightest, then &, then ^, then |, each from the left.  The selector is
 * the leftmost operand and every other operand a constant, which folds
 * with its neighbours (`| 0x10 & 0xff` is `| 0x10`), so what reaches the
 * selector is a run of shifts and, between them, one mask-and-xor each.
 * A parenthesised group of constants is one operand; a group around the
 * selector is read by the caller (stmt_set()). */

/* The operator at the parser's position, 'L' and 'R' for the shifts, or
 * 0; its binding strength in *prec. */
static char binop_at(struct parser *p, int *prec)
{
	const struct tok *t = peek(p), *t2 = peek_after(p);

	if (is_ident(t, "lshift") || (is_punct(t, '<') && t2 && is_punct(t2, '<')))
		return *prec = 4, 'L';
	if (is_ident(t, "rshift") || (is_punct(t, '>') && t2 && is_punct(t2, '>')))
		return *prec = 4, 'R';
	if (is_punct(t, '&') || is_ident(t, "and"))
		return *prec = 3, '&';
	if (is_punct(t, '^') || is_ident(t, "xor"))
		return *prec = 2, '^';
	if (is_punct(t, '|') || is_ident(t, "or"))
		return *prec = 1, '|';
	return 0;
}

static void binops_init(struct binops *b, unsigned dt, unsigned len,
			struct rule *r)
{
	memset(b, 0, sizeof(*b));
	b->dt = dt;
	b->len = len;
	b->r = r;
	memset(b->mask, 0xff, len);
}

/* The pending mask-and-xor as a bitwise of its own, before a shift. */
static int binops_flush(struct parser *p, struct binops *b)
{
	int rc = 0;

	if (b->n)
		rc = e_bitwise_xor(p, b->r, b->mask, b->xor, b->len);
	memset(b->mask, 0xff, b->len);
	memset(b->xor, 0, b->len);
	b->n = 0;
	b->last = 0;
	return rc;
}

/* One plain value of a masked match: no prefix, range or wildcard. */
static int mask_operand(struct parser *p, unsigned dt, unsigned len,
			struct val *v)
{
	const struct tok *t = peek(p);
	int rc;

	if ((rc = parse_value(p, dt, len, v)) < 0)
		return rc;
	linx_value_clear(&v->elem);
	if (v->plen >= 0 || v->wildcard || v->len != len)
		return perror_at(p, t, "a masked match takes plain values");
	return 0;
}

/* The operators binding at least as tightly as `min`, applied to the
 * selector (var) or to a constant read here into c. */
static int binop_expr(struct parser *p, struct binops *b, bool var, int min,
		      uint8_t *c, unsigned depth)
{
	int prec, rc;
	char op;

	if (depth > 16)
		return perror_at(p, peek(p), "expression nested too deeply");
	if (!var && accept_punct(p, '(')) {
		if ((rc = binop_expr(p, b, false, 1, c, depth + 1)) < 0)
			return rc;
		if ((rc = expect_punct(p, ')')) < 0)
			return rc;
	} else if (!var) {
		struct val v;
		if ((rc = mask_operand(p, b->dt, b->len, &v)) < 0)
			return rc;
		memcpy(c, v.b, b->len);
	}
	while ((op = binop_at(p, &prec)) && prec >= min) {
		const struct tok *at = next(p);
		uint8_t k[16];

		if (op == 'L' || op == 'R') {
			uint64_t by;
			if (at->kind == T_PUNCT)
				next(p);
			if (!var)
				return perror_at(p, at, "unsupported feature: "
							"shifting a constant");
			if (!b->r)
				return perror_at(p, at, "unsupported feature: "
							"a shift in a match");
			if (b->no_shift)
				return perror_at(p, at, "unsupported feature: "
							"shifting a header "
							"field");
			if ((rc = expect_uint(p, b->len * 8 - 1, &by,
					      "a shift")) < 0 ||
			    (rc = binops_flush(p, b)) < 0 ||
			    (rc = e_shift(p, b->r, op == 'L', (uint32_t)by,
					  b->len)) < 0)
				return rc;
			continue;
		}
		if ((rc = binop_expr(p, b, false, prec + 1, k, depth + 1)) < 0)
			return rc;
		uint8_t *x = var ? b->xor : c;
		for (unsigned i = 0; i < b->len; i++) {
			if (op == '&') {
				if (var)
					b->mask[i] &= k[i];
				x[i] &= k[i];
			} else if (op == '|') {
				if (var)
					b->mask[i] &= (uint8_t)~k[i];
				x[i] |= k[i];
			} else {
				x[i] ^= k[i];
			}
		}
		if (var) {
			memcpy(b->top, k, b->len);
			b->last = op;
			b->n++;
		}
	}
	return 0;
}

/* `SEL OPS` in a match, the load done, before its operator and value:
 * the bitwise, with nft's one rewrite - an outermost `^ C` moves onto a
 * single value (`meta mark & 0xff ^ 0x1 == 0x3` is `meta mark & 0xff ==
 * 0x2`), stays in the bitwise before a named set, and is refused before
 * anything else it would have to move into.  The operator is read here;
 * *xfer gets the constant the value is to be xored with, or NULL. */
/* A comparison operator at the parser's position, if one is there
 * (`==` written as two tokens too): *op and *explicit_op set. */
static int read_op(struct parser *p, const char **op, bool *explicit_op)
{
	const struct tok *o = peek(p);

	if (op_of(o)) {
		*op = op_of(o);
		*explicit_op = true;
		next(p);
	} else if (is_punct(o, '=')) {
		next(p);
		*explicit_op = true;
		return expect_punct(p, '=');
	}
	return 0;
}

static int match_binops(struct parser *p, struct rule *r, unsigned dt,
			unsigned len, const char **op, bool *explicit_op,
			struct binops *b, const uint8_t **xfer)
{
	int rc;

	*xfer = NULL;
	if (len > sizeof(b->mask) || dt == DT_IFNAME)
		return perror_at(p, peek(p), "unsupported feature: masking "
					     "this type");
	binops_init(b, dt, len, NULL);
	if ((rc = binop_expr(p, b, true, 1, NULL, 0)) < 0)
		return rc;
	if ((rc = read_op(p, op, explicit_op)) < 0)
		return rc;
	const struct tok *t = peek(p);
	bool ordering = strcmp(*op, "eq") && strcmp(*op, "neq");
	if (t->kind == T_VAR) /* a runtime value: not masked (yet) */
		return perror_at(p, t, "unsupported feature: a variable after "
				       "&, ^ or |");
	if (b->last == '^' && t->kind != T_SETREF) {
		if (ordering || is_punct(t, '{') || is_ident(t, "vmap"))
			return perror_at(p, t, "unsupported feature: an "
					       "outermost ^ before a set, a map "
					       "or an ordering");
		for (unsigned i = 0; i < len; i++)
			b->xor[i] ^= b->top[i];
		*xfer = b->top;
		if (b->n == 1) /* nothing but that ^ */
			return 0;
	}
	return e_bitwise_xor(p, r, b->mask, b->xor, len);
}

/* nft refuses to compare a generator with a value it never gives:
 * past offset + mod - 1 (`numgen inc mod 2 5`). */
static int gen_value_ok(struct parser *p, const struct nftl_sel *s,
			const struct tok *t, const struct val *v)
{
	uint32_t x;

	/* socket transparent and wildcard are booleans to nft */
	if (s->kind == SEL_SOCKET && s->len == 1 && v->b[0] > 1)
		return perror_at(p, t, "value %u exceeds valid range 0-1",
				 v->b[0]);
	if (s->kind != SEL_GEN)
		return 0;
	memcpy(&x, v->b, sizeof(x)); /* DT_HINT: host order */
	if (x > p->gen_max)
		return perror_at(p, t, "value %u exceeds valid range 0-%llu",
				 x, (unsigned long long)p->gen_max);
	return 0;
}

/* A bit field (vlan pcp, dei): the load is done; its mask, then one
 * value shifted into place, as nft compiles it.  Sets and ranges of a
 * shifted field are left out. */
static int bitfield_match(struct parser *p, struct rule *r,
			  const struct nftl_sel *s, const char *op)
{
	const struct tok *t = peek(p);
	uint8_t m[2], b[2];
	uint64_t v, max = (uint64_t)(s->mask >> s->shift);
	int rc;

	if (t->kind != T_INT)
		return is_punct(t, '{') || t->kind == T_SETREF
			       ? perror_at(p, t, "unsupported feature: sets "
						 "of %s %s",
					   s->proto, s->field)
			       : unexpected(p, t, "a number");
	if ((rc = expect_uint(p, max, &v, "value")) < 0)
		return rc;
	if (!streq(op, "eq") && !streq(op, "neq"))
		return perror_at(p, t, "unsupported feature: ordering %s %s",
				 s->proto, s->field);
	put_uint(m, s->len, s->mask, false);
	put_uint(b, s->len, v << s->shift, false);
	if ((rc = e_bitwise(p, r, m, s->len)) < 0)
		return rc;
	return e_cmp(p, r, op, b, s->len);
}

static int match_rest(struct parser *p, struct rule *r,
		      const struct nftl_sel *s, const struct tok *at);

/* `ct label N`: whether label bit N is set - the labels, a bitwise
 * with that bit, a cmp != 0, as nft compiles it.  Names would come from
 * /etc/connlabel.conf, which we do not read: numbers only. */
/* One label number into the kernel's host-order bitmap `m` (zeroed). */
static int label_bit(struct parser *p, uint8_t m[16])
{
	const struct tok *t = peek(p);

	if (op_of(t) || is_punct(t, '=') || is_punct(t, '{') ||
	    t->kind == T_SETREF || is_ident(t, "vmap"))
		return perror_at(p, t, "unsupported feature: ct label takes "
				       "one label number");
	if (t->kind != T_INT)
		return unexpected(p, t, "a label number (0-127; names from "
					"connlabel.conf are not read)");
	if (t->u > 127)
		return perror_at(p, t, "label out of range: %llu (0-127)",
				 (unsigned long long)t->u);
	next(p);
	m[t->u / 8] = (uint8_t)(1u << (t->u % 8));
	return 0;
}

static int label_match(struct parser *p, struct rule *r,
		       const struct nftl_sel *s)
{
	uint8_t m[16] = { 0 }, zero[16] = { 0 };
	int rc;

	if ((rc = label_bit(p, m)) < 0 ||
	    (rc = e_sel_load(p, r, s, s->len)) < 0 ||
	    (rc = e_bitwise(p, r, m, sizeof(m))) < 0)
		return rc;
	return e_cmp(p, r, "neq", zero, sizeof(zero));
}

static int match_body(struct parser *p, struct rule *r,
		      const struct nftl_sel *s, const struct tok *at)
{
	if (s->dtype == DT_CTLABEL)
		return label_match(p, r, s);
	return match_rest(p, r, s, at);
}

/* The verdict map a value of type dt/len in register 1 is looked up in,
 * after `vmap`: `@name` or `{ KEY : VERDICT, ... }`. */
/* The key of one type a lookup checks against its set. */
static struct ckey one_key(unsigned dt, unsigned len)
{
	struct ckey k = { .n = 1 };

	k.name[0] = nftl_dtype_settype(dt, len);
	return k;
}

static int vmap_rhs(struct parser *p, struct rule *r, unsigned dt,
		    unsigned len)
{
	const struct tok *u = next(p);
	struct ckey k = one_key(dt, len);
	int rc;

	if (u->kind == T_SETREF)
		return (rc = hton_for_set(p, r, u, dt, len)) < 0
			       ? rc
			       : lookup(p, r, u, &k, false, true);
	if (is_punct(u, '{'))
		return set_literal(p, r, NULL, dt, len, true, false, true, u);
	return unexpected(p, u, "a set reference or '{'");
}

/* The set a value in register 1 is looked up in, at `t` (`@name` or
 * `{ ... }`, not read yet): `s` the selector when there is one, `neq`
 * for a negated lookup, `ordering` an operator a set does not take. */
static int set_rhs(struct parser *p, struct rule *r, const struct nftl_sel *s,
		   unsigned dt, unsigned len, bool neq, bool ordering,
		   const struct tok *t)
{
	int rc;

	if (ordering)
		return perror_at(p, t, "a set needs == or !=");
	next(p);
	if (t->kind == T_SETREF) {
		struct ckey k = one_key(dt, len);
		return (rc = e_field_shift(p, r, s)) < 0 ||
				       (rc = hton_for_set(p, r, t, dt, len)) < 0
			       ? rc
			       : lookup(p, r, t, &k, neq, false);
	}
	return set_literal(p, r, s, dt, len, false, neq, true, t);
}

static int match_rest(struct parser *p, struct rule *r,
		      const struct nftl_sel *s, const struct tok *at)
{
	unsigned len = s->len, dt = s->dtype;
	const char *op = "eq";
	bool explicit_op = false, chained = false;
	struct nftl_sel in_tag;
	struct binops bo;
	const uint8_t *xfer = NULL;
	int rc, prec;

	if ((rc = emit_deps(p, r, s, at)) < 0)
		return rc;
	/* a field of the innermost of the stacked VLAN headers */
	if (s->kind == SEL_PAYLOAD && streq(s->proto, "vlan")) {
		in_tag = *s;
		in_tag.offset = (uint8_t)(s->offset + 4 * (r->vlan - 1));
		s = &in_tag;
	}
	/* the right-hand side decides the load for prefixes: look ahead */
	const struct tok *o = peek(p);
	char bop = binop_at(p, &prec);
	if (bop == 'L' || bop == 'R') /* before `<` reads as an operator */
		return perror_at(p, o, "unsupported feature: a shift in a "
				       "match");
	if ((rc = read_op(p, &op, &explicit_op)) < 0)
		return rc;
	const struct tok *t = peek(p);
	bool neq = streq(op, "neq");
	bool ordering = !neq && !streq(op, "eq");

	/* nft 1.0.6 compares only the prefix's first byte of an rt
	 * nexthop; sets of rt values are not checked against it */
	if (s->kind == SEL_RT &&
	    (is_punct(t, '{') || t->kind == T_SETREF || is_ident(t, "vmap") ||
	     is_ident(t, "map") ||
	     ((t->kind == T_IPV4 || t->kind == T_IPV6) && t->plen >= 0)))
		return perror_at(p, t, "unsupported feature: sets and "
				       "prefixes of %s %s",
				 s->proto, s->field);

	/* nft 1.0.6 shortens the load of a byte-aligned prefix of an
	 * extension header address and cannot list it back */
	if ((s->kind == SEL_EXTHDR6 || s->kind == SEL_EXTHDR4) &&
	    (t->kind == T_IPV6 || t->kind == T_IPV4) && t->plen >= 0)
		return perror_at(p, t, "unsupported feature: a prefix of %s "
				       "%s outside a set",
				 s->proto, s->field);

	/* nft keys an anonymous one `dscp` of 2 bytes, a type of 1 byte to
	 * us; for a named one nft 1.1 turns the two bytes to host order
	 * before the shift and 1.0.6 does not: not done until both agree */
	if (s->dtype == DT_DSCP && s->len != 1 &&
	    (is_ident(t, "vmap") || is_punct(t, '{') || t->kind == T_SETREF))
		return perror_at(p, t, "unsupported feature: sets of %s %s",
				 s->proto, s->field);

	/* vmap @set / vmap { ... } */
	if (is_ident(t, "vmap") && !explicit_op) {
		next(p);
		if ((rc = e_sel_load(p, r, s, len)) < 0)
			return rc;
		if (peek(p)->kind == T_SETREF &&
		    (rc = e_field_shift(p, r, s)) < 0)
			return rc;
		return vmap_rhs(p, r, dt, len);
	}
	if (is_ident(t, "map"))
		return perror_at(p, t, "unsupported feature: map lookups in "
				       "matches");
	if (s->mask && (is_ident(t, "vmap") || binop_at(p, &prec) ||
			t->kind == T_VAR))
		return perror_at(p, t, "unsupported feature: this form of "
				       "%s %s",
				 s->proto, s->field);
	/* load */
	if (s->kind == SEL_PAYLOAD) {
		unsigned ll = len;
		/* nftables loads only the bytes of a byte-aligned prefix */
		if ((t->kind == T_IPV4 || t->kind == T_IPV6) && t->plen >= 0 &&
		    t->plen % 8 == 0 && t->plen > 0 && !ordering &&
		    !(peek(p) == t && 0)) {
			ll = (unsigned)t->plen / 8;
		}
		rc = e_payload(p, r, s->base, s->offset, ll);
		if (rc == 0)
			rc = e_field_mask(p, r, s);
	} else if (s->kind != SEL_GEN) {
		rc = e_sel_load(p, r, s, len);
	}
	if (rc < 0)
		return rc;
	if (s->mask && s->shift)
		return bitfield_match(p, r, s, op);
	if (s->mask) { /* vlan id: the low 12 bits, in place */
		uint8_t m[2];
		put_uint(m, len, s->mask, false);
		if ((rc = e_bitwise(p, r, m, len)) < 0)
			return rc;
		if (t->kind == T_INT && t->u > s->mask)
			return perror_at(p, t, "value %llu exceeds valid range "
					       "0-%u",
					 (unsigned long long)t->u, s->mask);
	}
rhs:
	if (chained && !explicit_op && is_ident(t, "vmap")) {
		next(p);
		return vmap_rhs(p, r, dt, len);
	}
	if (t->kind == T_SETREF || is_punct(t, '{'))
		return set_rhs(p, r, s, dt, len, neq, ordering, t);
	if (t->kind == T_VAR) {
		if (s->bits) /* a hole's value would need the shift */
			return perror_at(p, t, "unsupported feature: a "
					       "variable for %s %s",
					 s->proto, s->field);
		next(p);
		return parse_hole(p, r, t, dt, len, op);
	}
	if (nftl_dtype_is_bitmask(dt)) {
		uint64_t m, v2;
		uint8_t tmp[8];
		if (!explicit_op &&
		    (accept_punct(p, '&') || accept_ident(p, "and"))) {
			bool paren = accept_punct(p, '(');
			if ((rc = parse_flags_value(p, dt, len, paren, &m)) < 0)
				return rc;
			if (paren && (rc = expect_punct(p, ')')) < 0)
				return rc;
			const struct tok *o2 = peek(p);
			const char *op2 = op_of(o2);
			bool had_op = op2 != NULL;
			if (op2)
				next(p);
			else if (is_punct(o2, '=')) {
				next(p);
				if ((rc = expect_punct(p, '=')) < 0)
					return rc;
				op2 = "eq";
				had_op = true;
			} else
				op2 = "eq";
			/* the masked flags in a set or a verdict map:
			 * `tcp flags & (syn|ack) { syn, syn|ack }` */
			const struct tok *t2 = peek(p);
			if (is_punct(t2, '{') || t2->kind == T_SETREF ||
			    (!had_op && is_ident(t2, "vmap"))) {
				uint8_t mb[8];
				bool neq2 = streq(op2, "neq");
				if (!neq2 && !streq(op2, "eq"))
					return perror_at(p, t2, "a set needs == "
								"or !=");
				put_uint(mb, len, m, nftl_dtype_host(dt));
				if ((rc = e_bitwise(p, r, mb, len)) < 0)
					return rc;
				if (accept_ident(p, "vmap"))
					return vmap_rhs(p, r, dt, len);
				p->masked_set = true;
				rc = set_rhs(p, r, s, dt, len, neq2, false, t2);
				p->masked_set = false;
				return rc;
			}
			/* the value may be in parentheses too,
			 * `== (fin|syn)` */
			bool paren2 = accept_punct(p, '(');
			if ((rc = parse_flags_value(p, dt, len, paren2, &v2)) < 0)
				return rc;
			if (paren2 && (rc = expect_punct(p, ')')) < 0)
				return rc;
			return masked_match(p, r, dt, len, m, op2, v2);
		}
		const struct tok *fat = peek(p);
		bool paren = accept_punct(p, '(');
		if ((rc = parse_flags_value(p, dt, len, paren, &m)) < 0)
			return rc;
		if (paren && (rc = expect_punct(p, ')')) < 0)
			return rc;
		if (!paren && !ordering && accept_punct(p, '-')) {
			/* `ct state 0x10-0x1f`: a range of the bitmask's
			 * values, as nft takes (and the formatter writes
			 * `ct state { 0x10-0x1f }` so) */
			uint64_t hv;
			uint8_t lo_b[8], hi_b[8];
			if ((rc = parse_flags_value(p, dt, len, false, &hv)) < 0)
				return rc;
			if (hv < m)
				return perror_at(p, fat, "Range has zero or "
							 "negative size");
			put_uint(lo_b, len, m, nftl_dtype_host(dt));
			put_uint(hi_b, len, hv, nftl_dtype_host(dt));
			return e_range(p, r, dt, len, lo_b, hi_b, neq);
		}
		if (!explicit_op && accept_punct(p, '/')) {
			uint64_t mk;
			if ((rc = parse_flags_value(p, dt, len, false, &mk)) < 0)
				return rc;
			return masked_match(p, r, dt, len, mk, "eq", m);
		}
		put_uint(tmp, len, m, nftl_dtype_host(dt));
		if (explicit_op) /* == and != compare the whole value */
			return e_cmp(p, r, op, tmp, len);
		/* flags alone: any of them set */
		if ((rc = e_bitwise(p, r, tmp, len)) < 0)
			return rc;
		memset(tmp, 0, sizeof(tmp));
		return e_cmp(p, r, "neq", tmp, len);
	}
	if (!explicit_op && !chained && binop_at(p, &prec)) {
		if (s->bits) /* nft masks the field's bits again */
			return perror_at(p, peek(p), "unsupported feature: "
						     "masking %s %s",
					 s->proto, s->field);
		if ((rc = match_binops(p, r, dt, len, &op, &explicit_op, &bo,
				       &xfer)) < 0)
			return rc;
		chained = true;
		t = peek(p);
		neq = streq(op, "neq");
		ordering = !neq && !streq(op, "eq");
		goto rhs;
	}
	struct val v;
	const struct tok *vat = peek(p);
	if ((rc = parse_value(p, dt, len, &v)) < 0)
		return rc;
	if ((rc = gen_value_ok(p, s, t, &v)) < 0) {
		linx_value_clear(&v.elem);
		return rc;
	}
	if (chained && (v.plen >= 0 || v.wildcard ||
			(xfer && (is_punct(peek(p), '-') ||
				  is_punct(peek(p), ','))))) {
		linx_value_clear(&v.elem);
		return perror_at(p, vat, v.plen >= 0 || v.wildcard
						 ? "a masked match takes plain "
						   "values"
						 : "unsupported feature: an "
						   "outermost ^ before a range "
						   "or a list");
	}
	for (unsigned i = 0; xfer && i < v.len && i < len; i++)
		v.b[i] ^= xfer[i];
	/* A comma list: nft takes one only of flags (the bitmask branch
	 * above) and refuses any other, at its first value ("Basetype of
	 * type ... is not bitmask"); the cases below say more. */
	if (is_punct(peek(p), ',') && !ordering) {
		struct linx_value first = v.elem;
		bool interval = v.plen >= 0;
		struct linx_value rest;

		/* nft 1.0.6 crashes on a bare list of option values */
		if (s->kind == SEL_EXTHDR) {
			linx_value_clear(&first);
			return perror_at(p, peek(p), "a list of %s values: "
						     "write it as a set, "
						     "{ ... }",
					 sctp_chunk_sel(s) ? "SCTP chunk"
							   : "TCP option");
		}
		/* and crashes or reads it as flags for extension headers */
		if (s->kind == SEL_EXTHDR6 || s->kind == SEL_EXTHDR4) {
			linx_value_clear(&first);
			return perror_at(p, peek(p), "a list of %s %s values: "
						     "write it as a set, "
						     "{ ... }",
					 s->proto, s->field);
		}
		/* nft 1.0.6 takes a raw payload's list as flags, and a
		 * raw payload is no bitmask */
		if (s->proto[0] == '@') {
			linx_value_clear(&first);
			return perror_at(p, vat, "a list of %s,%s values: "
						 "write it as a set, { ... } "
						 "(nft: the integer type is "
						 "not a bitmask)",
					 s->proto, s->field);
		}
		/* nft's grammar takes single values only in a bare list */
		if (interval) {
			linx_value_clear(&first);
			return perror_at(p, peek(p), "a prefix in a list: write "
						     "the list as a set, "
						     "{ ... }");
		}
		next(p);
		rc = parse_elements(p, dt, len, false, 0, 0, 0, &rest,
				    &interval);
		if (rc == 0 && interval)
			rc = perror_at(p, p->first_iv, "a prefix or range in a "
						       "list: write the list "
						       "as a set, { ... }");
		linx_value_clear(&first);
		linx_value_clear(&rest);
		if (rc < 0)
			return rc;
		return perror_at(p, vat, "a list of %s %s values: write it as a "
					 "set, { ... } (nft: the type is not a "
					 "bitmask)",
				 s->proto, s->field);
	}
	linx_value_clear(&v.elem);
	if (accept_punct(p, '-')) {
		struct val hi;
		if (ordering || v.plen >= 0)
			return perror_at(p, p->last, "a range needs == or !=");
		const struct tok *ht = peek(p);
		if ((rc = parse_value(p, dt, len, &hi)) < 0)
			return rc;
		linx_value_clear(&hi.elem);
		if ((rc = gen_value_ok(p, s, ht, &hi)) < 0)
			return rc;
		/* across midnight or the week's end (`meta hour
		 * "22:00"-"06:00"`, in UTC, where the hour is kept): the
		 * rest of the day or week, negated, as nft rewrites it */
		if (range_reversed(dt, v.b, hi.b, len) &&
		    (dt == DT_HOUR || dt == DT_DAY))
			return e_range(p, r, dt, len, hi.b, v.b, !neq);
		if (range_reversed(dt, v.b, hi.b, len))
			return perror_at(p, vat, "Range has zero or negative "
						 "size");
		return e_range(p, r, dt, len, v.b, hi.b, neq);
	}
	if (v.plen >= 0) {
		unsigned full = len * 8;
		if (ordering)
			return perror_at(p, p->last, "a prefix needs == or !=");
		/* nft compares only a byte-aligned prefix's bytes (a ct
		 * or xfrm address's load stays whole); a /0 keeps the whole load
		 * and masks it all away */
		if ((unsigned)v.plen == full || (v.plen > 0 && v.plen % 8 == 0))
			return e_cmp(p, r, op, v.b,
				     s->kind == SEL_PAYLOAD || s->kind == SEL_CT ||
					     s->kind == SEL_XFRM
					     ? (unsigned)v.plen / 8
					     : len);
		uint8_t mask[16] = { 0 };
		unsigned bits = (unsigned)v.plen;
		for (unsigned i = 0; i < len; i++) {
			unsigned k = bits >= 8 ? 8 : bits;
			mask[i] = (uint8_t)(k ? 0xff << (8 - k) : 0);
			bits -= k;
		}
		if ((rc = e_bitwise(p, r, mask, len)) < 0)
			return rc;
		return e_cmp(p, r, op, v.b, len);
	}
	if (!chained)
		note_ctx(p, r, s, op, &v);
	if (ordering && nftl_dtype_hton(dt, v.len)) {
		if ((rc = e_hton(p, r, v.len)) < 0)
			return rc;
		host_to_be(v.b, v.len);
	}
	return e_cmp(p, r, op, v.b, v.len);
}

/* A match; the values of a bit field are read in place (p->fbits). */
static int parse_match(struct parser *p, struct rule *r,
		       const struct nftl_sel *s, const struct tok *at)
{
	int rc;

	p->fbits = s->bits;
	p->fshift = s->shift;
	rc = match_body(p, r, s, at);
	p->fbits = p->fshift = 0;
	return rc;
}

/* ---- statements ------------------------------------------------------------ */

static int object_map(struct parser *p, struct rule *r, const char *kind);

/* After `counter name` (quota, limit): whether a selector and `map`
 * follow (`counter name tcp dport map @m`) rather than the object's
 * name: `map` within the next four words, not first. */
static bool object_map_ahead(struct parser *p)
{
	if (p->n_src == 0)
		return false;
	const struct src *c = &p->src[p->n_src - 1];
	for (size_t k = c->i; k < c->n && k < c->i + 4; k++) {
		if (c->v[k].kind != T_IDENT)
			return false;
		if (streq(c->v[k].s, "map"))
			return k > c->i;
	}
	return false;
}

static int stmt_counter(struct parser *p, struct rule *r)
{
	struct linx_value e = linx_value_map();

	if (accept_ident(p, "name")) {
		if (object_map_ahead(p)) {
			linx_value_clear(&e);
			return object_map(p, r, "counter");
		}
		const char *n;
		int rc = expect_name(p, &n, "a counter name");
		if (rc < 0 || (rc = add_ref(p, "objects", "counter", p->last)) < 0) {
			linx_value_clear(&e);
			return rc;
		}
		linx_map_put_cstring(&e, "expr", "objref");
		linx_map_put_cstring(&e, "type", "counter");
		linx_map_put_cstring(&e, "name", n);
		return push_expr(p, r, &e);
	}
	linx_map_put_cstring(&e, "expr", "counter");
	if (accept_ident(p, "packets")) {
		uint64_t pk, by;
		int rc = expect_uint(p, INT64_MAX, &pk, "a packet count");
		if (rc == 0 && !accept_ident(p, "bytes"))
			rc = unexpected(p, peek(p), "bytes");
		if (rc == 0)
			rc = expect_uint(p, INT64_MAX, &by, "a byte count");
		if (rc < 0) {
			linx_value_clear(&e);
			return rc;
		}
		linx_map_put_int(&e, "bytes", (int64_t)by);
		linx_map_put_int(&e, "packets", (int64_t)pk);
	}
	return push_expr(p, r, &e);
}

static int stmt_log(struct parser *p, struct rule *r)
{
	static const char *const levels[] = { "emerg", "alert", "crit", "err",
					      "warn", "notice", "info", "debug",
					      "audit" };
	struct linx_value e = linx_value_map(), flags = linx_value_list();
	int rc = 0;

	linx_map_put_cstring(&e, "expr", "log");
	for (;;) {
		const struct tok *t = peek(p);
		uint64_t n;

		if (is_ident(t, "prefix")) {
			next(p);
			/* quoted, or a word as nft takes it (comment_text) */
			if (!(t = comment_text(p, &rc)))
				break;
			if (t->slen > 127) {
				rc = perror_at(p, t, "log prefix longer than "
						     "127 bytes");
				break;
			}
			linx_map_put_cstring(&e, "prefix", t->s);
		} else if (is_ident(t, "level")) {
			next(p);
			t = next(p);
			size_t i;
			if (t->kind != T_IDENT && t->kind != T_STRING) {
				rc = unexpected(p, t, "a log level");
				break;
			}
			for (i = 0; i < 9; i++)
				if (strcmp(t->s, levels[i]) == 0)
					break;
			if (i == 9) {
				rc = perror_at(p, t, "unknown log level %s",
					       t->s);
				break;
			}
			linx_map_put_cstring(&e, "level", levels[i]);
		} else if (is_ident(t, "group")) {
			next(p);
			if ((rc = expect_uint(p, 65535, &n, "a group")) < 0)
				break;
			linx_map_put_int(&e, "group", (int64_t)n);
		} else if (is_ident(t, "snaplen")) {
			next(p);
			if ((rc = expect_uint(p, UINT32_MAX, &n, "a length")) < 0)
				break;
			linx_map_put_int(&e, "snaplen", (int64_t)n);
		} else if (is_ident(t, "queue-threshold")) {
			next(p);
			if ((rc = expect_uint(p, 65535, &n, "a threshold")) < 0)
				break;
			linx_map_put_int(&e, "qthreshold", (int64_t)n);
		} else if (is_ident(t, "flags")) {
			next(p);
			do {
				t = next(p);
				if (is_ident(t, "tcp")) {
					do {
						t = next(p);
						if (is_ident(t, "sequence"))
							linx_list_push_cstring(&flags, "tcp_seq");
						else if (is_ident(t, "options"))
							linx_list_push_cstring(&flags, "tcp_opt");
						else {
							rc = unexpected(p, t, "sequence or options");
							break;
						}
					} while (accept_punct(p, ','));
				} else if (is_ident(t, "ip")) {
					if (!accept_ident(p, "options"))
						rc = unexpected(p, peek(p), "options");
					else
						linx_list_push_cstring(&flags, "ip_opt");
				} else if (is_ident(t, "skuid")) {
					linx_list_push_cstring(&flags, "uid");
				} else if (is_ident(t, "ether")) {
					linx_list_push_cstring(&flags, "macdecode");
				} else if (is_ident(t, "all")) {
					linx_list_push_cstring(&flags, "tcp_seq");
					linx_list_push_cstring(&flags, "tcp_opt");
					linx_list_push_cstring(&flags, "ip_opt");
					linx_list_push_cstring(&flags, "uid");
					linx_list_push_cstring(&flags, "macdecode");
				} else {
					rc = unexpected(p, t, "a log flag");
				}
			} while (rc == 0 && is_ident(peek(p), "flags") && next(p));
			if (rc < 0)
				break;
		} else {
			break;
		}
	}
	if (rc < 0) {
		linx_value_clear(&e);
		linx_value_clear(&flags);
		return rc;
	}
	if (flags.len)
		linx_map_put(&e, "flags", &flags);
	else
		linx_value_clear(&flags);
	return push_expr(p, r, &e);
}

/* limit rate [over] N[/unit | unit/unit] [burst N packets|bytes] */
static int parse_limit_body(struct parser *p, struct linx_value *e)
{
	uint64_t rate, mul = 0, burst = 0;
	bool over = false, bytes = false, have_burst = false;
	const char *unit = NULL;
	const struct tok *t;

	if (!accept_ident(p, "rate"))
		return unexpected(p, peek(p), "rate");
	if (accept_ident(p, "over"))
		over = true;
	else
		accept_ident(p, "until");
	t = next(p);
	if (t->kind == T_INT) {
		rate = t->u;
		if (peek(p)->kind == T_IDENT && byte_unit(peek(p)->s, &mul)) {
			next(p);
			bytes = true;
		}
	} else if (t->kind == T_IDENT && isdigit((unsigned char)t->s[0])) {
		const char *s = t->s;
		rate = 0;
		while (isdigit((unsigned char)*s) && rate < (1ull << 40))
			rate = rate * 10 + (uint64_t)(*s++ - '0');
		if (!byte_unit(s, &mul))
			return perror_at(p, t, "bad rate: %s", t->s);
		bytes = true;
	} else {
		return unexpected(p, t, "a rate");
	}
	if (bytes)
		rate *= mul;
	if (expect_punct(p, '/') < 0)
		return -EINVAL;
	t = next(p);
	if (t->kind != T_IDENT || !time_unit(t->s, &unit))
		return unexpected(p, t, "second, minute, hour, day or week");
	if (accept_ident(p, "burst")) {
		t = next(p);
		if (t->kind != T_INT)
			return unexpected(p, t, "a burst");
		burst = t->u;
		have_burst = true;
		if (bytes) {
			uint64_t m2;
			if (peek(p)->kind != T_IDENT || !byte_unit(peek(p)->s, &m2))
				return unexpected(p, peek(p), "a byte unit");
			next(p);
			burst *= m2;
		} else if (!accept_ident(p, "packets")) {
			return unexpected(p, peek(p), "packets");
		}
	}
	if (!have_burst)
		burst = bytes ? 0 : 5;
	if (burst > UINT32_MAX)
		return perror_at(p, p->last, "burst out of range");
	linx_map_put_int(e, "rate", (int64_t)rate);
	linx_map_put_cstring(e, "unit", unit);
	linx_map_put_int(e, "burst", (int64_t)burst);
	linx_map_put_cstring(e, "type", bytes ? "bytes" : "packets");
	struct linx_value f = linx_value_list();
	if (over)
		linx_list_push_cstring(&f, "inv");
	linx_map_put(e, "flags", &f);
	return 0;
}

static int stmt_objref_or(struct parser *p, struct rule *r, const char *kind)
{
	const char *n;
	int rc = expect_name(p, &n, "an object name");
	if (rc < 0 || (rc = add_ref(p, "objects", kind, p->last)) < 0)
		return rc;
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "objref");
	linx_map_put_cstring(&e, "type", kind);
	linx_map_put_cstring(&e, "name", n);
	return push_expr(p, r, &e);
}

static int stmt_limit(struct parser *p, struct rule *r)
{
	if (accept_ident(p, "name"))
		return object_map_ahead(p) ? object_map(p, r, "limit")
					   : stmt_objref_or(p, r, "limit");
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "limit");
	int rc = parse_limit_body(p, &e);
	if (rc < 0) {
		linx_value_clear(&e);
		return rc;
	}
	return push_expr(p, r, &e);
}

static int parse_quota_body(struct parser *p, struct linx_value *e,
			    const char *used_key)
{
	uint64_t b, used = 0;
	bool over = accept_ident(p, "over");
	int rc;

	if (!over)
		accept_ident(p, "until");
	if ((rc = parse_bytes(p, &b)) < 0)
		return rc;
	if (accept_ident(p, "used") && (rc = parse_bytes(p, &used)) < 0)
		return rc;
	linx_map_put_int(e, "bytes", (int64_t)b);
	linx_map_put_int(e, used_key, (int64_t)used);
	struct linx_value f = linx_value_list();
	if (over)
		linx_list_push_cstring(&f, "inv");
	linx_map_put(e, "flags", &f);
	return 0;
}

static int stmt_quota(struct parser *p, struct rule *r)
{
	if (accept_ident(p, "name"))
		return object_map_ahead(p) ? object_map(p, r, "quota")
					   : stmt_objref_or(p, r, "quota");
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "quota");
	int rc = parse_quota_body(p, &e, "consumed");
	if (rc < 0) {
		linx_value_clear(&e);
		return rc;
	}
	return push_expr(p, r, &e);
}

static int nat_flags(struct parser *p, struct linx_value *e)
{
	struct linx_value f = linx_value_list();

	for (;;) {
		const struct tok *t = peek(p);
		if (is_ident(t, "random"))
			linx_list_push_cstring(&f, "random");
		else if (is_ident(t, "fully-random"))
			linx_list_push_cstring(&f, "fully_random");
		else if (is_ident(t, "persistent"))
			linx_list_push_cstring(&f, "persistent");
		else
			break;
		next(p);
		if (!accept_punct(p, ','))
			break;
	}
	if (f.len)
		linx_map_put(e, "flags", &f);
	else
		linx_value_clear(&f);
	return 0;
}

/* :P or :P-Q after `to`; loads the ports into registers from `reg`. */
static int nat_ports(struct parser *p, struct rule *r, unsigned reg,
		     struct linx_value *e)
{
	struct val lo, hi;
	int rc;

	/* nft's words: a port needs the protocol whose port it is */
	if (r->l4 < 0 && !r->l4seen)
		return perror_at(p, peek(p), "transport protocol mapping is "
					     "only valid after transport "
					     "protocol match");
	if ((rc = parse_value(p, DT_SERVICE, 2, &lo)) < 0)
		return rc;
	if ((rc = e_imm(p, r, reg, lo.b, 2)) < 0)
		return rc;
	linx_map_put_int(e, "reg_proto_min", reg);
	if (accept_punct(p, '-')) {
		if ((rc = parse_value(p, DT_SERVICE, 2, &hi)) < 0)
			return rc;
		if ((rc = e_imm(p, r, reg + 1, hi.b, 2)) < 0)
			return rc;
		linx_map_put_int(e, "reg_proto_max", reg + 1);
	}
	return 0;
}

static bool unqualified_meta(const char *s);
static bool is_payload_proto(const char *s);

/* SEL map { k : v, ... } or SEL map @m looked up into `reg`: nat from a
 * map (nft's `dnat to tcp dport map { 80 : 10.0.0.1 }`), or the value of
 * `meta mark set SEL map ...`; `what` names the statement for errors. */
static const struct nftl_sel *gen_sel(const struct tok *t);
static int gen_expr(struct parser *p, struct rule *r, const struct tok *t);
static int gen_numgen(struct parser *p, struct rule *r, unsigned reg);

/* A map's data type: the value's, or for a nat map whose values were
 * all ADDR . PORT (p->nat_pairs), the concatenation of both. */
static int map_data_type(struct parser *p, unsigned ddt, unsigned dlen,
			 struct linx_value *ret)
{
	if (p->nat_pairs > 0) {
		*ret = linx_value_list();
		linx_list_push_cstring(ret, nftl_dtype_settype(ddt, dlen));
		linx_list_push_cstring(ret, "inet_service");
		return linx_value_status(ret) < 0 ? nomem(p) : 0;
	}
	return linx_value_cstring(ret, nftl_dtype_settype(ddt, dlen)) < 0
		       ? nomem(p)
		       : 0;
}

/*
 * `SEL . SEL ... map { K . K : V, ... }` (the first selector read, at
 * `at`): the key loaded as a set lookup's is (load_key), then a lookup
 * in an anonymous map from register 1 into register 1, as nft compiles
 * `dnat ip to ip daddr . tcp dport map { ... }`.
 */
static int concat_map_value(struct parser *p, struct rule *r,
			    const struct nftl_sel *first, const struct tok *at,
			    unsigned reg, unsigned ddt, unsigned dlen,
			    const char *what)
{
	const struct nftl_sel *sel[CONCAT_MAX];
	const struct tok *ats[CONCAT_MAX];
	struct ckey k = { 0 };
	unsigned slots;
	int rc;

	if (reg != 1)
		return perror_at(p, at, "unsupported feature: %s a "
					"concatenation in a second register",
				 what);
	sel[0] = first;
	ats[0] = at;
	if ((rc = ckey_add(p, &k, first->dtype, first->len, at)) < 0)
		return rc;
	while (accept_punct(p, '.')) {
		const struct tok *t = peek(p);
		const struct nftl_sel *s;

		if ((rc = parse_selector(p, &s)) < 0 ||
		    (rc = ckey_add(p, &k, s->dtype, s->len, t)) < 0)
			return rc;
		sel[k.n - 1] = s;
		ats[k.n - 1] = t;
	}
	if (!accept_ident(p, "map"))
		return perror_at(p, peek(p), "unsupported feature: %s an "
					     "expression other than a map "
					     "lookup",
				 what);
	if (peek(p)->kind == T_SETREF) {
		/* the loads follow what the named map is (an interval
		 * map's host-order components turned), then the lookup */
		const struct tok *st = next(p);
		struct key_order o = { .set = st->s };
		if ((rc = add_ref(p, "sets", NULL, st)) < 0 ||
		    (rc = load_key(p, r, sel, ats, k.n, 0, &o, &slots)) < 0)
			return rc;
		struct linx_value e = linx_value_map();
		linx_map_put_cstring(&e, "expr", "lookup");
		linx_map_put_int(&e, "sreg", 1);
		linx_map_put_cstring(&e, "set", st->s);
		linx_map_put_int(&e, "dreg", 1);
		return push_expr(p, r, &e);
	}
	if ((rc = expect_punct(p, '{')) < 0)
		return rc;
	struct linx_value elems;
	bool interval = false;
	p->ck = &k;
	rc = parse_elements(p, 0, 0, true, 1, ddt, dlen, &elems, &interval);
	p->ck = NULL;
	if (rc == 0 && interval)
		rc = perror_at(p, p->first_iv, "unsupported feature: ranges "
					       "and prefixes in a nat map of a "
					       "concatenation");
	struct linx_value dt = linx_value_nil();
	if (rc == 0)
		rc = load_key(p, r, sel, ats, k.n, 0, NULL, &slots);
	if (rc == 0)
		rc = map_data_type(p, ddt, dlen, &dt);
	if (rc < 0) {
		linx_value_clear(&elems);
		return rc;
	}
	struct linx_value e = concat_literal(&k, &dt, &elems);
	if ((rc = concat_typeof(p, sel, ats, k.n, false, &e)) < 0) {
		linx_value_clear(&e);
		return rc;
	}
	linx_map_put_int(&e, "dreg", 1);
	return push_expr(p, r, &e);
}

static int map_lookup(struct parser *p, struct rule *r, unsigned reg,
		      const struct nftl_sel *s, const struct tok *t,
		      unsigned ddt, unsigned dlen, const char *what);

static int map_value(struct parser *p, struct rule *r, unsigned reg,
		     unsigned ddt, unsigned dlen, const char *what)
{
	const struct tok *t = next(p);
	const char *proto, *field;
	const struct nftl_sel *s;
	int rc;

	if (t->kind != T_IDENT)
		return unexpected(p, t, "a field");
	if ((s = gen_sel(t))) {
		/* dnat to numgen inc mod 2 map { 0 : a, 1 : b }; a port's
		 * numgen in register 2 (dnat to ADDR : numgen ...); a hash
		 * in register 1 only, its input loaded from register 2 on */
		if (reg != 1 && !streq(t->s, "numgen"))
			return perror_at(p, t, "unsupported feature: %s %s "
					       "in a second register",
					 what, t->s);
		rc = reg == 1 ? gen_expr(p, r, t) : gen_numgen(p, r, reg);
		if (rc < 0)
			return rc;
		return map_lookup(p, r, reg, s, t, ddt, dlen, what);
	}
	if (unqualified_meta(t->s)) {
		proto = "meta";
		field = t->s;
	} else if (streq(t->s, "meta") || streq(t->s, "ct") ||
		   is_payload_proto(t->s)) {
		const struct tok *f = next(p);
		if (f->kind != T_IDENT)
			return unexpected(p, f, "a field");
		proto = t->s;
		field = f->s;
	} else {
		return perror_at(p, t, "unsupported feature: %s %s", what,
				 t->s);
	}
	s = nftl_sel_find(proto, field);
	if (!s || s->bits)
		return perror_at(p, t, "unsupported feature: %s %s", proto,
				 field);
	if (is_punct(peek(p), '.'))
		return concat_map_value(p, r, s, t, reg, ddt, dlen, what);
	if ((rc = emit_deps(p, r, s, t)) < 0)
		return rc;
	struct linx_value e = linx_value_map();
	if (s->kind == SEL_PAYLOAD) {
		static const char *const bases[] = { "link", "network",
						     "transport" };
		linx_map_put_cstring(&e, "expr", "payload");
		linx_map_put_int(&e, "dreg", reg);
		linx_map_put_cstring(&e, "base", bases[s->base]);
		linx_map_put_int(&e, "offset", s->offset);
		linx_map_put_int(&e, "len", s->len);
	} else {
		linx_map_put_cstring(&e, "expr", s->proto);
		linx_map_put_cstring(&e, "key", s->key);
		linx_map_put_int(&e, "dreg", reg);
	}
	if ((rc = push_expr(p, r, &e)) < 0)
		return rc;
	return map_lookup(p, r, reg, s, t, ddt, dlen, what);
}

/* The `map { ... }` or `map @m` after a key `s` (read at `t`) loaded
 * into `reg`: a lookup into the same register, as map_value(). */
static int map_lookup(struct parser *p, struct rule *r, unsigned reg,
		      const struct nftl_sel *s, const struct tok *t,
		      unsigned ddt, unsigned dlen, const char *what)
{
	struct linx_value e;
	int rc;

	if (!accept_ident(p, "map"))
		return perror_at(p, peek(p), "unsupported feature: %s an "
					     "expression other than a map "
					     "lookup",
				 what);
	if (peek(p)->kind == T_SETREF) {
		/* a named map: the lookup's dreg takes the value */
		t = next(p);
		if ((rc = add_ref(p, "sets", NULL, t)) < 0)
			return rc;
		e = linx_value_map();
		linx_map_put_cstring(&e, "expr", "lookup");
		linx_map_put_int(&e, "sreg", reg);
		linx_map_put_cstring(&e, "set", t->s);
		linx_map_put_int(&e, "dreg", reg);
		return push_expr(p, r, &e);
	}
	if ((rc = expect_punct(p, '{')) < 0)
		return rc;
	const char *kt = nftl_dtype_settype(s->dtype, s->len);
	if (!kt)
		return perror_at(p, t, "unsupported feature: maps of this type");
	struct linx_value elems;
	bool interval = false;
	/* a nat's addresses may be ranges (snat to ip saddr map { 10.0.0.0/8
	 * : 192.168.1.0/24 }) */
	p->data_iv_ok = p->nat_pairs >= 0 &&
			(ddt == DT_IPV4 || ddt == DT_IPV6);
	p->data_iv = false;
	rc = parse_elements(p, s->dtype, s->len, true, 1, ddt, dlen, &elems,
			    &interval);
	bool data_iv = p->data_iv;
	p->data_iv_ok = p->data_iv = false;
	if (rc == 0 && data_iv && p->nat_pairs > 0)
		rc = perror_at(p, t, "unsupported feature: ranges of "
				     "addresses with ports in a nat map");
	/* ranges of a host-order key are compared in network order: the
	 * key is turned first (register 1 only) */
	if (rc == 0 && interval && nftl_dtype_hton(s->dtype, s->len))
		rc = reg == 1 ? e_hton(p, r, s->len)
			      : perror_at(p, t, "unsupported feature: ranges "
						"of %s in a second register",
					  t->s);
	if (rc < 0) {
		linx_value_clear(&elems);
		return rc;
	}
	struct linx_value dt;
	if ((rc = map_data_type(p, ddt, dlen, &dt)) < 0) {
		linx_value_clear(&elems);
		return rc;
	}
	e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "set_literal");
	linx_map_put_cstring(&e, "key_type", kt);
	linx_map_put(&e, "data_type", &dt);
	if (data_iv)
		linx_map_put_bool(&e, "data_interval", true);
	linx_map_put(&e, "elements", &elems);
	linx_map_put_int(&e, "sreg", reg);
	linx_map_put_int(&e, "dreg", reg);
	return push_expr(p, r, &e);
}

/* The object kind of `ct helper|timeout|expectation`, or NULL. */
static const char *ct_object_kind(const struct tok *k)
{
	return is_ident(k, "helper")	    ? "ct_helper"
	       : is_ident(k, "timeout")	    ? "ct_timeout"
	       : is_ident(k, "expectation") ? "ct_expect"
					    : NULL;
}

/* ct helper set SEL map { k : "helper", ... } (and ct timeout set,
 * ct expectation set, synproxy name, counter|quota|limit name): an
 * objref through an anonymous object map of `kind`
 * (docs/nft/expressions.md), or through a named one, `map @m`. */
static int object_map(struct parser *p, struct rule *r, const char *kind)
{
	const struct tok *t = next(p);
	const char *proto, *field;
	int rc;

	if (unqualified_meta(t->s)) {
		proto = "meta";
		field = t->s;
	} else if (streq(t->s, "meta") || streq(t->s, "ct") ||
		   is_payload_proto(t->s)) {
		const struct tok *f = next(p);
		if (f->kind != T_IDENT)
			return unexpected(p, f, "a field");
		proto = t->s;
		field = f->s;
	} else {
		return perror_at(p, t, "unsupported feature: %s %s",
				 nftl_objref_words(kind), t->s);
	}
	const struct nftl_sel *s = nftl_sel_find(proto, field);
	const char *kt = s ? nftl_dtype_settype(s->dtype, s->len) : NULL;
	if (!s || !kt || s->bits)
		return perror_at(p, t, "unsupported feature: %s %s as a map "
				       "key", proto, field);
	if ((rc = emit_deps(p, r, s, t)) < 0)
		return rc;
	rc = s->kind == SEL_PAYLOAD ? e_payload(p, r, s->base, s->offset, s->len)
				    : e_load(p, r, s->proto, s->key, 1);
	if (rc < 0)
		return rc;
	if (!accept_ident(p, "map"))
		return unexpected(p, peek(p), "map");
	if (peek(p)->kind == T_SETREF) {
		const struct tok *m = next(p);
		if ((rc = add_ref(p, "sets", NULL, m)) < 0)
			return rc;
		if (p->n_objmaprefs >= 65536)
			return perror_at(p, m, "too many object map references");
		if (p->n_objmaprefs % 16 == 0) {
			struct objmapref *v = realloc(
				p->objmaprefs,
				(p->n_objmaprefs + 16) * sizeof(*v));
			if (!v)
				return nomem(p);
			p->objmaprefs = v;
		}
		p->objmaprefs[p->n_objmaprefs++] =
			(struct objmapref){ p->table, m, kind };
		struct linx_value e = linx_value_map();
		linx_map_put_cstring(&e, "expr", "objref");
		linx_map_put_int(&e, "sreg", 1);
		linx_map_put_cstring(&e, "set", m->s);
		return push_expr(p, r, &e);
	}
	if ((rc = expect_punct(p, '{')) < 0)
		return rc;
	struct linx_value elems = linx_value_list();
	for (;;) {
		struct linx_value key = linx_value_nil(), el;
		bool iv = false;
		skip_seps(p);
		if (accept_punct(p, '}'))
			break;
		if (elems.len >= 65536) {
			rc = perror_at(p, peek(p), "too many elements");
			goto fail;
		}
		if ((rc = parse_elem_key(p, s->dtype, s->len, &key, &iv)) < 0)
			goto fail;
		if (iv) {
			linx_value_clear(&key);
			rc = perror_at(p, p->last, "unsupported feature: "
						   "intervals in object maps");
			goto fail;
		}
		if ((rc = expect_punct(p, ':')) < 0) {
			linx_value_clear(&key);
			goto fail;
		}
		const char *name;
		if ((rc = expect_name(p, &name, "an object name")) < 0 ||
		    (rc = add_ref(p, "objects", kind, p->last)) < 0) {
			linx_value_clear(&key);
			goto fail;
		}
		el = linx_value_map();
		linx_map_put(&el, "key", &key);
		linx_map_put_cstring(&el, "value", name);
		linx_list_push(&elems, &el);
		if ((rc = list_next(p)) < 0)
			goto fail;
		if (rc == 0)
			break;
	}
	if (elems.len == 0) {
		rc = perror_at(p, p->last, "empty map");
		goto fail;
	}
	struct linx_value set = linx_value_map(), e = linx_value_map();
	linx_map_put_cstring(&set, "key_type", kt);
	linx_map_put_cstring(&set, "data_type", kind);
	linx_map_put(&set, "elements", &elems);
	linx_map_put_cstring(&e, "expr", "objref");
	linx_map_put_int(&e, "sreg", 1);
	linx_map_put(&e, "set", &set);
	return push_expr(p, r, &e);
fail:
	linx_value_clear(&elems);
	return rc;
}

/* ct helper|timeout|expectation set "name", synproxy name "name" (the
 * words are read), or the same through a map: an objref of `kind`. */
static int stmt_objref(struct parser *p, struct rule *r, const char *kind)
{
	const struct tok *t = peek(p);

	if (is_punct(t, '{'))
		return perror_at(p, t, "unsupported feature: %s from a set",
				 nftl_objref_words(kind));
	if (t->kind == T_IDENT)
		return object_map(p, r, kind);
	return stmt_objref_or(p, r, kind);
}

/* flow add @FT, or `flow offload @FT` as older files say (`flow` is
 * read): the connection goes to flowtable FT of the rule's table
 * (docs/nft/expressions.md, flow_offload).  nft 1.0.6 lists both as
 * `flow add`.  Its legacy meter, `flow table NAME { ... }`, is not
 * taken. */
static int stmt_flow(struct parser *p, struct rule *r)
{
	const struct tok *t = next(p), *ft;
	int rc;

	if (is_ident(t, "table"))
		return perror_at(p, t, "unsupported feature: flow table "
				       "(nft's old spelling of a meter)");
	if (!is_ident(t, "add") && !is_ident(t, "offload"))
		return unexpected(p, t, "add or offload");
	ft = next(p);
	if (ft->kind != T_SETREF)
		return unexpected(p, ft, "@ and a flowtable name");
	if ((rc = add_ref(p, "flowtables", NULL, ft)) < 0)
		return rc;
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "flow_offload");
	linx_map_put_cstring(&e, "flowtable", ft->s);
	return push_expr(p, r, &e);
}

static bool is_expr_named(const struct linx_value *e, const char *name)
{
	const struct linx_value *x = e->type == LINX_MAP ? linx_map_get(e, "expr")
							 : NULL;
	return x && x->type == LINX_STRING && streq(x->str, name);
}

static bool nat_map_ahead(struct parser *p)
{
	const struct tok *t = peek(p);

	return t->kind == T_IDENT && strcmp(t->s, "to") &&
	       (unqualified_meta(t->s) || streq(t->s, "meta") ||
		streq(t->s, "ct") || is_payload_proto(t->s) || gen_sel(t));
}

/* What the named map `set` gives a nat of family `fam`: 1 an address and
 * a port (data ADDR . PORT, the port in the slot after the address), 0
 * an address; any other concatenation is refused at `at`. */
static int nat_map_data(struct parser *p, const struct linx_value *set,
			int fam, const struct tok *at)
{
	const struct linx_value *dt = linx_map_get(set, "data_type");
	const char *addr = fam == F_IP ? "ipv4_addr" : "ipv6_addr";

	if (!dt || dt->type != LINX_LIST)
		return 0;
	if (dt->len == 2 && dt->items[0].type == LINX_STRING &&
	    dt->items[1].type == LINX_STRING &&
	    streq(dt->items[0].str, addr) &&
	    streq(dt->items[1].str, "inet_service"))
		return 1;
	return perror_at(p, at, "unsupported feature: nat %s from a map "
				"whose data is not %s . inet_service",
			 nftl_fam_names[fam], addr);
}

static bool is_expr_named(const struct linx_value *e, const char *name);

/* The marker of a nat waiting for its named map (struct natref): the
 * index into p->natrefs, removed once the map is known. */
#define PENDING_NAT "\x01nat"

static int natref_add(struct parser *p, struct linx_value *e,
		      const struct natref *n)
{
	if (p->n_natrefs >= 65536)
		return perror_at(p, n->set, "too many nat statements");
	if (p->n_natrefs % 16 == 0) {
		struct natref *v = realloc(p->natrefs, (p->n_natrefs + 16) *
							       sizeof(*v));
		if (!v)
			return nomem(p);
		p->natrefs = v;
	}
	p->natrefs[p->n_natrefs] = *n;
	linx_map_put_int(e, PENDING_NAT, (int64_t)p->n_natrefs++);
	return linx_value_status(e) < 0 ? nomem(p) : 0;
}

/* A pending nat `e` (natref `n`) now that its map may be known: with
 * ADDR . PORT data the port comes from the slot after the address.  A
 * map still unknown (in the kernel, not in the input) gives an
 * address, as a map of this input without concatenated data. */
static int natref_apply(struct parser *p, size_t table, struct linx_value *e,
			const struct natref *n)
{
	struct linx_value *set = find_set(p, table, n->set->s);
	int rc = set ? nat_map_data(p, set, n->fam, n->set) : 0;
	const struct linx_value *div = set ? linx_map_get(set, "data_interval")
					   : NULL;

	if (rc < 0)
		return rc;
	/* address ranges: the last of each in the slot after the first */
	if (div && div->type == LINX_BOOL && div->b) {
		if (n->port)
			return perror_at(p, n->set, "unsupported feature: a "
						    "port after a map of "
						    "address ranges");
		linx_map_put_int(e, "reg_addr_max", n->fam == F_IP ? 9 : 2);
		if (n->netmap) {
			struct linx_value *fl = mlist(e, "flags");
			if (!fl || linx_list_push_cstring(fl, "netmap") < 0)
				return nomem(p);
		}
		return linx_value_status(e) < 0 ? nomem(p) : 0;
	}
	if (n->netmap)
		return perror_at(p, n->set, "unsupported feature: snat prefix "
					    "to a map of single addresses");
	if (rc == 0 && n->pair)
		return perror_at(p, n->set, "map %s does not give ADDR . PORT",
				 n->set->s);
	if (rc == 0)
		return 0;
	if (n->port)
		return perror_at(p, n->set, "map %s gives the port too: no "
					    "port after it", n->set->s);
	if (!n->l4)
		return perror_at(p, n->map, "transport protocol mapping is "
					    "only valid after transport "
					    "protocol match");
	if (!n->pair)
		linx_map_put_int(e, "reg_proto_min", n->fam == F_IP ? 9 : 2);
	return linx_value_status(e) < 0 ? nomem(p) : 0;
}

static int natrefs_rule(struct parser *p, size_t table,
			struct linx_value *exprs)
{
	int rc;

	for (uint32_t i = 0; i < exprs->len; i++) {
		struct linx_value *e = &exprs->items[i];
		const struct linx_value *ix = linx_map_get(e, PENDING_NAT);
		if (!ix)
			continue;
		struct linx_value k = linx_value_map();
		for (uint32_t j = 0; j < e->len; j++)
			if (strcmp(e->pairs[j].key, PENDING_NAT) != 0)
				linx_map_put(&k, e->pairs[j].key,
					     &e->pairs[j].value);
		size_t at = ix->type == LINX_INT ? (size_t)ix->i : SIZE_MAX;
		linx_value_clear(e);
		*e = k;
		if (at >= p->n_natrefs)
			return perror_at(p, p->last, "internal: nat marker");
		if ((rc = natref_apply(p, table, e, &p->natrefs[at])) < 0)
			return rc;
	}
	return 0;
}

/*
 * The end of nat `e` whose map gives ADDR . PORT: the port follows the
 * address in register 1's slots, NFT_REG32_01 after 4 bytes, register 2
 * after 16 (nft's allocation), which only a transport protocol match
 * before it allows (`l4`; `at` for the error).  `nr`: a named map this
 * input has not declared yet, checked at the end (natref_add), or NULL.
 * Consumes `e`.
 */
static int nat_port_slot(struct parser *p, struct rule *r, struct linx_value *e,
			 const struct tok *at, int fam, bool l4,
			 const struct natref *nr)
{
	int rc = 0;

	if (!l4)
		rc = perror_at(p, at, "transport protocol mapping is only "
				      "valid after transport protocol match");
	if (rc == 0)
		linx_map_put_int(e, "reg_proto_min", fam == F_IP ? 9 : 2);
	if (rc == 0 && nr)
		rc = natref_add(p, e, nr);
	if (rc < 0) {
		linx_value_clear(e);
		return rc;
	}
	nat_flags(p, e);
	return push_expr(p, r, e);
}

static int stmt_nat(struct parser *p, struct rule *r, const char *type,
		    const struct tok *at)
{
	struct linx_value e = linx_value_map();
	int fam = -1, rc;
	unsigned reg = 1;

	/* `dnat ip` could be the family or the start of `ip saddr map` */
	const struct tok *f0 = peek(p);
	if (is_ident(f0, "ip") || is_ident(f0, "ip6")) {
		size_t save = p->src[p->n_src - 1].i, depth = p->n_src;
		next(p);
		const struct tok *f1 = peek(p);
		if (is_ident(f1, "to") || is_punct(f1, ':') ||
		    f1->kind == T_IPV4 || f1->kind == T_IPV6 ||
		    is_ident(f1, "addr") || is_ident(f1, "prefix") ||
		    nat_map_ahead(p) || p->n_src != depth)
			fam = f0->s[2] == '6' ? F_IP6 : F_IP;
		else
			p->src[p->n_src - 1].i = save;
	}
	/* an ip table's nat is ip, an ip6 table's ip6 (nft's words) */
	if (fam >= 0 && (p->family == F_IP || p->family == F_IP6) &&
	    fam != p->family) {
		linx_value_clear(&e);
		return perror_at(p, at, "conflicting protocols specified: %s vs. "
					"%s. You must specify ip or ip6 family "
					"in nat statement",
				 nftl_fam_names[p->family], nftl_fam_names[fam]);
	}
	/* in an inet table, the family the rule matched decides; a nat of
	 * the other one is nft's error, and so is an address with neither */
	if (p->family == F_INET && r->nfproto >= 0 && fam >= 0 &&
	    fam != (r->nfproto == 10 ? F_IP6 : F_IP)) {
		linx_value_clear(&e);
		return perror_at(p, at, "conflicting protocols specified: %s vs. "
					"%s. You must specify ip or ip6 family "
					"in nat statement",
				 r->nfproto == 10 ? "ip6" : "ip",
				 nftl_fam_names[fam]);
	}
	if (p->family == F_INET && r->nfproto < 0 && fam < 0 &&
	    (streq(type, "snat") || streq(type, "dnat")) &&
	    is_ident(peek(p), "to")) {
		const struct tok *a = peek_after(p);
		if (a && (a->kind == T_IPV4 || a->kind == T_IPV6 ||
			  is_punct(a, '['))) {
			linx_value_clear(&e);
			return perror_at(p, at, "ip or ip6 must be specified "
						"with address for inet tables");
		}
	}
	/* `snat ip prefix to SEL map { K : PREFIX }`: the kernel maps the
	 * address's host part into the prefix (NF_NAT_RANGE_NETMAP) */
	const struct tok *pfx = fam >= 0 && is_ident(peek(p), "prefix")
					? next(p)
					: NULL;
	if (pfx && !(is_ident(peek(p), "to") && (next(p), nat_map_ahead(p)))) {
		linx_value_clear(&e);
		return perror_at(p, pfx, "unsupported feature: %s prefix to "
					 "anything but a map of prefixes",
				 type);
	}
	if (pfx)
		p->src[p->n_src - 1].i--; /* `to` again */
	/* `dnat ip addr . port to SEL map { K : ADDR . PORT }`: the map's
	 * values are both, as they may be after a plain `to` */
	bool pair = false;
	if (fam >= 0 && accept_ident(p, "addr")) {
		if ((rc = expect_punct(p, '.')) < 0 ||
		    (rc = (accept_ident(p, "port") ? 0
			   : unexpected(p, peek(p), "port"))) < 0 ||
		    (rc = (is_ident(peek(p), "to") ? 0
			   : unexpected(p, peek(p), "to"))) < 0) {
			linx_value_clear(&e);
			return rc;
		}
		pair = true;
	}
	bool to = accept_ident(p, "to");
	if (pair && !nat_map_ahead(p)) {
		linx_value_clear(&e);
		return unexpected(p, peek(p), "a map lookup (SEL map { ... })");
	}
	if (nat_map_ahead(p)) {
		if (fam < 0)
			fam = p->family == F_IP6 ? F_IP6 : F_IP;
		if (p->family != F_IP && p->family != F_IP6 &&
		    p->family != F_INET) {
			linx_value_clear(&e);
			return perror_at(p, at, "%s is not available in %s tables",
					 type, nftl_fam_names[p->family]);
		}
		linx_map_put_cstring(&e, "expr", "nat");
		linx_map_put_cstring(&e, "type", type);
		linx_map_put_cstring(&e, "family", fam == F_IP ? "ip" : "ip6");
		const struct tok *mt = peek(p);
		p->nat_pairs = 0;
		rc = map_value(p, r, 1, fam == F_IP ? DT_IPV4 : DT_IPV6,
			       fam == F_IP ? 4 : 16, "nat to");
		long pairs = p->nat_pairs;
		p->nat_pairs = -1;
		if (rc < 0)
			goto fail;
		linx_map_put_int(&e, "reg_addr_min", 1);
		/* ranges of addresses: the last of each in the slot after
		 * the first (register 9 for IPv4, 2 for IPv6) */
		const struct linx_value *mx = &r->exprs.items[r->exprs.len - 1];
		bool iv = is_expr_named(mx, "set_literal") &&
			  linx_map_get(mx, "data_interval");
		if (!iv && is_expr_named(mx, "lookup")) {
			struct linx_value *ms = find_set(p, p->table, p->last->s);
			const struct linx_value *b =
				ms ? linx_map_get(ms, "data_interval") : NULL;
			iv = b && b->type == LINX_BOOL && b->b;
		}
		if (iv) {
			linx_map_put_int(&e, "reg_addr_max", fam == F_IP ? 9 : 2);
			if (is_punct(peek(p), ':')) {
				rc = perror_at(p, peek(p), "unsupported feature: "
							   "a port after a map "
							   "of address ranges");
				goto fail;
			}
			nat_flags(p, &e);
			if (pfx) {
				struct linx_value *fl = mlist(&e, "flags");
				if (!fl || linx_list_push_cstring(fl, "netmap") < 0) {
					rc = nomem(p);
					goto fail;
				}
			}
			return push_expr(p, r, &e);
		}
		bool unknown = is_expr_named(mx, "lookup") &&
			       !find_set(p, p->table, p->last->s);
		if (pfx && !unknown) {
			rc = perror_at(p, pfx, "unsupported feature: %s prefix "
					       "to a map of single addresses",
				       type);
			goto fail;
		}
		/* a named map: its data type says whether it gives the
		 * port too; for one declared later, known at the end */
		struct natref nr = { .table = p->table, .map = mt, .fam = fam,
				     .l4 = r->l4 >= 0 || r->l4seen,
				     .pair = pair, .netmap = pfx != NULL };
		int npair = 0;
		if (is_expr_named(&r->exprs.items[r->exprs.len - 1], "lookup")) {
			nr.set = p->last;
			struct linx_value *set = find_set(p, p->table, nr.set->s);
			npair = set ? nat_map_data(p, set, fam, nr.set) : -1;
			if (npair == 0 && pair)
				npair = perror_at(p, nr.set, "map %s does not "
							     "give ADDR . PORT",
						  nr.set->s);
			if ((rc = npair) < -1)
				goto fail;
		}
		if (npair == 1 || (npair == -1 && pair))
			return nat_port_slot(p, r, &e, mt, fam, nr.l4,
					     npair == -1 ? &nr : NULL);
		if (npair == -1) {
			nr.port = is_punct(peek(p), ':');
			if ((rc = natref_add(p, &e, &nr)) < 0)
				goto fail;
		}
		if (pairs || pair) {
			const struct linx_value *lit =
				&r->exprs.items[r->exprs.len - 1];
			const struct linx_value *el =
				linx_map_get(lit, "elements");
			if (!is_expr_named(lit, "set_literal") || !el ||
			    (long)el->len != pairs) {
				rc = perror_at(p, mt, "every value of the map "
						      "must be ADDR . PORT");
				goto fail;
			}
			return nat_port_slot(p, r, &e, mt, fam,
					     r->l4 >= 0 || r->l4seen, NULL);
		}
		if (accept_punct(p, ':')) {
			if (nat_map_ahead(p)) {
				if ((rc = map_value(p, r, 2, DT_SERVICE, 2, "nat to")) < 0)
					goto fail;
				linx_map_put_int(&e, "reg_proto_min", 2);
			} else if ((rc = nat_ports(p, r, 2, &e)) < 0) {
				goto fail;
			}
		}
		nat_flags(p, &e);
		return push_expr(p, r, &e);
	}
	if (!to) {
		const struct tok *x = peek(p);
		linx_value_clear(&e);
		if (x->kind == T_IDENT)
			return perror_at(p, x, "unsupported feature: %s from "
					       "an expression or a map",
					 type);
		return unexpected(p, x, "to");
	}
	const struct tok *t = peek(p);
	bool bracket = false;
	if (t->kind == T_IDENT && strcmp(t->s, "ip") && strcmp(t->s, "ip6")) {
		linx_value_clear(&e);
		return perror_at(p, t, "unsupported feature: %s to an "
				       "expression or a map",
				 type);
	}
	if (fam < 0) {
		if (p->family == F_IP || p->family == F_IP6)
			fam = p->family;
		else if (t->kind == T_IPV4)
			fam = F_IP;
		else if (t->kind == T_IPV6 || is_punct(t, '['))
			fam = F_IP6;
		else if (r->nfproto == 2)
			fam = F_IP;
		else if (r->nfproto == 10)
			fam = F_IP6;
		else if (p->family == F_INET && is_punct(t, ':'))
			fam = F_INET; /* ports only: nft's nat of family inet */
		else {
			linx_value_clear(&e);
			return perror_at(p, at, "%s in an %s table needs ip or "
						"ip6 (%s ip to ...)",
					 type, nftl_fam_names[p->family], type);
		}
	}
	if (p->family != F_IP && p->family != F_IP6 && p->family != F_INET) {
		linx_value_clear(&e);
		return perror_at(p, at, "%s is not available in %s tables", type,
				 nftl_fam_names[p->family]);
	}
	linx_map_put_cstring(&e, "expr", "nat");
	linx_map_put_cstring(&e, "type", type);
	linx_map_put_cstring(&e, "family", fam == F_IP	  ? "ip"
					  : fam == F_IP6 ? "ip6"
							 : "inet");
	unsigned dt = fam == F_IP ? DT_IPV4 : DT_IPV6, al = fam == F_IP ? 4 : 16;
	if (!is_punct(t, ':')) {
		struct val lo, hi;
		if (fam == F_IP6 && accept_punct(p, '['))
			bracket = true;
		if ((rc = parse_value(p, dt, al, &lo)) < 0)
			goto fail;
		linx_value_clear(&lo.elem);
		/* each address of a range in its own brackets, [a]-[b], as
		 * nft reads and lists them; no prefix in brackets */
		if (bracket && lo.plen >= 0) {
			rc = perror_at(p, p->last, "syntax error, a prefix in "
						   "brackets");
			goto fail;
		}
		if (bracket && (rc = expect_punct(p, ']')) < 0)
			goto fail;
		if (lo.plen >= 0) {
			/* `snat to 10.0.0.0/24`: the prefix's first and last
			 * address, as nft sends it (and lists such a range
			 * back as the prefix) */
			uint8_t last[16];
			for (unsigned i = 0; i < al * 8u; i++)
				if ((int)i >= lo.plen)
					lo.b[i / 8] &= (uint8_t)~(0x80u >> i % 8);
			memcpy(last, lo.b, al);
			for (unsigned i = (unsigned)lo.plen; i < al * 8u; i++)
				last[i / 8] |= (uint8_t)(0x80u >> i % 8);
			if ((rc = e_imm(p, r, reg, lo.b, al)) < 0)
				goto fail;
			linx_map_put_int(&e, "reg_addr_min", reg++);
			if ((rc = e_imm(p, r, reg, last, al)) < 0)
				goto fail;
			linx_map_put_int(&e, "reg_addr_max", reg++);
			if (is_punct(peek(p), '-') || is_punct(peek(p), ':')) {
				rc = unexpected(p, peek(p), "end of a prefix");
				goto fail;
			}
		} else if ((rc = e_imm(p, r, reg, lo.b, al)) < 0) {
			goto fail;
		} else {
			linx_map_put_int(&e, "reg_addr_min", reg++);
		}
		if (lo.plen < 0 && accept_punct(p, '-')) {
			bracket = fam == F_IP6 && accept_punct(p, '[');
			if ((rc = parse_value(p, dt, al, &hi)) < 0)
				goto fail;
			linx_value_clear(&hi.elem);
			if (hi.plen >= 0) {
				rc = perror_at(p, p->last, "a range ends with an "
							   "address, not a "
							   "prefix");
				goto fail;
			}
			if (bracket && (rc = expect_punct(p, ']')) < 0)
				goto fail;
			if ((rc = e_imm(p, r, reg, hi.b, al)) < 0)
				goto fail;
			linx_map_put_int(&e, "reg_addr_max", reg++);
		}
	}
	if (accept_punct(p, ':')) {
		if (nat_map_ahead(p)) {
			/* dnat to 10.0.0.1 : numgen inc mod 2 map { ... } */
			if (r->l4 < 0 && !r->l4seen) {
				rc = perror_at(p, peek(p), "transport protocol "
							   "mapping is only valid "
							   "after transport "
							   "protocol match");
				goto fail;
			}
			if ((rc = map_value(p, r, reg, DT_SERVICE, 2,
					    "nat to")) < 0)
				goto fail;
			linx_map_put_int(&e, "reg_proto_min", reg);
		} else if ((rc = nat_ports(p, r, reg, &e)) < 0) {
			goto fail;
		}
	}
	nat_flags(p, &e);
	return push_expr(p, r, &e);
fail:
	linx_value_clear(&e);
	return rc;
}

static int stmt_masq_redir(struct parser *p, struct rule *r, const char *kind)
{
	struct linx_value e = linx_value_map();
	int rc;

	/* at the statement's word, before its arguments, as nft */
	if (p->family != F_IP && p->family != F_IP6 && p->family != F_INET) {
		linx_value_clear(&e);
		return perror_at(p, p->last, "%s is not available in %s tables",
				 p->last->s, nftl_fam_names[p->family]);
	}
	linx_map_put_cstring(&e, "expr", kind);
	if (accept_ident(p, "to")) {
		/* `to :PORT[-PORT]`, or `to [:]SEL map ...` (the port a map
		 * gives: nft takes it with or without the colon) */
		bool colon = accept_punct(p, ':');
		if (nat_map_ahead(p)) {
			if (r->l4 < 0 && !r->l4seen)
				rc = perror_at(p, peek(p), "transport protocol "
							   "mapping is only "
							   "valid after "
							   "transport protocol "
							   "match");
			else
				rc = map_value(p, r, 1, DT_SERVICE, 2, kind);
			if (rc == 0)
				linx_map_put_int(&e, "reg_proto_min", 1);
		} else {
			rc = colon ? nat_ports(p, r, 1, &e)
				   : unexpected(p, peek(p), "':'");
		}
		if (rc < 0) {
			linx_value_clear(&e);
			return rc;
		}
	}
	nat_flags(p, &e);
	return push_expr(p, r, &e);
}

/* The network dependency of `reject with icmp|icmpv6`: at the start of
 * the rule, where nft puts it, not before the statement.  (After an
 * ether field in a netdev table nft writes an `ether type` instead,
 * merged into that field's load: not followed.) */
static int reject_dep(struct parser *p, struct rule *r, const struct tok *at,
		      bool v6)
{
	uint32_t before = r->exprs.len;
	int rc = dep_network(p, r, at, v6);
	uint32_t added = r->exprs.len - before;

	if (rc < 0 || added == 0 || before == 0)
		return rc;
	struct linx_value out = linx_value_list();
	for (uint32_t i = 0; i < r->exprs.len; i++)
		linx_list_push(&out, &r->exprs.items[(before + i) %
						      r->exprs.len]);
	/* the items moved into `out`: the old list holds nils */
	linx_value_clear(&r->exprs);
	r->exprs = out;
	return linx_value_status(&r->exprs) < 0 ? nomem(p) : 0;
}

static int stmt_reject(struct parser *p, struct rule *r, const struct tok *at)
{
	struct linx_value e = linx_value_map();
	const char *type;
	uint32_t code;
	int rc;

	(void)at;
	if (accept_ident(p, "with")) {
		const struct tok *t = next(p);
		const struct nftl_sym *tab = NULL;
		size_t n = 0;

		if (is_ident(t, "tcp")) {
			if (!accept_ident(p, "reset"))
				return unexpected(p, peek(p), "reset");
			if ((rc = dep_l4(p, r, 6, t)) < 0)
				return rc;
			type = "tcp_reset";
			code = 0;
		} else if (is_ident(t, "icmp") || is_ident(t, "icmpv6") ||
			   is_ident(t, "icmpx")) {
			if (is_ident(t, "icmp")) {
				tab = nftl_reject_codes(REJECT_ICMP, &n);
				type = "icmp_unreach";
				if (p->family != F_IP &&
				    (rc = reject_dep(p, r, t, false)) < 0)
					return rc;
			} else if (is_ident(t, "icmpv6")) {
				tab = nftl_reject_codes(REJECT_ICMP6, &n);
				type = "icmp_unreach";
				if (p->family != F_IP6 &&
				    (rc = reject_dep(p, r, t, true)) < 0)
					return rc;
			} else {
				tab = nftl_reject_codes(REJECT_ICMPX, &n);
				type = "icmpx_unreach";
			}
			accept_ident(p, "type");
			const struct tok *c = next(p);
			/* the kernel takes any icmp and icmpv6 code, and
			 * icmpx codes up to NFT_REJECT_ICMPX_MAX (3) */
			if (c->kind == T_INT &&
			    c->u <= (streq(type, "icmpx_unreach") ? 3u : 255u))
				code = (uint32_t)c->u;
			else if (c->kind != T_IDENT ||
				 !nftl_sym_value(tab, n, c->s, &code))
				return unexpected(p, c, "a reject type");
			/* the kernel would take it (and reject with nothing
			 * in an ip table); nft refuses it, at the code, and
			 * its own listing of one could not be read back */
			if (streq(type, "icmpx_unreach") &&
			    (p->family == F_IP || p->family == F_IP6))
				return perror_at(p, c, "abstracted ICMP "
						       "unreachable not "
						       "supported");
		} else {
			return unexpected(p, t, "tcp, icmp, icmpv6 or icmpx");
		}
	} else if (p->family == F_IP) {
		type = "icmp_unreach";
		code = 3;
	} else if (p->family == F_IP6) {
		type = "icmp_unreach";
		code = 4;
	} else if (r->nfproto == 2 || r->ethproto == 0x0800) {
		/* the rule is IPv4 only already: nft picks icmp */
		type = "icmp_unreach";
		code = 3;
	} else if (r->nfproto == 10 || r->ethproto == 0x86dd) {
		type = "icmp_unreach";
		code = 4;
	} else {
		type = "icmpx_unreach";
		code = 1;
	}
	linx_map_put_cstring(&e, "expr", "reject");
	linx_map_put_cstring(&e, "type", type);
	linx_map_put_int(&e, "code", code);
	r->verdict = true;
	return push_expr(p, r, &e);
}

/* queue's arguments, in nft 1.0.6's grammar: `to N[-M]` alone, or
 * `flags F[,F]` then `to` or `num`, or (the older form) any sequence of
 * `num N[-M]` and bare flag lists; nothing after the first two. */
enum queue_form { Q_START, Q_FLAGS, Q_OLD, Q_DONE };

static int queue_flags(struct parser *p, struct linx_value *f, bool *fanout)
{
	const struct tok *t;

	do {
		t = next(p);
		if (!is_ident(t, "bypass") && !is_ident(t, "fanout"))
			return unexpected(p, t, "bypass or fanout");
		*fanout = *fanout || is_ident(t, "fanout");
		bool seen = false;
		for (uint32_t i = 0; i < f->len; i++)
			seen = seen || streq(f->items[i].str, t->s);
		if (!seen)
			linx_list_push_cstring(f, t->s);
	} while (accept_punct(p, ','));
	return 0;
}

static int stmt_queue(struct parser *p, struct rule *r)
{
	struct linx_value e = linx_value_map(), f = linx_value_list();
	enum queue_form form = Q_START;
	const struct tok *numtok = NULL;
	uint64_t lo = 0, hi = 0;
	bool fanout = false;
	int rc = 0;

	for (;;) {
		const struct tok *t = peek(p);
		bool num = is_ident(t, "num"), to = is_ident(t, "to");
		bool kw = is_ident(t, "flags");
		bool bare = is_ident(t, "bypass") || is_ident(t, "fanout");

		if (form == Q_FLAGS && !num && !to) {
			/* `flags F` wants its queue */
			rc = unexpected(p, t, "comma or to or num");
			break;
		}
		if (!num && !to && !kw && !bare)
			break;
		if (form == Q_DONE || (to && form == Q_OLD) ||
		    (kw && form != Q_START)) {
			rc = unexpected(p, t, "newline or semicolon");
			break;
		}
		if (kw || bare) {
			if (kw)
				next(p);
			if ((rc = queue_flags(p, &f, &fanout)) < 0)
				break;
			form = kw ? Q_FLAGS : Q_OLD;
			continue;
		}
		next(p);
		/* where nft reports a fanout without a range: the number,
		 * or in the older form `num` and its number */
		numtok = num && form != Q_FLAGS ? t : peek(p);
		if ((rc = expect_uint(p, 65535, &lo, "a queue number")) < 0)
			break;
		hi = lo;
		if (accept_punct(p, '-') &&
		    (rc = expect_uint(p, 65535, &hi, "a queue number")) < 0)
			break;
		if (hi < lo) {
			rc = perror_at(p, p->last, "bad queue range");
			break;
		}
		form = num && form != Q_FLAGS ? Q_OLD : Q_DONE;
	}
	if (rc == 0 && fanout && numtok && lo == hi)
		rc = perror_at(p, numtok, "fanout requires a range to be "
					  "specified");
	if (rc < 0) {
		linx_value_clear(&e);
		linx_value_clear(&f);
		return rc;
	}
	linx_map_put_cstring(&e, "expr", "queue");
	linx_map_put_int(&e, "num", (int64_t)lo);
	linx_map_put_int(&e, "total", (int64_t)(hi - lo + 1));
	if (f.len)
		linx_map_put(&e, "flags", &f);
	else
		linx_value_clear(&f);
	r->verdict = true;
	return push_expr(p, r, &e);
}

/* Whether a selector and `map` come next (`meta mark set ip saddr map`),
 * looking at the tokens of the current source only. */
static bool map_ahead(struct parser *p)
{
	const struct src *sr = &p->src[p->n_src - 1];
	const struct tok *v = sr->v + sr->i;
	size_t left = sr->n - sr->i;

	if (left < 2 || v[0].kind != T_IDENT)
		return false;
	if (unqualified_meta(v[0].s))
		return is_ident(&v[1], "map") || is_punct(&v[1], '.');
	if (left >= 3 && v[1].kind == T_IDENT && is_ident(&v[2], "map"))
		return true;
	/* `ip saddr . tcp dport map ...`: words and dots up to the map */
	bool dot = false;
	for (size_t i = 1; i < left && i < 4 * CONCAT_MAX; i++) {
		if (is_ident(&v[i], "map"))
			return dot && v[i - 1].kind == T_IDENT;
		if (is_punct(&v[i], '.'))
			dot = true;
		else if (v[i].kind != T_IDENT)
			return false;
	}
	return false;
}


/* meta KEY set VALUE / ct KEY set VALUE (mark and friends) */
/* A mark's value after `set`, its selector loaded: the operators after
 * it (struct binops), each mask-and-xor and each shift a bitwise of its
 * own, as nft sends them; the `open` groups opened before the selector
 * close on the way, `(ct mark & 0xff00) >> 8`. */
static int mark_ops(struct parser *p, struct rule *r, const struct nftl_sel *src,
		    unsigned open)
{
	struct binops b;
	int rc;

	binops_init(&b, src->dtype, src->len, r);
	for (;;) {
		if ((rc = binop_expr(p, &b, true, 1, NULL, 0)) < 0)
			return rc;
		if (!open--)
			break;
		if ((rc = expect_punct(p, ')')) < 0)
			return rc;
	}
	return binops_flush(p, &b);
}

/* nft's words for setting `s` from `src` of another type, at `at`. */
static int type_mismatch(struct parser *p, const struct tok *at,
			 const struct nftl_sel *s, const struct nftl_sel *src)
{
	bool wi = s->dtype == DT_INT || s->dtype == DT_HINT;
	const char *want = wi ? NULL : nftl_dtype_settype(s->dtype, s->len);
	const char *have = nftl_dtype_settype(src->dtype, src->len);

	return perror_at(p, at, "datatype mismatch: expected %s, expression "
				"has type %s",
			 want ? want : "integer", have ? have : "integer");
}

static int stmt_set(struct parser *p, struct rule *r, const struct nftl_sel *s)
{
	const struct tok *t = peek(p);
	unsigned open = 0;
	int rc;

	if (!nftl_sel_settable(s))
		return perror_at(p, p->last, "unsupported feature: %s %s set "
					     "(the kernel does not write it)",
				 s->proto, s->field);

	/* `(ct mark & 0xff00) >> 8`: groups around a key and its operators */
	while (is_punct(t, '(') && open < 16) {
		next(p);
		open++;
		t = peek(p);
		if (!is_punct(t, '(') && !is_ident(t, "meta") &&
		    !is_ident(t, "ct") &&
		    !(t->kind == T_IDENT && unqualified_meta(t->s)))
			return unexpected(p, t, "a meta or ct key");
	}

	if (gen_sel(t)) {
		next(p);
		if ((rc = gen_expr(p, r, t)) < 0)
			return rc;
		if (is_ident(peek(p), "map")) {
			/* meta mark set numgen inc mod 2 map { 0 : 0x1 } */
			if (!nftl_sel_map_settable(s))
				return perror_at(p, t, "unsupported feature: "
						       "%s %s set from a map",
						 s->proto, s->field);
			rc = map_lookup(p, r, 1, gen_sel(t), t, s->dtype,
					s->len, "setting from");
		} else if (s->dtype != DT_MARK) {
			/* meta mark set numgen ...: nft's integer fits a
			 * mark */
			return perror_at(p, t, "unsupported feature: %s %s set "
					       "from %s",
					 s->proto, s->field, t->s);
		}
	} else if (map_ahead(p)) {
		if (!nftl_sel_map_settable(s))
			return perror_at(p, t, "unsupported feature: %s %s set "
					       "from a map",
					 s->proto, s->field);
		rc = map_value(p, r, 1, s->dtype, s->len, "setting from");
	} else if (is_ident(t, "meta") || is_ident(t, "ct") ||
		   (t->kind == T_IDENT && unqualified_meta(t->s))) {
		/* `ct mark set meta mark`, or `ct mark set mark`: a meta key
		 * stands alone as a value too, as at a rule's start */
		bool bare = !is_ident(t, "meta") && !is_ident(t, "ct");
		next(p);
		const struct tok *k = bare ? t : next(p);
		const struct nftl_sel *src =
			k->kind == T_IDENT
				? nftl_sel_find(bare ? "meta" : t->s, k->s)
				: NULL;
		if (src && src->dtype != s->dtype &&
		    !(s->dtype == DT_MARK && !nftl_dtype_is_bitmask(src->dtype))) {
			/* nft's rule: the same type, or into a mark anything
			 * but flags (meta mark set meta cpu; a uid or an
			 * ifindex too in nft 1.1, not in 1.0.6, and the
			 * kernel takes them) */
			return type_mismatch(p, t, s, src);
		}
		if (!src || (src->len != s->len &&
			     !nftl_widens_into_mark(s, src)))
			return perror_at(p, k, "unsupported feature: setting "
					       "%s %s from this", s->proto,
					 s->field);
		if (open && src->dtype != DT_MARK)
			return perror_at(p, k, "unsupported feature: a group "
					       "around %s %s", src->proto,
					 src->field);
		rc = e_load(p, r, src->proto, src->key, 1);
		if (rc == 0 && src->dtype == DT_MARK)
			rc = mark_ops(p, r, src, open);
	} else if (s->dtype == DT_CTLABEL) {
		/* `ct label set N`: the label's bit, the others left alone
		 * (the kernel ors the bitmap in) */
		uint8_t m[16] = { 0 };
		if ((rc = label_bit(p, m)) == 0)
			rc = e_imm(p, r, 1, m, sizeof(m));
	} else if (s->dtype == DT_CTEVENT) {
		uint64_t m;
		uint8_t b[4];
		if ((rc = parse_flags_value(p, s->dtype, s->len, false, &m)) < 0)
			return rc;
		put_uint(b, s->len, m, true);
		rc = e_imm(p, r, 1, b, s->len);
	} else {
		struct val v;
		/* the kernel writes these meta keys (nft_meta_set_init());
		 * pkttype: host, broadcast, multicast, other */
		if (s->dtype != DT_MARK && s->dtype != DT_HINT &&
		    s->dtype != DT_CLASSID && s->dtype != DT_PKTTYPE)
			return perror_at(p, t, "unsupported feature: %s %s set",
					 s->proto, s->field);
		if ((rc = parse_value(p, s->dtype, s->len, &v)) < 0)
			return rc;
		linx_value_clear(&v.elem);
		rc = e_imm(p, r, 1, v.b, s->len);
	}
	if (rc < 0)
		return rc;
	/* `ct original|reply KEY set`: the selector's proto names the
	 * direction (e_ct_load()) */
	bool dir = s->kind == SEL_CT && s->proto[2] == ' ';
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", dir ? "ct" : s->proto);
	linx_map_put_cstring(&e, "key", s->key);
	linx_map_put_int(&e, "sreg", 1);
	if (dir)
		linx_map_put_cstring(&e, "direction",
				     s->proto[3] == 'o' ? "original" : "reply");
	return push_expr(p, r, &e);
}

/* A payload write from register 1, with nft's checksum attributes. */
static int e_payload_write(struct parser *p, struct rule *r, unsigned base,
			   const struct nftl_write *w)
{
	static const char *const bases[] = { "link", "network", "transport" };
	static const char *const csums[] = { "none", "inet", "sctp" };
	struct linx_value e = linx_value_map(), f = linx_value_list();

	linx_value_reserve(&e, 8);
	linx_map_put_cstring(&e, "expr", "payload");
	linx_map_put_int(&e, "sreg", 1);
	linx_map_put_cstring(&e, "base", bases[base]);
	linx_map_put_int(&e, "offset", w->offset);
	linx_map_put_int(&e, "len", w->len);
	linx_map_put_cstring(&e, "csum_type", csums[w->csum_type]);
	linx_map_put_int(&e, "csum_offset", w->csum_offset);
	if (w->pseudohdr)
		linx_list_push_cstring(&f, "pseudohdr");
	linx_map_put(&e, "csum_flags", &f);
	return push_expr(p, r, &e);
}

/* The token after peek()'s, in the same source, or NULL. */
static const struct tok *peek_after(struct parser *p)
{
	if (p->n_src == 0)
		return NULL;
	const struct src *c = &p->src[p->n_src - 1];
	return c->i + 1 < c->n ? &c->v[c->i + 1] : NULL;
}

/* An object kind as a map's data type, consumed when it is one
 * (nftl_object_type_word()); NULL, nothing read, otherwise. */
static const char *object_kind_ahead(struct parser *p)
{
	const struct tok *t = peek(p);
	const char *kind =
		t->kind == T_IDENT ? nftl_object_type_word(t->s) : NULL;

	if (kind)
		next(p);
	return kind;
}

/* Whether a value starts with a selector (`ip ttl set ip ttl`); `tcp`
 * alone is a value of ip protocol. */
static bool sel_ahead(struct parser *p)
{
	const struct tok *t = peek(p), *u;

	if (t->kind != T_IDENT)
		return false;
	if (streq(t->s, "meta") || streq(t->s, "ct") || streq(t->s, "rt") ||
	    gen_sel(t))
		return true;
	u = peek_after(p);
	return is_payload_proto(t->s) && u && u->kind == T_IDENT &&
	       nftl_sel_find(t->s, u->s);
}

/*
 * PROTO FIELD set EXPR, the next token the expression's first: another
 * field of the same type (`ip daddr set ip saddr`), or a map's value
 * (`tcp dport set tcp dport map { 80 : 8080 }`, a generator's map), into
 * register 1 and written from there, as nft does.  Whole bytes only: nft
 * shifts a bit field's value into place, which a register it did not
 * compute cannot be.
 */
static int ct_dir_sel(struct parser *p, const struct tok *ct,
		      const char *dir, const struct nftl_sel **ret);

static int payload_set_from(struct parser *p, struct rule *r,
			    const struct nftl_sel *s,
			    const struct nftl_write *w, const struct tok *at)
{
	const struct tok *t = peek(p);
	const struct nftl_sel *src;
	int rc;

	if (w->masked)
		return perror_at(p, t, "unsupported feature: %s %s set from "
				       "an expression (a bit field)",
				 s->proto, s->field);
	if ((rc = emit_deps(p, r, s, at)) < 0)
		return rc;
	if ((src = gen_sel(t))) {
		/* ip saddr set numgen inc mod 2 map { 0 : a, 1 : b } */
		next(p);
		if ((rc = gen_expr(p, r, t)) < 0)
			return rc;
		rc = map_lookup(p, r, 1, src, t, s->dtype, s->len,
				"setting from");
	} else if (map_ahead(p)) {
		rc = map_value(p, r, 1, s->dtype, s->len, "setting from");
	} else {
		bool bare = unqualified_meta(t->s);
		const struct tok *k;

		next(p);
		k = bare ? t : next(p);
		if (is_ident(t, "ct") &&
		    (is_ident(k, "original") || is_ident(k, "reply"))) {
			/* ip daddr set ct original ip saddr */
			if ((rc = ct_dir_sel(p, t, k->s, &src)) < 0)
				return rc;
		} else {
			src = k->kind == T_IDENT
				      ? nftl_sel_find(bare ? "meta" : t->s, k->s)
				      : NULL;
		}
		if (!src)
			return unexpected(p, k, "a field");
		if (src->dtype != s->dtype)
			return type_mismatch(p, t, s, src);
		if (src->len != s->len || src->bits ||
		    (src->kind != SEL_PAYLOAD && src->kind != SEL_META &&
		     src->kind != SEL_CT))
			return perror_at(p, t, "unsupported feature: setting "
					       "%s %s from %s %s",
					 s->proto, s->field, src->proto,
					 src->field);
		if ((rc = emit_deps(p, r, src, t)) < 0 ||
		    (rc = e_sel_load(p, r, src, src->len)) < 0)
			return rc;
		int prec;
		if (binop_at(p, &prec) && src->len <= sizeof(((struct binops *)0)->mask)) {
			/* ip daddr set ip saddr & 255.255.0.0 */
			struct binops b;
			binops_init(&b, src->dtype, src->len, r);
			b.no_shift = true;
			if ((rc = binop_expr(p, &b, true, 1, NULL, 0)) == 0)
				rc = binops_flush(p, &b);
		}
	}
	if (rc < 0)
		return rc;
	return e_payload_write(p, r, s->base, w);
}

/*
 * PROTO FIELD set VALUE (`set` is read): a constant into the header, as
 * nft 1.0.6 writes it (nftl_write_layout()): an immediate and the write,
 * or for a bit field or an odd length under a checksum, the load, a
 * bitwise keeping the other bits and putting the value in, the write.
 */
static int payload_set(struct parser *p, struct rule *r,
		       const struct nftl_sel *s, const struct tok *at)
{
	const struct tok *t = peek(p);
	struct nftl_write w;
	struct val v;
	int rc;

	if (!nftl_write_layout(s, &w))
		return perror_at(p, at, "unsupported feature: writing %s %s",
				 s->proto, s->field);
	if (sel_ahead(p) || map_ahead(p))
		return payload_set_from(p, r, s, &w, at);
	if (is_punct(t, '{') || t->kind == T_SETREF)
		return perror_at(p, t, "unsupported feature: %s %s set from "
				       "anything but a constant",
				 s->proto, s->field);
	if ((rc = emit_deps(p, r, s, at)) < 0)
		return rc;
	/* the value unshifted: the layout says where it goes */
	p->fbits = s->bits;
	p->fshift = 0;
	rc = parse_value(p, s->dtype, s->len, &v);
	p->fbits = p->fshift = 0;
	if (rc < 0)
		return rc;
	linx_value_clear(&v.elem);
	if (v.plen >= 0 || v.wildcard)
		return perror_at(p, p->last, "a write takes one value, not a "
					     "prefix");
	if (!w.masked) {
		if ((rc = e_imm(p, r, 1, v.b, s->len)) < 0)
			return rc;
		return e_payload_write(p, r, s->base, &w);
	}
	uint64_t n = 0;
	uint8_t mask[8], xor[8];
	for (unsigned i = 0; i < s->len; i++)
		n = n << 8 | v.b[i];
	put_uint(mask, w.len, w.mask, false);
	put_uint(xor, w.len, n << w.shift, false);
	if ((rc = e_payload(p, r, s->base, w.offset, w.len)) < 0 ||
	    (rc = e_bitwise_xor(p, r, mask, xor, w.len)) < 0)
		return rc;
	return e_payload_write(p, r, s->base, &w);
}

/* ---- set statements ------------------------------------------------------ */

static struct linx_value *cur_table(struct parser *p);

static bool has_flag(const struct linx_value *set, const char *flag)
{
	const struct linx_value *f = linx_map_get(set, "flags");

	for (uint32_t i = 0; f && f->type == LINX_LIST && i < f->len; i++)
		if (f->items[i].type == LINX_STRING &&
		    strcmp(f->items[i].str, flag) == 0)
			return true;
	return false;
}

/* The key type a set statement's selectors make matches the set's. */
static bool key_matches(const struct linx_value *kt, const struct ckey *k)
{
	if (!kt)
		return false;
	if (k->n == 1 && kt->type == LINX_STRING)
		return strcmp(k->name[0], kt->str) == 0;
	if (kt->type != LINX_LIST || kt->len != k->n)
		return false;
	for (unsigned i = 0; i < k->n; i++)
		if (kt->items[i].type != LINX_STRING ||
		    strcmp(k->name[i], kt->items[i].str))
			return false;
	return true;
}

/* The stateful statements of a set statement (at most two, the kernel's
 * NFT_SET_EXPR_MAX): counter, limit, quota, ct count. */
/* ct count [over] N (after `ct count`): a connlimit */
static int stmt_ct_count(struct parser *p, struct rule *r)
{
	bool over = accept_ident(p, "over");
	uint64_t n;
	int rc;

	if ((rc = expect_uint(p, UINT32_MAX, &n, "a count")) < 0)
		return rc;
	struct linx_value e = linx_value_map(), f = linx_value_list();
	linx_map_put_cstring(&e, "expr", "connlimit");
	linx_map_put_int(&e, "count", (int64_t)n);
	if (over)
		linx_list_push_cstring(&f, "inv");
	linx_map_put(&e, "flags", &f);
	return push_expr(p, r, &e);
}

static int dynset_stmt(struct parser *p, struct rule *in, bool *more)
{
	const struct tok *t = peek(p);

	*more = true;
	if (is_ident(t, "counter") || is_ident(t, "limit") ||
	    is_ident(t, "quota")) {
		next(p);
		if (is_ident(peek(p), "name"))
			return perror_at(p, peek(p), "unsupported feature: "
						     "named objects in a set "
						     "statement");
		return t->s[0] == 'c'	? stmt_counter(p, in)
		       : t->s[0] == 'l' ? stmt_limit(p, in)
					: stmt_quota(p, in);
	}
	if (is_ident(t, "ct")) {
		next(p);
		if (!accept_ident(p, "count"))
			return unexpected(p, peek(p), "count");
		return stmt_ct_count(p, in);
	}
	*more = false;
	return 0;
}

/* The statements of a set declaration or of its element (`counter
 * limit rate 1/second`): those of a set statement, at most two. */
static int stateful_stmts(struct parser *p, struct linx_value *exprs)
{
	struct rule in = { .exprs = linx_value_list(),
			   .icmp = NFTL_ICMP_ANY };
	bool more;
	int rc;

	do {
		const struct tok *st = peek(p);
		if ((rc = dynset_stmt(p, &in, &more)) < 0)
			break;
		if (in.exprs.len > 2) {
			rc = perror_at(p, st, "a set has at most two "
					      "statements");
			break;
		}
	} while (more);
	if (rc < 0) {
		linx_value_clear(&in.exprs);
		return rc;
	}
	linx_value_clear(exprs);
	*exprs = in.exprs;
	return 0;
}

/*
 * add|update|delete @set { KEY [timeout T] [STATEFUL ...] [: DATA] }: the
 * key loaded as a concatenation is (load_key), the data, a meta or ct
 * key, into the next 16-byte register, then a dynset
 * (docs/nft/expressions.md). As nft does, the set referred to becomes
 * dynamic, of size 65535 unless it has one; the kernel refuses constant
 * and interval sets, and a timeout on a set without flags timeout.
 */
static struct linx_value *find_set(struct parser *p, size_t table,
				   const char *name)
{
	struct linx_value *tables = mget(&p->rs, "tables");
	struct linx_value *sets = mget(&tables->items[table], "sets");

	for (uint32_t i = 0; sets && sets->type == LINX_LIST && i < sets->len;
	     i++) {
		const struct linx_value *nm = linx_map_get(&sets->items[i], "name");
		if (nm && nm->type == LINX_STRING && strcmp(nm->str, name) == 0)
			return &sets->items[i];
	}
	return NULL;
}

/* Check what a set statement needs of its set and, as nft does, make the
 * set dynamic, of size 65535 unless it has one. The kernel refuses
 * constant and interval sets, and a timeout on a set without flags
 * timeout. */
static int dynref_apply(struct parser *p, const struct dynref *d)
{
	struct linx_value *set = find_set(p, d->table, d->set->s);
	const char *name = d->set->s;

	if (!set)
		return perror_at(p, d->set, "set %s does not exist", name);
	if (has_flag(set, "constant") || has_flag(set, "interval"))
		return perror_at(p, d->set, "set %s is %s: a set statement "
					    "cannot change it",
				 name, has_flag(set, "constant")
					       ? "constant"
					       : "an interval set");
	if (!key_matches(linx_map_get(set, "key_type"), &d->k))
		return perror_at(p, d->key, "the key does not match the type "
					    "of set %s",
				 name);
	if (d->timeout && !has_flag(set, "timeout"))
		return perror_at(p, d->timeout, "set %s has no flags timeout",
				 name);
	const struct linx_value *dt = linx_map_get(set, "data_type");
	if (d->data && !dt)
		return perror_at(p, d->data, "%s is a set, not a map", name);
	if (!d->data && dt)
		return perror_at(p, d->set, "%s is a map: the set statement "
					    "needs ': VALUE'",
				 name);
	if (d->data) {
		const char *dn = nftl_dtype_settype(d->ddt, d->dlen);
		if (dt->type != LINX_STRING || !dn || strcmp(dn, dt->str))
			return perror_at(p, d->data, "the value does not match "
						     "the type of map %s",
					 name);
	}
	if (!has_flag(set, "dynamic")) {
		struct linx_value *f = mlist(set, "flags");
		if (!f || linx_list_push_cstring(f, "dynamic") < 0)
			return nomem(p);
	}
	if (!linx_map_get(set, "size"))
		linx_map_put_int(set, "size", 65535);
	return linx_value_status(set) < 0 ? nomem(p) : 0;
}

static int dynref_add(struct parser *p, const struct dynref *d)
{
	if (find_set(p, d->table, d->set->s))
		return dynref_apply(p, d);
	if (p->n_dynrefs >= 65536)
		return perror_at(p, d->set, "too many set statements");
	struct dynref *n = realloc(p->dynrefs,
				   (p->n_dynrefs + 1) * sizeof(*n));
	if (!n)
		return nomem(p);
	p->dynrefs = n;
	n[p->n_dynrefs++] = *d;
	return 0;
}

/* One rule's expressions with the pending byteorders settled: kept
 * (without their mark) before an interval set, dropped otherwise. */
static int hostrefs_rule(struct parser *p, size_t table,
			 struct linx_value *exprs)
{
	struct linx_value out = linx_value_list();

	for (uint32_t i = 0; i < exprs->len; i++) {
		struct linx_value *e = &exprs->items[i];
		const struct linx_value *name = linx_map_get(e, PENDING_SET);

		if (!name) {
			linx_list_push(&out, e);
			continue;
		}
		const struct linx_value *set =
			name->type == LINX_STRING ? find_set(p, table, name->str)
						  : NULL;
		if (set && has_flag(set, "interval")) {
			struct linx_value k = linx_value_map();
			for (uint32_t j = 0; j < e->len; j++)
				if (strcmp(e->pairs[j].key, PENDING_SET) != 0)
					linx_map_put(&k, e->pairs[j].key,
						     &e->pairs[j].value);
			linx_list_push(&out, &k);
		}
		linx_value_clear(e);
	}
	linx_value_clear(exprs);
	*exprs = out;
	return linx_value_status(exprs) < 0 ? nomem(p) : 0;
}

/* The set statements whose sets came later, and the lookups of
 * host-order keys into sets declared after them. */
/* Whether `list` of table `t` has an item `name` (of `kind`). */
static bool has_named(struct parser *p, size_t t, const char *list,
		      const char *kind, const char *name)
{
	struct linx_value *tables = mget(&p->rs, "tables");
	const struct linx_value *l = linx_map_get(&tables->items[t], list);

	for (uint32_t i = 0; l && l->type == LINX_LIST && i < l->len; i++) {
		const struct linx_value *nm = linx_map_get(&l->items[i], "name");
		const struct linx_value *k = linx_map_get(&l->items[i], "kind");
		if (nm && nm->type == LINX_STRING && strcmp(nm->str, name) == 0 &&
		    (!kind || (k && k->type == LINX_STRING &&
			       strcmp(k->str, kind) == 0)))
			return true;
	}
	return false;
}

/* Whether chain `name` of table `t` has a hook. */
static bool is_base_chain(struct parser *p, size_t t, const char *name)
{
	struct linx_value *tables = mget(&p->rs, "tables");
	const struct linx_value *l = linx_map_get(&tables->items[t], "chains");

	for (uint32_t i = 0; l && l->type == LINX_LIST && i < l->len; i++) {
		const struct linx_value *nm = linx_map_get(&l->items[i], "name");
		if (nm && nm->type == LINX_STRING && streq(nm->str, name))
			return linx_map_get(&l->items[i], "hook") != NULL;
	}
	return false;
}

/* Two type names a lookup may not mix: integers of any kind (their
 * names here need not be nft's) and the two times aside, names that
 * differ. */
static bool type_clash(const char *a, const char *b)
{
	if (!a || !b || strncmp(a, "integer", 7) == 0 ||
	    strncmp(b, "integer", 7) == 0 ||
	    strncmp(a, "host_integer", 12) == 0 ||
	    strncmp(b, "host_integer", 12) == 0 ||
	    (strncmp(a, "time", 4) == 0 && strncmp(b, "time", 4) == 0))
		return false;
	return strcmp(a, b) != 0;
}

/* "ipv4_addr . inet_service" into buf. */
static const char *types_text(const char *const *names, unsigned n,
			      char *buf, size_t cap)
{
	size_t at = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < n && at < cap; i++) {
		int w = snprintf(buf + at, cap - at, "%s%s", i ? " . " : "",
				 names[i] ? names[i] : "integer");
		if (w < 0)
			break;
		at += (size_t)w;
	}
	return buf;
}

/* A lookup's key against its set's key_type, in nft's words (which name
 * the lookup's type first, a verdict map's second). */
static int lookup_key_check(struct parser *p, const struct nameref *r)
{
	const struct linx_value *set = find_set(p, r->table, r->name->s);
	const struct linx_value *kt = set ? linx_map_get(set, "key_type")
					  : NULL;
	const char *st[CONCAT_MAX];
	unsigned n = 0;
	bool clash = false;
	char a[256], b[256];

	if (!r->nkey || !kt)
		return 0;
	if (kt->type == LINX_STRING) {
		st[n++] = kt->str;
	} else if (kt->type == LINX_LIST && kt->len <= CONCAT_MAX) {
		for (uint32_t i = 0; i < kt->len; i++)
			st[n++] = kt->items[i].type == LINX_STRING
					  ? kt->items[i].str
					  : NULL;
	} else {
		return 0;
	}
	clash = n != r->nkey;
	for (unsigned i = 0; !clash && i < n; i++)
		clash = type_clash(r->key[i], st[i]);
	if (!clash)
		return 0;
	types_text(r->key, r->nkey, a, sizeof(a));
	types_text(st, n, b, sizeof(b));
	if (r->vmap)
		return perror_at(p, r->name, "datatype mismatch, map expects "
					     "%s, mapping expression has type "
					     "%s",
				 b, a);
	return perror_at(p, r->name, "datatype mismatch, expected %s, "
				     "expression has type %s",
			 a, b);
}

/* A lookup's key has its set's type wherever the input declares the
 * set; with `all`, every name a rule refers to exists in its table
 * (what the kernel would refuse with ENOENT).  Either said at the
 * reference, in the input's order. */
static int names_resolve(struct parser *p, bool all)
{
	for (size_t i = 0; i < p->n_refs; i++) {
		const struct nameref *r = &p->refs[i];
		int rc;

		if (has_named(p, r->table, r->list, r->kind, r->name->s)) {
			if (r->nkey && (rc = lookup_key_check(p, r)) < 0)
				return rc;
			if (all && streq(r->list, "chains") &&
			    is_base_chain(p, r->table, r->name->s))
				return perror_at(p, r->name, "chain %s is a "
							     "base chain: the "
							     "kernel refuses a "
							     "jump or goto to "
							     "it",
						 r->name->s);
			continue;
		}
		if (!all)
			continue;
		if (r->kind)
			return perror_at(p, r->name, "%s %s does not exist "
						     "in this table",
					 streq(r->kind, "ct_helper")
						 ? "ct helper"
						 : r->kind,
					 r->name->s);
		return perror_at(p, r->name, "%s %s does not exist in this "
					     "table",
				 streq(r->list, "chains")       ? "chain"
				 : streq(r->list, "flowtables") ? "flowtable"
								: "set",
				 r->name->s);
	}
	return 0;
}

/* fn on the expressions of every rule of the input, with the index of
 * the rule's table: the markers left for what is known only once the
 * whole input is read. */
static int each_rule(struct parser *p,
		     int (*fn)(struct parser *, size_t, struct linx_value *))
{
	struct linx_value *tables = mget(&p->rs, "tables");
	int rc;

	for (uint32_t t = 0; t < tables->len; t++) {
		struct linx_value *chains = mget(&tables->items[t], "chains");
		for (uint32_t c = 0; chains && c < chains->len; c++) {
			struct linx_value *rules = mget(&chains->items[c], "rules");
			for (uint32_t r = 0; rules && r < rules->len; r++) {
				struct linx_value *ex =
					mget(&rules->items[r], "exprs");
				if (ex && (rc = fn(p, t, ex)) < 0)
					return rc;
			}
		}
	}
	return 0;
}

static int dynrefs_resolve(struct parser *p)
{
	int rc;


	if ((rc = names_resolve(p, p->opts && p->opts->check_refs)) < 0)
		return rc;
	if (p->n_hostrefs && (rc = each_rule(p, hostrefs_rule)) < 0)
		return rc;
	if (p->n_natrefs && (rc = each_rule(p, natrefs_rule)) < 0)
		return rc;
	for (size_t i = 0; i < p->n_objmaprefs; i++) {
		const struct objmapref *o = &p->objmaprefs[i];
		const struct linx_value *set = find_set(p, o->table, o->set->s);
		const struct linx_value *dt = set ? linx_map_get(set, "data_type")
						  : NULL;
		/* (the kernel takes a map of any kind, and so does nft: the
		 * map's kind is what the rule does, and lists as) */
		if (!set || !dt || dt->type != LINX_STRING ||
		    !nftl_object_type_word(dt->str))
			return perror_at(p, o->set, "unsupported feature: %s "
						    "through map %s, which is "
						    "no map of objects in this "
						    "input (its type says the "
						    "kind)",
					 nftl_objref_words(o->kind), o->set->s);
	}

	for (size_t i = 0; i < p->n_dynrefs; i++)
		if ((rc = dynref_apply(p, &p->dynrefs[i])) < 0)
			return rc;
	/* a set declared after a meter of its name */
	for (size_t i = 0; i < p->n_meters; i++)
		if (find_set(p, p->meters[i].table, p->meters[i].name->s))
			return perror_at(p, p->meters[i].name,
					 "meter %s: table already has a set "
					 "of that name",
					 p->meters[i].name->s);
	return 0;
}

/* A meter's set, carried by its dynset (docs/nft/expressions.md):
 * named by the meter, keyed by the key's types, timeout when its key has
 * one, of the size given or the 65535 the kernel gives it. */
static int meter_set(struct parser *p, const struct dynref *d,
		     uint64_t size, struct linx_value *ret)
{
	struct linx_value s = linx_value_map(), f = linx_value_list();

	linx_map_put_cstring(&s, "name", d->set->s);
	if (d->k.n == 1) {
		linx_map_put_cstring(&s, "key_type", d->k.name[0]);
	} else {
		struct linx_value kt = ckey_types(&d->k);
		linx_map_put(&s, "key_type", &kt);
	}
	/* in the kernel's bit order, as a pull reports them */
	if (d->timeout)
		linx_list_push_cstring(&f, "timeout");
	linx_list_push_cstring(&f, "dynamic");
	linx_map_put(&s, "flags", &f);
	linx_map_put_int(&s, "size", (int64_t)(size ? size : 65535));
	if (linx_value_status(&s) < 0) {
		linx_value_clear(&s);
		return nomem(p);
	}
	*ret = s;
	return 0;
}

/* A meter's name is a set's: no other set or meter of the table may
 * have it (the kernel refuses the second). */
static int meter_name(struct parser *p, const struct tok *name)
{
	if (find_set(p, p->table, name->s))
		return perror_at(p, name, "meter %s: table already has a set "
					  "of that name",
				 name->s);
	for (size_t i = 0; i < p->n_meters; i++)
		if (p->meters[i].table == p->table &&
		    strcmp(p->meters[i].name->s, name->s) == 0)
			return perror_at(p, name, "meter %s: declared twice in "
						  "this table",
					 name->s);
	if (p->n_meters >= 65536)
		return perror_at(p, name, "too many meters");
	struct meterref *n = realloc(p->meters,
				     (p->n_meters + 1) * sizeof(*n));
	if (!n)
		return nomem(p);
	p->meters = n;
	n[p->n_meters++] = (struct meterref){ p->table, name };
	return 0;
}

/*
 * add|update|delete @set { KEY [timeout T] [STATEFUL ...] [: DATA] }: the
 * key loaded as a concatenation is (load_key), the data, a meta or ct
 * key, into the next 16-byte register, then a dynset
 * (docs/nft/expressions.md). The set is checked by dynref_apply().
 *
 * With `meter` (the name token) it is nft's older spelling, `meter NAME
 * [size N] { KEY [timeout T] STATEFUL }`: exactly one statement, no data,
 * `update` when the key has a timeout and `add` otherwise, and the set
 * is the meter's own, anonymous, carried inline by the dynset.
 */
static int set_stmt(struct parser *p, struct rule *r, const char *op,
		    const struct tok *meter, bool legacy)
{
	const struct nftl_sel *sel[CONCAT_MAX], *dsel = NULL;
	const struct tok *ats[CONCAT_MAX];
	struct rule in = { .exprs = linx_value_list(),
			   .icmp = NFTL_ICMP_ANY };
	struct dynref d = { .table = p->table };
	uint64_t timeout = 0, size = 0;
	bool more;
	unsigned slots, dreg = 0;
	int rc;

	if (meter) {
		d.set = meter;
		/* size 0 is no size: the kernel makes it 65535 */
		if (accept_ident(p, "size") &&
		    (rc = expect_uint(p, UINT32_MAX, &size, "a size")) < 0)
			return rc;
	} else if (!legacy) {
		d.set = next(p);
		if (d.set->kind != T_SETREF)
			return unexpected(p, d.set, "a set reference");
	}
	if (!legacy && (rc = expect_punct(p, '{')) < 0)
		return rc;
	d.key = peek(p);
	do {
		const struct tok *t = peek(p);
		if ((rc = parse_selector(p, &sel[d.k.n])) < 0)
			return rc;
		ats[d.k.n] = t;
		if ((rc = ckey_add(p, &d.k, sel[d.k.n]->dtype, sel[d.k.n]->len,
				   t)) < 0)
			return rc;
	} while (accept_punct(p, '.'));
	if (accept_ident(p, "timeout")) {
		d.timeout = p->last;
		if ((rc = parse_time(p, &timeout)) < 0)
			return rc;
	}
	/* set add|update KEY [timeout T] @set: the key, then the set */
	if (legacy) {
		d.set = next(p);
		if (d.set->kind != T_SETREF)
			return unexpected(p, d.set, "a set reference");
		more = false;
	}
	do {
		const struct tok *st = peek(p);
		if (legacy)
			break;
		if ((rc = dynset_stmt(p, &in, &more)) < 0)
			goto out;
		if (in.exprs.len > (meter ? 1u : 2u)) {
			rc = perror_at(p, st, meter ? "a meter has one "
							   "statement"
							 : "a set statement has "
							   "at most two "
							   "statements");
			goto out;
		}
	} while (more);
	if (meter && in.exprs.len == 0) {
		rc = unexpected(p, peek(p), "a statement (counter, limit, "
					    "quota or ct count)");
		goto out;
	}
	if (!meter && !legacy && accept_punct(p, ':')) {
		d.data = peek(p);
		if ((rc = parse_selector(p, &dsel)) < 0)
			goto out;
		if (dsel->kind == SEL_PAYLOAD) {
			rc = perror_at(p, d.data, "unsupported feature: a "
						  "payload as a map "
						  "statement's value");
			goto out;
		}
		d.ddt = dsel->dtype;
		d.dlen = dsel->len;
	}
	if (!legacy && (rc = expect_punct(p, '}')) < 0)
		goto out;
	if ((rc = meter ? meter_name(p, meter) : dynref_add(p, &d)) < 0)
		goto out;
	if ((rc = load_key(p, r, sel, ats, d.k.n, 0, NULL, &slots)) < 0)
		goto out;
	if (dsel) {
		dreg = 1 + (slots + 3) / 4;
		if ((rc = e_load(p, r, dsel->kind == SEL_META ? "meta" : "ct",
				 dsel->key, dreg)) < 0)
			goto out;
	}
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "dynset");
	linx_map_put_cstring(&e, "op", meter ? (timeout ? "update" : "add")
					     : op);
	linx_map_put_int(&e, "sreg_key", 1);
	if (dsel)
		linx_map_put_int(&e, "sreg_data", dreg);
	if (timeout) /* 0 is no timeout: the kernel reports it so */
		linx_map_put_int(&e, "timeout", (int64_t)timeout);
	if (meter) {
		struct linx_value ms;
		if ((rc = meter_set(p, &d, size, &ms)) < 0) {
			linx_value_clear(&e);
			goto out;
		}
		linx_map_put(&e, "set", &ms);
	} else {
		linx_map_put_cstring(&e, "set", d.set->s);
	}
	if (in.exprs.len > 1) {
		struct linx_value f = linx_value_list();
		linx_list_push_cstring(&f, "expr");
		linx_map_put(&e, "flags", &f);
	}
	if (in.exprs.len)
		linx_map_put(&e, "exprs", &in.exprs);
	else
		linx_value_clear(&in.exprs);
	return push_expr(p, r, &e);
out:
	linx_value_clear(&in.exprs);
	return rc;
}

static int stmt_dynset(struct parser *p, struct rule *r, const char *op)
{
	return set_stmt(p, r, op, NULL, false);
}

/* nft's older spelling, `set add|update|delete KEY [timeout T] @set`
 * (`set` is read): `add|update|delete @set { KEY [timeout T] }`. */
static int stmt_legacy_dynset(struct parser *p, struct rule *r)
{
	const struct tok *t = next(p);

	if (!is_ident(t, "add") && !is_ident(t, "update") &&
	    !is_ident(t, "delete"))
		return unexpected(p, t, "add, update or delete");
	return set_stmt(p, r, t->s, NULL, true);
}

/* meter NAME [size N] { KEY [timeout T] STATEFUL } */
static int stmt_meter(struct parser *p, struct rule *r)
{
	const struct tok *name = next(p);

	if (name->kind != T_IDENT)
		return unexpected(p, name, "a meter name");
	return set_stmt(p, r, NULL, name, false);
}

static bool unqualified_meta(const char *s)
{
	static const char *const k[] = { "mark", "iif", "oif", "iifname",
					 "oifname", "iiftype", "oiftype",
					 "skuid", "skgid", "pkttype", "cpu",
					 "iifgroup", "oifgroup", "cgroup",
					 "nftrace", "ibrname", "obrname",
					 "ibriport", "obriport" };
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (strcmp(s, k[i]) == 0)
			return true;
	return false;
}

static bool is_payload_proto(const char *s)
{
	for (size_t i = 0; i < nftl_n_sels; i++)
		if (nftl_sels[i].kind == SEL_PAYLOAD &&
		    strcmp(nftl_sels[i].proto, s) == 0)
			return true;
	return false;
}

static const char *const unsupported_words[] = {
	"numgen", "jhash", "symhash", "rt", "exthdr", "update", "add",
	"delete", "set", "typeof", "secmark", "xt", "last", "hbh",
	"frag", "rt0", "rt2", "srh", "dst", "mh", "ah", "esp", "comp",
	"vlan", "arp", "gre", "geneve", "vxlan", "sctp", "dccp",
	"udplite", "ct", "meta", "cgroupv2", "inner", "tunnel", "optstrip",
};

static int unknown_stmt(struct parser *p, const struct tok *t)
{
	if (t->kind == T_IDENT)
		for (size_t i = 0;
		     i < sizeof(unsupported_words) / sizeof(unsupported_words[0]);
		     i++)
			if (strcmp(t->s, unsupported_words[i]) == 0)
				return perror_at(p, t, "unsupported feature: "
						       "%s",
						 t->s);
	/* nft reads an unknown word (`acept`) as a symbol on the left of an
	 * implicit ==: where no value can follow it (the end of the
	 * statement, a statement word), its grammar fails at that token;
	 * with a value after it, the evaluation fails at the word ("No
	 * symbol type information").  (t is consumed.) */
	static const char *const stops[] = {
		"accept", "drop", "reject", "return", "continue", "jump",
		"goto", "queue", "counter", "log", "limit", "quota", "comment",
		"masquerade", "redirect", "notrack", "meta", "ct", "numgen",
		"jhash", "symhash", "fib", "rt", "flow",
	};
	const struct tok *u = peek(p);
	bool stop = u->kind == T_SEP || u->kind == T_EOF || is_punct(u, '}');
	for (size_t i = 0; !stop && u->kind == T_IDENT &&
			   i < sizeof(stops) / sizeof(stops[0]);
	     i++)
		stop = streq(u->s, stops[i]);
	if (t->kind == T_IDENT && !nftl_is_keyword(t->s) && stop)
		return unexpected(p, u, NULL);
	return unexpected(p, t, NULL);
}

static int rule_comment(struct parser *p, struct rule *r)
{
	int rc = 0;
	const struct tok *t = comment_text(p, &rc);

	if (!t)
		return rc;
	if (t->slen > 128)
		return perror_at(p, t, "comment longer than 128 bytes");
	if (strncmp(t->s, "tag:", 4) == 0) {
		const char *s = t->s + 4, *sp = strchr(s, ' ');
		size_t n = sp ? (size_t)(sp - s) : strlen(s);
		if (n == 0 || n > 64)
			return perror_at(p, t, "a tag is 1 to 64 characters "
					       "of [A-Za-z0-9_.-]");
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
			    s[i] != '.' && s[i] != '-')
				return perror_at(p, t, "a tag is 1 to 64 "
						       "characters of "
						       "[A-Za-z0-9_.-]");
		linx_value_clear(&r->tag);
		linx_value_string(&r->tag, s, n);
		linx_value_clear(&r->comment);
		if (sp && sp[1])
			linx_value_cstring(&r->comment, sp + 1);
		return 0;
	}
	linx_value_clear(&r->comment);
	linx_value_cstring(&r->comment, t->s);
	return 0;
}

/* fib FLAG[ . FLAG...] RESULT [op] VALUE | fib ... oif missing|exists */
static int stmt_fib(struct parser *p, struct rule *r)
{
	static const char *const fl[] = { "saddr", "daddr", "mark", "iif",
					  "oif" };
	struct linx_value flags = linx_value_list(), e;
	const struct tok *t;
	int rc;

	do {
		size_t i;
		t = next(p);
		for (i = 0; i < 5 && t->kind == T_IDENT; i++)
			if (strcmp(t->s, fl[i]) == 0)
				break;
		if (t->kind != T_IDENT || i == 5) {
			linx_value_clear(&flags);
			return unexpected(p, t, "saddr, daddr, mark, iif or oif");
		}
		linx_list_push_cstring(&flags, fl[i]);
	} while (accept_punct(p, '.'));
	t = next(p);
	const char *result;
	unsigned dt, len;
	if (is_ident(t, "type"))
		result = "addrtype", dt = DT_FIBADDR, len = 4;
	else if (is_ident(t, "oif"))
		result = "oif", dt = DT_IFINDEX, len = 4;
	else if (is_ident(t, "oifname"))
		result = "oifname", dt = DT_IFNAME, len = 16;
	else {
		linx_value_clear(&flags);
		return unexpected(p, t, "type, oif or oifname");
	}
	bool present = is_ident(peek(p), "missing") || is_ident(peek(p), "exists");
	const struct tok *pt = present ? next(p) : NULL;
	if (present)
		linx_list_push_cstring(&flags, "present");
	e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "fib");
	linx_map_put(&e, "flags", &flags);
	linx_map_put_cstring(&e, "result", result);
	linx_map_put_int(&e, "dreg", 1);
	if ((rc = push_expr(p, r, &e)) < 0)
		return rc;
	if (present) {
		uint8_t b[4] = { 0 };
		put_uint(b, 4, is_ident(pt, "exists") ? 1 : 0, true);
		return e_cmp(p, r, "eq", b, 4);
	}
	const char *op = "eq";
	if (op_of(peek(p)))
		op = op_of(next(p));
	else if (is_punct(peek(p), '=')) {
		next(p);
		if ((rc = expect_punct(p, '=')) < 0)
			return rc;
	}
	t = peek(p);
	bool ordering = !streq(op, "eq") && !streq(op, "neq");
	if (is_ident(t, "vmap") && !ordering) {
		next(p);
		return vmap_rhs(p, r, dt, len);
	}
	if (t->kind == T_SETREF || is_punct(t, '{'))
		return set_rhs(p, r, NULL, dt, len, streq(op, "neq"), ordering,
			       t);
	if (t->kind == T_VAR) {
		next(p);
		return parse_hole(p, r, t, dt, len, op);
	}
	struct val v;
	if ((rc = parse_value(p, dt, len, &v)) < 0)
		return rc;
	linx_value_clear(&v.elem);
	if (v.wildcard && strcmp(op, "eq") && strcmp(op, "neq"))
		return perror_at(p, p->last, "a wildcard needs == or !=");
	return e_cmp(p, r, op, v.b, v.len);
}

/*
 * tcp option NAME FIELD set VALUE | set rt mtu: an immediate (or the rt
 * load nft turns into network order) written into the option.  The
 * kernel writes 2- and 4-byte fields only, and `rt mtu` fills two.
 */
static int tcpopt_set(struct parser *p, struct rule *r,
		      const struct nftl_sel *s, const struct tok *at)
{
	const struct tok *t = peek(p);
	int rc;

	if (s->len != 2 && s->len != 4)
		return perror_at(p, at, "%s %s cannot be set: the kernel "
					"writes 2- and 4-byte TCP option "
					"fields only",
				 s->proto, s->field);
	if (is_ident(t, "rt")) {
		next(p);
		t = next(p);
		if (!is_ident(t, "mtu"))
			return unexpected(p, t, "mtu");
		if (s->len != 2)
			return perror_at(p, t, "rt mtu is 2 bytes, %s %s is "
					       "%u",
					 s->proto, s->field, s->len);
		if ((rc = e_load(p, r, "rt", "tcpmss", 1)) < 0 ||
		    (rc = e_hton(p, r, 2)) < 0)
			return rc;
		return e_tcpopt(p, r, true, s->base, s->offset, s->len, false);
	}
	if (t->kind == T_VAR || is_punct(t, '{') || t->kind == T_SETREF ||
	    t->kind == T_IDENT)
		return perror_at(p, t, "unsupported feature: %s %s set from "
				       "anything but a number or rt mtu",
				 s->proto, s->field);
	struct val v;
	if ((rc = parse_value(p, s->dtype, s->len, &v)) < 0)
		return rc;
	linx_value_clear(&v.elem);
	if ((rc = e_imm(p, r, 1, v.b, s->len)) < 0)
		return rc;
	return e_tcpopt(p, r, true, s->base, s->offset, s->len, false);
}

/*
 * tcp option NAME|NUMBER exists|missing, tcp option NAME FIELD match,
 * tcp option NAME FIELD set ...  ("tcp" is read).  nft adds no
 * dependency: the kernel finds no option outside TCP.
 */
/* tcp option @KIND,OFF,LEN MATCH|set VALUE ("tcp option" is read): a
 * field of any option by its kind, offset and length in bits. */
static int tcpopt_raw(struct parser *p, struct rule *r)
{
	const struct tok *at = next(p), *ot, *lt;
	const struct nftl_sel *s;
	uint64_t kind, off, len;
	char why[160];
	int rc;

	/* the lexer reads "@255" as a set's name: digits only here */
	kind = 0;
	for (const char *c = at->s; ; c++) {
		if (*c < '0' || *c > '9' || kind > 255)
			return unexpected(p, at, "a TCP option kind");
		kind = kind * 10 + (uint64_t)(*c - '0');
		if (!c[1])
			break;
	}
	if ((rc = expect_punct(p, ',')) < 0)
		return rc;
	ot = peek(p);
	if ((rc = expect_uint(p, UINT32_MAX, &off, "option offset")) < 0 ||
	    (rc = expect_punct(p, ',')) < 0)
		return rc;
	lt = peek(p);
	if ((rc = expect_uint(p, UINT32_MAX, &len, "option length")) < 0)
		return rc;
	if (!nftl_tcpopt_raw_sel(kind, off, len, &p->raw, &s, why,
				 sizeof(why)))
		return perror_at(p, strstr(why, "kind") ? at
				    : strstr(why, "length") ? lt : ot,
				 "%s", why);
	if (is_punct(peek(p), '.'))
		return perror_at(p, peek(p), "unsupported feature: TCP "
					     "options in a concatenation");
	if (accept_ident(p, "set"))
		return tcpopt_set(p, r, s, at);
	return parse_match(p, r, s, at);
}

static int stmt_tcpopt(struct parser *p, struct rule *r)
{
	const struct tok *t, *nt;
	unsigned kind;
	int rc;

	next(p); /* "option" */
	if (is_raw_start(p))
		return tcpopt_raw(p, r);
	nt = next(p);
	if (nt->kind == T_INT) {
		if (nt->u > 255)
			return perror_at(p, nt, "a TCP option kind is 0 to 255");
		kind = (unsigned)nt->u;
	} else if (nt->kind != T_IDENT) {
		return unexpected(p, nt, "a TCP option");
	} else if (!nftl_tcpopt_kind(nt->s, &kind)) {
		return perror_at(p, nt, "unknown TCP option %s", nt->s);
	}
	t = peek(p);
	if (is_ident(t, "exists") || is_ident(t, "missing")) {
		uint8_t b = is_ident(t, "exists");
		next(p);
		if ((rc = e_tcpopt(p, r, false, kind, 0, 1, true)) < 0)
			return rc;
		return e_cmp(p, r, "eq", &b, 1);
	}
	if (nt->kind == T_INT)
		return unexpected(p, t, "exists or missing");
	const struct tok *ft = next(p);
	if (ft->kind != T_IDENT)
		return unexpected(p, ft, "exists, missing or a field");
	char proto[40];
	/* sack0 is sack: the same bytes */
	snprintf(proto, sizeof(proto), "tcp option %s",
		 streq(nt->s, "sack0") ? "sack"
		 : streq(nt->s, "mss") ? "maxseg" : nt->s);
	const struct nftl_sel *s = nftl_sel_find(proto, ft->s);
	if (!s)
		return perror_at(p, ft, "unsupported feature: %s %s", proto,
				 ft->s);
	if (is_punct(peek(p), '.'))
		return perror_at(p, peek(p), "unsupported feature: TCP "
					     "options in a concatenation");
	if (accept_ident(p, "set"))
		return tcpopt_set(p, r, s, ft);
	return parse_match(p, r, s, nt);
}

/* What may follow an IPv4 option's or an SCTP chunk's field (`what`): a
 * match, not a concatenation, a write or a mask. */
static int match_only(struct parser *p, const struct nftl_sel *s,
		      const char *what)
{
	const struct tok *t = peek(p);

	if (is_punct(t, '.'))
		return perror_at(p, t, "unsupported feature: %s fields in a "
				       "concatenation",
				 what);
	if (is_ident(t, "set"))
		return perror_at(p, t, "%s %s cannot be set", s->proto,
				 s->field);
	if (is_punct(t, '&') || is_ident(t, "and"))
		return perror_at(p, t, "unsupported feature: masking %s %s",
				 s->proto, s->field);
	return 0;
}

/*
 * sctp chunk NAME exists|missing, sctp chunk NAME FIELD match ("sctp"
 * is read, "chunk" is next): an exthdr load (op sctp) of the first chunk
 * of that type.  nft adds no dependency (the kernel looks for chunks in
 * SCTP packets only) and has no writes of chunks.
 */
static int stmt_sctp_chunk(struct parser *p, struct rule *r)
{
	const struct nftl_sel *s;
	const struct tok *t, *u;
	char proto[40];
	unsigned type;
	int rc;

	next(p); /* "chunk" */
	t = next(p);
	if (t->kind != T_IDENT || !nftl_sctp_chunk(t->s, &type))
		return unexpected(p, t, "an SCTP chunk type");
	u = next(p);
	if (is_ident(u, "exists") || is_ident(u, "missing")) {
		uint8_t b = is_ident(u, "exists");
		if ((rc = e_exthdr_l4(p, r, "sctp", false, type, 0, 1,
				      true)) < 0)
			return rc;
		return e_cmp(p, r, "eq", &b, 1);
	}
	if (u->kind != T_IDENT)
		return unexpected(p, u, "exists, missing or a field");
	snprintf(proto, sizeof(proto), "sctp chunk %s", t->s);
	s = nftl_sel_find(proto, u->s);
	if (!s || s->kind != SEL_EXTHDR)
		return perror_at(p, u, "unknown field of sctp chunk %s: %s",
				 t->s, u->s);
	if ((rc = match_only(p, s, "SCTP chunk")) < 0)
		return rc;
	return parse_match(p, r, s, u);
}

/* rt mtu|classid|ip nexthop|ip6 nexthop|nexthop MATCH ("rt" is read):
 * the route's values, no dependency (nft adds none). */
static int stmt_rt(struct parser *p, struct rule *r, const struct tok *at)
{
	const struct tok *t = next(p);
	const char *proto = "rt", *field;

	if (is_ident(t, "ip") || is_ident(t, "ip6")) {
		proto = t->s[2] ? "rt ip6" : "rt ip";
		const struct tok *u = next(p);
		if (!is_ident(u, "nexthop"))
			return unexpected(p, u, "nexthop");
		field = "nexthop";
	} else if (is_ident(t, "nexthop")) {
		/* nft's own family names it in ip and ip6 tables */
		if (p->family != F_IP && p->family != F_IP6)
			return perror_at(p, t, "rt nexthop: write rt ip "
					       "nexthop or rt ip6 nexthop");
		proto = p->family == F_IP ? "rt ip" : "rt ip6";
		field = "nexthop";
	} else if (is_ident(t, "mtu") || is_ident(t, "classid") ||
		   is_ident(t, "ipsec")) {
		field = t->s;
	} else {
		return unexpected(p, t,
				  "mtu, classid, ipsec, ip, ip6 or nexthop");
	}
	if (streq(field, "nexthop")) {
		bool v6 = streq(proto, "rt ip6");
		if (p->family != F_IP && p->family != F_IP6 &&
		    p->family != F_INET)
			return perror_at(p, at, "rt nexthop in a table of "
						"family %s",
					 nftl_fam_names[p->family]);
		if ((p->family == F_IP && v6) || (p->family == F_IP6 && !v6))
			return perror_at(p, at, "%s nexthop never matches "
						"in a table of family %s",
					 proto, nftl_fam_names[p->family]);
	}
	const struct nftl_sel *s = nftl_sel_find(proto, field);
	if (!s)
		return perror_at(p, t, "unsupported feature: %s %s", proto,
				 field);
	if (is_punct(peek(p), '.'))
		return perror_at(p, peek(p), "unsupported feature: rt in a "
					     "concatenation");
	if (is_ident(peek(p), "set"))
		return perror_at(p, peek(p), "%s %s cannot be set", proto,
				 field);
	return parse_match(p, r, s, at);
}

/* ---- IPv6 extension headers ------------------------------------------------ */

/*
 * What nft 1.0.6 checks before an IPv6 extension header: that the packet
 * is IPv6 - nothing in an ip6 table, meta nfproto in inet, meta protocol
 * in netdev, the Ethernet type in a bridge - unless a match before said
 * so.  nft puts the check at the start of the rule, not before the
 * statement; in an ip or arp table, or after an IPv4 or ARP match, it
 * refuses the header.
 */
static int dep_exthdr_ip(struct parser *p, struct rule *r,
			 const struct tok *at, bool v6)
{
	static const uint8_t v6_type[2] = { 0x86, 0xdd };
	static const uint8_t v4_type[2] = { 0x08, 0x00 };
	int nfproto = v6 ? 10 : 2, et = v6 ? 0x86dd : 0x0800;
	uint32_t before = r->exprs.len;
	int rc;

	switch (p->family) {
	case F_IP6:
	case F_IP:
		if ((p->family == F_IP6) == v6)
			return 0;
		return perror_at(p, at, "cannot use exthdr with %s",
				 nftl_fam_names[p->family]);
	case F_INET:
		if (r->nfproto == nfproto)
			return 0;
		if (r->nfproto >= 0)
			return perror_at(p, at, "cannot use exthdr with %s",
					 v6 ? "ip" : "ip6");
		break;
	case F_BRIDGE:
	case F_NETDEV:
		if (r->ethproto == et)
			return 0;
		if (r->ethproto >= 0)
			return perror_at(p, at, "cannot use exthdr with %s",
					 r->ethproto == 0x0806 ? "arp"
					 : v6		       ? "ip"
							       : "ip6");
		break;
	default:
		return perror_at(p, at, "cannot use exthdr with %s",
				 nftl_fam_names[p->family]);
	}
	/* nft checks the outer Ethernet type there, which a tag hides */
	if (r->vlan)
		return perror_at(p, at, "unsupported feature: %s behind a "
					"VLAN tag (write vlan type %s first)",
				 v6 ? "an IPv6 extension header"
				    : "an IPv4 option",
				 v6 ? "ip6" : "ip");
	if (p->family == F_INET) {
		uint8_t b = (uint8_t)nfproto;
		if ((rc = e_load(p, r, "meta", "nfproto", 1)) < 0 ||
		    (rc = e_cmp(p, r, "eq", &b, 1)) < 0)
			return rc;
		r->nfproto = nfproto;
	} else {
		rc = p->family == F_BRIDGE ? e_payload(p, r, 0, 12, 2)
					   : e_load(p, r, "meta", "protocol", 1);
		if (rc < 0 ||
		    (rc = e_cmp(p, r, "eq", v6 ? v6_type : v4_type, 2)) < 0)
			return rc;
		r->ethproto = et;
	}
	if (before == 0)
		return 0;
	/* the two just added go first, as in reject_dep() */
	struct linx_value out = linx_value_list();
	for (uint32_t i = 0; i < r->exprs.len; i++)
		linx_list_push(&out, &r->exprs.items[(before + i) %
						      r->exprs.len]);
	linx_value_clear(&r->exprs);
	r->exprs = out;
	return linx_value_status(&r->exprs) < 0 ? nomem(p) : 0;
}

/* `rt0 addr[N]`, `srh sid[N]` ("addr" or "sid" is read): the field's
 * name with its index, which nft 1.0.6 takes as 1 or 2 only (past that
 * it fails or crashes). */
static int exthdr6_index(struct parser *p, const struct tok *at,
			 const struct tok *ft, char *field, size_t n)
{
	const struct tok *t;
	int rc;

	if (!accept_punct(p, '['))
		return perror_at(p, ft, "%s %s needs an index: %s[1] or "
					"%s[2]",
				 at->s, ft->s, ft->s, ft->s);
	t = next(p);
	if (t->kind != T_INT)
		return unexpected(p, t, "an index (1 or 2)");
	if (t->u < 1 || t->u > 2)
		return perror_at(p, t, "%s %s index out of range: %llu (1 or "
				       "2)",
				 at->s, ft->s, (unsigned long long)t->u);
	if ((rc = expect_punct(p, ']')) < 0)
		return rc;
	snprintf(field, n, "%s[%u]", ft->s, (unsigned)t->u);
	return 0;
}

/*
 * IPv6 extension headers (the first word is read, at `at`): `exthdr
 * hbh|rt|frag|dst|mh exists|missing`, whether the packet has one, or
 * HEADER FIELD MATCH; each an exthdr load (op ipv6) of the first header
 * of that type.  No writes: nft 1.0.6 has no syntax for them.
 */
static int stmt_exthdr6(struct parser *p, struct rule *r, const struct tok *at)
{
	const struct nftl_sel *s;
	const struct tok *t;
	char field[16];
	unsigned type;
	int rc;

	if (is_ident(at, "exthdr")) {
		t = next(p);
		if (t->kind != T_IDENT || !nftl_exthdr6_type(t->s, &type))
			return unexpected(p, t, "hbh, rt, frag, dst or mh");
		t = next(p);
		if (!is_ident(t, "exists") && !is_ident(t, "missing"))
			return unexpected(p, t, "exists or missing");
		uint8_t b = is_ident(t, "exists");
		if ((rc = dep_exthdr_ip(p, r, at, true)) < 0 ||
		    (rc = e_exthdr_ip(p, r, true, type, 0, 1, true)) < 0)
			return rc;
		return e_cmp(p, r, "eq", &b, 1);
	}
	if (is_ident(at, "rt2"))
		return perror_at(p, at, "unsupported feature: rt2 (nft 1.0.6 "
					"cannot compile its address)");
	t = next(p);
	if (t->kind != T_IDENT)
		return unexpected(p, t, "a field");
	if ((is_ident(at, "rt0") && streq(t->s, "addr")) ||
	    (is_ident(at, "srh") && streq(t->s, "sid"))) {
		if ((rc = exthdr6_index(p, at, t, field, sizeof(field))) < 0)
			return rc;
	} else {
		snprintf(field, sizeof(field), "%s", t->s);
	}
	s = nftl_sel_find(at->s, field);
	if (!s || s->kind != SEL_EXTHDR6)
		return perror_at(p, t, "unknown field of %s: %s", at->s,
				 t->s);
	const struct tok *u = peek(p);
	if (is_punct(u, '.'))
		return perror_at(p, u, "unsupported feature: IPv6 extension "
				       "header fields in a concatenation");
	if (is_ident(u, "set"))
		return perror_at(p, u, "%s %s cannot be set", s->proto,
				 s->field);
	/* nft 1.0.6 lists neither back: "frag unknown & 255" */
	if (is_punct(u, '&') || is_ident(u, "and"))
		return perror_at(p, u, "unsupported feature: masking %s %s",
				 s->proto, s->field);
	if (s->bits && is_ident(u, "vmap"))
		return perror_at(p, u, "unsupported feature: a verdict map "
				       "of %s %s",
				 s->proto, s->field);
	if ((rc = dep_exthdr_ip(p, r, at, true)) < 0)
		return rc;
	return parse_match(p, r, s, at);
}

/*
 * IPv4 options ("ip" is read, at `at`; "option" is next): `ip option
 * lsrr|rr|ssrr|ra exists|missing`, whether the packet carries one, or
 * `ip option NAME FIELD MATCH`; each an exthdr load (op ipv4) of the
 * first option of that type, after the IPv4 check an IPv6 extension
 * header would have (dep_exthdr_ip()).  No writes: the kernel refuses
 * them (EOPNOTSUPP).
 */
static int stmt_ipopt(struct parser *p, struct rule *r, const struct tok *at)
{
	const struct nftl_sel *s;
	const struct tok *t, *u;
	char proto[24];
	unsigned type;
	int rc;

	next(p); /* "option" */
	t = next(p);
	if (t->kind != T_IDENT || !nftl_ipopt_type(t->s, &type))
		return unexpected(p, t, "lsrr, rr, ssrr or ra");
	u = next(p);
	if (is_ident(u, "exists") || is_ident(u, "missing")) {
		uint8_t b = is_ident(u, "exists");
		if ((rc = dep_exthdr_ip(p, r, at, false)) < 0 ||
		    (rc = e_exthdr_ip(p, r, false, type, 0, 1, true)) < 0)
			return rc;
		return e_cmp(p, r, "eq", &b, 1);
	}
	if (u->kind != T_IDENT)
		return unexpected(p, u, "exists, missing or a field");
	snprintf(proto, sizeof(proto), "ip option %s", t->s);
	s = nftl_sel_find(proto, u->s);
	if (!s || s->kind != SEL_EXTHDR4)
		return perror_at(p, u, "unknown field of ip option %s: %s",
				 t->s, u->s);
	if ((rc = match_only(p, s, "IPv4 option")) < 0 ||
	    (rc = dep_exthdr_ip(p, r, at, false)) < 0)
		return rc;
	return parse_match(p, r, s, at);
}

/* ---- socket, osf, tproxy, synproxy ---------------------------------------- */

/* What may follow a socket or osf selector: a match, not a set or a
 * concatenation (their loads go to register 1 only). */
static int plain_match(struct parser *p, struct rule *r,
		       const struct nftl_sel *s, const struct tok *at)
{
	if (is_punct(peek(p), '.'))
		return perror_at(p, peek(p), "unsupported feature: %s in a "
					     "concatenation",
				 s->kind == SEL_XFRM ? "ipsec" : s->proto);
	if (is_ident(peek(p), "set"))
		return perror_at(p, peek(p), "%s %s cannot be set", s->proto,
				 s->field);
	return parse_match(p, r, s, at);
}

/* socket transparent|mark|wildcard MATCH ("socket" is read): the
 * packet's local socket; nft adds no dependency. */
static int stmt_socket(struct parser *p, struct rule *r, const struct tok *at)
{
	const struct tok *t = next(p);
	const struct nftl_sel *s;

	if (is_ident(t, "cgroupv2"))
		return perror_at(p, t, "unsupported feature: socket cgroupv2");
	s = t->kind == T_IDENT ? nftl_sel_find("socket", t->s) : NULL;
	if (!s)
		return unexpected(p, t, "transparent, mark or wildcard");
	return plain_match(p, r, s, at);
}

/* ipsec in|out [spnum N] reqid|spi|ip saddr|ip daddr|ip6 saddr|ip6 daddr
 * MATCH ("ipsec" is read): the IPsec state the packet came in with or
 * goes out through; no dependency, as nft (an IPv4 key of an IPv6
 * state does not match). */
static int stmt_ipsec(struct parser *p, struct rule *r, const struct tok *at)
{
	const struct tok *dir = next(p), *t;
	char proto[24], field[16];
	uint64_t n = 0;

	if (!is_ident(dir, "in") && !is_ident(dir, "out"))
		return unexpected(p, dir, "in or out");
	if (accept_ident(p, "spnum")) {
		t = next(p);
		if (t->kind != T_INT)
			return unexpected(p, t, "a state's index (spnum)");
		if (t->u > 5)
			return perror_at(p, t, "spnum %llu: a packet has at "
					       "most 6 IPsec states, 0 to 5",
					 (unsigned long long)t->u);
		n = t->u;
	}
	if (n)
		snprintf(proto, sizeof(proto), "ipsec %s spnum %u", dir->s,
			 (unsigned)n);
	else
		snprintf(proto, sizeof(proto), "ipsec %s", dir->s);
	t = next(p);
	if (is_ident(t, "ip") || is_ident(t, "ip6")) {
		const struct tok *u = next(p);
		if (!is_ident(u, "saddr") && !is_ident(u, "daddr"))
			return unexpected(p, u, "saddr or daddr");
		snprintf(field, sizeof(field), "%s %s", t->s, u->s);
	} else if (is_ident(t, "reqid") || is_ident(t, "spi")) {
		snprintf(field, sizeof(field), "%s", t->s);
	} else {
		return unexpected(p, t, "reqid, spi, ip or ip6");
	}
	return plain_match(p, r, nftl_sel_find(proto, field), at);
}

/* osf [ttl loose|skip] name|version MATCH ("osf" is read). */
static int stmt_osf(struct parser *p, struct rule *r, const struct tok *at)
{
	const char *proto = "osf";
	const struct tok *t;

	if (accept_ident(p, "ttl")) {
		t = next(p);
		if (is_ident(t, "loose"))
			proto = "osf ttl loose";
		else if (is_ident(t, "skip"))
			proto = "osf ttl skip";
		else
			return unexpected(p, t, "loose or skip");
	}
	t = next(p);
	if (!is_ident(t, "name") && !is_ident(t, "version"))
		return unexpected(p, t, "name or version");
	const struct nftl_sel *s = nftl_sel_find(proto, t->s);
	if (!s)
		return unexpected(p, t, "name or version");
	return plain_match(p, r, s, at);
}

/* The tproxy's target family: the table's, or in inet the one written
 * (none for a port alone), agreeing with the network protocol the rule
 * matched, as nft checks. */
static int tproxy_family(struct parser *p, struct rule *r,
			 const struct tok *at, int *fam)
{
	if (p->family != F_IP && p->family != F_IP6 && p->family != F_INET)
		return perror_at(p, at, "tproxy is not available in %s tables",
				 nftl_fam_names[p->family]);
	if (r->l4 < 0 && !r->l4seen)
		return perror_at(p, at, "tproxy needs a transport protocol "
					"match first (meta l4proto tcp)");
	if (p->family != F_INET) {
		if (*fam >= 0 && *fam != p->family)
			return perror_at(p, at, "tproxy %s in an %s table",
					 nftl_fam_names[*fam],
					 nftl_fam_names[p->family]);
		*fam = p->family;
		return 0;
	}
	if (r->nfproto >= 0 &&
	    (*fam < 0 || (*fam == F_IP) != (r->nfproto == 2)))
		return perror_at(p, at, "tproxy: the rule matched %s "
					"packets: write tproxy %s to ...",
				 r->nfproto == 2 ? "ip" : "ip6",
				 r->nfproto == 2 ? "ip" : "ip6");
	return 0;
}

/* tproxy [ip|ip6] to ADDR[:PORT] | to :PORT ("tproxy" is read): the
 * address into register 1, the port into the next, as nft allocates. */
static int stmt_tproxy(struct parser *p, struct rule *r, const struct tok *at)
{
	struct linx_value e = linx_value_map();
	int fam = -1, rc;
	unsigned reg = 1;

	if (accept_ident(p, "ip"))
		fam = F_IP;
	else if (accept_ident(p, "ip6"))
		fam = F_IP6;
	if (!is_ident(peek(p), "to"))
		return unexpected(p, peek(p), "to");
	next(p);
	if ((rc = tproxy_family(p, r, at, &fam)) < 0)
		return rc;
	linx_map_put_cstring(&e, "expr", "tproxy");
	linx_map_put_cstring(&e, "family", fam < 0 ? "unspec" : nftl_fam_names[fam]);
	if (!is_punct(peek(p), ':')) {
		bool v6 = fam == F_IP6, br;
		struct val a;
		if (fam < 0) {
			rc = perror_at(p, at, "tproxy to an address in an inet "
					      "table needs ip or ip6 (tproxy ip "
					      "to ...)");
			goto fail;
		}
		br = v6 && accept_punct(p, '[');
		if ((rc = parse_value(p, v6 ? DT_IPV6 : DT_IPV4, v6 ? 16 : 4,
				      &a)) < 0)
			goto fail;
		linx_value_clear(&a.elem);
		if (a.plen >= 0 || is_punct(peek(p), '-')) {
			rc = perror_at(p, p->last, "tproxy takes one address, "
						   "not a prefix or a range");
			goto fail;
		}
		if (br && (rc = expect_punct(p, ']')) < 0)
			goto fail;
		if ((rc = e_imm(p, r, reg, a.b, v6 ? 16 : 4)) < 0)
			goto fail;
		linx_map_put_int(&e, "reg_addr", reg++);
		if (!is_punct(peek(p), ':'))
			return push_expr(p, r, &e);
	}
	next(p); /* ':' */
	struct val port;
	if ((rc = parse_value(p, DT_SERVICE, 2, &port)) < 0)
		goto fail;
	linx_value_clear(&port.elem);
	if (is_punct(peek(p), '-')) {
		rc = perror_at(p, peek(p), "tproxy takes one port, not a range");
		goto fail;
	}
	if ((rc = e_imm(p, r, reg, port.b, 2)) < 0)
		goto fail;
	linx_map_put_int(&e, "reg_port", reg);
	return push_expr(p, r, &e);
fail:
	linx_value_clear(&e);
	return rc;
}

/* synproxy [mss N] [wscale N] [timestamp] [sack-perm], in any order
 * ("synproxy" is read): every attribute given, as nft sends them, the
 * flags saying which options the SYN-ACK carries. */
static int stmt_synproxy(struct parser *p, struct rule *r)
{
	static const char *const names[] = { "mss", "wscale", "sack_perm",
					     "timestamp" };
	uint64_t mss = 0, ws = 0;
	unsigned fl = 0;
	int rc;

	if (accept_ident(p, "name"))
		return stmt_objref(p, r, "synproxy");
	if (is_ident(peek(p), "map"))
		return perror_at(p, peek(p), "unsupported feature: synproxy "
					     "map");
	for (;;) {
		const struct tok *t = peek(p);
		unsigned bit;
		if (is_ident(t, "mss"))
			bit = 1;
		else if (is_ident(t, "wscale"))
			bit = 2;
		else if (is_ident(t, "sack-perm"))
			bit = 4;
		else if (is_ident(t, "timestamp"))
			bit = 8;
		else
			break;
		if (fl & bit)
			return perror_at(p, t, "synproxy %s given twice", t->s);
		next(p);
		fl |= bit;
		/* nft truncates larger values to the attribute's width */
		if (bit == 1 && (rc = expect_uint(p, 65535, &mss, "mss")) < 0)
			return rc;
		if (bit == 2 && (rc = expect_uint(p, 255, &ws, "wscale")) < 0)
			return rc;
	}
	struct linx_value e = linx_value_map(), f = linx_value_list();
	for (unsigned i = 0; i < 4; i++)
		if (fl & (1u << i))
			linx_list_push_cstring(&f, names[i]);
	linx_map_put_cstring(&e, "expr", "synproxy");
	linx_map_put_int(&e, "mss", mss);
	linx_map_put_int(&e, "wscale", ws);
	linx_map_put(&e, "flags", &f);
	return push_expr(p, r, &e);
}

/* ---- dup, fwd ---------------------------------------------------------------- */

/* An address of `v6`'s family into *v (no prefix). */
static int dup_addr(struct parser *p, bool v6, struct val *v)
{
	const struct tok *t = peek(p);
	int rc = parse_value(p, v6 ? DT_IPV6 : DT_IPV4, v6 ? 16 : 4, v);

	if (rc == 0 && v->plen >= 0) {
		linx_value_clear(&v->elem);
		return perror_at(p, t, "an address, not a prefix");
	}
	return rc;
}

/* An interface (a name, resolved as iif's are, or an index) into *v. */
static int dup_dev(struct parser *p, struct val *v)
{
	const struct tok *t = peek(p);

	if (t->kind != T_STRING && t->kind != T_INT && t->kind != T_IDENT)
		return unexpected(p, t, "an interface");
	return parse_value(p, DT_IFINDEX, 4, v);
}

/* `fwd to DEV` and `fwd ip|ip6 to ADDR device DEV` (netdev tables),
 * `dup to DEV` (netdev) and `dup to ADDR [device DEV]` (ip, ip6): the
 * values into the registers nft 1.0.6 uses (fwd: the device in 1, the
 * address in 2; dup: the address first), then the expression. */
static int stmt_dup_fwd(struct parser *p, struct rule *r, const struct tok *at)
{
	bool fwd = streq(at->s, "fwd"), v6 = p->family == F_IP6;
	struct val dev = { .plen = -1 }, addr = { .plen = -1 };
	bool have_addr = false, have_dev = false;
	int nfproto = 0, rc;

	if (fwd && p->family != F_NETDEV)
		return perror_at(p, at, "fwd is only available in netdev "
					"tables");
	if (!fwd && p->family != F_NETDEV && p->family != F_IP &&
	    p->family != F_IP6)
		return perror_at(p, at, "unsupported feature: dup in an %s "
					"table",
				 nftl_fam_names[p->family]);
	if (fwd && (is_ident(peek(p), "ip") || is_ident(peek(p), "ip6"))) {
		v6 = streq(next(p)->s, "ip6");
		nfproto = v6 ? 10 : 2;
	}
	if (!accept_ident(p, "to"))
		return unexpected(p, peek(p), "to");
	if (nfproto || (!fwd && p->family != F_NETDEV)) {
		if ((rc = dup_addr(p, v6, &addr)) < 0)
			return rc;
		have_addr = true;
		if (accept_ident(p, "device")) {
			if ((rc = dup_dev(p, &dev)) < 0)
				goto out;
			have_dev = true;
		} else if (nfproto) {
			rc = unexpected(p, peek(p), "device");
			goto out;
		}
	} else {
		if ((rc = dup_dev(p, &dev)) < 0)
			return rc;
		have_dev = true;
	}
	/* the register order of nft's bytecode */
	unsigned rdev = have_dev ? (fwd || !have_addr ? 1 : 2) : 0;
	unsigned raddr = have_addr ? (fwd ? 2 : 1) : 0;
	for (unsigned reg = 1; reg <= 2; reg++) {
		if (reg == rdev)
			rc = e_imm(p, r, reg, dev.b, 4);
		else if (reg == raddr)
			rc = e_imm(p, r, reg, addr.b, v6 ? 16 : 4);
		if (rc < 0)
			goto out;
	}
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", fwd ? "fwd" : "dup");
	if (raddr)
		linx_map_put_int(&e, "sreg_addr", raddr);
	if (rdev)
		linx_map_put_int(&e, "sreg_dev", rdev);
	if (nfproto)
		linx_map_put_cstring(&e, "nfproto", v6 ? "ip6" : "ip");
	rc = push_expr(p, r, &e);
out:
	linx_value_clear(&dev.elem);
	linx_value_clear(&addr.elem);
	return rc;
}

/* ---- numgen, jhash, symhash ------------------------------------------------ */

/* What a generator's result is matched or set as: nft's 32-bit integer
 * in host order (DT_HINT), computed into register 1 before the match. */
static const struct nftl_sel gen_sels[] = {
	{ "numgen", "", SEL_GEN, 0, 0, 4, DT_HINT, "", 0, 0, 0 },
	{ "jhash", "", SEL_GEN, 0, 0, 4, DT_HINT, "", 0, 0, 0 },
	{ "symhash", "", SEL_GEN, 0, 0, 4, DT_HINT, "", 0, 0, 0 },
};

static const struct nftl_sel *gen_sel(const struct tok *t)
{
	for (size_t i = 0; i < 3 && t->kind == T_IDENT; i++)
		if (streq(t->s, gen_sels[i].proto))
			return &gen_sels[i];
	return NULL;
}

struct gen_args {
	uint64_t mod, seed, offset;
	bool has_seed;
};

/* A number of `numgen`/`jhash`: nft's grammar takes a literal there,
 * not a $define ("unexpected '$', expecting number"). */
static int gen_num(struct parser *p, const struct tok **t, uint64_t *ret,
		   const char *what)
{
	size_t depth = p->n_src;

	*t = peek(p);
	if (p->n_src > depth) {
		/* point at the $name, the token before the expansion */
		const struct src *sr = &p->src[depth - 1];
		return perror_at(p, &sr->v[sr->i - 1], "syntax error, "
				 "unexpected '$', expecting number");
	}
	return expect_uint(p, UINT32_MAX, ret, what);
}

/* mod N [seed S] [offset M], in nft's order.  The kernel wants N >= 1
 * and the largest result, M + N - 1, within 32 bits (nft passes both
 * on and reports its ERANGE and EOVERFLOW); nft cuts a seed past 32
 * bits silently, we refuse it. */
static int gen_mod(struct parser *p, bool seed, struct gen_args *a)
{
	const struct tok *t = peek(p);
	int rc;

	if (!accept_ident(p, "mod"))
		return unexpected(p, t, "mod");
	if ((rc = gen_num(p, &t, &a->mod, "the modulus")) < 0)
		return rc;
	if (a->mod == 0)
		return perror_at(p, t, "mod 0: the modulus is at least 1");
	if (seed && accept_ident(p, "seed")) {
		if ((rc = gen_num(p, &t, &a->seed, "the seed")) < 0)
			return rc;
		a->has_seed = true;
	}
	if (accept_ident(p, "offset")) {
		if ((rc = gen_num(p, &t, &a->offset, "the offset")) < 0)
			return rc;
		if (a->offset + a->mod - 1 > UINT32_MAX)
			return perror_at(p, t, "offset %llu + mod %llu goes "
					       "past 32 bits",
					 (unsigned long long)a->offset,
					 (unsigned long long)a->mod);
	}
	p->gen_max = a->offset + a->mod - 1;
	return 0;
}

/* numgen inc|random mod N [offset M] into register 1 */
static int gen_numgen(struct parser *p, struct rule *r, unsigned reg)
{
	struct gen_args a = { 0 };
	const struct tok *t = next(p);
	int rc;

	if (!is_ident(t, "inc") && !is_ident(t, "random"))
		return unexpected(p, t, "inc or random");
	if ((rc = gen_mod(p, false, &a)) < 0)
		return rc;
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "numgen");
	linx_map_put_int(&e, "dreg", reg);
	linx_map_put_int(&e, "modulus", (int64_t)a.mod);
	linx_map_put_cstring(&e, "type", t->s);
	linx_map_put_int(&e, "offset", (int64_t)a.offset);
	return push_expr(p, r, &e);
}

/*
 * jhash SEL [. SEL ...] mod N [seed S] [offset M] | symhash mod N
 * [offset M], into register 1.  jhash's input is loaded as nft loads it:
 * the selectors' dependencies, then the loads from register 2 in 4-byte
 * slots (load_key), hashing the padded slots of a concatenation or the
 * one field's own length.  nft's registers end 48 bytes after register 2
 * (it aborts past them).
 */
static int gen_hash(struct parser *p, struct rule *r, bool sym)
{
	const struct nftl_sel *sel[CONCAT_MAX];
	const struct tok *ats[CONCAT_MAX];
	struct gen_args a = { 0 };
	unsigned n = 0, slots = 0, len = 0;
	int rc;

	if (!sym) {
		do {
			const struct tok *t = peek(p);
			if (n == CONCAT_MAX)
				return perror_at(p, t, "a concatenation has at "
						       "most %d components",
						 CONCAT_MAX);
			if ((rc = parse_selector(p, &sel[n])) < 0)
				return rc;
			ats[n] = t;
			slots += (sel[n]->len + 3u) / 4;
			if (slots > 12)
				return perror_at(p, t, "jhash takes at most 48 "
						       "bytes");
			n++;
		} while (accept_punct(p, '.'));
		len = n == 1 ? sel[0]->len : slots * 4;
	}
	if ((rc = gen_mod(p, !sym, &a)) < 0)
		return rc;
	if (!sym && (rc = load_key(p, r, sel, ats, n, 4, NULL, &slots)) < 0)
		return rc;
	struct linx_value e = linx_value_map();
	linx_map_put_cstring(&e, "expr", "hash");
	if (!sym)
		linx_map_put_int(&e, "sreg", 2);
	linx_map_put_int(&e, "dreg", 1);
	if (!sym)
		linx_map_put_int(&e, "len", len);
	linx_map_put_int(&e, "modulus", (int64_t)a.mod);
	if (a.has_seed)
		linx_map_put_int(&e, "seed", (int64_t)a.seed);
	linx_map_put_int(&e, "offset", (int64_t)a.offset);
	linx_map_put_cstring(&e, "type", sym ? "symhash" : "jhash");
	return push_expr(p, r, &e);
}

/* A generator named by `t` (just read) into register 1. */
static int gen_expr(struct parser *p, struct rule *r, const struct tok *t)
{
	if (streq(t->s, "numgen"))
		return gen_numgen(p, r, 1);
	return gen_hash(p, r, streq(t->s, "symhash"));
}

/* A rule up to the end of the statement (or '}', which is left). */
/* `ct original|reply [ip|ip6] KEY` after the direction (`ct` the
 * token that began it): its selector.  A bare saddr/daddr is the
 * table's address family, as in nft. */
static int ct_dir_sel(struct parser *p, const struct tok *ct,
		      const char *dir, const struct nftl_sel **ret)
{
	const struct tok *k = next(p);
	char proto[24];

	if (k->kind != T_IDENT)
		return unexpected(p, k, "a ct key");
	snprintf(proto, sizeof(proto), "ct %s", dir);
	if (streq(k->s, "ip") || streq(k->s, "ip6")) {
		bool v6 = streq(k->s, "ip6");
		if ((p->family == F_IP && v6) || (p->family == F_IP6 && !v6))
			return perror_at(p, ct, "conflicting protocols "
						"specified: %s vs. %s",
					 nftl_fam_names[p->family], k->s);
		snprintf(proto, sizeof(proto), "ct %s %s", dir, k->s);
		k = next(p);
		if (k->kind != T_IDENT)
			return unexpected(p, k, "saddr or daddr");
	}
	for (size_t i = 0; i < nftl_n_sels; i++) {
		const struct nftl_sel *s = &nftl_sels[i];
		bool addr = s->dtype == DT_IPV4 || s->dtype == DT_IPV6;

		if (s->kind != SEL_CT || !streq(s->proto, proto) ||
		    !streq(s->field, k->s))
			continue;
		if (addr && !strchr(proto + 3, ' ')) {
			if (p->family != F_IP && p->family != F_IP6)
				return perror_at(p, k, "%s %s needs an ip or "
						       "ip6 table: write %s "
						       "ip %s",
						 proto, k->s, proto, k->s);
			if ((s->dtype == DT_IPV6) != (p->family == F_IP6))
				continue;
		}
		*ret = s;
		return 0;
	}
	return perror_at(p, k, "unsupported feature: %s %s", proto, k->s);
}

/*
 * A raw payload expression, `@nh,OFF,LEN` (`at`, not read yet), as a
 * match or as the target of `set`: its selector (nftl_raw_sel()) goes
 * through the same matches and writes as a named field, with no
 * dependency (nft adds none).
 */
static int stmt_raw(struct parser *p, struct rule *r, const struct tok *at)
{
	const struct nftl_sel *s;
	int rc;

	if ((rc = raw_sel(p, &s)) < 0)
		return rc;
	if (is_punct(peek(p), '.')) {
		/* `@th,0,16 . ip saddr { ... }`, `@nh,64,8 . ip saddr`:
		 * a key of typed components, raw ones in whole bytes */
		if (s->proto[0] == '@' && s->bits)
			return raw_bits_in_concat(p, at);
		return parse_concat(p, r, s, at);
	}
	if (accept_ident(p, "set"))
		return payload_set(p, r, s, at);
	uint32_t ld = r->exprs.len; /* no dependency: the load is next */
	if (ld < 1024 && s->proto[0] == '@' && !s->bits)
		r->raw[ld / 64] |= 1ull << (ld % 64);
	return parse_match(p, r, s, at);
}

/* Whether exprs[at] and exprs[at + 1], the last two, are a match on the
 * table's own network protocol: `meta protocol ip` in an ip table,
 * `meta protocol ip6` in an ip6 one. */
static bool own_protocol_match(const struct parser *p, const struct rule *r,
			       uint32_t at)
{
	const struct linx_value *ld, *cmp, *d, *x[4];
	unsigned want;

	if (p->family == F_IP)
		want = 0x0800;
	else if (p->family == F_IP6)
		want = 0x86dd;
	else
		return false;
	if (r->exprs.len != at + 2)
		return false;
	ld = &r->exprs.items[at];
	cmp = &r->exprs.items[at + 1];
	if (ld->type != LINX_MAP || cmp->type != LINX_MAP)
		return false;
	x[0] = linx_map_get(ld, "expr");
	x[1] = linx_map_get(ld, "key");
	x[2] = linx_map_get(cmp, "expr");
	x[3] = linx_map_get(cmp, "op");
	for (int i = 0; i < 4; i++)
		if (!x[i] || x[i]->type != LINX_STRING)
			return false;
	d = linx_map_get(cmp, "data");
	return streq(x[0]->str, "meta") && streq(x[1]->str, "protocol") &&
	       streq(x[2]->str, "cmp") && streq(x[3]->str, "eq") && d &&
	       d->type == LINX_BYTES && d->len == 2 &&
	       (unsigned)(d->bytes[0] << 8 | d->bytes[1]) == want;
}

static int parse_rule(struct parser *p, struct linx_value *out)
{
	struct rule r = { .exprs = linx_value_list(), .l4 = -1,
			  .nfproto = -1, .ethproto = -1,
			  .icmp = NFTL_ICMP_ANY };
	int rc = 0;
	uint32_t prev = UINT32_MAX; /* where the last statement's exprs start */

	for (;;) {
		const struct tok *t = peek(p);

		if (t->kind == T_SEP || t->kind == T_EOF || is_punct(t, '}'))
			break;
		/* nft drops a match on the table's own network protocol
		 * when another statement follows it (the family makes it
		 * true); last in its rule, it stays (1.0.6 and 1.1 alike) */
		if (prev != UINT32_MAX && !is_ident(t, "comment") &&
		    own_protocol_match(p, &r, prev)) {
			linx_value_clear(&r.exprs.items[--r.exprs.len]);
			linx_value_clear(&r.exprs.items[--r.exprs.len]);
		}
		prev = r.exprs.len;
		if (r.verdict && !is_ident(t, "comment")) {
			rc = perror_at(p, t, "statement after a verdict");
			break;
		}
		if (t->kind == T_SETREF && peek_after(p) &&
		    is_punct(peek_after(p), ',')) {
			rc = stmt_raw(p, &r, t);
			if (rc < 0)
				break;
			continue;
		}
		if (t->kind != T_IDENT) {
			rc = unexpected(p, t, "a statement");
			break;
		}
		const char *w = t->s;
		if (is_verdict_word(w)) {
			struct linx_value v;
			if ((rc = parse_verdict(p, &v)) < 0)
				break;
			r.verdict = true;
			if ((rc = push_expr(p, &r, &v)) < 0)
				break;
			continue;
		}
		next(p);
		if (streq(w, "counter"))
			rc = stmt_counter(p, &r);
		else if (streq(w, "log"))
			rc = stmt_log(p, &r);
		else if (streq(w, "limit"))
			rc = stmt_limit(p, &r);
		else if (streq(w, "quota"))
			rc = stmt_quota(p, &r);
		else if (streq(w, "dnat") || streq(w, "snat"))
			rc = stmt_nat(p, &r, w, t);
		else if (streq(w, "masquerade"))
			rc = stmt_masq_redir(p, &r, "masq");
		else if (streq(w, "redirect"))
			rc = stmt_masq_redir(p, &r, "redir");
		else if (streq(w, "reject"))
			rc = stmt_reject(p, &r, t);
		else if (streq(w, "queue"))
			rc = stmt_queue(p, &r);
		else if (streq(w, "fib"))
			rc = stmt_fib(p, &r);
		else if (streq(w, "meter"))
			rc = stmt_meter(p, &r);
		else if (streq(w, "tcp") && is_ident(peek(p), "option"))
			rc = stmt_tcpopt(p, &r);
		else if (streq(w, "ip") && is_ident(peek(p), "option"))
			rc = stmt_ipopt(p, &r, t);
		else if (streq(w, "sctp") && is_ident(peek(p), "chunk"))
			rc = stmt_sctp_chunk(p, &r);
		else if (exthdr6_word(w, peek(p)))
			rc = stmt_exthdr6(p, &r, t);
		else if (streq(w, "rt"))
			rc = stmt_rt(p, &r, t);
		else if (streq(w, "socket"))
			rc = stmt_socket(p, &r, t);
		else if (streq(w, "osf"))
			rc = stmt_osf(p, &r, t);
		else if (streq(w, "ipsec"))
			rc = stmt_ipsec(p, &r, t);
		else if (streq(w, "tproxy"))
			rc = stmt_tproxy(p, &r, t);
		else if (streq(w, "synproxy"))
			rc = stmt_synproxy(p, &r);
		else if (streq(w, "dup") || streq(w, "fwd"))
			rc = stmt_dup_fwd(p, &r, t);
		else if (streq(w, "flow"))
			rc = stmt_flow(p, &r);
		else if (gen_sel(t)) {
			if ((rc = gen_expr(p, &r, t)) == 0)
				rc = parse_match(p, &r, gen_sel(t), t);
		}
		else if ((streq(w, "add") || streq(w, "update") ||
			  streq(w, "delete")) && peek(p)->kind == T_SETREF)
			rc = stmt_dynset(p, &r, w);
		else if (streq(w, "set"))
			rc = stmt_legacy_dynset(p, &r);
		else if (streq(w, "notrack")) {
			struct linx_value e = linx_value_map();
			linx_map_put_cstring(&e, "expr", "notrack");
			rc = push_expr(p, &r, &e);
		} else if (streq(w, "comment")) {
			/* as in nft, the comment ends the rule */
			rc = rule_comment(p, &r);
			const struct tok *e = peek(p);
			if (rc == 0 && e->kind != T_SEP && e->kind != T_EOF &&
			    !is_punct(e, '}'))
				rc = unexpected(p, e, "newline or semicolon");
		} else {
			const char *proto = NULL, *field = NULL;
			const struct tok *ft = t;
			if (streq(w, "meta") || streq(w, "ct") ||
			    is_payload_proto(w)) {
				ft = next(p);
				if (ft->kind != T_IDENT) {
					rc = unexpected(p, ft, "a field");
					break;
				}
				proto = w;
				field = ft->s;
				if ((rc = arp_field(p, proto, &field)) < 0)
					break;
				const char *ok = streq(w, "ct")
							 ? ct_object_kind(ft)
							 : NULL;
				/* meta secmark set "NAME" (or SEL map ...):
				 * a secmark object; `set ct secmark` copies */
				if (streq(w, "meta") && is_ident(ft, "secmark") &&
				    is_ident(peek(p), "set") && peek_after(p) &&
				    !is_ident(peek_after(p), "ct"))
					ok = "secmark";
				if (ok && accept_ident(p, "set")) {
					if ((rc = stmt_objref(p, &r, ok)) < 0)
						break;
					continue;
				}
				if (streq(w, "ct") && streq(field, "count")) {
					if ((rc = stmt_ct_count(p, &r)) < 0)
						break;
					continue;
				}
				if (streq(w, "ct") &&
				    (streq(field, "original") ||
				     streq(field, "reply"))) {
					const struct nftl_sel *ds = NULL;
					if ((rc = ct_dir_sel(p, t, field,
							      &ds)) < 0)
						break;
					/* a port's type comes from the
					 * protocol the rule established */
					if (ds->dtype == DT_SERVICE &&
					    r.l4 < 0 && !r.l4seen) {
						rc = perror_at(p, peek(p),
							       "Can't parse "
							       "symbolic invalid "
							       "expressions");
						break;
					}
					/* the kernel sets a direction's zone
					 * only (nft_ct_set_init()) */
					if (is_ident(peek(p), "set") &&
					    streq(ds->key, "zone")) {
						next(p);
						if ((rc = stmt_set(p, &r, ds)) < 0)
							break;
						continue;
					}
					if (is_ident(peek(p), "set")) {
						rc = perror_at(p, peek(p),
							       "unsupported feature: "
							       "setting ct %s keys",
							       field);
						break;
					}
					if (is_punct(peek(p), '.') ||
					    masked_concat_ahead(p))
						rc = parse_concat(p, &r, ds, t);
					else
						rc = parse_match(p, &r, ds, t);
					if (rc < 0)
						break;
					continue;
				}
				if (streq(w, "ct") && streq(field, "event") &&
				    !is_ident(peek(p), "set")) {
					rc = perror_at(p, ft, "ct event is only "
							      "set: ct event set "
							      "new,related");
					break;
				}
			} else if (unqualified_meta(w)) {
				proto = "meta";
				field = w;
			} else {
				rc = unknown_stmt(p, t);
				break;
			}
			const struct nftl_sel *s = nftl_sel_find(proto, field);
			if (!s) {
				rc = perror_at(p, ft, "unsupported feature: %s %s",
					       proto, field);
				break;
			}
			/* nft refuses it elsewhere, where it is implied */
			if (s->kind == SEL_META && streq(s->key, "nfproto") &&
			    p->family != F_INET) {
				rc = perror_at(p, t, "meta nfproto is only useful "
						     "in the inet family");
				break;
			}
			/* the kernel keeps these for the bridge family
			 * (nft_meta_bridge): EOPNOTSUPP elsewhere */
			if (s->kind == SEL_META && s->key &&
			    strncmp(s->key, "bri_", 4) == 0 &&
			    p->family != F_BRIDGE) {
				rc = perror_at(p, t, "meta %s is only in the "
						     "bridge family",
					       s->field);
				break;
			}
			if (is_punct(peek(p), '.') ||
			    (!s->bits && masked_concat_ahead(p))) {
				rc = parse_concat(p, &r, s, t);
				if (rc < 0)
					break;
				continue;
			}
			if (accept_ident(p, "set")) {
				if (s->kind == SEL_PAYLOAD)
					rc = payload_set(p, &r, s, t);
				else
					rc = stmt_set(p, &r, s);
			} else {
				rc = parse_match(p, &r, s, t);
			}
		}
		if (rc < 0)
			break;
	}
	if (rc == 0 && r.exprs.len == 0 && r.tag.type == LINX_NIL &&
	    r.comment.type == LINX_NIL)
		rc = perror_at(p, peek(p), "empty rule");
	if (rc == 0 &&
	    nftl_merge_payloads(&r.exprs, r.raw, p->family == F_IP	 ? "ip"
					  : p->family == F_IP6 ? "ip6"
							       : NULL) < 0)
		rc = nomem(p);
	if (rc < 0) {
		linx_value_clear(&r.exprs);
		linx_value_clear(&r.tag);
		linx_value_clear(&r.comment);
		return rc;
	}
	*out = linx_value_map();
	linx_map_put(out, "exprs", &r.exprs);
	if (r.tag.type != LINX_NIL)
		linx_map_put(out, "tag", &r.tag);
	if (r.comment.type != LINX_NIL)
		linx_map_put(out, "comment", &r.comment);
	return linx_value_status(out) < 0 ? nomem(p) : 0;
}

/* ---- tables, chains, sets, objects ------------------------------------------- */

static struct linx_value *cur_table(struct parser *p)
{
	return &mget(&p->rs, "tables")->items[p->table];
}

static int parse_family(struct parser *p, int *fam)
{
	const struct tok *t = peek(p);

	int f = t->kind == T_IDENT ? nftl_fam_of(t->s) : F_UNKNOWN;

	if (f != F_UNKNOWN)
		next(p);
	*fam = f != F_UNKNOWN ? f : F_IP; /* nft's default */
	return 0;
}

static int open_table(struct parser *p, int fam, const char *name)
{
	struct linx_value *tables = mlist(&p->rs, "tables");

	for (uint32_t i = 0; tables && i < tables->len; i++) {
		const struct linx_value *f = linx_map_get(&tables->items[i], "family");
		const struct linx_value *n = linx_map_get(&tables->items[i], "name");
		if (strcmp(f->str, nftl_fam_names[fam]) == 0 &&
		    strcmp(n->str, name) == 0) {
			p->table = i;
			p->family = fam;
			return 0;
		}
	}
	struct linx_value t = linx_value_map();
	linx_map_put_cstring(&t, "family", nftl_fam_names[fam]);
	linx_map_put_cstring(&t, "name", name);
	if (!tables || linx_list_push(tables, &t) < 0)
		return nomem(p);
	p->table = tables->len - 1;
	p->family = fam;
	return 0;
}

/* The entry named `name` of list `key` of the current table (created). */
static struct linx_value *table_item(struct parser *p, const char *key,
				     const char *name, bool *created)
{
	struct linx_value *l = mlist(cur_table(p), key);

	*created = false;
	if (!l)
		return NULL;
	/* Only this function adds to these lists, and never a second item of
	 * a name, so the item found last time, still there and still of that
	 * name, is the one a scan would find. */
	if (p->ti_list == l && p->ti_index < l->len) {
		const struct linx_value *n =
			linx_map_get(&l->items[p->ti_index], "name");
		if (n && n->type == LINX_STRING && strcmp(n->str, name) == 0)
			return &l->items[p->ti_index];
	}
	for (uint32_t i = 0; i < l->len; i++) {
		const struct linx_value *n = linx_map_get(&l->items[i], "name");
		if (n && n->type == LINX_STRING && strcmp(n->str, name) == 0) {
			p->ti_list = l;
			p->ti_index = i;
			return &l->items[i];
		}
	}
	struct linx_value m = linx_value_map();
	linx_map_put_cstring(&m, "name", name);
	if (linx_list_push(l, &m) < 0)
		return NULL;
	*created = true;
	p->ti_list = l;
	p->ti_index = l->len - 1;
	return &l->items[l->len - 1];
}

static int parse_priority(struct parser *p, struct linx_value *ret)
{
	const struct tok *kw = p->last; /* `priority` */
	const struct tok *t = next(p);
	bool neg = false;

	if (is_punct(t, '-')) {
		neg = true;
		t = next(p);
	}
	if (t->kind == T_INT) {
		if (t->u > INT32_MAX)
			return perror_at(p, t, "priority out of range");
		*ret = linx_value_int(neg ? -(int64_t)t->u : (int64_t)t->u);
		return 0;
	}
	if (neg || t->kind != T_IDENT)
		return unexpected(p, t, "a priority");
	static const char *const names[] = { "raw", "mangle", "dstnat",
					     "filter", "security", "srcnat",
					     "out" };
	size_t i;
	for (i = 0; i < 7; i++)
		if (strcmp(t->s, names[i]) == 0)
			break;
	if (i == 7) /* nft points at the whole `priority NAME` */
		return perror_at(p, kw ? kw : t, "unknown priority name %s",
				 t->s);
	const struct tok *o = peek(p);
	if (is_punct(o, '+') || is_punct(o, '-')) {
		uint64_t off;
		next(p);
		if (expect_uint(p, INT32_MAX, &off, "an offset") < 0)
			return -EINVAL;
		/* `filter - 0` is filter, as the formatter prints it */
		if (off == 0)
			return linx_value_cstring(ret, names[i]) < 0 ? nomem(p)
								     : 0;
		*ret = linx_value_map();
		linx_map_put_cstring(ret, "name", names[i]);
		linx_map_put_int(ret, "offset",
				 o->c == '-' ? -(int64_t)off : (int64_t)off);
		return 0;
	}
	return linx_value_cstring(ret, names[i]) < 0 ? nomem(p) : 0;
}

/* A priority name where nft takes it (nft_priority_fits_hook()). */
static bool priority_fits_hook(int family, const struct linx_value *prio,
			       const char *hook)
{
	const struct linx_value *n = prio;

	if (prio->type == LINX_MAP)
		n = linx_map_get(prio, "name");
	return !n || n->type != LINX_STRING ||
	       nft_priority_fits_hook(nftl_fam_nfproto(family), n->str, hook);
}

static int parse_devices(struct parser *p, struct linx_value *ret)
{
	*ret = linx_value_list();
	bool brace = accept_punct(p, '{');
	do {
		/* a braced list may span lines; `device NAME` ends with its
		 * name, `priority` following on the same line */
		if (brace)
			skip_seps(p);
		const char *n;
		int rc = expect_name(p, &n, "a device name");
		if (rc < 0)
			return rc;
		size_t nl = strlen(n);
		if (nl >= 16)
			return perror_at(p, p->last, "device name too long");
		/* what an interface name cannot hold (DT_IFNAME), and no
		 * wildcard: the formatter could not write it back */
		for (size_t i = 0; i < nl; i++)
			if ((unsigned char)n[i] < 0x20 || n[i] == 0x7f)
				return perror_at(p, p->last, "a control character "
							     "in an interface "
							     "name");
		if (nl && n[nl - 1] == '*')
			return perror_at(p, p->last, "unsupported feature: a "
						     "wildcard device name");
		linx_list_push_cstring(ret, n);
		if (brace)
			skip_seps(p);
	} while (accept_punct(p, ','));
	if (brace)
		return expect_punct(p, '}');
	return 0;
}

static int put_once(struct parser *p, struct linx_value *m, const char *key,
		    struct linx_value *v)
{
	if (linx_map_get(m, key)) {
		linx_value_clear(v);
		return perror_at(p, p->last, "%s given twice", key);
	}
	return linx_map_put(m, key, v) < 0 ? nomem(p) : 0;
}

/* The next word, `a` or `b`, as `key` of `m` (once). */
static int put_word(struct parser *p, struct linx_value *m, const char *key,
		    const char *a, const char *b)
{
	const struct tok *x = next(p);

	if (!is_ident(x, a) && !is_ident(x, b)) {
		char w[64];
		snprintf(w, sizeof(w), "%s or %s", a, b);
		return unexpected(p, x, w);
	}
	struct linx_value v;
	linx_value_cstring(&v, x->s);
	return put_once(p, m, key, &v);
}

/* `= { DEV, ... }` after `devices`: chain `name`'s devices, in the hook
 * line or on a line of their own. */
static int chain_devices(struct parser *p, const char *name)
{
	struct linx_value d;
	bool created;
	int rc;

	if ((rc = expect_punct(p, '=')) < 0)
		return rc;
	if ((rc = parse_devices(p, &d)) < 0) {
		linx_value_clear(&d);
		return rc;
	}
	return put_once(p, table_item(p, "chains", name, &created), "devices",
			&d);
}

static int parse_chain_body(struct parser *p, const char *name)
{
	/* the first policy, device or flags line: the kernel takes them
	 * for base chains only (EOPNOTSUPP), so a block that never says
	 * `type ... hook` is refused here, pointing at that line */
	const struct tok *base_only = NULL;
	const struct tok *type_at = NULL; /* this block's `type` */
	size_t outer = scope_open(p);
	bool created;
	int rc;

	for (;;) {
		skip_seps(p);
		const struct tok *t = peek(p);
		if (is_punct(t, '}')) {
			struct linx_value *c =
				table_item(p, "chains", name, &created);
			if (!c)
				return nomem(p);
			/* an ingress or egress chain hooks a device: nft
			 * refuses one without, at its type line */
			const struct linx_value *hk = linx_map_get(c, "hook");
			if (type_at && hk && hk->type == LINX_STRING &&
			    (streq(hk->str, "ingress") ||
			     streq(hk->str, "egress")) &&
			    (p->family == F_NETDEV || p->family == F_INET) &&
			    !linx_map_get(c, "device") &&
			    !linx_map_get(c, "devices"))
				return perror_at(p, type_at,
						 "missing device: an %s chain "
						 "needs `device`",
						 hk->str);
			if (base_only && !linx_map_get(c, "hook"))
				return perror_at(p, base_only,
						 "%s: only base chains (type "
						 "... hook ...) have one",
						 base_only->s);
			next(p);
			scope_close(p, outer);
			return 0;
		}
		if ((rc = block_common(p, t)) != 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		if (!base_only &&
		    (is_ident(t, "policy") || is_ident(t, "flags") ||
		     is_ident(t, "devices")))
			base_only = t;
		if (t->kind == T_EOF)
			return unexpected(p, t, "'}'");
		struct linx_value *c = table_item(p, "chains", name, &created);
		if (!c)
			return nomem(p);
		if (is_ident(t, "type")) {
			struct linx_value v;
			type_at = next(p);
			const struct tok *ty = next(p);
			if (!is_ident(ty, "filter") && !is_ident(ty, "nat") &&
			    !is_ident(ty, "route"))
				return unexpected(p, ty, "filter, nat or route");
			linx_value_cstring(&v, ty->s);
			if ((rc = put_once(p, c, "type", &v)) < 0)
				return rc;
			if (!accept_ident(p, "hook"))
				return unexpected(p, peek(p), "hook");
			const struct tok *h = next(p);
			if (h->kind != T_IDENT)
				return unexpected(p, h, "a hook");
			static const char *const hooks[] = {
				"prerouting", "input", "forward", "output",
				"postrouting", "ingress", "egress" };
			size_t i;
			for (i = 0; i < 7; i++)
				if (strcmp(h->s, hooks[i]) == 0)
					break;
			if (i == 7)
				return perror_at(p, h, "unknown hook %s", h->s);
			c = table_item(p, "chains", name, &created);
			linx_value_cstring(&v, hooks[i]);
			if ((rc = put_once(p, c, "hook", &v)) < 0)
				return rc;
			if (accept_ident(p, "device")) {
				struct linx_value d;
				if ((rc = parse_devices(p, &d)) < 0) {
					linx_value_clear(&d);
					return rc;
				}
				c = table_item(p, "chains", name, &created);
				if (d.len == 1) {
					struct linx_value one;
					linx_value_copy(&one, &d.items[0]);
					linx_value_clear(&d);
					rc = put_once(p, c, "device", &one);
				} else {
					rc = put_once(p, c, "devices", &d);
				}
				if (rc < 0)
					return rc;
			} else if (accept_ident(p, "devices") &&
				   (rc = chain_devices(p, name)) < 0) {
				return rc;
			}
			if (!accept_ident(p, "priority"))
				return unexpected(p, peek(p), "priority");
			const struct tok *prio_at = p->last;
			if ((rc = parse_priority(p, &v)) < 0)
				return rc;
			if (!priority_fits_hook(p->family, &v, hooks[i])) {
				linx_value_clear(&v);
				return perror_at(p, prio_at,
						 "invalid priority expression "
						 "value in this context.");
			}
			c = table_item(p, "chains", name, &created);
			if ((rc = put_once(p, c, "priority", &v)) < 0)
				return rc;
		} else if (is_ident(t, "policy")) {
			next(p);
			const struct tok *v = next(p);
			struct linx_value pv;
			if (!is_ident(v, "accept") && !is_ident(v, "drop"))
				return unexpected(p, v, "accept or drop");
			linx_value_cstring(&pv, v->s);
			if ((rc = put_once(p, c, "policy", &pv)) < 0)
				return rc;
		} else if (is_ident(t, "flags")) {
			next(p);
			if (!accept_ident(p, "offload"))
				return unexpected(p, peek(p), "offload");
			struct linx_value f = linx_value_list();
			linx_list_push_cstring(&f, "hw_offload");
			if ((rc = put_once(p, c, "flags", &f)) < 0)
				return rc;
		} else if (is_ident(t, "devices")) {
			next(p);
			if ((rc = chain_devices(p, name)) < 0)
				return rc;
		} else {
			struct linx_value rule;
			/* a chain comment is `comment "x"` alone on its line
			 * before any rule: nft(8) treats it as the chain's */
			if ((rc = parse_rule(p, &rule)) < 0)
				return rc;
			c = table_item(p, "chains", name, &created);
			if (linx_map_get(&rule, "exprs")->len == 0 &&
			    !linx_map_get(&rule, "tag")) {
				struct linx_value *cm = mget(&rule, "comment");
				struct linx_value cv;
				linx_value_copy(&cv, cm);
				linx_value_clear(&rule);
				if ((rc = put_once(p, c, "comment", &cv)) < 0)
					return rc;
			} else {
				struct linx_value *rules = mlist(c, "rules");
				if (!rules || linx_list_push(rules, &rule) < 0)
					return nomem(p);
				if (rules->len > 1000000)
					return perror_at(p, p->last,
							 "too many rules");
			}
		}
		t = peek(p);
		/* as in nft, every line of a block ends with a newline or
		 * a semicolon, the last one too */
		if (t->kind != T_SEP)
			return unexpected(p, t, "newline or semicolon");
	}
}

static int set_type(struct parser *p, const struct tok *t, unsigned *dt,
		    unsigned *len, const char **name)
{
	if (t->kind != T_IDENT)
		return unexpected(p, t, "a type");
	if (nftl_settype_dtype(t->s, dt, len)) {
		*name = nftl_dtype_settype(*dt, *len);
		return 0;
	}
	return perror_at(p, t, "unsupported feature: set type %s", t->s);
}

/* A selector of `typeof`: its text ("ip saddr", "meta iifname") for the
 * set's key_typeof or data_typeof. */
static int typeof_sel(struct parser *p, const struct nftl_sel **ret,
		      struct linx_value *text)
{
	const struct tok *at = peek(p), *ft = at;
	char buf[48];
	int rc;
	bool raw = is_raw_start(p);

	rc = raw ? raw_sel(p, ret) : parse_selector_bits(p, ret, &ft);
	if (rc < 0)
		return rc;
	nftl_sel_text(*ret, buf, sizeof(buf));
	/* a bit field of a type of its own (dscp, ecn) is a set of that
	 * type, alone: lookups shift the field down (e_field_shift) */
	if (!raw && (*ret)->bits && (*ret)->dtype != DT_DSCP &&
	    (*ret)->dtype != DT_ECN)
		return perror_at(p, ft, "unsupported feature: %s %s in a key",
				 (*ret)->proto, (*ret)->field);
	/* nft 1.0.6 keys such a set integer/16 and then takes no value
	 * for it: no elements, no lookups */
	if (!nftl_sel_typeof_ok(*ret) || ct_port_sel(*ret))
		return perror_at(p, at, "unsupported feature: typeof %s", buf);
	return linx_value_cstring(text, buf) < 0 ? nomem(p) : 0;
}

/* A plain integer (ip ttl, a raw payload) is refused in a map's
 * concatenated data: its width would be known only from the data's
 * typeof userdata, which the pull reads after the data type.  Alone it
 * is fine (typeof meta mark : ip ttl).  So is a host-order one (ct
 * zone), whose byte order is only there, and whose elements nft 1.0.6
 * cannot load ("exceeds valid range 0-0"). */
static bool typeof_data_int(const struct nftl_sel *s)
{
	return s->dtype == DT_INT || s->dtype == DT_HINT ||
	       s->proto[0] == '@';
}

static int typeof_data_refuse(struct parser *p, const struct nftl_sel *s,
			      const struct tok *at)
{
	char buf[48];

	nftl_sel_text(s, buf, sizeof(buf));
	return perror_at(p, at, "unsupported feature: typeof %s in a map's "
				"concatenated data",
			 buf);
}

/* A selector of a map's concatenated data after the first. */
static int typeof_data_sel(struct parser *p, const struct nftl_sel **ret,
			   struct linx_value *text)
{
	const struct tok *at = peek(p);
	int rc;

	if ((rc = typeof_sel(p, ret, text)) < 0)
		return rc;
	if (typeof_data_int(*ret)) {
		linx_value_clear(text);
		return typeof_data_refuse(p, *ret, at);
	}
	return 0;
}

/* `type K : T . T ...`: the data's types after the first (`dt`, `len`,
 * read at `at`), in `dck`. */
static int concat_data_type(struct parser *p, struct ckey *dck,
			    const struct tok *at, unsigned dt, unsigned len)
{
	const char *tn;
	int rc;

	if ((rc = ckey_add(p, dck, dt, len, at)) < 0)
		return rc;
	while (accept_punct(p, '.')) {
		at = peek(p);
		if ((rc = set_type(p, next(p), &dt, &len, &tn)) < 0 ||
		    (rc = ckey_add(p, dck, dt, len, at)) < 0)
			return rc;
	}
	return 0;
}

/*
 * `typeof SEL . SEL ... [: SEL | : verdict]`: the types are the
 * selectors' (key_type, data_type, as `type` would give them), and the
 * selectors go along as key_typeof and data_typeof, which nft keeps in
 * the set's userdata to print the set the way it was written.
 */
/* The length of a selector's type: a bit field's (ip6 dscp, loaded as
 * two bytes) is its type's one byte. */
static unsigned sel_type_len(const struct nftl_sel *s)
{
	return s->bits ? 1 : s->len;
}

static int parse_typeof(struct parser *p, struct linx_value *s,
			struct ckey *ck, struct ckey *dck, bool is_map,
			unsigned *dt,
			unsigned *len, int *data_kind, unsigned *ddt,
			unsigned *dlen)
{
	struct linx_value tl = linx_value_list(), tv;
	const struct nftl_sel *sel;
	int rc;

	ck->n = 0;
	do {
		const struct tok *at = peek(p);

		if ((rc = typeof_sel(p, &sel, &tv)) < 0) {
			linx_value_clear(&tl);
			return rc;
		}
		if (sel->bits && (ck->n || is_punct(peek(p), '.'))) {
			linx_value_clear(&tv);
			linx_value_clear(&tl);
			return perror_at(p, at, "unsupported feature: %s %s in "
						"a concatenation",
					 sel->proto, sel->field);
		}
		if ((rc = ckey_add(p, ck, sel->dtype, sel_type_len(sel),
				   at)) < 0) {
			linx_value_clear(&tv);
			linx_value_clear(&tl);
			return rc;
		}
		*dt = sel->dtype;
		*len = sel_type_len(sel);
		linx_list_push(&tl, &tv);
	} while (accept_punct(p, '.'));
	if (ck->n == 1) {
		linx_map_put_cstring(s, "key_type", ck->name[0]);
		linx_value_copy(&tv, &tl.items[0]);
		linx_value_clear(&tl);
		linx_map_put(s, "key_typeof", &tv);
	} else {
		struct linx_value kt = ckey_types(ck);
		linx_map_put(s, "key_type", &kt);
		linx_map_put(s, "key_typeof", &tl);
	}
	if (!is_map)
		return 0;
	if ((rc = expect_punct(p, ':')) < 0)
		return rc;
	if (is_ident(peek(p), "verdict")) {
		next(p);
		*data_kind = 2;
		linx_map_put_cstring(s, "data_type", "verdict");
		linx_map_put_cstring(s, "data_typeof", "verdict");
		return 0;
	}
	const struct tok *at = peek(p);
	bool more;
	if ((rc = typeof_sel(p, &sel, &tv)) < 0)
		return rc;
	*data_kind = 1;
	*ddt = sel->dtype;
	*dlen = sel_type_len(sel);
	dck->n = 0;
	more = is_punct(peek(p), '.');
	if (sel->bits && more) {
		linx_value_clear(&tv);
		return perror_at(p, at, "unsupported feature: %s %s in a "
					"concatenation",
				 sel->proto, sel->field);
	}
	if (more && typeof_data_int(sel)) {
		linx_value_clear(&tv);
		return typeof_data_refuse(p, sel, at);
	}
	if (!more) {
		linx_map_put_cstring(s, "data_type",
				     nftl_dtype_settype(sel->dtype, sel->len));
		linx_map_put(s, "data_typeof", &tv);
		return 0;
	}
	/* a concatenation as the data (typeof tcp dport : ip daddr . tcp
	 * dport): typed as `type` would give it, one selector a part */
	tl = linx_value_list();
	linx_list_push(&tl, &tv);
	if ((rc = ckey_add(p, dck, sel->dtype, sel->len, at)) < 0)
		goto fail;
	while (accept_punct(p, '.')) {
		at = peek(p);
		if ((rc = typeof_data_sel(p, &sel, &tv)) < 0)
			goto fail;
		linx_list_push(&tl, &tv);
		if ((rc = ckey_add(p, dck, sel->dtype, sel->len, at)) < 0)
			goto fail;
	}
	struct linx_value dtl = ckey_types(dck);
	linx_map_put(s, "data_type", &dtl);
	linx_map_put(s, "data_typeof", &tl);
	return 0;
fail:
	linx_value_clear(&tl);
	return rc;
}

static int parse_set_body(struct parser *p, const char *name, bool is_map)
{
	struct linx_value s = linx_value_map(), elems = linx_value_nil();
	struct linx_value xs = linx_value_list();
	unsigned dt = 0, len = 0, ddt = 0, dlen = 0;
	int data_kind = 0, rc = 0;
	bool data_iv = false; /* `: interval T` */
	const char *obj_kind = NULL; /* data_kind 3 */
	bool have_type = false, interval = false, elements_line = false;
	const struct tok *auto_merge = NULL;
	const char *tn;
	struct ckey ck = { 0 }, dck = { 0 };

	linx_map_put_cstring(&s, "name", name);
	for (;;) {
		elements_line = false;
		skip_seps(p);
		if ((rc = block_common(p, peek(p))) != 0) {
			if (rc < 0)
				goto out;
			continue;
		}
		const struct tok *t = peek(p);
		if (is_ident(t, "counter") || is_ident(t, "quota") ||
		    is_ident(t, "limit") || is_ident(t, "ct")) {
			/* a set's statements: each element gets its own;
			 * lines add to one list, as in nft */
			struct linx_value more = linx_value_list();
			if ((rc = stateful_stmts(p, &more)) < 0) {
				linx_value_clear(&more);
				goto out;
			}
			for (uint32_t k = 0; k < more.len && rc == 0; k++)
				if (linx_list_push(&xs, &more.items[k]) < 0)
					rc = nomem(p);
			linx_value_clear(&more);
			if (rc < 0)
				goto out;
			if (xs.len > 2) {
				rc = perror_at(p, t, "a set has at most two "
						     "statements");
				goto out;
			}
			t = peek(p);
			if (t->kind != T_SEP && !is_punct(t, '}')) {
				rc = unexpected(p, t, "newline or semicolon");
				goto out;
			}
			continue;
		}
		t = next(p);
		if (is_punct(t, '}'))
			break;
		if (is_ident(t, "type")) {
			const struct tok *tt = peek(p);
			if ((rc = set_type(p, next(p), &dt, &len, &tn)) < 0)
				goto out;
			if (have_type) {
				rc = perror_at(p, t, "type given twice");
				goto out;
			}
			have_type = true;
			ck.n = 0;
			if ((rc = ckey_add(p, &ck, dt, len, tt)) < 0)
				goto out;
			while (accept_punct(p, '.')) {
				tt = peek(p);
				if ((rc = set_type(p, next(p), &dt, &len, &tn)) < 0 ||
				    (rc = ckey_add(p, &ck, dt, len, tt)) < 0)
					goto out;
			}
			if (ck.n == 1) {
				linx_map_put_cstring(&s, "key_type", ck.name[0]);
			} else {
				struct linx_value kt = ckey_types(&ck);
				linx_map_put(&s, "key_type", &kt);
			}
			if (is_map) {
				if ((rc = expect_punct(p, ':')) < 0)
					goto out;
				const char *ok = object_kind_ahead(p);
				if (is_ident(peek(p), "verdict")) {
					next(p);
					data_kind = 2;
					linx_map_put_cstring(&s, "data_type",
							     "verdict");
				} else if (ok) {
					/* an object map: `type K : counter` */
					data_kind = 3;
					obj_kind = ok;
					linx_map_put_cstring(&s, "data_type", ok);
				} else {
					/* `: interval T`: values are ranges */
					const struct tok *ivt =
						accept_ident(p, "interval")
							? p->last
							: NULL;
					tt = peek(p);
					if ((rc = set_type(p, next(p), &ddt, &dlen,
							   &tn)) < 0)
						goto out;
					data_kind = 1;
					if (ivt && (is_punct(peek(p), '.') ||
						    (ddt != DT_IPV4 &&
						     ddt != DT_IPV6))) {
						rc = perror_at(p, ivt,
							       "unsupported "
							       "feature: "
							       "interval "
							       "values other "
							       "than one "
							       "address type");
						goto out;
					}
					if (ivt) {
						data_iv = true;
						linx_map_put_bool(&s,
								  "data_interval",
								  true);
					}
					dck.n = 0;
					if (is_punct(peek(p), '.') &&
					    (rc = concat_data_type(p, &dck, tt,
								   ddt, dlen)) < 0)
						goto out;
					if (dck.n > 1) {
						struct linx_value v =
							ckey_types(&dck);
						linx_map_put(&s, "data_type", &v);
					} else {
						linx_map_put_cstring(&s, "data_type",
								     tn);
					}
				}
			}
		} else if (is_ident(t, "typeof")) {
			if (have_type) {
				rc = perror_at(p, t, "type given twice");
				goto out;
			}
			have_type = true;
			if ((rc = parse_typeof(p, &s, &ck, &dck, is_map, &dt,
					       &len, &data_kind, &ddt, &dlen)) < 0)
				goto out;
		} else if (is_ident(t, "flags")) {
			struct linx_value f = linx_value_list();
			do {
				const struct tok *x = next(p);
				if (is_ident(x, "constant") || is_ident(x, "interval") ||
				    is_ident(x, "timeout") || is_ident(x, "dynamic"))
					linx_list_push_cstring(&f, x->s);
				else {
					linx_value_clear(&f);
					rc = unexpected(p, x, "a set flag");
					goto out;
				}
				if (is_ident(x, "interval"))
					interval = true;
			} while (accept_punct(p, ','));
			if ((rc = put_once(p, &s, "flags", &f)) < 0)
				goto out;
		} else if (is_ident(t, "timeout") || is_ident(t, "gc-interval")) {
			uint64_t ms;
			if ((rc = parse_time(p, &ms)) < 0)
				goto out;
			struct linx_value v = linx_value_int((int64_t)ms);
			if ((rc = put_once(p, &s, t->s[0] == 't' ? "timeout"
								: "gc_interval",
					   &v)) < 0)
				goto out;
		} else if (is_ident(t, "size")) {
			uint64_t n;
			if ((rc = expect_uint(p, UINT32_MAX, &n, "a size")) < 0)
				goto out;
			struct linx_value v = linx_value_int((int64_t)n);
			if ((rc = put_once(p, &s, "size", &v)) < 0)
				goto out;
		} else if (is_ident(t, "policy")) {
			if ((rc = put_word(p, &s, "policy", "performance",
					   "memory")) < 0)
				goto out;
		} else if (is_ident(t, "comment")) {
			const struct tok *x = comment_text(p, &rc);
			if (!x)
				goto out;
			struct linx_value v;
			linx_value_cstring(&v, x->s);
			if ((rc = put_once(p, &s, "comment", &v)) < 0)
				goto out;
		} else if (is_ident(t, "auto-merge")) {
			/* kept in the userdata; the elements are merged below */
			auto_merge = t;
		} else if (is_ident(t, "elements")) {
			if (!have_type) {
				rc = perror_at(p, t, "elements before the type");
				goto out;
			}
			if ((rc = expect_punct(p, '=')) < 0 ||
			    (rc = expect_punct(p, '{')) < 0)
				goto out;
			bool iv = false;
			linx_value_clear(&elems);
			p->ck = ck.n > 1 ? &ck : NULL;
			p->dck = dck.n > 1 ? &dck : NULL;
			p->obj_kind = obj_kind;
			p->elem_stmts = true;
			p->data_iv_ok = data_iv;
			rc = parse_elements(p, dt, len, true, data_kind, ddt, dlen,
					    &elems, &iv);
			p->data_iv_ok = p->data_iv = false;
			p->elem_stmts = false;
			p->obj_kind = NULL;
			p->ck = NULL;
			p->dck = NULL;
			elements_line = true;
			if (rc < 0)
				goto out;
			if (iv && !interval) {
				rc = perror_at(p, p->first_iv, "a prefix or range "
							   "needs flags "
							   "interval");
				goto out;
			}
		} else {
			rc = unexpected(p, t, "a set property");
			goto out;
		}
		t = peek(p);
		/* nft lets only the elements line end at the brace */
		if (t->kind != T_SEP && (!is_punct(t, '}') || !elements_line)) {
			rc = unexpected(p, t, "newline or semicolon");
			goto out;
		}
	}
	if (!have_type) {
		rc = perror_at(p, p->last, "set %s has no type", name);
		goto out;
	}
	/* a default timeout or a gc interval makes it a timeout set, as in
	 * nft, which adds the flag itself */
	if ((linx_map_get(&s, "timeout") || linx_map_get(&s, "gc_interval")) &&
	    !has_flag(&s, "timeout")) {
		struct linx_value *f = mlist(&s, "flags");
		if (!f || linx_list_push_cstring(f, "timeout") < 0) {
			rc = nomem(p);
			goto out;
		}
	}
	if (auto_merge) {
		struct linx_value *f = mlist(&s, "flags");
		if (!interval) {
			rc = perror_at(p, auto_merge, "auto-merge only works "
						      "with interval sets");
			goto out;
		}
		if (!f || linx_list_push_cstring(f, "auto_merge") < 0) {
			rc = nomem(p);
			goto out;
		}
		/* as nft does on input: overlapping and adjacent
		 * intervals become one */
		if (elems.type == LINX_LIST &&
		    nft_setelem_automerge(&s, &elems) < 0) {
			rc = perror_at(p, auto_merge, "auto-merge: the "
						      "elements do not encode");
			goto out;
		}
	}
	if (xs.len)
		linx_map_put(&s, "exprs", &xs);
	else
		linx_value_clear(&xs);
	if (elems.type == LINX_LIST)
		linx_map_put(&s, "elements", &elems);
	{
		bool created;
		struct linx_value *slot = table_item(p, "sets", name, &created);
		if (!slot) {
			rc = nomem(p);
			goto out;
		}
		if (!created) {
			rc = perror_at(p, p->last, "set %s declared twice", name);
			goto out;
		}
		linx_value_clear(slot);
		*slot = s;
		return linx_value_status(&s) < 0 ? nomem(p) : 0;
	}
out:
	linx_value_clear(&s);
	linx_value_clear(&elems);
	linx_value_clear(&xs);
	return rc;
}

/* policy = { STATE : SECONDS, ... } ("policy" is read): the states are
 * checked against the protocol once the object is complete. */
static int parse_ct_policy(struct parser *p, struct linx_value *o)
{
	struct linx_value pol = linx_value_map();
	int rc;

	if ((rc = expect_punct(p, '=')) < 0 || (rc = expect_punct(p, '{')) < 0)
		goto out;
	for (;;) {
		skip_seps(p);
		const struct tok *k = next(p);
		uint64_t secs;
		if (k->kind != T_IDENT) {
			rc = unexpected(p, k, "a conntrack state");
			goto out;
		}
		if (linx_map_get(&pol, k->s)) {
			rc = perror_at(p, k, "state %s given twice", k->s);
			goto out;
		}
		/* with the protocol known, a wrong state is said here */
		const struct linx_value *pr = linx_map_get(o, "protocol");
		const struct nftl_ct_state *st = nftl_ct_states(pr ? pr->str
								   : NULL);
		while (st && st->word && !streq(st->word, k->s))
			st++;
		if (st && !st->word) {
			rc = perror_at(p, k, "%s is not a %s state", k->s,
				       pr->str);
			goto out;
		}
		if ((rc = expect_punct(p, ':')) < 0 ||
		    (rc = expect_uint(p, UINT32_MAX, &secs, "seconds")) < 0)
			goto out;
		linx_map_put_uint(&pol, k->s, secs);
		if ((rc = list_next(p)) < 0)
			goto out;
		if (rc == 0)
			break;
	}
	if (linx_value_status(&pol) < 0) {
		rc = nomem(p);
		goto out;
	}
	return put_once(p, o, "policy", &pol);
out:
	linx_value_clear(&pol);
	return rc;
}

/* mss N, wscale N, timestamp, sack-perm: one line of a synproxy object,
 * its words in any order. */
static int parse_synproxy_line(struct parser *p, struct linx_value *o)
{
	for (;;) {
		const struct tok *t = peek(p);
		uint64_t u;
		int rc;

		if (is_ident(t, "mss") || is_ident(t, "wscale")) {
			next(p);
			bool mss = t->s[0] == 'm';
			if ((rc = expect_uint(p, mss ? 65535 : 14, &u, t->s)) < 0)
				return rc;
			struct linx_value v = linx_value_uint(u);
			if ((rc = put_once(p, o, t->s, &v)) < 0)
				return rc;
		} else if (is_ident(t, "timestamp") || is_ident(t, "sack-perm")) {
			next(p);
			struct linx_value *f = mlist(o, "flags");
			const char *fl = t->s[0] == 't' ? "timestamp" : "sack_perm";
			for (uint32_t i = 0; f && i < f->len; i++)
				if (streq(f->items[i].str, fl))
					return perror_at(p, t, "%s given twice",
							 t->s);
			if (!f || linx_list_push_cstring(f, fl) < 0)
				return nomem(p);
		} else {
			return 0;
		}
	}
}

/* A ct timeout or ct expectation object has what the kernel needs, and a
 * timeout's states are its protocol's. */
static int ct_object_complete(struct parser *p, struct linx_value *o,
			      const char *kind, const char *name)
{
	static const char *const timeout_needs[] = { "protocol", "policy",
						     NULL };
	static const char *const expect_needs[] = { "protocol", "dport",
						    "timeout", "size", NULL };
	const char *const *need = streq(kind, "ct_timeout") ? timeout_needs
							    : expect_needs;
	for (; *need; need++)
		if (!linx_map_get(o, *need))
			return perror_at(p, p->last, "%s %s: missing %s",
					 streq(kind, "ct_timeout")
						 ? "ct timeout"
						 : "ct expectation",
					 name, *need);
	/* the policy's states, from nft's words to the plugin's keys */
	struct linx_value *pol = (struct linx_value *)linx_map_get(o, "policy");
	const struct linx_value *pr = linx_map_get(o, "protocol");
	const struct nftl_ct_state *st = nftl_ct_states(pr->str);
	struct linx_value keyed = linx_value_map();
	for (uint32_t i = 0; pol && i < pol->len; i++) {
		const char *k = pol->pairs[i].key;
		size_t j = 0;
		while (st[j].word && !streq(st[j].word, k))
			j++;
		if (!st[j].word) {
			linx_value_clear(&keyed);
			return perror_at(p, p->last, "ct timeout %s: %s is not "
						     "a %s state",
					 name, k, pr->str);
		}
		struct linx_value v;
		linx_value_copy(&v, &pol->pairs[i].value);
		linx_map_put(&keyed, st[j].key, &v);
	}
	if (pol) {
		if (linx_value_status(&keyed) < 0) {
			linx_value_clear(&keyed);
			return nomem(p);
		}
		linx_value_clear(pol);
		*pol = keyed;
	}
	return 0;
}

static int parse_object(struct parser *p, const char *kind, const char *name)
{
	struct linx_value o = linx_value_map();
	int rc = 0;

	linx_map_put_cstring(&o, "kind", kind);
	linx_map_put_cstring(&o, "name", name);
	for (;;) {
		bool one_line = false;
		if (!p->obj_inline)
			skip_seps(p);
		const struct tok *t = peek(p);
		if (p->obj_inline && (t->kind == T_SEP || t->kind == T_EOF))
			break;
		if (is_punct(t, '}') && streq(kind, "synproxy") &&
		    linx_map_get(&o, "mss") && !linx_map_get(&o, "wscale")) {
			rc = unexpected(p, t, "wscale"); /* nft wants both */
			goto out;
		}
		if (is_punct(t, '}')) {
			next(p);
			break;
		}
		if (is_ident(t, "comment")) {
			next(p);
			const struct tok *x = comment_text(p, &rc);
			if (!x)
				goto out;
			linx_map_put_cstring(&o, "comment", x->s);
		} else if (streq(kind, "counter") && is_ident(t, "packets")) {
			uint64_t pk, by;
			next(p);
			if ((rc = expect_uint(p, INT64_MAX, &pk, "packets")) < 0)
				goto out;
			if (!accept_ident(p, "bytes")) {
				rc = unexpected(p, peek(p), "bytes");
				goto out;
			}
			if ((rc = expect_uint(p, INT64_MAX, &by, "bytes")) < 0)
				goto out;
			linx_map_put_int(&o, "packets", (int64_t)pk);
			linx_map_put_int(&o, "bytes", (int64_t)by);
		} else if (streq(kind, "quota")) {
			if ((rc = parse_quota_body(p, &o, "used")) < 0)
				goto out;
		} else if (streq(kind, "limit")) {
			if ((rc = parse_limit_body(p, &o)) < 0)
				goto out;
		} else if (streq(kind, "secmark") && t->kind == T_STRING) {
			/* the LSM's context, its one property */
			struct linx_value v;
			next(p);
			if (strlen(t->s) > 255) {
				rc = perror_at(p, t, "a secmark context is at "
						     "most 255 bytes");
				goto out;
			}
			linx_value_cstring(&v, t->s);
			if ((rc = put_once(p, &o, "context", &v)) < 0)
				goto out;
			one_line = true;
		} else if (streq(kind, "ct_helper") && is_ident(t, "type")) {
			next(p);
			const struct tok *x = next(p);
			if (x->kind != T_STRING) {
				rc = unexpected(p, x, "a helper name");
				goto out;
			}
			linx_map_put_cstring(&o, "type", x->s);
			if (!accept_ident(p, "protocol")) {
				rc = unexpected(p, peek(p), "protocol");
				goto out;
			}
			x = next(p);
			if (!is_ident(x, "tcp") && !is_ident(x, "udp")) {
				rc = unexpected(p, x, "tcp or udp");
				goto out;
			}
			linx_map_put_cstring(&o, "protocol", x->s);
		} else if ((streq(kind, "ct_timeout") ||
			    streq(kind, "ct_expect")) &&
			   is_ident(t, "protocol")) {
			next(p);
			if ((rc = put_word(p, &o, "protocol", "tcp", "udp")) < 0)
				goto out;
		} else if (streq(kind, "ct_timeout") && is_ident(t, "policy")) {
			next(p);
			if ((rc = parse_ct_policy(p, &o)) < 0)
				goto out;
		} else if (streq(kind, "ct_expect") &&
			   (is_ident(t, "dport") || is_ident(t, "timeout") ||
			    is_ident(t, "size"))) {
			uint64_t u;
			next(p);
			if (streq(t->s, "timeout"))
				rc = parse_time(p, &u);
			else
				rc = expect_uint(p, t->s[0] == 'd' ? 65535 : 255,
						 &u, t->s);
			if (rc == 0 && u > UINT32_MAX)
				rc = perror_at(p, p->last, "timeout out of "
							   "range");
			struct linx_value v = linx_value_uint(u);
			if (rc < 0 || (rc = put_once(p, &o, t->s, &v)) < 0)
				goto out;
		} else if (streq(kind, "synproxy") &&
			   (is_ident(t, "mss") || is_ident(t, "wscale") ||
			    is_ident(t, "timestamp") || is_ident(t, "sack-perm"))) {
			/* nft's order: mss, then wscale, then the flags */
			if (!linx_map_get(&o, "mss") && !is_ident(t, "mss")) {
				rc = unexpected(p, t, "mss");
				goto out;
			}
			if (!linx_map_get(&o, "wscale") && !is_ident(t, "mss") &&
			    !is_ident(t, "wscale")) {
				rc = unexpected(p, t, "wscale");
				goto out;
			}
			bool had_wscale = linx_map_get(&o, "wscale") != NULL;
			if ((rc = parse_synproxy_line(p, &o)) < 0)
				goto out;
			/* `mss N wscale N [flags]` on one line, or the flags
			 * on theirs, may end at the brace, as a counter's
			 * line may */
			one_line = (is_ident(t, "mss") && !had_wscale &&
				    linx_map_get(&o, "wscale") != NULL) ||
				   is_ident(t, "timestamp") ||
				   is_ident(t, "sack-perm");
		} else if (strncmp(kind, "ct_", 3) == 0 &&
			   is_ident(t, "l3proto")) {
			next(p);
			const struct tok *x = next(p);
			if (!is_ident(x, "ip") && !is_ident(x, "ip6") &&
			    !is_ident(x, "inet")) {
				rc = unexpected(p, x, "ip, ip6 or inet");
				goto out;
			}
			linx_map_put_cstring(&o, "l3proto", x->s);
		} else {
			rc = unexpected(p, t, "an object property");
			goto out;
		}
		t = peek(p);
		if (p->obj_inline) {
			/* one property, then the command ends */
			if (t->kind != T_SEP && t->kind != T_EOF) {
				rc = unexpected(p, t, "newline or semicolon");
				goto out;
			}
			continue;
		}
		/* nft lets a counter's, quota's or limit's one line end at
		 * the brace, not a ct helper's, ct timeout's, ct
		 * expectation's or synproxy's */
		if (t->kind != T_SEP &&
		    (!is_punct(t, '}') ||
		     (!streq(kind, "counter") && !streq(kind, "quota") &&
		      !streq(kind, "limit") && !one_line))) {
			rc = unexpected(p, t, "newline or semicolon");
			goto out;
		}
	}
	{
		const char *need = streq(kind, "quota")	 ? "bytes"
				   : streq(kind, "limit")	 ? "rate"
				   : streq(kind, "ct_helper") ? "protocol"
				   : streq(kind, "secmark")   ? "context"
								    : NULL;
		if (streq(kind, "ct_timeout") || streq(kind, "ct_expect")) {
			if ((rc = ct_object_complete(p, &o, kind, name)) < 0)
				goto out;
		} else if (need && !linx_map_get(&o, need)) {
			rc = perror_at(p, p->last, "%s %s: missing %s", kind,
				       name,
				       streq(kind, "ct_helper")
					       ? "type \"NAME\" protocol P"
				       : streq(kind, "quota")   ? "a size"
				       : streq(kind, "secmark") ? "its context"
								  : "rate");
			goto out;
		}
		struct linx_value *l = mlist(cur_table(p), "objects");
		for (uint32_t i = 0; l && i < l->len; i++) {
			const struct linx_value *k = linx_map_get(&l->items[i], "kind");
			const struct linx_value *n = linx_map_get(&l->items[i], "name");
			if (strcmp(k->str, kind) == 0 && strcmp(n->str, name) == 0) {
				rc = perror_at(p, p->last, "%s %s declared twice",
					       kind, name);
				goto out;
			}
		}
		if (!l || linx_list_push(l, &o) < 0)
			return nomem(p);
		return 0;
	}
out:
	linx_value_clear(&o);
	return rc;
}

static int parse_flowtable(struct parser *p, const char *name)
{
	struct linx_value f = linx_value_map();
	int rc = 0;

	linx_map_put_cstring(&f, "name", name);
	for (;;) {
		skip_seps(p);
		const struct tok *t = next(p);
		if (is_punct(t, '}'))
			break;
		if (is_ident(t, "hook")) {
			if (!accept_ident(p, "ingress")) {
				rc = unexpected(p, peek(p), "ingress");
				goto out;
			}
			linx_map_put_cstring(&f, "hook", "ingress");
			if (!accept_ident(p, "priority")) {
				rc = unexpected(p, peek(p), "priority");
				goto out;
			}
			struct linx_value pr;
			if ((rc = parse_priority(p, &pr)) < 0)
				goto out;
			linx_map_put(&f, "priority", &pr);
		} else if (is_ident(t, "devices")) {
			struct linx_value d;
			if ((rc = expect_punct(p, '=')) < 0)
				goto out;
			if ((rc = parse_devices(p, &d)) < 0) {
				linx_value_clear(&d);
				goto out;
			}
			linx_map_put(&f, "devices", &d);
		} else if (is_ident(t, "flags")) {
			if (!accept_ident(p, "offload")) {
				rc = unexpected(p, peek(p), "offload");
				goto out;
			}
			struct linx_value fl = linx_value_list();
			linx_list_push_cstring(&fl, "hw_offload");
			linx_map_put(&f, "flags", &fl);
		} else if (is_ident(t, "counter")) {
			rc = perror_at(p, t, "unsupported feature: flowtable "
					     "counters");
			goto out;
		} else {
			rc = unexpected(p, t, "a flowtable property");
			goto out;
		}
		/* every line of a flowtable ends with a separator in nft,
		 * the last one too */
		t = peek(p);
		if (t->kind != T_SEP) {
			rc = unexpected(p, t, "newline or semicolon");
			goto out;
		}
	}
	{
		struct linx_value *l = mlist(cur_table(p), "flowtables");
		if (!l || linx_list_push(l, &f) < 0)
			return nomem(p);
		return 0;
	}
out:
	linx_value_clear(&f);
	return rc;
}

/* One declaration inside a table block (the keyword not yet read). */
static int parse_table_item(struct parser *p)
{
	const struct tok *t = next(p);
	const char *name;
	int rc;

	if (is_ident(t, "chain")) {
		if ((rc = expect_decl_name(p, &name, "a chain name")) < 0)
			return rc;
		bool created;
		if (!table_item(p, "chains", name, &created))
			return nomem(p);
		if (!accept_punct(p, '{'))
			return 0;
		return parse_chain_body(p, name);
	}
	if (is_ident(t, "set") || is_ident(t, "map")) {
		if ((rc = expect_decl_name(p, &name, "a set name")) < 0 ||
		    (rc = expect_punct(p, '{')) < 0)
			return rc;
		return parse_set_body(p, name, t->s[0] == 'm');
	}
	if (is_ident(t, "counter") || is_ident(t, "quota") ||
	    is_ident(t, "limit")) {
		if ((rc = expect_decl_name(p, &name, "an object name")) < 0 ||
		    (rc = expect_punct(p, '{')) < 0)
			return rc;
		return parse_object(p, t->s, name);
	}
	if (is_ident(t, "ct")) {
		const struct tok *k = next(p);
		const char *kind = ct_object_kind(k);
		if (!kind)
			return perror_at(p, k, "unsupported feature: ct %s "
					       "objects",
					 k->kind == T_IDENT ? k->s : "?");
		if ((rc = expect_decl_name(p, &name, "an object name")) < 0 ||
		    (rc = expect_punct(p, '{')) < 0)
			return rc;
		return parse_object(p, kind, name);
	}
	if (is_ident(t, "synproxy")) {
		if ((rc = expect_decl_name(p, &name, "an object name")) < 0 ||
		    (rc = expect_punct(p, '{')) < 0)
			return rc;
		return parse_object(p, "synproxy", name);
	}
	if (is_ident(t, "flowtable")) {
		if ((rc = expect_decl_name(p, &name, "a flowtable name")) < 0 ||
		    (rc = expect_punct(p, '{')) < 0)
			return rc;
		return parse_flowtable(p, name);
	}
	if (is_ident(t, "flags")) {
		struct linx_value f = linx_value_list();
		do {
			const struct tok *x = next(p);
			if (!is_ident(x, "dormant") && !is_ident(x, "owner") &&
			    !is_ident(x, "persist")) {
				linx_value_clear(&f);
				return unexpected(p, x, "a table flag");
			}
			linx_list_push_cstring(&f, x->s);
		} while (accept_punct(p, ','));
		return put_once(p, cur_table(p), "flags", &f);
	}
	if (is_ident(t, "comment")) {
		const struct tok *x = comment_text(p, &rc);
		if (!x)
			return rc;
		struct linx_value v;
		linx_value_cstring(&v, x->s);
		return put_once(p, cur_table(p), "comment", &v);
	}
	if (is_ident(t, "secmark")) {
		if ((rc = expect_decl_name(p, &name, "an object name")) < 0 ||
		    (rc = expect_punct(p, '{')) < 0)
			return rc;
		return parse_object(p, "secmark", name);
	}
	return unexpected(p, t, "chain, set, map, flowtable or an object");
}

static int parse_table_block(struct parser *p)
{
	size_t outer = scope_open(p);
	int rc;

	for (;;) {
		skip_seps(p);
		const struct tok *t = peek(p);
		if (is_punct(t, '}')) {
			next(p);
			scope_close(p, outer);
			return 0;
		}
		if (t->kind == T_EOF)
			return unexpected(p, t, "'}'");
		if ((rc = block_common(p, t)) != 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		if ((rc = parse_table_item(p)) < 0)
			return rc;
		t = peek(p);
		if (t->kind != T_SEP)
			return unexpected(p, t, "newline or semicolon");
	}
}

static struct gone *gone_of(struct parser *p, int fam, const char *name)
{
	for (size_t i = 0; i < p->n_gone; i++)
		if (p->gone[i].fam == fam && streq(p->gone[i].name, name))
			return &p->gone[i];
	return NULL;
}

/* FAMILY NAME of a table a command works on: `declare` for a table
 * command (table, add table, create table), which brings a deleted table
 * back; any other command on a deleted table finds none, as in nft. */
static int table_head_as(struct parser *p, bool declare)
{
	int fam, rc;
	const char *name;
	struct gone *g;

	parse_family(p, &fam);
	if ((rc = expect_decl_name(p, &name, "a table name")) < 0)
		return rc;
	if ((g = gone_of(p, fam, name))) {
		if (!declare)
			return perror_at(p, p->last, "no such table %s %s",
					 nftl_fam_names[fam], name);
		*g = p->gone[--p->n_gone];
	}
	return open_table(p, fam, name);
}

static int table_head(struct parser *p)
{
	return table_head_as(p, false);
}

/* The index of table FAMILY NAME in the input so far, or -1. */
static long find_table(struct parser *p, int fam, const char *name)
{
	const struct linx_value *tables = mget(&p->rs, "tables");

	for (uint32_t i = 0; tables && i < tables->len; i++) {
		const struct linx_value *f = linx_map_get(&tables->items[i], "family");
		const struct linx_value *n = linx_map_get(&tables->items[i], "name");
		if (streq(f->str, nftl_fam_names[fam]) && streq(n->str, name))
			return (long)i;
	}
	return -1;
}

/* FAMILY TABLE of a command that changes what the input declared (delete,
 * flush, insert): the table must be one this input declares, since a
 * load leaves every other table alone. */
static int declared_table(struct parser *p, const struct tok *cmd)
{
	int fam, rc;
	const char *name;
	long i;

	parse_family(p, &fam);
	if ((rc = expect_decl_name(p, &name, "a table name")) < 0)
		return rc;
	if (gone_of(p, fam, name))
		return perror_at(p, p->last, "no such table %s %s",
				 nftl_fam_names[fam], name);
	if ((i = find_table(p, fam, name)) < 0)
		return perror_at(p, p->last, "unsupported feature: %s in a "
				 "table this input does not declare (a "
				 "load replaces the tables it declares and "
				 "leaves the others alone)",
				 cmd->s);
	p->table = (size_t)i;
	p->family = fam;
	return 0;
}

/* Remove item `i` of `list`, keeping the order of the rest. */
static void list_remove(struct linx_value *list, uint32_t i)
{
	linx_value_clear(&list->items[i]);
	memmove(&list->items[i], &list->items[i + 1],
		(list->len - i - 1) * sizeof(list->items[0]));
	list->len--;
}

/* Forget what the input said about table `t` before a delete command
 * removed it: its references (checked at the end) and its meters. */
static void forget_table_refs(struct parser *p, size_t t)
{
	size_t j = 0;

	for (size_t i = 0; i < p->n_refs; i++)
		if (p->refs[i].table != t)
			p->refs[j++] = p->refs[i];
	p->n_refs = j;
	j = 0;
	for (size_t i = 0; i < p->n_dynrefs; i++)
		if (p->dynrefs[i].table != t)
			p->dynrefs[j++] = p->dynrefs[i];
	p->n_dynrefs = j;
	j = 0;
	for (size_t i = 0; i < p->n_meters; i++)
		if (p->meters[i].table != t)
			p->meters[j++] = p->meters[i];
	p->n_meters = j;
}

/* delete|destroy table FAMILY NAME: the table's contents so far go (its
 * place in the list stays, for the references that count by it), and
 * the table is gone until a table command declares it again. */
static int delete_table(struct parser *p, const struct tok *cmd)
{
	int fam, rc;
	const char *name;
	long i;

	parse_family(p, &fam);
	if (is_ident(peek(p), "handle"))
		return perror_at(p, peek(p), "unsupported feature: %s by "
				 "handle", cmd->s);
	if ((rc = expect_decl_name(p, &name, "a table name")) < 0)
		return rc;
	if (gone_of(p, fam, name)) {
		if (is_ident(cmd, "destroy"))
			return 0;
		return perror_at(p, p->last, "no such table %s %s",
				 nftl_fam_names[fam], name);
	}
	if ((i = find_table(p, fam, name)) >= 0) {
		struct linx_value *t = &mget(&p->rs, "tables")->items[i];
		struct linx_value n = linx_value_map();
		linx_map_put_cstring(&n, "family", nftl_fam_names[fam]);
		linx_map_put_cstring(&n, "name", name);
		if (linx_value_status(&n) < 0) {
			linx_value_clear(&n);
			return nomem(p);
		}
		linx_value_clear(t);
		*t = n;
		forget_table_refs(p, (size_t)i);
		p->ti_list = NULL;
	}
	struct gone *g = realloc(p->gone, (p->n_gone + 1) * sizeof(*g));
	if (!g)
		return nomem(p);
	p->gone = g;
	g[p->n_gone++] = (struct gone){ fam, name, cmd };
	return 0;
}

/* delete|destroy chain|set|map|flowtable|counter|quota|limit|ct helper
 * FAMILY TABLE NAME, in a table the input declares. An object the input
 * does not name is gone after the load anyway (the load replaces the
 * table), so neither command fails on it. */
static int do_delete(struct parser *p, const struct tok *cmd)
{
	const struct tok *k = next(p);
	const char *list, *kind = NULL, *name;
	int rc;

	if (is_ident(k, "table"))
		return delete_table(p, cmd);
	if (is_ident(k, "chain"))
		list = "chains";
	else if (is_ident(k, "set") || is_ident(k, "map"))
		list = "sets";
	else if (is_ident(k, "flowtable"))
		list = "flowtables";
	else if (is_ident(k, "counter") || is_ident(k, "quota") ||
		 is_ident(k, "limit"))
		list = "objects", kind = k->s;
	else if (is_ident(k, "ct") && is_ident(peek(p), "helper") &&
		 next(p))
		list = "objects", kind = "ct_helper";
	else if (is_ident(k, "rule") || is_ident(k, "element"))
		return perror_at(p, k, "unsupported feature: %s %s", cmd->s,
				 k->s);
	else
		return unexpected(p, k, "table, chain, set, map, flowtable "
					"or a named object");
	if ((rc = declared_table(p, cmd)) < 0)
		return rc;
	if (is_ident(peek(p), "handle"))
		return perror_at(p, peek(p), "unsupported feature: %s by "
				 "handle", cmd->s);
	if ((rc = expect_decl_name(p, &name, "a name")) < 0)
		return rc;
	struct linx_value *l = mget(cur_table(p), list);
	for (uint32_t i = 0; l && l->type == LINX_LIST && i < l->len; i++) {
		const struct linx_value *n = linx_map_get(&l->items[i], "name");
		const struct linx_value *kd = linx_map_get(&l->items[i], "kind");
		if (!n || n->type != LINX_STRING || !streq(n->str, name) ||
		    (kind && (!kd || kd->type != LINX_STRING ||
			      !streq(kd->str, kind))))
			continue;
		list_remove(l, i);
		p->ti_list = NULL;
		break;
	}
	return 0;
}

/* flush table|chain|set|map FAMILY TABLE [NAME]: a table's rules (all its
 * chains'), a chain's rules, a set's elements, as the input has them. */
static int do_flush(struct parser *p, const struct tok *cmd)
{
	const struct tok *k = next(p);
	const char *name;
	int rc;

	if (!is_ident(k, "table") && !is_ident(k, "chain") &&
	    !is_ident(k, "set") && !is_ident(k, "map"))
		return perror_at(p, k, "unsupported feature: flush %s",
				 k->kind == T_IDENT ? k->s : "?");
	if ((rc = declared_table(p, cmd)) < 0)
		return rc;
	struct linx_value *t = cur_table(p);
	if (is_ident(k, "table")) {
		struct linx_value *chains = mget(t, "chains");
		for (uint32_t i = 0; chains && chains->type == LINX_LIST &&
				     i < chains->len; i++) {
			struct linx_value *r = mget(&chains->items[i], "rules");
			while (r && r->type == LINX_LIST && r->len)
				list_remove(r, r->len - 1);
		}
		return 0;
	}
	if ((rc = expect_decl_name(p, &name, "a name")) < 0)
		return rc;
	bool is_chain = is_ident(k, "chain");
	struct linx_value *l = mget(t, is_chain ? "chains" : "sets");
	for (uint32_t i = 0; l && l->type == LINX_LIST && i < l->len; i++) {
		const struct linx_value *n = linx_map_get(&l->items[i], "name");
		if (!n || n->type != LINX_STRING || !streq(n->str, name))
			continue;
		struct linx_value *r = mget(&l->items[i],
					    is_chain ? "rules" : "elements");
		while (r && r->type == LINX_LIST && r->len)
			list_remove(r, r->len - 1);
		return 0;
	}
	return perror_at(p, p->last, "no such %s %s", k->s, name);
}

static int parse_file_text(struct parser *p, size_t file);

/* How many includes deep the token stream is now: files parsed from the
 * top level, and files spliced into a block. */
static unsigned include_depth(const struct parser *p)
{
	unsigned d = p->depth;

	for (size_t i = 0; i < p->n_src; i++)
		d += p->src[i].spliced;
	return d;
}

/* Reads the file `path` names (what `include` at `t` asked for) into a
 * new entry of the file table, after the checks every included file
 * passes: it resolves (symbolic links too) to a regular file under the
 * root directory, of at most 64 MiB.  Returns the entry's index. */
static int include_read(struct parser *p, const struct tok *t,
			const char *path, const char *shown)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		return perror_at(p, t, "cannot include %s: %s", shown,
				 strerror(errno));
	size_t rl = strlen(p->root);
	if (strncmp(real, p->root, rl) != 0 ||
	    (real[rl] != '/' && real[rl] != 0 && !streq(p->root, "/")))
		return perror_at(p, t, "include escapes the root directory: %s",
				 shown);
	if (p->n_files >= MAX_FILES || p->n_src + 1 >= MAX_SRC)
		return perror_at(p, t, "too many included files");
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return perror_at(p, t, "cannot include %s: %s", shown,
				 strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > NFT_LANG_MAX_TEXT) {
		close(fd);
		return perror_at(p, t, "cannot include %s: not a regular file "
				       "of at most 64 MiB",
				 shown);
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	if (!buf) {
		close(fd);
		return nomem(p);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = 0;
	struct pfile *f = &p->files[p->n_files];
	f->name = strdup(real);
	f->text = buf;
	f->len = got;
	p->n_files++;
	if (!f->name)
		return nomem(p);
	return (int)(p->n_files - 1);
}

/* The tokens of included files [first, end) on top of the stream, one
 * file after the other. Each file's end becomes an end of statement, so
 * its last line ends there, as in nft. */
static int include_splice(struct parser *p, size_t first, size_t end)
{
	for (size_t i = first; i < end; i++) {
		struct pfile *f = &p->files[i];
		struct lex_err le = { 0 };
		int rc = nftl_lex(f->text, f->len, (uint32_t)i, &f->toks, &le);

		if (rc == -EINVAL) {
			fill_perr(p, (uint32_t)i, le.line, le.col, le.msg);
			return rc;
		}
		if (rc < 0)
			return nomem(p);
		f->toks.v[f->toks.n - 1].kind = T_SEP;
	}
	if (first == end)
		return 0;
	p->src[p->n_src++] = (struct src){
		.v = p->files[first].toks.v, .n = p->files[first].toks.n,
		.spliced = true, .next_file = (uint32_t)first + 1,
		.end_file = (uint32_t)end
	};
	return 0;
}

/* The files a wildcard names, in glob(3)'s sorted order, each read and
 * checked as a single include is; no match is no file, and directories
 * are left out, as nft does (its include_glob()). */
static int include_glob(struct parser *p, const struct tok *t,
			const char *pattern)
{
	glob_t g;
	int gr = glob(pattern, GLOB_MARK, NULL, &g), rc = 0;

	if (gr == GLOB_NOSPACE)
		rc = nomem(p);
	else if (gr != 0 && gr != GLOB_NOMATCH)
		rc = perror_at(p, t, "cannot include %s: cannot read a "
				     "directory",
			       t->s);
	for (size_t i = 0; gr == 0 && rc >= 0 && i < g.gl_pathc; i++) {
		size_t l = strlen(g.gl_pathv[i]);
		if (l && g.gl_pathv[i][l - 1] != '/')
			rc = include_read(p, t, g.gl_pathv[i], g.gl_pathv[i]);
	}
	globfree(&g);
	return rc < 0 ? rc : 0;
}

/* Whether the absolute `path`, taken as text ("." and ".." resolved as
 * names, no symbolic link followed, wildcards as plain characters),
 * stays under the root directory; and, for a pattern, that no component
 * could match "..".  Decided before anything is looked up, so that an
 * include outside the root is refused alike whether or not its file
 * exists: the error tells nothing of the file system there. */
static bool include_under_root(const struct parser *p, const char *path,
			       bool wild)
{
	char norm[PATH_MAX];
	size_t n = 0;

	for (const char *c = path; *c;) {
		const char *e = strchrnul(c, '/');
		size_t l = (size_t)(e - c);

		if (wild && l > 1 && c[0] == '.' && memchr(c, '*', l))
			return false;
		if (wild && l > 1 && c[0] == '.' &&
		    (memchr(c, '?', l) || memchr(c, '[', l)))
			return false;
		if (l == 2 && c[0] == '.' && c[1] == '.') {
			while (n > 0 && norm[n - 1] != '/')
				n--;
			if (n > 0)
				n--; /* the slash before the name */
		} else if (l && !(l == 1 && c[0] == '.')) {
			if (n + 1 + l >= sizeof(norm))
				return false;
			norm[n++] = '/';
			memcpy(norm + n, c, l);
			n += l;
		}
		c = *e ? e + 1 : e;
	}
	norm[n] = 0;
	size_t rl = strlen(p->root);
	return streq(p->root, "/") ||
	       (strncmp(norm, p->root, rl) == 0 &&
		(norm[rl] == '/' || norm[rl] == 0));
}

/* include "FILE": at the top level (`block` false) each file is parsed
 * now as a sequence of commands; inside a block its lines are spliced
 * into the block (the caller has consumed the statement's end). */
static int do_include(struct parser *p, const struct tok *at, bool block)
{
	const struct tok *t = next(p);
	char dir[PATH_MAX], path[PATH_MAX * 2];
	int rc;

	if (t->kind != T_STRING)
		return unexpected(p, t, "a file name");
	if (include_depth(p) >= p->max_depth)
		return perror_at(p, at, "include nested deeper than %u",
				 p->max_depth);
	if (!p->have_root)
		return perror_at(p, at, "include is not allowed here (no "
					"root directory)");
	bool wild = strpbrk(t->s, "*?[") != NULL;
	const char *cur = p->files[at->file].name;
	const char *slash = cur ? strrchr(cur, '/') : NULL;
	if (t->s[0] == '/')
		snprintf(path, sizeof(path), "%s", t->s);
	else {
		if (slash)
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - cur), cur);
		else
			snprintf(dir, sizeof(dir), "%s", p->root);
		/* the directory is a path, not a pattern */
		size_t n = 0;
		for (const char *c = dir; wild && *c && n + 2 < sizeof(path);
		     c++) {
			if (strchr("*?[\\", *c))
				path[n++] = '\\';
			path[n++] = *c;
		}
		snprintf(path + n, sizeof(path) - n, "%s/%s", wild ? "" : dir,
			 t->s);
	}
	if (block) {
		/* nft: `include "x"` and its newline or semicolon */
		if (peek(p)->kind != T_SEP)
			return unexpected(p, peek(p), "newline or semicolon");
		next(p);
	}
	/* the path as text: for a pattern, without its directory's escapes */
	char plain[PATH_MAX * 2];
	size_t pl = t->s[0] == '/' || !wild
			    ? (size_t)snprintf(plain, sizeof(plain), "%s", path)
			    : (size_t)snprintf(plain, sizeof(plain), "%s/%s",
					       dir, t->s);
	if (pl >= sizeof(plain) || !include_under_root(p, plain, wild))
		return perror_at(p, t, "include escapes the root directory: %s",
				 t->s);
	size_t first = p->n_files;
	if ((rc = wild ? include_glob(p, t, path)
		       : include_read(p, t, path, t->s)) < 0)
		return rc;
	if (block)
		return include_splice(p, first, p->n_files);
	for (size_t i = first, end = p->n_files; i < end && rc >= 0; i++) {
		p->depth++;
		rc = parse_file_text(p, i);
		p->depth--;
	}
	return rc;
}

/* define NAME = VALUE (`redefine`: also of a name already defined). */
static int do_define(struct parser *p, bool redefine)
{
	const struct tok *t = next(p);

	if (t->kind != T_IDENT && t->kind != T_VAR)
		return unexpected(p, t, "a variable name");
	/* nft: a define of a name defined in this block or around it is an
	 * error, a redefine hides it until the end of the block */
	if (!redefine && find_def(p, t->s))
		return perror_at(p, t, "redefinition of symbol '%s'", t->s);
	if (expect_punct(p, '=') < 0)
		return -EINVAL;
	if (p->n_defs >= NFT_LANG_MAX_DEFINES)
		return perror_at(p, t, "too many defines");
	/* the value: raw tokens up to the end of the statement, braces
	 * balanced; defines used in it were expanded by peek() already,
	 * but only in the stream: keep the tokens of this file. */
	struct src *s = &p->src[p->n_src - 1];
	if (s->is_define)
		return perror_at(p, t, "define inside a variable");
	size_t start = s->i;
	int depth = 0;
	while (s->i < s->n) {
		const struct tok *x = &s->v[s->i];
		if (x->kind == T_EOF || (x->kind == T_SEP && depth == 0))
			break;
		if (x->kind == T_PUNCT && x->c == '{')
			depth++;
		/* a brace closing the block the define is in: the caller
		 * wants a newline or semicolon first */
		if (x->kind == T_PUNCT && x->c == '}' && --depth < 0)
			break;
		if (x->kind == T_VAR && strcmp(x->s, t->s) == 0)
			return perror_at(p, x, "variable $%s refers to itself",
					 t->s);
		s->i++;
	}
	if (s->i == start) /* nft: at what ends it */
		return perror_at(p, s->i < s->n ? &s->v[s->i] : t,
				 "empty define");
	/* a define's value is an expression in nft's grammar: a verdict
	 * (`define v = accept`) is its syntax error */
	if (s->v[start].kind == T_IDENT && is_verdict_word(s->v[start].s))
		return perror_at(p, &s->v[start], "syntax error, unexpected %s",
				 s->v[start].s);
	struct define *d = realloc(p->defs, (p->n_defs + 1) * sizeof(*d));
	if (!d)
		return nomem(p);
	p->defs = d;
	d[p->n_defs].name = strdup(t->s);
	if (!d[p->n_defs].name)
		return nomem(p);
	d[p->n_defs].v = &s->v[start];
	d[p->n_defs].n = s->i - start;
	p->n_defs++;
	return 0;
}

/* undefine NAME: of the defines of the innermost block, as nft unbinds
 * a name in the current scope only. */
static int do_undefine(struct parser *p)
{
	const struct tok *v = next(p);

	if (v->kind != T_IDENT)
		return unexpected(p, v, "a variable name");
	for (size_t i = p->n_defs; i > p->def_scope; i--)
		if (strcmp(p->defs[i - 1].name, v->s) == 0) {
			p->defs[i - 1].name[0] = 0;
			break;
		}
	return 0;
}

/* A table or chain block opens a scope for defines: what is defined in
 * it is gone after its closing brace (nft's open_scope/close_scope).
 * Returns what scope_close() wants back. */
static size_t scope_open(struct parser *p)
{
	size_t outer = p->def_scope;

	p->def_scope = p->n_defs;
	return outer;
}

static void scope_close(struct parser *p, size_t outer)
{
	while (p->n_defs > p->def_scope)
		free(p->defs[--p->n_defs].name);
	p->def_scope = outer;
}

/* The lines nft takes in every block (its common_block): include,
 * define, redefine and undefine.  `t` is the next token; a line that is
 * one of them is read whole with its end (an included file's lines
 * then follow in the stream). 1: it was one, 0: it was not. */
static int block_common(struct parser *p, const struct tok *t)
{
	int rc;

	if (is_ident(t, "include")) {
		next(p);
		rc = do_include(p, t, true);
		return rc < 0 ? rc : 1;
	}
	if (is_ident(t, "define") || is_ident(t, "redefine")) {
		next(p);
		rc = do_define(p, t->s[0] == 'r');
	} else if (is_ident(t, "undefine")) {
		next(p);
		rc = do_undefine(p);
	} else {
		return 0;
	}
	if (rc < 0)
		return rc;
	if (peek(p)->kind != T_SEP)
		return unexpected(p, peek(p), "newline or semicolon");
	return 1;
}

/* One type name of a declared set: a `type` word, or the `integer/N`
 * (bits) a typeof of a plain integer or raw payload gave it. */
static int declared_one(struct parser *p, const struct tok *t, unsigned *dt,
			unsigned *len, const char **name)
{
	for (unsigned n = 1; n <= 16; n++)
		if (streq(t->s, nftl_raw_settype(n))) {
			*dt = DT_INT;
			*len = n;
			*name = t->s;
			return 0;
		}
	return set_type(p, t, dt, len, name);
}

/* The key or data type a set this input declared has (`types`: a type
 * name, or a concatenation's list of them), read back for elements
 * added to it later: `k` filled for a concatenation, `dt` and `len` the
 * (last) component's. */
static int declared_type(struct parser *p, const struct linx_value *types,
			 const struct tok *at, struct ckey *k, unsigned *dt,
			 unsigned *len)
{
	struct tok fake = { .kind = T_IDENT, .line = at->line,
			    .col = at->col, .file = at->file };
	const char *tn;
	int rc;

	if (types && types->type == LINX_STRING) {
		fake.s = types->str;
		return declared_one(p, &fake, dt, len, &tn);
	}
	if (!types || types->type != LINX_LIST || types->len < 2)
		return perror_at(p, at, "unsupported feature: elements of "
					"this set");
	for (uint32_t i = 0; i < types->len; i++) {
		if (types->items[i].type != LINX_STRING)
			return perror_at(p, at, "unsupported feature: "
						"elements of this set");
		fake.s = types->items[i].str;
		if ((rc = declared_one(p, &fake, dt, len, &tn)) < 0 ||
		    (rc = ckey_add(p, k, *dt, *len, at)) < 0)
			return rc;
	}
	return 0;
}

/* add element FAMILY TABLE SET { ... }: appended to a set this input
 * declared (the value has no other place for them). */
static int add_element(struct parser *p)
{
	const char *name;
	unsigned dt, len, ddt = 0, dlen = 0;
	bool created, interval = false;
	int rc, kind = 0;

	if ((rc = table_head(p)) < 0 ||
	    (rc = expect_decl_name(p, &name, "a set name")) < 0)
		return rc;
	const struct tok *at = p->last;
	struct linx_value *set = table_item(p, "sets", name, &created);
	if (!set)
		return nomem(p);
	if (created) {
		/* not declared here: drop the placeholder again */
		struct linx_value *l = mget(cur_table(p), "sets");
		linx_value_clear(&l->items[--l->len]);
		return perror_at(p, at, "set %s is not declared in this "
					"input", name);
	}
	const struct linx_value *kt = linx_map_get(set, "key_type");
	const struct linx_value *dtv = linx_map_get(set, "data_type");
	const struct linx_value *fl = linx_map_get(set, "flags");
	struct ckey ck = { 0 }, dck = { 0 };
	if ((rc = declared_type(p, kt, at, &ck, &dt, &len)) < 0)
		return rc;
	if (dtv && dtv->type == LINX_STRING && streq(dtv->str, "verdict")) {
		kind = 2;
	} else if (dtv && dtv->type == LINX_STRING &&
		   nftl_object_type_word(dtv->str)) {
		kind = 3;
		p->obj_kind = dtv->str;
	} else if (dtv) {
		if ((rc = declared_type(p, dtv, at, &dck, &ddt, &dlen)) < 0)
			return rc;
		kind = 1;
	}
	for (uint32_t i = 0; fl && fl->type == LINX_LIST && i < fl->len; i++)
		if (fl->items[i].type == LINX_STRING &&
		    streq(fl->items[i].str, "interval"))
			interval = true;
	if ((rc = expect_punct(p, '{')) < 0)
		return rc;
	struct linx_value elems;
	bool iv = false;
	p->elem_stmts = true;
	p->ck = ck.n > 1 ? &ck : NULL;
	p->dck = dck.n > 1 ? &dck : NULL;
	const struct linx_value *div = linx_map_get(set, "data_interval");
	p->data_iv_ok = div && div->type == LINX_BOOL && div->b;
	rc = parse_elements(p, dt, len, true, kind, ddt, dlen, &elems, &iv);
	p->data_iv_ok = p->data_iv = false;
	p->ck = NULL;
	p->dck = NULL;
	p->elem_stmts = false;
	p->obj_kind = NULL;
	if (rc < 0) {
		linx_value_clear(&elems);
		return rc;
	}
	if (iv && !interval) {
		linx_value_clear(&elems);
		return perror_at(p, p->first_iv, "a prefix or range needs "
						 "flags interval");
	}
	set = table_item(p, "sets", name, &created);
	struct linx_value *l = mlist(set, "elements");
	for (uint32_t i = 0; l && i < elems.len; i++)
		if (linx_list_push(l, &elems.items[i]) < 0) {
			linx_value_clear(&elems);
			return nomem(p);
		}
	linx_value_clear(&elems);
	return 0;
}

/* add|insert rule FAMILY TABLE CHAIN RULE: a rule appended to (`front`:
 * put before) the rules the input gave the chain so far. */
static int add_rule(struct parser *p, const struct tok *k, bool front)
{
	const char *chain;
	int rc;

	if (!is_ident(k, "rule"))
		return unexpected(p, k, "rule");
	if ((rc = table_head(p)) < 0 ||
	    (rc = expect_decl_name(p, &chain, "a chain name")) < 0)
		return rc;
	bool created;
	struct linx_value *c = table_item(p, "chains", chain, &created);
	if (!c)
		return nomem(p);
	if (created)
		return perror_at(p, p->last, "no such chain %s", chain);
	const struct tok *at = peek(p);
	if (is_ident(at, "position") || is_ident(at, "index") ||
	    is_ident(at, "handle"))
		return perror_at(p, at, "unsupported feature: a rule's %s",
				 at->s);
	struct linx_value rule;
	if ((rc = parse_rule(p, &rule)) < 0)
		return rc;
	c = table_item(p, "chains", chain, &created);
	struct linx_value *rules = mlist(c, "rules");
	if (!rules || linx_list_push(rules, &rule) < 0)
		return nomem(p);
	if (front && rules->len > 1) {
		struct linx_value last = rules->items[rules->len - 1];
		memmove(&rules->items[1], &rules->items[0],
			(rules->len - 1) * sizeof(rules->items[0]));
		rules->items[0] = last;
	}
	return 0;
}

static int do_insert(struct parser *p, const struct tok *cmd)
{
	(void)cmd;
	return add_rule(p, next(p), true);
}

/* `add KIND FAMILY TABLE NAME` after the name: the object's block, or
 * for a counter, quota or limit its one line (a counter's may be
 * empty), as nft takes them. */
static int add_object(struct parser *p, const char *kind, const char *name)
{
	int rc;

	if (accept_punct(p, '{'))
		return parse_object(p, kind, name);
	if (!streq(kind, "counter") && !streq(kind, "quota") &&
	    !streq(kind, "limit"))
		return expect_punct(p, '{');
	p->obj_inline = true;
	rc = parse_object(p, kind, name);
	p->obj_inline = false;
	return rc;
}

static int parse_top(struct parser *p)
{
	int rc;

	for (;;) {
		skip_seps(p);
		const struct tok *t = peek(p);
		if (t->kind == T_EOF)
			return 0;
		next(p);
		if (is_ident(t, "table")) {
			if ((rc = table_head_as(p, true)) < 0)
				return rc;
			if (accept_punct(p, '{') && (rc = parse_table_block(p)) < 0)
				return rc;
		} else if (is_ident(t, "add") || is_ident(t, "create")) {
			const struct tok *k = next(p);
			if (is_ident(k, "table")) {
				if ((rc = table_head_as(p, true)) < 0)
					return rc;
				if (accept_punct(p, '{') &&
				    (rc = parse_table_block(p)) < 0)
					return rc;
			} else if (is_ident(k, "ct") || is_ident(k, "limit") ||
				   is_ident(k, "synproxy")) {
				const char *kind = k->s, *name;
				if (is_ident(k, "ct")) {
					const struct tok *w = next(p);
					if (!(kind = ct_object_kind(w)))
						return perror_at(p, w,
								 "unsupported "
								 "feature: ct "
								 "%s objects",
								 w->kind == T_IDENT
									 ? w->s
									 : "?");
				}
				if ((rc = table_head(p)) < 0 ||
				    (rc = expect_decl_name(p, &name,
							   "an object name")) <
					    0 ||
				    (rc = add_object(p, kind, name)) < 0)
					return rc;
			} else if (is_ident(k, "chain") || is_ident(k, "set") ||
				   is_ident(k, "map") || is_ident(k, "counter") ||
				   is_ident(k, "quota") || is_ident(k, "flowtable")) {
				if ((rc = table_head(p)) < 0)
					return rc;
				/* back up to the keyword: the table item parser
				 * reads it; emulate by dispatching */
				const char *name;
				if ((rc = expect_decl_name(p, &name, "a name")) < 0)
					return rc;
				if (is_ident(k, "chain")) {
					bool created;
					if (!table_item(p, "chains", name, &created))
						return nomem(p);
					if (accept_punct(p, '{') &&
					    (rc = parse_chain_body(p, name)) < 0)
						return rc;
				} else if (is_ident(k, "set") || is_ident(k, "map")) {
					if ((rc = expect_punct(p, '{')) < 0 ||
					    (rc = parse_set_body(p, name,
								 k->s[0] == 'm')) < 0)
						return rc;
				} else if (is_ident(k, "flowtable")) {
					if ((rc = expect_punct(p, '{')) < 0 ||
					    (rc = parse_flowtable(p, name)) < 0)
						return rc;
				} else {
					if ((rc = add_object(p, k->s, name)) < 0)
						return rc;
				}
			} else if (is_ident(k, "rule")) {
				if ((rc = add_rule(p, k, false)) < 0)
					return rc;
			} else if (is_ident(k, "element")) {
				if ((rc = add_element(p)) < 0)
					return rc;
			} else {
				return unexpected(p, k, "table, chain, rule, set "
							"or map");
			}
		} else if (is_ident(t, "flush")) {
			/* flush ruleset: the tables of the file replace their
			 * namesakes, a load replaces them whole; see
			 * docs/nft/lang.md */
			if (!accept_ident(p, "ruleset") &&
			    (rc = do_flush(p, t)) < 0)
				return rc;
		} else if (is_ident(t, "delete") || is_ident(t, "destroy")) {
			if ((rc = do_delete(p, t)) < 0)
				return rc;
		} else if (is_ident(t, "insert")) {
			if ((rc = do_insert(p, t)) < 0)
				return rc;
		} else if (is_ident(t, "define") || is_ident(t, "redefine")) {
			if ((rc = do_define(p, t->s[0] == 'r')) < 0)
				return rc;
		} else if (is_ident(t, "undefine")) {
			if ((rc = do_undefine(p)) < 0)
				return rc;
		} else if (is_ident(t, "include")) {
			if ((rc = do_include(p, t, false)) < 0)
				return rc;
		} else if (t->kind == T_IDENT &&
			   (streq(t->s, "replace") ||
			    streq(t->s, "list") ||
			    streq(t->s, "reset") ||
			    streq(t->s, "rename"))) {
			return perror_at(p, t, "unsupported feature: %s commands",
					 t->s);
		} else if (t->kind == T_IDENT && !nftl_is_keyword(t->s) &&
			   (peek(p)->kind != T_IDENT ||
			    nftl_is_keyword(peek(p)->s))) {
			/* nft reads `WORD ...` as an `add rule` without its
			 * words, WORD the table: it fails at what follows when
			 * that is no chain name (`tabel inet t`: at inet) */
			return unexpected(p, peek(p), "a chain name");
		} else {
			return unexpected(p, t, "table, include or define");
		}
		t = peek(p);
		if (t->kind != T_SEP && t->kind != T_EOF)
			return unexpected(p, t, "newline or semicolon");
	}
}

static int parse_file_text(struct parser *p, size_t file)
{
	struct pfile *f = &p->files[file];
	struct lex_err le = { 0 };
	int rc = nftl_lex(f->text, f->len, (uint32_t)file, &f->toks, &le);

	if (rc == -EINVAL) {
		fill_perr(p, (uint32_t)file, le.line, le.col, le.msg);
		return rc;
	}
	if (rc < 0)
		return nomem(p);
	if (p->n_src >= MAX_SRC)
		return perror_at(p, p->last, "too deep");
	/* drop a trailing EOF from the source: peek() stops at its end */
	p->src[p->n_src++] = (struct src){ .v = f->toks.v, .n = f->toks.n - 1 };
	size_t keep = p->n_src;
	rc = parse_top(p);
	p->n_src = keep - 1;
	return rc;
}

/* Tables in canonical key order, without empty lists. */
static int normalise(struct linx_value *rs)
{
	static const char *const keys[] = { "family", "name", "flags",
					    "comment", "chains", "sets",
					    "objects", "flowtables" };
	struct linx_value *tables = mget(rs, "tables");

	for (uint32_t i = 0; tables && i < tables->len; i++) {
		struct linx_value *t = &tables->items[i], n = linx_value_map();
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			struct linx_value *v = mget(t, keys[k]);
			if (!v || (v->type == LINX_LIST && v->len == 0))
				continue;
			linx_map_put(&n, keys[k], v);
		}
		linx_value_clear(t);
		*t = n;
	}
	return linx_value_status(rs);
}

int linx_nft_parse(const char *text, size_t len,
		   const struct linx_nft_parse_opts *opts,
		   struct linx_value *ruleset, struct linx_nft_parse_error *perr,
		   struct linx_error *err)
{
	struct parser *p;
	int rc;

	if (perr)
		memset(perr, 0, sizeof(*perr));
	if (!ruleset || (!text && len))
		return linx_error_param(err, "parse", "ruleset",
					"text and ruleset are required");
	*ruleset = linx_value_nil();
	if (len > NFT_LANG_MAX_TEXT)
		return linx_error_set(err, EFBIG, "parse",
				      "text longer than 64 MiB");
	if (opts && opts->values && opts->values->type != LINX_MAP)
		return linx_error_param(err, "parse", "values",
					"values must be a map");
	p = calloc(1, sizeof(*p));
	if (!p)
		return linx_error_set(err, ENOMEM, "parse", "out of memory");
	p->opts = opts;
	p->perr = perr;
	p->err = err;
	p->nat_pairs = -1;
	p->max_depth = opts && opts->max_include_depth
			       ? opts->max_include_depth
			       : NFT_LANG_MAX_INCLUDE;
	const char *file = opts && opts->file ? opts->file : NULL;
	const char *root = opts ? opts->root_dir : NULL;
	if (root && realpath(root, p->root))
		p->have_root = true;
	p->rs = linx_value_map();
	struct linx_value tl = linx_value_list();
	linx_map_put(&p->rs, "tables", &tl);
	p->files[0].name = strdup(file ? file : "nofile");
	p->files[0].text = malloc(len + 1);
	p->n_files = 1;
	if (!p->files[0].name || !p->files[0].text) {
		rc = nomem(p);
		goto out;
	}
	if (len)
		memcpy(p->files[0].text, text, len);
	p->files[0].text[len] = 0;
	p->files[0].len = len;
	/* a NUL inside the text is an error at its place */
	const char *z = len ? memchr(text, 0, len) : NULL;
	if (z) {
		uint32_t line = 1, col = 1;
		for (const char *s = text; s < z; s++) {
			if (*s == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		fill_perr(p, 0, line, col, "unexpected byte 0x00");
		rc = -EINVAL;
		goto out;
	}
	rc = parse_file_text(p, 0);
	if (rc == 0 && p->n_gone)
		rc = perror_at(p, p->gone[0].at, "unsupported feature: %s of "
			       "a table the input does not declare again (a "
			       "load replaces the tables it declares and "
			       "leaves the others alone)",
			       p->gone[0].at->s);
	if (rc == 0)
		rc = dynrefs_resolve(p);
	if (rc == 0) {
		rc = normalise(&p->rs);
		if (rc < 0)
			rc = nomem(p);
	}
	if (rc == 0) {
		*ruleset = p->rs;
		p->rs = linx_value_nil();
	}
out:
	linx_value_clear(&p->rs);
	for (size_t i = 0; i < p->n_files; i++) {
		free(p->files[i].name);
		free(p->files[i].text);
		nftl_tok_list_free(&p->files[i].toks);
	}
	for (size_t i = 0; i < p->n_defs; i++)
		free(p->defs[i].name);
	free(p->defs);
	free(p->dynrefs);
	free(p->natrefs);
	free(p->objmaprefs);
	free(p->meters);
	free(p->refs);
	free(p->gone);
	free(p);
	return rc;
}

int linx_nft_parse_file(const char *path,
			const struct linx_nft_parse_opts *opts,
			struct linx_value *ruleset,
			struct linx_nft_parse_error *perr,
			struct linx_error *err)
{
	struct linx_nft_parse_opts o = { 0 };
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd, rc;

	if (!path || !ruleset)
		return linx_error_param(err, "parse", "path",
					"path and ruleset are required");
	*ruleset = linx_value_nil();
	if (opts)
		o = *opts;
	if (!o.file)
		o.file = path;
	char rootbuf[PATH_MAX];
	if (!o.root_dir) {
		const char *sl = strrchr(path, '/');
		if (!sl)
			snprintf(rootbuf, sizeof(rootbuf), ".");
		else if (sl == path)
			snprintf(rootbuf, sizeof(rootbuf), "/");
		else
			snprintf(rootbuf, sizeof(rootbuf), "%.*s",
				 (int)(sl - path), path);
		o.root_dir = rootbuf;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return linx_error_set_object(err, errno, "open", path, "%s",
					     strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > NFT_LANG_MAX_TEXT) {
		close(fd);
		return linx_error_set_object(err, EINVAL, "open", path,
					     "not a regular file of at most "
					     "64 MiB");
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return linx_error_set(err, ENOMEM, "parse", "out of memory");
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	rc = linx_nft_parse(buf, got, &o, ruleset, perr, err);
	free(buf);
	return rc;
}

size_t linx_nft_parse_error_format(const struct linx_nft_parse_error *e,
				   char *buf, size_t size)
{
	char caret[300];
	size_t c = 0;
	int n;

	if (!e)
		return 0;
	for (uint32_t i = 1; i < e->column && c + 2 < sizeof(caret); i++)
		caret[c++] = e->snippet[i - 1 < sizeof(e->snippet) && i - 1 < strlen(e->snippet) ? i - 1 : 0] == '\t' ? '\t' : ' ';
	caret[c++] = '^';
	caret[c] = 0;
	n = snprintf(buf, size, "%s:%u:%u: %s\n|\n| %s\n| %s\n", e->file,
		     (unsigned)e->line, (unsigned)e->column, e->message,
		     e->snippet, caret);
	return n < 0 ? 0 : (size_t)n;
}
