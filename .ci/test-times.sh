#!/usr/bin/env bash
# Prints the ten slowest tests (top-level tests, with their package) and the packages'
# wall times, from `go test -json` output: the file given as $1, or a run of the unit
# tests now, kept in build/test-times.json.
set -euo pipefail
cd "$(dirname "$0")/.."
json=${1:-}
if [ -z "$json" ]; then
	mkdir -p build
	json=build/test-times.json
	echo "go test -json ./... > $json (a full run of the unit tests)"
	start=$(date +%s)
	go test -count=1 -timeout 30m -json ./... >"$json" || echo "(some tests failed; times are still printed)"
	echo "wall time: $(( $(date +%s) - start )) s"
fi
/usr/bin/python3 - "$json" <<'PY'
import json, sys
tests, pkgs, failed = [], [], []
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    e = json.loads(line)
    if e.get("Action") not in ("pass", "fail") or "Elapsed" not in e:
        continue
    if "Test" in e:
        if "/" not in e["Test"]:
            tests.append((e["Elapsed"], e["Package"], e["Test"], e["Action"]))
    else:
        pkgs.append((e["Elapsed"], e["Package"], e["Action"]))
        if e["Action"] == "fail":
            failed.append(e["Package"])
print("ten slowest tests:")
for el, pkg, name, act in sorted(tests, reverse=True)[:10]:
    print("  %7.1f s  %-28s %s%s" % (el, pkg, name, "" if act == "pass" else "  (FAIL)"))
print("packages (wall time each; go test runs up to GOMAXPROCS packages at once):")
for el, pkg, act in sorted(pkgs, reverse=True):
    print("  %7.1f s  %s%s" % (el, pkg, "" if act == "pass" else "  (FAIL)"))
PY
