#!/usr/bin/env bash
# The harness's own check (issue 12): the unit tests run twice beside two busy loops
# (a loaded two-core machine) must neither hang nor leave a process running. Each test
# binary's TestMain compares its process list before and after (testproc.CheckNoLeftovers);
# this script also looks, after both runs, for any process still carrying testproc's tag.
# PKGS (default ./...) narrows it; RUNS (default 2) repeats it.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=${PKGS:-./...}
runs=${RUNS:-2}
busy=()
cleanup() { for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
for _ in 1 2; do
	bash -c 'while :; do :; done' &
	busy+=($!)
done
status=0
for run in $(seq "$runs"); do
	start=$(date +%s)
	echo "run $run of $runs: go test $pkgs beside two busy loops"
	if ! go test -count=1 -timeout 45m $pkgs; then status=1; fi
	echo "run $run took $(( $(date +%s) - start )) s"
done
left=$(grep -lsaz '^GOKIST_TESTPROC=' /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | grep -vx "$$" || true)
if [ -n "$left" ]; then
	echo "processes started by the tests still running:"
	for pid in $left; do echo "  $pid $(tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null)"; done
	exit 1
fi
echo "no process left running"
exit $status
