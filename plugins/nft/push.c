/* SPDX-License-Identifier: MIT */
/*
 * push: a ruleset value into the kernel in one atomic batch.  Replace mode
 * recreates each named table whole; reconcile mode pulls, diffs and
 * applies only the patch under the generation it pulled (diff.c), and
 * starts again when another writer got in between.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nft-internal.h"

#define RECONCILE_RETRIES 3

int linx_nft_validate(const struct linx_value *ruleset, struct linx_error *err)
{
	return nft_validate(ruleset, 0, err);
}

int nft_validate(const struct linx_value *ruleset, unsigned flags,
		 struct linx_error *err)
{
	const struct linx_value *tables;
	uint8_t fam;
	int r;

	if (!ruleset || ruleset->type != LINX_MAP)
		return nft_bad(err, "bad_ruleset", NULL,
			       "expected a map with \"tables\"");
	if ((r = nft_get_list(ruleset, "tables", "bad_ruleset", &tables, err)) <
	    0)
		return r;
	for (uint32_t i = 0; tables && i < tables->len; i++) {
		const struct linx_value *t = &tables->items[i];

		if ((r = nft_table_check(t, &fam, flags, err)) < 0)
			return r;
		for (uint32_t j = 0; j < i; j++) {
			const struct linx_value *u = &tables->items[j];

			if (linx_value_equal(linx_map_get(t, "family"),
					     linx_map_get(u, "family")) &&
			    linx_value_equal(linx_map_get(t, "name"),
					     linx_map_get(u, "name")))
				return nft_bad(err, "bad_ruleset", NULL,
					       "duplicate_table: %s %s",
					       linx_map_get(t, "family")->str,
					       linx_map_get(t, "name")->str);
		}
	}
	return 0;
}

static const struct linx_value *list_of(const struct linx_value *m,
					const char *key)
{
	const struct linx_value *v = linx_map_get(m, key);

	return v && v->type == LINX_LIST ? v : NULL;
}

/* Whether the named sets of table value `t` leave every anonymous set
 * number free: none has a name of nftables' reserved "__" form. */
static bool anon_names_free(const struct linx_value *t)
{
	const struct linx_value *l = list_of(t, "sets");

	for (uint32_t i = 0; l && i < l->len; i++) {
		const struct linx_value *n = linx_map_get(&l->items[i], "name");

		if (n && n->type == LINX_STRING && strncmp(n->str, "__", 2) == 0)
			return false;
	}
	return true;
}

/* The messages creating a whole table (already validated): the table,
 * every chain, its objects, sets with their elements, flowtables, then
 * every rule, so that jumps (from rules and from verdict map elements)
 * and lookups find their targets. */
int nft_table_put_all(struct nft_batch *bt, const struct linx_value *t,
		      struct linx_error *err)
{
	const struct linx_value *l, *chains;
	struct nft_enc e = { .bt = bt, .table_v = t, .err = err };
	/* The table is new in this batch: its anonymous sets are numbered
	 * here, from 0 per template in the order they are sent, the
	 * numbers the kernel would pick (unless a named set took one). */
	uint32_t anon_next[NFT_ANON_TEMPLATES] = { 0 };
	int64_t fam;
	int r;

	nft_sym_val(nft_families, linx_map_get(t, "family")->str, &fam);
	e.family = (uint8_t)fam;
	e.table = linx_map_get(t, "name")->str;
	if (anon_names_free(t))
		e.anon_next = anon_next;
	if ((r = nft_table_put(&e, t, 0)) < 0)
		return r;
	chains = list_of(t, "chains");
	for (uint32_t i = 0; chains && i < chains->len; i++)
		if ((r = nft_chain_put(&e, &chains->items[i], 0)) < 0)
			return r;
	if ((l = list_of(t, "objects")))
		for (uint32_t i = 0; i < l->len; i++)
			if ((r = nft_object_put(&e, &l->items[i], 0)) < 0)
				return r;
	if ((l = list_of(t, "sets")))
		for (uint32_t i = 0; i < l->len; i++)
			if ((r = nft_set_put(&e, &l->items[i], 0)) < 0)
				return r;
	if ((l = list_of(t, "flowtables")))
		for (uint32_t i = 0; i < l->len; i++)
			if ((r = nft_flowtable_put(&e, &l->items[i], 0)) < 0)
				return r;
	if (!(l = chains))
		return 0;
	for (uint32_t i = 0; i < l->len; i++) {
		const struct linx_value *rules = list_of(&l->items[i], "rules");

		e.chain = linx_map_get(&l->items[i], "name")->str;
		for (uint32_t j = 0; rules && j < rules->len; j++) {
			e.rule_index = j;
			if ((r = nft_rule_put(&e, &rules->items[j], 0)) < 0)
				return r;
		}
	}
	return 0;
}

