"""Transparent mode's certificates: a local CA and a server certificate for Symbl's own host names.

Kept in `<data_dir>/tls/` and reused across restarts (so a CA that a user has trusted stays trusted); the server
certificate is remade when the names it must cover change, when it nears its end, or when it was not signed by
the CA found beside it. `--tls-cert`/`--tls-key` bypass all of this.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mock_symbl.settings import Settings

CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"
CA_YEARS = 10
# Apple's and Chrome's limits for server certificates (825 / 398 days) apply to locally trusted CAs too.
SERVER_DAYS = 365
RENEW_BEFORE = datetime.timedelta(days=30)


@dataclass(frozen=True)
class TlsFiles:
    """The PEM files a TLS listener serves; `ca` is None for a certificate brought with --tls-cert."""

    cert: Path
    key: Path
    ca: Path | None
    created: bool = False  # True when this start made (or remade) the server certificate


def tls_dir(settings: Settings) -> Path:
    return settings.data_dir / "tls"


def ca_path(settings: Settings) -> Path | None:
    """The CA that signs the made certificate (None when TLS is off or the certificate is the user's own)."""
    if settings.tls_port is None or settings.tls_cert is not None:
        return None
    return tls_dir(settings) / CA_FILE


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _write(path: Path, data: bytes, private: bool = False) -> None:
    # Written beside and renamed into place: a crash never leaves half a key; keys are readable by the owner only.
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey | None:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return key if isinstance(key, ec.EllipticCurvePrivateKey) else None


def _load_cert(path: Path) -> x509.Certificate | None:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError):
        return None


def _make_ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mock-symbl"),
            x509.NameAttribute(NameOID.COMMON_NAME, "mock-symbl local CA"),
        ]
    )
    now = _now()
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(folder / CA_KEY_FILE, _key_pem(key), private=True)
    _write(folder / CA_FILE, cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _alt_names(names: list[str]) -> list[x509.GeneralName]:
    out: list[x509.GeneralName] = []
    for name in names:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            out.append(x509.DNSName(name))
    return out


def _covered(cert: x509.Certificate) -> set[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    dns = {str(n).lower() for n in san.get_values_for_type(x509.DNSName)}
    return dns | {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}


def _wanted(names: list[str]) -> set[str]:
    out = set()
    for name in names:
        try:
            out.add(str(ipaddress.ip_address(name)))
        except ValueError:
            out.add(name.lower())
    return out


def _server_still_good(
    cert: x509.Certificate | None, ca: x509.Certificate, names: list[str], key_ok: bool
) -> bool:
    if cert is None or not key_ok or cert.issuer != ca.subject:
        return False
    try:
        cert.verify_directly_issued_by(ca)
    except (InvalidSignature, ValueError, TypeError):  # signed by another CA of the same name
        return False
    return _covered(cert) == _wanted(names) and cert.not_valid_after_utc - _now() > RENEW_BEFORE


def _make_server(
    folder: Path, names: list[str], ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(_alt_names(names)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write(folder / KEY_FILE, _key_pem(key), private=True)
    # The chain a client needs beyond its trust store is just the leaf: the CA is what it trusts.
    _write(folder / CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))


def ensure_files(settings: Settings) -> TlsFiles:
    """The certificate and key to serve: the user's own, or the made ones (created or remade when needed)."""
    if settings.tls_cert is not None and settings.tls_key is not None:
        return TlsFiles(cert=settings.tls_cert, key=settings.tls_key, ca=None)
    folder = tls_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    ca = _load_cert(folder / CA_FILE)
    ca_key = _load_key(folder / CA_KEY_FILE)
    if ca is None or ca_key is None or ca.not_valid_after_utc - _now() <= RENEW_BEFORE:
        ca, ca_key = _make_ca(folder)
    names = settings.tls_names()
    current = _load_cert(folder / CERT_FILE)
    created = False
    if not _server_still_good(current, ca, names, _load_key(folder / KEY_FILE) is not None):
        _make_server(folder, names, ca, ca_key)
        created = True
    return TlsFiles(cert=folder / CERT_FILE, key=folder / KEY_FILE, ca=folder / CA_FILE, created=created)


def server_context(files: TlsFiles) -> ssl.SSLContext:
    """The listener's SSLContext (TLS 1.2+; HTTP/1.1 offered by ALPN for WebSocket upgrades)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=str(files.cert), keyfile=str(files.key))
    context.set_alpn_protocols(["http/1.1"])
    return context
