"""A review (审查) or self-inspection (自查) of one unit for one year, as plain data.

Pure pydantic models: the workflow (review/workflow.py) changes them, the seal
(review/seal.py) hashes them, the Django app stores their JSON (one implementation of the
rules, shared/design.md). Vocabulary from shared/domain.md §2 and §8.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from tanjiliang.i18n import pairs, pick

Kind = Literal["review", "self_inspection"]
Role = Literal["enterprise", "reviewer", "regulator", "admin"]
Result = Literal["conforming", "nonconforming", "not_applicable"]
Conclusion = Literal["conforming", "nonconforming"]
State = Literal["opened", "findings_issued", "concluded", "signed", "submitted"]
ActionStatus = Literal["open", "answered", "closed"]

#: The states of each kind, in order; a transition goes to the next one only
#: (JJF(皖)218 ch. 10: preparation → on-site review → non-conformities → correction → result).
STATES: dict[str, tuple[str, ...]] = {
    "review": ("opened", "findings_issued", "concluded", "signed"),
    "self_inspection": ("opened", "submitted"),
}
FROZEN_STATES = ("signed", "submitted")

#: Words of the review (Chinese; the English and any further language from the catalogue,
#: context ``review:<code>``).
LABELS = cast("dict[str, tuple[str, str]]", pairs("review", {
    "conforming": "符合",
    "nonconforming": "不符合",
    "not_applicable": "不适用",
    "pending": "待判定",
    "opened": "进行中",
    "findings_issued": "已出具不符合项",
    "concluded": "已作出结论",
    "signed": "已签发",
    "submitted": "已提交",
    "open": "待整改",
    "answered": "已答复",
    "closed": "已关闭",
    "review": "审查",
    "self_inspection": "自查",
    "auto": "自动判定",
    "attested": "查证",
    "enterprise": "企业",
    "reviewer": "审查员",
    "regulator": "监管部门",
    "admin": "管理员",
}))


def label(code: str | None, lang: str = "zh") -> str:
    key = code or "pending"
    return pick(LABELS.get(key, (code or "", code or "")), lang, f"review:{key}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Actor(_Model):
    """Who does something: a role and a user name (the web app's login)."""

    role: Role
    user: str
    name: str | None = None

    def display(self) -> str:
        return self.name or self.user


class Evidence(_Model):
    """An evidence file: its content is stored elsewhere, its hash is part of the review."""

    id: str
    filename: str
    sha256: str
    size: int
    media_type: str | None = None
    item: str | None = None  # checklist item it supports
    action: str | None = None  # or the corrective action it answers
    uploaded_by: str
    role: Role
    uploaded_at: datetime


class Link(_Model):
    """A finding of the assessment an automatic item was judged from."""

    code: str
    severity: str
    clause: str
    subject: str
    zh: str
    en: str
    data: dict[str, Any] = Field(default_factory=dict)


class ItemResult(_Model):
    item: str
    method: Literal["auto", "attested"]
    applicable: bool = True
    result: Result | None = None
    reason: str | None = None
    auto_result: Result | None = None  # what the assessment gave (kept when overridden)
    auto_reason_zh: str | None = None
    auto_reason_en: str | None = None
    overridden: bool = False
    links: list[Link] = Field(default_factory=list)
    figures: dict[str, Any] = Field(default_factory=dict)
    evidence: list[str] = Field(default_factory=list)  # Evidence ids
    judged_by: str | None = None
    judged_at: datetime | None = None


class Event(_Model):
    at: datetime
    by: str
    role: Role
    what: str
    note: str | None = None


class CorrectiveAction(_Model):
    """整改: assigned by the reviewer, answered by the enterprise, closed by the reviewer."""

    owner: str
    due: date
    status: ActionStatus = "open"
    cause: str | None = None  # the enterprise's cause analysis
    correction: str | None = None  # what it did
    evidence: list[str] = Field(default_factory=list)
    answered_at: datetime | None = None
    verification: str | None = None  # the reviewer's note when closing or rejecting
    closed_by: str | None = None
    closed_at: datetime | None = None
    history: list[Event] = Field(default_factory=list)


class NonConformity(_Model):
    """不符合项: one per item judged 不符合, with its corrective action."""

    id: str
    item: str
    clause: str
    basis: str
    description: str
    description_en: str | None = None  # the same facts in English where generated
    findings: list[str] = Field(default_factory=list)  # finding codes behind it
    action: CorrectiveAction


class AssessmentRef(_Model):
    """What the automatic items were judged from (the assessment stays the one source)."""

    pack_name: str
    pack_version: str
    pack_sha256: str
    as_of: date
    unit_name: str
    unit_year: int
    credit_code: str | None
    sector: str
    region: str | None
    total_tco2e: float
    conclusion: Conclusion
    nonconformities: int
    observations: int
    # The assessment the review was judged (and signed) on, kept whole in the JSON contract
    # and hashed with the review (issue 11); None on records made before it was kept.
    sha256: str | None = None  # SHA-256 of the snapshot's canonical JSON
    snapshot: dict[str, Any] | None = None  # Assessment.to_json("zh")


class Signature(_Model):
    """Who signed, when, the content hash and the signer's Ed25519 signature over the
    canonical content (review/seal.py; docs/security.md "Signatures")."""

    by: str
    name: str
    role: Role
    at: datetime
    sha256: str
    algorithm: str | None = None  # "Ed25519"; None on records sealed by hash only (before 18b)
    key_id: str | None = None  # the signing key's fingerprint (SHA-256 of the raw public key)
    public_key: str | None = None  # raw Ed25519 public key, base64
    value: str | None = None  # the signature, base64


class Review(_Model):
    kind: Kind
    unit: str  # the unit's key in the store (web: its id; files: credit code or name)
    unit_name: str
    year: int
    version: int = 1
    previous_sha256: str | None = None  # the signed version this one amends
    amend_reason: str | None = None
    state: State = "opened"
    checklist_pack: str
    checklist_version: str
    checklist_sha256: str
    assessment: AssessmentRef
    self_inspection_sha256: str | None = None  # the submitted self-inspection reviewed
    opened_by: str
    opened_at: datetime
    reviewers: list[str] = Field(default_factory=list)  # user names allowed to act
    reviewer_names: list[str] = Field(default_factory=list)  # their display names
    items: list[ItemResult]
    nonconformities: list[NonConformity] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    conclusion: Conclusion | None = None
    summary: str | None = None
    history: list[Event] = Field(default_factory=list)
    signature: Signature | None = None

    def result(self, item_id: str) -> ItemResult:
        for r in self.items:
            if r.item == item_id:
                return r
        raise KeyError(item_id)

    def nonconformity(self, nc_id: str) -> NonConformity:
        for n in self.nonconformities:
            if n.id == nc_id:
                return n
        raise KeyError(nc_id)

    def evidence_file(self, ev_id: str) -> Evidence:
        for e in self.evidence:
            if e.id == ev_id:
                return e
        raise KeyError(ev_id)

    @property
    def frozen(self) -> bool:
        return self.state in FROZEN_STATES

    def counts(self) -> dict[str, int]:
        out = {"conforming": 0, "nonconforming": 0, "not_applicable": 0, "pending": 0}
        for r in self.items:
            out[r.result or "pending"] += 1
        return out

    def open_nonconformities(self) -> int:
        return sum(1 for n in self.nonconformities if n.action.status != "closed")
