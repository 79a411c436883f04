"""`audit verify --expect` (s10 #17): a malformed head is bad input (exit 2, before any database
is opened); the right count with another hash says the chain was rewritten, not truncated."""

from __future__ import annotations

from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.web.core import audit

runner = CliRunner()


def test_malformed_expect_is_bad_input() -> None:
    for bad in ("garbage", "8:xyz", "8:" + "0" * 63):
        r = runner.invoke(app, ["audit", "verify", "--expect", bad])
        assert r.exit_code == 2 and "不是链头" in r.output, r.output
        assert "末尾的记录被删除" not in r.output
    r = runner.invoke(app, ["audit", "verify", "--expect", "garbage", "--lang", "en"])
    assert r.exit_code == 2 and "is not a chain head" in r.output


def test_right_count_wrong_hash_is_a_rewrite_not_a_truncation(rw) -> None:
    rep = audit.verify()
    assert rep.ok and rep.count >= 1
    rewritten = audit.verify(f"{rep.count}:{'0' * 64}")
    assert [p.zh for p in rewritten.problems] == [
        f"链中第 {rep.count} 条不再是先前记录的链头 0000000000000000…：记录被改写（链被重建）"]
    assert "rewritten" in rewritten.problems[0].en
    cut = audit.verify(f"{rep.count + 5}:{'0' * 64}")  # more rows recorded than the chain has
    assert "末尾的记录被删除" in cut.problems[0].zh
    assert audit.verify(f"{rep.count}:{rep.head}").ok
