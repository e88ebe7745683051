/* SPDX-License-Identifier: MIT */
/*
 * The netlink engine shared by the netlink plugins (rtnl, nf_tables):
 * bounded message walkers, table-driven attribute validation in the
 * libmnl idiom (validate into a table, then read), the parsing of
 * acknowledgements with their extended ACK, and the receive engine
 * (requests, dumps, batch acknowledgements).  Not installed.
 *
 * It is an internal static library linked into each plugin, so it cannot
 * use liblinx (a plugin module reaches liblinx only through the host
 * table): it reports plain errnos and fills struct linx_nl_ack, and the
 * plugin turns those into its struct linx_error.  Every exported name
 * starts with linx_nl_.  See docs/core/netlink.md.
 */
#ifndef LINX_NL_H
#define LINX_NL_H

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Walking untrusted input.  libmnl's mnl_nlmsg_ok() compares nlmsg_len as
 * an int, so a length above 2^31 passes it, and mnl_attr_for_each() walks
 * up to the *aligned* end of a message, up to 3 bytes past an unaligned
 * nlmsg_len.  These variants bound everything by the real lengths.
 */
static inline bool linx_nl_msg_ok(const struct nlmsghdr *nlh, size_t rem)
{
	return rem >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= rem;
}

static inline const struct nlmsghdr *
linx_nl_msg_next(const struct nlmsghdr *nlh, size_t *rem)
{
	size_t step = MNL_ALIGN(nlh->nlmsg_len);

	if (step > *rem)
		step = *rem;
	*rem -= step;
	return (const struct nlmsghdr *)((const char *)nlh + step);
}

/* Attributes after a fixed header of `offset` bytes (linx_nl_msg_header()
 * must have accepted that header). */
#define linx_nl_attr_for_each(attr, nlh, offset)                             \
	for ((attr) = (const void *)((const char *)(nlh) + MNL_NLMSG_HDRLEN + \
				     MNL_ALIGN(offset));                     \
	     mnl_attr_ok((attr), (int)((const char *)(nlh) +                 \
				       (nlh)->nlmsg_len -                    \
				       (const char *)(attr)));               \
	     (attr) = mnl_attr_next(attr))

/* The fixed header after nlmsghdr if the message is long enough for it,
 * else NULL. */
const void *linx_nl_msg_header(const struct nlmsghdr *nlh, size_t len);

/* ---- attribute policies ------------------------------------------------- */

/* What an attribute's payload must look like to enter the table. */
enum linx_nl_kind {
	LINX_NL_NONE = 0, /* not in the policy: ignored */
	LINX_NL_ANY, /* any length */
	LINX_NL_U8, /* at least 1 byte (the kernel pads, so not exact) */
	LINX_NL_U16, /* at least 2 */
	LINX_NL_U32, /* at least 4 */
	LINX_NL_U64, /* at least 8 */
	LINX_NL_STRING, /* NUL-terminated within the payload */
	LINX_NL_NESTED, /* a well-formed attribute stream (may be empty) */
	LINX_NL_EXACT, /* exactly `len` bytes */
	LINX_NL_MIN, /* at least `len` bytes */
	LINX_NL_MAX, /* at most `len` bytes */
};

struct linx_nl_policy {
	uint8_t kind; /* enum linx_nl_kind */
	uint16_t len; /* for EXACT, MIN, MAX */
};

/*
 * Validate the attribute stream [start, start+len) into tb[0..max]
 * (cleared first): tb[type] is the last attribute of that type that the
 * policy accepts (the kernel's own "last wins", nla_parse()).  Types above
 * max, types without a policy and payloads that break their policy are
 * left out, so a reader can trust every non-NULL entry's length.  The
 * nested and byte-order flags are masked off the type.  Returns the
 * number of attributes left out for breaking their policy (>= 0); the
 * walk stops quietly at the first header that overruns the stream, as
 * mnl_attr_for_each() does.
 */
int linx_nl_parse(const void *start, size_t len,
		  const struct linx_nl_policy *policy, uint16_t max,
		  const struct nlattr **tb);
/* The attributes of a message after its fixed header of hdr_len bytes;
 * -EBADMSG when the message is shorter than that header. */
int linx_nl_parse_msg(const struct nlmsghdr *nlh, size_t hdr_len,
		      const struct linx_nl_policy *policy, uint16_t max,
		      const struct nlattr **tb);
