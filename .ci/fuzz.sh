#!/usr/bin/env bash
# Runs every Go fuzz target of the repository for a short time each (FUZZTIME, default 5s).
set -euo pipefail
fuzztime=${FUZZTIME:-5s}
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "fuzz $pkg $target ($fuzztime)"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/gokist-fuzz.log 2>&1 || {
			cat /tmp/gokist-fuzz.log; exit 1; }
	done
done
