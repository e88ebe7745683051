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

		if ((r = nft_table_check(t, &fam, err)) < 0)
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

/* The messages creating a whole table (already validated): the table,
 * every chain, its objects, sets with their elements, flowtables, then
 * every rule, so that jumps (from rules and from verdict map elements)
 * and lookups find their targets. */
int nft_table_put_all(struct nft_batch *bt, const struct linx_value *t,
		      struct linx_error *err)
{
	const struct linx_value *l, *chains;
	struct nft_enc e = { .bt = bt, .table_v = t, .err = err };
	int64_t fam;
	int r;

	nft_sym_val(nft_families, linx_map_get(t, "family")->str, &fam);
	e.family = (uint8_t)fam;
	e.table = linx_map_get(t, "name")->str;
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

int nft_reconcile_pass(struct linx_nft *s, const struct linx_value *ruleset,
		       const struct linx_value *release, unsigned retries,
		       struct linx_value *report, struct linx_error *err)
{
	struct linx_nft_gen gen = { 0 };
	struct linx_value current, patch;
	struct nft_table_ref *refs = NULL;
	size_t n_refs = 0, ops = 0;
	char *names = NULL;
	unsigned attempt;
	int r;

	if ((r = nft_reconcile_check(ruleset, err)) < 0)
		return r;
	if ((r = table_refs(ruleset, release, &refs, &n_refs, &names)) < 0)
		return linx_error_set(err, -r, "push", NULL);
	for (attempt = 0;; attempt++) {
		struct nft_batch bt;

		current = linx_value_nil();
		patch = linx_value_nil();
		pthread_mutex_lock(&s->lock);
		r = nft_pull_tables_locked(s, refs, n_refs, &current, &gen,
					   err);
		pthread_mutex_unlock(&s->lock);
		if (r < 0)
			goto out;
		r = linx_nft_diff(&current, ruleset, &patch, err);
		if (r == 0 && release)
			r = add_releases(&current, ruleset, release, &patch);
		linx_value_clear(&current);
		if (r < 0)
			goto out;
		nft_batch_init(&bt);
		bt.genid = gen.id;
		bt.has_genid = true;
		r = nft_patch_put(&bt, &patch, err);
		ops = bt.n;
		if (r == 0 && bt.n > 0) {
			pthread_mutex_lock(&s->lock);
			r = nft_batch_send(s, &bt, NULL, err);
			pthread_mutex_unlock(&s->lock);
		}
		nft_batch_fini(&bt);
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
	if (r == 0 && report) {
		*report = linx_value_map();
		linx_map_put_cstring(report, "mode", "reconcile");
		linx_map_put_uint(report, "messages", ops);
		linx_map_put_uint(report, "attempts", attempt + 1);
		linx_map_put_uint(report, "gen", gen.id);
		linx_map_put(report, "patch", &patch);
	}
	linx_value_clear(&patch);
	return r;
out:
	linx_value_clear(&patch);
	free(refs);
	free(names);
	return r;
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
	if ((r = linx_nft_validate(ruleset, err)) < 0)
		return r;
	if (opts && opts->mode == LINX_NFT_RECONCILE)
		return nft_reconcile_pass(s, ruleset, NULL,
				      opts->retries ? opts->retries
						    : RECONCILE_RETRIES,
				      report, err);
	if (opts && opts->mode != LINX_NFT_REPLACE)
		return linx_error_param(err, "push", "mode", "unknown mode");
	return push_replace(s, ruleset, report, err);
}