static int push_replace(struct linx_nft *s, const struct linx_value *ruleset,
			struct linx_value *report, struct linx_error *err)
{
	const struct linx_value *tables = list_of(ruleset, "tables");
	struct nft_batch bt;
	int r = 0;

	nft_batch_init(&bt);
	for (uint32_t i = 0; tables && i < tables->len && r == 0; i++) {
		const struct linx_value *t = &tables->items[i];
		int64_t fam;

		nft_sym_val(nft_families, linx_map_get(t, "family")->str, &fam);
		/* Adding then deleting the table makes the delete silent when
		 * the table is absent, on every kernel (DESTROYTABLE needs
		 * 6.3), and keeps the whole replacement one transaction. */
		nft_table_put_ref(&bt, NFT_MSG_NEWTABLE, NLM_F_CREATE,
				  (uint8_t)fam, linx_map_get(t, "name")->str);
		nft_table_put_ref(&bt, NFT_MSG_DELTABLE, 0, (uint8_t)fam,
				  linx_map_get(t, "name")->str);
		r = nft_table_put_all(&bt, t, err);
	}
	if (r == 0) {
		pthread_mutex_lock(&s->lock);
		r = nft_batch_send(s, &bt, NULL, err);
		pthread_mutex_unlock(&s->lock);
	}
	if (r == 0 && report) {
		*report = linx_value_map();
		linx_map_put_cstring(report, "mode", "replace");
		linx_map_put_uint(report, "messages", bt.n);
		linx_map_put_uint(report, "attempts", 1);
	}
	nft_batch_fini(&bt);
	return r;
}

