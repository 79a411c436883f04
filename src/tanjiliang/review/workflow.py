"""The review workflow as a state machine (JJF(皖)218-2025 ch. 10, shared/domain.md §8).

Review: ``opened`` (automatic items pre-filled from the assessment; the reviewer judges the
attested ones) → ``findings_issued`` (every 不符合 item becomes a non-conformity with a
corrective action the enterprise answers and the reviewer closes or sends back) →
``concluded`` (the conclusion follows the checklist's rule) → ``signed`` (content hash; frozen).
Self-inspection (自查): ``opened`` → ``submitted`` (frozen), by the enterprise, with the same
checklist, before the review. No state can be skipped; a signed review is changed only by
:func:`amend`, which makes a new version and leaves the signed one as it was.

Who may do what is one table (:data:`ACTIONS`); every function checks it first, so the web
app and the CLI cannot differ.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tanjiliang.assess.result import Assessment
from tanjiliang.i18n import gettext
from tanjiliang.review import auto
from tanjiliang.review.checklist import LoadedChecklist
from tanjiliang.review.model import (
    STATES,
    Actor,
    CorrectiveAction,
    Event,
    Evidence,
    ItemResult,
    NonConformity,
    Result,
    Review,
    Signature,
    label,
)
from tanjiliang.review.seal import Signer, seal

#: The catalogue's context of the refusals' messages.
ERROR_CONTEXT = "review.error"


class ReviewError(Exception):
    """A refused step. The message is written in Chinese, a ``str.format`` template filled from
    ``fields``; the English (and any further language) comes from the catalogue, context
    ``review.error`` (issue 13). ``en`` is given only where the sweep has not yet moved it."""

    def __init__(self, zh: str, en: str | None = None, /, **fields: object) -> None:
        self.template, self.fields = zh, fields
        self.zh = zh.format(**fields) if fields else zh
        self.en = self._fill(en if en is not None else gettext(zh, "en", ERROR_CONTEXT))
        super().__init__(self.en)

    def _fill(self, text: str) -> str:
        return text.format(**self.fields) if self.fields else text

    def message(self, lang: str = "zh") -> str:
        if lang in ("zh", "en"):
            return self.zh if lang == "zh" else self.en
        text = gettext(self.template, lang, ERROR_CONTEXT)
        return self._fill(text) if text != self.template else self.en


class Forbidden(ReviewError):
    """The actor's role may not do this."""


class Frozen(ReviewError):
    """The review is signed (or the self-inspection submitted): only a new version may change it."""


class StateError(ReviewError):
    """The step does not follow from the current state (no skipping)."""


class Incomplete(ReviewError):
    """The step's preconditions are not met (items pending, answers undecided, …)."""


#: action → kind → (role allowed, states allowed)
ACTIONS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "judge": {"review": ("reviewer", ("opened",)),
              "self_inspection": ("enterprise", ("opened",))},
    "refresh": {"review": ("reviewer", ("opened",)),
                "self_inspection": ("enterprise", ("opened",))},
    "evidence_item": {"review": ("reviewer", ("opened",)),
                      "self_inspection": ("enterprise", ("opened",))},
    "issue_findings": {"review": ("reviewer", ("opened",))},
    "assign_action": {"review": ("reviewer", ("findings_issued",))},
    "answer_action": {"review": ("enterprise", ("findings_issued",))},
    "evidence_action": {"review": ("enterprise", ("findings_issued",))},
    "close_action": {"review": ("reviewer", ("findings_issued",))},
    "reject_action": {"review": ("reviewer", ("findings_issued",))},
    "conclude": {"review": ("reviewer", ("findings_issued",))},
    "sign": {"review": ("reviewer", ("concluded",))},
    "submit": {"self_inspection": ("enterprise", ("opened",))},
    "amend": {"review": ("reviewer", ("signed",)),
              "self_inspection": ("enterprise", ("submitted",))},
}


