/* SPDX-License-Identifier: MIT */
/*
 * pull: the ruleset of a network namespace (or one table, or one set) as
 * a value.  One dump per object kind (tables, chains, sets and their
 * elements, objects, flowtables, rules), each restarted when the kernel
 * flags it interrupted, assembled by identity.  The dumps are not one
 * atomic read, so the generation is read before and after, and the whole
 * pull is done again when a commit came in between: what is returned is
 * one generation's ruleset.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nft-internal.h"

#define PULL_ATTEMPTS 5

struct ent {
	struct nft_where w;
	struct linx_value v;
	struct linx_value children; /* chains: rules; sets: elements */
	bool anonymous; /* sets */
};

struct ents {
	struct ent *a;
	size_t n, cap;
};

/* An index of a list of entities by (family, table, name): open
 * addressing over indexes into the list, SIZE_MAX empty. */
struct ent_index {
	size_t *slot;
	size_t cap;
};

/* Linux 6.2's; Debian 12's headers (6.1) do not have it. */
#ifndef NFT_MSG_GETRULE_RESET
#define NFT_MSG_GETRULE_RESET 25
#endif

struct pull {
	struct linx_nft *s;
	const struct linx_nft_scope *scope;
	uint8_t family; /* NFPROTO_UNSPEC: all */
	bool missing_ok; /* a scoped table that is absent: no tables, not ENOENT */
	bool reset; /* GETRULE_RESET and GETOBJ_RESET */
	struct ents tables, chains, sets, objects, flowtables;
	/* Chains by name, and the anonymous sets by name (each rule with
	 * a set literal looks its set up: a scan was quadratic). */
	struct ent_index chain_ix, anon_ix;
	struct linx_error *err;
};

static void ents_clear(struct ents *e)
{
	for (size_t i = 0; i < e->n; i++) {
		linx_value_clear(&e->a[i].v);
		linx_value_clear(&e->a[i].children);
	}
	e->n = 0;
}

static void ents_free(struct ents *e)
{
	ents_clear(e);
	free(e->a);
	e->a = NULL;
	e->cap = 0;
}

static struct ent *ents_add(struct ents *e)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct ent *a = realloc(e->a, cap * sizeof(*a));

		if (!a)
			return NULL;
		e->a = a;
		e->cap = cap;
	}
	memset(&e->a[e->n], 0, sizeof(e->a[0]));
	return &e->a[e->n++];
}

