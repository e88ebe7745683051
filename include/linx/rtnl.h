/* SPDX-License-Identifier: MIT */
/*
 * linx/rtnl.h - rtnetlink (NETLINK_ROUTE) as a typed C API.
 *
 * Links, addresses, routes, neighbours, policy-routing rules, per-link
 * 64-bit statistics, a multicast monitor and a batch engine, in any network
 * namespace.  The `rtnl` plugin's verbs are thin adapters over these
 * functions; C programs link liblinx-rtnl.a (pkg-config linx-rtnl).
 *
 * Sockets.  struct linx_rtnl is one NETLINK_ROUTE socket, opened inside a
 * chosen network namespace through linx_ns_socket() and bound to it for
 * life (the calling thread never changes namespace).  Extended ACK
 * (NETLINK_EXT_ACK), strict request checking (NETLINK_GET_STRICT_CHK) and
 * capped acknowledgements (NETLINK_CAP_ACK) are enabled where the kernel has
 * them; every reply is checked against the request's sequence number and
 * the socket's port id.
 *
 * Threads.  A socket carries a mutex: every request (send and the complete
 * reply, including every part of a dump) runs under it, so one socket may
 * be used from several threads at once; calls on it are serialised.  Use
 * one socket per thread for parallelism.  linx_rtnl_close() must not race
 * with a call in progress on the same socket (the verb layer guarantees
 * this with reference-counted handles).  A monitor has the same rule.
 *
 * Results.  Objects are flat structs without pointers: a list is one
 * malloc'd array owned by the caller and released with free(3) (or
 * linx_rtnl_free()).  Optional attributes have a bit in the struct's
 * `present` mask (LINX_RTNL_<OBJ>_HAS_*); a field whose bit is clear holds
 * zero and means "the kernel did not say" (nil in the bindings).
 *
 * Errors.  Every call returns >= 0 or a negative errno and fills `err`:
 * err->op names the operation ("link.get", "route.add", ...), err->object
 * the interface or prefix concerned, err->extack the kernel's extended-ACK
 * text (NLMSGERR_ATTR_MSG).  A missing interface is ENODEV with the message
 * `no such interface "nope0"`.
 *
 * Robustness.  Every datagram is peeked with MSG_PEEK|MSG_TRUNC first and
 * the receive buffer grows until it fits, so no reply is ever cut; a dump
 * interrupted by a concurrent change
 * (NLM_F_DUMP_INTR) is retried up to a bound and then reported as EAGAIN,
 * never returned as complete; every attribute is length-checked and
 * unknown ones are skipped.
 *
 * References: netlink(7), rtnetlink(7), include/uapi/linux/{netlink.h,
 * rtnetlink.h, if_link.h, if_addr.h, neighbour.h, fib_rules.h, veth.h}.
 */
#ifndef LINX_RTNL_H
#define LINX_RTNL_H

#include <net/if.h> /* before any <linux/if.h> (linux/libc-compat.h) */
#include <linux/if_link.h>   /* MACVLAN_MODE_*, IPVLAN_MODE_* */
#include <linux/rtnetlink.h> /* RTPROT_*, RT_SCOPE_*, RTN_*, RTNLGRP_* */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/ns.h>
#include <linx/plugin.h>

LINX_BEGIN_DECLS

struct nlmsghdr;

/* ---- values: IP and link-layer addresses -------------------------------- */

/* An IPv4 or IPv6 address.  family is AF_INET, AF_INET6, or 0 for "none";
 * addr holds 4 or 16 bytes in network order. */
struct linx_rtnl_ip {
	uint8_t family;
	uint8_t reserved[3];
	uint8_t addr[16];
};

/* A link-layer address (MAC for Ethernet; up to MAX_ADDR_LEN = 32 bytes,
 * include/linux/netdevice.h). len == 0 means none. */
#define LINX_RTNL_LLADDR_MAX 32
struct linx_rtnl_lladdr {
	uint8_t len;
	uint8_t addr[LINX_RTNL_LLADDR_MAX];
};

/* Longest text form of either (an IPv6 address with a "/128", or 32 bytes
 * of link-layer address as hex pairs), including the NUL. */
#define LINX_RTNL_ADDRSTRLEN 100

/* Parse "10.0.0.1" or "fd00::1" (inet_pton(3)).  EINVAL if neither. */
int linx_rtnl_ip_parse(const char *s, struct linx_rtnl_ip *ret,
		       struct linx_error *err);
/* Parse "10.0.0.0/24", "fd00::/64" or a bare address (full-length prefix).
 * EINVAL on a bad address or a prefix longer than the family allows. */
int linx_rtnl_prefix_parse(const char *s, struct linx_rtnl_ip *ret,
			   uint8_t *ret_len, struct linx_error *err);
/* Text form into buf (snprintf semantics); "" for family 0. */
size_t linx_rtnl_ip_format(const struct linx_rtnl_ip *ip, char *buf,
			   size_t cap);
/* Bytes of address for the family: 4, 16 or 0. */
size_t linx_rtnl_ip_len(const struct linx_rtnl_ip *ip);

/* Parse "aa:bb:cc:dd:ee:ff" (1..32 colon-separated hex pairs). */
int linx_rtnl_lladdr_parse(const char *s, struct linx_rtnl_lladdr *ret,
			   struct linx_error *err);
size_t linx_rtnl_lladdr_format(const struct linx_rtnl_lladdr *ll, char *buf,
			       size_t cap);

/* ---- sockets ------------------------------------------------------------ */

struct linx_rtnl;

/*
 * Open a NETLINK_ROUTE socket in the network namespace `netns` (NULL or a
 * self target: the caller's own; a pid; a namespace file).  The socket
 * gets large buffers (SO_RCVBUFFORCE/SO_SNDBUFFORCE when permitted, else
 * the capped SO_RCVBUF/SO_SNDBUF).  *ret is owned by the caller
 * (linx_rtnl_close).  Error ops: "open_ns*", "setns_net", "socket",
 * "bind".
 */
