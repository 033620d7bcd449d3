#!/usr/bin/env bash
# Instructions per call, static vs planned, counted by valgrind's callgrind: exact and
# repeatable where wall-clock time is noisy.
#
#   benches/instructions.sh [CASE...]
#
# For each case (default: the list below) and each of the modes `static` and `planned`, runs
#   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
#     $LUNARAY bench --case CASE --mode MODE --iters N
# for N = 0 and N = $ITERS, and divides the difference of the two "Collected" totals by $ITERS:
# the startup (loading raylib, binding, the headless window, compiling the loop) cancels out.
#
# Counts vary a little from run to run: Lua 5.4 seeds its string hash from the clock and from
# addresses, so the chains a lookup such as `rl.Vector2Add` walks in the big `rl` table differ
# between processes (seen: up to ~18 instructions per call, all in luaH_getshortstr). Each count
# is therefore the smallest of $REPEAT runs.
#
# Environment: LUNARAY, the binary (default target/release/lunaray in this repository; build
# it with `cargo build --release`); ITERS, the calls in the long run (default 200000); REPEAT,
# runs per count, the smallest kept (default 3).
set -euo pipefail
shopt -s inherit_errexit

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LUNARAY=${LUNARAY:-$root/target/release/lunaray}
ITERS=${ITERS:-200000}
REPEAT=${REPEAT:-3}

if [[ $# -eq 0 ]]; then
    set -- CheckCollisionRecs Vector2Add ColorAlpha GetRandomValue DrawTexture MatrixMultiply GetMousePosition
fi
if ! command -v valgrind >/dev/null; then
    echo "instructions.sh: valgrind not found (apt-get install valgrind)" >&2
    exit 2
fi
if [[ ! -x $LUNARAY ]]; then
    echo "instructions.sh: $LUNARAY is not an executable (cargo build --release, or set LUNARAY)" >&2
    exit 2
fi
for v in ITERS REPEAT; do
    if ! [[ ${!v} =~ ^[1-9][0-9]*$ ]]; then
        echo "instructions.sh: $v must be a positive integer, not '${!v}'" >&2
        exit 2
    fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Total instructions executed by one run of `lunaray bench --case CASE --mode MODE --iters N`.
collected() {
    local case=$1 mode=$2 iters=$3 n
    if ! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$LUNARAY" bench --case "$case" --mode "$mode" --iters "$iters" >/dev/null 2>"$log"; then
        echo "instructions.sh: the run of $case ($mode, $iters calls) failed:" >&2
        grep -v '^==[0-9]*==' "$log" >&2 || true
        exit 1
    fi
    # The summary line: `==PID== Collected : 56622907`.
    n=$(sed -n 's/^==[0-9]*== Collected : *\([0-9,]*\).*/\1/p' "$log" | tr -d , | tail -n 1)
    if [[ -z $n ]]; then
        echo "instructions.sh: no 'Collected' total in valgrind's output for $case ($mode):" >&2
        cat "$log" >&2
        exit 1
    fi
    echo "$n"
}

# The smallest of REPEAT counts.
collected_min() {
    local best="" n i
    for ((i = 0; i < REPEAT; i++)); do
        n=$(collected "$@")
        if [[ -z $best ]] || ((n < best)); then best=$n; fi
    done
    echo "$best"
}

# Instructions per call: the difference between ITERS calls and none, over ITERS.
per_call() {
    local base full
    base=$(collected_min "$1" "$2" 0)
    full=$(collected_min "$1" "$2" "$ITERS")
    awk -v a="$base" -v b="$full" -v n="$ITERS" 'BEGIN { printf "%.1f", (b - a) / n }'
}

printf '%-20s %18s %18s %8s\n' case "static instr/call" "planned instr/call" ratio
for case in "$@"; do
    s=$(per_call "$case" static)
    p=$(per_call "$case" planned)
    ratio=$(awk -v s="$s" -v p="$p" 'BEGIN { if (s > 0) printf "%.2fx", p / s; else print "-" }')
    printf '%-20s %18s %18s %8s\n' "$case" "$s" "$p" "$ratio"
done
echo "ratio is planned / static; $ITERS calls per run minus a run of 0 calls, each the least of $REPEAT runs"
