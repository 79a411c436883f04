"""A small hand-built assessment (the engine's result type) and a complete review, for the
review tests."""

from __future__ import annotations

from datetime import date, datetime

from tanjiliang.assess.result import (
    Assessment,
    Finding,
    InstrumentResult,
    Parameter,
    PlaceResult,
    PointResult,
    RateRow,
    StreamResult,
)
from tanjiliang.review.seal import Signer

AT = datetime(2026, 3, 2, 9, 0)
#: The signing key of the pure workflow tests (the web app keeps one per user, keys.py).
KEY = Signer.generate()


def make_assessment(*, overdue: bool = True, management: bool = True,
                    measurement: bool = False) -> Assessment:
    findings = []
    if overdue:
        # W-02 last confirmed 2024-01-10, 12 months → due 2025-01-10 < as_of 2026-03-01
        findings.append(Finding("CAL-OVERDUE", "nonconformity", "HN 6.3 碳计量器具管理", "W-02",
                                "超期未检定/校准：W-02 应于 2025-01-10 前确认",
                                "Confirmation overdue: W-02 was due 2025-01-10",
                                {"next_due": "2025-01-10"}))
    findings.append(Finding("CAL-DUE-SOON", "observation", "HN 6.3 碳计量器具管理", "W-03",
                            "即将到期：W-03", "Due soon: W-03", {}))
    if not management:
        findings.append(Finding("MGMT-NOT-ASSESSED", "observation", "HN 6 碳计量管理要求", "unit",
                                "未提供管理信息", "No management data", {}))
    coal = StreamResult(
        id="coal", name="入炉烟煤", kind="combustion", method="measurement" if measurement
        else "calculation", material="bituminous_coal", medium="solid_fuel",
        emissions_tco2e=3_900_000.0, by_gas_t={"CO2": 3_900_000.0}, biogenic_co2_t=0.0,
        share=1.0, cls="major", computed_class="major", declared_class=None, tier_required=4,
        tier_achieved=4, uncertainty_percent=0.1, formula="ncv×cc×of", parameters=[
            Parameter("ncv", 22.35, "GJ/t", "measured")],
        activity="1830000 t", consumers={"B1": 1.0})
    instruments = [
        InstrumentResult(f"W-0{i}", f"衡器{i}", "rail_scale", "W", "coal", "boundary", "in_use",
                         1, ["p1"], 0.1, 0.1, True,
                         "overdue" if (i == 2 and overdue) else "due_soon" if i == 3
                         else "valid", date(2025, 3, 10), 12, date(2026, 3, 10))
        for i in (1, 2, 3)]
    return Assessment(
        pack_name="henan-2025-draft", pack_version="2025.12-r1", pack_sha256="ab" * 32,
        factors_version="2025.1", unit_name="河南豫能示例热电有限公司", unit_year=2025,
        sector="power", region="河南省郑州市", credit_code="91410100MA44ABCD1F",
        as_of=date(2026, 3, 1), gwp_set="AR5", total_tco2e=3_900_000.0, biogenic_tco2=0.0,
        key_emission_unit=True, installation_category="C", threshold_de_minimis=20000,
        threshold_minor=100000, streams=[coal],
        places=[PlaceResult("G1", "1号机组", "subunit", None, 3_900_000.0, True, False)],
        points=[PointResult("p1", "coal", "activity", "solid_fuel", 1, "boundary",
                            ("boundary",), True, ["W-01"], "conforming")],
        rates=[RateRow("solid_fuel", 1, 1, 1, 100.0, 100.0, True)],
        instruments=instruments, findings=findings,
        conclusion="nonconforming" if overdue else "conforming")




def evidence(ev_id: str, filename: str, *, item: str | None = None,
             action: str | None = None):
    import hashlib

    from tanjiliang.review.model import Evidence

    return Evidence(id=ev_id, filename=filename, sha256=hashlib.sha256(filename.encode())
                    .hexdigest(), size=len(filename), item=item, action=action,
                    uploaded_by="?", role="reviewer", uploaded_at=AT)


def completed_review(checklist, reviewer, enterprise, *, sign: bool = True):
    """Self-inspection submitted, review run through every state (one NC, closed)."""
    from tanjiliang.review import workflow as w

    a = make_assessment()
    si = w.open_self_inspection(enterprise, "u1", checklist, a, AT)
    w.judge_pending(si, enterprise, "自查符合", AT)
    w.submit(si, enterprise, checklist, AT, KEY)
    rv = w.open_review(reviewer, "u1", checklist, a, AT, self_inspection=si)
    w.judge_pending(rv, reviewer, "现场查阅文件，符合要求", AT)
    w.add_evidence(rv, reviewer, evidence("E1", "管理制度汇编.pdf", item="4.3.2"), AT)
    w.issue_findings(rv, reviewer, checklist, "张工", AT)
    w.add_evidence(rv, enterprise, evidence("E2", "W-02检定证书.pdf", action="NC-01"), AT)
    w.answer_action(rv, enterprise, "NC-01", "检定计划遗漏W-02", "已送检并取得证书", AT)
    w.close_action(rv, reviewer, "NC-01", "核查证书有效，整改有效", AT)
    w.conclude(rv, reviewer, checklist, "存在1项不符合，已整改。", AT)
    if sign:
        w.sign(rv, reviewer, AT, KEY)
    return si, rv
