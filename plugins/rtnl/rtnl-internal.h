/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the rtnl plugin's files; not installed.
 */
#ifndef LINX_RTNL_INTERNAL_H
#define LINX_RTNL_INTERNAL_H

#include "rtnl-symbols.h"

#include <net/if.h> /* before <linux/if.h>: see linux/libc-compat.h */

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/rtnl.h>

#include "linx-nl.h"

#define RTNL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Requests are built in a buffer of this size: a link creation with a
 * nested peer is the largest we send, far below it. */
#define RTNL_REQ_MAX 1024

/* Default first receive buffer.  Dump datagrams are capped by the kernel
 * near 32 KiB (netlink_dump(), net/netlink/af_netlink.c), but a single
 * message can be larger (links with many VFs): the buffer grows on
 * MSG_TRUNC. */
#define RTNL_RECV_DEFAULT (64u * 1024)
#define RTNL_RECV_MAX (64u * 1024 * 1024)
#define RTNL_DUMP_RETRIES_DEFAULT 8u

/* Socket buffer sizes we ask for (the *FORCE variants need CAP_NET_ADMIN
 * in the socket's user namespace; otherwise net.core.{r,w}mem_max cap
 * them, socket(7)). */
#define RTNL_RCVBUF (4 * 1024 * 1024)
#define RTNL_SNDBUF (4 * 1024 * 1024)

struct linx_rtnl {
	pthread_mutex_t lock;
	struct mnl_socket *nl;
	int fd;
	/* The shared netlink engine's view of the socket: port id,
	 * sequence numbers, receive buffer, counters (lib/netlink). */
	struct linx_nl_conn io;
	unsigned dump_retries;
	int rcvbuf; /* effective SO_RCVBUF, for batch windows */
	int sndbuf;
};

/* socket.c: open a bound NETLINK_ROUTE socket with our options set. */
int rtnl_socket_open(const struct linx_ns_target *netns, unsigned groups_n,
		     const unsigned *groups, size_t rcvbuf,
		     struct linx_rtnl **ret, struct linx_error *err);

/* ---- request engine (request.c) ------------------------------------------ */

/* Receives each data message of a reply.  Returns 0, or a negative errno
 * that fails the request (the rest of the reply is drained).  `reset`
 * (may be NULL) is called before a dump is restarted. */
struct rtnl_sink {
	int (*msg)(struct rtnl_sink *sink, const struct nlmsghdr *nlh);
	void (*reset)(struct rtnl_sink *sink);
};

/*
 * Send `req` (built by the caller; type, flags and payload set) and
 * collect the reply.  NLM_F_REQUEST is added, and NLM_F_ACK unless the
 * request is a dump; seq and port are set here.  Kernel errors fill `err`
 * with op `op`, the errno, and the extended ACK.  Takes the socket lock.
 */
int rtnl_talk(struct linx_rtnl *s, struct nlmsghdr *req, struct rtnl_sink *sink,
	      const char *op, struct linx_error *err);

/* Parse an NLMSG_ERROR (or an NLMSG_DONE carrying an error): returns its
 * errno (<= 0) and copies the extended ACK into err when `code` != 0.
 * EBADMSG for a malformed one. */
int rtnl_parse_error(const struct nlmsghdr *nlh, const char *op,
		     struct linx_error *err);
/* A decoded kernel error into err (op `op`, the errno, the extended ACK
 * or the errno's text): returns -ack->code (0 for a plain ACK). */
int rtnl_ack_error(const struct linx_nl_ack *ack, const char *op,
		   struct linx_error *err);
/* The engine's account of a failed request or batch into err. */
int rtnl_result_error(const struct linx_nl_result *res, const char *op,
		      struct linx_error *err);