/* The attributes nested in `nest`. */
int linx_nl_parse_nested(const struct nlattr *nest,
			 const struct linx_nl_policy *policy, uint16_t max,
			 const struct nlattr **tb);

/* Readers for validated entries: NULL gives the fallback `def`. */
static inline uint8_t linx_nl_u8(const struct nlattr *a, uint8_t def)
{
	return a ? *(const uint8_t *)mnl_attr_get_payload(a) : def;
}

uint16_t linx_nl_u16(const struct nlattr *a, uint16_t def);
uint32_t linx_nl_u32(const struct nlattr *a, uint32_t def);
uint64_t linx_nl_u64(const struct nlattr *a, uint64_t def);
/* Copy a string attribute (up to its first NUL) into dst, truncating;
 * dst is "" when a is NULL.  cap > 0. */
void linx_nl_str(const struct nlattr *a, char *dst, size_t cap);

/* ---- acknowledgements ---------------------------------------------------- */

/* An NLMSG_ERROR (or an NLMSG_DONE carrying an error), decoded.  `msg`
 * points into the message (valid while it is), NULL without one. */
struct linx_nl_ack {
	int code; /* positive errno, 0 for a plain ACK */
	const char *msg; /* NLMSGERR_ATTR_MSG, NUL-terminated */
	int32_t offset; /* NLMSGERR_ATTR_OFFS, -1 without one */
};

/*
 * Decode an acknowledgement.  Returns 0 (ack filled), or -EBADMSG when
 * the message is too short to carry an error code.  The kernel sends a
 * negative errno (-1..-4095, include/linux/err.h); anything else becomes
 * EIO.
 */
int linx_nl_parse_ack(const struct nlmsghdr *nlh, struct linx_nl_ack *ack);

/* ---- the receive engine (io.c) -------------------------------------------- */

/*
 * One netlink socket as the engine drives it.  The caller creates and
 * binds the socket, fills `fd` and `portid`, and owns the fd (the engine
 * never closes it).  The engine owns `buf` and `acks` (released by
 * linx_nl_conn_fini()).  Not thread-safe: the caller serialises every
 * call on one conn (rtnl holds its socket lock).
 *
 * Sequence numbers: `seq` is the last one used; linx_nl_seq_next() and
 * linx_nl_seq_reserve() hand out fresh ones, never 0 (0 is what the
 * kernel puts on notifications).
 */
struct linx_nl_stats {
	uint64_t requests; /* messages sent (a batch counts each) */
	uint64_t datagrams; /* datagrams received */
	uint64_t truncations; /* datagrams that did not fit: buffer grown */
	uint64_t dump_restarts; /* dumps restarted after NLM_F_DUMP_INTR */
	uint64_t stale; /* datagrams or messages dropped as foreign */
};

struct linx_nl_conn {
	int fd; /* bound AF_NETLINK socket (caller's) */
	uint32_t portid; /* its port id: replies must carry it */
	uint32_t seq; /* last sequence number handed out */
	char *buf; /* receive buffer, 4-aligned (malloc) */
	size_t cap; /* its size */
	size_t cap_max; /* the buffer never grows past this */
	size_t last_size; /* size of the last datagram peeked */
	void *acks; /* linx_nl_collect_acks() scratch, lazily allocated */
	struct linx_nl_stats stats;
};

/* Set up `c` on `fd`: no buffer yet (the first receive allocates one,
 * or call linx_nl_conn_reserve()); `cap_max` 0 means 64 MiB. */
void linx_nl_conn_init(struct linx_nl_conn *c, int fd, uint32_t portid,
		       size_t cap_max);
/* Free the buffers (not the fd); NULL is accepted.  `c` may be reused
 * after init. */
void linx_nl_conn_fini(struct linx_nl_conn *c);
/* Grow the receive buffer to at least `want` bytes (powers of two from
 * the current size).  -EMSGSIZE above cap_max, -ENOMEM. */
int linx_nl_conn_reserve(struct linx_nl_conn *c, size_t want);
/* Replace the receive buffer by one of exactly `bytes` (>= 256, <=
 * cap_max): -EINVAL, -ENOMEM (the old buffer then stays). */
int linx_nl_conn_set_buffer(struct linx_nl_conn *c, size_t bytes);

/* The next sequence number (never 0). */
uint32_t linx_nl_seq_next(struct linx_nl_conn *c);
/* Reserve `n` consecutive sequence numbers, none 0, and return the
 * first (n < 2^32 - 1; for n = 0, the number the next one would get). */
