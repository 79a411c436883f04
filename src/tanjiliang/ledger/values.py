"""Cell values as people write them in a plant's ledger, turned into the model's values.

Issue 12 (1): accuracy "1.5级", "0.5S级", "±1%", "III级"; intervals "12个月", "1年", a bare 12
under a header "检定周期(月)"; ranges with the unit in the header. Each function returns the
stored value and whether it differs from what was written (so the import can report it), or
raises :class:`ValueProblem` (zh, en).
"""

from __future__ import annotations

import re
import unicodedata

from tanjiliang.model.unit import interval_months, read_accuracy


class ValueProblem(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def accuracy(text: str) -> str:
    """``"1.5级"`` → ``"1.5"``, ``"0.50级"`` → ``"0.50"`` (the number as written), ``"0.5s级"`` →
    ``"0.5S"``, ``"±1%"`` → ``"±1 %"``, ``"Ⅲ级"`` → ``"III"``, ``"1%"`` → ``"±1 %"``, ``"±1%FS"`` →
    ``"±1 %FS"``; ValueProblem if it is not a class or MPE. Read by the unit file's reader
    (:func:`~tanjiliang.model.unit.read_accuracy`), so both take the same spellings."""
    r = read_accuracy(str(text))
    if r is None:
        raise ValueProblem("不是准确度等级或最大允许误差（如 0.5级、0.2S级、III级、±1%）",
                           'not an accuracy class or MPE (e.g. "0.5", "0.2S", "III", "±1%")')
    return r.tidy


_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "十二": 12, "半": 0}


def interval(text: str, header_unit: str | None) -> tuple[str, bool]:
    """An interval; (stored text, inferred). A bare number takes the header's unit
    (``检定周期(月)``), else months (an inference)."""
    try:
        if interval_months(str(text)) > 0:
            return str(text), False  # already as the model writes it
    except ValueError:
        pass
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if s in ("半年", "0.5年"):
        return "6 个月", False
    for w, n in _CN_NUM.items():
        if s.startswith(w) and n:
            s = str(n) + s[len(w):]
            break
    s = re.sub(r"^(\d+)\.0+(?=\D|$)", r"\1", s)
    if header_unit in ("天", "日", "d", "days") or re.fullmatch(r"\d+(天|日|d|days?)", s, re.IGNORECASE):
        raise ValueProblem("检定周期/校准间隔以月或年计，不能按天（如 365 天写作 12个月 或 1年）",
                           'an interval is stated in months or years, not days (365 days: "12 months" or "1 year")')
    if re.fullmatch(r"\d+", s):
        unit = header_unit or "个月"
        return f"{s} {unit}", header_unit is None
    m = re.fullmatch(r"(\d+)(个月|月|年|months?|years?|a)", s, re.IGNORECASE)
    if not m:
        raise ValueProblem("不是检定周期/校准间隔（如 12个月、1年）",
                           'not an interval (e.g. "12个月", "1年")')
    return f"{m[1]} {m[2]}", False


def unit_hint(header: str) -> str | None:
    """The unit a header states in brackets: ``检定周期(月)`` → ``个月``, ``(年)`` → ``年``;
    any other bracketed unit is returned as written (``测量范围(t/h)`` → ``t/h``)."""
    h = unicodedata.normalize("NFKC", header)
    m = re.search(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]\s*$", h.split("\n")[0])
    if not m:
        return None
    u = m[1]
    if u in ("月", "个月", "月份"):
        return "个月"
    if u in ("年", "a"):
        return "年"
    return u
