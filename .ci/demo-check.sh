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
[ -f "$tmp/home/sunpy/data/VISP/AGLKO/.gokist-sample" ] || { echo "make demo wrote no sample dataset under the empty HOME"; exit 1; }
images=$(grep -o 'data:image/png;base64' "$html" | wc -l)
if [ "$images" -lt 4 ]; then
	echo "$html embeds $images PNG images; the rebinning tutorial draws at least 4"; exit 1
fi
grep -q '630\.2[45]' "$html" || { echo "$html does not show the Fe I 630.25 nm line core"; exit 1; }
echo "make demo: ok ($images plots embedded in $(basename "$html"))"
