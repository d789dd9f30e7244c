#!/usr/bin/env bash
# Runs the standard-library benchmarks in this directory under fruix-eval,
# Guile 3's interpreter (guile --no-auto-compile) and compiled Guile 3
# (warm cache), and prints one table of wall times, peak RSS and ratios
# from one run. Needs guile-3.0 and GNU time (Debian: guile-3.0, time).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
(cd "$root" && go build -o "$bin/fruix-eval" ./cmd/fruix-eval)
cache="$(mktemp -d)"
export XDG_CACHE_HOME="$cache"

measure() { # prints "seconds kilobytes" for the command
  /usr/bin/time -f "%e %M" -o "$bin/time" "$@" >/dev/null 2>"$bin/err" || {
    echo "failed: $*" >&2; cat "$bin/err" >&2; exit 1; }
  cat "$bin/time"
}

printf "%-10s %10s %10s %10s %9s %9s %10s %10s\n" benchmark fruix guile-int guile-comp fx/int fx/comp fruix-RSS int-RSS
for f in "$here"/*.scm; do
  name="$(basename "$f" .scm)"
  read -r fx fxm < <(measure "$bin/fruix-eval" "$f")
  read -r gi gim < <(measure guile --no-auto-compile -q "$f")
  guile -q "$f" >/dev/null 2>&1   # compile into the cache first
  read -r gc _ < <(measure guile -q "$f")
  printf "%-10s %9ss %9ss %9ss %9.2f %9.2f %8sKB %8sKB\n" "$name" "$fx" "$gi" "$gc" \
    "$(echo "$fx / $gi" | bc -l)" "$(echo "$fx / $gc" | bc -l)" "$fxm" "$gim"
done
