"""Checks that a chart shows something: marks with real shapes, and coloured pixels once drawn.

An SVG can be well formed and still empty to the eye (a `<path>` without `d` draws nothing), so
chart tests look at what the marks are and at the picture vl-convert rasterises from the spec.
"""

from __future__ import annotations

import json
import re
import struct
import zlib

import numpy as np
import vl_convert

from roadmap.core.charts import VEGA_LITE_VERSION

_TAG = re.compile(r"<(path|rect|line|text)\b[^>]*>")
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
INVISIBLE = {"none", "#fff", "#ffffff", "white"}


def marks(svg: str) -> list[dict[str, str]]:
    """The attributes of every data mark (`role="graphics-symbol"`) in the SVG."""
    found = []
    for match in _TAG.finditer(svg):
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        if attributes.get("role") == "graphics-symbol":
            found.append({"tag": match.group(1), **attributes})
    return found


def legend_swatches(svg: str) -> list[dict[str, str]]:
    """The symbols drawn in the legends (paths inside a `role-legend-symbol` group)."""
    swatches = []
    for block in re.findall(r'class="mark-symbol role-legend-symbol"[^>]*>(.*?)</g>', svg, re.S):
        for tag in re.findall(r"<path\b[^>]*>", block):
            swatches.append(dict(_ATTRIBUTE.findall(tag)))
    return swatches


def assert_marks_have_shapes(svg: str) -> list[dict[str, str]]:
    """Every data mark has a shape (a non-empty path, or a rect/line with a size) and a fill or
    stroke that is not white or none (a white cell outlined in grey is visible, and empty)."""
    found = marks(svg)
    assert found, "the chart has no data marks"
    for mark in found:
        if mark["tag"] == "path":
            assert mark.get("d", "").strip(), f"mark without a shape: {mark}"
        if mark["tag"] != "text":
            colours = [mark.get("fill", ""), mark.get("stroke", "")]
            assert any(colour and colour.lower() not in INVISIBLE for colour in colours), mark
    return found


def font_sizes(svg: str) -> list[float]:
    """The size in px of every piece of text the SVG draws (axes, labels, legends, titles)."""
    texts = re.findall(r"<text\b[^>]*>", svg)
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)px"', " ".join(texts))]
    assert len(sizes) == len(texts), "text without a font size"
    return sizes


def drawn_width(svg: str) -> float:
    """The width the SVG asks for: the size it is drawn at unless the page scales it down."""
    return float(re.match(r'<svg\b[^>]*? width="([\d.]+)"', svg).group(1))


def png_pixels(spec: dict, scale: float = 1) -> np.ndarray:
    """The chart drawn by vl-convert, as a height × width × 4 array of RGBA bytes."""
    png = vl_convert.vegalite_to_png(
        json.dumps(spec, default=str), vl_version=VEGA_LITE_VERSION, scale=scale
    )
    return decode_png(png)


def decode_png(data: bytes) -> np.ndarray:
    """A minimal decoder for the 8-bit RGBA/RGB PNGs vl-convert writes (no Pillow needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour_type = header[:4]
    assert depth == 8 and colour_type in (2, 6), header
    channels = 4 if colour_type == 6 else 3
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.int32)
    previous = np.zeros(stride, dtype=np.int32)
    for row in range(height):
        start = row * (stride + 1)
        kind = raw[start]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=start + 1).astype(np.int32)
        if kind == 0:
            current = line
        elif kind == 2:
            current = (line + previous) & 255
        else:
            current = np.zeros(stride, dtype=np.int32)
            for i in range(stride):
                left = current[i - channels] if i >= channels else 0
                up = previous[i]
                if kind == 1:
                    predictor = left
                elif kind == 3:
                    predictor = (left + up) // 2
                else:  # Paeth
                    upper_left = previous[i - channels] if i >= channels else 0
                    p = left + up - upper_left
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                    predictor = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
                current[i] = (line[i] + predictor) & 255
        out[row] = current
        previous = current
    pixels = out.reshape(height, width, channels).astype(np.uint8)
    if channels == 3:
        pixels = np.concatenate([pixels, np.full((height, width, 1), 255, np.uint8)], axis=2)
    return pixels


def coloured(pixels: np.ndarray, colour: str, tolerance: int = 30) -> np.ndarray:
    """Mask of the pixels showing a hex colour: the colour itself, or (thin or translucent marks,
    antialiased edges) the colour blended with the white background, at least a quarter strong."""
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)
    rgb = pixels[..., :3].astype(np.float64)
    away = 255.0 - target  # white minus the colour
    # pixel = white - alpha * away; alpha by least squares, then the distance left over.
    alpha = ((255.0 - rgb) @ away) / max(float(away @ away), 1.0)
    alpha = np.clip(alpha, 0, 1)
    residual = np.abs(255.0 - alpha[..., None] * away - rgb).max(axis=2)
    return (residual <= tolerance) & (alpha >= 0.25) & (pixels[..., 3] > 0)


def saturated(pixels: np.ndarray) -> np.ndarray:
    """Mask of clearly coloured pixels (not white, grey or black)."""
    rgb = pixels[..., :3].astype(np.int32)
    return (rgb.max(axis=2) - rgb.min(axis=2) > 40) & (pixels[..., 3] > 0)