int linx_rtnl_open(const struct linx_ns_target *netns, struct linx_rtnl **ret,
		   struct linx_error *err);

/* Close the socket and free it.  Accepts NULL. */
void linx_rtnl_close(struct linx_rtnl *sock);

/* The socket's fd (owned by the socket; for poll(2)/fstat only). */
int linx_rtnl_fd(const struct linx_rtnl *sock);

/* Tuning, mostly for tests: the initial receive-buffer size (it still
 * grows on demand; minimum 256 bytes) and how many times an interrupted
 * dump is retried before EAGAIN (default 8). */
int linx_rtnl_set_recv_size(struct linx_rtnl *sock, size_t bytes,
			    struct linx_error *err);
int linx_rtnl_set_dump_retries(struct linx_rtnl *sock, unsigned retries,
			       struct linx_error *err);

/* Counters of what the engine had to work around (for tests and
 * benchmarks); read under the socket's lock. */
struct linx_rtnl_stats_engine {
	uint64_t requests;	/* requests sent (a batch counts each op) */
	uint64_t datagrams;	/* datagrams received */
	uint64_t truncations;	/* MSG_TRUNC seen and recovered */
	uint64_t dump_retries;	/* dumps restarted after NLM_F_DUMP_INTR */
	uint64_t stale;		/* replies dropped: wrong seq or port */
	uint64_t recv_size;	/* current receive-buffer size */
};
void linx_rtnl_engine_stats(struct linx_rtnl *sock,
			    struct linx_rtnl_stats_engine *ret);

/* Release a list returned by this API (same as free(3)). */
void linx_rtnl_free(void *list);

/* ---- links (RTM_*LINK; struct ifinfomsg, IFLA_*) -------------------------- */

/* Kinds this API creates and decodes the IFLA_INFO_DATA of. */
enum linx_rtnl_kind {
	LINX_RTNL_KIND_OTHER = 0, /* none, or one without a decoder */
	LINX_RTNL_KIND_VETH,
	LINX_RTNL_KIND_BRIDGE,
	LINX_RTNL_KIND_MACVLAN,
	LINX_RTNL_KIND_IPVLAN,
	LINX_RTNL_KIND_VLAN,
	LINX_RTNL_KIND_DUMMY,
};

/* veth: VETH_INFO_PEER (include/uapi/linux/veth.h) carries a whole
 * ifinfomsg + IFLA_* for the peer.  The kernel sends it only in requests,
 * never in dumps (the peer is found through IFLA_LINK instead), so a
 * decoded veth normally has has_peer false.  The peer is kept as its
 * index and name rather than a nested link. */
struct linx_rtnl_veth {
	bool has_peer;
	int32_t peer_index;
	char peer_name[IFNAMSIZ];
};

/* macvlan: IFLA_MACVLAN_MODE (u32, MACVLAN_MODE_*), IFLA_MACVLAN_FLAGS. */
struct linx_rtnl_macvlan {
	uint32_t mode;
	uint16_t flags;
};

/* ipvlan: IFLA_IPVLAN_MODE (u16, IPVLAN_MODE_L2/L3/L3S),
 * IFLA_IPVLAN_FLAGS (IPVLAN_F_PRIVATE/VEPA). */
struct linx_rtnl_ipvlan {
	uint16_t mode;
	uint16_t flags;
};

/* vlan: IFLA_VLAN_ID (u16), IFLA_VLAN_PROTOCOL (be16 ETH_P_8021Q/8021AD,
 * stored here in host order), IFLA_VLAN_FLAGS (struct ifla_vlan_flags). */
struct linx_rtnl_vlan {
	uint16_t id;
	uint16_t protocol;
	uint32_t flags;
};

/* bridge: a few IFLA_BR_* (times in USER_HZ hundredths of a second, as
 * the kernel reports them). */
struct linx_rtnl_bridge {
	uint32_t forward_delay;
	uint32_t hello_time;
	uint32_t max_age;
	uint32_t ageing_time;
	uint32_t stp_state;
	uint16_t priority;
	uint8_t vlan_filtering;
};

#define LINX_RTNL_KIND_NAME_MAX 32

/* IFLA_LINKINFO: the kind and its IFLA_INFO_DATA (which member of `data`
 * is meaningful follows `kind_id`; has_data says whether the kernel sent
 * IFLA_INFO_DATA at all). */
struct linx_rtnl_linkinfo {
	char kind[LINX_RTNL_KIND_NAME_MAX];	  /* IFLA_INFO_KIND, "" if none */
	char slave_kind[LINX_RTNL_KIND_NAME_MAX]; /* IFLA_INFO_SLAVE_KIND */
	uint32_t kind_id;			  /* enum linx_rtnl_kind */
	bool has_data;
	union {
		struct linx_rtnl_veth veth;
		struct linx_rtnl_macvlan macvlan;
		struct linx_rtnl_ipvlan ipvlan;
		struct linx_rtnl_vlan vlan;
		struct linx_rtnl_bridge bridge;
	} data;
};

