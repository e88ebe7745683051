/* SPDX-License-Identifier: MIT */
/*
 * Flag names: the spec's atoms for mount(2) and umount2(2).
 */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "mount-internal.h"

static const struct {
	const char *name;
	unsigned long flag;
} mount_flags[] = {
	{ "ro", MS_RDONLY },
	{ "rdonly", MS_RDONLY },
	{ "nosuid", MS_NOSUID },
	{ "nodev", MS_NODEV },
	{ "noexec", MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS },
	{ "remount", MS_REMOUNT },
	{ "mandlock", MS_MANDLOCK },
	{ "dirsync", MS_DIRSYNC },
	{ "noatime", MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME },
	{ "bind", MS_BIND },
	{ "move", MS_MOVE },
	{ "rec", MS_REC },
	{ "silent", MS_SILENT },
	{ "private", MS_PRIVATE },
	{ "shared", MS_SHARED },
	{ "slave", MS_SLAVE },
	{ "unbindable", MS_UNBINDABLE },
	{ "relatime", MS_RELATIME },
	{ "strictatime", MS_STRICTATIME },
	{ "lazytime", MS_LAZYTIME },
};

static const struct {
	const char *name;
	int flag;
} umount_flags[] = {
	{ "force", MNT_FORCE },
	{ "detach", MNT_DETACH },
	{ "expire", MNT_EXPIRE },
	{ "no_follow", UMOUNT_NOFOLLOW },
};

unsigned long linx_mount_flag(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(mount_flags); i++)
		if (strcmp(mount_flags[i].name, name) == 0)
			return mount_flags[i].flag;
	return 0;
}

const char *linx_mount_flag_name(unsigned long flag)
{
	for (size_t i = 0; i < ARRAY_SIZE(mount_flags); i++)
		if (mount_flags[i].flag == flag)
			return mount_flags[i].name;
	return NULL;
}

int linx_mount_umount_flag(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(umount_flags); i++)
		if (strcmp(umount_flags[i].name, name) == 0)
			return umount_flags[i].flag;
	return 0;
}

int mount_flags_from_value(const struct linx_value *v, const char *param,
			   unsigned long *ret, struct linx_error *err)
{
	*ret = 0;
	if (!v || v->type == LINX_NIL)
		return 0;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *e = &v->items[i];
		unsigned long f;

		if (e->type != LINX_STRING)
			return linx_error_param(err, "validate", param,
						"%s[%u] is not a flag name",
						param, i);
		f = linx_mount_flag(e->str);
		if (!f)
			return linx_error_param_object(
				err, EINVAL, "validate", param, e->str,
				"unknown mount flag \"%s\" (bad_flag)", e->str);
		*ret |= f;
	}
	return 0;
}
