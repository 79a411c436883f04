"""Automatic checklist items judged from an assessment (shared/domain.md §8: "automatic from
the data"). The review never re-derives a rule: it reads the assessment's finding codes and
figures (shared/design.md "Findings") and keeps them as the item's links.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from tanjiliang.assess.result import Assessment
from tanjiliang.review.checklist import Checklist, Item
from tanjiliang.review.model import AssessmentRef, ItemResult, Link


def assessment_sha256(snapshot: dict[str, Any]) -> str:
    """SHA-256 of an assessment's JSON contract as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assessment_ref(a: Assessment) -> AssessmentRef:
    """What the review is judged on, with the whole assessment kept (issue 11: a signed review
    keeps the assessment it was signed on; the snapshot is part of the signed content)."""
    snapshot = json.loads(json.dumps(a.to_json("zh"), ensure_ascii=False, default=str))
    return AssessmentRef(
        pack_name=a.pack_name, pack_version=a.pack_version, pack_sha256=a.pack_sha256,
        as_of=a.as_of, unit_name=a.unit_name, unit_year=a.unit_year,
        credit_code=a.credit_code, sector=a.sector, region=a.region,
        total_tco2e=a.total_tco2e, conclusion=a.conclusion,
        nonconformities=len(a.nonconformities()), observations=len(a.observations()),
        sha256=assessment_sha256(snapshot), snapshot=snapshot)


def condition(a: Assessment, name: str) -> bool:
    """The named conditions of ``applies`` (review/checklist.py CONDITIONS)."""
    if name.startswith("sector:"):
        return a.sector == name.split(":", 1)[1]
    if name == "measurement_method":
        return any(s.method == "measurement" for s in a.streams)
    if name == "measured_parameters":
        return any(p.source == "measured" for s in a.streams for p in s.parameters)
    if name == "key_emission_unit":
        return a.key_emission_unit
    if name == "has_subunits":
        return any(p.kind == "subunit" for p in a.places)
    if name == "has_management":
        return not any(f.code == "MGMT-NOT-ASSESSED" for f in a.findings)
    raise KeyError(name)


def figures(a: Assessment, name: str) -> Any:
    """The named figure sets an item links to (review/checklist.py FIGURES)."""
    if name == "emissions":
        return {"total_tco2e": a.total_tco2e, "biogenic_tco2": a.biogenic_tco2,
                "key_emission_unit": a.key_emission_unit,
                "installation_category": a.installation_category,
                "streams": {s.id: round(s.emissions_tco2e, 3) for s in a.streams},
                **({"reported_apart": a.totals["reported_apart"]} if a.totals.get("reported_apart") else {})}
    if name == "equipping_rates":
        return [{"medium": r.medium, "level": r.level, "required": r.required,
                 "equipped": r.equipped, "rate_percent": r.rate_percent,
                 "required_percent": r.required_percent, "meets": r.meets} for r in a.rates]
    if name == "accuracy":
        c = Counter("ok" if i.accuracy_ok else "not_ok" if i.accuracy_ok is False else "n/a"
                    for i in a.instruments)
        return {"ok": c["ok"], "not_ok": c["not_ok"], "not_required_or_unknown": c["n/a"]}
    if name == "tiers":
        return [{"stream": s.id, "class": s.cls, "tier_required": s.tier_required,
                 "tier_achieved": s.tier_achieved,
                 "uncertainty_percent": s.uncertainty_percent,
                 **({"lower_tier": s.lower_tier} if s.lower_tier else {})} for s in a.streams]
    if name == "calibration":
        c = Counter(i.calibration_status for i in a.instruments)
        return {k: c[k] for k in ("valid", "due_soon", "overdue", "out_of_service", "unknown")}
    if name == "instruments":
        c = Counter(i.status for i in a.instruments)
        return {"total": len(a.instruments), **{k: c[k] for k in
                ("in_use", "standby", "out_of_service")}}
    if name == "points":
        req = [p for p in a.points if p.required]
        c = Counter(p.status for p in req)
        return {"required": len(req), **{k: c[k] for k in
                ("conforming", "nonconforming", "missing")}}
    raise KeyError(name)


def _condition(cond: str, lang: str) -> str:
    """An applicability condition in words (issue 13)."""
    from tanjiliang.assess.labels import label

    kind, _, sector = cond.partition(":")
    if kind == "sector" and sector:
        return label("condition", "sector", lang) + label("sector", sector, lang)
    return label("condition", cond, lang)


