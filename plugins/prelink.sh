#!/bin/sh
# SPDX-License-Identifier: MIT
#
# One relocatable object from a plugin's objects, in which only the
# plugin's public names stay global: its typed API (linx_<name>_*) and its
# descriptor (linx_plugin_<name>).  Visibility attributes do nothing for a
# static library - hidden names still clash at the final link (rtnl_talk
# against iproute2's libnetlink) - so the internal names are made local
# here, once every internal reference between the objects is resolved.
# References to liblinx and libc stay undefined.
#
# usage: prelink.sh LD OBJCOPY OUT.o ARCHIVE.a KEEP-PATTERN...
set -eu
ld=$1 objcopy=$2 out=$3 archive=$4
shift 4
"$ld" -r --whole-archive "$archive" -o "$out.tmp"
set --  "$@"
keep=""
for pattern in "$@"; do
	keep="$keep --keep-global-symbol=$pattern"
done
# shellcheck disable=SC2086 # $keep is a list of options
"$objcopy" --wildcard $keep "$out.tmp" "$out"
rm -f "$out.tmp"
