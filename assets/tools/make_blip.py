#!/usr/bin/env python3
"""Writes blip.wav: a short falling chirp (0.25 s, 22050 Hz, 16-bit mono) for the audio
example. Standard library only; the output is deterministic.

    python3 assets/tools/make_blip.py [OUT.wav]
"""
import math
import struct
import sys
import wave

RATE = 22050
SECONDS = 0.25


def samples():
    phase = 0.0
    n = int(RATE * SECONDS)
    for i in range(n):
        t = i / RATE
        freq = 880.0 * (0.5 ** (t / SECONDS))  # one octave down over the sound
        phase += 2 * math.pi * freq / RATE
        envelope = math.exp(-6.0 * t / SECONDS) * min(1.0, i / 64)  # no click at the start
        yield int(12000 * envelope * math.sin(phase))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "assets/blip.wav"
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", s) for s in samples()))


if __name__ == "__main__":
    main()
