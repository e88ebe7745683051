/* SPDX-License-Identifier: MIT */
/*
 * The verbs of the ruleset monitor (nft.monitor.*) and of NFLOG
 * (nft.log.*): handles over linx_nft_monitor and linx_nft_log.  Their
 * table entries are NFT_LISTEN_VERBS (verbs-monitor.h), placed in the
 * plugin's table in verbs.c.  docs/nft/monitor.md, docs/nft/log.md.
 *
 * A handle holds a read-write lock: calls take it shared (the object's
 * own mutex serialises reads), close takes it exclusive, so a handle is
 * never closed under a call in progress.  A read that waits does so
 * with the lock shared; close then waits for it (at most timeout_ms).
 */
#include <errno.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nft-listen.h"
#include "verbs-monitor.h"

#define P_REQ LINX_PARAM_REQUIRED
#define P_NUM (LINX_TM_INT | LINX_TM_UINT)
#define TM_TARGET                                                            \
	(LINX_TM_NIL | LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING |         \
	 LINX_TM_MAP)
#define P_NETNS                                                              \
	{ "netns", TM_TARGET, 0,                                             \
	  "network namespace: \"self\" (default), a pid, a path, {pid} or "  \
	  "{path}" }
#define P_TIMEOUT                                                            \
	{ "timeout_ms", P_NUM, LINX_PARAM_NONNEG,                            \
	  "how long to wait for an event (default 0: do not wait)" }

/* Reads wait at most this long per call, so close is never held up
 * for longer. */
#define TIMEOUT_MAX (24 * 3600 * 1000)

struct listen_handle {
	pthread_rwlock_t lock;
	void *obj; /* linx_nft_monitor or linx_nft_log; NULL once closed */
	bool is_log;
};

static void listen_destroy(void *p)
{
	struct listen_handle *h = p;

	if (h->is_log)
		linx_nft_log_close(h->obj);
	else
		linx_nft_monitor_close(h->obj);
	pthread_rwlock_destroy(&h->lock);
	free(h);
}

static const struct linx_handle_type mon_type = { "nft.monitor",
						  listen_destroy };
static const struct linx_handle_type log_type = { "nft.log", listen_destroy };

/* ---- arguments ------------------------------------------------------------- */

static const struct linx_value *arg(const struct linx_call *call,
				    const char *name)
{
	for (unsigned i = 0; i < call->verb->n_params; i++)
		if (strcmp(call->verb->params[i].name, name) == 0) {
			const struct linx_value *v = call->args[i];

			return v && v->type != LINX_NIL ? v : NULL;
		}
	return NULL;
}

static int arg_u32(const struct linx_call *call, const char *op,
		   const char *name, uint32_t min, uint32_t max, uint32_t *ret,
		   struct linx_error *err)
{
	const struct linx_value *v = arg(call, name);
	uint64_t u;

	if (!v)
		return 0;
	if (!linx_value_get_u64(v, &u) || u < min || u > max)
		return linx_error_param(err, op, name,
					"%s: expected an integer %u..%u", name,
					min, max);
	*ret = (uint32_t)u;
	return 1;
}

/* The open handle of `name` into *ret, its lock taken shared: 0, or
 * -EINVAL (not such a handle), -EBADF (closed). */
static int handle_arg(const struct linx_call *call, const char *op,
		      const char *name, const struct linx_handle_type *type,
		      struct listen_handle **ret, struct linx_error *err)
{
	const struct linx_value *v = arg(call, name);
	struct listen_handle *h = v && v->type == LINX_HANDLE
					  ? linx_handle_get(v->handle, type)
					  : NULL;

	if (!h)
		return linx_error_param(err, op, name, "%s: not an %s handle",
					name, type->name);
	pthread_rwlock_rdlock(&h->lock);
	if (!h->obj) {
		pthread_rwlock_unlock(&h->lock);
		return linx_error_set(err, EBADF, op, "the %s was closed",
				      type->name);
	}
	*ret = h;
	return 0;
}

static int handle_wrap(const struct linx_handle_type *type, void *obj,
		       bool is_log, const char *op, struct linx_value *ret,
		       struct linx_error *err)
{
	struct listen_handle *h = calloc(1, sizeof(*h));
	struct linx_handle *handle;

