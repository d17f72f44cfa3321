"""https:// receivers: the guard connects to a checked address, yet TLS and Host keep the name."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.webhooks.conftest import Api, Rig

ApiFor = Callable[..., Api]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for `localhost` (and 127.0.0.1), and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_an_https_receiver_sees_its_own_name_in_sni_and_host(
    rig: Rig, api_for: ApiFor, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    seen: dict[str, Any] = {"sni": [], "host": [], "bodies": []}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            seen["host"].append(self.headers["host"])
            seen["bodies"].append(self.rfile.read(int(self.headers["content-length"])))
            self.send_response(204)
            self.end_headers()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, server_name, ctx: seen["sni"].append(server_name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        services = rig.services(ca_bundle=cert)
        api = api_for(services)
        url = f"https://localhost:{port}/hook"
        api.ok("webhooks.create", {"url": url, "triggerIds": ["contact.added"]})
        api.ok("contacts.create", {"contact": {"contactData": {"notes": "tls"}}})
        assert rig.worker(services).run_once() == 1
    finally:
        server.shutdown()
        server.server_close()
    assert seen["sni"] == ["localhost"]
    assert seen["host"] == [f"localhost:{port}"]
    assert len(seen["bodies"]) == 1


def test_an_https_receiver_with_an_untrusted_certificate_is_not_delivered_to(
    rig: Rig, api_for: ApiFor, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        services = rig.services()  # no ca_bundle: the self-signed certificate is not trusted
        api = api_for(services)
        url = f"https://localhost:{server.server_address[1]}/hook"
        made = api.ok("webhooks.create", {"url": url, "triggerIds": ["contact.added"]})
        api.ok("contacts.create", {"contact": {"contactData": {"notes": "tls"}}})
        assert rig.worker(services).run_once() == 1
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []
    [batch] = api.ok("webhooks.getBatches", {"webhookId": made["webhook"]["webhookId"]})["batches"]
    assert batch["status"] == "pending"
    assert "CERTIFICATE_VERIFY_FAILED" in batch["lastError"]
