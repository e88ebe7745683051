/* SPDX-License-Identifier: MIT */
/*
 * NFLOG against the kernel: rules made with nft(8) ("log group N prefix
 * ...") in a fresh network namespace, UDP datagrams sent over its
 * loopback, packet events read back with their prefix, hook, family,
 * devices, owner and a payload capped at the snaplen; two groups give
 * disjoint streams; a group cannot be bound twice; an overflow is a
 * resync; options are validated; the verbs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linx/nft.h>
#include <linx/plugin.h>

#include "linx-test.h"
#include "nft-listen.h"

extern const struct linx_plugin linx_plugin_nft;

static void sh_ok(const char *fmt, ...) LINX_PRINTF(1, 2);
static void sh_ok(const char *fmt, ...)
{
	char *cmd = NULL, *out;
	va_list ap;
	int status;

	va_start(ap, fmt);
	ck_assert(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	out = linx_test_sh(&status, "%s 2>&1", cmd);
	ck_assert_msg(status == 0, "failed (%d): %s\n%s", status, cmd, out);
	free(out);
	free(cmd);
}

static const char *str_of(const struct linx_value *ev, const char *key)
{
	const struct linx_value *v = linx_map_get(ev, key);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

static uint64_t uint_or(const struct linx_value *ev, const char *key,
			uint64_t def)
{
	const struct linx_value *v = linx_map_get(ev, key);
	uint64_t u;

	return v && linx_value_get_u64(v, &u) ? u : def;
}

/* `n` datagrams of `len` bytes to 127.0.0.1:port. */
static void send_udp(int port, size_t len, int n)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	char buf[2048];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_le(len, sizeof(buf));
	memset(buf, 'z', sizeof(buf));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(sendto(fd, buf, len, 0, (struct sockaddr *)&sa,
					sizeof(sa)),
				 (ssize_t)len);
	close(fd);
}

/* Up to `want` events of `l` into `list`, waiting at most 2 s of quiet. */
static void collect(struct linx_nft_log *l, unsigned want,
		    struct linx_value *list)
{
	struct pollfd pfd = { .fd = linx_nft_log_fd(l), .events = POLLIN };

	for (int quiet = 0; quiet < 200 && list->len < want;) {
		struct linx_value ev;
		struct linx_error err;
		int r = linx_nft_log_next(l, &ev, &err);

		linx_assert_ok(r, &err);
		if (r == 0) {
			if (poll(&pfd, 1, 10) == 0)
				quiet++;
			continue;
		}
		ck_assert_int_eq(linx_list_push(list, &ev), 0);
	}
}

static struct linx_nft_log *log_open(const struct linx_nft_log_opts *o)
{
	struct linx_nft_log *l;
	struct linx_error err;

	linx_assert_ok(linx_nft_log_open(NULL, o, &l, &err), &err);
	return l;
}

/* A table whose output and input chains log UDP to `port` to `group`. */
static void log_rules(int port, int group, const char *prefix)
{
	sh_ok("nft add table ip lg");
	sh_ok("nft add chain ip lg out '{ type filter hook output priority 0; }'");
	sh_ok("nft add chain ip lg in '{ type filter hook input priority 0; }'");
	sh_ok("nft add rule ip lg out udp dport %d log group %d prefix "
	      "'\"%s-out\"'",
	      port, group, prefix);
	sh_ok("nft add rule ip lg in udp dport %d log group %d prefix "
	      "'\"%s-in\"'",
	      port, group, prefix);
}