uint32_t linx_nl_seq_reserve(struct linx_nl_conn *c, size_t n);

/* Send `len` bytes to the kernel (port 0) in one datagram, retrying
 * EINTR.  0 or -errno; counts no request (the callers know how many
 * messages the bytes hold). */
int linx_nl_send(struct linx_nl_conn *c, const void *data, size_t len);

/*
 * Receive the next datagram whole into c->buf.  It is first peeked with
 * MSG_PEEK|MSG_TRUNC, which gives its full length without consuming it;
 * if it does not fit, the buffer grows and the peek is repeated, so a
 * datagram is never cut.  Datagrams whose sender is not the kernel
 * (nl_pid != 0) are consumed, counted stale and skipped.  `flags` may
 * hold MSG_DONTWAIT.  Returns the length (the datagram is at c->buf,
 * valid until the next receive), or -errno: that of recvmsg(2) (ENOBUFS:
 * the kernel dropped messages for this socket; EAGAIN under
 * MSG_DONTWAIT), or -EMSGSIZE when the buffer cannot grow to
 * c->last_size (above cap_max, or out of memory).  EINTR is retried.
 */
ssize_t linx_nl_recv(struct linx_nl_conn *c, int flags);

/* Why a request or a batch failed: what the caller turns into its own
 * error.  `code` is a positive errno, 0 on success. */
enum linx_nl_fail {
	LINX_NL_OK = 0,
	LINX_NL_FAIL_SEND, /* sendto(2) failed with code */
	LINX_NL_FAIL_RECV, /* linx_nl_recv() failed with code (EMSGSIZE:
			    * a datagram of `size` bytes did not fit) */
	LINX_NL_FAIL_KERNEL, /* the kernel answered an error: see ack */
	LINX_NL_FAIL_BADACK, /* an error message too short for its code */
	LINX_NL_FAIL_OVERRUN, /* NLMSG_OVERRUN: data lost (code EIO) */
	LINX_NL_FAIL_CALLBACK, /* a callback returned -code; for a data
				* message, `type` is its nlmsg_type */
	LINX_NL_FAIL_INTR, /* a dump was interrupted `attempts` times in a
			    * row (code EAGAIN) */
};

struct linx_nl_result {
	enum linx_nl_fail fail;
	int code; /* positive errno, 0 */
	struct linx_nl_ack ack; /* FAIL_KERNEL; ack.msg points into c->buf:
				 * valid until the next receive */
	uint16_t type; /* FAIL_CALLBACK */
	size_t size; /* FAIL_RECV with EMSGSIZE */
	unsigned attempts; /* dumps sent, restarts included */
};

/* Called for each data message of a reply (not NOOP, ERROR, DONE,
 * OVERRUN).  Returns 0, or a negative errno that fails the request: the
 * rest of the reply is then read and dropped, so the socket stays in
 * step, and no further message reaches the callback. */
typedef int (*linx_nl_msg_cb)(void *arg, const struct nlmsghdr *nlh);
/* Called before a dump is sent again: drop what the callback kept. */
typedef void (*linx_nl_reset_cb)(void *arg);

/*
 * Read the reply to the request sent with sequence number `seq` to its
 * end.  Only messages echoing `seq` and c->portid count; others are left
 * over from abandoned requests (or forged) and are counted stale.
 *
 * A dump ends with NLMSG_DONE (which may carry an error); a non-dump
 * request ends with its acknowledgement (sent with NLM_F_ACK) or error.
 * Returns 0 when the reply is complete, 1 when it was a dump flagged
 * NLM_F_DUMP_INTR (read to its end: the caller may start it again), or
 * -code with *res filled.  A receive failure returns at once (the rest
 * of the reply may still be queued); every other failure reads the reply
 * to its end first.
 */
int linx_nl_collect(struct linx_nl_conn *c, uint32_t seq, bool dump,
		    linx_nl_msg_cb cb, void *arg, struct linx_nl_result *res);

/*
 * The request path: set NLM_F_REQUEST (and NLM_F_ACK unless it is a
 * dump, NLM_F_DUMP), a fresh sequence number and port 0 in `req` (built
 * by the caller), send it, and collect the reply with `cb`.  A dump
 * flagged NLM_F_DUMP_INTR is sent again, after `reset` (may be NULL), at
 * most `retries` times, so a caller never sees a partial dump: then
 * FAIL_INTR.  Returns 0 or -code with *res filled.
 */
