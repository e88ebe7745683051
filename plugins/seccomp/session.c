/* SPDX-License-Identifier: MIT */
/* Installing a filter on a parked session (static library only). */
#include <linx/process.h>
#include <linx/seccomp.h>

int linx_seccomp_process_install(struct linx_process *p,
				 const struct linx_seccomp_filter *f,
				 struct linx_error *err)
{
	struct linx_value args = linx_value_map();
	size_t len;
	const void *bpf = linx_seccomp_filter_bpf(f, &len);
	int r;

	if (!bpf)
		return linx_error_param(err, "seccomp_install", "filter",
					"no filter");
	linx_map_put_bytes(&args, "bpf", bpf, len);
	r = linx_value_status(&args);
	if (r >= 0)
		r = linx_process_call(p, "seccomp.install", &args, NULL, err);
	linx_value_clear(&args);
	return r;
}