START_TEST(packets)
{
	struct linx_nft_log_opts o = { .group = 7,
				       .copy = LINX_NFT_COPY_PACKET,
				       .snaplen = 40,
				       .flags = NFULNL_CFG_F_SEQ };
	struct linx_value list = linx_value_list();
	struct linx_nft_log *l;
	const struct linx_value *out = NULL, *in = NULL, *p;

	linx_test_private_netns();
	log_rules(9999, 7, "x");
	l = log_open(&o);
	send_udp(9999, 100, 1);
	collect(l, 2, &list);
	ck_assert_uint_eq(list.len, 2);
	for (uint32_t i = 0; i < list.len; i++) {
		const char *pre = str_of(&list.items[i], "prefix");

		ck_assert_ptr_nonnull(pre);
		if (!strcmp(pre, "x-out"))
			out = &list.items[i];
		else if (!strcmp(pre, "x-in"))
			in = &list.items[i];
	}
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(in);

	/* Output: hook 3, out via lo (ifindex 1), our socket's owner. */
	ck_assert_uint_eq(uint_or(out, "group", 0), 7);
	ck_assert_str_eq(str_of(out, "family"), "ip");
	ck_assert_uint_eq(uint_or(out, "hook", 99), 3);
	ck_assert_str_eq(str_of(out, "hook_name"), "output");
	ck_assert_uint_eq(uint_or(out, "hw_protocol", 0), 0x0800);
	ck_assert_uint_eq(uint_or(out, "outdev", 0), 1);
	ck_assert_ptr_null(linx_map_get(out, "indev"));
	ck_assert_uint_eq(uint_or(out, "uid", 99), getuid());
	ck_assert_uint_eq(uint_or(out, "gid", 99), getgid());
	ck_assert_ptr_nonnull(linx_map_get(out, "seq"));
	/* IPv4 header (20) + UDP (8) + 100 bytes, capped at 40. */
	p = linx_map_get(out, "payload");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->type, LINX_BYTES);
	ck_assert_uint_eq(p->len, 40);
	ck_assert_uint_eq((uint8_t)p->bytes[0] >> 4, 4);
	ck_assert_uint_eq((uint8_t)p->bytes[28], 'z');

	/* Input: hook 1, in via lo; a timestamp, which the kernel puts on
	 * packets of the first three hooks only. */
	ck_assert_ptr_null(linx_map_get(out, "timestamp"));
	ck_assert_uint_gt(uint_or(linx_map_get(in, "timestamp"), "sec", 0),
			  1600000000);
	ck_assert_uint_eq(uint_or(in, "hook", 99), 1);
	ck_assert_str_eq(str_of(in, "hook_name"), "input");
	ck_assert_uint_eq(uint_or(in, "indev", 0), 1);
	ck_assert_uint_eq(linx_map_get(in, "payload")->len, 40);
	ck_assert_uint_gt(uint_or(in, "seq", 0), uint_or(out, "seq", 0));
	linx_value_clear(&list);
	linx_nft_log_close(l);
}
END_TEST

START_TEST(copy_meta_and_batches)
{
	struct linx_nft_log_opts o = { .group = 9, .qthreshold = 5,
				       .timeout_ms = 50 };
	struct linx_value list = linx_value_list();
	struct linx_nft_log *l;

	linx_test_private_netns();
	sh_ok("nft add table ip lg");
	sh_ok("nft add chain ip lg out '{ type filter hook output priority 0; }'");
	sh_ok("nft add rule ip lg out udp dport 7000 log group 9");
	l = log_open(&o);
	/* Meta only: no payload.  Five per message, the rest flushed by the
	 * timeout. */
	send_udp(7000, 10, 7);
	collect(l, 7, &list);
	ck_assert_uint_eq(list.len, 7);
	for (uint32_t i = 0; i < list.len; i++) {
		ck_assert_ptr_null(linx_map_get(&list.items[i], "payload"));
		ck_assert_ptr_null(linx_map_get(&list.items[i], "prefix"));
		ck_assert_uint_eq(uint_or(&list.items[i], "hook", 99), 3);
	}
	linx_value_clear(&list);
	linx_nft_log_close(l);
}
END_TEST

/* Copy mode none: the kernel still sends the metadata, no payload.  And
 * the four families bound. */
