"""Why an upload was refused, beyond the generic domain errors.

The Contacts+ handler answers these with their own statuses (415 and 413), since a
wrong kind of file and a file that is too big are different things to fix.
"""

from __future__ import annotations

from rolodex.errors import InvalidInput, LimitExceeded


class UnsupportedImage(InvalidInput):
    """The file is not a JPEG, PNG, GIF or WebP image (judged by decoding it, never by name)."""

    code = "unsupported_media_type"


class CorruptImage(InvalidInput):
    """The file claims a supported format but does not decode."""

    code = "invalid_image"


class ImageTooLarge(LimitExceeded):
    """Too many bytes or too many pixels (a decompression bomb is the latter)."""

    code = "image_too_large"
