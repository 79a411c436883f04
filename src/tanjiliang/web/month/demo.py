"""Demo months (issue 14 §6: ``make demo`` shows a unit with some months filed, one late and
one corrected).

For one demo unit (the power plant when the examples hold one, else the first unit): half a
year of hourly readings (``tanjiliang.data.synth.plant_year``, its instruments mapped onto the
unit's own, as tests/web/test_months.py does) stored as an upload, then filings made through
:func:`tanjiliang.month.close.file_month` at fixed times — January to May, April filed after
its deadline, March corrected with a reason (its coal NCV re-tested). Each filing carries the
coal's monthly laboratory results (NCV and elemental carbon, two batches a month, a CMA/CNAS
laboratory: :data:`LAB_MONTHS`) and the report file they name; February's and May's purchased
electricity is entered from the grid company's bill (:data:`BILLED`, one within the pack's
daily-vs-monthly 5 %, one not). Later months stay 逾期 or 待提交 on the cards.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from tanjiliang.month.close import ZONE, file_month

#: (month, filed on (month, day) of the reporting year, reason of a correction or None).
FILINGS: list[tuple[int, tuple[int, int], str | None]] = [
    (1, (2, 20), None),
    (2, (3, 25), None),
    (3, (4, 28), None),
    (3, (5, 6), "化验报告更正：3 月入炉煤低位发热量复测，实验室出具更正报告"),
    (4, (6, 25), None),  # deadline 9 June (30 April + 40 days): filed late
    (5, (6, 30), None),
]
#: Months whose purchased electricity is filed from the grid company's settlement (entered
#: with evidence, issue 14 §1), as a factor of what the gateway meter's days give: February
#: within the pack's 5 % (+1.2 %), May not (+6.5 %: the bill closes on another reading day),
#: so the regulator's page shows daily-vs-monthly consistency 50.0 % for the demo unit.
BILLED = {2: 1.012, 5: 1.065}
#: The months of readings stored for the demo unit.
READINGS_MONTHS = 6
#: Monthly coal analyses of the demo (收到基低位发热量 GJ/t, 元素碳含量 %, two batches a month
#: weighted by tonnes); March's NCV was re-tested (the correction).
LAB_MONTHS = {1: ((22.41, 56.2, 41000), (22.05, 55.6, 39000)),
              2: ((21.87, 55.1, 36000), (22.30, 56.0, 38000)),
              3: ((22.62, 56.8, 40000), (22.18, 55.9, 42000)),
              4: ((21.95, 55.4, 37000), (22.27, 56.1, 40000)),
              5: ((22.33, 56.3, 41000), (22.09, 55.7, 39000))}
MARCH_RETEST = 22.34  # GJ/t, batch 1 of March after the re-test
LAB_HEAD = "源流,参数,数值,单位,月份,批次,批次量,检测机构,方法标准,资质,资质证书编号,报告编号,报告文件\n"
LAB_NAME = "河南省煤炭质量监督检验中心（演示）"


def lab_csv(unit: Any, stream: str, corrected: bool) -> str:
    """The demo's laboratory results file (one row per batch and parameter)."""
    rows = []
    for month, batches in LAB_MONTHS.items():
        label = f"{unit.year:04d}-{month:02d}"
        report = f"化验报告-{label}{'-更正' if corrected and month == 3 else ''}.txt"
        for b, (ncv, car, tonnes) in enumerate(batches, start=1):
            if corrected and month == 3 and b == 1:
                ncv = MARCH_RETEST
            no = f"MZ{label.replace('-', '')}-{b:02d}"
            rows.append(f"{stream},低位发热量,{ncv},GJ/t,{label},{no},{tonnes},{LAB_NAME},GB/T 213-2008,CMA;CNAS,CNAS L0123,{no},{report}")
            rows.append(f"{stream},元素碳含量,{car},%,{label},{no},{tonnes},{LAB_NAME},GB/T 30733-2014,CMA;CNAS,CNAS L0123,{no},{report}")
    return LAB_HEAD + "\n".join(rows) + "\n"


def demo_unit() -> Any:
    from tanjiliang.web.core import models as m

    qs = m.Unit.objects.order_by("pk")
    return qs.filter(sector="power").first() or qs.first()


def _readings_parquet(unit: Any) -> bytes:
    """January–June of the synthetic plant year, instruments mapped onto the unit's ids."""
    import polars as pl

    from tanjiliang.data.synth import plant_year

    df, _ = plant_year(unit.year)
    ids = list(unit.instruments.order_by("position").values_list("ident", flat=True))
    src = sorted(df["instrument"].unique().to_list())
    same = [s for s in src if s in ids]
    # the power example holds the plant's weighers and grid meter under the same ids: keep
    # those; another unit gets every plant instrument mapped onto its own in turn
    mapping = {s: s for s in same} if same else {s: ids[k % len(ids)] for k, s in enumerate(src)}
    part = df.filter(pl.col("instrument").is_in(list(mapping))
                     & (pl.col("time") <= datetime(unit.year, READINGS_MONTHS + 1, 1)))
    part = part.with_columns(pl.col("instrument").replace_strict(mapping))
    if same:  # the plant's main meter reads a whole site; the unit's grid meter a tenth of it
        part = part.with_columns(pl.when(pl.col("instrument") == "E-01")
                                 .then(pl.col("value") * 0.1).otherwise(pl.col("value"))
                                 .alias("value"))
    buf = io.BytesIO()
    part.write_parquet(buf)
    return buf.getvalue()


