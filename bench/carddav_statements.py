"""Every SQL statement one CardDAV request sends to a SQLite store, with its plan and time.

    python -m bench.carddav_statements --data-dir /work/data/dav1m/rolodex --email bench@example.com

For a kept benchmark store (bench/carddav.py --store-dir): the app runs in this process
(no server), one account's default book is asked a PROPFIND Depth 0 and a
sync-collection from ten changes before its last point (the ten last changes of its
log), and each statement those requests sent is then run again alone, timed, with
SQLite's `EXPLAIN QUERY PLAN`. A statement that walks a table (`SCAN`) or takes long at
a million cards is what does not scale. Nothing is written. SQLite only.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.carddav_requests import sync_collection, sync_token

PROPFIND_0 = (
    '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"'
    ' xmlns:CS="http://calendarserver.org/ns/"><D:prop><D:resourcetype/><D:sync-token/>'
    "<CS:getctag/><D:displayname/></D:prop></D:propfind>"
)

Seen = list[str]
CONNECT = sqlite3.connect  # untraced, for the timings


def traced(seen: Seen) -> Callable[..., Any]:
    """sqlite3.connect that records every statement its connections run (values in place)."""
    connect = sqlite3.connect

    def connect_traced(*args: Any, **kwargs: Any) -> Any:
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(seen.append)
        return conn

    return connect_traced


def worth_timing(statement: str) -> bool:
    head = statement.lstrip().upper()
    return head.startswith(("SELECT", "WITH")) and "SQLITE_MASTER" not in head


def plan_and_time(database: Path, statement: str) -> tuple[float, str]:
    conn = CONNECT(f"file:{database}?mode=ro", uri=True)
    try:
        plan = " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}"))
        started = time.perf_counter()
        conn.execute(statement).fetchall()
        return time.perf_counter() - started, plan
    finally:
        conn.close()


def report(database: Path, title: str, seconds: float, seen: Seen) -> None:
    print(f"\n## {title}: {seconds * 1000:,.1f} ms, {len(seen)} statements")
    for statement in list(seen):
        if not worth_timing(statement):
            continue
        took, plan = plan_and_time(database, statement)
        short = re.sub(r"\s+", " ", statement)[:300]
        print(f"- {took * 1000:8.2f} ms  {short}\n    plan: {plan}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--email", default="bench@example.com")
    parser.add_argument("--password", default="bench-password-1")
    args = parser.parse_args()
    os.environ["ROLODEX_DATA_DIR"] = str(args.data_dir)
    os.environ["ROLODEX_WEBHOOK_WORKER"] = "false"
    os.environ["ROLODEX_RATE_LIMIT_ENABLED"] = "false"
    os.environ["ROLODEX_CARDDAV_ALLOW_ACCOUNT_PASSWORD"] = "true"
    seen: Seen = []
    # The store's two roads to SQLite: SQLAlchemy's (sqlite3.dbapi2) and the quick reads'.
    sqlite3.connect = sqlite3.dbapi2.connect = traced(seen)

    from starlette.testclient import TestClient

    from rolodex.app import create_app

    database = args.data_dir / "rolodex.sqlite3"
    with TestClient(create_app()) as client:
        client.auth = (args.email, args.password)
        account = client.app.state.services.accounts.find_by_email(args.email)  # type: ignore[attr-defined]
        book = f"/dav/books/{account.account_id}/default/"
        depth0 = {"Depth": "0", "Content-Type": "application/xml"}
        client.request("PROPFIND", book, content=PROPFIND_0, headers=depth0)  # warm
        seen.clear()
        started = time.perf_counter()
        answer = client.request("PROPFIND", book, content=PROPFIND_0, headers=depth0)
        report(database, "PROPFIND Depth 0 of the book", time.perf_counter() - started, seen)
        token = re.search(rb"<D?:?sync-token>([^<]+)<", answer.content)
        if token is None:
            token = re.search(rb"sync-token[^>]*>([^<]+)<", answer.content)
        assert token is not None, answer.text[:500]
        head, _, seq = token.group(1).decode().rpartition(":")
        since = f"{head}:{max(0, int(seq) - 10)}"
        report_headers = {"Depth": "1", "Content-Type": "application/xml"}
        client.request("REPORT", book, content=sync_collection(since), headers=report_headers)
        seen.clear()
        started = time.perf_counter()
        answer = client.request(
            "REPORT", book, content=sync_collection(since), headers=report_headers
        )
        took = time.perf_counter() - started
        sync_token(answer.content)
        report(database, "sync-collection of the last 10 changes", took, seen)


if __name__ == "__main__":
    main()