#define LINX_RTNL_LINK_HAS_MTU (1u << 0)
#define LINX_RTNL_LINK_HAS_ADDRESS (1u << 1)
#define LINX_RTNL_LINK_HAS_BROADCAST (1u << 2)
#define LINX_RTNL_LINK_HAS_LINK (1u << 3)
#define LINX_RTNL_LINK_HAS_MASTER (1u << 4)
#define LINX_RTNL_LINK_HAS_OPERSTATE (1u << 5)
#define LINX_RTNL_LINK_HAS_LINKMODE (1u << 6)
#define LINX_RTNL_LINK_HAS_TXQLEN (1u << 7)
#define LINX_RTNL_LINK_HAS_LINKINFO (1u << 8)
#define LINX_RTNL_LINK_HAS_LINK_NETNSID (1u << 9)
#define LINX_RTNL_LINK_HAS_NET_NS_PID (1u << 10)
#define LINX_RTNL_LINK_HAS_MIN_MTU (1u << 11)
#define LINX_RTNL_LINK_HAS_MAX_MTU (1u << 12)
#define LINX_RTNL_LINK_HAS_GROUP (1u << 13)
#define LINX_RTNL_LINK_HAS_PROMISCUITY (1u << 14)
#define LINX_RTNL_LINK_HAS_CARRIER (1u << 15)
#define LINX_RTNL_LINK_HAS_QUEUES (1u << 16)
#define LINX_RTNL_LINK_HAS_PERM_ADDRESS (1u << 17)
#define LINX_RTNL_LINK_HAS_STATS64 (1u << 18)

/* Text sizes: IFLA_QDISC is a short scheduler name; IFLA_IFALIAS is at
 * most IFALIASZ (256) bytes (include/uapi/linux/if.h). */
#define LINX_RTNL_QDISC_MAX 32
#define LINX_RTNL_ALIAS_MAX 257

/* rtnl_link_stats64 (include/uapi/linux/if_link.h), all 25 counters.
 * n_counters says how many the kernel sent: 24 before Linux 5.19 (no
 * rx_otherhost_dropped), 25 since; counters past it are 0 and mean "not
 * reported". */
struct linx_rtnl_link_stats64 {
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t rx_errors;
	uint64_t tx_errors;
	uint64_t rx_dropped;
	uint64_t tx_dropped;
	uint64_t multicast;
	uint64_t collisions;
	uint64_t rx_length_errors;
	uint64_t rx_over_errors;
	uint64_t rx_crc_errors;
	uint64_t rx_frame_errors;
	uint64_t rx_fifo_errors;
	uint64_t rx_missed_errors;
	uint64_t tx_aborted_errors;
	uint64_t tx_carrier_errors;
	uint64_t tx_fifo_errors;
	uint64_t tx_heartbeat_errors;
	uint64_t tx_window_errors;
	uint64_t rx_compressed;
	uint64_t tx_compressed;
	uint64_t rx_nohandler;
	uint64_t rx_otherhost_dropped;
	uint32_t n_counters;
};
#define LINX_RTNL_STATS64_COUNTERS 25

/* The name of the i-th counter ("rx_packets"...), NULL past the end, and
 * its value (the struct read as an array). */
const char *linx_rtnl_stats64_name(unsigned i);
uint64_t linx_rtnl_stats64_value(const struct linx_rtnl_link_stats64 *s,
				 unsigned i);

struct linx_rtnl_link {
	/* struct ifinfomsg */
	uint8_t family;	 /* AF_UNSPEC, or AF_BRIDGE for bridge events */
	uint16_t type;	 /* ARPHRD_* (include/uapi/linux/if_arp.h) */
	int32_t index;	 /* ifindex */
	uint32_t flags;	 /* IFF_* (include/uapi/linux/if.h) */
	uint32_t change; /* IFF_* bits that changed (events) */
	uint32_t present; /* LINX_RTNL_LINK_HAS_* */
	char name[IFNAMSIZ]; /* IFLA_IFNAME */
	uint32_t mtu;	     /* IFLA_MTU */
	uint32_t min_mtu;    /* IFLA_MIN_MTU */
	uint32_t max_mtu;    /* IFLA_MAX_MTU */
	struct linx_rtnl_lladdr address;      /* IFLA_ADDRESS */
	struct linx_rtnl_lladdr broadcast;    /* IFLA_BROADCAST */
	struct linx_rtnl_lladdr perm_address; /* IFLA_PERM_ADDRESS */
	int32_t link;	      /* IFLA_LINK: parent / veth peer ifindex */
	int32_t link_netnsid; /* IFLA_LINK_NETNSID: `link` lives there */
	int32_t master;	      /* IFLA_MASTER: bridge/bond ifindex */
	uint32_t net_ns_pid;  /* IFLA_NET_NS_PID (requests only) */
	uint8_t operstate;    /* IFLA_OPERSTATE: IF_OPER_* (RFC 2863) */
	uint8_t linkmode;     /* IFLA_LINKMODE: IF_LINK_MODE_* */
	uint8_t carrier;      /* IFLA_CARRIER */
	uint32_t txqlen;      /* IFLA_TXQLEN */
	uint32_t group;	      /* IFLA_GROUP */
	uint32_t promiscuity; /* IFLA_PROMISCUITY */
	uint32_t num_tx_queues, num_rx_queues; /* IFLA_NUM_{TX,RX}_QUEUES */
	char qdisc[LINX_RTNL_QDISC_MAX];       /* IFLA_QDISC */
	char alias[LINX_RTNL_ALIAS_MAX];       /* IFLA_IFALIAS */
	struct linx_rtnl_linkinfo linkinfo;    /* IFLA_LINKINFO */
	struct linx_rtnl_link_stats64 stats64; /* IFLA_STATS64 */
};

/* IFF_UP set? */
bool linx_rtnl_link_is_up(const struct linx_rtnl_link *link);

/* Every link of the socket's namespace; *ret (malloc'd, may be NULL when
 * *ret_n is 0) is owned by the caller. */
int linx_rtnl_link_list(struct linx_rtnl *sock, struct linx_rtnl_link **ret,
			size_t *ret_n, struct linx_error *err);
/* One link by name, or by index (name NULL).  ENODEV if absent. */
int linx_rtnl_link_get(struct linx_rtnl *sock, const char *name,
		       int32_t index, struct linx_rtnl_link *ret,
		       struct linx_error *err);
