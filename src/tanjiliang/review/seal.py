"""Content hash of a review: sign-off freezes it (docs/review.md "Sign-off and versions").

The hash covers everything a reader relies on — items, reasons, links, non-conformities,
corrective actions, the evidence files' SHA-256, the conclusion, the assessment and
checklist it was made from, the version and the signer — as canonical JSON (sorted keys, no
whitespace, UTF-8). Verifying a stored review recomputes it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tanjiliang.review.model import Review


def canonical(review: Review) -> bytes:
    data: dict[str, Any] = review.model_dump(mode="json", exclude={"signature": {"sha256"}})
    return json.dumps(data, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def content_hash(review: Review) -> str:
    return hashlib.sha256(canonical(review)).hexdigest()


def verify(review: Review) -> bool:
    """True when a signed review's content still matches its signature's hash."""
    return review.signature is not None and review.signature.sha256 == content_hash(review)
