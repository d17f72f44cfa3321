"""The Apple configuration profile of the connect page: a CardDAV account for iOS and macOS.

A `.mobileconfig` is a property list (Apple's "Configuration Profile Reference",
`com.apple.carddav.account` payload) served as `application/x-apple-aspen-config`:
Safari on an iPhone or a Mac offers to install it, and Contacts then has the account.
It names the host, port and TLS, the username and the app password; no principal URL,
since Contacts finds it from the host the way every client does (RFC 6764:
`/.well-known/carddav`). Unsigned: iOS shows it as "Not Verified", which is what a
self-hosted server without a code-signing certificate gets.
"""

from __future__ import annotations

import plistlib
import uuid
from dataclasses import dataclass
from urllib.parse import SplitResult

from starlette.requests import Request

from rolodex.observability.origin import came_over_tls

CONTENT_TYPE = "application/x-apple-aspen-config"
FILENAME = "rolodex-contacts.mobileconfig"


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """Where a device reaches this server: as the browser reached it."""

    host: str
    port: int
    tls: bool

    @property
    def url(self) -> str:
        """`https://host/` (the port only when it is not the scheme's own)."""
        scheme = "https" if self.tls else "http"
        default = 443 if self.tls else 80
        netloc = self.host if ":" not in self.host else f"[{self.host}]"
        if self.port != default:
            netloc += f":{self.port}"
        return SplitResult(scheme, netloc, "/", "", "").geturl()


def server_address(request: Request, *, trust_proxy: bool) -> ServerAddress:
    """The address the browser used (behind a trusted proxy, with the proxy's scheme)."""
    tls = came_over_tls(request.scope, trust_proxy)
    host = request.url.hostname or "localhost"
    # A Host header without a port means the scheme's own.
    return ServerAddress(host, request.url.port or (443 if tls else 80), tls)


def carddav_profile(address: ServerAddress, username: str, password: str) -> bytes:
    """The profile's bytes: one CardDAV account signed in with `username` and `password`."""
    reverse = ".".join(reversed(address.host.split("."))) if address.host else "local"
    account_uuid, profile_uuid = str(uuid.uuid4()).upper(), str(uuid.uuid4()).upper()
    account = {
        "PayloadType": "com.apple.carddav.account",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{reverse}.rolodex.carddav.{account_uuid}",
        "PayloadUUID": account_uuid,
        "PayloadDisplayName": "Rolodex contacts",
        "PayloadDescription": f"Your Rolodex contacts on {address.host}",
        "CardDAVAccountDescription": f"Rolodex ({address.host})",
        "CardDAVHostName": address.host,
        "CardDAVPort": address.port,
        "CardDAVUseSSL": address.tls,
        "CardDAVUsername": username,
        "CardDAVPassword": password,
    }
    profile = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{reverse}.rolodex.{profile_uuid}",
        "PayloadUUID": profile_uuid,
        "PayloadDisplayName": f"Rolodex contacts ({address.host})",
        "PayloadDescription": "Syncs your Rolodex address book with Contacts.",
        "PayloadOrganization": "Rolodex",
        "PayloadRemovalDisallowed": False,
        "PayloadContent": [account],
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML)
