"""A vCard file read in pieces by worker processes gives what reading it whole gives.

The pieces are cut small here (one, two, three cards) so that every boundary of the
files is a cut: the cards, problems and line numbers must be those of one whole read,
broken cards, text outside cards and quoted-printable soft breaks included.
"""

from __future__ import annotations

import io
import secrets
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from rolodex.formats.card import CardProblem
from rolodex.formats.detect import open_text
from rolodex.photos.images import ImageLimits
from rolodex.services import Services
from rolodex.transfer.card_workers import Checked, checked_in_workers
from rolodex.transfer.checks import CheckedCard, check_card
from rolodex.transfer.exporter import export_format
from rolodex.transfer.reading import read_file
from tests.formats.samples import SAMPLES

_BROKEN = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:One\r\nEND:VCARD\r\n"
    "stray text\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Two\r\nEMAIL:not-an-address\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Three\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Four\r\nno colon here\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Five\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:soft=\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Six\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\nVERSION:4.0\nFN:Seven\nEND:VCARD\n"
    "BEGIN:VCARD\r\nVERSION:9.9\r\nFN:Eight\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nine\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ten\r\n"
)


def _here(fn: Any, *args: Any) -> Future[list[Checked]]:
    """A `submit` that runs here (the pieces and their numbering are what is tested)."""
    done: Future[list[Checked]] = Future()
    done.set_result(fn(*args))
    return done


def _shape(items: list[Checked]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for item in items:
        if isinstance(item, CardProblem):
            out.append(("problem", item.line, item.message))
        elif isinstance(item, CheckedCard):
            out.append(("card", item.line, item.data, item.uid, item.tags, item.extras))
        else:
            out.append(("group", item.line, item.name, item.members))
    return out


def _whole(raw: bytes) -> list[Checked]:
    _, cards = read_file(io.BytesIO(raw), "vcard")
    limits = ImageLimits()
    return [c if isinstance(c, CardProblem) else check_card(c, limits) for c in cards]


def _in_pieces(raw: bytes, cards: int) -> list[Checked]:
    _, lines = open_text(io.BytesIO(raw), "vcard")
    return list(checked_in_workers(_here, 1, lines, ImageLimits(), None, cards))


@pytest.mark.parametrize("cards", [1, 2, 3])
@pytest.mark.parametrize(
    "name",
    ["google-3.0.vcf", "apple-3.0.vcf", "android-2.1.vcf", "nextcloud-4.0.vcf", "broken"],
)
def test_pieces_read_as_the_whole_file(name: str, cards: int) -> None:
    raw = _BROKEN.encode() if name == "broken" else (SAMPLES / name).read_bytes()
    whole = _whole(raw)
    assert any(isinstance(item, CheckedCard) for item in whole)
    assert _shape(_in_pieces(raw, cards)) == _shape(whole)


def test_the_broken_file_has_problems_past_its_first_piece() -> None:
    problems = [item for item in _whole(_BROKEN.encode()) if isinstance(item, CardProblem)]
    assert [p.line for p in problems][-1] > 20, problems
    assert any(p.message.startswith("line ") for p in problems)


def test_an_import_with_workers_writes_what_one_without_writes(
    services: Services, tmp_path: Path
) -> None:
    """Real worker processes, a file of several pieces: the same summary and contacts."""
    source = tmp_path / "many.vcf"
    source.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:w-{i}\r\nFN:Person {i}\r\n"
            f"EMAIL;TYPE=work:p{i}@example.com\r\nCATEGORIES:Workers\r\nEND:VCARD\r\n"
            for i in range(1200)
        ),
        encoding="utf-8",
    )
    results = []
    for workers in (0, 2):
        email = f"w-{secrets.token_hex(4)}@example.com"
        owner = services.accounts.create(email, "correct horse battery", "W").account_id
        summary = services.card_import.run(
            owner, lambda: source.open("rb"), batch_size=500, workers=workers
        )
        exported = b"".join(services.export.chunks(owner, export_format("jsonl")))
        results.append((summary.as_json(), exported))
    assert results[0] == results[1]
    assert results[0][0]["created"] == 1200
    assert results[0][1].count(b'"tags":["Workers"]') == 1200
