"""Change sets: what an import would do to a unit's instruments, before it does it.

Issue 12 (2) "Nothing removed without asking": every import first computes a change set —
added, changed (field by field), unchanged, absent from the file — and shows it. Applying it
merges: an instrument of the file is matched with the unit's by 管理编号 (id), else 出厂编号
(serial), else name and place; a matched instrument keeps every field the file does not state
(and keeps its id); confirmation records are merged by date. Instruments absent from the file
stay unless they are named in ``remove`` (the web app's ticks) or ``remove`` is ``True``
(``--remove-missing``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from pydantic import ValidationError

from tanjiliang.i18n import pairs, pick
from tanjiliang.ledger.words import field_label, value_label
from tanjiliang.model.names import norm
from tanjiliang.model.unit import Instrument, UnitFile

#: The change set's lines, ``str.format`` templates (Chinese; the English from the catalogue,
#: context ``ledger.change:<key>``).
TEXT = cast("dict[str, tuple[str, str]]", pairs("ledger.change", {
    "summary": "新增 {a} 台，修改 {c} 台，未变 {u} 台，文件中没有 {m} 台",
    "added": "+ {id} {name}（新增）",
    "changed": "~ {id}（{by}）",
    "by.id": "按管理编号",
    "by.serial": "按出厂编号",
    "by.name_place": "按名称和地点",
    "removed": "- {id}（文件中没有，按您的选择删除）",
    "kept": "= {id}（文件中没有，保留；删除须明确选择 --remove-missing）",
}))


def _t(key: str, lang: str, **fields: Any) -> str:
    text = pick(TEXT[key], lang, f"ledger.change:{key}")
    return text.format(**fields) if fields else text


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class Changed:
    id: str  # the unit's id (kept)
    matched_by: str  # id | serial | name_place
    fields: list[FieldChange]
    merged: dict[str, Any]
    row: int | None = None  # the index of the file's instrument (LedgerRead.instruments)


@dataclass
class ChangeSet:
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # ids of the unit not in the file
    file_ids: dict[str, str] = field(default_factory=dict)  # unit id → id the file gave it
    #: (row of the file, field, zh, en): what the file says that would rewrite the unit's
    #: confirmation history (an earlier 最近检定/校准日期); refused by the import, naming the cell
    conflicts: list[tuple[int, tuple[str | int, ...], str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed)

    def summary(self, lang: str = "zh") -> str:
        return _t("summary", lang, a=len(self.added), c=len(self.changed), u=len(self.unchanged),
                  m=len(self.absent))

    def lines(self, lang: str = "zh", removed: Iterable[str] = ()) -> list[str]:
        """The change set as lines for a terminal or a page."""
        gone = set(removed)
        out = [self.summary(lang)]
        for rec in self.added:
            out.append(_t("added", lang, id=rec.get("id"), name=rec.get("name", "")))
        for ch in self.changed:
            out.append(_t("changed", lang, id=ch.id, by=_t(f"by.{ch.matched_by}", lang)))
            for _, _, label, old, new in self.field_rows(lang, [ch]):
                out.append(f"    {label}: {old} → {new}")
        for ident in self.absent:
            out.append(_t("removed" if ident in gone else "kept", lang, id=ident))
        return out

    def field_rows(self, lang: str = "zh", changed: Iterable[Changed] | None = None
                   ) -> list[tuple[str, str, str, str, str]]:
        """One row per changed field: (id, matched by, field, old, new), the field and its values
        by their names in ``lang`` (ledger/words.py: 干湿基准 湿基 → 干基), never the codes."""
        return [(ch.id, ch.matched_by, field_label(fc.field, lang), _show(_named(fc.field, fc.old, lang)),
                 _show(_named(fc.field, fc.new, lang)))
                for ch in (self.changed if changed is None else changed) for fc in ch.fields]

    def to_json(self, removed: Iterable[str] = ()) -> dict[str, Any]:
        """The change set as stored in the history (and returned by the API)."""
        return {
            "added": [str(r.get("id")) for r in self.added],
            "changed": [{"id": c.id, "matched_by": c.matched_by,
                         "fields": [{"field": f.field, "old": _json(f.old), "new": _json(f.new)} for f in c.fields]}
                        for c in self.changed],
            "unchanged": list(self.unchanged),
            "absent": list(self.absent),
            "removed": sorted(set(removed) & set(self.absent)),
        }


def _named(fld: str, value: Any, lang: str) -> Any:
    """A code among the values by its name (``in_use`` → 在用); anything else as it is."""
    return value_label(fld, value, lang) if isinstance(value, str) else value


def _json(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return [_json(x) for x in v]
    if isinstance(v, dict):
        return {k: _json(x) for k, x in v.items()}
    return v


def _show(v: Any) -> str:
    """A value as the change list shows it: confirmation records by their dates (``— →
    2024-08-31``, not ``[1]``: which dates the history gains), other lists item by item."""
    if v is None:
        return "—"
    if isinstance(v, list):
        items = [_json(x) for x in v]
        if items and all(isinstance(x, dict) and "date" in x for x in items):
            items = [x["date"] for x in items]
        if all(isinstance(x, str | int | float) for x in items) and len(items) <= 6:
            return ", ".join(map(str, items)) if items else "—"
        return f"[{len(v)}]"
    return str(_json(v))


def _data(ins: Instrument) -> dict[str, Any]:
    """What the user set (defaults they did not write stay out), as JSON values."""
    data: dict[str, Any] = ins.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return data


def _merge_confirmations(old: list[dict[str, Any]], new: list[dict[str, Any]]
                         ) -> tuple[list[dict[str, Any]], list[tuple[int, str, str]]]:
    """The file's records merged into the unit's: a record that agrees with a unit record of its
    date (every field both state is equal) completes it; one of a date the unit does not record
    is added (two of one date on the sheet stay two records); one that contradicts the unit's
    record(s) of its date is a conflict (index in ``new``, zh, en) — never a silent rewrite of
    the confirmation history (probe s10 #6)."""
    out = [{k: v for k, v in r.items() if v is not None} for r in old]
    n_old = len(out)
    used: set[int] = set()
    conflicts: list[tuple[int, str, str]] = []
    for n, r in enumerate(new):
        rec = {k: v for k, v in r.items() if v is not None}
        same = [k for k in range(n_old) if out[k]["date"] == rec["date"]]
        fits = [k for k in same if k not in used and all(out[k].get(f) in (None, v) for f, v in rec.items())]
        if fits:
            used.add(fits[0])
            out[fits[0]] = {**out[fits[0]], **rec}
        elif same:
            was = out[same[0]]
            differ = [f for f, v in rec.items() if was.get(f) not in (None, v)]
            zh = "、".join(f"{field_label(f, 'zh')} {_show(_named(f, was[f], 'zh'))}" for f in differ)
            en = ", ".join(f"{field_label(f, 'en')} {_show(_named(f, was[f], 'en'))}" for f in differ)
            conflicts.append((n, f"与单位文件中 {rec['date']} 的确认记录矛盾（{zh}）；导入台账不改写已有的确认记录，"
                                 "改正请在单位文件（或器具表单）中进行",
                              f"contradicts the unit file's confirmation record of {rec['date']} ({en}); a ledger "
                              "import never rewrites recorded confirmations: correct it in the unit file (or the "
                              "instrument form)"))
        else:
            out.append(rec)
    return sorted(out, key=lambda r: str(r["date"])), conflicts


def _history(full: dict[str, Any], rec: dict[str, Any], fields: set[str], row: int,
             cs: ChangeSet) -> None:
    """A new 最近检定/校准日期 adds to the instrument's confirmation history, never rewrites it
    (docs/ledger.md "Confirmation history"): a date after every date the unit records keeps the
    unit's ``last_confirmed`` as a confirmation record of its own (with the unit's kind,
    certificate and body), so an assessment as of a date before the new one is unchanged; a date
    the unit already records (its ``last_confirmed`` or a record's) is no change; any other date
    before the latest recorded one is a conflict (``cs.conflicts``)."""
    new, old = rec.get("last_confirmed"), full.get("last_confirmed")
    if "last_confirmed" not in fields or new is None:
        return
    dates = [r["date"] for r in full.get("confirmations") or []]
    if new == old or new in dates:  # a date the unit records (an export --as-of shows an earlier one)
        rec["last_confirmed"] = old
        return
    latest = max([d for d in [old, *dates] if d is not None], default=None)
    if latest is None:
        return
    if new < latest:
        cs.conflicts.append((row, ("last_confirmed",),
                             f"早于单位文件已记录的确认日期 {latest}：导入台账只能增加确认记录，不改写已有的记录；"
                             "更早的一次检定/校准请填在“确认记录”表中，改正日期请在单位文件（或器具表单）中修改",
                             f"is before the confirmation of {latest} the unit file already records: a ledger import "
                             "adds confirmations and never rewrites recorded ones; enter an earlier verification or "
                             "calibration on the Confirmations sheet, correct a date in the unit file (or the "
                             "instrument form)"))
        return
    if old is None or old in dates:
        return
    kept = {"date": old, "kind": full.get("confirmation") or rec.get("confirmation") or "verification",
            "certificate": full.get("certificate"), "body": full.get("confirmed_by")}
    rec["confirmations"] = [*(rec.get("confirmations") or []), kept]  # the file's indices kept
    fields.add("confirmations")


def _index(instruments: list[Instrument]) -> tuple[dict[str, int], dict[str, int], dict[tuple[str, str], int]]:
    by_id = {norm(ins.id): k for k, ins in enumerate(instruments)}
    by_serial: dict[str, int] = {}
    by_name: dict[tuple[str, str], int] = {}
    for k, ins in enumerate(instruments):
        if ins.serial:
            by_serial.setdefault(norm(ins.serial), k)
        by_name.setdefault((norm(ins.name), ins.at), k)
    return by_id, by_serial, by_name


def compute(unit: UnitFile, incoming: list[dict[str, Any]], stated: list[set[str]] | None = None) -> ChangeSet:
    """The change set of importing ``incoming`` (model data of the file's instruments; each
    with the set of fields the file states) into ``unit``."""
    stated = stated if stated is not None else [set(r) for r in incoming]
    old = list(unit.instruments)
    by_id, by_serial, by_name = _index(old)
    cs = ChangeSet()
    matched: set[int] = set()
    for row, (raw, fields) in enumerate(zip(incoming, stated, strict=True)):
        rec: dict[str, Any] = _json(raw)
        k: int | None = None
        how = ""
        if (fid := norm(rec.get("id") or "")) in by_id and by_id[fid] not in matched:
            # ids compared as the rest of the tool compares names: full-width, case, spaces folded
            k, how = by_id[fid], "id"
        elif rec.get("serial") and norm(rec["serial"]) in by_serial and by_serial[norm(rec["serial"])] not in matched:
            k, how = by_serial[norm(rec["serial"])], "serial"
        elif (key := (norm(rec.get("name", "")), str(rec.get("at")))) in by_name and by_name[key] not in matched:
            k, how = by_name[key], "name_place"
        if k is None:
            cs.added.append(rec)
            continue
        matched.add(k)
        full = old[k].model_dump(mode="json", by_alias=True)
        after = _data(old[k])
        diffs = []
        fields = set(fields)
        _history(full, rec, fields, row, cs)
        for f in _order(fields):
            if f == "id" or f not in rec:
                continue
            value = rec[f]
            if f == "confirmations":
                value, clash = _merge_confirmations(full.get(f) or [], rec[f])
                cs.conflicts.extend((row, ("confirmations", n), zh, en) for n, zh, en in clash)
            if f == "interval" and _same_interval(value, full.get(f)):
                continue  # "12 个月" for "12 months" or "1 年": the same interval, the file's text kept
            if _strip(value) != _strip(full.get(f)):
                diffs.append(FieldChange(f, full.get(f), value))
                after[f] = value
        if rec.get("id") != old[k].id:
            cs.file_ids[old[k].id] = str(rec.get("id"))
        if diffs:
            cs.changed.append(Changed(old[k].id, how, diffs, after, row))
        else:
            cs.unchanged.append(old[k].id)
    cs.absent = [ins.id for k, ins in enumerate(old) if k not in matched]
    return cs


def _same_interval(a: Any, b: Any) -> bool:
    from tanjiliang.model.unit import interval_months

    try:
        return a is not None and b is not None and interval_months(str(a)) == interval_months(str(b))
    except ValueError:
        return False


def _strip(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _strip(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_strip(x) for x in v]
    return v


def _order(fields: set[str]) -> list[str]:
    return [k for k in Instrument.model_fields if k in fields]


def apply(unit: UnitFile, cs: ChangeSet, remove: bool | Iterable[str] = False) -> UnitFile:
    """``unit`` with the change set merged in. Absent instruments are removed only when named
    in ``remove`` (or all of them with ``remove=True``)."""
    from tanjiliang.model.write import unit_to_data

    gone = set(cs.absent) if remove is True else (set() if remove is False else set(remove) & set(cs.absent))
    changed = {c.id: c.merged for c in cs.changed}
    out: list[Any] = []
    for ins in unit.instruments:
        if ins.id in gone:
            continue
        out.append(changed.get(ins.id, _data(ins)))
    out.extend(cs.added)
    seen: set[str] = set()
    dup = sorted({str(r.get("id")) for r in out if str(r.get("id")) in seen or seen.add(str(r.get("id")))})  # type: ignore[func-returns-value]
    if dup:
        from tanjiliang.model.errors import Issue, LoadError

        ids = "、".join(dup)
        raise LoadError([Issue("<ledger>", None, "instruments",
                               f"管理编号 {ids} 在合并后重复：文件中的另一行已按出厂编号或名称与该器具对应",
                               f"management no. {', '.join(dup)} would be used twice after the merge: another "
                               "row of the file was matched with that instrument by serial no. or name")])
    data = unit_to_data(unit)
    data["instruments"] = [_plain(r) for r in out]
    try:
        new = UnitFile.model_validate(data)
    except ValidationError as exc:
        from tanjiliang.model.errors import LoadError
        from tanjiliang.model.load import SourceMap, validation_issues

        raise LoadError(validation_issues(exc, data, SourceMap("<merge>"))) from None
    new._source = unit._source
    return new


def _plain(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if v is not None}
