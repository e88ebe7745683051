/* SPDX-License-Identifier: MIT */
/*
 * The rtnl plugin's internal names, prefixed.  liblinx-rtnl.a is
 * installed and linked into programs that may also link other netlink
 * code: iproute2's libnetlink defines rtnl_talk, rtnl_dump_filter, ...
 * A static archive cannot hide a global symbol, so every name shared
 * between the plugin's files is spelled rtnl_x in the source and
 * linx_rtnl__x in the objects.  tests/plugins/rtnl/test-exports.sh checks
 * that the archive defines nothing outside linx_*; add a line here for
 * each new internal function.  Included first by rtnl-internal.h.
 */
#ifndef LINX_RTNL_SYMBOLS_H
#define LINX_RTNL_SYMBOLS_H

#define rtnl_ack_error linx_rtnl__ack_error
#define rtnl_array_free linx_rtnl__array_free
#define rtnl_array_init linx_rtnl__array_init
#define rtnl_array_take linx_rtnl__array_take
#define rtnl_build_addr linx_rtnl__build_addr
#define rtnl_build_link_set linx_rtnl__build_link_set
#define rtnl_build_neigh linx_rtnl__build_neigh
#define rtnl_build_route linx_rtnl__build_route
#define rtnl_build_rule linx_rtnl__build_rule
#define rtnl_check_ifname linx_rtnl__check_ifname
#define rtnl_check_lladdr linx_rtnl__check_lladdr
#define rtnl_dump linx_rtnl__dump
#define rtnl_enodev linx_rtnl__enodev
#define rtnl_get_ip linx_rtnl__get_ip
#define rtnl_get_lladdr linx_rtnl__get_lladdr
#define rtnl_get_s32 linx_rtnl__get_s32
#define rtnl_get_str linx_rtnl__get_str
#define rtnl_get_u16 linx_rtnl__get_u16
#define rtnl_get_u32 linx_rtnl__get_u32
#define rtnl_get_u8 linx_rtnl__get_u8
#define rtnl_ifindex linx_rtnl__ifindex
#define rtnl_linkinfo_decode linx_rtnl__linkinfo_decode
#define rtnl_msg_header linx_rtnl__msg_header
#define rtnl_names_find linx_rtnl__names_find
#define rtnl_names_free linx_rtnl__names_free
#define rtnl_names_load linx_rtnl__names_load
#define rtnl_one_init linx_rtnl__one_init
#define rtnl_parse_error linx_rtnl__parse_error
#define rtnl_prefix_text linx_rtnl__prefix_text
#define rtnl_put linx_rtnl__put
#define rtnl_put_ip linx_rtnl__put_ip
#define rtnl_put_str linx_rtnl__put_str
#define rtnl_put_u16 linx_rtnl__put_u16
#define rtnl_put_u32 linx_rtnl__put_u32
#define rtnl_put_u8 linx_rtnl__put_u8
#define rtnl_read_fields linx_rtnl__read_fields
#define rtnl_req linx_rtnl__req
#define rtnl_result_error linx_rtnl__result_error
#define rtnl_socket_open linx_rtnl__socket_open
#define rtnl_stats64_decode linx_rtnl__stats64_decode
#define rtnl_talk linx_rtnl__talk
#define rtnl_value_addr linx_rtnl__value_addr
#define rtnl_value_event linx_rtnl__value_event
#define rtnl_value_link linx_rtnl__value_link
#define rtnl_value_neigh linx_rtnl__value_neigh
#define rtnl_value_route linx_rtnl__value_route
#define rtnl_value_rule linx_rtnl__value_rule
#define rtnl_value_stats linx_rtnl__value_stats
#define rtnl_value_stats64 linx_rtnl__value_stats64
#define rtnl_rc_addr_key linx_rtnl__rc_addr_key
#define rtnl_rc_desired linx_rtnl__rc_desired
#define rtnl_rc_diff linx_rtnl__rc_diff
#define rtnl_rc_link_name linx_rtnl__rc_link_name
#define rtnl_rc_link_set linx_rtnl__rc_link_set
#define rtnl_rc_links_add linx_rtnl__rc_links_add
#define rtnl_rc_links_free linx_rtnl__rc_links_free
#define rtnl_rc_neigh_key linx_rtnl__rc_neigh_key
#define rtnl_rc_observed_links linx_rtnl__rc_observed_links
#define rtnl_rc_observed_set linx_rtnl__rc_observed_set
#define rtnl_rc_op_key linx_rtnl__rc_op_key
#define rtnl_rc_op_value linx_rtnl__rc_op_value
#define rtnl_rc_rule_key linx_rtnl__rc_rule_key
#define rtnl_rc_owned linx_rtnl__rc_owned
#define rtnl_rc_protocol linx_rtnl__rc_protocol
#define rtnl_rc_route_key linx_rtnl__rc_route_key
#define rtnl_rc_set_free linx_rtnl__rc_set_free
#define rtnl_rc_unique linx_rtnl__rc_unique
#define rtnl_verbs linx_rtnl__verbs
#define rtnl_verbs_n linx_rtnl__verbs_n

/* The reconciler's short helper names (rtnl-reconcile.h). */
#define rc_family_name linx_rtnl__rc_family_name
#define rc_family_of linx_rtnl__rc_family_of
#define rc_link_index linx_rtnl__rc_link_index
#define rc_u32 linx_rtnl__rc_u32

#endif /* LINX_RTNL_SYMBOLS_H */
