"""Checking an uploaded image and turning it into what Rolodex stores and serves.

Every check decodes the image with Pillow: the file name and the declared content type
are never trusted. The stored image is re-encoded from the decoded pixels, scaled down
to fit `max_side` (`shrink.py`), with its EXIF orientation applied (as
`ImageOps.exif_transpose` does) and every other piece of metadata dropped (EXIF with its
GPS position, XMP, comments, text chunks), so nothing a camera recorded about where or
when a photo was taken is kept or served. Only the colour profile and the palette
transparency survive, because they change how pixels look.

Checking is split in two so that memory can be counted before it is spent:
`open_image` reads the header (and a PNG's chunk structure) and knows how much memory
decoding will take; `OpenedImage.decode` spends it.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from rolodex.photos.errors import CorruptImage, ImageTooLarge, UnsupportedImage
from rolodex.photos.shrink import (
    coefficient_buffers,
    draft,
    orientation,
    plan,
    reduce,
    resample,
    upright,
)

# Pillow format name -> (what we store it as, content type). MPO is the multi-picture
# JPEG many phones write; its first picture is an ordinary JPEG.
_ACCEPTED: dict[str, tuple[str, str]] = {
    "JPEG": ("JPEG", "image/jpeg"),
    "MPO": ("JPEG", "image/jpeg"),
    "PNG": ("PNG", "image/png"),
    "GIF": ("GIF", "image/gif"),
    "WEBP": ("WEBP", "image/webp"),
}
_DECODERS = ["JPEG", "PNG", "GIF", "WEBP"]
CONTENT_TYPES = {fmt: ctype for fmt, ctype in _ACCEPTED.values()}
_KEPT_INFO = ("icc_profile", "transparency")

# The PNG end chunk, whole: no data, and its CRC (PNG spec, 11.2.5).
_IEND_CHUNK = b"\x00\x00\x00\x00IEND\xaeB`\x82"

THUMB_SIZE = 256
"""The thumbnail fits in a square of this many pixels (docs/limits.md)."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """One stored variant of a photo: bytes, content type and a digest for the ETag."""

    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    full: Encoded
    thumb: Encoded


@dataclass(frozen=True, slots=True)
class ImageLimits:
    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_side: int = 2048
    """The stored image fits in a square of this many pixels (larger ones are scaled down)."""


class OpenedImage:
    """An upload whose header passed the checks; its pixels are not decoded yet.

    `memory_needed` is known from the header alone, so that the decode budget can be
    taken before the memory is (docs/photos.md). `decode` may be called once.
    """

    __slots__ = ("_image", "_limits", "_plan")

    def __init__(self, image: Image.Image, limits: ImageLimits, decoder_extra: int = 0) -> None:
        self._image: Image.Image | None = image
        self._limits = limits
        self._plan = plan(image, limits.max_side, decoder_extra)

    @property
    def memory_needed(self) -> int:
        return self._plan.memory_needed

    def decode(self) -> PreparedPhoto:
        """Decode, scale down to the stored size, and encode the image and its thumbnail.

        Raises `CorruptImage` when the pixels do not decode (a truncated file included)
        and `ImageTooLarge` for a decompression bomb Pillow finds only while decoding.
        """
        image, self._image = self._image, None
        if image is None:
            raise RuntimeError("an opened image is decoded once")
        with _bombs_refused(self._limits):
            try:
                image.load()  # the first frame only; animated images are stored as that frame
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise
            except Exception:
                raise CorruptImage(
                    "the image could not be decoded; the file is damaged", field="image"
                ) from None
            stored_as, _ = _ACCEPTED[str(image.format)]
            turn = orientation(image)
            kept = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
            original_mode = image.mode
            if image.size != self._plan.target:
                # The full-size pixels (and a WebP decoder's canvas) go once reduced.
                image = reduce(image, self._plan.target)
                image = resample(image, self._plan.target)
            straight = upright(image, turn)
            del image
            straight.info = {
                key: value
                for key, value in kept.items()
                if key != "transparency" or straight.mode == original_mode
            }
            return _encode_both(straight, stored_as)


def prepare(raw: bytes, limits: ImageLimits) -> PreparedPhoto:
    """Check `raw` and return the clean image and its thumbnail, or raise why not.

    `open_image` then `OpenedImage.decode`, for callers that do not count memory.
    """
    return open_image(raw, limits).decode()


def open_image(raw: bytes, limits: ImageLimits) -> OpenedImage:
    """Check `raw` from its header and structure, without decoding its pixels.

    Raises `ImageTooLarge` over the byte or pixel limit (the pixel count is checked from
    the header, before any pixel is decoded), `UnsupportedImage` for anything that is not
    a JPEG, PNG, GIF or WebP, and `CorruptImage` for a file that is damaged or cut short
    (a PNG is read chunk by chunk to its end, every checksum checked, before decoding).
    """
    if len(raw) > limits.max_bytes:
        raise ImageTooLarge(f"the image may be at most {limits.max_bytes} bytes", field="image")
    if not raw:
        raise CorruptImage("the image part is empty", field="image")
    with _bombs_refused(limits):
        image = _open(raw, limits)
        if image.format == "PNG":
            _verify_png(raw)
        coefficients = coefficient_buffers(image)  # from the full size, before drafting
        draft(image, limits.max_side)
        return OpenedImage(image, limits, coefficients)


@contextmanager
def _bombs_refused(limits: ImageLimits) -> Iterator[None]:
    with warnings.catch_warnings():
        # Pillow warns (and past twice its limit refuses) on huge images; both mean "bomb".
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(limits) from None


def _too_many_pixels(limits: ImageLimits) -> ImageTooLarge:
    return ImageTooLarge(f"the image may have at most {limits.max_pixels} pixels", field="image")


def _open(raw: bytes, limits: ImageLimits) -> Image.Image:
    Image.init()  # registers the WebP plugin too (cheap after the first call)
    try:
        # Only these decoders ever see the bytes; MPO comes out of the JPEG one.
        image = Image.open(io.BytesIO(raw), formats=_DECODERS)
    except UnidentifiedImageError:
        raise UnsupportedImage(
            "the image must be a JPEG, PNG, GIF or WebP file", field="image"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise
    except Exception:
        # Any other failure of the header parser is a damaged file, never a server error.
        raise CorruptImage(
            "the image could not be read; the file is damaged", field="image"
        ) from None
    width, height = image.size
    if width < 1 or height < 1:
        raise CorruptImage("the image has no pixels", field="image")
    # Our own limit, checked from the header before decoding (a small file can declare a
    # huge canvas: the classic decompression bomb).
    if width * height > limits.max_pixels:
        raise _too_many_pixels(limits)
    return image


def _verify_png(raw: bytes) -> None:
    """Refuse a PNG whose chunks do not run whole, checksums right, to IEND.

    Pillow's decoder stops once it has every row, so a file cut inside the last IDAT
    chunk (the zlib checksum, the chunk's CRC, IEND) would otherwise decode and be
    stored: that is a damaged upload (docs/photos.md: `invalid_image`).
    """
    try:
        with Image.open(io.BytesIO(raw), formats=["PNG"]) as checked:
            checked.verify()  # every chunk from the first IDAT to IEND, CRCs included
        # `verify` stops at the IEND type; the chunk must be whole, its CRC included.
        if raw.rfind(_IEND_CHUNK) < 0:
            raise SyntaxError("no complete IEND chunk")
    except Exception:
        raise CorruptImage(
            "the image is cut short or damaged (its PNG chunks do not check)", field="image"
        ) from None


def _encode_both(upright_image: Image.Image, stored_as: str) -> PreparedPhoto:
    try:
        full = _encode(upright_image, stored_as)
        thumb_source = _thumbnail_mode(upright_image)
        thumb_source.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
        thumb = _encode(thumb_source, "JPEG" if stored_as == "JPEG" else stored_as)
    except (OSError, ValueError, TypeError) as exc:
        raise CorruptImage(f"the image could not be re-encoded ({exc})", field="image") from None
    return PreparedPhoto(full=full, thumb=thumb)


def _thumbnail_mode(image: Image.Image) -> Image.Image:
    """A copy in a mode that resamples smoothly (palette and 16-bit images do not)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image.mode in ("RGB", "RGBA", "L"):
        copy = image.copy()
    else:
        copy = image.convert("RGBA" if has_alpha else "RGB")
    copy.info = {k: v for k, v in image.info.items() if k == "icc_profile"}
    return copy


def _encode(image: Image.Image, fmt: str) -> Encoded:
    """Re-encode without metadata; convert to a mode the format can hold if it must."""
    try:
        data = _save(image, fmt)
    except (OSError, ValueError):
        fallback = "RGB" if fmt == "JPEG" else "RGBA"
        converted = image.convert(fallback)
        converted.info = {k: v for k, v in image.info.items() if k == "icc_profile"}
        data = _save(converted, fmt)
    return Encoded(data, CONTENT_TYPES[fmt], image.width, image.height)


def _save(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    options: dict[str, object] = {}
    if "icc_profile" in image.info:
        options["icc_profile"] = image.info["icc_profile"]
    if fmt in ("JPEG", "WEBP"):
        options["quality"] = 90
    # No `exif=`, `xmp=`, `comment=` or `pnginfo=`: Pillow writes none unless asked.
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
