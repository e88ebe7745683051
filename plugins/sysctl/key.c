/* SPDX-License-Identifier: MIT */
/*
 * Keys: the dot form and its mapping onto /proc/sys.
 *
 * A key is one or more components of [A-Za-z0-9_-], joined by single dots.
 * The rule is deliberately narrower than what procfs can hold: a component
 * can never be empty, "." or "..", and no slash can appear, so a valid key
 * cannot name anything outside /proc/sys whatever it is (the file opening
 * in procfs.c refuses symlinks and mount crossings on top of that).  Keys
 * are refused before any I/O.
 *
 * procps' sysctl(8) also accepts slashes as separators (so that a dot can
 * stand inside a leaf name, as in net.ipv4.conf.eth0/10.forwarding); Linx
 * does not: such files are reached through the path a listing reports.
 */
#include <errno.h>
#include <string.h>

#include "sysctl-internal.h"

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* NULL if `key` is valid, else why not (and the offending offset). */
static const char *key_problem(const char *key, size_t *ret_at)
{
	size_t i, len;

	*ret_at = 0;
	if (!key)
		return "no key given";
	len = strnlen(key, LINX_SYSCTL_KEY_MAX + 1);
	if (len == 0)
		return "the key is empty";
	if (len > LINX_SYSCTL_KEY_MAX)
		return "the key is longer than " LINX_STRINGIFY(
			LINX_SYSCTL_KEY_MAX) " bytes";
	for (i = 0; i < len; i++) {
		char c = key[i];

		*ret_at = i;
		if (c == '.') {
			if (i == 0)
				return "a key cannot start with a dot";
			if (key[i - 1] == '.')
				return "a key cannot contain an empty "
				       "component (\"..\")";
			if (i + 1 == len)
				return "a key cannot end with a dot";
			continue;
		}
		if (c == '/')
			return "a key uses dots, not slashes, as separators";
		if (!key_char(c))
			return "a key may only contain letters, digits, "
			       "'_', '-' and dots";
	}
	return NULL;
}

bool linx_sysctl_key_valid(const char *key)
{
	size_t at;

	return key_problem(key, &at) == NULL;
}

static int key_refuse(const char *key, const char *param,
		      struct linx_error *err)
{
	size_t at;
	const char *why = key_problem(key, &at);

	if (!why)
		return 0;
	if (!key || !*key)
		return linx_error_param(err, "validate", param,
					"invalid sysctl %s: %s", param, why);
	if (strlen(key) > LINX_SYSCTL_KEY_MAX)
		return linx_error_param(err, "validate", param,
					"invalid sysctl %s \"%.64s...\": %s",
					param, key, why);
	return linx_error_param(err, "validate", param,
				"invalid sysctl %s \"%s\": %s (at byte %zu)",
				param, key, why, at);
}

int linx_sysctl_key_validate(const char *key, struct linx_error *err)
{
	return key_refuse(key, "key", err);
}

int sysctl_key_init(struct sysctl_key *ret, const char *key, const char *param,
		    struct linx_error *err)
{
	size_t len;
	int r;

	r = key_refuse(key, param, err);
	if (r < 0)
		return r;
	len = strlen(key);
	ret->key = key;
	for (size_t i = 0; i <= len; i++)
		ret->rel[i] = key[i] == '.' ? '/' : key[i];
	memcpy(ret->path, SYSCTL_ROOT "/", sizeof(SYSCTL_ROOT));
	memcpy(ret->path + sizeof(SYSCTL_ROOT), ret->rel, len + 1);
	return 0;
}

int linx_sysctl_key_path(const char *key, char *buf, size_t cap,
			 struct linx_error *err)
{
	struct sysctl_key k;
	size_t len;
	int r;

	r = sysctl_key_init(&k, key, "key", err);
	if (r < 0)
		return r;
	len = strlen(k.path);
	if (!buf || cap <= len)
		return linx_error_set(err, ENOBUFS, "validate",
				      "sysctl %s: the path needs %zu bytes",
				      key, len + 1);
	memcpy(buf, k.path, len + 1);
	return (int)len;
}
