"""Making a large image small without holding more than one full copy of its pixels.

Rolodex stores a photo at most `max_side` pixels on its longer side (docs/photos.md), so
an image larger than that never needs its full-size pixels for long:

- a JPEG is decoded at 1/2, 1/4 or 1/8 of its size by libjpeg itself (`Image.draft`),
  as small as still leaves at least the stored size;
- any other image is decoded whole (PNG, GIF and WebP cannot be decoded at a reduced
  size), then reduced by a whole factor one strip of rows at a time, so that converting
  a palette image to RGB(A), or premultiplying alpha, copies one strip and never the
  whole picture; the decoded pixels are dropped before the final resampling.

`memory_needed` is the most memory these steps hold at once, computed from the header
before any pixel is decoded: the decode budget (`budget.py`) is counted in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

# Rows of the full-size image converted and reduced at a time (rounded to the factor).
_STRIP_ROWS = 256
# Modes Pillow resamples as they are; any other is converted to RGB or RGBA first.
_SMOOTH_MODES = ("RGB", "RGBA", "L", "LA")
# Bytes Pillow keeps per pixel: 1 for these, 2 for 16-bit grey, 4 for every other mode
# (RGB and LA are stored 4 bytes to a pixel too).
_ONE_BYTE = ("1", "L", "P")
_TWO_BYTES = ("I;16", "I;16L", "I;16B", "I;16N")
# Encoders, EXIF parsing and Python objects: a little on top of the pixels.
_FIXED_OVERHEAD = 4 << 20

# EXIF Orientation -> the transposition that shows the picture upright (as Pillow's
# `ImageOps.exif_transpose`, applied here to the already reduced pixels).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True, slots=True)
class Plan:
    """How one image is decoded: its stored size and the memory that takes at most."""

    target: tuple[int, int]
    """The size stored: the decoded size, or fitted into max_side x max_side."""
    memory_needed: int
    """Bytes of pixels held at once, at most, from decoding to the encoded variants."""


def fit(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """`size` scaled down (never up) so that its longer side is at most `max_side`."""
    width, height = size
    longer = max(width, height)
    if longer <= max_side:
        return size
    scale = max_side / longer
    return max(1, round(width * scale)), max(1, round(height * scale))


def draft(image: Image.Image, max_side: int) -> None:
    """Let a JPEG decode at the smallest of 1/2, 1/4, 1/8 that is still at least the stored size.

    Pillow's `draft` is a no-op for formats that cannot do this (PNG, GIF, WebP).
    """
    target = fit(image.size, max_side)
    if target != image.size:
        image.draft(None, target)


def coefficient_buffers(image: Image.Image) -> int:
    """Bytes libjpeg holds for a progressive JPEG's DCT coefficients (0 for anything else).

    A progressive JPEG is refined scan by scan, so libjpeg keeps every coefficient of the
    whole picture, whatever size it is decoded at: 2 bytes per sample of every component
    at its own sampling (6 bytes a pixel at 4:4:4, 3 at 4:2:0). Call before `draft`.
    """
    if image.format not in ("JPEG", "MPO") or not image.info.get("progressive"):
        return 0
    # Pillow's JPEG plugin lists the components as (id, h sampling, v sampling, table).
    layers: list[tuple[int, int, int, int]] = getattr(image, "layer", None) or [(0, 1, 1, 0)] * 3
    h_max = max(layer[1] for layer in layers) or 1
    v_max = max(layer[2] for layer in layers) or 1
    width, height = image.size
    samples = sum(
        math.ceil(width * layer[1] / h_max / 8) * 8 * math.ceil(height * layer[2] / v_max / 8) * 8
        for layer in layers
    )
    # And a twentieth more: libjpeg's own row and scan buffers (measured, docs/reliability.md).
    return 2 * samples * 21 // 20


def plan(image: Image.Image, max_side: int, decoder_extra: int = 0) -> Plan:
    """The stored size of `image` (opened, not yet decoded) and the memory decoding it takes.

    Counted in phases, each holding at most the bytes listed (4 bytes a pixel once
    converted); the most of any phase is what the decode budget is charged:

    1. decoding and reducing: the decoded pixels (four times over for WebP, whose
       decoder keeps its own canvas and a copy while Pillow copies it), what the decoder
       holds besides (`decoder_extra`: a progressive JPEG's coefficients), the reduced
       image, a strip and its converted and reduced copies;
    2. resampling, the decoded pixels dropped: the reduced image, its premultiplied copy,
       the half-resampled image and the result;
    3. making the variants: the stored image, its upright copy, the thumbnail's converted
       copy and an encoder's own copy (WebP's).

    Measured peaks (docs/reliability.md) stay under this figure for every format.
    """
    width, height = image.size
    decoded = width * height * _pixel_bytes(image.mode)
    if image.format == "WEBP":
        decoded *= 4
    decoding = decoded + decoder_extra
    target = fit(image.size, max_side)
    stored = target[0] * target[1] * 4
    if target == image.size:
        need = max(decoding, decoded + 4 * stored)
    else:
        factor = _factor(image.size, target)
        reduced_size = (math.ceil(width / factor), math.ceil(height / factor))
        reduced = reduced_size[0] * reduced_size[1] * 4
        strips = 4 * width * _STRIP_ROWS * 4 if factor > 1 else 0
        held = decoded if factor == 1 else 0  # nothing reduced: the decoded image is resampled
        half = target[0] * reduced_size[1] * 4
        need = max(
            decoding, decoded + reduced + strips, held + 2 * reduced + half + stored, 4 * stored
        )
    return Plan(target=target, memory_needed=need + _FIXED_OVERHEAD)


def reduce(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """`image` reduced by the largest whole factor that leaves at least `target`, in a
    mode that resamples smoothly (box averages, one strip of rows at a time).

    Returns `image` itself when there is nothing to reduce or convert. The caller drops
    the decoded image once this returns, before `resample`.
    """
    width, height = image.size
    mode = working_mode(image)
    factor = _factor(image.size, target)
    if factor == 1:
        return image if image.mode == mode else image.convert(mode)
    reduced = Image.new(mode, (math.ceil(width / factor), math.ceil(height / factor)))
    rows = factor * max(1, _STRIP_ROWS // factor)  # whole blocks: the same as one reduce
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(height, top + rows)))
        if strip.mode != mode:
            strip = strip.convert(mode)
        reduced.paste(strip.reduce(factor), (0, top // factor))
        del strip
    return reduced


def resample(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """The (reduced) image at exactly `target` pixels, Lanczos-filtered."""
    if image.size == target:
        return image
    return image.resize(target, Image.Resampling.LANCZOS)


def working_mode(image: Image.Image) -> str:
    """The mode an image is resampled in: its own if smooth, else RGB(A) (palettes, 16-bit)."""
    if image.mode in _SMOOTH_MODES:
        return image.mode
    has_alpha = image.mode in ("PA", "RGBa", "La") or "transparency" in image.info
    return "RGBA" if has_alpha else "RGB"


def orientation(image: Image.Image) -> int:
    """The EXIF Orientation of a decoded image (1, upright, when absent or unreadable)."""
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:
        # EXIF that cannot be parsed cannot rotate anything; the pixels are still good.
        return 1
    return value if isinstance(value, int) else 1


def upright(image: Image.Image, exif_orientation: int) -> Image.Image:
    """`image` turned as its EXIF orientation says (itself when already upright)."""
    method = _UPRIGHT.get(exif_orientation)
    return image if method is None else image.transpose(method)


def _factor(size: tuple[int, int], target: tuple[int, int]) -> int:
    """The whole factor to reduce by that still leaves at least `target`."""
    return max(1, min(size[0] // target[0], size[1] // target[1]))


def _pixel_bytes(mode: str) -> int:
    if mode in _ONE_BYTE:
        return 1
    if mode in _TWO_BYTES:
        return 2
    return 4