int linx_nl_request(struct linx_nl_conn *c, struct nlmsghdr *req,
		    linx_nl_msg_cb cb, linx_nl_reset_cb reset, void *arg,
		    unsigned retries, struct linx_nl_result *res);

/*
 * Batches.  A batch is a run of messages numbered 0..n-1 whose sequence
 * numbers are base+index (linx_nl_seq_reserve()).  The kernel answers a
 * message that asks for an ACK (NLM_F_ACK) *or that fails*, in order
 * (netlink_rcv_skb()).  So a sender sets NLM_F_ACK on one message only,
 * the one that closes the window; the failures arrive before its ACK as
 * error messages carrying their own sequence numbers, and every message
 * not reported by then has succeeded.  Wrapper messages (nfnetlink's
 * NFNL_MSG_BATCH_BEGIN/END) are ordinary indices of the batch: the
 * caller knows which index is which, and may close the window on the
 * END message or on the last real one, whichever its protocol acks.
 */
struct linx_nl_window {
	uint32_t base; /* sequence number of index 0 */
	size_t start, end; /* this window: indices [start, end) */
	size_t close; /* the index whose ACK ends the window, in it */
	/* Each acknowledgement of an index in the window (the closing one
	 * included, duplicates too), in arrival order.  `ack->code` is 0
	 * for a plain ACK.  `malformed`: the error message was too short
	 * for its code (ack->code is then EBADMSG).  An ACK longer than the
	 * scratch slot (a long extended ACK) is reported with its code but
	 * without text (ack->msg NULL, offset -1).  Returns 0, or a
	 * negative errno that stops the collection (FAIL_CALLBACK). */
	int (*ack)(void *arg, size_t index, const struct linx_nl_ack *ack,
		   bool malformed);
	void *arg;
	/* Optional (NULL: such messages are counted stale).  Every message
	 * from the kernel to our port that is not an NLMSG_ERROR and whose
	 * sequence number is in the window: the replies a request asked
	 * for with NLM_F_ECHO, which nfnetlink sends while it commits, so
	 * before the window's ACKs.  `cut`: the datagram was truncated
	 * (longer than a slot), only the header is trustworthy.  Returns 0,
	 * or a negative errno that stops the collection (FAIL_CALLBACK). */
	int (*msg)(void *arg, size_t index, const struct nlmsghdr *nlh,
		   bool cut);
};

/*
 * Read acknowledgements until the one for w->close, with recvmmsg(2)
 * into fixed slots (no peek: ACKs are small, and a cut one keeps its
 * code).  Messages from another sender, another port, of another type
 * than NLMSG_ERROR (unless w->msg takes them) or outside the window are
 * counted stale.  Returns 0,
 * or -code with *res filled (FAIL_RECV: the ACKs of the window may be
 * lost, so no message without one may be taken for a success).
 */
int linx_nl_collect_acks(struct linx_nl_conn *c, const struct linx_nl_window *w,
			 struct linx_nl_result *res);
/* Allocate linx_nl_collect_acks()' scratch now (128 KiB, kept until
 * linx_nl_conn_fini()), so that a batch fails before it is sent rather
 * than after: 0 or -ENOMEM. */
int linx_nl_acks_reserve(struct linx_nl_conn *c);

/*
 * Walk one received datagram of acknowledgements as linx_nl_collect_acks()
 * does, without a socket: `cut` says the datagram was truncated to
 * `len` bytes.  Sets *closed when w->close was acknowledged.  Returns 0
 * or the callback's negative errno.  Exposed for tests and fuzzing.
 */
int linx_nl_acks_datagram(struct linx_nl_conn *c, const struct linx_nl_window *w,
			  const void *data, size_t len, bool cut,
			  bool *closed);

/*
 * Walk one received datagram of a reply as linx_nl_collect() does,
 * without a socket.  `state` starts zeroed for a reply and is carried
 * from datagram to datagram.  Returns 0 while the reply goes on, 1 when
 * it ended, or -code with *res filled (then it ended too).  Exposed for
 * tests and fuzzing.
 */
struct linx_nl_reply {
	uint32_t seq;
	bool dump;
	bool intr; /* NLM_F_DUMP_INTR seen */
	int failed; /* first failure while draining, -errno */
	struct linx_nl_result pending; /* its description */
};
int linx_nl_reply_datagram(struct linx_nl_conn *c, struct linx_nl_reply *st,
			   const void *data, size_t len, linx_nl_msg_cb cb,
			   void *arg, struct linx_nl_result *res);

#endif /* LINX_NL_H */
