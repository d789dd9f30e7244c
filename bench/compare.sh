#!/usr/bin/env bash
# Runs every benchmark program of bench/ under fruix-eval, compiled Guile 3
# (warm compile cache), Guile's interpreter (--no-auto-compile, empty
# cache) and CHICKEN's csi, checks that all four print the same output,
# and prints one side-by-side table of wall time and peak RSS with ratios
# and geometric means, plus the cold start of fruix-eval on an empty file.
#
# Usage: bench/compare.sh [BENCH...]      (default: every bench/*.scm)
# FRUIX_EVAL=path/to/fruix-eval uses that binary instead of building one.
# Installs guile-3.0, chicken-bin, time and hyperfine from Debian when
# missing. CPU-heavy: every benchmark runs once per implementation.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/scripts/env.sh"
need_debian_packages guile-3.0 chicken-bin time hyperfine

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$here"
if [ -n "${FRUIX_EVAL:-}" ]; then
	cp "$FRUIX_EVAL" "$work/fruix-eval"
else
	go build -o "$work/fruix-eval" ./cmd/fruix-eval
fi

if [ $# -gt 0 ]; then
	benches=("$@")
else
	benches=()
	for f in bench/*.scm; do benches+=("$(basename "$f" .scm)"); done
fi

# measure NAME OUTFILE CMD...: runs CMD once, stores "wall-seconds
# peak-RSS-kilobytes user-seconds system-seconds"
# in $work/NAME.time and its standard output in OUTFILE; a failing run
# is recorded as "FAIL".
measure() {
	local name="$1" out="$2"
	shift 2
	if /usr/bin/time -f "%e %M %U %S" -o "$work/$name.time" "$@" >"$out" 2>"$work/$name.err"; then
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
hyperfine -N --warmup 5 --runs 100 --export-json "$work/cold.json" \
	"$work/fruix-eval $work/empty.scm" >/dev/null 2>&1 || true
cold_ms="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms (sd %.1f ms, min %.1f ms)" % (r["mean"]*1000, r["stddev"]*1000, r["min"]*1000))' "$work/cold.json" 2>/dev/null || echo "not measured")"

# The tables: wall time and peak RSS, then CPU time (user + system),
# which is the fairer measure when other work shares the machine.
BENCHES="${benches[*]}" awk -v work="$work" -v cold="$cold_ms" '
function field(file, n,    line, parts) {
	if ((getline line < file) <= 0) { close(file); return "FAIL" }
	close(file)
	if (line == "FAIL") return "FAIL"
	split(line, parts, " ")
	if (n == 0) return parts[3] + parts[4]
	return parts[n]
}
function ratio(a, b) { return (a == "FAIL" || b == "FAIL" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }
function secs(x) { return x == "FAIL" ? "FAIL" : sprintf("%.2f", x) }
function mb(x) { return x == "FAIL" ? "FAIL" : sprintf("%.0f", x / 1024) }
function table(col, title,    i, b, f, gc, gi, c, k, lf, lgc, lgi, lc) {
	printf "%s\n\n", title
	printf "| benchmark | fruix-eval s | guile compiled s | guile interp s | csi s | fruix/guile-c | fruix/guile-i | fruix/csi |%s\n", col == 1 ? " peak RSS MB fruix / guile-i / csi |" : ""
	printf "|---|---:|---:|---:|---:|---:|---:|---:|%s\n", col == 1 ? "---:|" : ""
	for (i = 1; i <= n; i++) {
		b = names[i]
		f = field(work "/" b ".fruix.time", col); gc = field(work "/" b ".guilec.time", col)
		gi = field(work "/" b ".guilei.time", col); c = field(work "/" b ".csi.time", col)
		printf "| %s | %s | %s | %s | %s | %s | %s | %s |", b, secs(f), secs(gc), secs(gi), secs(c), ratio(f, gc), ratio(f, gi), ratio(f, c)
		if (col == 1)
			printf " %s / %s / %s |", mb(field(work "/" b ".fruix.time", 2)), mb(field(work "/" b ".guilei.time", 2)), mb(field(work "/" b ".csi.time", 2))
		printf "\n"
		if (f != "FAIL" && gc != "FAIL" && gi != "FAIL" && c != "FAIL" && f > 0 && gc > 0 && gi > 0 && c > 0) {
			lf += log(f); lgc += log(gc); lgi += log(gi); lc += log(c); k++
		}
	}
	if (k > 0) {
		printf "| **geometric mean** (%d) | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%s\n", k, exp(lf / k), exp(lgc / k), exp(lgi / k), exp(lc / k), exp((lf - lgc) / k), exp((lf - lgi) / k), exp((lf - lc) / k), col == 1 ? " |" : ""
	}
	printf "\n"
}
BEGIN {
	n = split(ENVIRON["BENCHES"], names, " ")
	table(1, "Wall-clock time and peak RSS:")
	table(0, "CPU time (user + system):")
	printf "fruix-eval cold start on an empty file (hyperfine -N, 100 runs): %s\n", cold
}' </dev/null
