/* SPDX-License-Identifier: MIT */
/*
 * The host-services table handed to every plugin's init.  Each member has
 * the type of the function it points to (LINX_HOST_MEMBER), so a signature
 * change here fails to compile instead of failing at run time.
 */
#include "internal.h"

#define SERVICE(fn) .fn = fn

static const struct linx_host host = {
	.size = sizeof(struct linx_host),
	.abi_major = LINX_ABI_MAJOR,
	.abi_minor = LINX_ABI_MINOR,
	SERVICE(linx_error_clear),
	SERVICE(linx_error_set),
	SERVICE(linx_error_setv),
	SERVICE(linx_error_param),
	SERVICE(linx_error_object),
	SERVICE(linx_error_prefix),
	SERVICE(linx_error_extack),
	SERVICE(linx_errno_name),
	SERVICE(linx_strerror),
	SERVICE(linx_value_string),
	SERVICE(linx_value_cstring),
	SERVICE(linx_value_bytes),
	SERVICE(linx_value_handle),
	SERVICE(linx_utf8_valid),
	SERVICE(linx_list_push),
	SERVICE(linx_list_push_int),
	SERVICE(linx_list_push_uint),
	SERVICE(linx_list_push_cstring),
	SERVICE(linx_value_reserve),
	SERVICE(linx_map_put),
	SERVICE(linx_map_put_nil),
	SERVICE(linx_map_put_bool),
	SERVICE(linx_map_put_int),
	SERVICE(linx_map_put_uint),
	SERVICE(linx_map_put_cstring),
	SERVICE(linx_map_put_string),
	SERVICE(linx_map_put_bytes),
	SERVICE(linx_map_get),
	SERVICE(linx_value_clear),
	SERVICE(linx_value_copy),
	SERVICE(linx_value_status),
	SERVICE(linx_value_equal),
	SERVICE(linx_type_name),
	SERVICE(linx_value_encode_to),
	SERVICE(linx_value_encode),
	SERVICE(linx_value_decode),
	SERVICE(linx_handle_new),
	SERVICE(linx_handle_ref),
	SERVICE(linx_handle_unref),
	SERVICE(linx_handle_get),
	SERVICE(linx_handle_type_of),
	SERVICE(linx_ns_target_from_value),
	SERVICE(linx_ns_target_describe),
	SERVICE(linx_ns_pin),
	SERVICE(linx_ns_pin_close),
	SERVICE(linx_ns_socket),
	SERVICE(linx_ns_run),
	/* ABI 1.1 (loader) */
	SERVICE(linx_verb_validate),
	SERVICE(linx_error_set_object),
	SERVICE(linx_error_param_object),
	SERVICE(linx_error_param_objectv),
	SERVICE(linx_map_put_many),
	SERVICE(linx_ns_open_path),
	SERVICE(linx_reconcile_flat_diff),
	SERVICE(linx_reconcile_flat_pass),
	SERVICE(linx_reconcile_error_value),
};

const struct linx_host *linx_host_services(void)
{
	return &host;
}