/* Name -> ifindex in the socket's namespace.  ENODEV if absent. */
int linx_rtnl_link_index(struct linx_rtnl *sock, const char *name,
			 int32_t *ret, struct linx_error *err);

/* Creation.  Every constructor refuses an existing name (EEXIST:
 * NLM_F_CREATE | NLM_F_EXCL).  A missing parent is ENODEV naming it
 * ("no such parent interface"). */
int linx_rtnl_link_create_veth(struct linx_rtnl *sock, const char *name,
			       const char *peer_name,
			       const struct linx_ns_target *peer_netns,
			       struct linx_error *err);
int linx_rtnl_link_create_bridge(struct linx_rtnl *sock, const char *name,
				 struct linx_error *err);
int linx_rtnl_link_create_dummy(struct linx_rtnl *sock, const char *name,
				struct linx_error *err);
/* mode: MACVLAN_MODE_PRIVATE/VEPA/BRIDGE/PASSTHRU/SOURCE. */
int linx_rtnl_link_create_macvlan(struct linx_rtnl *sock, const char *name,
				  const char *parent, uint32_t mode,
				  struct linx_error *err);
/* mode: IPVLAN_MODE_L2/L3/L3S; flags IPVLAN_F_*. */
int linx_rtnl_link_create_ipvlan(struct linx_rtnl *sock, const char *name,
				 const char *parent, uint16_t mode,
				 uint16_t flags, struct linx_error *err);
/* id 1..4094 (EINVAL otherwise), 802.1Q. */
int linx_rtnl_link_create_vlan(struct linx_rtnl *sock, const char *name,
			       const char *parent, uint16_t id,
			       struct linx_error *err);

int linx_rtnl_link_delete(struct linx_rtnl *sock, const char *name,
			  struct linx_error *err);
int linx_rtnl_link_set_up(struct linx_rtnl *sock, const char *name,
			  bool up, struct linx_error *err);
int linx_rtnl_link_set_mtu(struct linx_rtnl *sock, const char *name,
			   uint32_t mtu, struct linx_error *err);
int linx_rtnl_link_set_address(struct linx_rtnl *sock, const char *name,
			       const struct linx_rtnl_lladdr *mac,
			       struct linx_error *err);
int linx_rtnl_link_set_name(struct linx_rtnl *sock, const char *name,
			    const char *new_name, struct linx_error *err);
/* master NULL or "" releases the link from its master (IFLA_MASTER 0). */
int linx_rtnl_link_set_master(struct linx_rtnl *sock, const char *name,
			      const char *master, struct linx_error *err);
/* Move the link into another network namespace: a pid target uses
 * IFLA_NET_NS_PID, a path target IFLA_NET_NS_FD (the file is opened for
 * the call).  A self target is EINVAL. */
int linx_rtnl_link_move_to_netns(struct linx_rtnl *sock, const char *name,
				 const struct linx_ns_target *netns,
				 struct linx_error *err);

/* ---- addresses (RTM_*ADDR; struct ifaddrmsg, IFA_*) ----------------------- */

#define LINX_RTNL_ADDR_HAS_ADDRESS (1u << 0)
#define LINX_RTNL_ADDR_HAS_LOCAL (1u << 1)
#define LINX_RTNL_ADDR_HAS_BROADCAST (1u << 2)
#define LINX_RTNL_ADDR_HAS_LABEL (1u << 3)
#define LINX_RTNL_ADDR_HAS_CACHEINFO (1u << 4)
#define LINX_RTNL_ADDR_HAS_PROTO (1u << 5)

struct linx_rtnl_addr {
	uint8_t family;	   /* AF_INET / AF_INET6 */
	uint8_t prefixlen;
	uint8_t scope;	   /* RT_SCOPE_* */
	uint8_t proto;	   /* IFA_PROTO (IFAPROT_*) */
	uint32_t flags;	   /* IFA_F_*: IFA_FLAGS when sent, else ifa_flags */
	int32_t index;	   /* ifindex */
	uint32_t present;  /* LINX_RTNL_ADDR_HAS_* */
	struct linx_rtnl_ip address;   /* IFA_ADDRESS (the peer on ptp) */
	struct linx_rtnl_ip local;     /* IFA_LOCAL (IPv4) */
	struct linx_rtnl_ip broadcast; /* IFA_BROADCAST (IPv4) */
	char label[IFNAMSIZ];	       /* IFA_LABEL (IPv4) */
	/* IFA_CACHEINFO (struct ifa_cacheinfo), seconds; 0xffffffff is
	 * "forever". */
	uint32_t preferred_lft, valid_lft;
};

/* What to add or delete.  The family comes from `address`. */
struct linx_rtnl_addr_spec {
	const char *dev;	/* interface name (or use ifindex) */
	int32_t ifindex;	/* used when dev is NULL */
	struct linx_rtnl_ip address;
	uint8_t prefixlen;
	struct linx_rtnl_ip peer;      /* optional (point-to-point) */
	struct linx_rtnl_ip broadcast; /* optional, IPv4; */
	bool broadcast_auto;	       /* compute it from the prefix (IPv4) */
	int scope;		       /* RT_SCOPE_*; -1: kernel default */
	uint32_t flags;		       /* IFA_F_* (e.g. NODAD, NOPREFIXROUTE) */
	const char *label;	       /* optional, IPv4 */
};
#define LINX_RTNL_ADDR_SPEC_INIT { .scope = -1 }

/* All addresses (dev NULL) or those of one link. */
int linx_rtnl_addr_list(struct linx_rtnl *sock, const char *dev,
			struct linx_rtnl_addr **ret, size_t *ret_n,
			struct linx_error *err);
int linx_rtnl_addr_add(struct linx_rtnl *sock,
		       const struct linx_rtnl_addr_spec *spec,
		       struct linx_error *err);
