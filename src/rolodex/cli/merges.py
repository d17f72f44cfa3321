"""`rolodex merge` and `rolodex unmerge`: duplicates made one, and the merge undone.

The same writes as the Contacts+ extensions `contacts.merge` and `contacts.unmerge`
(docs/duplicates.md); their versions say "merge" (or "unmerge").
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.cli.imports import Team, owner_of
from rolodex.contacts.model import Contact
from rolodex.timestamps import iso


def _shown(contact: Contact) -> dict[str, Any]:
    return {
        "contactId": contact.contact_id,
        "etag": contact.etag,
        "updated": iso(contact.updated_at),
        "deleted": contact.deleted,
        "contactData": contact.data,
        "tagIds": list(contact.tag_ids),
    }


def merge(
    email: Annotated[str, typer.Option(help="The account whose book holds the contacts.")],
    contacts: Annotated[str, typer.Option(help="Two or more contact ids, separated by commas.")],
    team: Team = None,
    survivor: Annotated[
        str | None, typer.Option(help="The contact that stays (default: the first named).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the merged contact; write nothing.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Merge the contacts into one; print `{"contact", "mergeId"}` (no mergeId on a dry run)."""
    ids = [part.strip() for part in contacts.split(",") if part.strip()]
    with open_services(data_dir, database_url) as services:
        owner_id = owner_of(services, email, team)
        contact, merge_id = services.merges.merge(
            owner_id, ids, survivor_id=survivor, dry_run=dry_run
        )
    out: dict[str, Any] = {"contact": _shown(contact)}
    if merge_id is not None:
        out["mergeId"] = merge_id
    print_json(out)


def unmerge(
    email: Annotated[str, typer.Option(help="The account whose book holds the contacts.")],
    merge_id: Annotated[str, typer.Option("--merge", help="The mergeId `rolodex merge` printed.")],
    team: Team = None,
    force: Annotated[
        bool, typer.Option("--force", help="Put them back even if they changed since.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Put every contact of a merge back as it was; print `{"contacts": [...]}`."""
    with open_services(data_dir, database_url) as services:
        owner_id = owner_of(services, email, team)
        back = services.merges.unmerge(owner_id, merge_id, force=force)
    print_json({"contacts": [_shown(c) for c in back]})
