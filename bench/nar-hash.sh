#!/usr/bin/env bash
# Measures NAR hashing (`fruix hash --nar`) against sha256sum over the same
# bytes, side by side in one run.
#
#   bench/nar-hash.sh [SIZE_MIB] [ROUNDS]     (defaults: 1024 MiB, 3 rounds)
#
# The tree (SCRATCH, default /var/tmp/fruix-bench-nar) mixes file sizes by
# bytes: a quarter in 1-16 KiB files, a quarter in 64-512 KiB files, a half
# in 64 MiB files. It is read once to warm the page cache; then each round
# times `find | sort | xargs cat | sha256sum` (the same file bytes, in the
# NAR's order, without the NAR framing) and `fruix hash --nar`,
# alternating which goes first; and `sha256sum` of one file holding the
# concatenation of the same bytes (sha256sum's own speed, with no process
# or pipe per file). The best time of each is reported, and fruix's
# throughput relative to both.
# Set FRUIX to use an already built binary; KEEP=1 keeps the tree.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/scripts/env.sh"
size_mib="${1:-1024}"
rounds="${2:-3}"
scratch="${SCRATCH:-/var/tmp/fruix-bench-nar}"
fruix="${FRUIX:-}"
if [ -z "$fruix" ]; then
	mkdir -p "$here/bin"
	(cd "$here" && CGO_ENABLED=0 go build -o bin/fruix ./cmd/fruix)
	fruix="$here/bin/fruix"
fi
tree="$scratch/tree"
if [ ! -d "$tree" ]; then
	mkdir -p "$scratch"
	python3 - "$tree" "$size_mib" <<'EOF'
import os, random, sys
root, size_mib = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)
total = size_mib << 20
block = os.urandom(1 << 20)
def write(path, size):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        while size > 0:
            n = min(size, len(block))
            f.write(block[:n])
            size -= n
bands = [(total // 4, 1 << 10, 16 << 10, "small"), (total // 4, 64 << 10, 512 << 10, "medium"), (total // 2, 64 << 20, 64 << 20, "large")]
for budget, lo, hi, name in bands:
    i = 0
    while budget > 0:
        size = min(budget, rng.randint(lo, hi))
        write(f"{root}/{name}/d{i % 64}/f{i}", size)
        budget -= size
        i += 1
EOF
fi
files=$(find "$tree" -type f | wc -l)
bytes=$(du -sb --apparent-size "$tree" | cut -f1)
cat_tree() { find "$tree" -type f -print0 | sort -z | xargs -0 cat; }
concat="$scratch/concat"
cat_tree > "$concat"
cat "$concat" > /dev/null # warm the page cache
best_sha=999999 best_fruix=999999 best_one=999999
now() { date +%s.%N; }
for round in $(seq 1 "$rounds"); do
	order="sha one fruix"
	if [ $((round % 2)) -eq 0 ]; then order="fruix one sha"; fi
	for which in $order; do
		start=$(now)
		case $which in
		sha) cat_tree | sha256sum > /dev/null ;;
		one) sha256sum "$concat" > /dev/null ;;
		fruix) "$fruix" hash --nar "$tree" > /dev/null ;;
		esac
		t=$(echo "$(now) - $start" | bc)
		case $which in
		sha) best_sha=$(echo "if ($t < $best_sha) $t else $best_sha" | bc) ;;
		one) best_one=$(echo "if ($t < $best_one) $t else $best_one" | bc) ;;
		fruix) best_fruix=$(echo "if ($t < $best_fruix) $t else $best_fruix" | bc) ;;
		esac
		printf 'round %d  %-6s %6.3f s\n' "$round" "$which" "$t"
	done
done
mib=$(echo "$bytes / 1048576" | bc -l)
printf 'tree: %d files, %.0f MiB\n' "$files" "$mib"
printf 'sha256sum (find|sort|xargs cat|sha256sum): best %.3f s = %.0f MiB/s\n' "$best_sha" "$(echo "$mib / $best_sha" | bc -l)"
printf 'sha256sum of one concatenated file:        best %.3f s = %.0f MiB/s\n' "$best_one" "$(echo "$mib / $best_one" | bc -l)"
printf 'fruix hash --nar:                          best %.3f s = %.0f MiB/s\n' "$best_fruix" "$(echo "$mib / $best_fruix" | bc -l)"
printf 'fruix throughput / (find|xargs cat|sha256sum): %.2f\n' "$(echo "$best_sha / $best_fruix" | bc -l)"
printf 'fruix throughput / (sha256sum of one file):    %.2f\n' "$(echo "$best_one / $best_fruix" | bc -l)"
[ "${KEEP:-0}" = 1 ] || rm -rf "$scratch"
