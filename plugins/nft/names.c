/* SPDX-License-Identifier: MIT */
/*
 * Symbol tables: the names nftables gives to families, hooks, named
 * priorities, table and chain flags and verdicts, and the lookups over
 * them.  Numbers from the kernel's UAPI (linux/netfilter*.h); priority
 * names and values from nft(8) ("CHAIN PRIORITIES").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nft-internal.h"

bool nft_sym_val(const struct nft_sym *t, const char *name, int64_t *ret)
{
	for (; t->name; t++)
		if (strcmp(t->name, name) == 0) {
			*ret = t->val;
			return true;
		}
	return false;
}

const char *nft_sym_name(const struct nft_sym *t, int64_t val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t->name;
	return NULL;
}

int nft_flags_from_value(const struct nft_sym *t, const struct linx_value *v,
			 const char *what, uint32_t *ret, struct linx_error *err)
{
	uint32_t mask = 0;
	int64_t bit;

	*ret = 0;
	if (!v || v->type == LINX_NIL)
		return 0;
	if (v->type != LINX_LIST)
		return nft_bad(err, what, NULL, "flags: expected a list of names");
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *f = &v->items[i];

		if (f->type != LINX_STRING || !nft_sym_val(t, f->str, &bit))
			return nft_bad(err, what, NULL, "unknown flag: %s",
				       f->type == LINX_STRING ? f->str
							      : "(not a string)");
		mask |= (uint32_t)bit;
	}
	*ret = mask;
	return 0;
}

int nft_flags_to_value(const struct nft_sym *t, uint32_t mask,
		       struct linx_value *ret)
{
	*ret = linx_value_list();
	for (unsigned b = 0; b < 32; b++) {
		uint32_t bit = 1u << b;
		const char *n;

		if (!(mask & bit))
			continue;
		n = nft_sym_name(t, bit);
		if (n)
			linx_list_push_cstring(ret, n);
		else
			linx_list_push_uint(ret, bit);
	}
	return nft_built(ret);
}

const struct nft_sym nft_families[] = {
	{ "ip", NFPROTO_IPV4 },	    { "ip6", NFPROTO_IPV6 },
	{ "inet", NFPROTO_INET },   { "arp", NFPROTO_ARP },
	{ "bridge", NFPROTO_BRIDGE }, { "netdev", NFPROTO_NETDEV },
	{ NULL, 0 },
};

#ifndef NFT_TABLE_F_OWNER
#define NFT_TABLE_F_OWNER 0x2
#endif
#ifndef NFT_TABLE_F_PERSIST
#define NFT_TABLE_F_PERSIST 0x4
#endif

const struct nft_sym nft_table_flags[] = {
	{ "dormant", NFT_TABLE_F_DORMANT },
	{ "owner", NFT_TABLE_F_OWNER },
	{ "persist", NFT_TABLE_F_PERSIST },
	{ NULL, 0 },
};

const struct nft_sym nft_chain_types[] = {
	{ "filter", 0 }, { "nat", 1 }, { "route", 2 }, { NULL, 0 },
};

const struct nft_sym nft_chain_flags[] = {
	{ "hw_offload", NFT_CHAIN_HW_OFFLOAD },
	{ NULL, 0 },
};

const struct nft_sym nft_verdicts[] = {
	{ "accept", NF_ACCEPT },     { "drop", NF_DROP },
	{ "continue", NFT_CONTINUE }, { "return", NFT_RETURN },
	{ "jump", NFT_JUMP },	     { "goto", NFT_GOTO },
	{ "queue", NF_QUEUE },	     { "break", NFT_BREAK },
	{ "stop", NF_STOP },	     { NULL, 0 },
};

/* Hooks: NF_INET_* for ip, ip6 and inet (inet also has ingress), NF_ARP_*,
 * NF_BR_* (same numbers as NF_INET_*), NF_NETDEV_*. */
static const struct nft_sym inet_hooks[] = {
	{ "prerouting", NF_INET_PRE_ROUTING },
	{ "input", NF_INET_LOCAL_IN },
	{ "forward", NF_INET_FORWARD },
	{ "output", NF_INET_LOCAL_OUT },
	{ "postrouting", NF_INET_POST_ROUTING },
	{ "ingress", 5 /* NF_INET_INGRESS, 5.10+ */ },
	{ NULL, 0 },
};

static const struct nft_sym arp_hooks[] = {
	{ "input", 0 /* NF_ARP_IN */ },
	{ "output", 1 /* NF_ARP_OUT */ },
	{ NULL, 0 },
};

static const struct nft_sym netdev_hooks[] = {
	{ "ingress", NF_NETDEV_INGRESS },
	{ "egress", 1 /* NF_NETDEV_EGRESS, 5.16+ */ },
	{ NULL, 0 },
};

