/* SPDX-License-Identifier: MIT */
/*
 * Shared by the listeners (monitor.c, log.c) and their verbs
 * (verbs-monitor.c); not installed.
 */
#ifndef LINX_NFT_LISTEN_H
#define LINX_NFT_LISTEN_H

#include "nft-internal.h"

/*
 * event.c: the declarations of the sets seen (and, for anonymous sets,
 * their elements), so that element events and the lookups of rules can
 * be decoded.  `lookup` (may be NULL) asks the kernel for a set not seen
 * yet: 0 with *ret (the declaration) and *anonymous, or -errno.
 */
struct nft_cset {
	struct nft_where w;
	bool anonymous;
	struct linx_value v; /* the declaration */
	struct linx_value elements; /* anonymous sets: elements so far */
};

struct nft_setcache {
	struct nft_cset *a;
	size_t n, cap;
	bool no_decoder; /* nft_set_parse() is a stand-in: do not ask */
	int (*lookup)(void *arg, const struct nft_where *w, bool *anonymous,
		      struct linx_value *ret);
	void *arg;
};

/* Free the entries (the cache stays usable: empty). */
void nft_setcache_fini(struct nft_setcache *c);
/* A set or table message that will not be decoded (filtered out) may
 * still change what a set is: forget what it touches. */
void nft_setcache_note(struct nft_setcache *c, const struct nlmsghdr *nlh);

/*
 * event.c: one nf_tables notification (NFT_MSG_NEW* / DEL* / NEWGEN) into
 * the monitor's event value, stamped with the commit's generation (gen,
 * pid and name may be NULL: nil).  Element messages may come as a run
 * of `n` (nft_setelem_same_run()): one event with all their elements,
 * intervals merged across them; for other kinds only msgs[0] is read.
 * A message that cannot be decoded still gives an event, with its
 * attributes as raw bytes in "entity".  `cache` (may be NULL) is read
 * and kept current.  0 or -ENOMEM (ret is then cleared).
 */
int nft_event_build(const struct nlmsghdr *const *msgs, size_t n,
		    const uint32_t *gen, const uint32_t *pid, const char *name,
		    struct nft_setcache *cache, struct linx_value *ret);
/* Whether `b` continues the run of element messages `a` starts: same
 * message type, family, generation, table and set. */
bool nft_setelem_same_run(const struct nlmsghdr *a, const struct nlmsghdr *b);

/* log.c: one NFULNL_MSG_PACKET into the log event value; `group` comes
 * from the listener.  Missing attributes are left out.  0, -EBADMSG (too
 * short for its nfgenmsg), -ENOMEM. */
int nft_log_event_build(const struct nlmsghdr *nlh, uint16_t group,
			struct linx_value *ret);

/* Put `len` bytes of kernel text as a string when it is UTF-8, else as
 * bytes (a comm or a log prefix is not promised to be UTF-8, and a
 * rejected string would poison the whole map). */
int nft_put_text(struct linx_value *map, const char *key, const char *s,
		 size_t len);

/* listen.c: wait up to timeout_ms (-1: forever) for POLLIN on fd; EINTR retried
 * within the remaining time.  1 readable, 0 timed out, -errno. */
int nft_wait_readable(int fd, int timeout_ms);

#endif /* LINX_NFT_LISTEN_H */