static uint64_t hash_where(uint8_t family, const char *table, const char *name)
{
	uint64_t h = 1469598103934665603ull ^ family;

	for (const char *p = table; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	return h;
}

static bool same(const struct nft_where *a, uint8_t family, const char *table,
		 const char *name, const char *aname)
{
	return a->family == family && strcmp(a->table, table) == 0 &&
	       strcmp(aname, name) == 0;
}

static const char *chain_name(const struct ent *e)
{
	return e->w.chain;
}

static const char *anon_set_name(const struct ent *e)
{
	return e->anonymous ? e->w.set : NULL;
}

/* Index the entities of `list` that `name_of` names (NULL: left out).
 * Inserted in list order, so a lookup finds the first of equal keys, as
 * a scan would. */
static int index_build(struct ent_index *ix, const struct ents *list,
		       const char *(*name_of)(const struct ent *))
{
	size_t cap = 16;

	while (cap < list->n * 2)
		cap *= 2;
	free(ix->slot);
	ix->slot = malloc(cap * sizeof(*ix->slot));
	if (!ix->slot) {
		ix->cap = 0;
		return -ENOMEM;
	}
	ix->cap = cap;
	for (size_t i = 0; i < cap; i++)
		ix->slot[i] = SIZE_MAX;
	for (size_t i = 0; i < list->n; i++) {
		const struct nft_where *w = &list->a[i].w;
		const char *name = name_of(&list->a[i]);
		size_t k;

		if (!name)
			continue;
		k = hash_where(w->family, w->table, name) & (cap - 1);
		while (ix->slot[k] != SIZE_MAX)
			k = (k + 1) & (cap - 1);
		ix->slot[k] = i;
	}
	return 0;
}

static void index_free(struct ent_index *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->cap = 0;
}

static struct ent *index_find(const struct ent_index *ix,
			      const struct ents *list,
			      const char *(*name_of)(const struct ent *),
			      uint8_t family, const char *table,
			      const char *name)
{
	size_t k;

	if (!ix->slot)
		return NULL;
	k = hash_where(family, table, name) & (ix->cap - 1);
	for (; ix->slot[k] != SIZE_MAX; k = (k + 1) & (ix->cap - 1)) {
		struct ent *e = &list->a[ix->slot[k]];
		const char *en = name_of(e);

		if (en && same(&e->w, family, table, name, en))
			return e;
	}
	return NULL;
}

static int index_chains(struct pull *p)
{
	return index_build(&p->chain_ix, &p->chains, chain_name);
}

static struct ent *find_chain(struct pull *p, const struct nft_where *w)
{
	return index_find(&p->chain_ix, &p->chains, chain_name, w->family,
			  w->table, w->chain);
}

static bool in_scope(const struct pull *p, const struct nft_where *w)
{
	if (p->family != NFPROTO_UNSPEC && w->family != p->family)
		return false;
	return !p->scope || !p->scope->table ||
	       strcmp(p->scope->table, w->table) == 0;
}

/* ---- dump callbacks -------------------------------------------------------- */

static int on_table(void *arg, const struct nlmsghdr *nlh)
{
	struct pull *p = arg;
	struct nft_where w;
	struct linx_value v;
	struct ent *e;

	if (nft_table_parse(nlh, &w, &v) < 0)
		return -EBADMSG;
	if (!in_scope(p, &w) || !(e = ents_add(&p->tables))) {
		bool keep = in_scope(p, &w);

		linx_value_clear(&v);
		return keep ? -ENOMEM : 0;
	}
	e->w = w;
	e->v = v;
	return 0;
}

static int on_chain(void *arg, const struct nlmsghdr *nlh)
{
	struct pull *p = arg;
	struct nft_where w;
	struct linx_value v;
	struct ent *e;

	if (nft_chain_parse(nlh, &w, &v) < 0)
		return -EBADMSG;
	if (!in_scope(p, &w)) {
		linx_value_clear(&v);
		return 0;
	}
	e = ents_add(&p->chains);
	if (!e) {
		linx_value_clear(&v);
		return -ENOMEM;
	}
	e->w = w;
	e->v = v;
	e->children = linx_value_list();
	return 0;
}

static int on_set(void *arg, const struct nlmsghdr *nlh)
{
	struct pull *p = arg;
	struct nft_where w;
	struct linx_value v;
	bool anon = false;
	struct ent *e;

	if (nft_set_parse(nlh, &w, &anon, &v) < 0)
		return -EBADMSG;
	if (!in_scope(p, &w) ||
	    (p->scope && p->scope->set && strcmp(p->scope->set, w.set) != 0)) {
		linx_value_clear(&v);
		return 0;
	}
	e = ents_add(&p->sets);
	if (!e) {
		linx_value_clear(&v);
		return -ENOMEM;
	}
	e->w = w;
	e->v = v;
	e->anonymous = anon;
	e->children = linx_value_list();
	return 0;
}

static int on_simple(struct pull *p, struct ents *list,
		     int (*parse)(const struct nlmsghdr *, struct nft_where *,
				  struct linx_value *),
		     const struct nlmsghdr *nlh)
{
	struct nft_where w;
	struct linx_value v;
	struct ent *e;

	if (parse(nlh, &w, &v) < 0)
		return -EBADMSG;
	if (!in_scope(p, &w)) {
		linx_value_clear(&v);
		return 0;
	}
	e = ents_add(list);
	if (!e) {
		linx_value_clear(&v);
		return -ENOMEM;
	}
	e->w = w;
	e->v = v;
	return 0;
}

static int on_object(void *arg, const struct nlmsghdr *nlh)
{
	struct pull *p = arg;

	return on_simple(p, &p->objects, nft_object_parse, nlh);
}

static int on_flowtable(void *arg, const struct nlmsghdr *nlh)
{
	struct pull *p = arg;

	return on_simple(p, &p->flowtables, nft_flowtable_parse, nlh);
}

static bool is_meter(const struct linx_value *set)
{
	const struct linx_value *f = linx_map_get(set, "flags");

	for (uint32_t i = 0; f && f->type == LINX_LIST && i < f->len; i++)
		if (f->items[i].type == LINX_STRING &&
		    strcmp(f->items[i].str, "dynamic") == 0)
			return true;
	return false;
}

static const struct linx_value *anon_set(const struct nft_dec *d,
					 const char *name)
{
	struct pull *p = d->arg;
	struct ent *s = index_find(&p->anon_ix, &p->sets, anon_set_name,
				   d->family, d->table, name);

	return s ? &s->v : NULL;
}

static int on_rule(void *arg, const struct nlmsghdr *nlh)
{
	struct pull *p = arg;
	struct nft_dec d = { .anon_set = anon_set, .arg = p };
	struct nft_where w;
	struct linx_value v;
	struct ent *c;
	int r;

	r = nft_rule_parse(&d, nlh, &w, &v);
	if (r < 0)
		return r == -ENOMEM ? r : -EBADMSG;
	/* A rule whose chain the chain dump did not show is dropped. */
	c = in_scope(p, &w) ? find_chain(p, &w) : NULL;
	if (!c) {
		linx_value_clear(&v);
		return 0;
	}
	return linx_list_push(&c->children, &v);
}

struct elem_dump {
	struct pull *p;
	struct ent *set;
};

static int on_elem(void *arg, const struct nlmsghdr *nlh)
{
	struct elem_dump *d = arg;
	struct nft_where w;

	if (nlh->nlmsg_type != NFT_TYPE(NFT_MSG_NEWSETELEM))
		return 0;
	return nft_setelem_parse(nlh, &d->set->v, &w, &d->set->children) < 0
		       ? -EBADMSG
		       : 0;
}

static void reset_elems(void *arg)
{
	struct elem_dump *d = arg;

	linx_value_clear(&d->set->children);
	d->set->children = linx_value_list();
}

static void reset_list(struct ents *e)
{
	ents_clear(e);
}

static void reset_tables(void *arg)
{
	reset_list(&((struct pull *)arg)->tables);
}
static void reset_chains(void *arg)
{
	reset_list(&((struct pull *)arg)->chains);
}
static void reset_sets(void *arg)
{
	reset_list(&((struct pull *)arg)->sets);
}
static void reset_objects(void *arg)
{
	reset_list(&((struct pull *)arg)->objects);
}
static void reset_flowtables(void *arg)
{
	reset_list(&((struct pull *)arg)->flowtables);
}
static void reset_rules(void *arg)
{
	struct pull *p = arg;

	for (size_t i = 0; i < p->chains.n; i++) {
		linx_value_clear(&p->chains.a[i].children);
		p->chains.a[i].children = linx_value_list();
	}
}

/* Dump filters: the kernel narrows chain, rule, set, object and
 * flowtable dumps to one table when asked (we filter again anyway). */
struct filter {
	uint16_t attr;
	const char *table;
	uint16_t attr2;
	const char *name2;
};

static void fill_filter(struct nft_msgbuf *b, void *arg)
{
	const struct filter *f = arg;

	if (f->table)
		nft_put_strz(b, f->attr, f->table);
	if (f->name2)
		nft_put_strz(b, f->attr2, f->name2);
}

struct dump_ctx {
	struct filter f;
	linx_nl_msg_cb cb;
	linx_nl_reset_cb reset;
	void *arg;
};

static void fill_ctx(struct nft_msgbuf *b, void *arg)
{
	fill_filter(b, &((struct dump_ctx *)arg)->f);
}
static int cb_ctx(void *arg, const struct nlmsghdr *nlh)
{
	struct dump_ctx *c = arg;

	return c->cb(c->arg, nlh);
}
static void reset_ctx(void *arg)
{
	struct dump_ctx *c = arg;

	if (c->reset)
		c->reset(c->arg);
}

static int dump(struct pull *p, uint16_t msg, uint8_t family, uint16_t attr,
		const char *table, uint16_t attr2, const char *name2,
		linx_nl_msg_cb cb, linx_nl_reset_cb reset, void *arg)
{
	struct dump_ctx c = {
		.f = { attr, table, attr2, name2 },
		.cb = cb,
		.reset = reset,
		.arg = arg,
	};

	return nft_dump(p->s, msg, family, fill_ctx, cb_ctx, reset_ctx, &c,
			"pull", p->err);
}

static int pull_once(struct pull *p)
{
	const char *t = p->scope ? p->scope->table : NULL;
	bool reset = p->reset;
	int r;

	if ((r = dump(p, NFT_MSG_GETTABLE, p->family, NFTA_TABLE_NAME, NULL, 0,
		      NULL, on_table, reset_tables, p)) < 0)
		return r;
	if (t && p->tables.n == 0 && p->missing_ok)
		return 0;
	if (t && p->tables.n == 0)
		return linx_error_set_object(p->err, ENOENT, "pull", t,
					     "no such table: %s", t);
	if ((r = dump(p, NFT_MSG_GETCHAIN, p->family, NFTA_CHAIN_TABLE, t, 0,
		      NULL, on_chain, reset_chains, p)) < 0 ||
	    (r = dump(p, NFT_MSG_GETSET, p->family, NFTA_SET_TABLE, t, 0, NULL,
		      on_set, reset_sets, p)) < 0)
		return r;
	if (p->scope && p->scope->set && p->sets.n == 0)
		return linx_error_set_object(p->err, ENOENT, "pull",
					     p->scope->set, "no such set: %s",
					     p->scope->set);
	for (size_t i = 0; i < p->sets.n; i++) {
		struct elem_dump d = { p, &p->sets.a[i] };

		/* a meter's set: what it holds is traffic, not ruleset */
		if (d.set->anonymous && is_meter(&d.set->v))
			continue;
		r = dump(p, NFT_MSG_GETSETELEM, d.set->w.family,
			 NFTA_SET_ELEM_LIST_TABLE, d.set->w.table,
			 NFTA_SET_ELEM_LIST_SET, d.set->w.set, on_elem,
			 reset_elems, &d);
		if (r < 0)
			return r;
		if (nft_setelem_merge(&d.set->v, &d.set->children) < 0)
			return linx_error_set(p->err, EBADMSG, "pull",
					      "set %s: inconsistent intervals",
					      d.set->w.set);
		/* An anonymous set is never listed: its elements go into its
		 * value now, for the rules' set literals (anon_set()). */
		if (d.set->anonymous &&
		    (r = linx_map_put(&d.set->v, "elements",
				      &d.set->children)) < 0)
			return linx_error_set(p->err, -r, "pull", NULL);
	}
	if (p->scope && p->scope->set)
		return 0;
	if ((r = dump(p, reset ? NFT_MSG_GETOBJ_RESET : NFT_MSG_GETOBJ,
		      p->family, NFTA_OBJ_TABLE, t, 0, NULL, on_object,
		      reset_objects, p)) < 0 ||
	    (r = dump(p, NFT_MSG_GETFLOWTABLE, p->family, NFTA_FLOWTABLE_TABLE,
		      t, 0, NULL, on_flowtable, reset_flowtables, p)) < 0)
		return r;
	if (index_chains(p) < 0 ||
	    index_build(&p->anon_ix, &p->sets, anon_set_name) < 0)
		return linx_error_set(p->err, ENOMEM, "pull", NULL);
	r = dump(p, reset ? NFT_MSG_GETRULE_RESET : NFT_MSG_GETRULE,
		 p->family, NFTA_RULE_TABLE, t, 0, NULL, on_rule, reset_rules,
		 p);
	if (r == -EOPNOTSUPP && reset)
		/* objects were reset already: say what is missing */
		return linx_error_set(p->err, EOPNOTSUPP, "pull",
				      "this kernel cannot reset rules' "
				      "counters (GETRULE_RESET needs Linux "
				      "6.2); stateful objects were reset");
	return r;
}

/* Move the entities of `list` that belong to table `t` into a list
 * value under `key` of the table's map; `children_key` names where each
 * entity's children go (NULL: none). */
static int attach(struct ent *t, struct ents *list, const char *key,
		  const char *children_key, bool sets)
{
	struct linx_value out = linx_value_list();

	for (size_t i = 0; i < list->n; i++) {
		struct ent *e = &list->a[i];

		if (e->w.family != t->w.family ||
		    strcmp(e->w.table, t->w.table) != 0 ||
		    (sets && e->anonymous))
			continue;
		if (children_key)
			linx_map_put(&e->v, children_key, &e->children);
		linx_list_push(&out, &e->v);
	}
	return linx_map_put(&t->v, key, &out);
}

static int assemble(struct pull *p, struct linx_value *ret)
{
	struct linx_value tables = linx_value_list();

	if (p->scope && p->scope->set) {
		struct ent *s = &p->sets.a[0];

		linx_map_put(&s->v, "elements", &s->children);
		*ret = s->v;
		s->v = linx_value_nil();
		return linx_value_status(ret);
	}
	for (size_t i = 0; i < p->tables.n; i++) {
		struct ent *t = &p->tables.a[i];

		attach(t, &p->chains, "chains", "rules", false);
		attach(t, &p->sets, "sets", "elements", true);
		attach(t, &p->objects, "objects", NULL, false);
		attach(t, &p->flowtables, "flowtables", NULL, false);
		linx_list_push(&tables, &t->v);
	}
	*ret = linx_value_map();
	linx_map_put(ret, "tables", &tables);
	return linx_value_status(ret);
}

static void pull_reset(struct pull *p)
{
	ents_clear(&p->tables);
	ents_clear(&p->chains);
	ents_clear(&p->sets);
	ents_clear(&p->objects);
	ents_clear(&p->flowtables);
}

static void pull_free(struct pull *p)
{
	pull_reset(p);
	ents_free(&p->tables);
	ents_free(&p->chains);
	ents_free(&p->sets);
	ents_free(&p->objects);
	ents_free(&p->flowtables);
	index_free(&p->chain_ix);
	index_free(&p->anon_ix);
}

static int pull_locked(struct linx_nft *s, const struct linx_nft_scope *scope,
		       bool reset, struct linx_value *ret,
		       struct linx_nft_gen *gen, struct linx_error *err)
{
	struct pull p = { .s = s, .scope = scope, .err = err, .reset = reset };
	struct linx_nft_gen before, after;
	int r = 0;

	if (scope && scope->family) {
		int64_t f;

		if (!nft_sym_val(nft_families, scope->family, &f))
			return linx_error_param(err, "pull", "family",
						"unknown family %s",
						scope->family);
		p.family = (uint8_t)f;
	}
	for (unsigned attempt = 0; attempt < PULL_ATTEMPTS; attempt++) {
		pull_reset(&p);
		if ((r = nft_get_gen_locked(s, &before, err)) < 0 ||
		    (r = pull_once(&p)) < 0 ||
		    (r = nft_get_gen_locked(s, &after, err)) < 0)
			break;
		/* A reset pull happens once: a second dump would zero
		 * what the first one read. */
		if (before.id == after.id || reset) {
			r = assemble(&p, ret);
			if (r < 0)
				r = linx_error_set(err, -r, "pull", NULL);
			else if (gen)
				*gen = after;
			break;
		}
		r = linx_error_set(err, EAGAIN, "pull",
				   "the ruleset kept changing during the pull "
				   "(%d attempts)",
				   PULL_ATTEMPTS);
	}
	pull_free(&p);
	return r;
}

int nft_pull_locked(struct linx_nft *s, const struct linx_nft_scope *scope,
		    struct linx_value *ret, struct linx_nft_gen *gen,
		    struct linx_error *err)
{
	return pull_locked(s, scope, false, ret, gen, err);
}

/* One pull of each table of refs[], all in the same generation. */
static int pull_tables_once(struct linx_nft *s, const struct nft_table_ref *refs,
			    size_t n, struct linx_value *out,
			    struct linx_error *err)
{
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		struct linx_nft_scope sc = { .table = refs[i].name };
		struct pull p = { .s = s, .scope = &sc, .err = err,
				  .family = refs[i].family, .missing_ok = true };
		struct linx_value one = linx_value_nil();
		struct linx_value *tl;

		r = pull_once(&p);
		if (r == 0 && p.tables.n > 0) {
			if ((r = assemble(&p, &one)) < 0)
				r = linx_error_set(err, -r, "pull", NULL);
			tl = (struct linx_value *)linx_map_get(&one, "tables");
			for (uint32_t j = 0; r == 0 && tl && j < tl->len; j++) {
				if ((r = linx_list_push(out, &tl->items[j])) < 0)
					r = linx_error_set(err, -r, "pull", NULL);
				tl->items[j] = linx_value_nil();
			}
			linx_value_clear(&one);
		}
		pull_free(&p);
	}
	return r;
}

