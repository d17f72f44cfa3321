"""`rolodex history`, `rolodex trash list|restore`, `rolodex undo`: the history from a shell.

For the operator of a server whose user's phone wiped their book (docs/history.md): see
what one client did, and put it back. Everything prints JSON; a refusal is JSON on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.cli.imports import Team, owner_of
from rolodex.contacts.versions import Snapshot
from rolodex.errors import InvalidInput
from rolodex.history.model import Source
from rolodex.history.service import Page
from rolodex.timestamps import iso, parse_iso

Email = Annotated[str, typer.Option(help="The account whose book it is.")]
ContactId = Annotated[str, typer.Option("--contact", help="The contact's id (c_...).")]

trash_app = typer.Typer(help="Deleted contacts that can still be restored.", no_args_is_help=True)

T = TypeVar("T")


def _every_item(fetch: Callable[[str | None], Page[T]]) -> Iterator[T]:
    """Every item of a paged listing, page after page: the commands print all of it."""
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield from page.items
        if page.cursor is None:
            return
        cursor = page.cursor


def _source(source: Source) -> dict[str, Any]:
    return {"kind": source.kind, "name": source.name}


def _state(state: Snapshot) -> dict[str, Any]:
    return {"contactData": state.data(), "tagIds": list(state.tag_ids)}


def history(
    email: Email,
    contact: ContactId,
    team: Team = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print the kept versions of one contact, newest first."""
    with open_services(data_dir, database_url) as services:
        owner_id = owner_of(services, email, team)
        versions = [
            {
                "versionId": str(v.version_id),
                "etag": v.state.etag,
                "updated": iso(v.state.updated_at),
                "source": _source(v.source),
                "replaced": iso(v.replaced_at),
                "replacedBy": _source(v.replaced_by),
                **_state(v.state),
            }
            for v in _every_item(
                lambda cursor: services.history.history(owner_id, contact, cursor=cursor)
            )
        ]
    print_json({"contactId": contact, "versions": versions})


@trash_app.command("list")
def trash_list(
    email: Email,
    team: Team = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print the contacts in the trash, newest deletion first."""
    with open_services(data_dir, database_url) as services:
        owner_id = owner_of(services, email, team)
        found = [
            {
                "contactId": t.contact_id,
                "deleted": iso(t.deleted_at),
                "source": _source(t.source),
                **_state(t.state),
            }
            for t in _every_item(lambda cursor: services.history.trash(owner_id, cursor=cursor))
        ]
    print_json({"contacts": found})


@trash_app.command("restore")
def trash_restore(
    email: Email,
    contact: ContactId,
    team: Team = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Bring one contact back from the trash, with its id, tags and photos."""
    with open_services(data_dir, database_url) as services:
        owner_id = owner_of(services, email, team)
        back = services.history.undelete(owner_id, contact)
    print_json({"contactId": back.contact_id, "etag": back.etag, "updated": iso(back.updated_at)})


def undo(
    email: Email,
    credential: Annotated[
        str, typer.Option(help="The client's name as the history shows it (an app, a key).")
    ],
    since: Annotated[str, typer.Option(help="ISO 8601, e.g. 2026-12-07T14:00:00Z.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be undone; change nothing.")
    ] = False,
    team: Team = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Undo everything one client did since a moment; others' later edits are conflicts."""
    with open_services(data_dir, database_url) as services:
        moment = parse_iso(since)
        if moment is None:
            raise InvalidInput("must be an ISO 8601 time", field="since")
        owner_id = owner_of(services, email, team)
        outcome = services.history.undo_credential(
            owner_id, since=moment, name=credential, dry_run=dry_run
        )
    print_json(
        {
            "dryRun": outcome.dry_run,
            "count": outcome.count,
            "undeleted": outcome.undeleted,
            "deleted": outcome.deleted,
            "restored": outcome.restored,
            "conflicts": outcome.conflicts,
        }
    )
