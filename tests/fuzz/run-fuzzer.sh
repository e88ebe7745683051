#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Run a libFuzzer target for a bounded time (CI-friendly).
#   run-fuzzer.sh FUZZER SEED_DIR WORK_DIR
# FUZZ_SECONDS (default 60) bounds the run; FUZZ_JOBS (default 1) runs that
# many fuzzing processes in parallel.  FUZZ_SEED (default 1) fixes
# libFuzzer's random seed, so that a CI run repeats the start of a longer
# run made before committing ("random" picks a fresh seed).  New inputs go to WORK_DIR/corpus (the
# checked-in seeds are only read); a crash, leak or timeout leaves its input
# in WORK_DIR/artifacts/ and makes the script fail.  libFuzzer's progress
# lines go to WORK_DIR/fuzz.log; we print its final statistics, or its
# last 100 lines when it fails.  To add useful inputs to
# the seed corpus afterwards:
#   FUZZER -merge=1 SEED_DIR WORK_DIR/corpus
set -eu

fuzzer=$1 seeds=$2 work=$3
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
seed=${FUZZ_SEED:-1}

mkdir -p "$work/corpus" "$work/artifacts"
set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-max_len=4096 -print_final_stats=1 \
	-artifact_prefix="$work/artifacts/"
if [ "$seed" != random ]; then
	set -- "$@" -seed="$seed"
fi
if [ "$jobs" -gt 1 ]; then
	set -- "$@" -fork="$jobs"
fi
echo "fuzzing $(basename "$fuzzer") for ${seconds}s (seeds: $seeds)"
status=0
"$fuzzer" "$@" "$work/corpus" "$seeds" >"$work/fuzz.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	tail -n 100 "$work/fuzz.log"
	echo "$(basename "$fuzzer"): failed with status $status;" \
		"artifacts in $work/artifacts/" >&2
	exit "$status"
fi
grep -E '^(Done|stat::)' "$work/fuzz.log" || true
