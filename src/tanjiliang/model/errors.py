"""Errors in a user's file: each names the file, line and key path, in Chinese and English."""

from __future__ import annotations

import errno
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


#: The operating system's refusals a user meets, in Chinese (its own words are English).
ERRNO_ZH = {errno.ENOENT: "文件或文件夹不存在", errno.EISDIR: "这是文件夹，不是文件",
            errno.ENOTDIR: "路径中有一段不是文件夹", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
            errno.ENOSPC: "磁盘空间不足", errno.EROFS: "文件系统只读，不能写入",
            errno.ENAMETOOLONG: "文件名过长", errno.ELOOP: "路径中的符号链接过多（循环链接？）",
            errno.EEXIST: "文件已存在", errno.ENOTEMPTY: "文件夹不是空的", errno.EBUSY: "文件正被占用",
            errno.EXDEV: "不能跨文件系统移动", errno.EMFILE: "打开的文件过多", errno.EDQUOT: "磁盘配额已满",
            errno.ETXTBSY: "文件正被占用", errno.EIO: "读写出错（磁盘或网络存储故障？）"}
ERRNO_EN = {errno.ENOENT: "no such file or folder", errno.EISDIR: "this is a folder, not a file",
            errno.ENOTDIR: "a part of the path is not a folder", errno.EACCES: "permission denied",
            errno.EPERM: "permission denied"}


def os_reason(exc: OSError) -> tuple[str, str]:
    """An operating-system refusal in words, (Chinese, English): the system's own text is English,
    so a Chinese message never shows it ("No such file or directory"); an errno not listed says
    what happened and its number."""
    code = exc.errno
    if code in ERRNO_ZH:
        return ERRNO_ZH[code], ERRNO_EN.get(code) or exc.strerror or str(exc)
    zh = f"系统拒绝了此操作（错误号 {code}）" if code else "系统拒绝了此操作"
    return zh, exc.strerror or str(exc)