def counted(by: Counter[str], lang: str) -> list[str]:
    """Finding codes with their counts in words: ``EQ-RATE 计量器具配备率低于要求 1项``,
    ``EQ-RATE equipping rate below the requirement ×1`` (the code kept as a reference, like a
    clause number; probe s10 #12a)."""
    from tanjiliang.assess.findings import REGISTRY

    out = []
    for code, n in by.items():
        f = REGISTRY.get(code)
        if f is None:
            out.append(f"{code} {n}项" if lang == "zh" else f"{code} ×{n}")
        elif lang == "zh":
            out.append(f"{code} {f.zh} {n}项")
        else:
            out.append(f"{code} {f.en} ×{n}")
    return out


def subject_words(subject: str | None, pack_name: str | None, lang: str) -> str:
    """What a finding is about in words (``process_material/3`` → 过程物料 三级), read with the
    review's pack where it is bundled; ids the user wrote stay as they are."""
    from tanjiliang.model.errors import LoadError
    from tanjiliang.reports.i18n import finding_subject
    from tanjiliang.rules.load import bundled_pack_names, load_pack

    pack = None
    if pack_name and pack_name in bundled_pack_names():
        try:
            pack = load_pack(pack_name).pack
        except LoadError:  # a pack that no longer loads: the subject as it is
            pack = None
    return finding_subject(subject, pack, lang)


def fact_line(subject: str | None, message: str, pack_name: str | None, lang: str) -> str:
    """One finding of a non-conformity's facts: what it is about in words, then its message;
    the subject left out where the message already names it (过程物料三级配备率…, 器具 W-03 …)."""
    words = subject_words(subject, pack_name, lang)
    if not subject or words in message or words.replace(" ", "") in message:
        return message
    return f"{words}：{message}" if lang == "zh" else f"{words}: {message}"


def applicable(item: Item, a: Assessment) -> bool:
    return all(condition(a, c) for c in item.applies)


def judge(item: Item, a: Assessment) -> ItemResult:
    """Pre-fill one item from the assessment (attested items: applicability and figures)."""
    figs = {f: figures(a, f) for f in item.all_figures()}
    if not applicable(item, a):
        conds = "、".join(_condition(c, "zh") for c in item.applies)
        return ItemResult(item=item.id, method=item.judged, applicable=False,
                          result="not_applicable", auto_result="not_applicable",
                          auto_reason_zh=f"不适用：本单位不满足适用条件（{conds}）",
                          auto_reason_en=f"Not applicable: the unit does not meet "
                                         f"{', '.join(_condition(c, 'en') for c in item.applies)}",
                          figures=figs)
    if item.judged == "attested" or item.auto is None:
        return ItemResult(item=item.id, method="attested", figures=figs)
    codes = set(item.auto.findings) | set(item.auto.undetermined)
    links = [Link(code=f.code, severity=f.severity, clause=f.clause, subject=f.subject,
                  zh=f.zh, en=f.en, data=f.data) for f in a.findings if f.code in codes]
    undetermined = [lk for lk in links if lk.code in item.auto.undetermined]
    ncs = [lk for lk in links if lk.severity == "nonconformity"
           and lk.code not in item.auto.undetermined]
    obs = [lk for lk in links if lk.severity == "observation"
           and lk.code not in item.auto.undetermined]
    base = ItemResult(item=item.id, method="auto", links=links, figures=figs)
    if undetermined:
        base.auto_reason_zh = "评价数据不足，需现场查证：" + "；".join(lk.zh for lk in undetermined)
        base.auto_reason_en = ("The data cannot decide; attest on site: "
                               + "; ".join(lk.en for lk in undetermined))
        return base
    if ncs:
        by = Counter(lk.code for lk in ncs)
        base.result = base.auto_result = "nonconforming"
        base.auto_reason_zh = "评价发现不符合：" + "，".join(counted(by, "zh"))
        base.auto_reason_en = "Assessment non-conformities: " + ", ".join(counted(by, "en"))
    else:
        base.result = base.auto_result = "conforming"
        if obs:
            by = Counter(lk.code for lk in obs)
            base.auto_reason_zh = "符合；观察项：" + "，".join(counted(by, "zh"))
            base.auto_reason_en = "Conforming; observations: " + ", ".join(counted(by, "en"))
        else:
            base.auto_reason_zh = "评价未发现相关问题"
            base.auto_reason_en = "No related finding in the assessment"
    return base


def prefill(checklist: Checklist, a: Assessment) -> list[ItemResult]:
    return [judge(i, a) for i in checklist.items()]
