#!/bin/sh
# Builds the native floors (bunnymark, structstorm) against lunaray's own raylib build.
#
#   scripts/bench/native/build.sh [OUTDIR] [headless|windowed]
#
# Run from anywhere after `cargo build --release`; OUTDIR defaults to target/bench-native,
# the library to the headless (software renderer) one. Set CC or CFLAGS to override the
# compiler or its flags (default: cc, -O2). The programs are linked with an rpath to the
# library, so they run without LD_LIBRARY_PATH.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-$root/target/bench-native}
backend=${2:-headless}
inc=$(ls -d "$root"/target/release/build/raylib-sys-*/out/include 2>/dev/null | head -1)
lib=$root/target/release/raylib/$backend
if [ -z "$inc" ] || [ ! -f "$lib/libraylib.so" ]; then
    echo "build.sh: no raylib build under $root/target/release (run cargo build --release first)" >&2
    exit 1
fi
mkdir -p "$out"
for scene in bunnymark structstorm; do
    ${CC:-cc} ${CFLAGS:--O2} -std=c99 -Wall -I"$inc" "$root/scripts/bench/native/$scene.c" \
        -o "$out/$scene" -L"$lib" -lraylib -lm -Wl,-rpath,"$lib"
    echo "$out/$scene"
done