START_TEST(copy_none)
{
	struct linx_nft_log_opts o = {
		.group = 10, .copy = LINX_NFT_COPY_NONE,
		/* Every family PF_BIND takes. */
		.families = { NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_BRIDGE,
			      NFPROTO_ARP },
		.n_families = 4,
	};
	struct linx_value list = linx_value_list();
	struct linx_nft_log *l;

	linx_test_private_netns();
	log_rules(7001, 10, "n");
	l = log_open(&o);
	send_udp(7001, 10, 1);
	collect(l, 2, &list);
	ck_assert_uint_eq(list.len, 2);
	ck_assert_ptr_null(linx_map_get(&list.items[0], "payload"));
	ck_assert_ptr_nonnull(str_of(&list.items[0], "prefix"));
	linx_value_clear(&list);
	linx_nft_log_close(l);
}
END_TEST

/* The conntrack flag: the entry and its state ride along, where the
 * kernel has ctnetlink (else a clear EOPNOTSUPP). */
START_TEST(conntrack_flag)
{
	struct linx_nft_log_opts o = { .group = 14,
				       .flags = NFULNL_CFG_F_CONNTRACK };
	struct linx_value list = linx_value_list();
	struct linx_nft_log *l;
	struct linx_error err;
	int r;

	linx_test_private_netns();
	sh_ok("nft add table ip lg");
	sh_ok("nft add chain ip lg out '{ type filter hook output priority 0; }'");
	sh_ok("nft add rule ip lg out udp dport 7002 ct state new log group 14");
	r = linx_nft_log_open(NULL, &o, &l, &err);
	if (r == -EOPNOTSUPP) {
		ck_assert_ptr_nonnull(strstr(err.message, "conntrack"));
		fprintf(stderr, "conntrack_flag: no ctnetlink here: %s\n",
			err.message);
		return;
	}
	linx_assert_ok(r, &err);
	send_udp(7002, 10, 1);
	collect(l, 1, &list);
	ck_assert_uint_eq(list.len, 1);
	ck_assert_ptr_nonnull(linx_map_get(&list.items[0], "ct"));
	ck_assert_uint_eq(uint_or(&list.items[0], "ct_info", 99),
			  2 /* IP_CT_NEW */);
	linx_value_clear(&list);
	linx_nft_log_close(l);
}
END_TEST

START_TEST(two_groups_disjoint)
{
	struct linx_nft_log_opts a = { .group = 11 }, b = { .group = 12 };
	struct linx_value la = linx_value_list(), lb = linx_value_list();
	struct linx_nft_log *l1, *l2, *l3;
	struct linx_error err;

	linx_test_private_netns();
	sh_ok("nft add table ip lg");
	sh_ok("nft add chain ip lg out '{ type filter hook output priority 0; }'");
	sh_ok("nft add rule ip lg out udp dport 9001 log group 11 prefix '\"a\"'");
	sh_ok("nft add rule ip lg out udp dport 9002 log group 12 prefix '\"b\"'");
	l1 = log_open(&a);
	l2 = log_open(&b);
	/* One group, one listener. */
	ck_assert_int_eq(linx_nft_log_open(NULL, &a, &l3, &err), -EBUSY);
	ck_assert_ptr_nonnull(strstr(err.message, "group 11"));

	send_udp(9001, 10, 3);
	send_udp(9002, 10, 5);
	collect(l1, 10, &la);
	collect(l2, 10, &lb);
	ck_assert_uint_eq(la.len, 3);
	ck_assert_uint_eq(lb.len, 5);
	for (uint32_t i = 0; i < la.len; i++) {
		ck_assert_str_eq(str_of(&la.items[i], "prefix"), "a");
		ck_assert_uint_eq(uint_or(&la.items[i], "group", 0), 11);
	}
	for (uint32_t i = 0; i < lb.len; i++) {
		ck_assert_str_eq(str_of(&lb.items[i], "prefix"), "b");
		ck_assert_uint_eq(uint_or(&lb.items[i], "group", 0), 12);
	}
	linx_value_clear(&la);
	linx_value_clear(&lb);

	/* Closing unbinds: the group is free again at once. */
	linx_nft_log_close(l1);
	l1 = log_open(&a);
	linx_nft_log_close(l1);
	linx_nft_log_close(l2);
}
END_TEST

