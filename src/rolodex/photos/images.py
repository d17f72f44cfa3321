"""Checking an uploaded image and turning it into what Rolodex stores and serves.

Every check decodes the image with Pillow: the file name and the declared content type
are never trusted. The stored image is re-encoded from the decoded pixels with its
EXIF orientation applied (`ImageOps.exif_transpose`) and every other piece of metadata
dropped (EXIF with its GPS position, XMP, comments, text chunks), so nothing a camera
recorded about where or when a photo was taken is kept or served. Only the colour
profile and the palette transparency survive, because they change how pixels look.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from rolodex.photos.errors import CorruptImage, ImageTooLarge, UnsupportedImage

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


def prepare(raw: bytes, limits: ImageLimits) -> PreparedPhoto:
    """Check `raw` and return the clean image and its thumbnail, or raise why not.

    Raises `ImageTooLarge` over the byte or pixel limit (the pixel count is checked from
    the header, before any pixel is decoded), `UnsupportedImage` for anything that is not
    a JPEG, PNG, GIF or WebP, and `CorruptImage` for a file that does not decode.
    """
    if len(raw) > limits.max_bytes:
        raise ImageTooLarge(f"the image may be at most {limits.max_bytes} bytes", field="image")
    if not raw:
        raise CorruptImage("the image part is empty", field="image")
    with warnings.catch_warnings():
        # Pillow warns (and past twice its limit refuses) on huge images; both mean "bomb".
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open(raw, limits)
            return _encode_both(image)
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
    try:
        image.load()  # the first frame only; animated images are stored as that frame
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise
    except Exception:
        raise CorruptImage(
            "the image could not be decoded; the file is damaged", field="image"
        ) from None
    return image


def _encode_both(image: Image.Image) -> PreparedPhoto:
    stored_as, _ = _ACCEPTED[str(image.format)]
    try:
        upright = ImageOps.exif_transpose(image) or image
    except Exception:
        # EXIF that cannot be parsed cannot rotate anything; the pixels are still good.
        upright = image.copy()
    upright.info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    try:
        full = _encode(upright, stored_as)
        thumb_source = _thumbnail_mode(upright)
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
