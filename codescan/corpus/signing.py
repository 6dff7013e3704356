"""Sign and check a manifest statement with a user's key: Ed25519 (PEM, needs `cryptography`) or HMAC-SHA256."""
from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path

from ..errors import CodescanError


class SigningKeyError(CodescanError):
    """A key file that cannot be read or used."""


def _read(path: str) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"{path}: cannot read key: {exc.strerror or exc}") from None
    if not data.strip():
        raise SigningKeyError(f"{path}: key file is empty")
    return data


def _pem_key(data: bytes):
    """An Ed25519 private or public key from PEM bytes; None when the bytes are not PEM."""
    if b"-----BEGIN" not in data:
        return None
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:
        raise SigningKeyError("a PEM key needs the `cryptography` package; install it or use a secret key file "
                        "(HMAC-SHA256)") from None
    try:
        if b"PRIVATE KEY" in data:
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"not a usable PEM key: {exc}") from None
    if not isinstance(key, (ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey)):
        raise SigningKeyError("only Ed25519 PEM keys are supported (or a secret key file for HMAC-SHA256)")
    return key


def _key_id(material: bytes) -> str:
    return hashlib.sha256(material).hexdigest()[:16]


def sign(statement: bytes, key_path: str) -> dict:
    """{"algorithm", "key_id", "value"} over the statement bytes."""
    data = _read(key_path)
    key = _pem_key(data)
    if key is None:
        secret = data.strip()
        mac = hmac.new(secret, statement, hashlib.sha256).digest()
        return {"algorithm": "hmac-sha256", "key_id": _key_id(b"hmac\0" + secret),
                "value": base64.b64encode(mac).decode("ascii")}
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise SigningKeyError(f"{key_path}: signing needs the private key, this is a public key")
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"algorithm": "ed25519", "key_id": _key_id(public),
            "value": base64.b64encode(key.sign(statement)).decode("ascii")}


def check(statement: bytes, signature: dict, key_path: str) -> str | None:
    """None when the signature is good, else what is wrong."""
    data = _read(key_path)
    algorithm = signature.get("algorithm")
    try:
        value = base64.b64decode(signature.get("value", ""), validate=True)
    except ValueError:
        return "signature value is not base64"
    if algorithm == "hmac-sha256":
        if _pem_key(data) is not None:
            return "manifest is HMAC-signed but the key given is a PEM key"
        mac = hmac.new(data.strip(), statement, hashlib.sha256).digest()
        return None if hmac.compare_digest(mac, value) else "signature does not match (HMAC-SHA256)"
    if algorithm == "ed25519":
        key = _pem_key(data)
        if key is None:
            return "manifest is Ed25519-signed; give the PEM public (or private) key"
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric import ed25519

        public = key.public_key() if isinstance(key, ed25519.Ed25519PrivateKey) else key
        try:
            public.verify(value, statement)
        except InvalidSignature:
            return "signature does not match (Ed25519)"
        return None
    return f"unknown signature algorithm {algorithm!r}"
