#!/bin/sh
# Start-to-printed-graph: how long `fruix-eval FILE` takes, from process
# start to the whole derivation graph printed, for generated configurations
# of the shape of a system declaration (many build steps depending on each
# other and on sources, gathered by unions).
#
#   bench/eval-graph.sh          # N = 2400, 4900, 9800
#   bench/eval-graph.sh 2400     # N computed-files: about N+N/50+1 derivations
#                                # and 2N+N/50+1 file-like objects
#
# N = 2400 is about the size of Guix's bare-bones system (2,449
# derivations here, 2,569 there); N = 4900 is about 10,000 file-like
# objects; N = 9800 about 10,000 derivations.
#
# Needs bin/fruix-eval and bin/fruix (scripts/run-example builds both; or
# CGO_ENABLED=0 go build -o bin/ ./cmd/...) and hyperfine.
# Each configuration is measured with no store (nothing checked) and with
# a store (every item of the graph looked up in its index).
#
#   BEFORE=/tmp/before/bin/fruix-eval bench/eval-graph.sh
#   bench/eval-graph.sh --print-config 100    # only print a configuration
#
# also measures another fruix-eval (built from an earlier commit, say) in
# the same hyperfine run, with no store, so the two compare as a ratio.
# The in-process phases (read, evaluate, lower) are
#   go test ./stdlib -run XXX -bench 'EvalGraph|LowerOnly' -benchmem
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# gen N: N computed-files, each writing its own plain-file source and
# linking to three earlier ones (i-1, i/2, i/3), gathered 50 at a time
# into file-unions, and those into one directory-union.
gen() {
	n=$1
	awk -v n="$n" 'BEGIN {
		print "(use-modules (fruix gexp))"
		for (i = 0; i < n; i++) {
			printf "(define p%d\n  (computed-file \"pkg-%d\"\n    #~(begin\n        (mkdir #$output)\n", i, i
			printf "        (copy-file #$(plain-file \"pkg-%d.tar\" \"source of package %d\\n\") (string-append #$output \"/src\"))\n", i, i
			if (i > 0) {
				split("", seen)
				d[1] = i - 1; d[2] = int(i / 2); d[3] = int(i / 3)
				for (k = 1; k <= 3; k++) if (!(d[k] in seen)) {
					seen[d[k]] = 1
					printf "        (symlink #$p%d (string-append #$output \"/dep-%d\"))\n", d[k], d[k]
				}
			}
			print "        #t)))"
		}
		groups = int((n + 49) / 50)
		for (g = 0; g < groups; g++) {
			printf "(define u%d (file-union \"group-%d\" `(", g, g
			for (i = g * 50; i < n && i < (g + 1) * 50; i++) printf "(\"pkg-%d\" ,p%d) ", i, i
			print ")))"
		}
		printf "(directory-union \"system\" (list"
		for (g = 0; g < groups; g++) printf " u%d", g
		print "))"
	}'
}

# --print-config N prints the configuration of size N and stops (the
# end-to-end tests check it is the one stdlib's TestSystemLikePaths pins).
if [ "${1:-}" = --print-config ]; then
	gen "$2"
	exit 0
fi

sizes=${*:-2400 4900 9800}
for n in $sizes; do
	gen "$n" > "$tmp/config-$n.scm"
	bin/fruix-eval --derivations-only "$tmp/config-$n.scm" | wc -l | sed "s/^/config-$n.scm: derivations: /"
	# A store of its own (one unrelated file in it), so that every item
	# of the graph is looked up in an index.
	FRUIX_STORE_DIR="$tmp/store" FRUIX_STATE_DIR="$tmp/state" bin/fruix store add "$tmp/config-$n.scm" > /dev/null
	# The store is named by options, not by running env first, which
	# would add its own start (3-5 ms here) to every figure.
	nostore="--store-dir $tmp/store --state-dir $tmp/none"
	store="--store-dir $tmp/store --state-dir $tmp/state"
	if [ -n "${BEFORE:-}" ]; then
		hyperfine --warmup 3 --runs 20 -N \
			-n "before, no store, N=$n" "$BEFORE $nostore $tmp/config-$n.scm" \
			-n "no store, N=$n" "bin/fruix-eval $nostore $tmp/config-$n.scm"
	fi
	hyperfine --warmup 2 --runs 10 -N \
		-n "no store, N=$n" "bin/fruix-eval $nostore $tmp/config-$n.scm" \
		-n "store, N=$n" "bin/fruix-eval $store $tmp/config-$n.scm"
done
