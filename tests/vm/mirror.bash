# SPDX-License-Identifier: MIT
# Sourced by bash scripts that fetch from Debian (tests/vm/run,
# tests/trixie/run): where this machine's Debian mirror is.

# Print "URI KEYRING" for the system's own Debian release, read from its
# apt sources (deb822 *.sources first, then one-line *.list files).
system_mirror() {
	local codename
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || return 1
	shopt -s nullglob
	local sources=(/etc/apt/sources.list.d/*.sources)
	local lists=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
	shopt -u nullglob
	{
		[ ${#sources[@]} -eq 0 ] || awk -v want="$codename" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && enabled != "no" &&
				    (" " suites " ") ~ (" " want " ") && uris != "") {
					split(uris, u, " ")
					print u[1], (signed ~ /^\// ? signed : "-")
				}
				types = suites = uris = signed = enabled = ""
			}
			FNR == 1 { flush() }
			/^#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[A-Za-z-]+:/ {
				key = tolower(substr($0, 1, index($0, ":") - 1))
				val = substr($0, index($0, ":") + 1)
				gsub(/^[ \t]+|[ \t]+$/, "", val)
				if (key == "types") types = val
				else if (key == "suites") suites = val
				else if (key == "uris") uris = val
				else if (key == "signed-by") signed = val
				else if (key == "enabled") enabled = tolower(val)
			}
			END { flush() }' "${sources[@]}"
		for f in "${lists[@]}"; do
			[ -f "$f" ] || continue
			# deb [opt=val ...] URI SUITE COMPONENT...
			awk -v want="$codename" '$1 == "deb" {
				i = 2; signed = "-"
				if ($2 ~ /^\[/) {
					for (; i <= NF; i++) {
						if ($i ~ /signed-by=\//) {
							signed = $i
							sub(/.*signed-by=/, "", signed)
							sub(/\]$/, "", signed)
						}
						if ($i ~ /\]$/) break
					}
					i++
				}
				if ($(i + 1) == want) print $i, signed
			}' "$f"
		done
	} | awk '$1 ~ /^https?:\/\// { print; exit }'
}
