/* SPDX-License-Identifier: MIT */
/*
 * linx/common.h - macros shared by every public Linx header.
 */
#ifndef LINX_COMMON_H
#define LINX_COMMON_H

#ifdef __cplusplus
#define LINX_BEGIN_DECLS extern "C" {
#define LINX_END_DECLS }
#else
#define LINX_BEGIN_DECLS
#define LINX_END_DECLS
#endif

/* liblinx is built with -fvisibility=hidden; LINX_API marks what it exports
 * (the version script is the second gate). */
#if defined(LINX_BUILDING_CORE)
#define LINX_API __attribute__((visibility("default")))
#else
#define LINX_API
#endif

/* Used by LINX_PLUGIN_DEFINE for the one symbol a plugin exports. */
#define LINX_EXPORT __attribute__((visibility("default")))

#define LINX_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define LINX_WARN_UNUSED __attribute__((warn_unused_result))

#define LINX_STRINGIFY_(x) #x
#define LINX_STRINGIFY(x) LINX_STRINGIFY_(x)

/* Release version of the library (not the plugin ABI, see plugin.h). */
#define LINX_VERSION_MAJOR 0
#define LINX_VERSION_MINOR 1
#define LINX_VERSION_PATCH 0
#define LINX_VERSION_STRING                                                  \
	LINX_STRINGIFY(LINX_VERSION_MAJOR)                                   \
	"." LINX_STRINGIFY(LINX_VERSION_MINOR) "." LINX_STRINGIFY(           \
		LINX_VERSION_PATCH)

#endif /* LINX_COMMON_H */