/* Wait 2^attempt ms (1, 2, 4, ...) before another reconcile attempt. */
static void backoff(unsigned attempt)
{
	struct timespec ts = { 0, (long)(1000000L << (attempt < 8 ? attempt : 8)) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Delete ops for the tables in `release` ("family/name" strings) that
 * the desired ruleset no longer names but the kernel still has. */
static int add_releases(const struct linx_value *current,
			const struct linx_value *ruleset,
			const struct linx_value *release,
			struct linx_value *patch)
{
	struct linx_value *ops = (struct linx_value *)linx_map_get(patch, "ops");
	const struct linx_value *want = linx_map_get(ruleset, "tables");
	const struct linx_value *have = linx_map_get(current, "tables");
	struct linx_value dels = linx_value_list();

	for (uint32_t i = 0; release && i < release->len; i++) {
		const char *id = release->items[i].str;
		bool wanted = false, present = false;
		char buf[300];

		if (release->items[i].type != LINX_STRING)
			continue;
		for (uint32_t j = 0; want && j < want->len; j++) {
			snprintf(buf, sizeof(buf), "%s/%s",
				 linx_map_get(&want->items[j], "family")->str,
				 linx_map_get(&want->items[j], "name")->str);
			wanted |= strcmp(buf, id) == 0;
		}
		for (uint32_t j = 0; have && j < have->len; j++) {
			const struct linx_value *f =
				linx_map_get(&have->items[j], "family");
			const struct linx_value *n =
				linx_map_get(&have->items[j], "name");

			if (!f || f->type != LINX_STRING || !n)
				continue;
			snprintf(buf, sizeof(buf), "%s/%s", f->str, n->str);
			if (strcmp(buf, id) == 0 && !wanted && !present) {
				struct linx_value op = linx_value_map();

				present = true;
				linx_map_put_cstring(&op, "op", "delete_table");
				linx_map_put_cstring(&op, "family", f->str);
				linx_map_put_cstring(&op, "table", n->str);
				linx_list_push(&dels, &op);
			}
		}
	}
	/* Table deletions go before the creations: in front. */
	for (uint32_t i = 0; ops && i < ops->len; i++)
		linx_list_push(&dels, &ops->items[i]);
	linx_map_put(patch, "ops", &dels);
	return linx_value_status(patch);
}

static bool ref_known(const struct nft_table_ref *refs, size_t n,
		      uint8_t family, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (refs[i].family == family && strcmp(refs[i].name, name) == 0)
			return true;
	return false;
}

/* The tables a reconcile pass reads: those of the (validated) desired
 * ruleset and those of `release` ("family/name"; others ignored), each
 * once.  Release names are copied into *names (one block, freed by the
 * caller with *refs). */
static int table_refs(const struct linx_value *ruleset,
		      const struct linx_value *release,
		      struct nft_table_ref **refs, size_t *n, char **names)
{
	const struct linx_value *tables = list_of(ruleset, "tables");
	size_t cap = (tables ? tables->len : 0) +
		     (release && release->type == LINX_LIST ? release->len : 0);
	size_t bytes = 0;
	char *p;

	*n = 0;
	*names = NULL;
	if (!(*refs = calloc(cap ? cap : 1, sizeof(**refs))))
		return -ENOMEM;
	for (uint32_t i = 0; tables && i < tables->len; i++) {
		const struct linx_value *t = &tables->items[i];
		int64_t fam;

		nft_sym_val(nft_families, linx_map_get(t, "family")->str, &fam);
		(*refs)[(*n)++] = (struct nft_table_ref){
			(uint8_t)fam, linx_map_get(t, "name")->str };
	}
	if (!release || release->type != LINX_LIST)
		return 0;
	for (uint32_t i = 0; i < release->len; i++)
		if (release->items[i].type == LINX_STRING)
			bytes += release->items[i].len + 1;
	if (!(p = *names = malloc(bytes ? bytes : 1)))
		return -ENOMEM;
	for (uint32_t i = 0; i < release->len; i++) {
		const struct linx_value *v = &release->items[i];
		char *slash;
		int64_t fam;

		if (v->type != LINX_STRING)
			continue;
		memcpy(p, v->str, v->len + 1);
		slash = strchr(p, '/');
		if (slash) {
			*slash = '\0';
			if (nft_sym_val(nft_families, p, &fam) &&
			    slash[1] != '\0' &&
			    !ref_known(*refs, *n, (uint8_t)fam, slash + 1))
				(*refs)[(*n)++] = (struct nft_table_ref){
					(uint8_t)fam, slash + 1 };
		}
		p += v->len + 1;
	}
	return 0;
}

/* ---- the reconcile cache ---------------------------------------------------
 *
 * After a pass whose patch held only rule operations (at most
 * CACHE_MAX_RULE_OPS), the socket keeps the desired ruleset with each
 * rule's kernel handle and the generation the pass's commit produced.  The
 * next pass reads the generation first and, when it is exactly that one
 * (nobody committed since), diffs against the cache instead of pulling.
 * Kept rules keep the handle they had; created and replaced ones get the
 * handle the kernel echoes (NLM_F_ECHO on their NEWRULE), and the commit's
 * NEWGEN (NLM_F_ECHO on BEGIN) gives the generation.  Anything unsure (an
 * untagged rule, a tag twice in a chain, a non-rule op, a missing or cut
 * echo, a table the cache does not hold) leaves no cache: the next pass
 * pulls.
 */
#define CACHE_MAX_RULE_OPS 2000

struct echo_rule {
	uint8_t family;
	char table[NFT_TABLE_MAXNAMELEN];
	char chain[NFT_CHAIN_MAXNAMELEN];
	char *tag;
	uint64_t handle;
};

struct echoes {
	struct echo_rule *a;
	size_t n, cap;
	struct linx_nft_gen gen;
	bool gen_seen;
	bool bad;
};

static void echoes_free(struct echoes *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->a[i].tag);
	free(e->a);
	memset(e, 0, sizeof(*e));
}

static int on_echo(void *arg, const struct nlmsghdr *nlh, bool cut)
{
	struct echoes *e = arg;
	struct nft_dec d = { 0 };
	struct nft_where w;
	struct linx_value v;
	const struct linx_value *tag, *handle;
	struct echo_rule *er = NULL;

	if (cut) {
		e->bad = true;
		return 0;
	}
	if (nlh->nlmsg_type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWGEN)) {
		if (nft_gen_parse(nlh, &e->gen) < 0 || e->gen_seen)
			e->bad = true;
		e->gen_seen = true;
		return 0;
	}
	/* A replacement echoes the retired rule too. */
	if (nlh->nlmsg_type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELRULE))
		return 0;
	if (nlh->nlmsg_type != ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE)) {
		e->bad = true;
		return 0;
	}
	memset(&w, 0, sizeof(w));
	if (nft_rule_parse(&d, nlh, &w, &v) < 0) {
		e->bad = true;
		return 0;
	}
	tag = linx_map_get(&v, "tag");
	handle = linx_map_get(&v, "handle");
	if (!tag || tag->type != LINX_STRING || !handle ||
	    handle->type != LINX_UINT) {
		e->bad = true;
	} else if (e->n == e->cap &&
		   !(er = realloc(e->a, (e->cap ? e->cap * 2 : 64) *
						sizeof(*er)))) {
		e->bad = true;
	} else {
		if (e->n == e->cap) {
			e->a = er;
			e->cap = e->cap ? e->cap * 2 : 64;
		}
		er = &e->a[e->n];
		er->family = w.family;
		memcpy(er->table, w.table, sizeof(er->table));
		memcpy(er->chain, w.chain, sizeof(er->chain));
		er->handle = handle->u;
		if ((er->tag = strdup(tag->str)))
			e->n++;
		else
			e->bad = true;
	}
	linx_value_clear(&v);
	return 0;
}

