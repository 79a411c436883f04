"""The leak detector of issue 13: on a Chinese page no Latin word the user did not write
(outside an allowlist of units, standard numbers and formula symbols); on an English page no
Chinese the user did not write.

``UserWords`` gathers what the user wrote from the unit file (ids, names, models, serial
numbers, certificates …; not the codes that refer to catalogues such as ``type`` or
``material``), plus any extra strings a test adds (enterprise names, users' full names).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

# Keys of the unit file whose values are codes into a catalogue (shown in words, never as is).
CODE_KEYS = {"format", "sector", "kind", "method", "material", "type", "measures", "at",
             "confirmation", "status", "interval", "medium", "quantity", "class",
             "declared_class", "tier", "justified_tier", "gas", "source", "unit_of",
             "direction", "technology"}

# Latin words a Chinese page may show (Chinese practice keeps them in Latin letters).
ALLOW_ZH: set[str] = {
    # units and chemical formulas
    "t", "kg", "g", "mg", "kWh", "MWh", "GWh", "kW", "MW", "GW", "kV", "V", "A", "GJ", "TJ",
    "MJ", "kJ", "Nm³", "Nm3", "m³", "m3", "m", "mm", "km", "h", "d", "s", "a", "min", "Pa",
    "kPa", "MPa", "C", "K", "L", "tC", "tCO₂", "tCO₂e", "tCO2", "tCO2e", "CO₂", "CO2", "CH₄",
    "CH4", "N₂O", "N2O", "CO", "O₂", "O2", "CaO", "MgO", "CaCO₃", "CaCO3", "MgCO₃", "MgCO3",
    "Nm", "ppm", "mol", "kmol", "tce", "kgce",
    # standards and documents
    "GB", "T", "JJF", "JJG", "HJ", "ISO", "IEC", "IPCC", "OIML", "DB41", "DB", "NDRC",
    # formula symbols (explained where they are printed)
    "E", "AD", "NCV", "CC", "OF", "EF", "Rp", "Ns", "N1", "MPE", "GWP", "AR5", "AR6", "U",
    "k", "i", "j", "n",
    # established abbreviations, formats and the program's own name
    "CEMS", "SHA", "PDF", "XLSX", "HTML", "CSV", "Excel", "YAML", "JSON", "API", "URL",
    "tanjiliang", "ID", "S", "No",
    # the pack's clause numbering ("HN 5.3"), explained on the report's cover
    "HN",
    # the national carbon market's guideline numbers (CETS-AG-02.01-V01-2024, as published)
    "CETS", "AG",
    # the language switch names the other language in that language
    "English",
    # weighing instruments' own symbols (JJG 539, OIML R76: 检定分度值 e, 最大秤量 Max)
    "e", "Max", "Min",
    # accreditation marks and report names used as such in Chinese
    "CNAS", "CMA", "SAR", "AR4", "LPG", "LNG", "CO₂e", "CO2e",
    # formula functions and symbols of the classification thresholds
    "max", "Tdm", "Tmin",
    # chemistry and the aluminium guideline's PFC formula symbols (as the Chinese text writes them)
    "IUPAC", "CaMg", "CF4", "C2F6", "S_CF4", "F_C2F6", "S_a", "Ash_a", "AE-min", "AEM", "Al",
    "cell-day", "cell", "day", "PFC", "MRR",
    # the cement guidelines' formula symbols (clinker, kiln and bypass dust, raw meal, non-carbonate CaO/MgO)
    "Q_ckd", "Q_bpd", "Q_rm", "CaO_nc", "MgO_nc", "Q_sub",
    # IPCC's codes of aluminium cell technologies (CWPB, SWPB, VSS, HSS), as the guideline writes them
    "CWPB", "SWPB", "VSS", "HSS",
    # the plan's uncertainty symbols (u, x, p as the table's heads and formulas explain them),
    # IPCC's mass units of the NCV and carbon-content tables, the national allowance's code
    # (全国碳排放配额 CEA) and the documentation the plan's assumptions point to
    "u", "x", "p", "Gg", "kgC", "CEA", "docs", "plan.md",
    # coal analysis and precision symbols as the Chinese standards write them (GB/T 212/213:
    # A_d, M, Q_gr,d, Q_gr,ad; GB/T 6379 / ISO 5725: r, R, s_r, s_R)
    "Ad", "Qgr", "ad", "M", "r", "R", "s_r", "s_R",
    # network words in the admin (the login-protection app is named 登录保护, not "Axes")
    "IP", "HTTP", "GET", "POST",
    # Django's own Chinese admin texts keep these (例如单一登入或LDAP; 按住 Control 键或 Mac 上的 Command 键)
    "LDAP", "Control", "Mac", "Command",
}
# the language switch names the other language in that language
ALLOW_EN: set[str] = {"中文"}

_TOKEN = re.compile(r"(?<![0-9A-Za-z_.\-@+])[A-Za-z][A-Za-z0-9_₀-₉²³]*(?:[._\-][A-Za-z0-9_₀-₉²³]+)*")
# Versioned data-file names (``cn-fuels@2025.2``) and finding codes (``CAL-OVERDUE``) are
# stable identifiers shown like a clause number.
# Single capital letters (status marks V/S/I, the diagram's instrument-class letters) and the
# diagram's point symbols (``W1``, ``G12``: letter and number, GB/T 33656 style, explained in
# its legend) are symbols; hexadecimal digests (content hashes) are identifiers.
_IDENT = re.compile(r"^(?:[a-z0-9-]+@[0-9.]+|[a-z]+-\d{4}\.\d+(?:-r\d+)?|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]{1,2}\d{0,3}"
                    r"|(?=[0-9a-f]*\d)[0-9a-f]{8,64})$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Chinese (full-width) punctuation: on an English page only inside what the user wrote
# (``Key fingerprint (Ed25519)：`` or ``Cause ：`` is a leak; probe s10 #12c).
_FULLWIDTH = re.compile(r"[：（）；，、。！？【】《》]")
# Identifiers a document is asked for by, not words: web addresses (a reprint's URL in a
# citation) and the lettered points of an article (第19条第3款(b)项, Art. 19(3)(b)).
_ADDRESS = re.compile(r"(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|org|net|eu|int)(?:/[^\s）)，,；;]*)?")
_POINT = re.compile(r"(?<=[\d)款])\([a-z]\)")


def _walk(node: Any, key: str | None, out: list[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _walk(v, str(k), out)
    elif isinstance(node, list):
        for v in node:
            _walk(v, key, out)
    elif isinstance(node, str) and key not in CODE_KEYS:
        out.append(node)


class UserWords:
    """What the user wrote: strings, their Latin tokens and their Chinese runs."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.texts: list[str] = []
        self.tokens: set[str] = set()
        self.add(texts)

    @classmethod
    def of_unit(cls, path: Path) -> UserWords:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        out: list[str] = []
        _walk(data, None, out)
        return cls(out)

    def add(self, texts: Iterable[str]) -> UserWords:
        for text in texts:
            if not text:
                continue
            self.texts.append(text)
            for tok in _TOKEN.findall(text):
                self.tokens.add(tok)
                self.tokens.update(re.split(r"[._\-/]", tok))
        self._joined = "\n".join(self.texts)
        return self

    def truncated_ok(self, token: str) -> bool:
        """A user's word cut short with "…" (a diagram label)."""
        return any(t.startswith(token) for t in self.tokens)

    def latin_ok(self, token: str) -> bool:
        if token in ALLOW_ZH or token in self.tokens or _IDENT.match(token):
            return True
        parts = [p for p in re.split(r"[/]", token) if p]
        return len(parts) > 1 and all(p in ALLOW_ZH or p in self.tokens for p in parts)

    def has(self, text: str) -> bool:
        """``text`` occurs in what the user wrote."""
        return bool(text.strip()) and text in self._joined

    def cjk_ok(self, run: str) -> bool:
        return run in ALLOW_EN or run in self._joined


