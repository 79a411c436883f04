"""The one registry of finding codes (shared/design.md "Findings").

Every finding the engine or the readings checks can raise is listed here once, with the stage
that raises it, its default severity and the pack section whose rule it applies. A pack gives
each code its clause (and may set its severity) under ``findings.<CODE>``; every pack is checked
against this registry when it is loaded (:func:`pack_issues`): a code the pack lacks or a code
the registry does not know is a load error naming the file, line and key. Findings are built
with :func:`make_finding`, which takes severity and clause from the pack — never hard-coded.
The finding-code table of docs/assessment.md is generated from :data:`REGISTRY`
(:func:`markdown_table`, with cog) and checked by the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tanjiliang.assess.result import Finding
from tanjiliang.model.errors import Issue
from tanjiliang.rules.schema import Pack

Stage = Literal["scope", "classes", "instruments", "confirmation", "rates", "tiers", "management",
                "readings"]
Severity = Literal["nonconformity", "observation"]


@dataclass(frozen=True, slots=True)
class FindingCode:
    code: str
    stage: Stage
    severity: Severity  # default; the pack's ``findings.<CODE>.severity`` applies
    pack_key: str  # the pack section whose rule the finding applies (its clause: findings.<CODE>.clause)
    zh: str
    en: str


REGISTRY: dict[str, FindingCode] = {f.code: f for f in (
    FindingCode("SCOPE-VOLUNTARY", "scope", "observation", "scope.key_emission_threshold_tco2e",
                "年排放量低于重点排放单位门槛，自愿参照执行", "below the key-unit threshold; applies voluntarily"),
    FindingCode("CLASS-DOWNGRADE", "classes", "observation", "classification",
                "声明的源流分类低于计算结果，不予采用", "declared stream class below the computed one, not applied"),
    FindingCode("ACC-MPE", "instruments", "nonconformity", "accuracy",
                "准确度不满足要求（在用、备用器具）", "MPE above the requirement (in use or standby)"),
    FindingCode("ACC-UNKNOWN", "instruments", "observation", "accuracy",
                "准确度无法与要求比较", "accuracy cannot be compared with the requirement"),
    FindingCode("INS-INCOMPLETE", "instruments", "observation", "instrument_types",
                "器具信息待补充（未写明测量对象）", "instrument record incomplete (what it measures not stated)"),
    FindingCode("INS-MEASURES", "instruments", "observation", "instrument_types",
                "器具类型不能测量所写的测量对象", "instrument type cannot measure what it is said to measure"),
    FindingCode("CAL-OVERDUE", "confirmation", "nonconformity", "confirmation",
                "在用器具超期未检定/校准", "in-use instrument's confirmation overdue"),
    FindingCode("CAL-NONE", "confirmation", "nonconformity", "confirmation",
                "在用器具无检定/校准记录", "in-use instrument without confirmation on record"),
    FindingCode("CAL-DUE-SOON", "confirmation", "observation", "confirmation.due_soon_days",
                "检定/校准即将到期", "confirmation due soon"),
    FindingCode("EQ-RATE", "rates", "nonconformity", "media",
                "计量器具配备率低于要求", "equipping rate below the requirement"),
    FindingCode("TIER-SHORT", "tiers", "observation", "tiers",
                "达到的层级低于要求", "tier achieved below the tier required"),
    FindingCode("TIER-UNKNOWN", "tiers", "observation", "tiers.cems_thresholds_percent",
                "实测法测量系统不确定度未声明", "measuring system uncertainty not declared"),
    FindingCode("TIER-JUSTIFIED", "tiers", "observation", "tiers",
                "采用经说明的较低层级（source_streams[].lower_tier）", "justified lower tier applied (source_streams[].lower_tier)"),
    FindingCode("STOCK-RECONCILE", "tiers", "observation", "tiers",
                "活动数据与购入量及库存变化不一致", "activity data disagree with receipts and stock change"),
    FindingCode("MGMT-PROCEDURE", "management", "nonconformity", "management.required_procedures",
                "缺少管理制度", "missing procedure"),
    FindingCode("MGMT-RESPONSIBLE", "management", "nonconformity", "management.responsible_role_keywords",
                "未明确碳计量负责人", "no responsible person named"),
    FindingCode("DATA-RETENTION", "management", "nonconformity", "management.min_retention_years",
                "记录保存期限不足或未规定", "records retention too short or not stated"),
    FindingCode("MGMT-NOT-ASSESSED", "management", "observation", "management",
                "未提供管理信息，管理要求未评价", "no management data; management not assessed"),
    FindingCode("CAL-OOT", "readings", "nonconformity", "confirmation",
                "确认不合格，受影响期间的排放量", "failed confirmation and the tonnes at stake"),
    FindingCode("DATA-RECON", "readings", "observation", "media",
                "主表与分表之差超出最大允许误差", "main and sub-meters differ beyond their MPEs"),
    FindingCode("DATA-MISSING", "readings", "observation", "media",
                "缺少读数，活动数据无计量支撑", "readings missing behind a stream's activity"),
    FindingCode("DATA-QUALITY", "readings", "observation", "media",
                "读数有问题（重复、负值、超量程、突变等）", "flagged readings (duplicates, negative, spikes…)"),
)}

STAGES: tuple[Stage, ...] = ("scope", "classes", "instruments", "confirmation", "rates", "tiers",
                             "management", "readings")


def pack_issues(pack: Pack, src: Any) -> list[Issue]:
    """Every code the registry lists must be in the pack's ``findings``, and no other:
    one issue per missing or unknown code, at its place in the pack file."""
    out: list[Issue] = []
    missing = [c for c in REGISTRY if c not in pack.findings]
    if missing:
        codes = ", ".join(missing)
        out.append(src.issue(("findings",),
                             f"规则包缺少发现代码：{codes}（每个代码须给出 severity、clause、title）",
                             f"the pack lacks finding codes: {codes} (each needs severity, clause, title)"))
    for code in pack.findings:
        if code not in REGISTRY:
            known = ", ".join(REGISTRY)
            out.append(src.issue(("findings", code),
                                 f"未知的发现代码“{code}”（已知：{known}）",
                                 f'unknown finding code "{code}" (known: {known})'))
    return out


def make_finding(pack: Pack, code: str, subject: str, zh: str, en: str,
                 data: dict[str, Any] | None = None) -> Finding:
    """A finding with the severity and clause the pack gives its code."""
    if code not in REGISTRY:
        raise KeyError(f"finding code {code} is not in the registry (assess/findings.py)")
    rule = pack.findings.get(code)
    if rule is None:
        raise KeyError(f"pack {pack.name} has no finding rule {code}")
    return Finding(code, rule.severity, rule.clause, subject, zh, en, dict(data or {}))


def markdown_table() -> str:
    """The finding-code table of docs/assessment.md (generated with cog)."""
    lines = ["| code | stage | default severity | rule in the pack | meaning |",
             "|---|---|---|---|---|"]
    for f in REGISTRY.values():
        lines.append(f"| `{f.code}` | {f.stage} | {f.severity} | `{f.pack_key}` | {f.en} ({f.zh}) |")
    return "\n".join(lines) + "\n"


__all__ = ["REGISTRY", "STAGES", "FindingCode", "make_finding", "markdown_table", "pack_issues"]