START_TEST(overflow_resync)
{
	struct linx_nft_log_opts o = { .group = 13,
				       .copy = LINX_NFT_COPY_PACKET,
				       .rcvbuf = 1 };
	struct linx_value list = linx_value_list();
	struct linx_nft_log *l;
	unsigned resync = 0, n_packets = 0;

	linx_test_private_netns();
	sh_ok("nft add table ip lg");
	sh_ok("nft add chain ip lg out '{ type filter hook output priority 0; }'");
	sh_ok("nft add rule ip lg out udp dport 9003 log group 13");
	l = log_open(&o);
	send_udp(9003, 1000, 500); /* never read meanwhile */
	collect(l, 1000, &list);
	for (uint32_t i = 0; i < list.len; i++) {
		if (str_of(&list.items[i], "op") &&
		    !strcmp(str_of(&list.items[i], "op"), "resync")) {
			resync++;
			ck_assert_uint_eq(uint_or(&list.items[i], "group", 0),
					  13);
		} else {
			n_packets++;
		}
	}
	fprintf(stderr, "overflow_resync: %u of 500 packets kept, %u resync\n",
		n_packets, resync);
	ck_assert_uint_ge(resync, 1);
	ck_assert_uint_lt(n_packets, 500);
	linx_value_clear(&list);

	/* Still listening after the loss. */
	list = linx_value_list();
	send_udp(9003, 10, 1);
	collect(l, 1, &list);
	ck_assert_uint_eq(list.len, 1);
	ck_assert_ptr_nonnull(linx_map_get(&list.items[0], "payload"));
	linx_value_clear(&list);
	linx_nft_log_close(l);
}
END_TEST

/* Without CAP_NET_ADMIN: EPERM, naming the step that was refused. */
START_TEST(unprivileged)
{
	struct linx_nft_log_opts o = { .group = 15 };
	struct linx_nft_monitor *m = NULL;
	struct linx_nft_log *l = NULL;
	struct linx_error err;

	linx_test_private_netns();
	ck_assert_int_eq(setresgid(65534, 65534, 65534), 0);
	ck_assert_int_eq(setresuid(65534, 65534, 65534), 0);
	ck_assert_int_eq(linx_nft_log_open(NULL, &o, &l, &err), -EPERM);
	ck_assert_ptr_nonnull(strstr(err.message, "PF_BIND"));
	ck_assert_ptr_null(l);
	ck_assert_int_eq(linx_nft_monitor_open(NULL, NULL, &m, &err), -EPERM);
	ck_assert_str_eq(err.op, "subscribe");
	ck_assert_ptr_null(m);
}
END_TEST

/* Each refused option names its parameter; nothing is opened. */
START_TEST(bad_options)
{
	static const struct {
		struct linx_nft_log_opts o;
		const char *param;
	} cases[] = {
		{ { .group = 0 }, "group" },
		{ { .group = 1, .copy = 3 }, "copy" },
		{ { .group = 1, .snaplen = 10 }, "snaplen" },
		{ { .group = 1, .copy = LINX_NFT_COPY_PACKET, .snaplen = 70000 },
		  "snaplen" },
		{ { .group = 1, .qthreshold = 1025 }, "qthreshold" },
		{ { .group = 1, .flags = 0x80 }, "flags" },
		{ { .group = 1, .rcvbuf = -5 }, "rcvbuf" },
		{ { .group = 1, .n_families = 5 }, "families" },
		{ { .group = 1, .families = { 99 }, .n_families = 1 },
		  "families" },
	};
	struct linx_nft_log *l = NULL;
	struct linx_value v;
	struct linx_error err;
	int fds = linx_test_count_fds();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(linx_nft_log_open(NULL, &cases[i].o, &l, &err),
				 -EINVAL);
		ck_assert_str_eq(err.param, cases[i].param);
	}
	ck_assert_int_eq(linx_nft_log_open(NULL, NULL, &l, &err), -EINVAL);
	ck_assert_int_eq(linx_nft_log_next(NULL, &v, &err), -EINVAL);
	ck_assert_int_eq(linx_nft_log_fd(NULL), -EINVAL);
	linx_nft_log_close(NULL);
	ck_assert_ptr_null(l);
	ck_assert_int_eq(linx_test_count_fds(), fds);
}
END_TEST

