"""The report's content in one language: every table of the HTML/PDF report and the XLSX
workbook, built once from an :class:`~tanjiliang.assess.result.Assessment`.

Nothing is re-derived: numbers, classes, statuses and findings are the engine's; this module
only selects, orders (stably, so snapshots don't churn) and labels them. Names of media,
instrument types and finding kinds come from the pack, of materials from the factor library,
fixed words from :mod:`tanjiliang.reports.i18n`; names the user typed are shown as entered,
next to their id.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from tanjiliang.assess.result import Assessment, InstrumentResult, PointResult
from tanjiliang.model.unit import BOUNDARY, LAB, UnitFile
from tanjiliang.reports import fmt
from tanjiliang.reports.i18n import (
    citation_text,
    clause_ref,
    enum,
    finding_subject,
    formula_text,
    t,
)
from tanjiliang.rules import FactorLibrary, bundled_library
from tanjiliang.rules.schema import Pack

LEVEL_ORDER = {1: 0, 2: 1, 3: 2, None: 3}
SEVERITY_ORDER = {"nonconformity": 0, "observation": 1}


@dataclass
class Table:
    """A table: header cells and rows of display strings; ``classes`` marks rows (CSS)."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)
    note: str = ""
    #: the unrounded numbers behind numeric cells (column → value), for the XLSX workbook
    values: list[dict[int, float | int]] = field(default_factory=list)
    #: Excel number format of a numeric column ("0.0%" for shares given as fractions)
    formats: dict[int, str] = field(default_factory=dict)
    #: the page's columns as groups of these columns, shown in one cell (the workbook keeps
    #: every column apart); None: one cell per column
    view: list[list[int]] | None = None

    def page_header(self) -> list[tuple[str, bool]]:
        """(header, numeric) of each column on the page."""
        groups = self.view or [[i] for i in range(len(self.header))]
        return [(" / ".join(self.header[i] for i in g), all(i in self.numeric for i in g))
                for g in groups]

    def page_rows(self) -> list[tuple[str, list[str]]]:
        """(row class, cells) on the page: grouped cells joined, empty parts left out."""
        groups = self.view or [[i] for i in range(len(self.header))]
        out = []
        for cls, row in zip(self.classes, self.rows, strict=True):
            cells = [" · ".join(row[i] for i in g if row[i] not in ("", "—")) or
                     ("" if all(row[i] == "" for i in g) else "—") for g in groups]
            out.append((cls, cells))
        return out

    def add(self, row: list[Any], cls: str = "", values: dict[int, float | int | None] | None = None) -> None:
        self.rows.append(["" if v is None else str(v) for v in row])
        self.classes.append(cls)
        self.values.append({k: v for k, v in (values or {}).items() if v is not None})


@dataclass
class ReportContext:
    lang: str
    a: Assessment
    unit: UnitFile
    pack: Pack | None
    title: str
    cover: list[tuple[str, str]]
    summary: list[tuple[str, str]]
    conclusion: str
    conclusion_text: str
    pack_note: str
    streams: Table
    class_totals: list[tuple[str, str, float, float]]  # (class, label, tCO2e, share)
    rates: Table
    rates_pivot: Table
    points_tables: list[Table]
    accuracy: Table
    confirmation: Table
    findings: Table
    parameters: Table
    consumers: Table
    places: Table
    ledgers: list[Table]
    thresholds: Table
    chart_streams: list[tuple[str, float, str, str]]  # (label, tCO2e, class, share text)

    def t(self, key: str, **kw: object) -> str:
        return t(key, self.lang, **kw)


def resolve_pack(a: Assessment, unit: UnitFile, pack: Pack | None) -> Pack | None:
    """The pack the assessment used: given, else loaded by name or by the unit's reference,
    accepted only when its SHA-256 is the one recorded in the assessment."""
    if pack is not None:
        return pack
    from tanjiliang.model.errors import LoadError
    from tanjiliang.rules.load import load_pack

    for ref in (a.pack_name, unit.pack):
        if not ref:
            continue
        with contextlib.suppress(LoadError, OSError):
            loaded = load_pack(ref)
            if loaded.sha256 == a.pack_sha256:
                return loaded.pack
    return None