def leaks(text: str, lang: str, words: UserWords) -> list[str]:
    """The words of ``text`` that leak in ``lang`` (each with a little context)."""
    found: list[str] = []
    text = _POINT.sub("()", _ADDRESS.sub(" ", text))
    if lang == "zh":
        for m in _TOKEN.finditer(text):
            after = text[m.end():m.end() + 1]
            if after == "@" or (after == "…" and words.truncated_ok(m.group())):
                continue
            if not words.latin_ok(m.group()):
                found.append(_ctx(text, m))
    else:
        for m in _CJK.finditer(text):
            if not words.cjk_ok(m.group()):
                found.append(_ctx(text, m))
        for m in _FULLWIDTH.finditer(text):
            i = m.start()
            if (_CJK.match(text[max(0, i - 1):i]) or words.has(text[max(0, i - 2):i + 1])
                    or words.has(text[i:i + 3])):
                continue  # in a text the user wrote (its Chinese judged by the check above)
            found.append(_ctx(text, m))
    return found


def _ctx(text: str, m: re.Match[str]) -> str:
    a, b = max(0, m.start() - 25), min(len(text), m.end() + 25)
    return f"{m.group()!r} in …{' '.join(text[a:b].split())}…"


class _Text(HTMLParser):
    SKIP = {"script", "style", "noscript", "template"}
    ATTRS = ("title", "placeholder", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        a = dict(attrs)
        for name in self.ATTRS:
            if a.get(name):
                self.parts.append(str(a[name]))
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(str(a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text a reader sees on an HTML page (and its tooltips and placeholders)."""
    p = _Text()
    p.feed(html)
    return "\n".join(p.parts)


def report(where: str, found: list[str]) -> list[str]:
    return [f"{where}: {f}" for f in found]
