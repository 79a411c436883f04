"""A --database that cannot be opened (session 6): review refresh-summaries and remind ended in
Django's OperationalError traceback; now exit 2 naming the database, in the user's language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _run(*args: str) -> tuple[int, str]:
    r = subprocess.run([str(Path(sys.executable).parent / "tanjiliang"), *args], capture_output=True, text=True,
                       timeout=120, env={"PATH": "/usr/bin:/bin", "COLUMNS": "120"})
    return r.returncode, r.stdout + r.stderr


@pytest.mark.parametrize("command", [("review", "refresh-summaries"), ("remind",)])
def test_a_database_that_cannot_be_opened(tmp_path: Path, command: tuple[str, ...]) -> None:
    url = f"sqlite:///{tmp_path}/no-such-folder/x.db"
    code, out = _run(*command, "--database", url)
    assert code == 2 and "Traceback" not in out, out
    assert f"{url}: 数据库无法打开或连接（请检查 --database 或 DATABASE_URL）" in out, out
    code, out = _run(*command, "--database", url, "--lang", "en")
    assert code == 2 and "the database cannot be opened or reached" in out, out
