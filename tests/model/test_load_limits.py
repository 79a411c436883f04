"""Issue 18 (bad input never crashes): the unit-file and pack loaders answer every malformed
file with exit 2 and a message naming the file and line, never a traceback or a crash.

Each case below crashed the loader before (traceback, segfault or a hang)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.model.errors import LoadError
from tanjiliang.model.limits import Limits, check_yaml, current_limits, may_have_aliases
from tanjiliang.model.load import load_unit
from tanjiliang.rules.load import load_pack

SPEC = Path(__file__).parent.parent / "data" / "spec-example.yaml"
TEXT = SPEC.read_text(encoding="utf-8")


def _laughs(levels: int = 9) -> str:
    out = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels):
        prev, cur = chr(96 + i), chr(97 + i)
        out += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return out


CASES: dict[str, tuple[str, str]] = {
    # name: (file text, what the message must say (zh))
    "recursive_alias_69_bytes": ("unit: &u\n  name: x\n  region: *u\nsubunits: &s [*s]\n" + "#" * 20,
                                 "递归别名"),
    "recursive_alias_seq": ("&a [*a]\n", "递归别名"),
    "recursive_alias_map": ("a: &a\n  b: *a\n", "递归别名"),
    "billion_laughs": (_laughs(), "别名炸弹"),
    "undefined_alias": ("unit: *nothing\n", "没有对应的锚点"),
    "deep_block_nesting": ("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 200)), "嵌套过深"),
    "deep_flow_nesting": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "嵌套"),
    "lone_surrogate": (TEXT.replace("河南豫能示例热电有限公司", '"\\uD800"', 1), ""),
    "complex_key": (TEXT.replace("unit:", "? [a]\n: x\nunit:", 1), "键应为文字"),
    "not_a_mapping": ("- 1\n- 2\n", "顶层应为映射"),
    "empty": ("", "文件为空"),
}


#: Cases that crashed the process (segfault) or hung it: run in a child process.
IN_A_CHILD = {"recursive_alias_69_bytes", "recursive_alias_seq", "recursive_alias_map", "billion_laughs"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_unit_file_exit_2_with_file_and_line(tmp_path, case):
    text, said = CASES[case]
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    if case in IN_A_CHILD:  # a segfault or a hang would not be caught in-process
        r = subprocess.run([sys.executable, "-c", "from tanjiliang.cli.app import main; main()",
                            "check", str(f)], capture_output=True, text=True, timeout=60)
        code, err = r.returncode, r.stderr
    else:
        res = CliRunner().invoke(app, ["check", str(f)])
        code, err = res.exit_code, res.output
        assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert code == 2, (code, err[-2000:])
    assert "Traceback" not in err
    assert re.search(re.escape(str(f)) + r"(:\d+)?", err)
    assert said in err


def test_blank_keys_are_null_not_a_crash(tmp_path):
    """``region:`` left blank crashed the fast path (exit 1 with a traceback)."""
    f = tmp_path / "u.yaml"
    f.write_text(re.sub(r"region: .*", "region:", TEXT, count=1), encoding="utf-8")
    assert load_unit(f).unit.region is None
    f.write_text(re.sub(r"  name: 河南.*", "  name:", TEXT, count=1), encoding="utf-8")
    with pytest.raises(LoadError) as e:
        load_unit(f)
    assert e.value.issues[0].path == "unit.name" and e.value.issues[0].line == 3


def test_lone_surrogate_in_json_is_named_in_chinese(tmp_path):
    f = tmp_path / "u.json"
    f.write_text('{"format": "tanjiliang/unit@1", "unit": {"name": "\\uD800", "year": 2025}}')
    with pytest.raises(LoadError) as e:
        load_unit(f)
    msg = e.value.message("zh")
    assert "unit.name" in msg and "代理" in msg and "Input should" not in msg


def test_deep_json_is_refused(tmp_path):
    f = tmp_path / "u.json"
    f.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(LoadError) as e:
        load_unit(f)
    assert "嵌套" in e.value.message("zh") or "nesting" in e.value.message("en")


def test_billion_laughs_is_refused_quickly(tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text(_laughs(), encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(LoadError):
        load_unit(f)
    assert time.perf_counter() - t0 < 5  # a hang guard, not a benchmark


def test_aliases_within_the_limits_still_load(tmp_path):
    text = TEXT.replace("  - {id: W-11, name: 1号炉入炉煤皮带秤, type: belt_scale,",
                        "  - {id: W-11, name: &n 1号炉入炉煤皮带秤, model: *n, type: belt_scale,", 1)
    assert text != TEXT and may_have_aliases(text)
    f = tmp_path / "u.yaml"
    f.write_text(text, encoding="utf-8")
    unit = load_unit(f)
    assert next(i for i in unit.instruments if i.id == "W-11").model == "1号炉入炉煤皮带秤"


def test_limits_are_settings(monkeypatch):
    assert current_limits() == Limits()
    monkeypatch.setenv("TANJILIANG_YAML_MAX_DEPTH", "3")
    monkeypatch.setenv("TANJILIANG_MAX_FILE_BYTES", "not a number")
    lim = current_limits()
    assert lim.max_depth == 3 and lim.max_file_bytes == Limits().max_file_bytes
    with pytest.raises(LoadError, match="nested too deeply"):
        check_yaml("x.yaml", "a: {b: {c: {d: 1}}}\n", lim)


def test_file_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("TANJILIANG_MAX_FILE_BYTES", "1000")
    f = tmp_path / "u.yaml"
    f.write_text(TEXT, encoding="utf-8")
    res = CliRunner().invoke(app, ["check", str(f)])
    assert res.exit_code == 2 and "文件过大" in res.output


@pytest.mark.parametrize("how", ["folder", "missing", "not_utf8", "unreadable"])
def test_pack_and_unit_paths_misused(tmp_path, monkeypatch, how):
    f = tmp_path / "p.yaml"
    if how == "folder":
        f.mkdir()
    elif how == "not_utf8":
        f.write_bytes("名称: 测试".encode("gbk"))
    elif how == "unreadable":  # chmod 0 does not stop root: the read itself is refused
        f.write_text("a: 1")

        read = Path.read_bytes

        def refuse(self: Path) -> bytes:
            if self == f:
                raise PermissionError(13, "Permission denied", str(self))
            return read(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    for args in (["check", str(f)], ["check", str(SPEC), "--pack", str(f)], ["fmt", str(f)]):
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 2, (args, res.output, res.exception)
        assert str(f) in res.output


def test_pack_loader_refuses_alias_bombs(tmp_path):
    f = tmp_path / "pack.yaml"
    f.write_text(_laughs(), encoding="utf-8")
    with pytest.raises(LoadError, match="alias bomb"):
        load_pack(f)
    f.write_text("name: &n [*n]\n", encoding="utf-8")
    with pytest.raises(LoadError, match="recursive alias"):
        load_pack(f)


@pytest.mark.parametrize("base", ["no-such-pack", "../../../../etc/hosts", "henan-2025-draft/../x"])
def test_pack_extends_only_a_bundled_pack(tmp_path, base):
    """Found by fuzzing the pack loader: ``extends`` with an unknown name was a
    FileNotFoundError traceback (and a path reached outside the bundled packs)."""
    f = tmp_path / "pack.yaml"
    f.write_text(f"extends: {base}\nname: mine\n", encoding="utf-8")
    with pytest.raises(LoadError) as e:
        load_pack(f)
    issue = e.value.issues[0]
    assert issue.path == "extends" and issue.line == 1 and str(f) in issue.file


def test_rapidyaml_parse_errors_do_not_reach_the_user(tmp_path, capfd):
    f = tmp_path / "u.yaml"
    f.write_text("unit:\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(LoadError):
        load_unit(f)
    err = capfd.readouterr().err
    assert "ERROR" not in err and "detected here" not in err


def test_negative_activity_only_for_an_export(tmp_path):
    """Negative activity was accepted and summed with the wrong sign; it is bad input unless
    the stream is an export (``direction: out``, #17's model)."""
    f = tmp_path / "u.yaml"
    f.write_text(TEXT.replace('activity: "8200 MWh"', 'activity: "-8200 MWh"', 1), encoding="utf-8")
    res = CliRunner().invoke(app, ["check", str(f)])
    assert res.exit_code == 2 and "source_streams[2]" in res.output and "不能为负" in res.output
    f.write_text(TEXT.replace('activity: "8200 MWh"', 'activity: "-8200 MWh"\n    direction: out', 1),
                 encoding="utf-8")
    assert load_unit(f).source_streams[2].is_export()


def test_a_workbook_with_an_unsupported_zip_version_is_refused(tmp_path: Path) -> None:
    """Found by `make fuzz`: a workbook whose central directory names zip version 10.3 made
    Python's zipfile raise NotImplementedError (a traceback) in the ledger import."""
    from openpyxl import Workbook

    from tanjiliang.ledger.reader import read_ledger
    from tanjiliang.model.limits import check_workbook

    good = tmp_path / "ok.xlsx"
    Workbook().save(good)
    raw = bytearray(good.read_bytes())
    at = raw.find(b"PK\x01\x02")  # the first central directory entry
    raw[at + 6:at + 8] = (103).to_bytes(2, "little")  # "version needed to extract" = 10.3
    bad = tmp_path / "台账.xlsx"
    bad.write_bytes(bytes(raw))
    with pytest.raises(LoadError) as err:
        check_workbook(bad)
    assert "无法读取工作簿" in err.value.message("zh")
    with pytest.raises(Exception) as caught:
        read_ledger(bad, None, None)
    assert type(caught.value).__name__ == "LedgerError"
