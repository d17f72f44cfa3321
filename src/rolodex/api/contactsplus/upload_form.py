"""Reading the `multipart/form-data` body of `contacts.uploadPhoto` within limits.

python-multipart's parser is used directly rather than through Starlette's
`request.form()`: Starlette caps only the parts without a file name and hands back those
as decoded text, while clients send the image both ways (`image.png`, `file3`, with or
without a file name), and the image must reach Pillow as the exact bytes sent. The body
is read with a hard cap first (`read_limited`), so no part can grow past it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from rolodex.api.json_body import BodyError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

CONTACT_PART = "contact.json"
MAX_PARTS = 8
MAX_CONTACT_PART_BYTES = 64 * 1024
ENVELOPE_SLACK = 64 * 1024
"""Room for the `contact.json` part and the multipart framing around the image."""


@dataclass
class _Part:
    name: str | None = None
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    data: bytearray = field(default_factory=bytearray)


@dataclass(frozen=True, slots=True)
class UploadForm:
    contact_json: bytes
    image: bytes


def is_multipart(content_type: str | None) -> bool:
    if content_type is None:
        return False
    media, _ = parse_options_header(content_type)
    return media == b"multipart/form-data"


class _PartCollector:
    """python-multipart's callbacks, gathering the parts of one body within the caps."""

    def __init__(self, max_image_bytes: int) -> None:
        self.max_image_bytes = max_image_bytes
        self.parts: list[_Part] = []
        self.current = _Part()
        self.header_name = bytearray()
        self.header_value = bytearray()

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def on_part_begin(self) -> None:
        if len(self.parts) >= MAX_PARTS:
            raise BodyError(400, "invalid_request", f"send at most {MAX_PARTS} parts")
        self.current = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name.extend(data[start:end])

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value.extend(data[start:end])

    def on_header_end(self) -> None:
        self.current.headers.append((bytes(self.header_name).lower(), bytes(self.header_value)))
        self.header_name.clear()
        self.header_value.clear()

    def on_headers_finished(self) -> None:
        for key, value in self.current.headers:
            if key == b"content-disposition":
                _, options = parse_options_header(value)
                if b"name" in options:
                    self.current.name = options[b"name"].decode("utf-8", "replace")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        is_contact = self.current.name == CONTACT_PART
        limit = MAX_CONTACT_PART_BYTES if is_contact else self.max_image_bytes
        if len(self.current.data) + (end - start) > limit:
            what = CONTACT_PART if is_contact else "the image"
            raise BodyError(413, "payload_too_large", f"{what} may be at most {limit} bytes")
        self.current.data.extend(data[start:end])

    def on_part_end(self) -> None:
        self.parts.append(self.current)


def parse_upload_form(content_type: str, body: bytes, *, max_image_bytes: int) -> UploadForm:
    """The `contact.json` part and the one image part (any other name) of the body.

    400 for a malformed body, a missing part or more than one image; 413 for an image
    part over `max_image_bytes` or a `contact.json` part over 64 KiB.
    """
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise BodyError(400, "invalid_request", "the multipart Content-Type has no boundary")
    collector = _PartCollector(max_image_bytes)
    try:
        parser = MultipartParser(boundary, collector.callbacks())
        parser.write(body)
        parser.finalize()
    except FormParserError as exc:
        raise BodyError(400, "invalid_request", f"the multipart body is malformed: {exc}") from None

    contact = [p for p in collector.parts if p.name == CONTACT_PART]
    images = [p for p in collector.parts if p.name != CONTACT_PART]
    if len(contact) != 1:
        raise BodyError(400, "invalid_request", f"send exactly one '{CONTACT_PART}' part")
    if len(images) != 1:
        raise BodyError(400, "invalid_request", "send exactly one image part besides contact.json")
    return UploadForm(contact_json=bytes(contact[0].data), image=bytes(images[0].data))
