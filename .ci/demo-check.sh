#!/usr/bin/env bash
# `make demo` must work from a fresh copy of the repository with an empty HOME, as on a
# new machine: no sample dataset, no Go build or module cache, no kernelspec. It must
# leave a rendered tutorial whose plots are embedded, and print that page's path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/repo" "$tmp/home"
(cd "$root" && git ls-files -z | xargs -0 tar -cf -) | tar -xf - -C "$tmp/repo"

# The sample dataset is the slow part, and grows: a sample written earlier in this run by
# the same generator may be reused. GOKIST_DEMO_SAMPLE names such a directory; by default
# it is the one a previous demo-check kept under build/demo-sample/, keyed on the sources
# that decide what `gokist sample` writes. A fresh clone (CI) has none, so it writes and
# checks the sample afresh; everything else (clone, HOME, Go caches, kernelspec) is
# always fresh.
key=$(cd "$root" && git ls-files -z runtime/sample cmd/gokist/sample.go | xargs -0 cat | sha256sum | cut -c1-16)
cache="$root/build/demo-sample/$key"
reuse=${GOKIST_DEMO_SAMPLE:-$cache}
sample="$tmp/home/sunpy/data/VISP/AGLKO"
reused=
if [ -f "$reuse/.gokist-sample" ]; then
	mkdir -p "$(dirname "$sample")"
	ln -s "$reuse" "$sample"
	reused=1
	echo "reusing the sample dataset written earlier in this run: $reuse"
fi

echo "make demo in a fresh copy with an empty HOME ($tmp)"
if ! (cd "$tmp/repo" && env -u GOPATH -u GOCACHE -u GOMODCACHE -u MAKEFLAGS -u MAKELEVEL -u MFLAGS HOME="$tmp/home" make --no-print-directory demo) >"$tmp/demo.log" 2>&1; then
	echo "make demo failed:"; tail -40 "$tmp/demo.log"; exit 1
fi
html=$(tail -n 1 "$tmp/demo.log")
case "$html" in
*.html) ;;
*) echo "make demo did not end by printing the HTML path; its last line: $html"; exit 1 ;;
esac
[ -f "$html" ] || { echo "make demo printed $html, which does not exist"; exit 1; }
[ -f "$sample/.gokist-sample" ] || { echo "make demo wrote no sample dataset under the empty HOME"; exit 1; }
if [ -z "$reused" ] && [ -z "${GOKIST_DEMO_SAMPLE:-}" ]; then
	# Keep it for a later demo-check of the same sources (build/ is git-ignored).
	rm -rf "$root/build/demo-sample"
	mkdir -p "$root/build/demo-sample"
	mv "$sample" "$cache"
fi
images=$(grep -o 'data:image/png;base64' "$html" | wc -l)
if [ "$images" -lt 4 ]; then
	echo "$html embeds $images PNG images; the rebinning tutorial draws at least 4"; exit 1
fi
grep -q '630\.2[45]' "$html" || { echo "$html does not show the Fe I 630.25 nm line core"; exit 1; }
echo "make demo: ok ($images plots embedded in $(basename "$html"))"