def _check(review: Review, actor: Actor, action: str) -> None:
    rule = ACTIONS[action].get(review.kind)
    if rule is None:
        raise StateError("{kind_label}不支持此操作（{action}）",
                         kind_label=label(review.kind), kind=review.kind, action=action)
    role, states = rule
    if review.frozen and action != "amend":
        raise Frozen("审查已签发（或自查已提交），不能修改；如需修改请生成新版本")
    if actor.role != role:
        raise Forbidden("{actor_label}无权执行此操作（仅限{role_label}）", actor=actor.role,
                        actor_label=label(actor.role), role=role, role_label=label(role))
    if actor.role == "reviewer" and review.reviewers and actor.user not in review.reviewers:
        raise Forbidden("您不是本次审查的审查员")
    if review.state not in states:
        want = "、".join(label(s) for s in states)
        raise StateError("当前状态为“{state_label}”，此操作需在“{want}”状态下进行",
                         state=review.state, state_label=label(review.state), want=want,
                         states=", ".join(states))


def allowed(review: Review, actor: Actor, action: str) -> bool:
    """Whether ``actor`` may take ``action`` now (the web app shows buttons from this)."""
    try:
        _check(review, actor, action)
    except ReviewError:
        return False
    return True


def _event(review: Review, actor: Actor, what: str, at: datetime, note: str | None = None) -> None:
    review.history.append(Event(at=at, by=actor.user, role=actor.role, what=what, note=note))


def _advance(review: Review, to: str) -> None:
    order = STATES[review.kind]
    i = order.index(review.state)
    if i + 1 >= len(order) or order[i + 1] != to:
        raise StateError("不能从“{state_label}”直接进入“{to_label}”",
                         state=review.state, state_label=label(review.state), to=to,
                         to_label=label(to))
    review.state = to  # type: ignore[assignment]


# --------------------------------------------------------------------------------- opening

def _new(kind: str, actor: Actor, unit: str, checklist: LoadedChecklist, a: Assessment,
         at: datetime, reviewers: list[str] | None = None) -> Review:
    review = Review(
        kind=kind,
        unit=unit, unit_name=a.unit_name, year=a.unit_year,
        checklist_pack=checklist.name, checklist_version=checklist.version,
        checklist_sha256=checklist.sha256, assessment=auto.assessment_ref(a),
        opened_by=actor.user, opened_at=at, reviewers=reviewers or [],
        items=auto.prefill(checklist.checklist, a))
    _event(review, actor, "opened", at)
    return review


def open_self_inspection(actor: Actor, unit: str, checklist: LoadedChecklist, a: Assessment,
                         at: datetime) -> Review:
    """The enterprise's self-inspection with the same checklist (domain.md §7, §8)."""
    if actor.role != "enterprise":
        raise Forbidden("仅企业可以开展自查")
    return _new("self_inspection", actor, unit, checklist, a, at)


def open_review(actor: Actor, unit: str, checklist: LoadedChecklist, a: Assessment,
                at: datetime, self_inspection: Review | None = None,
                reviewers: list[str] | None = None,
                reviewer_names: list[str] | None = None) -> Review:
    """A reviewer opens the review of a unit for the assessment's year.

    The checklist's procedure decides whether a submitted self-inspection must come first.
    """
    if actor.role != "reviewer":
        raise Forbidden("仅审查员可以开启审查")
    required = checklist.checklist.procedure.self_inspection_required.value
    if self_inspection is not None and (self_inspection.kind != "self_inspection"
                                        or self_inspection.unit != unit
                                        or self_inspection.year != a.unit_year):
        raise Incomplete("自查记录与被审查单位或年度不一致")
    if required and (self_inspection is None or self_inspection.state != "submitted"):
        raise Incomplete("企业尚未提交本年度自查，审查不能开始")
    review = _new("review", actor, unit, checklist, a, at,
                  reviewers=reviewers if reviewers is not None else [actor.user])
    review.reviewer_names = reviewer_names or ([actor.display()] if reviewers is None else [])
    if self_inspection is not None and self_inspection.signature is not None:
        review.self_inspection_sha256 = self_inspection.signature.sha256
    return review


