"""`rolodex photos ...`: maintenance of stored contact photos."""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json

app = typer.Typer(help="Maintain stored contact photos.", no_args_is_help=True)


@app.command("sweep")
def sweep(
    grace_minutes: Annotated[
        int, typer.Option(min=1, help="Leave photos younger than this alone (uploads in flight).")
    ] = 60,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Delete stored photos that no contact refers to (left by a crash mid-upload or mid-delete)."""
    with open_services(data_dir, database_url) as services:
        dropped = services.photos.sweep(grace_ms=grace_minutes * 60_000)
    print_json({"deleted": dropped})
