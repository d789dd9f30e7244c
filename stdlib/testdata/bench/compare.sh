#!/usr/bin/env bash
# Runs the standard-library benchmarks in this directory under fruix-eval,
# Guile 3's interpreter (guile --no-auto-compile) and compiled Guile 3
# (warm cache), and prints one table from one run: CPU time (user+system,
# which stays meaningful on a loaded machine), wall time, peak RSS, and
# the ratios of Fruix's CPU time to Guile's. Needs guile-3.0, GNU time and
# bc (Debian: guile-3.0, time, bc).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="$(mktemp -d)"
cache="$(mktemp -d)"
trap 'rm -rf "$bin" "$cache"' EXIT
(cd "$root" && go build -o "$bin/fruix-eval" ./cmd/fruix-eval)
export XDG_CACHE_HOME="$cache"

measure() { # prints "cpu-seconds wall-seconds kilobytes" for the command
  /usr/bin/time -f "%U %S %e %M" -o "$bin/time" "$@" >/dev/null 2>"$bin/err" || {
    echo "failed: $*" >&2; cat "$bin/err" >&2; exit 1; }
  read -r u s e m < "$bin/time"
  echo "$(echo "$u + $s" | bc -l) $e $m"
}

printf "%-9s | %-40s | %-21s | %s\n" "" "CPU seconds (wall seconds)" "peak RSS" "Fruix CPU / Guile CPU"
printf "%-9s | %-12s %-13s %-13s | %-10s %-10s | %-8s %-8s\n" benchmark fruix guile-interp guile-comp fruix guile-int interp compiled
for f in "$here"/*.scm; do
  name="$(basename "$f" .scm)"
  read -r fc fw fm < <(measure "$bin/fruix-eval" "$f")
  read -r ic iw im < <(measure guile --no-auto-compile -q "$f")
  guile -q "$f" >/dev/null 2>&1   # compile into the cache first
  read -r cc cw _ < <(measure guile -q "$f")
  printf "%-9s | %5.2f (%4.1f) %6.2f (%4.1f) %6.2f (%4.1f) | %7sKB %7sKB | %8.2f %8.2f\n" "$name" \
    "$fc" "$fw" "$ic" "$iw" "$cc" "$cw" "$fm" "$im" \
    "$(echo "$fc / $ic" | bc -l)" "$(echo "$fc / $cc" | bc -l)"
done
