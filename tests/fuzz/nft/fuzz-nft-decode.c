/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target over the nft decoders: the input is a datagram as the
 * kernel would send it (any number of netlink messages).  Every message
 * goes through every entity decoder whatever its type (a message of the
 * wrong kind must be refused, never overread), set elements through the
 * element decoder under several set declarations, and the acknowledgement
 * parser.  The corpus is real kernel messages (make-corpus.c).
 *
 * Built two ways (meson.build here): a libFuzzer target with clang, and
 * a replay driver that runs the corpus plus mutations as a test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nft-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const decls[] = {
	"ipv4_addr", "ipv6_addr", "inet_service", "mark", "ifname",
	"ether_addr", "inet_proto",
};

static struct linx_value decl(const char *key, const char *data,
			      bool interval)
{
	struct linx_value s = linx_value_map();

	linx_map_put_cstring(&s, "name", "s");
	linx_map_put_cstring(&s, "key_type", key);
	if (data)
		linx_map_put_cstring(&s, "data_type", data);
	if (interval) {
		struct linx_value f = linx_value_list();

		linx_list_push_cstring(&f, "interval");
		linx_map_put(&s, "flags", &f);
	}
	return s;
}

static void one(const struct nlmsghdr *nlh)
{
	struct nft_dec d = { 0 };
	struct nft_where w;
	struct linx_value v = linx_value_nil();
	struct linx_nl_ack ack;
	bool anon;

	nft_table_parse(nlh, &w, &v);
	linx_value_clear(&v);
	nft_chain_parse(nlh, &w, &v);
	linx_value_clear(&v);
	nft_rule_parse(&d, nlh, &w, &v);
	linx_value_clear(&v);
	nft_set_parse(nlh, &w, &anon, &v);
	linx_value_clear(&v);
	nft_object_parse(nlh, &w, &v);
	linx_value_clear(&v);
	nft_flowtable_parse(nlh, &w, &v);
	linx_value_clear(&v);
	for (size_t i = 0; i < sizeof(decls) / sizeof(decls[0]); i++) {
		struct linx_value s = decl(decls[i], i == 2 ? "verdict" : NULL,
					   i % 2 == 0);
		struct linx_value el = linx_value_list();

		if (nft_setelem_parse(nlh, &s, &w, &el) == 0)
			nft_setelem_merge(&s, &el);
		linx_value_clear(&el);
		linx_value_clear(&s);
	}
	linx_nl_parse_ack(nlh, &ack);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Aligned copy, as a receive buffer would be. */
	void *buf = malloc(size ? size : 1);
	const struct nlmsghdr *nlh;
	size_t rem = size;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	for (nlh = buf; linx_nl_msg_ok(nlh, rem);
	     nlh = linx_nl_msg_next(nlh, &rem))
		one(nlh);
	free(buf);
	return 0;
}
