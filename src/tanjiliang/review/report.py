"""What the review report shows, built once for the PDF and the XLSX (docs/review.md).

Two tables in their conventional layout (JJF 1356-2012 annexes, the energy analogue of
JJF(皖)218's review output, shared/domain.md §8): 现场审查情况汇总表 (on-site review summary:
one row per checklist item, grouped by chapter, with result, reason and evidence) and 不符合项报告
(non-conformity report: one form per non-conformity with the facts, the clause, the
enterprise's cause and correction, and the reviewer's verification), followed by the evidence
list. One language per report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tanjiliang.i18n import local_time
from tanjiliang.reports import i18n
from tanjiliang.reports.i18n import clause_ref
from tanjiliang.review.checklist import Checklist
from tanjiliang.review.model import Review, label

TEXT: dict[str, dict[str, str]] = {
    "summary_title": {"zh": "现场审查情况汇总表", "en": "On-site review summary"},
    "nc_title": {"zh": "不符合项报告", "en": "Non-conformity report"},
    "evidence_title": {"zh": "证据清单", "en": "Evidence list"},
    "self_title": {"zh": "自查情况汇总表", "en": "Self-inspection summary"},
    "unit": {"zh": "受审查单位", "en": "Unit reviewed"},
    "credit_code": {"zh": "统一社会信用代码", "en": "Credit code"},
    "region": {"zh": "所在地区", "en": "Region"},
    "sector": {"zh": "行业", "en": "Sector"},
    "year": {"zh": "审查年度", "en": "Year"},
    "version": {"zh": "版本", "en": "Version"},
    "state": {"zh": "状态", "en": "State"},
    "reviewers": {"zh": "审查员", "en": "Reviewers"},
    "opened": {"zh": "审查开始", "en": "Opened"},
    "basis": {"zh": "审查依据", "en": "Basis"},
    "assessment": {"zh": "评价依据", "en": "Assessment"},
    "total": {"zh": "年排放量（tCO2e）", "en": "Annual emissions (tCO2e)"},
    "no": {"zh": "序号", "en": "No."},
    "clause": {"zh": "条款", "en": "Clause"},
    "content": {"zh": "审查内容", "en": "Requirement"},
    "method": {"zh": "审查方式", "en": "Method"},
    "result": {"zh": "审查结果", "en": "Result"},
    "remark": {"zh": "情况说明", "en": "Remarks"},
    "evidence": {"zh": "证据", "en": "Evidence"},
    "counts": {"zh": "统计", "en": "Counts"},
    "conclusion": {"zh": "审查结论", "en": "Conclusion"},
    "summary": {"zh": "审查意见", "en": "Opinion"},
    "signed_by": {"zh": "审查组长（签发）", "en": "Signed by"},
    "signed_at": {"zh": "签发时间", "en": "Signed at"},
    "sha256": {"zh": "内容校验值（SHA-256）", "en": "Content hash (SHA-256)"},
    "previous": {"zh": "替代版本校验值", "en": "Supersedes version with hash"},
    "amend_reason": {"zh": "修改原因", "en": "Reason for amendment"},
    "unsigned": {"zh": "未签发（草稿）", "en": "Not signed (draft)"},
    "enterprise_rep": {"zh": "受审查单位代表", "en": "Unit representative"},
    "nc_no": {"zh": "不符合项编号", "en": "Non-conformity no."},
    "nc_facts": {"zh": "不符合事实描述", "en": "Facts"},
    "nc_clause": {"zh": "不符合条款", "en": "Clause not met"},
    "nc_basis": {"zh": "对应规范要求", "en": "Requirement"},
    "nc_findings": {"zh": "关联评价发现", "en": "Related findings"},
    "owner": {"zh": "整改责任人", "en": "Owner"},
    "due": {"zh": "整改期限", "en": "Due"},
    "cause": {"zh": "原因分析", "en": "Cause"},
    "correction": {"zh": "纠正措施", "en": "Correction"},
    "verification": {"zh": "整改验证情况", "en": "Verification"},
    "action_status": {"zh": "整改状态", "en": "Status"},
    "closed_by": {"zh": "验证人", "en": "Verified by"},
    "closed_at": {"zh": "验证日期", "en": "Verified on"},
    "none": {"zh": "无", "en": "None"},
    "file": {"zh": "文件名", "en": "File"},
    "for": {"zh": "关联条款/不符合项", "en": "Supports"},
    "party": {"zh": "提交方", "en": "Party"},
    "uploaded_by": {"zh": "上传人", "en": "Uploaded by"},
    "uploaded_at": {"zh": "上传时间", "en": "Uploaded at"},
    "size": {"zh": "大小（字节）", "en": "Size (bytes)"},
    "page": {"zh": "第 {p} 页 共 {n} 页", "en": "Page {p} of {n}"},
    "self_inspection": {"zh": "企业自查", "en": "Self-inspection"},
    "self_result": {"zh": "自查结果", "en": "Self-inspection result"},
}


def t(key: str, lang: str) -> str:
    return TEXT[key]["zh" if lang == "zh" else "en"]


@dataclass
class Row:
    no: int
    clause: str
    content: str
    method: str
    result: str
    result_code: str
    remark: str
    evidence: str
    self_result: str = ""


@dataclass
class Group:
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class NcForm:
    id: str
    clause: str
    basis: str
    content: str
    facts: str
    findings: str
    owner: str
    due: str
    cause: str
    correction: str
    verification: str
    status: str
    closed_by: str
    closed_at: str
    evidence: str


@dataclass
class EvidenceRow:
    no: int
    filename: str
    supports: str
    party: str
    uploaded_by: str
    uploaded_at: str
    size: int
    sha256: str


@dataclass
class ReportContext:
    lang: str
    kind: str
    title: str
    header: list[tuple[str, str]]
    groups: list[Group]
    counts: list[tuple[str, int]]
    conclusion: str
    conclusion_code: str
    summary: str
    seal: list[tuple[str, str]]
    signed: bool
    ncs: list[NcForm]
    evidence: list[EvidenceRow]
    labels: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)


def _sector(code: str, lang: str) -> str:
    try:
        return i18n.t(f"sector.{code}", lang)
    except KeyError:
        return code


def _remark(r: Any, lang: str) -> str:
    if r.reason and (r.method == "attested" or r.overridden or r.auto_result is None):
        return str(r.reason)
    return (r.auto_reason_zh if lang == "zh" else r.auto_reason_en) or ""


def build(review: Review, checklist: Checklist, lang: str = "zh",
          self_inspection: Review | None = None) -> ReportContext:
    """The report of ``review`` in ``lang`` (zh or en), from the stored review only."""
    lang = "zh" if lang == "zh" else "en"
    ev_names = {e.id: e.filename for e in review.evidence}
    self_results = ({r.item: r.result for r in self_inspection.items}
                    if self_inspection is not None else {})
    groups: list[Group] = []
    no = 0
    for sec in checklist.sections:
        for sub in sec.subsections:
            g = Group(f"{sub.id} {sec.title(lang)} · {sub.title(lang)}")
            for item in sub.items:
                try:
                    r = review.result(item.id)
                except KeyError:
                    continue
                no += 1
                g.rows.append(Row(
                    no=no, clause=item.clause, content=item.text(lang),
                    method=label(r.method, lang), result=label(r.result, lang),
                    result_code=r.result or "pending", remark=_remark(r, lang),
                    evidence="；".join(ev_names[e] for e in r.evidence if e in ev_names)
                    if lang == "zh" else "; ".join(ev_names[e] for e in r.evidence
                                                   if e in ev_names),
                    self_result=label(self_results.get(item.id), lang)
                    if self_inspection is not None else ""))
            if g.rows:
                groups.append(g)
    counts = [(label(k, lang), v) for k, v in review.counts().items()]
    a = review.assessment
    header = [
        (t("unit", lang), review.unit_name),
        (t("credit_code", lang), a.credit_code or "—"),
        (t("region", lang), a.region or "—"),
        (t("sector", lang), _sector(a.sector, lang)),
        (t("year", lang), str(review.year)),
        (t("version", lang), f"v{review.version} · {label(review.state, lang)}"),
        (t("reviewers", lang) if review.kind == "review" else t("enterprise_rep", lang),
         ("、" if lang == "zh" else ", ").join(review.reviewer_names or review.reviewers)
         or review.opened_by),
        (t("opened", lang), local_time(review.opened_at, "%Y-%m-%d")),
        (t("basis", lang), f"{review.checklist_pack} {review.checklist_version}"),
        (t("assessment", lang), f"{a.pack_name} {a.pack_version} · {a.as_of.isoformat()}"),
        (t("total", lang), f"{a.total_tco2e:,.0f}"),
    ]
    seal: list[tuple[str, str]] = []
    if review.signature is not None:
        s = review.signature
        seal = [(t("signed_by", lang), s.name), (t("signed_at", lang),
                 local_time(s.at)), (t("sha256", lang), s.sha256)]
    if review.previous_sha256:
        seal.append((t("previous", lang), review.previous_sha256))
        seal.append((t("amend_reason", lang), review.amend_reason or ""))
    ncs = []
    for n in review.nonconformities:
        act = n.action
        item = checklist.item(n.item)
        ncs.append(NcForm(
            id=n.id, clause=n.clause, basis=clause_ref(n.basis, lang), content=item.text(lang),
            facts=(n.description_en or n.description) if lang == "en" else n.description, findings=", ".join(n.findings) or "—",
            owner=act.owner, due=act.due.isoformat(), cause=act.cause or "",
            correction=act.correction or "", verification=act.verification or "",
            status=label(act.status, lang), closed_by=act.closed_by or "",
            closed_at=local_time(act.closed_at, "%Y-%m-%d") if act.closed_at else "",
            evidence="；".join(ev_names[e] for e in act.evidence if e in ev_names)))
    where: dict[str, str] = {}
    for r in review.items:
        for e in r.evidence:
            where[e] = r.item
    for n in review.nonconformities:
        for e in n.action.evidence:
            where[e] = n.id
    evidence = [EvidenceRow(no=i + 1, filename=e.filename, supports=where.get(e.id, ""),
                            party=label(e.role, lang), uploaded_by=e.uploaded_by,
                            uploaded_at=local_time(e.uploaded_at),
                            size=e.size, sha256=e.sha256)
                for i, e in enumerate(review.evidence)]
    return ReportContext(
        lang=lang, kind=review.kind,
        title=t("summary_title" if review.kind == "review" else "self_title", lang),
        header=header, groups=groups, counts=counts,
        conclusion=label(review.conclusion, lang), conclusion_code=review.conclusion or "pending",
        summary=review.summary or "", seal=seal, signed=review.signature is not None,
        ncs=ncs, evidence=evidence, labels={k: t(k, lang) for k in TEXT},
        extra={"has_self": self_inspection is not None})