def refresh(review: Review, actor: Actor, checklist: LoadedChecklist, a: Assessment,
            at: datetime) -> Review:
    """Re-judge the automatic items from a newer assessment (overrides are kept)."""
    _check(review, actor, "refresh")
    fresh = {r.item: r for r in auto.prefill(checklist.checklist, a)}
    for i, old in enumerate(review.items):
        new = fresh[old.item]
        if old.method == "attested" or old.overridden:
            old.links, old.figures = new.links, new.figures
            old.auto_result = new.auto_result
            old.auto_reason_zh, old.auto_reason_en = new.auto_reason_zh, new.auto_reason_en
            if not new.applicable and old.result is None:
                old.result, old.applicable = "not_applicable", False
            continue
        new.evidence = old.evidence
        review.items[i] = new
    review.assessment = auto.assessment_ref(a)
    _event(review, actor, "refreshed", at, f"{a.pack_name} {a.as_of.isoformat()}")
    return review


# ------------------------------------------------------------------------------- judging

def judge_item(review: Review, actor: Actor, item_id: str, result: Result, reason: str,
               at: datetime) -> ItemResult:
    """Record 符合 / 不符合 / 不适用 with a reason. Overriding an automatic result needs a
    reason too; the automatic result stays recorded next to it."""
    _check(review, actor, "judge")
    try:
        r = review.result(item_id)
    except KeyError:
        raise Incomplete("检查表中没有条目 {item}", item=item_id) from None
    if result not in ("conforming", "nonconforming", "not_applicable"):
        raise Incomplete("无效的结果：{result}", result=result)
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete("条目 {item}：请填写判定理由", item=item_id)
    r.overridden = r.method == "auto" and r.auto_result is not None and result != r.auto_result
    r.result, r.reason = result, reason
    r.judged_by, r.judged_at = actor.user, at
    _event(review, actor, "judged", at, f"{item_id}: {result}")
    return r


def judge_pending(review: Review, actor: Actor, reason: str, at: datetime) -> list[ItemResult]:
    """Judge every item still pending 符合 with one reason (what was seen on site, or the
    enterprise's own check); items already judged keep their result."""
    return [judge_item(review, actor, r.item, "conforming", reason, at)
            for r in review.items if r.result is None]


def add_evidence(review: Review, actor: Actor, evidence: Evidence, at: datetime) -> Evidence:
    """Attach an evidence file (metadata and SHA-256) to an item or a corrective action."""
    if evidence.action is not None:
        _check(review, actor, "evidence_action")
        try:
            nc = review.nonconformity(evidence.action)
        except KeyError:
            raise Incomplete("没有不符合项 {nc}",
                             nc=evidence.action) from None
        if nc.action.status != "open":
            raise StateError("整改已答复或已关闭，不能再添加证据")
    else:
        _check(review, actor, "evidence_item")
        if evidence.item is None:
            raise Incomplete("证据须关联检查条目或整改措施")
        review.result(evidence.item)
    if any(e.id == evidence.id for e in review.evidence):
        raise Incomplete("证据编号重复：{id}", id=evidence.id)
    evidence = evidence.model_copy(update={"uploaded_by": actor.user, "role": actor.role})
    review.evidence.append(evidence)
    if evidence.item is not None:
        review.result(evidence.item).evidence.append(evidence.id)
    else:
        review.nonconformity(evidence.action or "").action.evidence.append(evidence.id)
    _event(review, actor, "evidence", at, f"{evidence.filename} {evidence.sha256[:12]}")
    return evidence


def _pending(review: Review) -> list[str]:
    return [r.item for r in review.items if r.result is None]


# --------------------------------------------------------------------- non-conformities

