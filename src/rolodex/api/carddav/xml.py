"""WebDAV XML: request bodies read safely, answers written as text.

Bodies are parsed by defusedxml's ElementTree with DTDs forbidden: no entity expansion
(XML bombs), no external entities or network, and anything malformed is `BadXml`, a
400. Answers are written as strings (a multistatus of a big book streams response by
response), with the DAV, CardDAV and CalendarServer namespaces declared once at the
root and any other namespace on the element that needs it.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

DAV = "DAV:"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
CS = "http://calendarserver.org/ns/"

PREFIXES = {DAV: "D", CARDDAV: "C", CS: "CS"}
ROOT_NAMESPACES = " ".join(f'xmlns:{p}="{ns}"' for ns, p in PREFIXES.items())
HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


class BadXml(ValueError):
    """A body that is not well-formed XML, or not the element the method needs."""


def parse(body: bytes) -> Element | None:
    """The body's root element, or None for an empty body."""
    if not body.strip():
        return None
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise BadXml(f"the body is not well-formed XML: {exc}") from None


def tag(namespace: str, local: str) -> str:
    """Clark notation, as ElementTree names elements: `{DAV:}prop`."""
    return f"{{{namespace}}}{local}"


def split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def element(name: str, inner: str | None = None) -> str:
    """`<prefix:local>inner</prefix:local>`, or an empty element when `inner` is None."""
    namespace, local = split(name)
    prefix = PREFIXES.get(namespace)
    if prefix is not None:
        qname, declare = f"{prefix}:{local}", ""
    else:
        qname, declare = f"X:{local}", f" xmlns:X={quoteattr(namespace)}"
        if not namespace:
            qname, declare = local, ' xmlns=""'
    if inner is None or inner == "":
        return f"<{qname}{declare}/>"
    return f"<{qname}{declare}>{inner}</{qname}>"


def text(value: str) -> str:
    return escape(value)


def href(path: str) -> str:
    return element(tag(DAV, "href"), escape(path))


def multistatus_start() -> str:
    return f"{HEAD}<D:multistatus {ROOT_NAMESPACES}>"


MULTISTATUS_END = "</D:multistatus>"


def error_body(condition: str) -> str:
    """A `DAV:error` body (RFC 4918 §16) holding one precondition element (already XML)."""
    return f"{HEAD}<D:error {ROOT_NAMESPACES}>{condition}</D:error>"
