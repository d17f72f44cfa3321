"""What the contract fuzzers share: a SQLite-backed app, its credentials, the checks.

The store is SQLite unless `ROLODEX_CONTRACT_DATABASE_URL` names another (a PostgreSQL URL
with its own schema, e.g. `...?options=-csearch_path%3Dfuzz`): the fuzzers look for
answers that break the documents, which do not depend on the store (tests/fidelity/
covers PostgreSQL's no-5xx under random input). `ROLODEX_CONTRACT_EXAMPLES` sets the examples per operation (a small number by
default, so the suite stays fast; raise it for a deeper run).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from rolodex.app import create_app
from rolodex.oauth.credentials import API_KEY
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.settings import Settings

# The REST import takes a JSON-lines file (`application/x-ndjson`): send it as text.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")

DATABASE_URL = os.environ.get("ROLODEX_CONTRACT_DATABASE_URL")
EXAMPLES = int(os.environ.get("ROLODEX_CONTRACT_EXAMPLES", "15"))
STEPS = int(os.environ.get("ROLODEX_CONTRACT_STEPS", "8"))

# No 5xx, and every answer as documented: its status listed, its media type and body as
# the document says, its documented headers present.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    # A method a path does not serve is a 405. (`negative_data_rejection` is left out:
    # every API ignores query parameters it does not know, which schemathesis counts as
    # invalid data accepted; request bodies are strict, unknown fields refused.)
    checks.unsupported_method,
]

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Target:
    """The app under test and the headers that authenticate as one fresh account."""

    app: object
    services: Services
    bearer: dict[str, str]
    api_key: dict[str, str]

    def fresh(self) -> Target:
        """The same app as a new, empty account.

        A stateful run starts each scenario from one: on a shared account a replay meets
        what earlier scenarios left (a tag name taken, deletions held), answers change,
        and Hypothesis calls its own strategy flaky.
        """
        bearer, api_key = _credentials(self.services)
        return Target(self.app, self.services, bearer, api_key)


def _credentials(services: Services) -> tuple[dict[str, str], dict[str, str]]:
    """A new account's Bearer and API key headers, with every scope."""
    email = f"fuzz-{secrets.token_hex(6)}@example.com"
    account = services.accounts.create(email, "correct horse battery", "F Z")
    token = services.credentials.issue(account.account_id, ALL_SCOPES).secret
    key = services.credentials.issue(account.account_id, ALL_SCOPES, kind=API_KEY).secret
    return {"Authorization": f"Bearer {token}"}, {"x-api-key": key}


def target() -> Iterator[Target]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        if DATABASE_URL:
            settings = Settings(data_dir=Path(tmp), database_url=DATABASE_URL)
        services = Services.build(settings)
        try:
            bearer, api_key = _credentials(services)
            yield Target(create_app(services=services), services, bearer, api_key)
        finally:
            services.close()