/* Growable array of decoded objects, the usual dump sink. */
struct rtnl_array {
	struct rtnl_sink sink;
	size_t size; /* element size */
	uint16_t type; /* expected nlmsg_type */
	int (*decode)(const struct nlmsghdr *nlh, void *obj);
	/* optional: keep only objects for which it returns true */
	bool (*keep)(const void *obj, const void *arg);
	const void *keep_arg;
	void *items;
	size_t n, cap;
};
void rtnl_array_init(struct rtnl_array *a, size_t size, uint16_t type,
		     int (*decode)(const struct nlmsghdr *, void *));
/* Hand the items to the caller. */
void rtnl_array_take(struct rtnl_array *a, void *ret, size_t *ret_n);
void rtnl_array_free(struct rtnl_array *a);

/* A sink that decodes exactly one message into `obj`. */
struct rtnl_one {
	struct rtnl_sink sink;
	uint16_t type;
	int (*decode)(const struct nlmsghdr *nlh, void *obj);
	void *obj;
	bool got;
};
void rtnl_one_init(struct rtnl_one *o, uint16_t type,
		   int (*decode)(const struct nlmsghdr *, void *), void *obj);

/* The common path of a dump into an array. */
int rtnl_dump(struct linx_rtnl *s, struct nlmsghdr *req, struct rtnl_array *a,
	      const char *op, struct linx_error *err);

/* ---- building requests (attr.c) ------------------------------------------- */

/* Start a request of `type` with NLM_F_REQUEST|flags and a zeroed fixed
 * header of `hdr_len` bytes, in buf (RTNL_REQ_MAX bytes, 4-aligned). */
struct nlmsghdr *rtnl_req(void *buf, uint16_t type, uint16_t flags,
			  size_t hdr_len, void **ret_hdr);
/* mnl_attr_put_check() with our buffer size; false if it did not fit. */
bool rtnl_put(struct nlmsghdr *nlh, uint16_t type, size_t len,
	      const void *data);
bool rtnl_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v);
bool rtnl_put_u16(struct nlmsghdr *nlh, uint16_t type, uint16_t v);
bool rtnl_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v);
bool rtnl_put_str(struct nlmsghdr *nlh, uint16_t type, const char *s);
bool rtnl_put_ip(struct nlmsghdr *nlh, uint16_t type,
		 const struct linx_rtnl_ip *ip);

/* ---- decoding (attr.c) ---------------------------------------------------- */

/* Walking untrusted input: the engine's bounded walkers (linx-nl.h). */
#define rtnl_msg_ok linx_nl_msg_ok
#define rtnl_msg_next linx_nl_msg_next
#define rtnl_attr_for_each linx_nl_attr_for_each

/* The fixed header after nlmsghdr if the message is long enough for it. */
const void *rtnl_msg_header(const struct nlmsghdr *nlh, size_t len);
/* Payload readers: false when the length is wrong for the type. */
bool rtnl_get_u8(const struct nlattr *a, uint8_t *ret);
bool rtnl_get_u16(const struct nlattr *a, uint16_t *ret);
bool rtnl_get_u32(const struct nlattr *a, uint32_t *ret);
bool rtnl_get_s32(const struct nlattr *a, int32_t *ret);
/* Copy a string attribute (up to its first NUL) into dst, truncating. */
void rtnl_get_str(const struct nlattr *a, char *dst, size_t cap);
/* An address of `family` (4 or 16 bytes); false if the length differs. */
bool rtnl_get_ip(const struct nlattr *a, uint8_t family,
		 struct linx_rtnl_ip *ret);
bool rtnl_get_lladdr(const struct nlattr *a, struct linx_rtnl_lladdr *ret);

/*
 * Table-driven decoding: validate a message's attributes into
 * tb[type] with a linx_nl_policy table (linx_nl_parse_msg()), then copy
 * the entries a field table names into the object.  Each field reads
 * tb[type] as `read` into the member at `off` (`size` bytes) and sets
 * `bit` in the object's `present` mask.  The policy has checked every
 * length but that of addresses, which depends on the family.
 */
