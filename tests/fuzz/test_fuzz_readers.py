"""Fuzzing every reader (issue 18, "fuzzing in the suite").

Mutations of the project's own files — the examples' unit files, the bundled packs, an exported
ledger, a readings CSV — byte by byte and line by line, with the tokens that broke the readers
before (aliases, blank values, deep brackets, lone surrogates, odd encodings, ragged lines).
The property: a reader either reads the file or raises its own error (LoadError, LedgerError,
ReadingsError) whose every issue names the file; never another exception, never a hang.

Bounded for ``make test`` (a few seconds each): ``TANJILIANG_FUZZ_EXAMPLES`` sets the number of
examples per reader (``make fuzz`` runs thousands). Every crash found became a regression test
(tests/model/test_load_limits.py, tests/data/test_readings_robust.py)."""

from __future__ import annotations

import io
import os
import random
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tanjiliang.model.errors import LoadError

ROOT = Path(__file__).parents[2]
EXAMPLES = int(os.environ.get("TANJILIANG_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="TANJILIANG_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Tokens that broke a reader once, or could.
YAML_TOKENS = [
    "&a ", "*a", "&a [*a]", "<<: *a", "[", "]", "{", "}", ": ", ":", "- ", "\n", "\t", '"', "'",
    "~", "null", "", '"\\uD800"', "\\uD800", "? ", "!!python/object/apply:os.system ['x']",
    "!!binary", "#", "\x00", "\x85", "\ufeff", "１", "1e400", "-1", ".nan", ".inf", "0x10",
    "2025-13-45", "%YAML 1.2\n", "---\n", "...\n", "[" * 200, "{a: " * 70, "|\n", ">-\n",
    "  " * 40, "河南", "\u2028", "\ud7ff", "𝟘",
]
CSV_TOKENS = [
    ",", ";", "\t", "|", "\n", "\r\n", '"', "NaN", "inf", "-inf", "1e400", "", ",,,,", "12,5",
    "2025-02-30 25:61:00", "1970-01-01", "9999-12-31 23:59:59", "器具编号", "采集时间", "数值",
    "\ufeff", "\x00", "-5", "1,234.5", "=HYPERLINK(\"x\")", "W-01", "E-01", "total", "amount",
]


@st.composite
def mutated(draw: st.DrawFn, texts: list[str], tokens: list[str]) -> str:
    """One of ``texts`` after 1–5 random edits."""
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "dup_line", "drop_line",
                                   "blank_value", "swap_lines", "truncate", "indent"]))
        n = len(text)
        pos = draw(st.integers(0, n))
        if op == "insert":
            text = text[:pos] + draw(st.sampled_from(tokens) | st.text(max_size=8)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 40)):]
        elif op == "replace":
            text = text[:pos] + draw(st.sampled_from(tokens)) + text[pos + draw(st.integers(1, 10)):]
        elif op == "truncate":
            text = text[:pos]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            if op == "dup_line":
                lines.insert(i, lines[i])
            elif op == "drop_line":
                del lines[i]
            elif op == "swap_lines":
                j = draw(st.integers(0, max(0, len(lines) - 1)))
                lines[i], lines[j] = lines[j], lines[i]
            elif op == "indent":
                lines[i] = "  " * draw(st.integers(1, 6)) + lines[i]
            elif op == "blank_value" and ":" in lines[i]:
                lines[i] = lines[i].split(":", 1)[0] + ":"
            text = "\n".join(lines)
    return text


_BUNDLED = {p.name for p in (ROOT / "src/tanjiliang/rules/packs").glob("*.yaml")}


def _names_its_file(err: LoadError, name: str) -> None:
    assert err.issues, "an error without a message"
    for issue in err.issues:
        assert issue.file, issue
        assert issue.message("zh") and issue.message("en")
        assert (name in issue.file or issue.file.startswith(("台账", "--"))
                or issue.file in _BUNDLED), (issue.file, name)  # a bundled pack it extends


# ------------------------------------------------------------------------------ unit files

@cache
def _unit_texts() -> list[str]:
    files = [*sorted(ROOT.glob("examples/*/unit.yaml")), ROOT / "tests" / "data" / "spec-example.yaml"]
    return [f.read_text(encoding="utf-8") for f in files]


def load_unit_text(text: str, suffix: str = ".yaml") -> None:
    from tanjiliang.model.load import load_unit

    name = f"fuzz{suffix}"
    try:
        load_unit(name, text)
    except LoadError as err:
        _names_its_file(err, name)


@FUZZ
@given(mutated(_unit_texts(), YAML_TOKENS))
def test_fuzz_unit_loader_yaml(text: str) -> None:
    load_unit_text(text)


@cache
def _unit_json_texts() -> list[str]:
    from tanjiliang.model.load import load_unit
    from tanjiliang.model.write import dump_json

    return [dump_json(load_unit("x.yaml", t)) for t in _unit_texts()[:3]]


@FUZZ
@given(st.data())
def test_fuzz_unit_loader_json(data: st.DataObject) -> None:
    load_unit_text(data.draw(mutated(_unit_json_texts(), [*YAML_TOKENS, "\\ud800", '"\\u0000"', "[" * 3000])),
                   ".json")


