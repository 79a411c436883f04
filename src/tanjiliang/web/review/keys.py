"""The app's key store: each user who signs gets keys of their own (issue 18 §2;
docs/security.md "Keys").

* An **Ed25519** key signs the review record (review/seal.py).
* A **P-256** key with an X.509 certificate signs the report PDF (pyHanko, PAdES-style CMS):
  Ed25519 in PDF (ISO 32002) is not verified by poppler/NSS or most readers, ECDSA P-256 is.
  The certificate is issued by the app's own authority (one P-256 root per installation,
  downloadable at ``/reviews/keys/root.pem``), so a reader that trusts that root sees who
  signed.

Private keys are encrypted at rest with AES-256-GCM under a key derived by HKDF-SHA256 from
``settings.SIGNING_KEY_SECRET`` (``TANJILIANG_SIGNING_SECRET``, default the server's
``SECRET_KEY``) and a random salt per key; the key id is the associated data, so a ciphertext
moved to another row does not decrypt. The server secret, not the user's password, protects
the keys: a signature is made in a web request without asking for the password again, and a
password reset does not lose the key. A database dump alone does not reveal private keys.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tanjiliang.review.seal import Signer
from tanjiliang.web.review.models import SigningKey

_INFO = b"tanjiliang signing keys v1"
_YEARS = 20


def _kek(salt: bytes) -> AESGCM:
    secret = getattr(settings, "SIGNING_KEY_SECRET", "") or settings.SECRET_KEY
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(
        secret.encode("utf-8"))
    return AESGCM(key)


def encrypt(plain: bytes, aad: str) -> str:
    salt, nonce = os.urandom(16), os.urandom(12)
    ct = _kek(salt).encrypt(nonce, plain, aad.encode("utf-8"))
    return "v1:" + base64.b64encode(salt + nonce + ct).decode("ascii")


class KeyUnusable(InvalidTag):
    """A stored private key the current secret does not open: ``TANJILIANG_SIGNING_SECRET``
    (or the ``SECRET_KEY`` it defaults to) changed since the key was made. What the key
    signed still verifies (the public key and certificate are stored in clear); it cannot
    sign again, and its user replaces it (``/keys/``)."""


def decrypt(token: str, aad: str) -> bytes:
    if not token.startswith("v1:"):
        raise ValueError("unknown key encryption")
    raw = base64.b64decode(token[3:])
    try:
        return _kek(raw[:16]).decrypt(raw[16:28], raw[28:], aad.encode("utf-8"))
    except InvalidTag:
        raise KeyUnusable(aad) from None


def _der(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _name(common: str, user: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "tanjiliang 碳计量"),
             x509.NameAttribute(NameOID.COMMON_NAME, common[:64])]
    if user:
        attrs.append(x509.NameAttribute(NameOID.USER_ID, user[:64]))
    return x509.Name(attrs)


def _authority(issuing: bool = False) -> SigningKey:
    """The installation's root (created on first use): the newest one. To issue a
    certificate (``issuing``) its key must open; after a change of the server's secret it no
    longer does, and a new root is made for the keys users make from then on (the old roots
    stay, so the certificates they issued still chain)."""
    ca = SigningKey.objects.filter(purpose="ca").order_by("-id").first()
    if ca is not None and issuing:
        try:
            decrypt(ca.certificate_key, ca.key_id)
        except KeyUnusable:
            ca = None
    if ca is not None:
        return ca
    key = ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    name = _name("tanjiliang 审查签名根证书 / review signing root")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365 * _YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    kid = "ca-" + hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()[:61]
    return SigningKey.objects.create(
        purpose="ca", key_id=kid,
        certificate=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        certificate_key=encrypt(_der(key), kid))


def root_pem() -> str:
    """The installation's roots, newest first (more than one once the server's secret has
    changed: the old roots still vouch for the certificates they issued)."""
    newest = _authority()
    older = SigningKey.objects.filter(purpose="ca").exclude(pk=newest.pk).order_by("-id")
    return "".join(c.certificate for c in [newest, *older])


def _display(user: AbstractBaseUser) -> str:
    full = getattr(user, "get_full_name", lambda: "")() or ""
    return full or user.get_username()


def _create(user: AbstractBaseUser) -> SigningKey:
    ca = _authority(issuing=True)
    ca_key = serialization.load_der_private_key(decrypt(ca.certificate_key, ca.key_id), None)
    ca_cert = x509.load_pem_x509_certificate(ca.certificate.encode("ascii"))
    signer = Signer.generate()
    pdf_key = ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    cert = (x509.CertificateBuilder()
            .subject_name(_name(_display(user), user.get_username()))
            .issuer_name(ca_cert.subject).public_key(pdf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365 * _YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_cert.public_key()), critical=False)  # type: ignore[arg-type]
            .sign(ca_key, hashes.SHA256()))  # type: ignore[arg-type]
    priv = signer.private_key.private_bytes(serialization.Encoding.Raw,
                                            serialization.PrivateFormat.Raw,
                                            serialization.NoEncryption())
    return SigningKey.objects.create(
        user=user, purpose="user", key_id=signer.key_id, public_key=signer.public_b64,
        private_key=encrypt(priv, signer.key_id),
        certificate=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        certificate_key=encrypt(_der(pdf_key), signer.key_id))


def key_of(user: AbstractBaseUser) -> SigningKey:
    """The user's current keys, made on first use."""
    found = SigningKey.objects.filter(user=user, replaced__isnull=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _create(user)
    except IntegrityError:  # made by a concurrent request
        return SigningKey.objects.get(user=user, replaced__isnull=True)


def signer_of(user: AbstractBaseUser) -> Signer:
    k = key_of(user)
    raw = decrypt(k.private_key, k.key_id)
    return Signer(Ed25519PrivateKey.from_private_bytes(raw))


def trusted(username: str, key_id: str, at: dt.datetime | None = None) -> bool:
    """Whether ``key_id`` was the registered key of the user named ``username`` at ``at`` (a
    replaced key still vouches for what it signed before it was replaced, not after)."""
    qs = SigningKey.objects.filter(purpose="user", key_id=key_id, user__username=username)
    if at is not None:
        qs = qs.filter(Q(replaced__isnull=True) | Q(replaced__gt=at))
    return qs.exists()


def _issued_by(cert: x509.Certificate, root: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def sign_pdf(pdf: bytes, user_name: str, key_id: str, *, reason: str,
             location: str = "") -> bytes:
    """Add a standard PDF signature (CMS, ECDSA P-256 / SHA-256) made with the certificate key
    kept with the Ed25519 key ``key_id`` that signed the review, of the user named
    ``user_name``; the certificate chain is embedded."""
    from asn1crypto import keys as akeys
    from asn1crypto import x509 as ax509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    k = SigningKey.objects.filter(purpose="user", user__username=user_name,
                                  key_id=key_id).first()
    if k is None:
        raise LookupError(f"no signing key {key_id} for {user_name}")
    private = akeys.PrivateKeyInfo.load(decrypt(k.certificate_key, k.key_id))
    mine = x509.load_pem_x509_certificate(k.certificate.encode())
    cert = ax509.Certificate.load(mine.public_bytes(serialization.Encoding.DER))
    # the root that issued this certificate (one per secret the installation has had)
    roots = [x509.load_pem_x509_certificate(ca.certificate.encode())
             for ca in SigningKey.objects.filter(purpose="ca").order_by("-id")] or \
        [x509.load_pem_x509_certificate(_authority().certificate.encode())]
    issuer = next((r for r in roots if _issued_by(mine, r)), roots[0])
    root = ax509.Certificate.load(issuer.public_bytes(serialization.Encoding.DER))
    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=private,
        cert_registry=SimpleCertificateStore.from_certs([root]))
    meta = signers.PdfSignatureMetadata(field_name="ReviewSignature", reason=reason,
                                        location=location or None, md_algorithm="sha256")
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)
    return out.getvalue()  # type: ignore[no-any-return]
