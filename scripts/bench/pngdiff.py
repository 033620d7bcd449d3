#!/usr/bin/env python3
"""Compares two PNG files by their decoded pixels (standard library only: zlib).

    python3 scripts/bench/pngdiff.py A.png B.png

Exit status 0 when both decode to the same size and the same RGBA bytes, 1 when they differ
(the count of differing pixels and the first few are printed), 2 on a file it cannot read.
Handles 8-bit greyscale, grey+alpha, RGB, RGBA and palette PNGs, non-interlaced (what lunaray's
--screenshot and raylib's ExportImage write).
"""
import struct
import sys
import zlib


def decode(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, palette, trns = 8, [], None, None
    width = height = depth = ctype = interlace = None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"tRNS":
            trns = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if depth != 8 or interlace != 0:
        raise ValueError(f"{path}: only 8-bit non-interlaced PNGs are handled")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    out = bytearray()
    prev = bytearray(stride)
    p = 0
    for _ in range(height):
        ftype = raw[p]
        line = bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
            elif ftype == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        out += line
        prev = line
    # to RGBA
    if ctype == 6:
        rgba = bytes(out)
    else:
        rgba = bytearray()
        for i in range(width * height):
            px = out[i * channels:(i + 1) * channels]
            if ctype == 0:
                rgba += bytes((px[0], px[0], px[0], 255))
            elif ctype == 4:
                rgba += bytes((px[0], px[0], px[0], px[1]))
            elif ctype == 2:
                rgba += bytes((px[0], px[1], px[2], 255))
            else:
                k = px[0]
                alpha = trns[k] if trns is not None and k < len(trns) else 255
                rgba += palette[3 * k:3 * k + 3] + bytes((alpha,))
        rgba = bytes(rgba)
    return width, height, rgba


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        wa, ha, a = decode(argv[1])
        wb, hb, b = decode(argv[2])
    except (OSError, ValueError, KeyError, zlib.error) as e:
        print(f"pngdiff: {e}", file=sys.stderr)
        return 2
    if (wa, ha) != (wb, hb):
        print(f"different sizes: {wa}x{ha} vs {wb}x{hb}")
        return 1
    if a == b:
        print(f"identical: {wa}x{ha} RGBA")
        return 0
    diffs = [i for i in range(wa * ha) if a[4 * i:4 * i + 4] != b[4 * i:4 * i + 4]]
    print(f"{len(diffs)} of {wa * ha} pixels differ")
    for i in diffs[:10]:
        x, y = i % wa, i // wa
        print(f"  ({x}, {y}): {tuple(a[4 * i:4 * i + 4])} vs {tuple(b[4 * i:4 * i + 4])}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
