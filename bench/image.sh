#!/usr/bin/env bash
# Measures `fruix image build` against `cp -a` of the same tree on the same
# disk, side by side in one run, and the peak memory of each.
#
#   bench/image.sh [SIZE_MIB] [ROUNDS]     (defaults: 1024 MiB, 3 rounds)
#
# The tree is made of mixed file sizes: many small files (1-16 KiB), a
# middle band (64-512 KiB) and a few large files (64 MiB), about SIZE_MIB
# in all, in a scratch directory (SCRATCH, default /var/tmp/fruix-bench-image: put it on the disk to measure). Each
# round copies the tree with `cp -a` and builds an image from it, each
# followed by `sync` inside the timing, alternating which goes first.
# Set FRUIX to use an already built binary; KEEP=1 keeps the scratch tree.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/scripts/env.sh"
size_mib="${1:-1024}"
rounds="${2:-3}"
scratch="${SCRATCH:-/var/tmp/fruix-bench-image}"
fruix="${FRUIX:-}"
if [ -z "$fruix" ]; then
	mkdir -p "$here/bin"
	(cd "$here" && CGO_ENABLED=0 go build -o bin/fruix ./cmd/fruix)
	fruix="$here/bin/fruix"
fi
mkdir -p "$scratch"
tree="$scratch/tree"
if [ ! -d "$tree" ]; then
	python3 - "$tree" "$size_mib" <<'EOF'
import os, random, sys
root, size_mib = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
budget = size_mib << 20
small, middle, large = budget * 17 // 100, budget * 33 // 100, budget // 2
def write(path, n):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(os.urandom(n))
made = 0
i = 0
while made < small:
    n = rng.randint(1 << 10, 16 << 10)
    write(f"{root}/usr/share/small{i % 200:03d}/f{i:06d}", n)
    made, i = made + n, i + 1
while made < small + middle:
    n = rng.randint(64 << 10, 512 << 10)
    write(f"{root}/usr/lib/mid{i % 50:02d}/m{i:06d}.so", n)
    made, i = made + n, i + 1
j = 0
while made < budget:
    n = min(64 << 20, budget - made)
    write(f"{root}/boot/kernel/big{j}.ko", n)
    made, j = made + n, j + 1
print(f"tree: {i + j} files, {made >> 20} MiB", file=sys.stderr)
EOF
fi
bytes=$(du -sb "$tree" | cut -f1)
files=$(find "$tree" -type f | wc -l)
echo "tree: $files files, $((bytes >> 20)) MiB (apparent) in $tree"

# run NAME CMD... : times CMD plus sync, records seconds and peak RSS (KiB).
run() {
	local name="$1"; shift
	local start end rss
	sync
	start=$(date +%s.%N)
	/usr/bin/time -f "%M" -o "$scratch/rss" "$@" >/dev/null
	sync
	end=$(date +%s.%N)
	rss=$(tail -1 "$scratch/rss")
	echo "$name $(awk "BEGIN { print $end - $start }") $rss"
}

results="$scratch/results"
: >"$results"
for r in $(seq 1 "$rounds"); do
	rm -rf "$scratch/copy" "$scratch/disk.img"
	if [ $((r % 2)) -eq 1 ]; then
		run cp cp -a "$tree" "$scratch/copy" >>"$results"
		run fruix "$fruix" image build --root "$tree" --quiet --timestamp 1 -o "$scratch/disk.img" >>"$results"
	else
		run fruix "$fruix" image build --root "$tree" --quiet --timestamp 1 -o "$scratch/disk.img" >>"$results"
		run cp cp -a "$tree" "$scratch/copy" >>"$results"
	fi
done
img_size=$(stat -c %s "$scratch/disk.img")
img_disk=$(( $(stat -c %b "$scratch/disk.img") * 512 ))
echo "image: $((img_size >> 20)) MiB, $((img_disk >> 20)) MiB on disk"
awk -v bytes="$bytes" '
	{ t[$1] = t[$1] " " $2; n[$1]++; s[$1] += $2; if ($3 > rss[$1]) rss[$1] = $3
	  if (!($1 in best) || $2 < best[$1]) best[$1] = $2 }
	END {
		for (k in s) printf "%-6s runs:%s  best %.2f s (%.0f MiB/s)  mean %.2f s  peak RSS %d MiB\n",
			k, t[k], best[k], bytes / 1048576 / best[k], s[k] / n[k], rss[k] / 1024
		printf "fruix/cp throughput ratio (best runs): %.2f\n", best["cp"] / best["fruix"]
		printf "fruix/cp throughput ratio (means): %.2f\n", (s["cp"] / n["cp"]) / (s["fruix"] / n["fruix"])
	}' "$results"
rm -rf "$scratch/copy" "$scratch/disk.img"
[ -n "${KEEP:-}" ] || rm -rf "$scratch"