int linx_rtnl_addr_delete(struct linx_rtnl *sock,
			  const struct linx_rtnl_addr_spec *spec,
			  struct linx_error *err);

/* ---- routes (RTM_*ROUTE; struct rtmsg, RTA_*) ----------------------------- */

#define LINX_RTNL_ROUTE_HAS_DST (1u << 0)
#define LINX_RTNL_ROUTE_HAS_SRC (1u << 1)
#define LINX_RTNL_ROUTE_HAS_GATEWAY (1u << 2)
#define LINX_RTNL_ROUTE_HAS_PREFSRC (1u << 3)
#define LINX_RTNL_ROUTE_HAS_OIF (1u << 4)
#define LINX_RTNL_ROUTE_HAS_IIF (1u << 5)
#define LINX_RTNL_ROUTE_HAS_PRIORITY (1u << 6)
#define LINX_RTNL_ROUTE_HAS_TABLE (1u << 7)
#define LINX_RTNL_ROUTE_HAS_PREF (1u << 8)
#define LINX_RTNL_ROUTE_HAS_MARK (1u << 9)
#define LINX_RTNL_ROUTE_HAS_MTU (1u << 10)
#define LINX_RTNL_ROUTE_HAS_MULTIPATH (1u << 11)

struct linx_rtnl_route {
	/* struct rtmsg */
	uint8_t family;
	uint8_t dst_len;
	uint8_t src_len;
	uint8_t tos;
	uint8_t table;	  /* u8 header table (RT_TABLE_COMPAT if > 255) */
	uint8_t protocol; /* RTPROT_* */
	uint8_t scope;	  /* RT_SCOPE_* */
	uint8_t type;	  /* RTN_* */
	uint32_t flags;	  /* RTM_F_* | RTNH_F_* */
	uint32_t present; /* LINX_RTNL_ROUTE_HAS_* */
	struct linx_rtnl_ip dst;     /* RTA_DST (absent: the default route) */
	struct linx_rtnl_ip src;     /* RTA_SRC (source-specific routing) */
	struct linx_rtnl_ip gateway; /* RTA_GATEWAY (or RTA_VIA, same family) */
	struct linx_rtnl_ip prefsrc; /* RTA_PREFSRC */
	int32_t oif;		     /* RTA_OIF */
	int32_t iif;		     /* RTA_IIF */
	uint32_t priority;	     /* RTA_PRIORITY: the metric */
	uint32_t table_ext;	     /* RTA_TABLE: the full 32-bit table */
	uint32_t mark;		     /* RTA_MARK */
	uint32_t mtu;		     /* RTA_METRICS / RTAX_MTU */
	uint8_t pref;		     /* RTA_PREF (IPv6 router preference) */
};

/* The effective table: table_ext when present, else the header byte. */
uint32_t linx_rtnl_route_table(const struct linx_rtnl_route *route);

/* What to add, replace or delete.  The family comes from dst and gateway,
 * which must agree; dst family 0 with dst_len 0 means the default route of
 * the gateway's family (or of `family`). */
struct linx_rtnl_route_spec {
	uint8_t family;		     /* optional when dst/gateway say it */
	struct linx_rtnl_ip dst;
	uint8_t dst_len;
	struct linx_rtnl_ip gateway; /* optional */
	const char *dev;	     /* optional output interface name */
	int32_t oif;		     /* used when dev is NULL; 0 = none */
	struct linx_rtnl_ip prefsrc; /* optional preferred source */
	uint32_t table;		     /* 0: main (254) */
	int protocol;		     /* RTPROT_*; -1: boot on add, any on del */
	int scope;		     /* RT_SCOPE_*; -1: derived (link w/o gw) */
	uint8_t type;		     /* RTN_*; 0: unicast */
	bool has_metric;
	uint32_t metric;	     /* RTA_PRIORITY */
	bool onlink;		     /* RTNH_F_ONLINK */
};
#define LINX_RTNL_ROUTE_SPEC_INIT { .protocol = -1, .scope = -1 }

/* Every route of every table (family AF_UNSPEC), or of one family.
 * table 0: all tables; else only that one (filtered by the kernel). */
int linx_rtnl_route_list(struct linx_rtnl *sock, uint8_t family,
			 uint32_t table, struct linx_rtnl_route **ret,
			 size_t *ret_n, struct linx_error *err);
/* The route the kernel would use for `dst` (RTM_GETROUTE, no dump).
 * ENETUNREACH (and friends) from the kernel for an unroutable address. */
int linx_rtnl_route_get(struct linx_rtnl *sock, const struct linx_rtnl_ip *dst,
			struct linx_rtnl_route *ret, struct linx_error *err);
/* NLM_F_CREATE|NLM_F_EXCL: EEXIST on a duplicate. */
int linx_rtnl_route_add(struct linx_rtnl *sock,
			const struct linx_rtnl_route_spec *spec,
			struct linx_error *err);
/* NLM_F_CREATE|NLM_F_REPLACE: create or overwrite in place. */
int linx_rtnl_route_replace(struct linx_rtnl *sock,
			    const struct linx_rtnl_route_spec *spec,
			    struct linx_error *err);
/* The kernel matches on what is set: leave protocol -1 and has_metric
 * false to match regardless of them. */
int linx_rtnl_route_delete(struct linx_rtnl *sock,
			   const struct linx_rtnl_route_spec *spec,
			   struct linx_error *err);

/* ---- neighbours (RTM_*NEIGH; struct ndmsg, NDA_*) ------------------------- */

#define LINX_RTNL_NEIGH_HAS_DST (1u << 0)
#define LINX_RTNL_NEIGH_HAS_LLADDR (1u << 1)
#define LINX_RTNL_NEIGH_HAS_PROBES (1u << 2)
#define LINX_RTNL_NEIGH_HAS_CACHEINFO (1u << 3)

