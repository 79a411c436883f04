"""Errors in a user's file: each names the file, line and key path, in Chinese and English."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters that show as nothing: a value holding one looks right and is not.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem at one place of one file."""

    file: str
    line: int | None
    path: str
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        text = self.zh if lang == "zh" else self.en
        out = f"{where} {self.path}: {text}" if self.path else f"{where}: {text}"
        # an invisible character (zero-width space, BOM inside a value…) made visible: “coal⟨U+200B⟩”
        return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", out)


class LoadError(Exception):
    """A file could not be loaded; ``issues`` lists every problem found, in file order."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues, key=lambda i: (i.file, i.line or 0, i.path))
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        return "\n".join(i.message(lang) for i in self.issues)


def format_path(loc: tuple[str | int, ...]) -> str:
    """``("instruments", 3, "accuracy")`` → ``instruments[3].accuracy``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