def _read_lab(text: bytes, name: str, uf: Any, pack: Any) -> Any:
    import tempfile

    from tanjiliang.month.close import rule
    from tanjiliang.month.lab import read_lab

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lab.csv"
        path.write_bytes(text)
        return read_lab(path, uf, name=name, accreditations=rule("lab_accreditations", pack))


def seed_addresses() -> int:
    """Demo enterprise users without an e-mail address get ``<username>@example.cn`` (an
    address of the reserved example domain), so ``tanjiliang remind --demo`` has recipients."""
    from tanjiliang.web.core import models as m

    n = 0
    for p in m.Profile.objects.filter(role=m.ROLE_ENTERPRISE, user__email="").select_related("user"):
        p.user.email = f"{p.user.username}@example.cn"
        p.user.save(update_fields=["email"])
        n += 1
    return n


def seed_months() -> Any:
    """Readings and filed months for the demo unit (idempotent), and the demo users'
    addresses (:func:`seed_addresses`); returns the unit or None."""
    seed_addresses()
    import hashlib
    from datetime import date

    from django.core.files.base import ContentFile
    from django.db import transaction

    from tanjiliang.web.core import integrations
    from tanjiliang.web.core import models as m
    from tanjiliang.web.core.assessing import pack_for, readings_paths
    from tanjiliang.web.core.mapping import unit_file
    from tanjiliang.web.month.models import MonthEvidence, MonthFiling

    unit = demo_unit()
    if unit is None or not unit.instruments.exists() \
            or MonthFiling.objects.filter(unit=unit).exists():
        return unit
    member = m.Profile.objects.filter(enterprise=unit.enterprise,
                                      role=m.ROLE_ENTERPRISE).select_related("user").first()
    user = member.user if member else None
    with transaction.atomic():
        if not unit.readings.exists():
            name = f"{unit.year}-01至06-读数.parquet"
            content = _readings_parquet(unit)
            row = m.ReadingsUpload(unit=unit, name=name, size=len(content), uploaded_by=user)
            row.file.save(name, ContentFile(content), save=False)
            report = integrations.readings_report(
                unit, Path(row.file.path), name,
                date(unit.year, 1, 1), date(unit.year, READINGS_MONTHS + 1, 1))
            report["period_how"] = "range"
            row.rows = report["rows"]
            row.report = json.dumps(report, ensure_ascii=False)
            row.save()
        uf, pack, paths = unit_file(unit), pack_for(unit), readings_paths(unit)
        coal = next((x.id for x in uf.source_streams if x.kind == "combustion"
                     and "coal" in (x.material or "")), None)
        previous: dict[int, dict[str, Any]] = {}
        for month, (fm, fd), reason in FILINGS:
            label = f"{unit.year:04d}-{month:02d}"
            report = (f"{label} 入炉煤化验报告（演示）：低位发热量、元素碳含量\n"
                      + (f"更正：{reason}\n" if reason else "")).encode()
            ev_name = f"化验报告-{label}{'-更正' if reason else ''}.txt"
            files = [(ev_name, report, "lab_report" if coal else None)]
            lab = None
            if coal is not None:
                text = lab_csv(unit, coal, corrected=reason is not None).encode()
                files.append((f"化验结果-{unit.year}{'-更正' if reason else ''}.csv", text, "lab_results"))
                lab = _read_lab(text, files[-1][0], uf, pack)
            entered = _billed(uf, unit.year, month, paths, pack, files) if reason is None else None
            evidence = [{"file": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
                        | ({"kind": k} if k else {}) for n, b, k in files]
            data = file_month(uf, unit.year, month, paths, previous=previous.get(month),
                              evidence=evidence, reason=reason,
                              filed_at=datetime(unit.year, fm, fd, 10, 0, tzinfo=ZONE), pack=pack,
                              lab=lab, reports={ev_name: evidence[0]["sha256"]}, entered=entered)
            filing = MonthFiling.objects.create(
                unit=unit, month=label, version=data["version"], data=data,
                sha256=data["sha256"], filed_by=user,
                filed_at=datetime.fromisoformat(data["filed_at"]))
            for (name, blob, _), e in zip(files, evidence, strict=True):
                ev = MonthEvidence(filing=filing, name=name, sha256=e["sha256"], size=len(blob))
                ev.file.save(e["sha256"], ContentFile(blob), save=True)
            previous[month] = data
    return unit


def _billed(uf: Any, year: int, month: int, paths: Any, pack: Any,
            files: list[tuple[str, bytes, str | None]]) -> dict[str, float] | None:
    """The month's purchased electricity as the grid company billed it (:data:`BILLED`), its
    settlement sheet added to ``files``; None for other months or without metered
    electricity."""
    from tanjiliang.month.close import compute_month

    grid = next((x.id for x in uf.source_streams if x.kind == "electricity"
                 and x.direction != "out"), None) if month in BILLED else None
    if grid is None:
        return None
    row = next((x for x in compute_month(uf, year, month, paths, pack)["streams"]
                if x["id"] == grid), None)
    if row is None or not row["metered"]:
        return None
    billed = round(row["metered"] * BILLED[month], 1)  # in the readings' unit, as entered
    label = f"{year:04d}-{month:02d}"
    files.append((f"电费结算单-{label}.txt",
                  f"{label} 购电结算（演示）：{billed:.1f} {row['unit'] or ''}\n".encode(), None))
    return {grid: billed}