struct linx_rtnl_neigh {
	uint8_t family;	  /* AF_INET (ARP), AF_INET6 (NDP), AF_BRIDGE */
	uint8_t flags;	  /* NTF_* */
	uint8_t type;	  /* ndm_type (RTN_*) */
	uint16_t state;	  /* NUD_* */
	int32_t ifindex;
	uint32_t present; /* LINX_RTNL_NEIGH_HAS_* */
	struct linx_rtnl_ip dst;	/* NDA_DST */
	struct linx_rtnl_lladdr lladdr; /* NDA_LLADDR */
	uint32_t probes;		/* NDA_PROBES */
	/* NDA_CACHEINFO (struct nda_cacheinfo), in clock ticks */
	uint32_t confirmed, used, updated, refcnt;
};

/* All entries (dev NULL) or one link's. */
int linx_rtnl_neigh_list(struct linx_rtnl *sock, const char *dev,
			 struct linx_rtnl_neigh **ret, size_t *ret_n,
			 struct linx_error *err);
/* A permanent entry: ip -> mac on dev (family from ip).  Replaces an
 * existing entry for the same ip (NLM_F_CREATE|NLM_F_REPLACE, as `ip neigh
 * replace`) when `replace`, else EEXIST. */
int linx_rtnl_neigh_add(struct linx_rtnl *sock, const char *dev,
			const struct linx_rtnl_ip *ip,
			const struct linx_rtnl_lladdr *mac, bool replace,
			struct linx_error *err);
int linx_rtnl_neigh_delete(struct linx_rtnl *sock, const char *dev,
			   const struct linx_rtnl_ip *ip,
			   struct linx_error *err);

/* ---- rules (RTM_*RULE; struct fib_rule_hdr, FRA_*) ------------------------ */

#define LINX_RTNL_RULE_HAS_SRC (1u << 0)
#define LINX_RTNL_RULE_HAS_DST (1u << 1)
#define LINX_RTNL_RULE_HAS_FWMARK (1u << 2)
#define LINX_RTNL_RULE_HAS_FWMASK (1u << 3)
#define LINX_RTNL_RULE_HAS_PRIORITY (1u << 4)
#define LINX_RTNL_RULE_HAS_TABLE (1u << 5)
#define LINX_RTNL_RULE_HAS_IIFNAME (1u << 6)
#define LINX_RTNL_RULE_HAS_OIFNAME (1u << 7)
#define LINX_RTNL_RULE_HAS_PROTOCOL (1u << 8)
#define LINX_RTNL_RULE_HAS_GOTO (1u << 9)
#define LINX_RTNL_RULE_HAS_SUPPRESS_PREFIXLEN (1u << 10)

struct linx_rtnl_rule {
	/* struct fib_rule_hdr */
	uint8_t family;
	uint8_t dst_len;
	uint8_t src_len;
	uint8_t tos;
	uint8_t table; /* u8 header table (RT_TABLE_COMPAT if > 255) */
	uint8_t res1;
	uint8_t res2;
	uint8_t action; /* FR_ACT_* */
	uint32_t flags; /* FIB_RULE_* */
	uint32_t present; /* LINX_RTNL_RULE_HAS_* */
	struct linx_rtnl_ip src; /* FRA_SRC */
	struct linx_rtnl_ip dst; /* FRA_DST */
	uint32_t fwmark;	 /* FRA_FWMARK */
	uint32_t fwmask;	 /* FRA_FWMASK */
	uint32_t priority;	 /* FRA_PRIORITY */
	uint32_t table_ext;	 /* FRA_TABLE */
	uint32_t goto_target;	 /* FRA_GOTO */
	uint32_t suppress_prefixlen; /* FRA_SUPPRESS_PREFIXLEN */
	uint8_t protocol;	 /* FRA_PROTOCOL */
	char iifname[IFNAMSIZ];	 /* FRA_IIFNAME */
	char oifname[IFNAMSIZ];	 /* FRA_OIFNAME */
};

/* The table the rule points to: table_ext when present, else the byte. */
uint32_t linx_rtnl_rule_table(const struct linx_rtnl_rule *rule);

/* Selectors.  table is required (1..2^32-1).  The family follows from/to
 * (which must agree), else `family`, else IPv4. */
struct linx_rtnl_rule_spec {
	uint8_t family;
	struct linx_rtnl_ip from;
	uint8_t from_len;
	struct linx_rtnl_ip to;
	uint8_t to_len;
	bool has_fwmark;
	uint32_t fwmark;
	bool has_fwmask;
	uint32_t fwmask;
	const char *iif; /* FRA_IIFNAME */
	const char *oif; /* FRA_OIFNAME */
	uint32_t table;
	bool has_priority;
	uint32_t priority;
	uint8_t action; /* FR_ACT_*; 0: FR_ACT_TO_TBL */
};

int linx_rtnl_rule_list(struct linx_rtnl *sock, uint8_t family,
			struct linx_rtnl_rule **ret, size_t *ret_n,
			struct linx_error *err);
int linx_rtnl_rule_add(struct linx_rtnl *sock,
		       const struct linx_rtnl_rule_spec *spec,
		       struct linx_error *err);
int linx_rtnl_rule_delete(struct linx_rtnl *sock,
			  const struct linx_rtnl_rule_spec *spec,
			  struct linx_error *err);

/* ---- statistics (RTM_GETSTATS; struct if_stats_msg) ----------------------- */

struct linx_rtnl_stats {
	uint8_t family;
	int32_t ifindex;
	uint32_t filter_mask; /* IFLA_STATS_FILTER_BIT(...) the reply carries */
	bool has_link64;
	struct linx_rtnl_link_stats64 link; /* IFLA_STATS_LINK_64 */
};

