"""The image checks on their own: formats, refusals, EXIF stripping, thumbnails."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from rolodex.errors import DomainError
from rolodex.photos.budget import DecodeBudget
from rolodex.photos.errors import CorruptImage, ImageTooLarge, UnsupportedImage
from rolodex.photos.images import THUMB_SIZE, ImageLimits, open_image, prepare
from tests.photos.factories import (
    BLUE,
    GPS_IFD,
    ORIENTATION,
    RED,
    close_to,
    encode,
    image_bytes,
    jpeg_with_gps_and_orientation,
    large_png,
    png_cut_in_image_data,
    png_declaring,
    two_tone,
)

LIMITS = ImageLimits()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_each_accepted_format_is_kept_in_its_format(fmt: str, content_type: str) -> None:
    prepared = prepare(image_bytes(fmt), LIMITS)
    assert prepared.full.content_type == content_type
    with Image.open(io.BytesIO(prepared.full.data)) as stored:
        assert stored.size == (40, 20)
        assert stored.format == fmt


def test_thumbnail_fits_the_thumb_box_keeping_the_aspect_ratio() -> None:
    prepared = prepare(image_bytes("PNG", (1000, 500)), LIMITS)
    with Image.open(io.BytesIO(prepared.thumb.data)) as thumb:
        assert thumb.size == (THUMB_SIZE, THUMB_SIZE // 2)
    assert prepared.full.width == 1000


def test_jpeg_gps_exif_is_stripped_and_the_orientation_applied() -> None:
    raw = jpeg_with_gps_and_orientation(orientation=6)
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the test image really has a position
    prepared = prepare(raw, LIMITS)
    for variant in (prepared.full, prepared.thumb):
        assert b"Exif" not in variant.data
        assert b"SpyCam" not in variant.data
        with Image.open(io.BytesIO(variant.data)) as stored:
            assert not stored.getexif()
            assert not stored.getexif().get_ifd(GPS_IFD)
    with Image.open(io.BytesIO(prepared.full.data)) as stored:
        # Orientation 6: turn 90° clockwise, so the red left half ends up on top.
        assert stored.size == (20, 40)
        rgb = stored.convert("RGB")
        assert close_to(rgb.getpixel((10, 5)), RED)
        assert close_to(rgb.getpixel((10, 35)), BLUE)


def test_png_text_and_exif_are_not_kept() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "secret garden")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."
    raw = encode(two_tone(), "PNG", pnginfo=info, exif=exif.tobytes())
    prepared = prepare(raw, LIMITS)
    assert b"secret garden" not in prepared.full.data
    assert b"SpyCam" not in prepared.full.data


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
def test_other_image_formats_are_unsupported(fmt: str) -> None:
    with pytest.raises(UnsupportedImage):
        prepare(encode(two_tone(), fmt), LIMITS)


def test_text_named_like_an_image_is_unsupported() -> None:
    with pytest.raises(UnsupportedImage):
        prepare(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", LIMITS)


def test_truncated_png_is_corrupt() -> None:
    raw = image_bytes("PNG", (300, 300))
    with pytest.raises(CorruptImage):
        prepare(raw[: len(raw) // 2], LIMITS)


@pytest.mark.parametrize("keep", [1, 4, 40], ids=["crc-of-data", "zlib-checksum", "deflate"])
def test_a_png_cut_inside_its_image_data_is_corrupt(keep: int) -> None:
    # Cut 1 or 4 bytes short, Pillow has every row already: only the PNG structure
    # (the chunk's length and CRC, IEND) shows the file is incomplete.
    with pytest.raises(CorruptImage):
        prepare(png_cut_in_image_data(keep=keep), LIMITS)


def test_a_png_missing_only_its_end_chunk_checksum_is_corrupt() -> None:
    raw = image_bytes("PNG", (300, 300))
    with pytest.raises(CorruptImage):
        prepare(raw[:-2], LIMITS)


def test_a_large_image_is_stored_scaled_down_to_fit_the_stored_size() -> None:
    prepared = prepare(encode(two_tone(3000, 1000), "PNG"), ImageLimits(max_side=600))
    assert (prepared.full.width, prepared.full.height) == (600, 200)
    with Image.open(io.BytesIO(prepared.full.data)) as stored:
        assert stored.size == (600, 200)
        rgb = stored.convert("RGB")
        assert close_to(rgb.getpixel((5, 100)), RED)
        assert close_to(rgb.getpixel((595, 100)), BLUE)
    with Image.open(io.BytesIO(prepared.thumb.data)) as thumb:
        assert thumb.size == (THUMB_SIZE, THUMB_SIZE // 3)


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_a_palette_or_alpha_image_is_scaled_down_smoothly_in_strips(fmt: str) -> None:
    image = two_tone(1300, 700).convert("RGBA")
    image.putpixel((0, 0), (0, 0, 0, 0))
    source = image.convert("P") if fmt == "GIF" else image
    prepared = prepare(encode(source, fmt), ImageLimits(max_side=325))
    with Image.open(io.BytesIO(prepared.full.data)) as stored:
        assert stored.size == (325, 175)
        rgb = stored.convert("RGB")
        assert close_to(rgb.getpixel((10, 170)), RED)
        assert close_to(rgb.getpixel((315, 170)), BLUE)


def test_a_large_jpeg_is_decoded_at_a_reduced_size() -> None:
    raw = encode(two_tone(4000, 2000), "JPEG", quality=80)
    opened = open_image(raw, ImageLimits(max_side=1000))
    # Drafted to 1/4 (1000 x 500) by libjpeg: far less than the 32 MB of the whole picture.
    assert opened.memory_needed < 4000 * 2000 * 4 // 2
    prepared = opened.decode()
    assert (prepared.full.width, prepared.full.height) == (1000, 500)


def test_a_progressive_jpeg_is_charged_for_its_coefficients() -> None:
    # libjpeg keeps every coefficient of a progressive JPEG, whatever size it decodes at.
    image = two_tone(4000, 2000)
    baseline = open_image(encode(image, "JPEG", subsampling=0), ImageLimits(max_side=1000))
    progressive = open_image(
        encode(image, "JPEG", subsampling=0, progressive=True), ImageLimits(max_side=1000)
    )
    assert progressive.memory_needed >= 4000 * 2000 * 6  # 2 bytes x 3 full-size components
    assert baseline.memory_needed < 4000 * 2000 * 2
    assert progressive.decode().full.width == baseline.decode().full.width == 1000


def test_the_orientation_is_applied_to_a_scaled_down_image() -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    raw = encode(two_tone(2400, 1200), "JPEG", exif=exif.tobytes())
    prepared = prepare(raw, ImageLimits(max_side=600))
    with Image.open(io.BytesIO(prepared.full.data)) as stored:
        assert stored.size == (300, 600)  # turned 90 degrees clockwise: red on top
        rgb = stored.convert("RGB")
        assert close_to(rgb.getpixel((150, 20)), RED)
        assert close_to(rgb.getpixel((150, 580)), BLUE)


def test_the_memory_a_decode_needs_is_known_before_decoding() -> None:
    budget = DecodeBudget(256 * 2**20)
    # The 6000 x 6000 PNG: decoded whole (PNG cannot be drafted), then reduced.
    png = open_image(large_png(), LIMITS)
    assert 6000 * 6000 * 4 < png.memory_needed <= budget.largest
    # A WebP decoder holds its own copies: four times the pixels, over this budget.
    webp = open_image(encode(two_tone(6000, 6000), "WEBP", lossless=True), LIMITS)
    with pytest.raises(ImageTooLarge):
        budget.check(webp.memory_needed)
    assert open_image(image_bytes("PNG", (8, 8)), LIMITS).memory_needed <= budget.small_limit


def test_empty_file_is_corrupt() -> None:
    with pytest.raises(CorruptImage):
        prepare(b"", LIMITS)


def test_too_many_bytes_is_too_large() -> None:
    with pytest.raises(ImageTooLarge):
        prepare(image_bytes("PNG"), ImageLimits(max_bytes=100))


def test_a_declared_canvas_past_pillows_own_limit_is_refused_as_a_bomb() -> None:
    with pytest.raises(ImageTooLarge):
        prepare(png_declaring(100_000, 100_000), LIMITS)


def test_a_declared_canvas_past_our_limit_is_refused_before_decoding() -> None:
    # 50 megapixels: under Pillow's warning threshold, over Rolodex's 40.
    with pytest.raises(ImageTooLarge):
        prepare(png_declaring(10_000, 5_000), LIMITS)


_SEEDS = {fmt: image_bytes(fmt, (24, 16)) for fmt in ("JPEG", "PNG", "GIF", "WEBP")}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(sorted(_SEEDS)),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    cut=st.integers(min_value=1),
)
def test_damaged_images_are_refused_as_domain_errors_never_crashes(
    fmt: str, flips: list[tuple[int, int]], cut: int
) -> None:
    raw = bytearray(_SEEDS[fmt])
    for position, value in flips:
        raw[position % len(raw)] = value
    raw = raw[: max(1, cut % (len(raw) + 1))]
    try:
        prepared = prepare(bytes(raw), LIMITS)
    except DomainError:
        return
    with Image.open(io.BytesIO(prepared.full.data)) as stored:
        stored.load()
        assert stored.format is not None
        assert Image.MIME[stored.format] == prepared.full.content_type


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_refused_as_domain_errors(raw: bytes) -> None:
    with pytest.raises(DomainError):
        prepare(raw, LIMITS)
