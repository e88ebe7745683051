#!/bin/sh
# SPDX-License-Identifier: MIT
#
# What the shared objects export (STYLE.md: "a test lists what each shared
# object exports"):
#   - liblinx exports exactly the names in core/liblinx.map;
#   - every LINX_API function declared in liblinx's own headers is in the
#     map, and every name in the map is such a function (the subsystems'
#     typed headers belong to their plugins' static libraries, not to
#     liblinx, and do not use LINX_API);
#   - every plugin module exports exactly linx_plugin_descriptor;
#   - every plugin's static library (liblinx-<name>.a) defines, as global
#     names, only its typed API (linx_<name>_*) and its descriptor
#     (linx_plugin_<name>): a C program linking it must not meet the
#     plugin's internal names (plugins/prelink.sh).
#
# usage: test-symbols.sh LIBLINX MAP HEADER... -- [PLUGIN_MODULE...]
#        [-- STATIC_LIBRARY...]
set -eu

lib=$1 map=$2
shift 2
headers=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	headers="$headers $1"
	shift
done
[ $# -gt 0 ] && shift

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

fail() {
	echo "FAIL: $*" >&2
	failed=1
}

# Defined dynamic symbols, without version suffixes (name@@LINX_0.1) and
# without the version nodes themselves (type A).
exports() {
	nm -D --defined-only "$1" | awk '$2 != "A" { print $3 }' |
		sed 's/@.*//' | sort -u
}

# Show the difference of two sorted lists, labelled.
compare() { # what left-label right-label left right
	only_left=$(comm -23 "$4" "$5")
	only_right=$(comm -13 "$4" "$5")
	if [ -n "$only_left" ]; then
		fail "$1: in $2 but not in $3:"
		echo "$only_left" | sed 's/^/    /' >&2
	fi
	if [ -n "$only_right" ]; then
		fail "$1: in $3 but not in $2:"
		echo "$only_right" | sed 's/^/    /' >&2
	fi
}

# --- liblinx vs its version script --------------------------------------

exports "$lib" >"$tmp/exported"
# The names between "global:" and "local:", one per line, ';' stripped.
perl -0777 -ne 's{/\*.*?\*/}{}gs; /global:(.*?)local:/s or die "no global section\n";
	print "$_\n" for grep { length } map { s/[\s;]//gr } split /\n/, $1' \
	"$map" | sort -u >"$tmp/map"
[ -s "$tmp/exported" ] || fail "liblinx exports nothing"
[ -s "$tmp/map" ] || fail "no names found in $map"
compare "liblinx exports" "the library" "liblinx.map" \
	"$tmp/exported" "$tmp/map"

# --- the map vs LINX_API declarations -----------------------------------

# Comments and preprocessor lines removed, declarations split on ';' and
# '}': in each one that carries LINX_API, the first identifier followed by
# '(' is the function's name.
# shellcheck disable=SC2086 # $headers is a list of paths
perl -0777 -ne '
	s{/\*.*?\*/}{}gs;
	s{^\s*#.*?(?<!\\)\n}{}gms;
	for my $decl (split /[;}]/) {
		next unless $decl =~ /\bLINX_API\b(.*)/s;
		print "$1\n" if $1 =~ /([A-Za-z_][A-Za-z0-9_]*)\s*\(/;
	}' $headers | sort -u >"$tmp/declared"
[ -s "$tmp/declared" ] || fail "no LINX_API declarations found in$headers"
compare "LINX_API functions" "liblinx's headers" "liblinx.map" \
	"$tmp/declared" "$tmp/map"

# --- plugin modules -------------------------------------------------------

echo linx_plugin_descriptor >"$tmp/plugin"
modules=0
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	exports "$1" >"$tmp/module"
	compare "plugin exports" "$(basename "$1")" \
		"the plugin ABI (linx_plugin_descriptor only)" \
		"$tmp/module" "$tmp/plugin"
	modules=$((modules + 1))
	shift
done
[ $# -gt 0 ] && shift

# --- plugin static libraries -------------------------------------------------

statics=0
for archive in "$@"; do
	base=$(basename "$archive" .a)
	name=${base#liblinx-}
	# Global names defined by any member (not U, not local).  ASan adds
	# an ODR indicator, __odr_asan.<name>, beside each global: it counts
	# as <name>.
	nm -g --defined-only "$archive" | awk 'NF == 3 { print $3 }' |
		sed 's/^__odr_asan\.//' | sort -u >"$tmp/static"
	echo "$base: $(wc -l <"$tmp/static") global names:" \
		"$(tr '\n' ' ' <"$tmp/static")"
	internal=$(grep -v -e "^linx_${name}_" -e "^linx_plugin_${name}\$" \
		"$tmp/static" || true)
	if [ -n "$internal" ]; then
		fail "$base defines names outside linx_${name}_* and" \
			"linx_plugin_${name}:"
		echo "$internal" | sed 's/^/    /' >&2
	fi
	grep -qx "linx_plugin_${name}" "$tmp/static" ||
		fail "$base does not define linx_plugin_${name}"
	statics=$((statics + 1))
done

n_lib=$(wc -l <"$tmp/exported")
n_decl=$(wc -l <"$tmp/declared")
if [ "$failed" = 0 ]; then
	echo "liblinx: $n_lib symbols, all in the map; $n_decl LINX_API" \
		"functions, all in the map; $modules plugin modules export" \
		"only linx_plugin_descriptor; $statics static libraries" \
		"define only their public names"
fi
exit "$failed"