int linx_rtnl_stats_get(struct linx_rtnl *sock, const char *dev,
			struct linx_rtnl_stats *ret, struct linx_error *err);
int linx_rtnl_stats_list(struct linx_rtnl *sock, struct linx_rtnl_stats **ret,
			 size_t *ret_n, struct linx_error *err);

/* ---- decoders ------------------------------------------------------------
 *
 * Each decodes one message of its kind (the whole nlmsghdr, whose
 * nlmsg_len must not exceed the buffer it sits in).  They treat the
 * message as untrusted: a header that does not fit, or an attribute whose
 * length is wrong for its type, is EBADMSG; unknown attributes are
 * skipped.  They never read outside [nlh, nlh + nlmsg_len).
 */
int linx_rtnl_link_decode(const struct nlmsghdr *nlh,
			  struct linx_rtnl_link *ret);
int linx_rtnl_addr_decode(const struct nlmsghdr *nlh,
			  struct linx_rtnl_addr *ret);
int linx_rtnl_route_decode(const struct nlmsghdr *nlh,
			   struct linx_rtnl_route *ret);
int linx_rtnl_neigh_decode(const struct nlmsghdr *nlh,
			   struct linx_rtnl_neigh *ret);
int linx_rtnl_rule_decode(const struct nlmsghdr *nlh,
			  struct linx_rtnl_rule *ret);
int linx_rtnl_stats_decode(const struct nlmsghdr *nlh,
			   struct linx_rtnl_stats *ret);

/* ---- monitor (multicast) ------------------------------------------------- */

enum linx_rtnl_event_kind {
	LINX_RTNL_EVENT_UNKNOWN = 0, /* an RTM_* type without a decoder */
	LINX_RTNL_EVENT_NEW_LINK,
	LINX_RTNL_EVENT_DEL_LINK,
	LINX_RTNL_EVENT_NEW_ADDR,
	LINX_RTNL_EVENT_DEL_ADDR,
	LINX_RTNL_EVENT_NEW_ROUTE,
	LINX_RTNL_EVENT_DEL_ROUTE,
	LINX_RTNL_EVENT_NEW_NEIGH,
	LINX_RTNL_EVENT_DEL_NEIGH,
	LINX_RTNL_EVENT_NEW_RULE,
	LINX_RTNL_EVENT_DEL_RULE,
	/* The kernel dropped notifications (ENOBUFS on the socket): state
	 * must be re-read.  Carries no resource. */
	LINX_RTNL_EVENT_RESYNC,
};

/* "new_link", ..., "unknown", "resync". */
const char *linx_rtnl_event_kind_name(unsigned kind);

struct linx_rtnl_event {
	uint32_t kind;	     /* enum linx_rtnl_event_kind */
	uint16_t nlmsg_type; /* RTM_* (0 for RESYNC) */
	union {
		struct linx_rtnl_link link;
		struct linx_rtnl_addr addr;
		struct linx_rtnl_route route;
		struct linx_rtnl_neigh neigh;
		struct linx_rtnl_rule rule;
	} resource;
};

struct linx_rtnl_monitor;

/* Groups to join, RTNLGRP_* numbers (include/uapi/linux/rtnetlink.h).
 * The default set: link, neigh, IPv4/IPv6 ifaddr, route and rule. */
extern const unsigned linx_rtnl_monitor_default_groups[];
extern const size_t linx_rtnl_monitor_default_groups_n;

/* Parse a group name: "link", "neigh"/"neighbour", "ipv4_ifaddr",
 * "ipv6_ifaddr", "ipv4_route", "ipv6_route", "ipv4_rule", "ipv6_rule";
 * "address", "route" and "rule" mean both families.  Writes up to `cap`
 * numbers to ret and returns how many (1 or 2), or -EINVAL. */
int linx_rtnl_group_parse(const char *name, unsigned *ret, size_t cap);

/*
 * Open a monitor in `netns` subscribed to `groups` (n == 0: the default
 * set); SO_RCVBUF is raised to `rcvbuf` bytes (0: 4 MiB).  *ret is owned
 * by the caller (linx_rtnl_monitor_close).
 */
int linx_rtnl_monitor_open(const struct linx_ns_target *netns,
			   const unsigned *groups, size_t n, size_t rcvbuf,
			   struct linx_rtnl_monitor **ret,
			   struct linx_error *err);
void linx_rtnl_monitor_close(struct linx_rtnl_monitor *mon);

/* A pollable fd (readable when events wait); owned by the monitor. */
int linx_rtnl_monitor_fd(const struct linx_rtnl_monitor *mon);

/*
 * Wait up to timeout_ms (0: do not wait; -1: forever) for notifications
 * and decode every one already queued (at most `max` events; 0 means no
 * limit).  *ret (malloc'd, NULL when *ret_n is 0) is owned by the caller.
 * A timeout returns 0 events.  ENOBUFS becomes one RESYNC event.
 */
int linx_rtnl_monitor_read(struct linx_rtnl_monitor *mon, int timeout_ms,
			   size_t max, struct linx_rtnl_event **ret,
			   size_t *ret_n, struct linx_error *err);

/* Decode one notification (exported for the fuzz target and tests). */
int linx_rtnl_event_decode(const struct nlmsghdr *nlh,
			   struct linx_rtnl_event *ret);

/* ---- batches -------------------------------------------------------------
 *
 * A batch is a list of mutations sent thousands per sendmsg(2) on one
 * socket.  Netlink processes every message of a datagram in order and
 * acknowledges each one that fails, so only the last message of a window
 * asks for an acknowledgement; failures come back with their index and do
 * not stop the others.  Windows are sized so that even all-failing acks
 * fit in the receive buffer; a lost ack (ENOBUFS) fails the batch.
 */
