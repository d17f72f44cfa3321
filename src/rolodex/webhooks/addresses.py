"""Where a webhook may be delivered: the SSRF guard.

A webhook URL is chosen by a client, and the server then makes requests to it, so the
server must not become a way into its own network. Every address a host resolves to is
checked, when the webhook is made and again at every connection (a name can resolve to
a public address today and to 127.0.0.1 tomorrow: DNS rebinding), and delivery connects
only to an address it checked.

Refused always: link-local (169.254.0.0/16 holds the cloud metadata service, fe80::/10),
unspecified, multicast, reserved and other non-global special ranges. Refused unless
`allow_private`: loopback and private networks (RFC 1918, CGNAT, unique-local IPv6).
IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries; names
such as `2130706433` or `0177.0.0.1` are whatever the resolver makes of them (127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

MAX_URL = 2048

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services outside link-local (AWS over IPv6, Alibaba Cloud): refused
# even when private addresses are allowed.
METADATA = frozenset(ipaddress.ip_address(a) for a in ("fd00:ec2::254", "100.100.100.200"))


class AddressRefused(Exception):
    """The URL or one of the addresses its host resolves to may not be delivered to."""


# Loopback aside, the networks that are private (RFC 1918, CGNAT, unique-local IPv6).
PRIVATE_RANGES = (
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("172.16.0.0/12"),
    ipaddress.ip_network("192.168.0.0/16"),
    ipaddress.ip_network("100.64.0.0/10"),
    ipaddress.ip_network("fc00::/7"),
)


def refusal(address: str, *, allow_private: bool) -> str | None:
    """Why `address` may not be connected to, or None when it may."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            ip = embedded
        elif ip.teredo is not None:
            return f"{ip} is a Teredo address"
    always = _always_refused(ip)
    if always is not None:
        return always
    private = _private_kind(ip)
    if private is not None:
        return None if allow_private else f"{ip} is a {private} address"
    if ip.is_reserved or not ip.is_global:
        return f"{ip} is a reserved or special-purpose address"
    return None


def _always_refused(ip: IPAddress) -> str | None:
    """Why `ip` is refused even where private addresses are allowed, if it is."""
    if ip in METADATA:
        return f"{ip} is a cloud metadata address"
    if ip.is_unspecified:
        return f"{ip} is the unspecified address"
    if ip.is_link_local:
        return f"{ip} is link-local (metadata services live there)"
    if ip.is_multicast:
        return f"{ip} is a multicast address"
    return None


def _private_kind(ip: IPAddress) -> str | None:
    """`loopback` or `private`, for the addresses only `allow_private` lets through."""
    if ip.is_loopback:
        return "loopback"
    if any(ip.version == net.version and ip in net for net in PRIVATE_RANGES):
        return "private"
    return None


def resolve_checked(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Every address `host` resolves to, if all of them may be connected to.

    All of them, not just the first: a resolver may hand out a public and a private
    address together and let the connection pick.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise AddressRefused(f"the host '{host}' does not resolve ({exc})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise AddressRefused(f"the host '{host}' does not resolve")
    for address in addresses:
        reason = refusal(address, allow_private=allow_private)
        if reason is not None:
            raise AddressRefused(f"the host '{host}' resolves to {reason}")
    return addresses


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse a URL that is not plain http(s) or whose host may not be reached."""
    if len(url) > MAX_URL:
        raise AddressRefused(f"must be at most {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(f"is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise AddressRefused("must be an http:// or https:// URL")
    if not parts.hostname:
        raise AddressRefused("must name a host")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("must not carry a user name or password")
    if any(ch.isspace() for ch in url):
        raise AddressRefused("must not contain spaces")
    default = 443 if parts.scheme == "https" else 80
    resolve_checked(parts.hostname, port or default, allow_private=allow_private)
