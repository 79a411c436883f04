"""The web app's doors into the other packages: the diagram (tanjiliang.diagram), the
reports (tanjiliang.reports), the readings quality checks (tanjiliang.data) and the Excel
ledger (tanjiliang.ledger). Nothing here computes a rule; results are cached per revision.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections import OrderedDict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tanjiliang.i18n import gettext
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import assessment, pack_for, today, unit_key
from tanjiliang.web.core.mapping import unit_file

_LOCK = threading.Lock()
_SVG: OrderedDict[tuple[Any, ...], str] = OrderedDict()


def diagram_svg(unit: m.Unit, lang: str) -> str | None:
    """The Annex A diagram as inline SVG (None when it cannot be drawn)."""
    key = (*unit_key(unit), today(), lang)
    hit = _SVG.get(key)
    if hit is not None:
        return hit
    try:
        from tanjiliang.diagram.render import inline_svg, render

        a = assessment(unit)
        svg = inline_svg(render(a, unit_file(unit), pack_for(unit).pack, lang, "svg").decode())
    except Exception:  # a diagram that cannot be drawn must not take the dashboard down
        import logging

        logging.getLogger(__name__).exception("diagram of unit %s", unit.pk)
        return None
    with _LOCK:
        _SVG[key] = svg
        while len(_SVG) > 32:
            _SVG.popitem(last=False)
    return svg


_REPORTS: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()


def report_bytes(unit: m.Unit, fmt: str, lang: str) -> bytes:
    """The assessment report (pdf | xlsx | html) of the unit's current revision (cached per
    revision, date, format and language)."""
    key = (*unit_key(unit), today(), fmt, lang)
    hit = _REPORTS.get(key)
    if hit is None:
        hit = _build_report(unit, fmt, lang)
        with _LOCK:
            _REPORTS[key] = hit
            while len(_REPORTS) > 16:
                _REPORTS.popitem(last=False)
    return hit


def _build_report(unit: m.Unit, fmt: str, lang: str) -> bytes:
    from tanjiliang.reports import write_report

    a = assessment(unit)
    with tempfile.TemporaryDirectory(prefix="tanjiliang-report-") as tmp:
        path = Path(tmp) / f"report.{fmt}"
        write_report(a, unit_file(unit), path, lang, pack_for(unit).pack)
        return path.read_bytes()


def _plain(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, float) and v != v:
        return None
    return v


class PeriodProblem(ValueError):
    pass


def chosen_period(post: Any, year: int, lang: str) -> tuple[str, date | None, date | None]:
    """The period asked for on the upload form: ``data`` (the months the file covers, the
    default), ``year`` (the reporting year), ``month`` (YYYY-MM) or ``range`` (from–to, both
    days included)."""
    get = post.get
    how = (get("period") or "data").strip()
    try:
        if how not in ("data", "year", "month", "range"):  # never the default in silence
            raise ValueError
        if how == "month":
            y, mo = (int(x) for x in (get("month") or "").split("-"))
            return how, date(y, mo, 1), date(y + (mo == 12), mo % 12 + 1, 1)
        if how == "range":
            start = date.fromisoformat(get("from") or "")
            end = date.fromisoformat(get("to") or "") + timedelta(days=1)
            if end <= start:
                raise ValueError
            return how, start, end
    except ValueError:
        raise PeriodProblem(gettext("统计期无效：请选择月份，或填写起止日期（止日不早于起日）", lang, "web.integrations")) from None
    if how == "year":
        return how, date(year, 1, 1), date(year + 1, 1, 1)
    return "data", None, None


def readings_period(path: Path, instrument_ids: set[str]) -> tuple[date, date] | None:
    """The whole months the readings of a file fall in (issue 12 §5: a month's file is judged
    for that month, not against the whole year); None when it has no readable time."""
    import polars as pl  # here, not at the top: a new web worker need not import it (issue 16)

    from tanjiliang.data.readings import scan_readings

    frame = scan_readings(path, instrument_ids).frame
    span = frame.select(pl.col("time").min().alias("lo"), pl.col("time").max().alias("hi")).collect()
    lo, hi = span["lo"][0], span["hi"][0]
    if lo is None or hi is None:
        return None
    start = date(lo.year, lo.month, 1)
    # a totaliser's closing register at 00:00 on the 1st belongs to the month before
    last = hi - timedelta(microseconds=1) if (hi.day, hi.hour, hi.minute, hi.second) == (1, 0, 0, 0) \
        and hi > lo else hi
    end = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return start, end


def hide_path(text: str, path: Path, name: str) -> str:
    """``text`` with the server's path of an uploaded file replaced by its name (no server
    paths on a page, issue 12 §5)."""
    for p in (str(path), str(path.resolve())):
        text = text.replace(json.dumps(p)[1:-1], json.dumps(name, ensure_ascii=False)[1:-1])
        text = text.replace(p, name)
    return text


def readings_report(unit: m.Unit, path: Path, name: str, start: date | None = None,
                    end: date | None = None) -> dict[str, Any]:
    """The data check of one readings file against the unit (``tanjiliang data check``:
    quality, stream activity, reconciliation, CEMS, findings) in both languages, plus the
    first flagged rows; for ``start``–``end`` (end exclusive), else the reporting year. Raises
    ``ReadingsError`` when the file cannot be read at all."""
    import polars as pl

    from tanjiliang.data.report import run

    rep = run(unit_file(unit), [path], pack_for(unit), start=start, end=end, as_of=today())
    flagged = rep.quality.flagged.head(300).with_columns(pl.lit(name).alias("file"))
    out = {
        "zh": rep.to_json("zh"), "en": rep.to_json("en"), "rows": rep.quality.rows,
        "flagged": [{k: _plain(v) for k, v in r.items()} for r in flagged.to_dicts()],
    }
    return json.loads(hide_path(json.dumps(out, ensure_ascii=False, default=str), path, name))