/* Every rule of the list tagged, no tag twice. */
static bool tags_unique(const struct linx_value *rules)
{
	struct nft_strset seen;
	bool ok = true;

	if (!rules || rules->len == 0)
		return true;
	if (nft_strset_init(&seen, rules->len) < 0)
		return false;
	for (uint32_t i = 0; i < rules->len && ok; i++) {
		const struct linx_value *t = linx_map_get(&rules->items[i],
							  "tag");

		ok = t && t->type == LINX_STRING &&
		     nft_strset_add(&seen, t->str) == 1;
	}
	nft_strset_fini(&seen);
	return ok;
}

/* Every chain of every table of `rs` has unique tags on all its rules. */
static bool ruleset_tags_unique(const struct linx_value *rs)
{
	const struct linx_value *tables = list_of(rs, "tables");

	for (uint32_t i = 0; tables && i < tables->len; i++) {
		const struct linx_value *chains =
			list_of(&tables->items[i], "chains");

		for (uint32_t j = 0; chains && j < chains->len; j++)
			if (!tags_unique(list_of(&chains->items[j], "rules")))
				return false;
	}
	return true;
}

/* ruleset_tags_unique() of a ruleset that passed nft_validate() (no tag
 * twice in a chain) and nft_reconcile_check() (every rule of a chain of
 * several tagged): only a chain's lone rule can still lack a tag. */
static bool reconcilable_tags_unique(const struct linx_value *rs)
{
	const struct linx_value *tables = list_of(rs, "tables");

	for (uint32_t i = 0; tables && i < tables->len; i++) {
		const struct linx_value *chains =
			list_of(&tables->items[i], "chains");

		for (uint32_t j = 0; chains && j < chains->len; j++) {
			const struct linx_value *rules =
				list_of(&chains->items[j], "rules");
			const struct linx_value *t;

			if (!rules || rules->len != 1)
				continue;
			t = linx_map_get(&rules->items[0], "tag");
			if (!t || t->type != LINX_STRING)
				return false;
		}
	}
	return true;
}

static const struct linx_value *find_in(const struct linx_value *list,
					const char *key, const char *name,
					uint32_t hint)
{
	for (uint32_t k = 0; list && k < list->len; k++) {
		uint32_t i = (hint + k) % list->len;
		const struct linx_value *n = linx_map_get(&list->items[i], key);

		if (n && n->type == LINX_STRING && strcmp(n->str, name) == 0)
			return &list->items[i];
	}
	return NULL;
}

static const struct linx_value *find_table_of(const struct linx_value *rs,
					      const char *family,
					      const char *name)
{
	const struct linx_value *tables = list_of(rs, "tables");

	for (uint32_t i = 0; tables && i < tables->len; i++) {
		const struct linx_value *f = linx_map_get(&tables->items[i],
							  "family");
		const struct linx_value *n = linx_map_get(&tables->items[i],
							  "name");

		if (f && n && f->type == LINX_STRING &&
		    n->type == LINX_STRING && strcmp(f->str, family) == 0 &&
		    strcmp(n->str, name) == 0)
			return &tables->items[i];
	}
	return NULL;
}

/* Does the patch allow a cache, and how many rules did it create or
 * replace (*echoed)? */
