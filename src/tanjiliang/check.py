"""The one door to an assessment (issue 11; shared/design.md, layer 8 ``check``).

``tanjiliang.check(unit, pack=None, as_of=None, ledger=None, readings=None) -> Assessment`` is
the only way the CLI, the web app and its API, the review, the ledger export, the reports and
the province batch obtain an assessment, so for the same inputs they reach the same result:

* ``unit``: a loaded :class:`UnitFile` or a path to a unit file;
* ``pack``: a loaded pack, a bundled pack's name or a pack file (default: the file's pack, else
  the default pack);
* ``as_of``: what exists (assess/timeline.py; default today);
* ``ledger``: an Excel ledger replacing the file's instruments;
* ``readings``: metering data files: a measurement stream's emissions come from its CEMS
  readings, and the readings findings (``CAL-OOT``, ``DATA-RECON``, ``DATA-MISSING``,
  ``DATA-QUALITY``) join the assessment's, which then decides the conclusion.

:func:`check_full` answers the same with what it was computed from (the unit as assessed, the
pack, the data report) for doors that show more than the assessment. Raises ``LoadError``
(bad input: the CLI's exit 2) naming file, line and key.
"""

from __future__ import annotations

import gc
import sys
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tanjiliang.assess.result import Assessment, Finding
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.unit import UnitFile
from tanjiliang.rules.load import LoadedPack, bundled_pack_names, load_pack

if TYPE_CHECKING:
    from tanjiliang.data.report import DataReport
    from tanjiliang.rules.factors import FactorLibrary


@dataclass(frozen=True)
class Checked:
    """An assessment with the unit (as assessed: ledger applied, CEMS emissions filled in),
    the pack and, with readings, the data report it was computed from."""

    assessment: Assessment
    unit: UnitFile
    pack: LoadedPack
    data: DataReport | None = None


def with_findings(a: Assessment, extra: list[Finding]) -> Assessment:
    """The assessment with more findings (non-conformities first) and its conclusion again."""
    if not extra:
        return a
    findings = sorted([*a.findings, *extra], key=lambda f: f.severity != "nonconformity")
    worst: Literal["conforming", "nonconforming"] = (
        "nonconforming" if any(f.severity == "nonconformity" for f in findings) else "conforming")
    return replace(a, findings=findings, conclusion=worst)


def check_full(unit: UnitFile | str | Path, pack: LoadedPack | str | Path | None = None,
               as_of: date | None = None, ledger: str | Path | None = None,
               readings: Sequence[str | Path] | None = None, *, start: date | None = None,
               end: date | None = None, library: FactorLibrary | None = None) -> Checked:
    """The assessment and what it was computed from (see the module docstring)."""
    from tanjiliang.assess.engine import assess

    u = unit if isinstance(unit, UnitFile) else _load(unit)
    loaded = pack if isinstance(pack, LoadedPack) else (load_pack(pack) if pack else _unit_pack(u))
    day = as_of or date.today()
    if ledger is not None:
        from tanjiliang.ledger import apply_ledger  # the Excel ledger replaces instruments

        u = apply_ledger(u, Path(ledger), loaded.pack)
    if not readings:
        a = assess(u, loaded, day, library)
        return Checked(with_findings(a, _failed_confirmations(u, a, loaded, day)), u, loaded)
    from tanjiliang.data.readings import ReadingsError
    from tanjiliang.data.report import run as check_readings

    try:
        report = check_readings(u, list(readings), loaded, start=start, end=end, as_of=day)
    except ReadingsError as err:
        raise LoadError([Issue(i.file, i.row, i.column or "", i.zh, i.en) for i in err.issues]) from None
    return Checked(with_findings(report.assessment, report.findings), report.unit, loaded, report)


def _failed_confirmations(u: UnitFile, a: Assessment, loaded: LoadedPack, day: date) -> list[Finding]:
    """``CAL-OOT`` without readings (shared/domain.md §7: what an instrument found out of
    tolerance measured since its last good confirmation must be corrected conservatively): the
    affected period's emissions estimated pro rata from the declared activity, as the finding
    says. Records dated after ``day`` do not exist yet."""
    if not any(r.result == "fail" or r.as_found for ins in u.instruments for r in ins.confirmations or ()):
        return []  # no record that can fail: the readings modules are not imported
    from tanjiliang.assess.timeline import as_of_view
    from tanjiliang.data.oot import oot_findings

    return oot_findings(as_of_view(u, day)[0], a, None, loaded.pack)


def _unit_pack(u: UnitFile) -> LoadedPack:
    """The pack the unit file names (``pack:``, unit-file.md: "a bundled pack name or a path to
    a pack file"; the default pack without one). A relative path is read from the unit file's
    folder, as a path written in a file is (else from the working folder, as before); a pack
    that cannot be read is a problem at the file's ``pack`` line."""
    ref = u.pack
    src = getattr(u._source, "file", None)
    if ref and src and ref not in bundled_pack_names() and not Path(ref).is_absolute():
        beside = Path(src).parent / ref
        if beside.exists():
            ref = str(beside)
    try:
        return load_pack(ref)
    except LoadError as err:
        if not u.pack or u._source is None:
            raise
        raise LoadError([u.issue(("pack",), i.zh, i.en) if not i.line else i for i in err.issues]) from None


def default_as_of(year: int, today: date) -> date:
    """The date a reporting year is assessed on unless another is asked for: its last day for
    a past year, ``today`` for the current one (issue 11). Every door uses this rule."""
    return date(year, 12, 31) if year < today.year else today


def check(unit: UnitFile | str | Path, pack: LoadedPack | str | Path | None = None,
          as_of: date | None = None, ledger: str | Path | None = None,
          readings: Sequence[str | Path] | None = None) -> Assessment:
    """The assessment of ``unit`` (see the module docstring): the one door."""
    if isinstance(unit, UnitFile):
        return check_full(unit, pack, as_of, ledger, readings).assessment
    with _collector_paused():  # the unit is loaded, assessed and dropped (freed) in here
        return check_full(unit, pack, as_of, ledger, readings).assessment


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a unit read from a file is assessed (the loader
    pauses it while loading). The unit of a realistic 10 000-instrument ledger is some 10⁵
    tracked objects, all young after loading (issue 16): the assessment's allocations had the
    collector walk them (0.05–0.08 s of a 0.5 s check), although :func:`check` drops the unit,
    freed by reference counting, before it returns. Cycles made meanwhile are collected later."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(path: str | Path) -> UnitFile:
    from tanjiliang.model.load import load_unit

    return load_unit(path)


class _Door(types.ModuleType):
    """``tanjiliang.check`` is both this module and the function: calling the module calls
    :func:`check` (importing the submodule rebinds the package attribute to the module)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Assessment:
        return check(*args, **kwargs)


sys.modules[__name__].__class__ = _Door

__all__ = ["Checked", "check", "check_full", "default_as_of", "with_findings"]