static const struct nft_sym *hooks_of(uint8_t family)
{
	switch (family) {
	case NFPROTO_ARP:
		return arp_hooks;
	case NFPROTO_NETDEV:
		return netdev_hooks;
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
	case NFPROTO_INET:
	case NFPROTO_BRIDGE:
		return inet_hooks;
	default:
		return NULL;
	}
}

bool nft_hook_num(uint8_t family, const char *name, uint32_t *ret)
{
	const struct nft_sym *t = hooks_of(family);
	int64_t v;

	if (!t || !nft_sym_val(t, name, &v))
		return false;
	/* The bridge has no ingress hook of its own in this numbering. */
	if (family == NFPROTO_BRIDGE && v == 5)
		return false;
	*ret = (uint32_t)v;
	return true;
}

const char *nft_hook_name(uint8_t family, uint32_t num)
{
	const struct nft_sym *t = hooks_of(family);

	return t ? nft_sym_name(t, num) : NULL;
}

/* nft(8): the standard priority names per family. */
static const struct nft_sym ip_prios[] = {
	{ "raw", -300 },  { "mangle", -150 }, { "dstnat", -100 },
	{ "filter", 0 },  { "security", 50 }, { "srcnat", 100 },
	{ NULL, 0 },
};

static const struct nft_sym bridge_prios[] = {
	{ "dstnat", -300 }, { "filter", -200 }, { "out", 100 },
	{ "srcnat", 300 },  { NULL, 0 },
};

static const struct nft_sym filter_only_prios[] = {
	{ "filter", 0 },
	{ NULL, 0 },
};

bool nft_priority_num(uint8_t family, const char *name, int32_t *ret)
{
	const struct nft_sym *t;
	int64_t v;

	switch (family) {
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
	case NFPROTO_INET:
		t = ip_prios;
		break;
	case NFPROTO_BRIDGE:
		t = bridge_prios;
		break;
	case NFPROTO_ARP:
	case NFPROTO_NETDEV:
		t = filter_only_prios;
		break;
	default:
		return false;
	}
	if (!nft_sym_val(t, name, &v))
		return false;
	*ret = (int32_t)v;
	return true;
}

/*
 * nft accepts a priority name only in the hooks it was named for: in ip,
 * ip6 and inet, dstnat in prerouting and output, srcnat in postrouting
 * and input; in bridge, dstnat in prerouting, srcnat in postrouting and
 * out in output.  (nft 1.0.6 took dstnat and srcnat in prerouting and
 * postrouting only; we follow 1.1, which added the nat hooks of locally
 * generated and delivered packets.)  The kernel takes any number in any
 * hook: this is the language's check, not the value's.
 */
bool nft_priority_fits_hook(uint8_t family, const char *name, const char *hook)
{
	bool bridge = family == NFPROTO_BRIDGE;

	if (!bridge && family != NFPROTO_IPV4 && family != NFPROTO_IPV6 &&
	    family != NFPROTO_INET)
		return true;
	if (strcmp(name, "dstnat") == 0)
		return strcmp(hook, "prerouting") == 0 ||
		       (!bridge && strcmp(hook, "output") == 0);
	if (strcmp(name, "srcnat") == 0)
		return strcmp(hook, "postrouting") == 0 ||
		       (!bridge && strcmp(hook, "input") == 0);
	if (bridge && strcmp(name, "out") == 0)
		return strcmp(hook, "output") == 0;
	return true;
}

/* ---- a set of strings ------------------------------------------------------ */

int nft_strset_init(struct nft_strset *s, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	s->slot = calloc(cap, sizeof(*s->slot));
	s->val = malloc(cap * sizeof(*s->val));
	s->mask = cap - 1;
	if (s->slot && s->val)
		return 0;
	nft_strset_fini(s);
	return -ENOMEM;
}

static size_t strset_slot(const struct nft_strset *s, const char *str)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	size_t i;

	for (const unsigned char *p = (const unsigned char *)str; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	for (i = h & s->mask; s->slot[i]; i = (i + 1) & s->mask)
		if (strcmp(s->slot[i], str) == 0)
			break;
	return i;
}

int nft_strset_put(struct nft_strset *s, const char *str, uint32_t val)
{
	size_t i = strset_slot(s, str);

	if (s->slot[i])
		return 0;
	s->slot[i] = str;
	s->val[i] = val;
	return 1;
}

int nft_strset_add(struct nft_strset *s, const char *str)
{
	return nft_strset_put(s, str, 0);
}

bool nft_strset_get(const struct nft_strset *s, const char *str,
		    uint32_t *val)
{
	size_t i = strset_slot(s, str);

	if (!s->slot[i])
		return false;
	*val = s->val[i];
	return true;
}

void nft_strset_fini(struct nft_strset *s)
{
	free(s->slot);
	free(s->val);
	s->slot = NULL;
	s->val = NULL;
}