START_TEST(verbs)
{
	const struct linx_plugin *const plugins[] = { &linx_plugin_nft };
	struct linx_registry *reg = linx_test_registry(plugins, 1);
	struct linx_value args = linx_value_map(), flags = linx_value_list();
	struct linx_value h = linx_value_nil(), res = linx_value_nil(), ref;
	struct linx_error err;
	const struct linx_value *p;

	linx_test_private_netns();
	log_rules(9100, 21, "v");
	linx_map_put_uint(&args, "group", 21);
	linx_map_put_cstring(&args, "copy", "packet");
	linx_map_put_uint(&args, "snaplen", 24);
	linx_list_push_cstring(&flags, "seq_global");
	linx_map_put(&args, "flags", &flags);
	linx_assert_ok(linx_call(reg, "nft.log.open", &args, &h, 0, &err),
		       &err);
	linx_value_clear(&args);
	ck_assert_int_eq(h.type, LINX_HANDLE);

	send_udp(9100, 50, 1);
	args = linx_value_map();
	linx_value_copy(&ref, &h);
	linx_map_put(&args, "log", &ref);
	linx_map_put_uint(&args, "timeout_ms", 2000);
	linx_assert_ok(linx_call(reg, "nft.log.next", &args, &res, 0, &err),
		       &err);
	ck_assert_int_eq(res.type, LINX_MAP);
	ck_assert_ptr_nonnull(str_of(&res, "prefix"));
	ck_assert_ptr_nonnull(linx_map_get(&res, "seq_global"));
	p = linx_map_get(&res, "payload");
	ck_assert_uint_eq(p->len, 24);
	linx_value_clear(&res);
	linx_value_clear(&args);

	args = linx_value_map();
	linx_value_copy(&ref, &h);
	linx_map_put(&args, "log", &ref);
	linx_assert_ok(linx_call(reg, "nft.log.close", &args, &res, 0, &err),
		       &err);
	ck_assert_int_eq(linx_call(reg, "nft.log.next", &args, &res, 0, &err),
			 -EBADF);
	linx_value_clear(&args);

	/* Refused arguments. */
	args = linx_value_map();
	linx_map_put_uint(&args, "group", 0);
	ck_assert_int_eq(linx_call(reg, "nft.log.open", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "group");
	linx_map_put_uint(&args, "group", 5000);
	linx_map_put_cstring(&args, "copy", "everything");
	ck_assert_int_eq(linx_call(reg, "nft.log.open", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "copy");
	linx_map_put_cstring(&args, "copy", "meta");
	linx_map_put_uint(&args, "snaplen", 10);
	ck_assert_int_eq(linx_call(reg, "nft.log.open", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "snaplen");
	linx_value_clear(&args);
	args = linx_value_map();
	linx_map_put_uint(&args, "group", 5000);
	flags = linx_value_list();
	linx_list_push_cstring(&flags, "decnet");
	linx_map_put(&args, "families", &flags);
	ck_assert_int_eq(linx_call(reg, "nft.log.open", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "families");
	linx_value_clear(&args);
	linx_value_clear(&h);
	linx_registry_free(reg);
}
END_TEST

/* The decoder on hand-made packets, no kernel. */
START_TEST(decode_handmade)
{
	struct nfulnl_msg_packet_hdr ph = { .hw_protocol = htons(0x86dd),
					    .hook = 4 };
	struct nfulnl_msg_packet_hw hw = { .hw_addrlen = htons(6),
					   .hw_addr = { 2, 0, 0, 0, 0, 9 } };
	struct nfulnl_msg_packet_timestamp ts = { .sec = htobe64(1700000000),
						  .usec = htobe64(5) };
	struct nft_msgbuf b;
	struct linx_value ev;
	const struct linx_value *t;
	size_t off;

	nft_msgbuf_init(&b);
	off = nft_msg_begin(&b, (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET, 0,
			    0, NFPROTO_IPV6, 3);
	nft_put(&b, NFULA_PACKET_HDR, &ph, sizeof(ph));
	nft_put(&b, NFULA_HWADDR, &hw, sizeof(hw));
	nft_put(&b, NFULA_TIMESTAMP, &ts, sizeof(ts));
	nft_put_be32(&b, NFULA_MARK, 0xabc);
	nft_put(&b, NFULA_PREFIX, "\xff\x01", 3); /* not UTF-8 */
	nft_put_be32(&b, NFULA_IFINDEX_PHYSINDEV, 4);
	nft_put(&b, NFULA_UID, "\x01", 1); /* too short: left out */
	nft_msg_end(&b, off);
	ck_assert_int_eq(nft_log_event_build(nft_msg_at(&b, off), 3, &ev), 0);
	ck_assert_str_eq(str_of(&ev, "family"), "ip6");
	ck_assert_uint_eq(uint_or(&ev, "hook", 0), 4);
	ck_assert_str_eq(str_of(&ev, "hook_name"), "postrouting");
	ck_assert_uint_eq(uint_or(&ev, "hw_protocol", 0), 0x86dd);
	ck_assert_uint_eq(uint_or(&ev, "mark", 0), 0xabc);
	ck_assert_uint_eq(uint_or(&ev, "physindev", 0), 4);
	ck_assert_uint_eq(linx_map_get(&ev, "hwaddr")->len, 6);
	ck_assert_int_eq(linx_map_get(&ev, "prefix")->type, LINX_BYTES);
	ck_assert_ptr_null(linx_map_get(&ev, "uid"));
	t = linx_map_get(&ev, "timestamp");
	ck_assert_uint_eq(uint_or(t, "sec", 0), 1700000000);
	ck_assert_uint_eq(uint_or(t, "usec", 0), 5);
	linx_value_clear(&ev);

	/* A hwaddr claiming more than it carries is cut to what is there. */
	nft_msgbuf_reset(&b);
	off = nft_msg_begin(&b, (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET, 0,
			    0, NFPROTO_IPV4, 3);
	hw.hw_addrlen = htons(200);
	nft_put(&b, NFULA_HWADDR, &hw, 6);
	nft_msg_end(&b, off);
	ck_assert_int_eq(nft_log_event_build(nft_msg_at(&b, off), 3, &ev), 0);
	ck_assert_uint_eq(linx_map_get(&ev, "hwaddr")->len, 2);
	linx_value_clear(&ev);

	/* Too short for the nfgenmsg. */
	nft_msg_at(&b, off)->nlmsg_len = sizeof(struct nlmsghdr) + 1;
	ck_assert_int_eq(nft_log_event_build(nft_msg_at(&b, off), 3, &ev),
			 -EBADMSG);
	nft_msgbuf_fini(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nft-log");
	TCase *tc = tcase_create("log");

	linx_test_require_root();
	linx_test_require(linx_nft_supported(), "no NETLINK_NETFILTER here");
	linx_test_require(system("command -v nft >/dev/null 2>&1") == 0,
			  "needs nft(8) to write the log rules");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, packets);
	tcase_add_test(tc, copy_meta_and_batches);
	tcase_add_test(tc, copy_none);
	tcase_add_test(tc, conntrack_flag);
	tcase_add_test(tc, two_groups_disjoint);
	tcase_add_test(tc, overflow_resync);
	tcase_add_test(tc, unprivileged);
	tcase_add_test(tc, bad_options);
	tcase_add_test(tc, verbs);
	tcase_add_test(tc, decode_handmade);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