def issue_findings(review: Review, actor: Actor, checklist: LoadedChecklist, owner: str,
                   at: datetime, due: date | None = None) -> list[NonConformity]:
    """Every item judged 不符合 becomes a non-conformity with a corrective action (owner,
    due date; default due: the checklist's corrective-action period)."""
    _check(review, actor, "issue_findings")
    pending = _pending(review)
    if pending:
        raise Incomplete("尚有 {n} 个条目未判定：{pending_zh}",
                         n=len(pending), pending_zh="、".join(pending), pending=", ".join(pending))
    if not owner.strip():
        raise Incomplete("请指定整改责任人")
    days = checklist.checklist.procedure.corrective_action_days.value
    due = due or (at.date() + timedelta(days=days))
    existing = {n.item: n for n in review.nonconformities}
    numbers = [int(n.id.split("-")[1]) for n in review.nonconformities]
    nxt = max(numbers, default=0) + 1
    out: list[NonConformity] = []
    for r in review.items:
        if r.result != "nonconforming":
            continue
        if r.item in existing:
            out.append(existing[r.item])
            continue
        item = checklist.checklist.item(r.item)
        own = r.overridden or r.method == "attested"
        bad = [lk for lk in r.links if lk.severity == "nonconformity"][:20]
        pack_name = review.assessment.pack_name
        lines = [(r.reason if own else r.auto_reason_zh) or "",
                 *[auto.fact_line(lk.subject, lk.zh, pack_name, "zh") for lk in bad]]
        lines_en = [(r.reason if own else r.auto_reason_en) or "",
                    *[auto.fact_line(lk.subject, lk.en, pack_name, "en") for lk in bad]]
        out.append(NonConformity(
            id=f"NC-{nxt:02d}", item=r.item, clause=item.clause, basis=item.basis,
            description="\n".join(x for x in lines if x),
            description_en="\n".join(x for x in lines_en if x),
            findings=sorted({lk.code for lk in r.links if lk.severity == "nonconformity"}),
            action=CorrectiveAction(owner=owner, due=due)))
        nxt += 1
    out.sort(key=lambda n: int(n.id.split("-")[1]))
    dropped = [n.id for n in review.nonconformities if n not in out]
    review.nonconformities = out
    _advance(review, "findings_issued")
    _event(review, actor, "findings_issued", at,
           f"{len(out)}" + (f"; withdrawn {', '.join(dropped)}" if dropped else ""))
    return out


def assign_action(review: Review, actor: Actor, nc_id: str, owner: str, due: date,
                  at: datetime) -> CorrectiveAction:
    _check(review, actor, "assign_action")
    a = _action(review, nc_id)
    if a.status == "closed":
        raise StateError("整改已关闭")
    a.owner, a.due = owner, due
    a.history.append(Event(at=at, by=actor.user, role=actor.role, what="assigned",
                           note=f"{owner} {due.isoformat()}"))
    return a


def _action(review: Review, nc_id: str) -> CorrectiveAction:
    try:
        return review.nonconformity(nc_id).action
    except KeyError:
        raise Incomplete("没有不符合项 {nc}", nc=nc_id) from None


def answer_action(review: Review, actor: Actor, nc_id: str, cause: str, correction: str,
                  at: datetime) -> CorrectiveAction:
    """The enterprise answers a non-conformity: cause analysis and what it corrected."""
    _check(review, actor, "answer_action")
    a = _action(review, nc_id)
    if a.status != "open":
        raise StateError("整改状态为“{status_label}”，不能答复",
                         status=a.status, status_label=label(a.status))
    if not cause.strip() or not correction.strip():
        raise Incomplete("请填写原因分析和整改措施")
    a.cause, a.correction, a.answered_at = cause.strip(), correction.strip(), at
    a.status = "answered"
    a.history.append(Event(at=at, by=actor.user, role=actor.role, what="answered"))
    return a


def close_action(review: Review, actor: Actor, nc_id: str, verification: str,
                 at: datetime) -> CorrectiveAction:
    """The reviewer verifies the correction and closes the non-conformity."""
    _check(review, actor, "close_action")
    a = _action(review, nc_id)
    if a.status != "answered":
        raise StateError("企业尚未答复，不能关闭")
    if not verification.strip():
        raise Incomplete("请填写验证情况")
    a.status, a.verification, a.closed_by, a.closed_at = "closed", verification.strip(), \
        actor.user, at
    a.history.append(Event(at=at, by=actor.user, role=actor.role, what="closed",
                           note=verification))
    return a