static bool patch_cacheable(const struct linx_value *patch, size_t *echoed)
{
	const struct linx_value *ops = list_of(patch, "ops");

	*echoed = 0;
	if (ops && ops->len > CACHE_MAX_RULE_OPS)
		return false;
	for (uint32_t i = 0; ops && i < ops->len; i++) {
		const struct linx_value *op = linx_map_get(&ops->items[i], "op");

		if (!op || op->type != LINX_STRING)
			return false;
		if (strcmp(op->str, "create_rule") == 0 ||
		    strcmp(op->str, "replace_rule") == 0)
			(*echoed)++;
		else if (strcmp(op->str, "delete_rule") != 0)
			return false;
	}
	return true;
}

/* By family, table and chain. */
static int chain_cmp(const struct echo_rule *x, const struct echo_rule *y)
{
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if ((c = strcmp(x->table, y->table)))
		return c;
	return strcmp(x->chain, y->chain);
}

/* ... then by tag. */
static int echo_cmp(const void *a, const void *b)
{
	const struct echo_rule *x = a, *y = b;
	int c = chain_cmp(x, y);

	return c ? c : strcmp(x->tag, y->tag);
}

static int tag_cmp(const void *a, const void *b)
{
	return strcmp(((const struct echo_rule *)a)->tag,
		      ((const struct echo_rule *)b)->tag);
}

/* The echoes of one chain (family, table and chain of `key`): a range of
 * the sorted array, found by two binary searches. */
