"""Test images, made with Pillow in the test itself (no binary fixtures in the tree)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

RED = (220, 20, 20)
BLUE = (20, 20, 220)

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def close_to(pixel: float | tuple[int, ...] | None, colour: tuple[int, int, int]) -> bool:
    """Whether an RGB pixel (`Image.getpixel`) is `colour`, give or take lossy encoding."""
    assert isinstance(pixel, tuple), f"not an RGB pixel: {pixel!r}"
    return all(abs(a - b) < 40 for a, b in zip(pixel[:3], colour, strict=True))


def two_tone(width: int = 40, height: int = 20) -> Image.Image:
    """Left half red, right half blue: which way it was rotated shows in the pixels."""
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    return image


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (40, 20)) -> bytes:
    image = two_tone(*size)
    if fmt == "GIF":
        return encode(image.convert("P"), "GIF")
    if fmt == "PNG":
        return encode(image.convert("RGBA"), "PNG")
    return encode(image, fmt)


def jpeg_with_gps_and_orientation(orientation: int = 6) -> bytes:
    """A 40x20 JPEG whose EXIF says where it was taken and that it must be turned 90°."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "SpyCam Inc."  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 12.5)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 39.0)
    return encode(two_tone(), "JPEG", exif=exif.tobytes(), quality=95)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width` x `height` pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # A few compressed zero rows; the declared canvas is what a bomb is about.
    body = zlib.compress(b"\x00" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def large_png(width: int = 6000, height: int = 6000) -> bytes:
    """A PNG of many pixels and few bytes (two flat colours compress to ~100 KB)."""
    return encode(two_tone(width, height), "PNG")


def png_cut_in_image_data(width: int = 300, height: int = 300, keep: int = 4) -> bytes:
    """A PNG cut off `keep` bytes before the end of its last IDAT chunk's data.

    Cut there, only the zlib checksum is missing: Pillow has every row already, which is
    why such a file used to decode and be stored.
    """
    raw = encode(two_tone(width, height), "PNG")
    last_idat = raw.rindex(b"IDAT")
    length = struct.unpack(">I", raw[last_idat - 4 : last_idat])[0]
    data_end = last_idat + 4 + length
    return raw[: data_end - keep]