int nft_pull_tables_locked(struct linx_nft *s, const struct nft_table_ref *refs,
			   size_t n, struct linx_value *ret,
			   struct linx_nft_gen *gen, struct linx_error *err)
{
	struct linx_nft_gen before, after;
	int r = 0;

	*ret = linx_value_nil();
	for (unsigned attempt = 0; attempt < PULL_ATTEMPTS; attempt++) {
		struct linx_value tables = linx_value_list();

		if ((r = nft_get_gen_locked(s, &before, err)) < 0 ||
		    (r = pull_tables_once(s, refs, n, &tables, err)) < 0 ||
		    (r = nft_get_gen_locked(s, &after, err)) < 0) {
			linx_value_clear(&tables);
			return r;
		}
		if (before.id == after.id) {
			*ret = linx_value_map();
			linx_map_put(ret, "tables", &tables);
			if ((r = linx_value_status(ret)) < 0) {
				linx_value_clear(ret);
				return linx_error_set(err, -r, "pull", NULL);
			}
			if (gen)
				*gen = after;
			return 0;
		}
		linx_value_clear(&tables);
	}
	return linx_error_set(err, EAGAIN, "pull",
			      "the ruleset kept changing during the pull "
			      "(%d attempts)",
			      PULL_ATTEMPTS);
}

static int pull_entry(struct linx_nft *s, const struct linx_nft_scope *scope,
		      bool reset, struct linx_value *ret,
		      struct linx_nft_gen *gen, struct linx_error *err)
{
	int r;

	if (!s || !ret)
		return linx_error_param(err, "pull", !s ? "sock" : "ret",
					"missing");
	*ret = linx_value_nil();
	if (scope && scope->set && !scope->table)
		return linx_error_param(err, "pull", "set",
					"a set scope needs its table");
	pthread_mutex_lock(&s->lock);
	r = pull_locked(s, scope, reset, ret, gen, err);
	pthread_mutex_unlock(&s->lock);
	return r;
}

int linx_nft_pull(struct linx_nft *s, const struct linx_nft_scope *scope,
		  struct linx_value *ret, struct linx_nft_gen *gen,
		  struct linx_error *err)
{
	return pull_entry(s, scope, false, ret, gen, err);
}

int linx_nft_pull_reset(struct linx_nft *s,
			const struct linx_nft_scope *scope,
			struct linx_value *ret, struct linx_nft_gen *gen,
			struct linx_error *err)
{
	return pull_entry(s, scope, true, ret, gen, err);
}
