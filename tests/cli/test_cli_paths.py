"""Issue 18 (misused command-line paths): a folder where a file is expected, ``-o`` into a
folder that does not exist or onto a folder, a file that cannot be read — every command answers
exit 2 with a message naming the path, never a traceback, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanjiliang.cli import safety
from tanjiliang.cli.app import app
from tanjiliang.model.write import OutputError, atomic_write, output_issue

SPEC = str(Path(__file__).parents[1] / "data" / "spec-example.yaml")


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The installed command's path: Typer app inside the safety net, in this process."""
    with pytest.raises(SystemExit) as e:
        safety.run(lambda: app(args, prog_name="tanjiliang"), args)
    out = capsys.readouterr()
    code = e.value.code if isinstance(e.value.code, int) else 1
    return code, out.err + out.out


@pytest.fixture
def places(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "a-folder.yaml"
    folder.mkdir()
    (tmp_path / "r.csv").write_text("instrument,time,value\n")
    return {"dir": str(folder), "missing": str(tmp_path / "no-such-folder"),
            "csv": str(tmp_path / "r.csv"), "tmp": str(tmp_path)}


CASES = [
    # a folder where a file is expected
    ["check", "{dir}"],
    ["check", SPEC, "--pack", "{dir}"],
    ["check", SPEC, "--readings", "{dir}"],
    ["check", SPEC, "--ledger", "{dir}"],
    ["fmt", "{dir}"],
    ["packs", "show", "{dir}"],
    ["data", "check", SPEC, "{dir}"],
    ["data", "check", "{dir}", "{csv}"],
    ["ledger", "export", "{dir}", "-o", "{tmp}/l.xlsx"],
    ["ledger", "import", "{dir}", "{tmp}/l.xlsx"],
    ["ledger", "import", SPEC, "{dir}"],
    ["ledger", "trace", "{dir}", "X"],
    ["ledger", "chain", "{dir}", "X"],
    ["diagram", "{dir}", "-o", "{tmp}/d.svg"],
    ["review", "verify", "{dir}"],
    ["review", "report", "{dir}", "-o", "{tmp}/r.pdf"],
    ["province", "reassess", "{dir}"],
    # -o into a folder that does not exist
    ["check", SPEC, "-o", "{missing}/r.html"],
    ["check", SPEC, "-o", "{missing}/r.xlsx"],
    ["data", "check", SPEC, "{csv}", "--flagged", "{missing}/f.csv"],
    ["ledger", "template", "-o", "{missing}/t.xlsx"],
    ["ledger", "export", SPEC, "-o", "{missing}/t.xlsx"],
    ["diagram", SPEC, "-o", "{missing}/d.svg"],
    # a folder where the output file should go
    ["check", SPEC, "-o", "{tmp}/folder.html"],
    ["ledger", "export", SPEC, "-o", "{tmp}/folder.xlsx"],
    ["diagram", SPEC, "-o", "{tmp}/folder.svg"],
    # files that do not exist
    ["data", "cems", SPEC, "{missing}/c.csv"],
    ["province", "reassess", "{missing}"],
]


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c).replace("/", "∕") for c in CASES])
def test_misused_path_exit_2_naming_it(places, tmp_path, capsys, case):
    for name in ("folder.html", "folder.xlsx", "folder.svg"):
        (tmp_path / name).mkdir(exist_ok=True)
    args = [a.format(**places) for a in case]
    code, out = run_cli(args, capsys)
    assert code == 2, out
    assert "Traceback" not in out
    named = [a for a in args if a.startswith(places["tmp"])]
    assert any(n in out or Path(n).name in out for n in named), out
    assert not Path(places["missing"]).exists()  # nothing written, no folder made


def test_lang_en_for_os_errors(places, capsys):
    code, out = run_cli(["province", "reassess", places["missing"], "--lang", "en"], capsys)
    assert code == 2 and "no such file or folder" in out


def test_output_checks(tmp_path):
    assert output_issue(tmp_path / "ok.html") is None
    assert output_issue(tmp_path) is not None
    assert output_issue(tmp_path / "missing" / "x.html") is not None
    (tmp_path / "file").write_text("x")
    assert output_issue(tmp_path / "file" / "x.html") is not None
    with pytest.raises(OutputError) as e:
        atomic_write(tmp_path / "missing" / "x.html", "x")
    assert "不存在" in e.value.message("zh") and "does not exist" in e.value.message("en")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("args", [
    ["ledger", "export", SPEC, "-o", "{tmp}/x.xlsx", "--as-of", "2025-13-01"],
    ["data", "cems", SPEC, "{csv}", "--basis", "bogus"],
    ["data", "cems", SPEC, "{csv}", "--co2-unit", "ppm"],
])
def test_bad_option_values_exit_2(places, capsys, args):
    code, out = run_cli([a.format(**places) for a in args], capsys)
    assert code == 2 and "Traceback" not in out, out


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, "", "\xff\xfe"])
def test_malformed_review_record_exit_2(tmp_path, capsys, content):
    f = tmp_path / "review.json"
    f.write_bytes(content.encode("latin-1"))
    for args in (["review", "verify", str(f)], ["review", "report", str(f), "-o", str(tmp_path / "r.html")]):
        code, out = run_cli(args, capsys)
        assert code == 2 and "Traceback" not in out and str(f) in out, out