	if (!h) {
		if (is_log)
			linx_nft_log_close(obj);
		else
			linx_nft_monitor_close(obj);
		return linx_error_set(err, ENOMEM, op, NULL);
	}
	pthread_rwlock_init(&h->lock, NULL);
	h->obj = obj;
	h->is_log = is_log;
	handle = linx_handle_new(type, h);
	if (!handle) {
		listen_destroy(h);
		return linx_error_set(err, ENOMEM, op, NULL);
	}
	*ret = linx_value_handle(handle);
	linx_handle_unref(handle); /* the value holds its own reference */
	return 0;
}

static int handle_close(const struct linx_call *call, const char *op,
			const char *name, const struct linx_handle_type *type,
			struct linx_error *err)
{
	const struct linx_value *v = arg(call, name);
	struct listen_handle *h = v && v->type == LINX_HANDLE
					  ? linx_handle_get(v->handle, type)
					  : NULL;

	if (!h)
		return linx_error_param(err, op, name, "%s: not an %s handle",
					name, type->name);
	pthread_rwlock_wrlock(&h->lock);
	if (h->is_log)
		linx_nft_log_close(h->obj);
	else
		linx_nft_monitor_close(h->obj);
	h->obj = NULL;
	pthread_rwlock_unlock(&h->lock);
	return 0;
}

typedef int next_fn(void *obj, struct linx_value *ret, struct linx_error *err);
typedef int fd_fn(const void *obj);

static int mon_next(void *obj, struct linx_value *ret, struct linx_error *err)
{
	return linx_nft_monitor_next(obj, ret, err);
}

static int mon_fd(const void *obj)
{
	return linx_nft_monitor_fd(obj);
}

static int log_next(void *obj, struct linx_value *ret, struct linx_error *err)
{
	return linx_nft_log_next(obj, ret, err);
}

