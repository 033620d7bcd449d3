#!/bin/sh
# Checks that the Lua scenes and their native twins draw the same pixels.
#
#   scripts/bench/compare.sh [SEED] [LOAD] [DT] [FRAMES]      (defaults: 7 300 0.016666 60)
#
# Builds the native floors (native/build.sh), runs bunnymark and structstorm both ways on the
# headless backend with the same seed, load and fixed dt, and compares the last frames' decoded
# RGBA with pngdiff.py. LUNARAY names the runtime binary (default target/release/lunaray).
# Exit status 0 when every pair is identical.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
seed=${1:-7} load=${2:-300} dt=${3:-0.016666} frames=${4:-60}
lunaray=${LUNARAY:-$root/target/release/lunaray}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/bench/native/build.sh" "$tmp/bin" headless >/dev/null
status=0
for scene in bunnymark structstorm; do
    "$tmp/bin/$scene" --frames "$frames" --load "$load" --seed "$seed" --dt "$dt" \
        --screenshot "$tmp/$scene-c.png" --software >/dev/null 2>&1
    "$lunaray" run "$root/scripts/bench/$scene.lua" --headless --frames "$frames" \
        --screenshot "$tmp/$scene-lua.png" -- seed="$seed" load="$load" dt="$dt" >/dev/null 2>&1
    printf '%s (seed=%s load=%s dt=%s frames=%s): ' "$scene" "$seed" "$load" "$dt" "$frames"
    python3 "$root/scripts/bench/pngdiff.py" "$tmp/$scene-c.png" "$tmp/$scene-lua.png" || status=1
done
exit $status
