"""The card importer as the CLI drives it: progress by bytes read, batches, resuming."""

from __future__ import annotations

import secrets
from pathlib import Path

from rolodex.contacts.importer import import_key
from rolodex.services import Services
from rolodex.transfer.importer import Resumable


def _owner(services: Services) -> str:
    email = f"imp-{secrets.token_hex(4)}@example.com"
    return services.accounts.create(email, "correct horse battery", "Importer").account_id


def _vcards(count: int) -> bytes:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-{i}\r\nFN:Person {i}\r\nN:{i};Person;;;\r\n"
        f"NOTE:{'x' * 200}\r\nCATEGORIES:Batch\r\nEND:VCARD\r\n"
        for i in range(count)
    ).encode()


def test_progress_moves_as_the_file_is_read(services: Services, tmp_path: Path) -> None:
    source = tmp_path / "many.vcf"
    source.write_bytes(_vcards(600))
    seen: list[int] = []
    summary = services.card_import.run(
        _owner(services), lambda: source.open("rb"), batch_size=1000, progress=seen.append
    )
    assert summary.created == 600
    # One batch, yet the bar moved several times: it counts bytes, not batches.
    assert len(seen) > 1
    assert sum(seen) == source.stat().st_size


def test_an_import_resumes_after_its_last_batch_and_not_again_when_done(
    services: Services, tmp_path: Path
) -> None:
    owner = _owner(services)
    source = tmp_path / "some.vcf"
    source.write_bytes(_vcards(5))
    resumable = Resumable(import_key(owner, source), str(source))
    first = services.card_import.run(
        owner, lambda: source.open("rb"), batch_size=2, resumable=resumable
    )
    assert (first.created, first.already_done) == (5, False)
    again = services.card_import.run(
        owner, lambda: source.open("rb"), batch_size=2, resumable=resumable
    )
    assert again.already_done
    assert (again.created, again.format) == (0, "vcard")
    # Without the check pass too: the summary still names the file's format.
    skipping = services.card_import.run(
        owner, lambda: source.open("rb"), skip_invalid=True, resumable=resumable
    )
    assert (skipping.already_done, skipping.format) == (True, "vcard")
    restarted = services.card_import.run(
        owner,
        lambda: source.open("rb"),
        batch_size=2,
        resumable=Resumable(resumable.key, resumable.source, restart=True),
    )
    assert (restarted.created, restarted.updated) == (0, 5)
    assert services.contacts.count_live(owner) == 5