class _Names:
    def __init__(self, a: Assessment, unit: UnitFile, pack: Pack | None, lang: str) -> None:
        self.lang, self.pack = lang, pack
        self.place: dict[str, str] = {}
        for su in unit.subunits:
            self.place[su.id] = f"{su.name} ({su.id})"
        for e in unit.equipment:
            self.place[e.id] = f"{e.name} ({e.id})"
        for ep in unit.emission_points:
            self.place[ep.id] = f"{ep.name} ({ep.id})"
        self.place[BOUNDARY] = t("place.boundary", lang)
        self.place[LAB] = t("place.lab", lang)
        self.stream = {s.id: f"{s.name} ({s.id})" for s in a.streams}
        self.instrument = {i.id: i for i in unit.instruments}
        self.library: FactorLibrary | None
        try:
            self.library = bundled_library()
        except Exception:  # the factor library is only used for display names here
            self.library = None

    def of_place(self, pid: str) -> str:
        return self.place.get(pid, pid)

    def medium(self, mid: str | None) -> str:
        if not mid:
            return "—"
        if self.pack is not None:
            with contextlib.suppress(KeyError):
                return self.pack.medium(mid).name(self.lang)
        return mid

    def itype(self, tid: str) -> str:
        if self.pack is not None:
            ty = self.pack.instrument_type(tid)
            if ty is not None:
                return ty.name(self.lang)
        return tid

    def material(self, key: str | None) -> str:
        if not key:
            return "—"
        m = self.library.material(key) if self.library is not None else None
        return m.name(self.lang) if m is not None else key

    def finding_title(self, code: str) -> str:
        if self.pack is not None and code in self.pack.findings:
            return self.pack.findings[code].title(self.lang)
        return code

    def measures(self, text: str) -> str:
        """``S1.co2`` → ``窑尾烟囱 (S1) · CO2浓度``; several targets separated by commas."""
        out = []
        for part in (x.strip() for x in text.split(",")):
            sid, _, qty = part.rpartition(".")
            if not sid:
                sid, qty = part, ""
            base = self.stream.get(sid) or self.place.get(sid) or sid
            out.append(f"{base} · {enum('quantity', qty, self.lang)}" if qty else base)
        return ", ".join(out)


def _level(level: int | None, lang: str) -> str:
    return enum("level", level, lang)


def _bool(v: bool | None, lang: str, kind: str = "ok") -> str:
    if v is None:
        return t("ok.none", lang)
    return t(f"{kind}.{'true' if v else 'false'}", lang)


def _tier(v: int | None, lang: str) -> str:
    return t("tier.none", lang) if v is None else str(v)