def reject_action(review: Review, actor: Actor, nc_id: str, verification: str,
                  at: datetime) -> CorrectiveAction:
    """The reviewer sends an answer back: the action is open again."""
    _check(review, actor, "reject_action")
    a = _action(review, nc_id)
    if a.status != "answered":
        raise StateError("企业尚未答复")
    if not verification.strip():
        raise Incomplete("请说明退回理由")
    a.status, a.verification = "open", verification.strip()
    a.history.append(Event(at=at, by=actor.user, role=actor.role, what="rejected",
                           note=verification))
    return a


# ---------------------------------------------------------------------- conclusion, seal

def conclusion_of(review: Review, rule: str) -> str:
    """The checklist's conclusion rule (binary per unit, domain.md §8)."""
    if rule == "any_open_nonconformity" and review.kind == "review":
        bad = review.open_nonconformities() > 0
    else:
        bad = any(r.result == "nonconforming" for r in review.items)
    return "nonconforming" if bad else "conforming"


def conclude(review: Review, actor: Actor, checklist: LoadedChecklist, summary: str,
             at: datetime) -> str:
    _check(review, actor, "conclude")
    waiting = [n.id for n in review.nonconformities if n.action.status == "answered"]
    if waiting:
        raise Incomplete("以下整改已答复但未验证：{waiting_zh}",
                         waiting_zh="、".join(waiting), waiting=", ".join(waiting))
    review.conclusion = conclusion_of(review, checklist.checklist.conclusion.rule.value)  # type: ignore[assignment]
    review.summary = summary.strip() or None
    _advance(review, "concluded")
    _event(review, actor, "concluded", at, review.conclusion)
    return review.conclusion  # type: ignore[return-value]


def _seal(review: Review, actor: Actor, at: datetime, signer: Signer) -> Signature:
    return seal(review, signer, Signature(by=actor.user, name=actor.display(), role=actor.role,
                                          at=at, sha256=""))


def sign(review: Review, actor: Actor, at: datetime, signer: Signer) -> Signature:
    """Sign-off: the review is frozen under its content hash, signed with the reviewer's
    Ed25519 key (``signer``; review/seal.py)."""
    _check(review, actor, "sign")
    _advance(review, "signed")
    _event(review, actor, "signed", at)
    return _seal(review, actor, at, signer)


def submit(review: Review, actor: Actor, checklist: LoadedChecklist, at: datetime,
           signer: Signer) -> Signature:
    """The enterprise submits its self-inspection (frozen and signed like a review, with the
    submitting user's key)."""
    _check(review, actor, "submit")
    pending = _pending(review)
    if pending:
        raise Incomplete("尚有 {n} 个条目未判定：{pending_zh}",
                         n=len(pending), pending_zh="、".join(pending), pending=", ".join(pending))
    review.conclusion = conclusion_of(review, checklist.checklist.conclusion.rule.value)  # type: ignore[assignment]
    _advance(review, "submitted")
    _event(review, actor, "submitted", at, review.conclusion)
    return _seal(review, actor, at, signer)


def amend(review: Review, actor: Actor, reason: str, at: datetime) -> Review:
    """A later edit of a signed review: a new version, opened again, pointing at the signed
    one's hash. The signed version is not touched (the caller keeps both)."""
    _check(review, actor, "amend")
    if not reason.strip():
        raise Incomplete("请说明修改原因")
    assert review.signature is not None
    new = review.model_copy(deep=True)
    new.version = review.version + 1
    new.previous_sha256 = review.signature.sha256
    new.amend_reason = reason.strip()
    new.state = "opened"
    new.signature = None
    new.conclusion = None
    _event(new, actor, "amended", at, reason)
    return new