static int log_fd(const void *obj)
{
	return linx_nft_log_fd(obj);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next event, waiting up to timeout_ms: 1 with *ret, 0 (nil). */
static int next_wait(void *obj, next_fn *next, fd_fn *fd, uint32_t timeout_ms,
		     const char *op, struct linx_value *ret,
		     struct linx_error *err)
{
	int64_t deadline = now_ms() + timeout_ms;

	for (;;) {
		int64_t left;
		int r = next(obj, ret, err);

		if (r != 0)
			return r;
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		r = nft_wait_readable(fd(obj), (int)left);
		if (r < 0)
			return linx_error_set(err, -r, op, "poll: %s",
					      linx_strerror(-r));
		if (r == 0)
			return 0;
	}
}

/* ---- nft.monitor.* ----------------------------------------------------------- */

const struct linx_param nft_p_mon_open[3] = {
	P_NETNS,
	{ "since_gen", P_NUM, LINX_PARAM_NONNEG,
	  "drop events of generations <= this (default 0: none)" },
	{ "rcvbuf", P_NUM, LINX_PARAM_NONNEG,
	  "SO_RCVBUF bytes (default 4 MiB)" },
};
const struct linx_param nft_p_mon_next[2] = {
	{ "monitor", LINX_TM_HANDLE, P_REQ, "an nft.monitor handle" },
	P_TIMEOUT,
};
const struct linx_param nft_p_mon_read[3] = {
	{ "monitor", LINX_TM_HANDLE, P_REQ, "an nft.monitor handle" },
	P_TIMEOUT,
	{ "max", P_NUM, LINX_PARAM_NONNEG,
	  "at most this many events (default 0: all that are ready)" },
};
const struct linx_param nft_p_mon_min_gen[2] = {
	{ "monitor", LINX_TM_HANDLE, P_REQ, "an nft.monitor handle" },
	{ "gen", P_NUM, P_REQ | LINX_PARAM_NONNEG,
	  "events of generations <= gen are dropped" },
};
const struct linx_param nft_p_mon_close[1] = {
	{ "monitor", LINX_TM_HANDLE, P_REQ, "the nft.monitor to close" },
};

int nft_v_mon_open(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	const char *op = "monitor.open";
	struct linx_nft_monitor_opts o = { 0 };
	struct linx_nft_monitor *m;
	struct linx_ns_target t;
	uint32_t rcvbuf = 0;
	int r;

	r = linx_ns_target_from_value(arg(call, "netns"), "netns", &t, err);
	if (r >= 0)
		r = arg_u32(call, op, "since_gen", 0, UINT32_MAX, &o.since_gen,
			    err);
	if (r >= 0)
		r = arg_u32(call, op, "rcvbuf", 0, 1u << 30, &rcvbuf, err);
	if (r < 0)
		return r;
	o.rcvbuf = (int)rcvbuf;
	r = linx_nft_monitor_open(&t, &o, &m, err);
	if (r < 0)
		return r;
	return handle_wrap(&mon_type, m, false, op, ret, err);
}

int nft_v_mon_next(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	const char *op = "monitor.next";
	struct listen_handle *h;
	uint32_t timeout = 0;
	int r;

	r = arg_u32(call, op, "timeout_ms", 0, TIMEOUT_MAX, &timeout, err);
	if (r < 0)
		return r;
	r = handle_arg(call, op, "monitor", &mon_type, &h, err);
	if (r < 0)
		return r;
	r = next_wait(h->obj, mon_next, mon_fd, timeout, op, ret, err);
	pthread_rwlock_unlock(&h->lock);
	if (r == 0)
		*ret = linx_value_nil();
	return r < 0 ? r : 0;
}

int nft_v_mon_read(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	const char *op = "monitor.read";
	struct listen_handle *h;
	struct linx_value ev;
	uint32_t timeout = 0, max = 0;
	int r;

	r = arg_u32(call, op, "timeout_ms", 0, TIMEOUT_MAX, &timeout, err);
	if (r >= 0)
		r = arg_u32(call, op, "max", 0, 1u << 20, &max, err);
	if (r < 0)
		return r;
	r = handle_arg(call, op, "monitor", &mon_type, &h, err);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	r = next_wait(h->obj, mon_next, mon_fd, timeout, op, &ev, err);
	while (r > 0) {
		linx_list_push(ret, &ev);
		if (max && ret->len >= max)
			break;
		r = linx_nft_monitor_next(h->obj, &ev, err);
	}
	pthread_rwlock_unlock(&h->lock);
	if (r < 0) {
		linx_value_clear(ret);
		return r;
	}
	r = linx_value_status(ret);
	if (r < 0) {
		linx_value_clear(ret);
		return linx_error_set(err, ENOMEM, op, NULL);
	}
	return 0;
}

int nft_v_mon_min_gen(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	const char *op = "monitor.set_min_gen";
	struct listen_handle *h;
	uint32_t gen = 0;
	int r;

	(void)ret;
	r = arg_u32(call, op, "gen", 0, UINT32_MAX, &gen, err);
	if (r < 0)
		return r;
	r = handle_arg(call, op, "monitor", &mon_type, &h, err);
	if (r < 0)
		return r;
	linx_nft_monitor_set_min_gen(h->obj, gen);
	pthread_rwlock_unlock(&h->lock);
	return 0;
}

int nft_v_mon_close(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	(void)ret;
	return handle_close(call, "monitor.close", "monitor", &mon_type, err);
}

/* ---- nft.log.* ------------------------------------------------------------------ */

const struct linx_param nft_p_log_open[9] = {
	P_NETNS,
	{ "group", P_NUM, P_REQ | LINX_PARAM_NONNEG, "NFLOG group, 1..65535" },
	{ "copy", LINX_TM_STRING, 0,
	  "what is copied: none, meta (default), packet" },
	{ "snaplen", P_NUM, LINX_PARAM_NONNEG,
	  "copy packet: payload bytes copied, 1..65535 (default all)" },
	{ "qthreshold", P_NUM, LINX_PARAM_NONNEG,
	  "packets the kernel batches per message, 1..1024 (default 1)" },
	{ "timeout_ms", P_NUM, LINX_PARAM_NONNEG,
	  "kernel flush timeout of a batch (default 0: none)" },
	{ "flags", LINX_TM_LIST, 0, "list of seq, seq_global, conntrack" },
	{ "families", LINX_TM_LIST, 0,
	  "families bound with PF_BIND: ipv4, ipv6, bridge, arp (default "
	  "ipv4 and ipv6)" },
	{ "rcvbuf", P_NUM, LINX_PARAM_NONNEG,
	  "SO_RCVBUF bytes (default 4 MiB)" },
};
const struct linx_param nft_p_log_next[2] = {
	{ "log", LINX_TM_HANDLE, P_REQ, "an nft.log handle" },
	P_TIMEOUT,
};
const struct linx_param nft_p_log_close[1] = {
	{ "log", LINX_TM_HANDLE, P_REQ, "the nft.log to close" },
};

/* A list of names into a mask (flags) or an array (families). */
struct name_num {
	const char *name;
	unsigned num;
};

static const struct name_num log_flags[] = {
	{ "seq", NFULNL_CFG_F_SEQ },
	{ "seq_global", NFULNL_CFG_F_SEQ_GLOBAL },
	{ "conntrack", NFULNL_CFG_F_CONNTRACK },
	{ NULL, 0 },
};

static const struct name_num log_families[] = {
	{ "ipv4", NFPROTO_IPV4 }, { "ip", NFPROTO_IPV4 },
	{ "ipv6", NFPROTO_IPV6 }, { "ip6", NFPROTO_IPV6 },
	{ "bridge", NFPROTO_BRIDGE }, { "arp", NFPROTO_ARP },
	{ NULL, 0 },
};

static bool name_lookup(const struct name_num *t, const struct linx_value *v,
			unsigned *ret)
{
	if (v->type != LINX_STRING)
		return false;
	for (; t->name; t++)
		if (strcmp(t->name, v->str) == 0) {
			*ret = t->num;
			return true;
		}
	return false;
}

static int log_opts(const struct linx_call *call, const char *op,
		    struct linx_nft_log_opts *o, struct linx_error *err)
{
	const struct linx_value *copy = arg(call, "copy");
	const struct linx_value *flags = arg(call, "flags");
	const struct linx_value *fams = arg(call, "families");
	uint32_t u;
	int r;

	memset(o, 0, sizeof(*o));
	o->copy = LINX_NFT_COPY_META;
	u = 0;
	r = arg_u32(call, op, "group", 1, 65535, &u, err);
	if (r < 0)
		return r;
	o->group = (uint16_t)u;
	if (copy) {
		if (strcmp(copy->str, "none") == 0)
			o->copy = LINX_NFT_COPY_NONE;
		else if (strcmp(copy->str, "meta") == 0)
			o->copy = LINX_NFT_COPY_META;
		else if (strcmp(copy->str, "packet") == 0)
			o->copy = LINX_NFT_COPY_PACKET;
		else
			return linx_error_param(err, op, "copy",
						"copy: none, meta or packet");
	}
	r = arg_u32(call, op, "snaplen", 1, 65535, &o->snaplen, err);
	if (r > 0 && o->copy != LINX_NFT_COPY_PACKET)
		return linx_error_param(err, op, "snaplen",
					"snaplen: only with copy \"packet\"");
	if (r >= 0)
		r = arg_u32(call, op, "qthreshold", 1, 1024, &o->qthreshold,
			    err);
	if (r >= 0)
		r = arg_u32(call, op, "timeout_ms", 0, UINT32_MAX,
			    &o->timeout_ms, err);
	if (r >= 0) {
		u = 0;
		r = arg_u32(call, op, "rcvbuf", 0, 1u << 30, &u, err);
		o->rcvbuf = (int)u;
	}
	if (r < 0)
		return r;
	for (uint32_t i = 0; flags && i < flags->len; i++) {
		unsigned bit;

		if (!name_lookup(log_flags, &flags->items[i], &bit))
			return linx_error_param(err, op, "flags",
						"flags: seq, seq_global or "
						"conntrack");
		o->flags |= (uint16_t)bit;
	}
	if (fams && (fams->len == 0 || fams->len > 4))
		return linx_error_param(err, op, "families",
					"families: one to four of ipv4, ipv6, "
					"bridge, arp");
	for (uint32_t i = 0; fams && i < fams->len; i++) {
		unsigned f;

		if (!name_lookup(log_families, &fams->items[i], &f))
			return linx_error_param(err, op, "families",
						"families: ipv4, ipv6, bridge "
						"or arp");
		o->families[o->n_families++] = (uint8_t)f;
	}
	return 0;
}

int nft_v_log_open(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	const char *op = "log.open";
	struct linx_nft_log_opts o;
	struct linx_nft_log *l;
	struct linx_ns_target t;
	int r;

	r = linx_ns_target_from_value(arg(call, "netns"), "netns", &t, err);
	if (r >= 0)
		r = log_opts(call, op, &o, err);
	if (r < 0)
		return r;
	r = linx_nft_log_open(&t, &o, &l, err);
	if (r < 0)
		return r;
	return handle_wrap(&log_type, l, true, op, ret, err);
}

int nft_v_log_next(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	const char *op = "log.next";
	struct listen_handle *h;
	uint32_t timeout = 0;
	int r;

	r = arg_u32(call, op, "timeout_ms", 0, TIMEOUT_MAX, &timeout, err);
	if (r < 0)
		return r;
	r = handle_arg(call, op, "log", &log_type, &h, err);
	if (r < 0)
		return r;
	r = next_wait(h->obj, log_next, log_fd, timeout, op, ret, err);
	pthread_rwlock_unlock(&h->lock);
	if (r == 0)
		*ret = linx_value_nil();
	return r < 0 ? r : 0;
}

int nft_v_log_close(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	(void)ret;
	return handle_close(call, "log.close", "log", &log_type, err);
}
