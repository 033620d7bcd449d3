#!/usr/bin/env python3
"""Generate assets/wabbit_alpha.png: a 32x32 RGBA white rabbit on a transparent background.

Standard library only (zlib + struct). The sprite is drawn from a few ellipses, each pixel
supersampled 4x4 for soft edges, and written as an 8-bit RGBA PNG.

    python3 assets/tools/make_wabbit.py [output.png] [--scale N]

--scale N writes an N-times bigger preview (nearest neighbour) instead, for eyeballing.
The result is CC0 (see assets/README.md).
"""
import math
import os
import struct
import sys
import zlib

SIZE = 32
SUB = 4  # subsamples per axis

OUTLINE = (70, 64, 78, 255)
WHITE = (255, 255, 255, 255)
SHADE = (228, 226, 236, 255)
PINK = (255, 150, 180, 255)
BLUSH = (255, 160, 190, 110)
EYE = (30, 24, 40, 255)
SHINE = (255, 255, 255, 255)


def ellipse(cx, cy, rx, ry, angle=0.0):
    """Inside-test for a (rotated) ellipse; angle in degrees."""
    ca, sa = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def inside(x, y, grow=0.0):
        dx, dy = x - cx, y - cy
        u = dx * ca + dy * sa
        v = -dx * sa + dy * ca
        a, b = rx + grow, ry + grow
        return (u * u) / (a * a) + (v * v) / (b * b) <= 1.0

    return inside


# The white silhouette (ears, head, body, feet), also used for the outline.
EAR_L = ellipse(11.8, 8.0, 2.9, 7.0, -12)
EAR_R = ellipse(20.2, 8.0, 2.9, 7.0, 12)
HEAD = ellipse(16.0, 16.5, 7.6, 6.4)
BODY = ellipse(16.0, 24.5, 8.6, 5.8)
FOOT_L = ellipse(11.0, 29.0, 3.2, 1.8)
FOOT_R = ellipse(21.0, 29.0, 3.2, 1.8)
SILHOUETTE = [EAR_L, EAR_R, HEAD, BODY, FOOT_L, FOOT_R]

# Details painted over the silhouette, in order.
DETAILS = [
    (ellipse(12.0, 8.6, 1.3, 5.0, -12), PINK),   # inner ears
    (ellipse(20.0, 8.6, 1.3, 5.0, 12), PINK),
    (ellipse(16.0, 26.0, 5.0, 3.4), SHADE),       # belly shading
    (ellipse(11.2, 19.2, 1.7, 1.0), BLUSH),       # cheeks
    (ellipse(20.8, 19.2, 1.7, 1.0), BLUSH),
    (ellipse(12.9, 16.2, 1.35, 1.6), EYE),        # eyes
    (ellipse(19.1, 16.2, 1.35, 1.6), EYE),
    (ellipse(13.3, 15.6, 0.5, 0.5), SHINE),       # eye highlights
    (ellipse(19.5, 15.6, 0.5, 0.5), SHINE),
    (ellipse(16.0, 18.9, 1.1, 0.8), PINK),        # nose
]


def over(dst, src):
    """Porter-Duff 'source over' on straight-alpha floats (r, g, b, a in 0..1)."""
    sa = src[3]
    da = dst[3]
    oa = sa + da * (1.0 - sa)
    if oa <= 0.0:
        return (0.0, 0.0, 0.0, 0.0)
    return tuple((src[i] * sa + dst[i] * da * (1.0 - sa)) / oa for i in range(3)) + (oa,)


def norm(c):
    return tuple(v / 255.0 for v in c)


def sample(x, y):
    col = (0.0, 0.0, 0.0, 0.0)
    if any(s(x, y, 1.0) for s in SILHOUETTE):
        col = norm(OUTLINE)
    if any(s(x, y) for s in SILHOUETTE):
        col = norm(WHITE)
        for shape, c in DETAILS:
            if shape(x, y):
                col = over(col, norm(c))
    return col


def render():
    pixels = []
    for py in range(SIZE):
        row = []
        for px in range(SIZE):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(SUB):
                for sx in range(SUB):
                    r, g, b, a = sample(px + (sx + 0.5) / SUB, py + (sy + 0.5) / SUB)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            n = SUB * SUB
            a = acc[3] / n
            if a > 0.0:
                rgb = [min(255, round(acc[i] / acc[3] * 255)) for i in range(3)]
            else:
                rgb = [0, 0, 0]
            row.append((rgb[0], rgb[1], rgb[2], round(a * 255)))
        pixels.append(row)
    return pixels


def write_png(path, pixels):
    h, w = len(pixels), len(pixels[0])
    raw = bytearray()
    for row in pixels:
        raw.append(0)  # filter: none
        for p in row:
            raw.extend(p)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))  # 8-bit RGBA
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def main(argv):
    scale = 1
    args = list(argv)
    if "--scale" in args:
        i = args.index("--scale")
        scale = int(args[i + 1])
        del args[i:i + 2]
    here = os.path.dirname(os.path.abspath(__file__))
    out = args[0] if args else os.path.join(here, "..", "wabbit_alpha.png")
    pixels = render()
    if scale > 1:
        pixels = [[p for p in row for _ in range(scale)] for row in pixels for _ in range(scale)]
    write_png(out, pixels)
    print("wrote %s (%dx%d)" % (os.path.normpath(out), len(pixels[0]), len(pixels)))


if __name__ == "__main__":
    main(sys.argv[1:])