def build_context(a: Assessment, unit: UnitFile, pack: Pack | None = None,
                  lang: str = "zh") -> ReportContext:
    pack = resolve_pack(a, unit, pack)
    n = _Names(a, unit, pack, lang)
    # Points are named by their symbol on the flow diagram (W1, E3 …), not by engine ids.
    from tanjiliang.diagram.symbols import point_symbols

    symbol = {pid: sym.label for pid, sym in point_symbols(a, pack).items()}
    L = lang

    def tt(key: str, **kw: object) -> str:
        return t(key, L, **kw)

    title = tt("report.title")
    conclusion_label = enum("conclusion", a.conclusion, L)
    cover = [
        (tt("cover.unit"), a.unit_name),
        (tt("cover.credit_code"), a.credit_code or "—"),
        (tt("cover.sector"), tt(f"sector.{a.sector}") if f"sector.{a.sector}" in _sector_keys() else a.sector),
        (tt("cover.region"), a.region or "—"),
        (tt("cover.year"), str(a.unit_year)),
        (tt("cover.pack"), (pack.title(L) if pack else a.pack_name) + f" ({a.pack_name})"),
        (tt("cover.pack_version"), a.pack_version),
        (tt("cover.pack_hash"), a.pack_sha256),
        (tt("cover.factors"), a.factors_version),
        (tt("cover.gwp"), a.gwp_set),
        (tt("cover.as_of"), a.as_of.isoformat()),
        (tt("cover.conclusion"), conclusion_label),
    ]
    required = [p for p in a.points if p.required]
    equipped = [p for p in required if p.status != "missing"]
    ncs, obs = a.nonconformities(), a.observations()
    summary = [
        (tt("sum.total"), fmt.tco2e(a.total_tco2e)),
        (tt("sum.biogenic"), fmt.tco2e(a.biogenic_tco2)),
        (tt("sum.key_unit"), tt("yes") if a.key_emission_unit else tt("no")),
        (tt("sum.category"), a.installation_category),
        (tt("sum.thresholds"), f"{fmt.tco2e(a.threshold_de_minimis)} / {fmt.tco2e(a.threshold_minor)}"),
        (tt("sum.streams"), str(len(a.streams))),
        (tt("sum.points"), f"{len(required)} / {len(equipped)}"),
        (tt("sum.instruments"), str(len(a.instruments))),
        (tt("sum.nonconformities"), str(len(ncs))),
        (tt("sum.observations"), str(len(obs))),
    ]
    conclusion_text = (tt("sum.conclusion_conforming") if a.conclusion == "conforming"
                       else tt("sum.conclusion_nonconforming", n=len(ncs)))
    pack_note = tt("sum.pack_note", status=enum("pack_status", pack.status, L) if pack else "—")

    # ------------------------------------------------------------------ streams
    streams_sorted = sorted(a.streams, key=lambda s: (-abs(s.emissions_tco2e), s.id))
    st = Table("streams", tt("sec.emissions"),
               [tt("col.no"), tt("col.stream"), tt("col.kind"), tt("col.method"), tt("col.material"),
                tt("col.medium"), tt("col.activity"), tt("col.emissions"), tt("col.share"),
                tt("col.class"), tt("col.tier_required"), tt("col.tier_achieved"),
                tt("col.uncertainty")], numeric={0, 7, 8, 12},
               formats={0: "0", 7: "#,##0.00", 8: "0.00%", 12: "0.00"},
               view=[[0], [1], [2, 3], [4, 5], [6], [7], [8], [9], [10, 11], [12]])
    for no, s in enumerate(streams_sorted, 1):
        cls = enum("class", s.cls, L)
        if s.declared_class and s.declared_class != s.computed_class:
            cls += f" ({tt('col.computed_class')}: {enum('class', s.computed_class, L)})"
        st.add([no, n.stream[s.id], enum("kind", s.kind, L), enum("method", s.method, L),
                n.material(s.material), n.medium(s.medium), s.activity or "—",
                fmt.tco2e(s.emissions_tco2e), fmt.pct(s.share), cls,
                _tier(s.tier_required, L) + (
                    f" → {_tier(s.lower_tier['tier'], L)} ({s.lower_tier['date']}: {s.lower_tier['reason']})"
                    if s.lower_tier else ""),
                _tier(s.tier_achieved, L),
                "—" if s.uncertainty_percent is None else fmt.num(s.uncertainty_percent, 2)],
               cls=f"class-{s.cls}",
               values={0: no, 7: s.emissions_tco2e, 8: s.share, 12: s.uncertainty_percent})
    st.add(["", tt("chart.total"), "", "", "", "", "", fmt.tco2e(a.total_tco2e), fmt.pct(1.0 if a.total_tco2e else 0.0),
            "", "", "", ""], cls="total", values={7: a.total_tco2e, 8: 1.0 if a.total_tco2e else 0.0})
    class_totals = []
    for c in ("major", "minor", "de_minimis"):
        e = sum(abs(s.emissions_tco2e) for s in a.streams if s.cls == c)
        share = sum(s.share for s in a.streams if s.cls == c)
        class_totals.append((c, enum("class", c, L), e, share))
    chart_streams = [(n.stream[s.id], s.emissions_tco2e, s.cls, fmt.pct(s.share))
                     for s in streams_sorted]

    thresholds = Table("thresholds", tt("sum.thresholds"), [tt("col.name"), tt("col.value")],
                       numeric={1}, formats={1: "#,##0.00"})
    thresholds.add([tt("sum.total"), fmt.tco2e(a.total_tco2e)], values={1: a.total_tco2e})
    thresholds.add([enum("class", "de_minimis", L), fmt.tco2e(a.threshold_de_minimis)],
                   values={1: a.threshold_de_minimis})
    thresholds.add([enum("class", "minor", L), fmt.tco2e(a.threshold_minor)],
                   values={1: a.threshold_minor})
    if pack is not None:
        cl = pack.classification
        thresholds.note = tt(
            "thresholds.note",
            tdm=f"Tdm = max({fmt.num(cl.de_minimis.floor_tco2e.value)}, min({cl.de_minimis.fraction.value:g}·T, "
                f"{fmt.num(cl.de_minimis.cap_tco2e.value)}))",
            tmin=f"Tmin = max({fmt.num(cl.minor.floor_tco2e.value)}, "
                 f"min({cl.minor.fraction.value:g}·T, {fmt.num(cl.minor.cap_tco2e.value)}))",
            clause=clause_ref(cl.clause, L), mode=enum("classification_mode", cl.mode.value, L))

    # ------------------------------------------------------------------ rates (GB 17167 table)
    media_order = {m.id: i for i, m in enumerate(pack.media.rows)} if pack else {}
    rates_sorted = sorted(a.rates, key=lambda r: (media_order.get(r.medium, 99), r.medium,
                                                  LEVEL_ORDER.get(r.level, 9)))
    rt = Table("rates", tt("sec.rates"),
               [tt("col.medium"), tt("col.level"), tt("col.required"), tt("col.equipped"),
                tt("col.rate"), tt("col.required_rate"), tt("col.meets")], numeric={2, 3, 4, 5},
               note=tt("xlsx.rates_note"), formats={2: "0", 3: "0", 4: "0.0", 5: "0.0"})
    for r in rates_sorted:
        rt.add([n.medium(r.medium), _level(r.level, L), r.required, r.equipped,
                fmt.pct_value(r.rate_percent), fmt.pct_value(r.required_percent),
                _bool(r.meets, L, "meets")], cls="" if r.meets else "bad",
               values={2: r.required, 3: r.equipped, 4: r.rate_percent, 5: r.required_percent})

    levels = sorted({r.level for r in a.rates}, key=lambda v: LEVEL_ORDER.get(v, 9))
    pivot = Table("rates-pivot", tt("sec.rates"), [tt("col.medium")] + [_level(v, L) for v in levels],
                  numeric=set(range(1, len(levels) + 1)), note=tt("rates.pivot_note"))
    for medium in dict.fromkeys(r.medium for r in rates_sorted):
        cells: list[str] = []
        bad = False
        for v in levels:
            cell = next((x for x in rates_sorted if x.medium == medium and x.level == v), None)
            if cell is None:
                cells.append("—")
                continue
            bad = bad or not cell.meets
            mark = "" if cell.meets else f" {tt('meets.false')}"
            cells.append(f"{cell.equipped}/{cell.required} = {fmt.pct_value(cell.rate_percent)} "
                         f"(≥{fmt.pct_value(cell.required_percent, 0)}){mark}")
        pivot.add([n.medium(medium), *cells], cls="bad" if bad else "")

    # ------------------------------------------------------------------ points by level
    stream_order = {s.id: i for i, s in enumerate(a.streams)}
    points_tables = []
    for lv in (1, 2, 3, None):
        pts = sorted((p for p in a.points if p.level == lv),
                     key=lambda p: (stream_order.get(p.stream, 999), p.id))
        if not pts:
            continue
        tb = Table(f"points-{lv}", f"{tt('sec.points')} · {_level(lv, L)}",
                   [tt("col.symbol"), tt("col.stream"), tt("col.quantity"), tt("col.medium"),
                    tt("col.place"), tt("col.places"), tt("col.instruments"), tt("col.status")],
                   view=[[0], [1, 2, 3], [5], [6], [7]])
        for p in pts:
            tb.add([symbol.get(p.id, p.id), *_point_row(p, n, L)[1:]], cls=f"st-{p.status}" if p.required else "extra")
        points_tables.append(tb)

    # ------------------------------------------------------------------ accuracy / confirmation
    instruments = sorted(a.instruments, key=lambda i: (LEVEL_ORDER.get(i.level, 9), i.id))
    acc = Table("accuracy", tt("sec.accuracy"),
                [tt("col.id"), tt("col.name"), tt("col.type"), tt("col.measures"), tt("col.level"),
                 tt("col.accuracy"), tt("col.mpe"), tt("col.required_mpe"), tt("col.accuracy_ok")],
                numeric={6, 7}, formats={6: "0.0##", 7: "0.0##"},
                view=[[0, 1], [2, 3], [4], [5], [6], [7], [8]])
    conf = Table("confirmation", tt("sec.confirmation"),
                 [tt("col.id"), tt("col.name"), tt("col.instr_status"), tt("col.confirmation"),
                  tt("col.last_confirmed"), tt("col.interval"), tt("col.next_due"),
                  tt("col.calib_status"), tt("col.certificate"), tt("col.confirmed_by")],
                 numeric={5}, formats={5: "0"}, view=[[0, 1], [2, 3], [4], [5], [6], [7], [8, 9]])
    for ir in instruments:
        src = n.instrument.get(ir.id)
        acc.add([ir.id, ir.name, n.itype(ir.type), n.measures(ir.measures), _level(ir.level, L),
                 (src.accuracy if src and src.accuracy else "—"), fmt.sig(ir.mpe_percent, 3),
                 fmt.sig(ir.required_mpe_percent, 3), _bool(ir.accuracy_ok, L)],
                cls="bad" if ir.accuracy_ok is False else "",
                values={6: ir.mpe_percent, 7: ir.required_mpe_percent})
        conf.add([ir.id, ir.name, enum("instrument_status", ir.status, L),
                  _confirmation_kind(src.confirmation if src else None, L),
                  fmt.day(ir.last_confirmed), ir.interval_months, fmt.day(ir.next_due),
                  enum("calibration_status", ir.calibration_status, L),
                  (src.certificate if src and src.certificate else "—"),
                  (src.confirmed_by if src and src.confirmed_by else "—")],
                 cls=_calib_class(ir), values={5: ir.interval_months})

    # ------------------------------------------------------------------ findings
    fs = sorted(a.findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.code, f.subject))
    ft = Table("findings", tt("sec.findings"),
               [tt("col.no"), tt("col.severity"), tt("col.code"), tt("col.title"), tt("col.clause"),
                tt("col.subject"), tt("col.message")], numeric={0}, formats={0: "0"},
               view=[[0], [1], [2, 3], [4], [5], [6]])
    for k, f in enumerate(fs, 1):
        ft.add([k, enum("severity", f.severity, L), f.code, n.finding_title(f.code),
                clause_ref(f.clause, L), finding_subject(f.subject, pack, L), f.message(L)], cls=f"sev-{f.severity}",
               values={0: k})

    # ------------------------------------------------------------------ data behind the numbers
    pt = Table("parameters", tt("sec.data"),
               [tt("col.stream"), tt("col.formula"), tt("col.activity"), tt("col.parameter"),
                tt("col.value"), tt("col.unit"), tt("col.source"), tt("col.citation")],
               numeric={4}, formats={4: "General"}, view=[[0, 2], [1], [3], [4, 5], [6, 7]],
               note=tt("formula.symbols"))
    for s in sorted(a.streams, key=lambda s: s.id):
        params = s.parameters or []
        first = [n.stream[s.id], formula_text(s.formula, L), s.activity or (f"{fmt.tco2e(s.emissions_tco2e)} t" if s.method == "measurement" else "—")]
        if not params:
            pt.add([*first, "—", "—", "—", "—", "—"])
            continue
        for k, prm in enumerate(params):
            lead = first if k == 0 else ["", "", ""]
            pt.add([*lead, _param_name(prm.name, L), fmt.sig(prm.value), prm.unit,
                    t(f"source.{prm.source}", L) if f"source.{prm.source}" in _source_keys() else prm.source,
                    citation_text(prm.citation, L) or "—"], values={4: prm.value})
    cons = Table("consumers", tt("col.consumers"),
                 [tt("col.stream"), tt("col.consumers"), tt("col.by_gas")])
    for s in sorted(a.streams, key=lambda s: s.id):
        cons.add([n.stream[s.id],
                  "; ".join(f"{n.of_place(c)} {fmt.pct(x)}" for c, x in s.consumers.items()) or t("diagram.whole_unit", L),
                  ", ".join(f"{g} {fmt.sig(v, 6)}" for g, v in sorted(s.by_gas_t.items()))
                  + (f"; bio CO2 {fmt.sig(s.biogenic_co2_t, 6)}" if s.biogenic_co2_t else "")])
    places = Table("places", tt("sec.places"),
                   [tt("col.id"), tt("col.name"), tt("col.kind"), tt("col.parent"),
                    tt("col.attributed"), tt("col.major"), tt("col.declared")], numeric={4},
                   formats={4: "#,##0.00"}, view=[[0, 1], [2], [3], [4], [5], [6]])
    for pl in a.places:
        places.add([pl.id, n.of_place(pl.id).rsplit(" (", 1)[0], t(f"place.{pl.kind}", L),
                    n.of_place(pl.parent) if pl.parent else "—", fmt.tco2e(pl.attributed_tco2e),
                    tt("yes") if pl.major else tt("no"), tt("yes") if pl.declared else tt("no")],
                   values={4: pl.attributed_tco2e})

    # ------------------------------------------------------------------ ledgers (JJF 1356 B.4–B.6)
    ledgers = []
    for lv in (1, 2, 3, None):
        ins = [i for i in instruments if i.level == lv]
        if not ins:
            continue
        title_ = (tt("xlsx.ledger_level", level=_level(lv, L)) if lv else tt("xlsx.ledger_other"))
        title_ = title_[:1].upper() + title_[1:]
        tb = Table(f"ledger-{lv}", title_,
                   [tt("col.no"), tt("col.name"), tt("col.model"), tt("col.accuracy"),
                    tt("col.range"), tt("col.manufacturer"), tt("col.serial"), tt("col.id"),
                    tt("col.at"), tt("col.measures"), tt("col.interval"), tt("col.instr_status"),
                    tt("col.type"), tt("col.mpe"), tt("col.last_confirmed"), tt("col.next_due"),
                    tt("col.calib_status"), tt("col.certificate"), tt("col.confirmed_by"),
                    tt("col.points")], formats={0: "0", 10: "0", 13: "0.0##"})
        for k, ir in enumerate(ins, 1):
            src = n.instrument.get(ir.id)
            tb.add([k, ir.name, _g(src, "model"), _g(src, "accuracy"), _g(src, "range"),
                    _g(src, "manufacturer"), _g(src, "serial"), ir.id, n.of_place(ir.at),
                    n.measures(ir.measures), ir.interval_months,
                    enum("instrument_status", ir.status, L), n.itype(ir.type),
                    fmt.sig(ir.mpe_percent, 3), fmt.day(ir.last_confirmed), fmt.day(ir.next_due),
                    enum("calibration_status", ir.calibration_status, L), _g(src, "certificate"),
                    _g(src, "confirmed_by"), ", ".join(symbol.get(x, x) for x in ir.points) or "—"],
                   values={0: k, 10: ir.interval_months, 13: ir.mpe_percent})
        ledgers.append(tb)

    ctx = ReportContext(
        lang=L, a=a, unit=unit, pack=pack, title=title, cover=cover, summary=summary,
        conclusion=a.conclusion, conclusion_text=conclusion_text, pack_note=pack_note,
        streams=st, class_totals=class_totals, rates=rt, rates_pivot=pivot, points_tables=points_tables,
        accuracy=acc, confirmation=conf, findings=ft, parameters=pt, consumers=cons,
        places=places, ledgers=ledgers, thresholds=thresholds, chart_streams=chart_streams,
    )
    return ctx


