"""`rolodex serve`: every API on one port."""

from __future__ import annotations

import http.client
import os
import threading
from typing import Annotated, Any

import typer
from sqlalchemy.engine import make_url

from rolodex.cli.common import DatabaseUrl, DataDir, settings_from
from rolodex.services import Services
from rolodex.settings import Settings


def ready_line(settings: Settings, host: str, port: int) -> str:
    """The one line `serve` prints once it listens: where to go, and where the data is."""
    shown_host = f"[{host}]" if ":" in host else host
    base = f"http://{shown_host}:{port}"
    if settings.database_url:
        url = make_url(settings.resolved_database_url()).render_as_string(hide_password=True)
        store = f"database {url}"
    else:
        store = f"data folder {settings.data_dir.resolve()}"
    return f"Rolodex is serving {base} ({store}); the address book is at {base}/book"


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    workers: Annotated[int, typer.Option(help="Server processes.", min=1)] = 1,
    max_header_bytes: Annotated[
        int | None,
        typer.Option(
            help="Most bytes of request line and headers accepted (431 beyond) "
            "(default: ROLODEX_MAX_HEADER_BYTES, else 65536).",
            min=1024,
            show_default=False,
        ),
    ] = None,
    header_timeout: Annotated[
        float | None,
        typer.Option(
            help="Seconds a client has to send a request's headers before the connection "
            "is closed (default: ROLODEX_HEADER_TIMEOUT_SECONDS, else 10).",
            min=0.1,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve every API on one port (migrating the store first)."""
    import uvicorn

    class _Server(uvicorn.Server):
        async def startup(self, sockets: list[Any] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                typer.echo(ready_line(settings, host, port))

    from rolodex.app import create_app

    settings = settings_from(data_dir, database_url)
    overrides: dict[str, Any] = {}
    if max_header_bytes is not None:
        overrides["max_header_bytes"] = max_header_bytes
    if header_timeout is not None:
        overrides["header_timeout_seconds"] = header_timeout
    if overrides:
        settings = settings.model_copy(update=overrides)
    http = http_options(settings)
    if workers > 1:
        Services.build(settings, migrate=True).close()  # migrate once, before any worker starts
        # Each worker process builds its app from the environment, without migrating.
        os.environ["ROLODEX_DATA_DIR"] = str(settings.data_dir)
        os.environ["ROLODEX_MIGRATE_ON_START"] = "false"
        if settings.database_url:
            os.environ["ROLODEX_DATABASE_URL"] = settings.database_url
        # The supervisor binds the socket, but nothing accepts on it until a worker has
        # started its app: the line waits until the server answers.
        stop = threading.Event()
        announce = threading.Thread(
            target=announce_when_answering,
            args=(ready_line(settings, host, port), host, port, stop),
            daemon=True,
        )
        announce.start()
        try:
            uvicorn.run(
                "rolodex.app:create_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
                **http,
            )
        finally:
            stop.set()
        return
    config = uvicorn.Config(create_app(settings), host=host, port=port, log_level="warning", **http)
    _Server(config).run()


# Where to knock when the server listens on every address.
_ANY_ADDRESS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}
_PROBE_EVERY = 0.1  # seconds


def answers(host: str, port: int) -> bool:
    """Whether the server at host:port answers `GET /healthz` with 200 now."""
    connection = http.client.HTTPConnection(_ANY_ADDRESS.get(host, host), port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def announce_when_answering(line: str, host: str, port: int, stop: threading.Event) -> None:
    """Print `line` once the server answers, unless it stops first (`--workers N`)."""
    while not stop.is_set():
        if answers(host, port):
            typer.echo(line)
            return
        stop.wait(_PROBE_EVERY)


def http_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's HTTP protocol, with the header size limit and timeout (docs/limits.md)."""
    try:
        from rolodex.cli.header_limits import HeaderLimits, protocol_for
    except ImportError:  # no httptools (not CPython): h11 bounds the size, not the time
        return {"http": "h11", "h11_max_incomplete_event_size": settings.max_header_bytes}
    limits = HeaderLimits(settings.max_header_bytes, settings.header_timeout_seconds)
    return {"http": protocol_for(limits)}