struct linx_rtnl_batch;

enum linx_rtnl_op {
	LINX_RTNL_OP_ROUTE_ADD = 1,
	LINX_RTNL_OP_ROUTE_REPLACE,
	LINX_RTNL_OP_ROUTE_DELETE,
	LINX_RTNL_OP_ADDR_ADD,
	LINX_RTNL_OP_ADDR_DELETE,
	LINX_RTNL_OP_NEIGH_ADD,
	LINX_RTNL_OP_NEIGH_DELETE,
	LINX_RTNL_OP_RULE_ADD,
	LINX_RTNL_OP_RULE_DELETE,
	LINX_RTNL_OP_LINK_DELETE,
	LINX_RTNL_OP_LINK_SET_UP,
	LINX_RTNL_OP_LINK_SET_DOWN,
	LINX_RTNL_OP_LINK_SET_MTU,
};

/* "route.add", "addr.delete", ... */
const char *linx_rtnl_op_name(unsigned op);

/* A new, empty batch bound to `sock` (interface names are resolved in its
 * namespace, at most once per distinct name).  Owned by the caller. */
int linx_rtnl_batch_new(struct linx_rtnl *sock, struct linx_rtnl_batch **ret,
			struct linx_error *err);
void linx_rtnl_batch_free(struct linx_rtnl_batch *batch);

/* Append an operation.  Arguments are validated (and names resolved) now:
 * a bad argument fails here and the batch is unchanged. */
int linx_rtnl_batch_route(struct linx_rtnl_batch *batch, unsigned op,
			  const struct linx_rtnl_route_spec *spec,
			  struct linx_error *err);
int linx_rtnl_batch_addr(struct linx_rtnl_batch *batch, unsigned op,
			 const struct linx_rtnl_addr_spec *spec,
			 struct linx_error *err);
int linx_rtnl_batch_neigh(struct linx_rtnl_batch *batch, unsigned op,
			  const char *dev, const struct linx_rtnl_ip *ip,
			  const struct linx_rtnl_lladdr *mac,
			  struct linx_error *err);
int linx_rtnl_batch_rule(struct linx_rtnl_batch *batch, unsigned op,
			 const struct linx_rtnl_rule_spec *spec,
			 struct linx_error *err);
/* LINK_DELETE, LINK_SET_UP/DOWN (value ignored), LINK_SET_MTU (value). */
int linx_rtnl_batch_link(struct linx_rtnl_batch *batch, unsigned op,
			 const char *dev, uint32_t value,
			 struct linx_error *err);

/* Number of operations queued. */
size_t linx_rtnl_batch_size(const struct linx_rtnl_batch *batch);

/*
 * Send every queued operation and collect every acknowledgement.  Returns
 * 0 if all succeeded; otherwise the negative errno of the first failure,
 * with `err` describing it (its message names the op index).  Transport
 * failures (the socket itself) are reported the same way with op
 * "batch".  Per-op results stay available until the batch is freed or
 * run again.  Running a batch again resends every operation.
 */
int linx_rtnl_batch_run(struct linx_rtnl_batch *batch,
			struct linx_error *err);

/* After run: how many operations failed, and the k-th failure (in index
 * order): its op index and error (errno, op name, extack). */
size_t linx_rtnl_batch_failures(const struct linx_rtnl_batch *batch);
int linx_rtnl_batch_failure(const struct linx_rtnl_batch *batch, size_t k,
			    size_t *ret_index, struct linx_error *ret_err);

/* ---- names for numbers (as `ip` prints them) ------------------------------ */

/* "UP", "LOWER_UP"... for IFF_* bit i (0..31); NULL if none. */
const char *linx_rtnl_iff_name(unsigned bit);
/* IF_OPER_*: "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
 * "TESTING", "DORMANT", "UP". */
const char *linx_rtnl_operstate_name(unsigned v);
/* ARPHRD_*: "ether", "loopback", "none"...; NULL if not known. */
const char *linx_rtnl_link_type_name(unsigned v);
/* RT_SCOPE_*: "global", "site", "link", "host", "nowhere". */
const char *linx_rtnl_scope_name(unsigned v);
int linx_rtnl_scope_from_name(const char *name);
/* RTPROT_*: "kernel", "boot", "static", "ra", "dhcp", ... */
const char *linx_rtnl_protocol_name(unsigned v);
int linx_rtnl_protocol_from_name(const char *name);
/* RTN_*: "unicast", "local", "broadcast", "blackhole", ... */
const char *linx_rtnl_route_type_name(unsigned v);
int linx_rtnl_route_type_from_name(const char *name);
/* NUD_* bit: "INCOMPLETE", "REACHABLE", ..., "PERMANENT". */
const char *linx_rtnl_nud_name(unsigned bit);
/* MACVLAN_MODE_*: "private", "vepa", "bridge", "passthru", "source". */
const char *linx_rtnl_macvlan_mode_name(uint32_t mode);
int linx_rtnl_macvlan_mode_from_name(const char *name, uint32_t *ret);
/* IPVLAN_MODE_*: "l2", "l3", "l3s". */
const char *linx_rtnl_ipvlan_mode_name(uint16_t mode);
int linx_rtnl_ipvlan_mode_from_name(const char *name, uint16_t *ret);
/* "main", "local", "default", or NULL for a numbered table. */
const char *linx_rtnl_table_name(uint32_t table);
/* AF_INET -> "inet", AF_INET6 -> "inet6", AF_BRIDGE -> "bridge". */
const char *linx_rtnl_family_name(unsigned family);

/* ---- the plugin --------------------------------------------------------- */

/* Statically registrable descriptor of the `rtnl` plugin (its verbs). */
extern const struct linx_plugin linx_plugin_rtnl;

LINX_END_DECLS

#endif /* LINX_RTNL_H */
