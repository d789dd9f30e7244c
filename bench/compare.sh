#!/usr/bin/env bash
# Runs every benchmark program of bench/ under fruix-eval, compiled Guile 3
# (warm compile cache), Guile's interpreter (--no-auto-compile, empty
# cache) and CHICKEN's csi, checks that all four print the same output,
# and prints one side-by-side table of wall time and peak RSS with ratios
# and geometric means, plus the cold start of fruix-eval on an empty file.
#
# Usage: bench/compare.sh [BENCH...]      (default: every bench/*.scm)
# Installs guile-3.0, chicken-bin, time and hyperfine from Debian when
# missing. CPU-heavy: every benchmark runs once per implementation.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/scripts/env.sh"
need_debian_packages guile-3.0 chicken-bin time hyperfine

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$here"
go build -o "$work/fruix-eval" ./cmd/fruix-eval

if [ $# -gt 0 ]; then
	benches=("$@")
else
	benches=()
	for f in bench/*.scm; do benches+=("$(basename "$f" .scm)"); done
fi

# measure NAME OUTFILE CMD...: runs CMD once, stores "seconds kilobytes"
# in $work/NAME.time and its standard output in OUTFILE; a failing run
# is recorded as "FAIL".
measure() {
	local name="$1" out="$2"
	shift 2
	if /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$out" 2>"$work/$name.err"; then
		:
	else
		echo "FAIL" >"$work/$name.time"
		sed 's/^/    /' "$work/$name.err" | head -5 >&2
	fi
}

compiled_cache="$work/guile-cache-compiled"
mkdir -p "$compiled_cache"
echo "machine: $(. /etc/os-release; echo "$PRETTY_NAME"), $(uname -m), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for b in "${benches[@]}"; do
	src="bench/$b.scm"
	echo "running $b" >&2
	measure "$b.fruix" "$work/$b.fruix.out" "$work/fruix-eval" "$src"
	# Compile once into the cache so the measured run is warm.
	XDG_CACHE_HOME="$compiled_cache" guile "$src" >/dev/null 2>&1 || true
	measure "$b.guilec" "$work/$b.guilec.out" env XDG_CACHE_HOME="$compiled_cache" guile "$src"
	empty_cache="$(mktemp -d "$work/guile-cache-empty.XXXX")"
	measure "$b.guilei" "$work/$b.guilei.out" env XDG_CACHE_HOME="$empty_cache" guile --no-auto-compile "$src"
	measure "$b.csi" "$work/$b.csi.out" csi -script "$src"
	for impl in guilec guilei csi; do
		if ! cmp -s "$work/$b.fruix.out" "$work/$b.$impl.out"; then
			echo "  warning: $b: output of fruix-eval differs from $impl" >&2
		fi
	done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# Cold start: fruix-eval on an empty file, 100 runs with hyperfine.
: >"$work/empty.scm"
hyperfine --warmup 5 --runs 100 --export-json "$work/cold.json" \
	"$work/fruix-eval $work/empty.scm" >/dev/null 2>&1 || true
cold_ms="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms (sd %.1f ms, min %.1f ms)" % (r["mean"]*1000, r["stddev"]*1000, r["min"]*1000))' "$work/cold.json" 2>/dev/null || echo "not measured")"

# The table.
BENCHES="${benches[*]}" awk -v work="$work" -v cold="$cold_ms" '
function field(file, n,    line, parts) {
	if ((getline line < file) <= 0) { close(file); return "" }
	close(file)
	if (line == "FAIL") return "FAIL"
	split(line, parts, " ")
	return parts[n]
}
function ratio(a, b) { return (a == "FAIL" || b == "FAIL" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }
function secs(x) { return x == "FAIL" ? "FAIL" : sprintf("%.2f", x) }
function mb(x) { return x == "FAIL" ? "FAIL" : sprintf("%.0f", x / 1024) }
BEGIN {
	n = split(ENVIRON["BENCHES"], names, " ")
	printf "| benchmark | fruix-eval s | guile compiled s | guile interp s | csi s | fruix/guile-c | fruix/guile-i | fruix/csi | RSS MB fruix / guile-i / csi |\n"
	printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
	for (i = 1; i <= n; i++) {
		b = names[i]
		f = field(work "/" b ".fruix.time", 1); gc = field(work "/" b ".guilec.time", 1)
		gi = field(work "/" b ".guilei.time", 1); c = field(work "/" b ".csi.time", 1)
		fm = field(work "/" b ".fruix.time", 2); gim = field(work "/" b ".guilei.time", 2)
		cm = field(work "/" b ".csi.time", 2)
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s |\n", b, secs(f), secs(gc), secs(gi), secs(c), \
			ratio(f, gc), ratio(f, gi), ratio(f, c), mb(fm), mb(gim), mb(cm)
		if (f != "FAIL" && gc != "FAIL" && gi != "FAIL" && c != "FAIL") {
			lf += log(f); lgc += log(gc); lgi += log(gi); lc += log(c); k++
		}
	}
	if (k > 0) {
		gf = exp(lf / k); ggc = exp(lgc / k); ggi = exp(lgi / k); gcs = exp(lc / k)
		printf "| **geometric mean** (%d) | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | |\n", k, gf, ggc, ggi, gcs, gf / ggc, gf / ggi, gf / gcs
	}
	printf "\nfruix-eval cold start on an empty file (hyperfine, 100 runs): %s\n", cold
}' </dev/null
