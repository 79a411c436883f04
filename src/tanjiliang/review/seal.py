"""Sign-off of a review: content hash and the signer's Ed25519 signature (issue 18 §2;
docs/review.md "Sign", docs/security.md "Signatures").

The hash covers everything a reader relies on — items, reasons, links, non-conformities,
corrective actions, the evidence files' SHA-256, the conclusion, the assessment and
checklist it was made from, the version, the history and the signer (name, role, time, key)
— as canonical JSON (sorted keys, no whitespace, UTF-8). The signer's Ed25519 private key
signs the same bytes, so recomputing the hash after an edit no longer verifies: only the key's
holder can sign again. Which key belongs to which person is the store's business (the web app
registers one key per user); :func:`check` takes the trusted keys as an argument.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from tanjiliang.review.model import Review, Signature

ALGORITHM = "Ed25519"
#: Fields of the signature that the signed bytes cannot contain (they are made from them).
_OUTSIDE = ("sha256", "value")
#: Fields added with key signatures; left out when empty so that records sealed by hash alone
#: (before keys) still hash as they did.
_OPTIONAL = ("algorithm", "key_id", "public_key")


def canonical(review: Review) -> bytes:
    data: dict[str, Any] = review.model_dump(mode="json")
    ref = data.get("assessment")
    if isinstance(ref, dict):  # the assessment snapshot (issue 11): absent on older records
        for k in ("sha256", "snapshot"):
            if ref.get(k) is None:
                ref.pop(k, None)
    sig = data.get("signature")
    if isinstance(sig, dict):
        for k in _OUTSIDE:
            sig.pop(k, None)
        for k in _OPTIONAL:
            if sig.get(k) is None:
                sig.pop(k, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def content_hash(review: Review) -> str:
    return hashlib.sha256(canonical(review)).hexdigest()


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_raw: bytes) -> str:
    """A key's identifier: SHA-256 of the raw 32-byte public key, hex."""
    return hashlib.sha256(public_raw).hexdigest()


@dataclass(frozen=True)
class Signer:
    """An Ed25519 private key in hand (the web app decrypts it from its key store)."""

    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())

    @property
    def public_raw(self) -> bytes:
        return raw_public(self.private_key.public_key())

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode("ascii")

    @property
    def key_id(self) -> str:
        return fingerprint(self.public_raw)

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self.private_key.sign(data)).decode("ascii")


def seal(review: Review, signer: Signer, signature: Signature) -> Signature:
    """Put ``signature`` (who, when) on ``review`` with the signer's key, hash and sign."""
    review.signature = signature.model_copy(update={
        "algorithm": ALGORITHM, "key_id": signer.key_id, "public_key": signer.public_b64,
        "sha256": "", "value": None})
    data = canonical(review)
    review.signature = review.signature.model_copy(update={
        "sha256": hashlib.sha256(data).hexdigest(), "value": signer.sign(data)})
    return review.signature


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`check`, with its reason in Chinese and English."""

    ok: bool
    zh: str
    en: str
    sha256: str = ""
    key_id: str = ""

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


#: ``trusted(user, key_id, at)`` → whether that key was the user's registered signing key at
#: the time of signing.
Trust = Callable[[str, str, datetime], bool]


def check(review: Review, trusted: Trust | None = None) -> Verification:
    """Verify a signed review: the hash matches its content, the Ed25519 signature over the
    content verifies with the key it names, and (when ``trusted`` is given) that key is the
    signer's registered key. Without ``trusted`` only integrity is established: anyone can
    make a key, so the key id must be compared with the signer's (docs/security.md)."""
    s = review.signature
    if s is None:
        return Verification(False, "未签发", "not signed")
    actual = content_hash(review)
    if actual != s.sha256:
        return Verification(False, f"内容与签名不一致：记录的摘要 {s.sha256}，实际 {actual}",
                            f"content does not match the signature: recorded {s.sha256}, "
                            f"actual {actual}", actual, s.key_id or "")
    if s.algorithm != ALGORITHM or not s.public_key or not s.value or not s.key_id:
        return Verification(False, "只有内容摘要，没有签名密钥的签名（任何人都能重算摘要）",
                            "a content hash only, without a key signature (anyone can "
                            "recompute a hash)", actual)
    try:
        raw = base64.b64decode(s.public_key, validate=True)
        sig = base64.b64decode(s.value, validate=True)
        if fingerprint(raw) != s.key_id:
            raise ValueError("key id")
        Ed25519PublicKey.from_public_bytes(raw).verify(sig, canonical(review))
    except (InvalidSignature, ValueError, binascii.Error):
        return Verification(False, "签名无效：内容在签发后被改动或签名被伪造",
                            "invalid signature: the content was changed after signing or "
                            "the signature is forged", actual, s.key_id)
    if trusted is not None and not trusted(s.by, s.key_id, s.at):
        return Verification(False, f"签名密钥 {s.key_id[:16]}… 不是 {s.by} 登记的密钥",
                            f"signing key {s.key_id[:16]}… is not the key registered for "
                            f"{s.by}", actual, s.key_id)
    who = f"{s.name}（{s.by}）"
    return Verification(True, f"签名有效：{who}，密钥 {s.key_id[:16]}…，摘要 {actual}",
                        f"signature valid: {s.name} ({s.by}), key {s.key_id[:16]}…, "
                        f"hash {actual}", actual, s.key_id)


def verify(review: Review, trusted: Trust | None = None) -> bool:
    """True when a signed review carries a valid key signature over its unchanged content."""
    return check(review, trusted).ok
