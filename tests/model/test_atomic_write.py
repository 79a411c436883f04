"""Issue 18 (atomic writes): every file is written through one helper (temp file in the same
folder, fsync, rename), so a process killed while writing leaves the old file or the new one,
never a torn one."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tanjiliang.model.load import load_unit
from tanjiliang.model.write import atomic_path, atomic_write, atomic_writer

SPEC = Path(__file__).parent.parent / "data" / "spec-example.yaml"
SRC = Path(__file__).parents[2] / "src" / "tanjiliang"


def test_atomic_write_replaces_and_keeps_permissions(tmp_path):
    f = tmp_path / "unit.yaml"
    f.write_text("old")
    os.chmod(f, 0o640)
    atomic_write(f, "新内容")
    assert f.read_text(encoding="utf-8") == "新内容"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["unit.yaml"]  # no temp file left


def test_new_file_gets_the_umask_mode(tmp_path):
    mask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.bin", b"\x00\x01")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "a.bin").stat().st_mode) == 0o644


def test_failure_while_writing_leaves_the_old_file(tmp_path):
    f = tmp_path / "r.html"
    f.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(f) as out:
        out.write("half of the n")
        raise RuntimeError("renderer failed")
    assert f.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
    with pytest.raises(RuntimeError), atomic_path(f) as tmp:
        tmp.write_text("half")
        raise RuntimeError
    assert f.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_atomic_writer_text_and_binary(tmp_path):
    with atomic_writer(tmp_path / "t.txt") as f:
        f.write("a\nb\n")
    with atomic_writer(tmp_path / "b.bin", "wb") as f:
        f.write(b"xy")
    assert (tmp_path / "t.txt").read_bytes() == b"a\nb\n"
    assert (tmp_path / "b.bin").read_bytes() == b"xy"
    with pytest.raises(ValueError), atomic_writer(tmp_path / "x", "a"):
        pass


# ------------------------------------------------------------------------ killed while writing

#: A child running the CLI whose ``os.fsync`` SIGKILLs the process: it dies with the new
#: content written to the temporary file, before the rename — "the moment of writing".
_KILL_AT_FSYNC = textwrap.dedent("""
    import os, signal, sys
    def die(fd):
        os.kill(os.getpid(), signal.SIGKILL)
    os.fsync = die
    from tanjiliang.cli.app import app
    sys.argv = ["tanjiliang", *sys.argv[1:]]
    app()
""")


def _run_killed(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", _KILL_AT_FSYNC, *args], capture_output=True,
                          timeout=120)


def test_fmt_killed_while_writing_keeps_the_old_unit_file(tmp_path):
    f = tmp_path / "unit.yaml"
    f.write_bytes(SPEC.read_bytes())
    r = _run_killed("fmt", str(f), "--drop-comments")
    assert r.returncode == -signal.SIGKILL, r.stderr.decode()
    assert f.read_bytes() == SPEC.read_bytes()
    load_unit(f)


def test_ledger_import_killed_while_writing_keeps_the_old_unit_file(tmp_path):
    from typer.testing import CliRunner

    from tanjiliang.cli.app import app

    f = tmp_path / "unit.yaml"
    f.write_bytes(SPEC.read_bytes())
    ledger = tmp_path / "ledger.xlsx"
    res = CliRunner().invoke(app, ["ledger", "export", str(f), "-o", str(ledger)])
    assert res.exit_code == 0, res.output
    _rename_first_instrument(ledger)  # a change, so that the import writes (none: no write)
    r = _run_killed("ledger", "import", str(f), str(ledger), "--drop-comments")
    assert r.returncode == -signal.SIGKILL, r.stderr.decode()
    assert f.read_bytes() == SPEC.read_bytes()
    load_unit(f)
    # and without the kill the import writes a unit file that loads
    res = CliRunner().invoke(app, ["ledger", "import", str(f), str(ledger), "--drop-comments"])
    assert res.exit_code == 0, res.output
    assert len(load_unit(f).instruments) == len(load_unit(SPEC).instruments)
    assert load_unit(f).instruments[0].name == "改名的器具"


def _rename_first_instrument(ledger):
    from openpyxl import load_workbook

    wb = load_workbook(ledger)
    ws = wb.worksheets[0]
    col = next(c.column for c in ws[1] if str(c.value).startswith("名称"))
    ws.cell(row=2, column=col, value="改名的器具")
    wb.save(ledger)


def test_report_killed_while_writing_keeps_the_old_report(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("<p>old report</p>")
    r = _run_killed("check", str(SPEC), "-o", str(out), "--as-of", "2025-12-31")
    assert r.returncode == -signal.SIGKILL, r.stderr.decode()
    assert out.read_text() == "<p>old report</p>"


_WRITE_LOOP = textwrap.dedent("""
    import sys
    from tanjiliang.model.write import atomic_write
    path = sys.argv[1]
    a, b = b"A" * 4_000_000, b"B" * 3_000_000
    print("ready", flush=True)
    while True:
        atomic_write(path, a)
        atomic_write(path, b)
""")


def test_sigkill_at_random_moments_never_tears_the_file(tmp_path):
    f = tmp_path / "big.bin"
    f.write_bytes(b"A" * 4_000_000)
    for trial in range(4):
        p = subprocess.Popen([sys.executable, "-c", _WRITE_LOOP, str(f)], stdout=subprocess.PIPE)
        assert p.stdout is not None and p.stdout.readline().strip() == b"ready"
        time.sleep(0.02 + 0.053 * trial)
        p.send_signal(signal.SIGKILL)
        p.wait()
        data = f.read_bytes()
        assert data in (b"A" * 4_000_000, b"B" * 3_000_000), (trial, len(data))


# ------------------------------------------------------------------------ one helper everywhere

_RAW_WRITE = re.compile(r"\.write_text\(|\.write_bytes\(|open\([^)]*[\"'][wax]b?t?[\"']|"
                        r"\.write_(?:csv|parquet|excel|ipc|json)\((?!tmp)|\.save\((?!tmp|buf)")


#: Files that write without the helper, and why that is safe.
_ALLOWED = {
    "model/write.py": "the helper itself",
    "data/store.py": "fsspec object store (local or S3): a hidden temp object, then fs.mv",
    "i18n/sweep.py": "developer tool rewriting the project's own catalogues and sources",
    "units/cache.py": "pint's parsed-definitions cache: a temp file beside it, then os.replace;"
                      " nothing a user wrote (a lost cache is parsed again)",
}


def test_no_writer_bypasses_the_atomic_helper():
    """Writers outside the web app (whose uploads Django's storage writes under new names) use
    model/write.py's helpers; writing to an in-memory buffer or the helper's temp path is fine."""
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("web/") or rel in _ALLOWED:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _RAW_WRITE.search(line) and "devnull" not in line:
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_json_text_never_prints_nan_or_infinity():
    import json
    from datetime import date

    from tanjiliang.model.write import json_text

    text = json_text({"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5],
                      "c": {"d": date(2025, 1, 1)}, "e": (1, float("nan"))})
    data = json.loads(text, parse_constant=lambda c: pytest.fail(c))
    assert data == {"a": None, "b": [None, None, 1.5], "c": {"d": "2025-01-01"}, "e": [1, None]}
