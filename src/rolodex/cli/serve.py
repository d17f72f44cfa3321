"""`rolodex serve`: every API on one port."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, settings_from
from rolodex.services import Services


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    workers: Annotated[int, typer.Option(help="Server processes.", min=1)] = 1,
) -> None:
    """Serve every API on one port (migrating the store first)."""
    import uvicorn

    from rolodex.app import create_app

    settings = settings_from(data_dir, database_url)
    if workers > 1:
        Services.build(settings, migrate=True).close()  # migrate once, before any worker starts
        # Each worker process builds its app from the environment, without migrating.
        os.environ["ROLODEX_DATA_DIR"] = str(settings.data_dir)
        os.environ["ROLODEX_MIGRATE_ON_START"] = "false"
        if settings.database_url:
            os.environ["ROLODEX_DATABASE_URL"] = settings.database_url
        uvicorn.run(
            "rolodex.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