def _g(obj: object, name: str) -> str:
    v = getattr(obj, name, None) if obj is not None else None
    return "—" if v in (None, "") else str(v)


def _param_name(name: str, lang: str) -> str:
    """``emission_factor.CO2`` → ``排放因子 CO2``."""
    base, _, gas = name.partition(".")
    return enum("quantity", base, lang) + (f" {gas}" if gas else "")


def _point_row(p: PointResult, n: _Names, lang: str) -> list[str]:
    return [p.id, n.stream.get(p.stream, p.stream), enum("quantity", p.quantity, lang),
            n.medium(p.medium), n.of_place(p.place),
            ", ".join(n.of_place(x) for x in p.places),
            ", ".join(p.instruments) or "—",
            enum("point_status", p.status, lang) if p.required else t("point.extra", lang)]


def _confirmation_kind(kind: str | None, lang: str) -> str:
    return "—" if kind is None else t(f"confirm.{kind}", lang)


def _calib_class(i: InstrumentResult) -> str:
    return {"overdue": "bad", "unknown": "bad", "due_soon": "warn"}.get(i.calibration_status, "")


def _sector_keys() -> set[str]:
    from tanjiliang.reports.i18n import TEXT

    return {k for k in TEXT if k.startswith("sector.")}


def _source_keys() -> set[str]:
    from tanjiliang.reports.i18n import TEXT

    return {k for k in TEXT if k.startswith("source.")}
