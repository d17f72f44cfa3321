"""`rolodex photos ...`: maintenance of stored contact photos."""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, print_json, settings_from
from rolodex.services import Services

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
    services = Services.build(settings_from(data_dir, database_url))
    try:
        dropped = services.photos.sweep(grace_ms=grace_minutes * 60_000)
    finally:
        services.close()
    print_json({"deleted": dropped})