static struct echo_rule *chain_echoes(struct echo_rule *a, size_t n,
				      const struct echo_rule *key, size_t *len)
{
	size_t lo = 0, hi = n, first;

	while (lo < hi) { /* the first echo not before the chain */
		size_t mid = lo + (hi - lo) / 2;

		if (chain_cmp(&a[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	hi = n;
	while (lo < hi) { /* the first echo after it */
		size_t mid = lo + (hi - lo) / 2;

		if (chain_cmp(&a[mid], key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*len = lo - first;
	return a + first;
}

/* The rule tagged `tag` in `rules`, looked for around index `hint` first
 * (a 1% patch shifts kept rules by a few places at most). */
static struct linx_value *find_tag_near(struct linx_value *rules,
					const char *tag, uint32_t hint)
{
	uint32_t n = rules && rules->type == LINX_LIST ? rules->len : 0;

	for (uint32_t d = 0; d <= n; d++) {
		for (int side = 0; side < 2; side++) {
			int64_t i = side ? (int64_t)hint - d : (int64_t)hint + d;
			const struct linx_value *t;

			if ((side && d == 0) || i < 0 || i >= n)
				continue;
			t = linx_map_get(&rules->items[i], "tag");
			if (t && t->type == LINX_STRING &&
			    strcmp(t->str, tag) == 0)
				return &rules->items[i];
		}
	}
	return NULL;
}

/* A copy of map `m` without `key`. */
static int copy_except(const struct linx_value *m, const char *key,
		       struct linx_value *ret)
{
	*ret = linx_value_map();
	for (uint32_t i = 0; i < m->len; i++) {
		struct linx_value c;

		if (strcmp(m->pairs[i].key, key) == 0)
			continue;
		if (linx_value_copy(&c, &m->pairs[i].value) < 0)
			return -ENOMEM;
		linx_map_put(ret, m->pairs[i].key, &c);
	}
	return nft_built(ret);
}

/* The rules of the next cache for one chain: created and replaced rules
 * (echoed) are the desired value with the echoed handle; kept ones move
 * over from `crules` (they carry their handle) when they are in the
 * desired form already, else are the desired value with their handle. */
static bool cache_rules(const struct linx_value *want, struct linx_value *crules,
			const struct nft_kept_chain *kc, bool desired_form,
			struct echo_rule *key, struct echo_rule *ech,
			size_t n_ech, size_t *used, struct linx_value *out)
{
	*out = linx_value_list();
	if (want && linx_value_reserve(out, want->len) < 0)
		return false;
	for (uint32_t k = 0; want && k < want->len; k++) {
		const struct linx_value *rule = &want->items[k];
		struct linx_value v, *cr = NULL;
		const struct linx_value *h;

		if (kc && kc->match[k] >= 0)
			cr = &crules->items[kc->match[k]];
		if (cr && desired_form) {
			/* Kept by the diff, equal to the previous cache's rule
			 * (desired form, handle and all): moved without
			 * reading either again. */
			v = *cr;
			*cr = linx_value_nil();
			if (v.type != LINX_MAP || linx_list_push(out, &v) < 0)
				return false;
			continue;
		}
		if (!cr) {
			struct echo_rule *er;

			key->tag = (char *)linx_map_get(rule, "tag")->str;
			/* ech[] holds this chain's echoes only */
			er = n_ech ? bsearch(key, ech, n_ech, sizeof(*ech),
					     tag_cmp)
				   : NULL;
			if (er) {
				if (linx_value_copy(&v, rule) < 0)
					return false;
				linx_map_put_uint(&v, "handle", er->handle);
				(*used)++;
				if (linx_list_push(out, &v) < 0)
					return false;
				continue;
			}
			cr = find_tag_near(crules, key->tag, k);
		}
		h = cr ? linx_map_get(cr, "handle") : NULL;
		if (!h || h->type != LINX_UINT)
			return false;
		if (desired_form || nft_rule_identical(cr, rule)) {
			/* Already in the desired form: move it.  Equal as
			 * values, not merely as rules: a kernel's form kept
			 * here (an immediate for "accept", a counter's state)
			 * would send every later pass down the slow
			 * comparison. */
			v = *cr;
			*cr = linx_value_nil();
		} else {
			/* The kernel's form (a pull): keep the desired one,
			 * so the next diff compares structures rather than
			 * encodings. */
			if (linx_value_copy(&v, rule) < 0)
				return false;
			linx_map_put_uint(&v, "handle", h->u);
		}
		if (linx_list_push(out, &v) < 0)
			return false;
	}
	return true;
}

/* The next cache: `desired` with each rule's handle, from the echoes for
 * created and replaced rules, from `current` (by tag; its rules are moved
 * out) for kept ones.  `desired_form`: `current` is the previous cache,
 * whose kept rules the diff found equal: they move over unchecked (equal
 * by encoding if not by value).  false when anything does not add up. */
static bool cache_build(const struct linx_value *desired,
			struct linx_value *current, bool desired_form,
			struct nft_kept *kept, struct echoes *ech,
			size_t echoed, struct linx_value *ret)
{
	const struct linx_value *tables = list_of(desired, "tables");
	struct linx_value out = linx_value_list();
	struct echo_rule key;
	size_t used = 0;

	*ret = linx_value_nil();
	if (ech->bad || ech->n != echoed)
		return false;
	if (ech->n)
		qsort(ech->a, ech->n, sizeof(*ech->a), echo_cmp);
	for (size_t e = 1; e < ech->n; e++)
		if (echo_cmp(&ech->a[e - 1], &ech->a[e]) == 0)
			return false;
	for (uint32_t i = 0; tables && i < tables->len; i++) {
		const struct linx_value *t = &tables->items[i];
		const char *fam = linx_map_get(t, "family")->str;
		const char *tname = linx_map_get(t, "name")->str;
		struct linx_value *ct =
			(struct linx_value *)find_table_of(current, fam, tname);
		const struct linx_value *chains = list_of(t, "chains");
		struct linx_value nt, nchains = linx_value_list();
		int64_t f;

		nft_sym_val(nft_families, fam, &f);
		memset(&key, 0, sizeof(key));
		key.family = (uint8_t)f;
		snprintf(key.table, sizeof(key.table), "%s", tname);
		if (copy_except(t, "chains", &nt) < 0) {
			linx_value_clear(&nt);
			goto fail;
		}
		linx_map_put(&nt, "chains", &nchains);
		linx_list_push(&out, &nt);
		for (uint32_t j = 0; chains && j < chains->len; j++) {
			const struct linx_value *c = &chains->items[j];
			const char *cname = linx_map_get(c, "name")->str;
			const struct linx_value *cc =
				ct ? find_in(list_of(ct, "chains"), "name",
					     cname, j)
				   : NULL;
			struct linx_value nc, rules = linx_value_nil();
			struct linx_value *dst = (struct linx_value *)
				list_of(&out.items[out.len - 1], "chains");
			struct linx_value *crules =
				cc ? (struct linx_value *)list_of(cc, "rules")
				   : NULL;

			struct echo_rule *cech;
			size_t n_cech;

			const struct linx_value *want = list_of(c, "rules");
			const struct nft_kept_chain *kc =
				nft_kept_find(kept, want);

			snprintf(key.chain, sizeof(key.chain), "%s", cname);
			cech = chain_echoes(ech->a, ech->n, &key, &n_cech);
			if (copy_except(c, "rules", &nc) < 0 ||
			    !cache_rules(want, crules,
					 kc && kc->cur == crules ? kc : NULL,
					 desired_form, &key, cech, n_cech,
					 &used, &rules)) {
				linx_value_clear(&nc);
				linx_value_clear(&rules);
				goto fail;
			}
			linx_map_put(&nc, "rules", &rules);
			linx_list_push(dst, &nc);
		}
	}
	if (used != ech->n)
		goto fail;
	*ret = linx_value_map();
	linx_map_put(ret, "tables", &out);
	if (nft_built(ret) == 0)
		return true;
	linx_value_clear(ret);
	return false;
fail:
	linx_value_clear(&out);
	return false;
}

/* May the cache stand for the kernel's state of every table this pass
 * reads?  Only when it holds them all (refs[] are the desired tables
 * first, then the released ones). */
static bool cache_covers(const struct linx_value *cache,
			 const struct nft_table_ref *refs, size_t n_refs,
			 size_t n_desired, const struct linx_value *ruleset)
{
	const struct linx_value *tables = list_of(ruleset, "tables");

	(void)refs;
	if (cache->type != LINX_MAP || n_refs != n_desired)
		return false;
	for (uint32_t i = 0; tables && i < tables->len; i++)
		if (!find_table_of(cache,
				   linx_map_get(&tables->items[i], "family")->str,
				   linx_map_get(&tables->items[i], "name")->str))
			return false;
	return true;
}

int nft_reconcile_pass(struct linx_nft *s, const struct linx_value *ruleset,
		       const struct linx_value *release, unsigned retries,
		       struct linx_value *report, struct linx_error *err)
{
	const struct linx_value *tl = list_of(ruleset, "tables");
	struct linx_nft_gen gen = { 0 };
	struct linx_value current, patch, next = linx_value_nil();
	struct nft_table_ref *refs = NULL;
	size_t n_refs = 0, ops = 0, echoed = 0;
	char *names = NULL;
	unsigned attempt;
	bool cached = false, cacheable = false, next_ok = false;
	bool desired_unique;
	uint32_t next_gen = 0;
	int r;

	/* The callers validated `ruleset` (nft_reconcile_checked, the
	 * reconcile verb): 10,000 tags need not be hashed again. */
	if ((r = nft_reconcile_check(ruleset, err)) < 0)
		return r;
	desired_unique = reconcilable_tags_unique(ruleset);
	if ((r = table_refs(ruleset, release, &refs, &n_refs, &names)) < 0)
		return linx_error_set(err, -r, "push", NULL);
	for (attempt = 0;; attempt++) {
		struct echoes ech = { 0 };
		struct nft_kept kept = { 0 };
		struct nft_batch bt;

		current = linx_value_nil();
		patch = linx_value_nil();
		cached = false;
		pthread_mutex_lock(&s->lock);
		/* The cache leaves the socket: it comes back only if this
		 * pass succeeds and can vouch for its result. */
		if (attempt == 0 && desired_unique &&
		    cache_covers(&s->cache, refs, n_refs, tl ? tl->len : 0,
				 ruleset)) {
			r = nft_get_gen_locked(s, &gen, err);
			if (r == 0 && gen.id == s->cache_gen) {
				current = s->cache;
				s->cache = linx_value_nil();
				cached = true;
			}
		}
		linx_value_clear(&s->cache);
		r = 0;
		if (!cached)
			r = nft_pull_tables_locked(s, refs, n_refs, &current,
						   &gen, err);
		pthread_mutex_unlock(&s->lock);
		if (r < 0)
			goto out;
		r = nft_diff_kept(&current, ruleset, &patch,
				  desired_unique ? &kept : NULL, err);
		if (r == 0 && release)
			r = add_releases(&current, ruleset, release, &patch);
		if (r < 0) {
			nft_kept_free(&kept);
			linx_value_clear(&current);
			goto out;
		}
		cacheable = desired_unique && n_refs == (tl ? tl->len : 0) &&
			    patch_cacheable(&patch, &echoed) &&
			    (cached || ruleset_tags_unique(&current));
		nft_batch_init(&bt);
		bt.genid = gen.id;
		bt.has_genid = true;
		if (cacheable) {
			bt.echo = on_echo;
			bt.echo_arg = &ech;
		}
		r = nft_patch_put(&bt, &patch, err);
		ops = bt.n;
		if (r == 0 && bt.n > 0) {
			pthread_mutex_lock(&s->lock);
			r = nft_batch_send(s, &bt, NULL, err);
			pthread_mutex_unlock(&s->lock);
		}
		if (r == 0 && cacheable &&
		    (bt.n == 0 || (ech.gen_seen && !ech.bad))) {
			next_gen = bt.n == 0 ? gen.id : ech.gen.id;
			next_ok = cache_build(ruleset, &current, cached, &kept,
					      &ech, echoed, &next);
		}
		nft_kept_free(&kept);
		nft_batch_fini(&bt);
		echoes_free(&ech);
		linx_value_clear(&current);
		if (r != -ERESTART || attempt >= retries)
			break;
		linx_value_clear(&patch);
		backoff(attempt);
	}
	free(refs);
	free(names);
	refs = NULL;
	names = NULL;
	if (r == -ERESTART) {
		linx_value_clear(&patch);
		return linx_error_set(err, ERESTART, "push",
				      "another writer changed the ruleset "
				      "during each of %u attempts; last "
				      "generation seen: %u",
				      attempt + 1, gen.id);
	}
	if (r == 0 && next_ok) {
		pthread_mutex_lock(&s->lock);
		linx_value_clear(&s->cache);
		s->cache = next;
		s->cache_gen = next_gen;
		pthread_mutex_unlock(&s->lock);
		next = linx_value_nil();
	}
	linx_value_clear(&next);
	if (r == 0 && report) {
		*report = linx_value_map();
		linx_map_put_cstring(report, "mode", "reconcile");
		linx_map_put_uint(report, "messages", ops);
		linx_map_put_uint(report, "attempts", attempt + 1);
		linx_map_put_uint(report, "gen", gen.id);
		linx_map_put_bool(report, "cached", cached);
		linx_map_put(report, "patch", &patch);
	}
	linx_value_clear(&patch);
	return r;
out:
	linx_value_clear(&next);
	linx_value_clear(&patch);
	free(refs);
	free(names);
	return r;
}

/*
 * A reconcile pass checks what it encodes: the desired ruleset's
 * structure up front, each rule's expressions only when the rule is
 * compared by encoding or sent.  A rule equal to the cache's (a desired
 * rule of an earlier pass, checked then) or to the kernel's own is not
 * checked again: on 10,000 rules that is most of the pass.  Every check
 * still runs before the batch is sent; when the pass fails, the full
 * validation runs so that the error is the one replace mode gives.
 */
/* After a push of a ruleset checked with NFT_CHECK_NO_EXPRS failed with
 * `r`: the full validation's error when there is one (what a caller
 * validating first would have seen), else `r` and its error. */
static int nft_revalidated(const struct linx_value *ruleset, int r,
			   struct linx_error *err)
{
	struct linx_error full = { 0 };

	if (r < 0 && r != -ERESTART && linx_nft_validate(ruleset, &full) < 0) {
		if (err)
			*err = full;
		return -full.code;
	}
	return r;
}

int nft_reconcile_checked(struct linx_nft *s, const struct linx_value *ruleset,
			  const struct linx_value *release, unsigned retries,
			  struct linx_value *report, struct linx_error *err)
{
	int r;

	if ((r = nft_validate(ruleset, NFT_CHECK_NO_EXPRS, err)) < 0)
		return r;
	return nft_revalidated(ruleset,
			       nft_reconcile_pass(s, ruleset, release, retries,
						  report, err),
			       err);
}

int linx_nft_push(struct linx_nft *s, const struct linx_value *ruleset,
		  const struct linx_nft_push_opts *opts,
		  struct linx_value *report, struct linx_error *err)
{
	int r;

	if (report)
		*report = linx_value_nil();
	if (!s)
		return linx_error_param(err, "push", "sock", "no socket");
	if (opts && opts->mode == LINX_NFT_RECONCILE)
		return nft_reconcile_checked(s, ruleset, NULL,
					     opts->retries ? opts->retries
							   : RECONCILE_RETRIES,
					     report, err);
	if (opts && opts->mode != LINX_NFT_REPLACE) {
		if ((r = linx_nft_validate(ruleset, err)) < 0)
			return r;
		return linx_error_param(err, "push", "mode", "unknown mode");
	}
	/* Rules' expressions and sets' elements are checked as they are
	 * encoded, before the batch is sent (one pass over 10,000 rules or
	 * 100,000 elements instead of two); a failure gets the full
	 * validation's error, as in reconcile.  (Reconcile checks its
	 * sets' elements up front: its diff reads them.) */
	if ((r = nft_validate(ruleset, NFT_CHECK_ENCODER, err)) < 0)
		return r;
	return nft_revalidated(ruleset, push_replace(s, ruleset, report, err),
			       err);
}