enum rtnl_read {
	RTNL_READ_FLAG, /* only the present bit */
	RTNL_READ_U8,
	RTNL_READ_U16,
	RTNL_READ_U32, /* u32 or s32 */
	RTNL_READ_STR, /* up to the first NUL, truncated to `size` */
	RTNL_READ_LLADDR, /* struct linx_rtnl_lladdr (policy: MAX) */
	RTNL_READ_IP, /* struct linx_rtnl_ip of the message's family */
};

struct rtnl_field {
	uint16_t type;
	uint8_t read; /* enum rtnl_read */
	uint16_t size;
	uint16_t off;
	uint32_t bit;
};

#define RTNL_FIELD(attr, how, objtype, member, present_bit)                  \
	{ (attr), (how), sizeof(((objtype *)0)->member),                       \
	  offsetof(objtype, member), (present_bit) }

/* Copy the fields present in tb into obj; -EBADMSG when an address does
 * not have its family's length. */
int rtnl_read_fields(const struct nlattr *const *tb,
		     const struct rtnl_field *fields, size_t n,
		     uint8_t family, void *obj, uint32_t *present);

/* linkinfo.c */
int rtnl_linkinfo_decode(const struct nlattr *nest,
			 struct linx_rtnl_linkinfo *ret);
void rtnl_stats64_decode(const void *data, size_t len,
			 struct linx_rtnl_link_stats64 *ret);

/* ---- helpers for the object files ----------------------------------------- */

/* Resolve an interface name to its index in the socket's namespace,
 * ENODEV 'no such interface "x"' (with `what` replacing "interface" when
 * not NULL, e.g. "parent interface").  op is the caller's operation. */
/* Resolve `name` like rtnl_ifindex() and check that `mac` has exactly the
 * device's link-layer address length; EINVAL naming `param` if not. */
int rtnl_check_lladdr(struct linx_rtnl *s, const char *name,
		      const struct linx_rtnl_lladdr *mac, const char *param,
		      const char *op, int32_t *ret_index,
		      struct linx_error *err);
int rtnl_ifindex(struct linx_rtnl *s, const char *name, const char *what,
		 const char *op, int32_t *ret, struct linx_error *err);
/* Validate an interface name argument (1..IFNAMSIZ-1 bytes, no '/' or
 * whitespace, as dev_valid_name() in net/core/dev.c). */
int rtnl_check_ifname(const char *name, const char *param, const char *op,
		      struct linx_error *err);
/* After a kernel ENODEV on a request naming `name`: rewrite the message
 * to 'no such interface "name"'. */
int rtnl_enodev(struct linx_error *err, int r, const char *name,
		const char *what);

/* Message builders shared by the one-shot calls and the batch. */
int rtnl_build_route(struct linx_rtnl *s, struct nlmsghdr *nlh, unsigned op,
		     const struct linx_rtnl_route_spec *spec, int32_t oif,
		     const char *opname, struct linx_error *err);
int rtnl_build_addr(struct nlmsghdr *nlh, unsigned op,
		    const struct linx_rtnl_addr_spec *spec, int32_t ifindex,
		    const char *opname, struct linx_error *err);
int rtnl_build_neigh(struct nlmsghdr *nlh, unsigned op, int32_t ifindex,
		     const struct linx_rtnl_ip *ip,
		     const struct linx_rtnl_lladdr *mac, bool replace,
		     const char *opname, struct linx_error *err);
int rtnl_build_rule(struct nlmsghdr *nlh, unsigned op,
		    const struct linx_rtnl_rule_spec *spec, const char *opname,
		    struct linx_error *err);
int rtnl_build_link_set(struct nlmsghdr *nlh, unsigned op, const char *dev,
			uint32_t value, const char *opname,
			struct linx_error *err);

/* Object name for errors: "10.0.0.0/24", "default". */
void rtnl_prefix_text(const struct linx_rtnl_ip *ip, uint8_t len,
		      uint8_t family, char *buf, size_t cap);

#endif /* LINX_RTNL_INTERNAL_H */
