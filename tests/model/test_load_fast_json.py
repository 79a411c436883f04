"""The unit file's JSON fast path (issue 16: a 10 000-instrument file loads in well under a
second): rapidyaml's JSON output read by the standard library gives exactly the data the node
walk gives, or is declined (and the walk decides)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanjiliang.model.load import _Fallback, _fast_yaml, _json_safe

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted({*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/**/*.yaml")})


def _walk(raw: bytes):
    try:
        return _fast_yaml(raw, json_path=False)
    except _Fallback:
        return _Fallback


def _json(raw: bytes):
    try:
        return _fast_yaml(raw)
    except _Fallback:
        return _Fallback


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_of_the_repository_reads_the_same(path: Path) -> None:
    raw = path.read_bytes()
    assert _json(raw) == _walk(raw)


@pytest.mark.parametrize("text", [
    "a: .5", "a: 5.", "a: inf", "a: -.inf", "a: ~", "a: yes", "a: [on, off, No]",
    "a: +1", "a: !!str 5", "---\na: 1\n---\nb: 2\n", "a: [1, .5, 5., +2]", "a: 12.",
    "a: NULL", "a: True", "a:\n  - no\n  - ~\n", "a:\n  - :\n", "'': 1\n",
])
def test_scalars_the_emitter_would_change_take_the_walk(text: str) -> None:
    """Each of these is written by rapidyaml's JSON emitter differently from what the loader
    reads (0.5, 5.0, .inf; quoted "yes"; a null key as "") or is no JSON at all: the JSON path
    declines it, and both paths give the same answer."""
    assert _json(text.encode()) == _walk(text.encode())


SCALARS = st.one_of(
    st.from_regex(r"[-+]?[0-9]{0,3}(\.[0-9]{0,3})?([eE][-+]?[0-9]{1,2})?", fullmatch=True),
    st.sampled_from(["~", "null", "Null", "true", "True", "yes", "no", "on", "off", "inf",
                     ".inf", "-.inf", ".nan", "0x1F", "0o17", "1_000", "007", "2025-03-10",
                     "12:30", "0.5S", "1.5级", "±0.1 %", "III", "万Nm3", "C++", "1+2", "a.b"]),
    st.text(alphabet="0123456789.-+eE:_ xyz天然气", min_size=1, max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(SCALARS, min_size=1, max_size=6), st.booleans())
def test_random_scalars_read_the_same_on_both_paths(values: list[str], flow: bool) -> None:
    if flow:
        body = "a: [" + ", ".join(values) + "]\n"
    else:
        body = "a:\n" + "".join(f"  - {v}\n" for v in values)
    raw = body.encode()
    assert _json(raw) == _walk(raw)


@pytest.mark.parametrize("text", ["a: .5", "a: 5.", "a: inf", "a: ~", "a: yes", "a: +1",
                                  "a: !!str 5", "---\na: 1\n", "a: [x, .5]", "- no\n"])
def test_the_text_check_declines_what_the_emitter_would_change(text: str) -> None:
    assert not _json_safe(text)


@pytest.mark.parametrize("text", ["a: 0.5", "a: 5.0", "a: 2025-03-10", "a: 0.5S", "a: 1.5级",
                                  "a: confirmation", "a: 1+2", "a: \"yes\"", "a: -5"])
def test_the_text_check_lets_plain_data_through(text: str) -> None:
    assert _json_safe(text)


@pytest.mark.parametrize(("text", "safe"), [
    ("a: calibration", True), ("pack: henan-2025-draft", True), ("a: x_no", True), ("a: 天no", True),
    ("a: no天", True), ("a: inform", True), ("a: NaNa", True), ("a: -.inf", False), ("a: [x, No]", False),
    ("no: 1", False), ("a: ~", False), ("- Off\n", False), ("a: b~", True),
])
def test_words_inside_other_words_are_not_scalars(text: str, safe: bool) -> None:
    """The null, boolean and inf/nan words count only whole (issue 16: ``calibration``,
    ``henan`` and 50 000 others in a realistic ledger are not looked at one by one)."""
    assert _json_safe(text) is safe
    assert _json(text.encode()) == _walk(text.encode())