@settings(FUZZ, max_examples=max(5, EXAMPLES // 4))  # a whole assessment per example
@given(mutated(_unit_texts()[:2], YAML_TOKENS))
def test_fuzz_unit_file_on_disk_through_the_cli(text: str) -> None:
    """The whole door: bytes on disk → ``tanjiliang check`` exits 0, 1 or 2."""
    from tanjiliang.cli import safety
    from tanjiliang.cli.app import app

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "unit.yaml"
        f.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        args = ["check", str(f), "--as-of", "2025-12-31", "--format", "json"]
        out = io.StringIO()
        from contextlib import redirect_stderr, redirect_stdout

        with redirect_stdout(out), redirect_stderr(out), pytest.raises(SystemExit) as e:
            safety.run(lambda: app(args, prog_name="tanjiliang"), args)
        assert e.value.code in (0, 1, 2), out.getvalue()[-3000:]


# ------------------------------------------------------------------------------ packs

@cache
def _pack_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "src/tanjiliang/rules/packs").glob("*.yaml"))]


@FUZZ
@given(mutated(_pack_texts(), YAML_TOKENS))
def test_fuzz_pack_loader(text: str) -> None:
    from tanjiliang.rules.load import load_pack

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "pack.yaml"
        f.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        try:
            load_pack(f)
        except LoadError as err:
            _names_its_file(err, str(f))


# ------------------------------------------------------------------------------ ledgers

@cache
def _ledger_bytes() -> bytes:
    from tanjiliang.ledger import write_ledger
    from tanjiliang.model.load import load_unit
    from tanjiliang.rules.load import load_pack

    unit = load_unit(ROOT / "tests" / "data" / "spec-example.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "ledger.xlsx"
        write_ledger(f, unit, load_pack(unit.pack).pack, "zh")
        return f.read_bytes()


@settings(FUZZ, max_examples=max(5, EXAMPLES // 4))  # a workbook written and read per example
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(1, 6), st.integers(1, 24),
                          st.sampled_from(CSV_TOKENS + YAML_TOKENS) | st.text(max_size=12)
                          | st.integers() | st.floats() | st.none()),
                min_size=1, max_size=8),
       st.integers(0, 3))
def test_fuzz_ledger_reader(edits: list, corrupt: int) -> None:
    """Cells of an exported ledger overwritten with odd values (headers too); sometimes the
    zip itself is cut or has bytes flipped."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    from tanjiliang.ledger.excel import read_changes
    from tanjiliang.model.load import load_unit

    unit = load_unit(ROOT / "tests" / "data" / "spec-example.yaml")
    wb = load_workbook(io.BytesIO(_ledger_bytes()))
    for sheet, row, col, value in edits:
        ws = wb.worksheets[min(sheet, len(wb.worksheets) - 1)]
        try:
            ws.cell(row, col).value = value
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some values
            continue
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    rnd = random.Random(len(edits) * 31 + corrupt)
    if corrupt == 1:
        data = data[: rnd.randrange(len(data))]
    elif corrupt == 2:
        b = bytearray(data)
        for _ in range(8):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        data = bytes(b)
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "ledger.xlsx"
        f.write_bytes(data)
        try:
            read_changes(unit, f)
        except LoadError as err:
            _names_its_file(err, "ledger.xlsx")


# ------------------------------------------------------------------------------ readings

_READINGS = ("instrument,time,value\n"
             + "\n".join(f"W-01,2025-01-{d:02d} 08:00:00,{100 + d * 3.5}" for d in range(1, 15))
             + "\n" + "\n".join(f"E-01,2025-01-{d:02d} 08:00:00,{5000 + d * 12}" for d in range(1, 15)) + "\n")
_WIDE = ("time,W-01 [t],E-01（kWh）\n"
         + "\n".join(f"2025-01-{d:02d} 08:00,{100 + d},{5000 + d * 12}" for d in range(1, 15)) + "\n")
_ZH = _READINGS.replace("instrument,time,value", "器具编号,采集时间,数值")


@FUZZ
@given(mutated([_READINGS, _WIDE, _ZH], CSV_TOKENS),
       st.sampled_from(["utf-8", "gbk", "utf-16", "utf-8-sig"]), st.sampled_from([".csv", ".parquet"]))
def test_fuzz_readings_reader(text: str, encoding: str, suffix: str) -> None:
    from tanjiliang.data.readings import ReadingsError, scan_readings

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / f"r{suffix}"
        raw = text.encode(encoding, errors="replace")
        if suffix == ".parquet":  # a Parquet file with some bytes changed
            import polars as pl

            buf = io.BytesIO()
            pl.DataFrame({"instrument": ["W-01"] * 3, "time": ["2025-01-01"] * 3,
                          "value": [1.0, 2.0, 3.0]}).write_parquet(buf)
            b = bytearray(buf.getvalue())
            rnd = random.Random(len(text))
            for _ in range(rnd.randrange(0, 6)):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
            raw = bytes(b)
        f.write_bytes(raw)
        try:
            r = scan_readings(f, {"W-01", "E-01"})
            r.frame.collect()
        except ReadingsError as err:
            for issue in err.issues:
                assert str(f) in issue.file or issue.file.startswith("--"), issue
                assert issue.message("zh")
