"""Unified social credit code (统一社会信用代码) check digit, GB 32100-2015 clause 4 and Annex."""

from __future__ import annotations

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 Table 1 (no I, O, S, V, Z)
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i-1) mod 31


def uscc_check_digit(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015, C18 = 31 − (Σ Ci·Wi mod 31))."""
    total = sum(_ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> tuple[str, str] | None:
    """``None`` if ``code`` is a valid USCC, else a (zh, en) explanation."""
    if len(code) != 18:
        return (f"统一社会信用代码“{code}”应为18位，实为{len(code)}位",
                f'credit code "{code}" must have 18 characters, it has {len(code)}')
    bad = [c for c in code if c not in _ALPHABET]
    if bad:
        return (f"统一社会信用代码“{code}”含非法字符“{bad[0]}”",
                f'credit code "{code}" contains the character "{bad[0]}", not allowed by GB 32100')
    expected = uscc_check_digit(code[:17])
    if code[17] != expected:
        return (f"统一社会信用代码“{code}”校验码错误：应为“{expected}”（GB 32100-2015）",
                f'credit code "{code}" has a wrong check digit: expected "{expected}" (GB 32100-2015)')
    return None
