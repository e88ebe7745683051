#!/bin/sh
# SPDX-License-Identifier: MIT
# What the rtnl plugin exports.  The static archive is linked into
# programs that may link iproute2's libnetlink too (which defines
# rtnl_talk, rtnl_dump_filter, ...): every global it defines must be in
# the linx_ namespace (public linx_rtnl_*, internal linx_rtnl__*, the
# netlink engine's linx_nl_*).  The module exports only its descriptor.
# Usage: test-exports.sh NM ARCHIVE MODULE
set -eu
nm=$1 archive=$2 module=$3
# Under AddressSanitizer each global gets an ODR indicator,
# __odr_asan.<name>, beside it: it counts as the global it marks.
bad=$("$nm" -g --defined-only "$archive" |
	awk 'NF == 3 { sub(/^__odr_asan\./, "", $3); if ($3 !~ /^linx_/) print $3 }')
if [ -n "$bad" ]; then
	echo "$archive defines names outside linx_*:" $bad
	exit 1
fi
n=$("$nm" -g --defined-only "$archive" | awk 'NF == 3' | wc -l)
[ "$n" -gt 0 ] || { echo "$archive: no symbols read"; exit 1; }
dyn=$("$nm" -D --defined-only "$module" | awk 'NF == 3 { print $3 }')
if [ "$dyn" != "linx_plugin_descriptor" ]; then
	echo "$module exports more than its descriptor:" $dyn
	exit 1
fi
echo "ok: $n globals, all linx_*; module exports $dyn"
