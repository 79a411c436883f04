"""``tanjiliang demo --no-serve`` prepares the demo database; ``serve`` refuses to run in
production mode without a secret key."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "tanjiliang"


def test_demo_prepares_database_and_prints_logins(tmp_path: Path) -> None:
    env = {**os.environ, "TANJILIANG_DATA_DIR": str(tmp_path)}
    for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TANJILIANG_SECRET_KEY", "TANJILIANG_AS_OF"):
        env.pop(key, None)
    out = subprocess.run([str(BIN), "demo", "--no-serve"], env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    assert "http://127.0.0.1:8000/" in out and "qiye1" in out and "jianguan" in out
    db = sqlite3.connect(tmp_path / "demo.sqlite3")
    units = db.execute("select count(*) from core_unit").fetchone()[0]
    assert units >= 1
    again = subprocess.run([str(BIN), "demo", "--no-serve", "--lang", "en"], env=env,
                           capture_output=True, text=True, timeout=300, check=True).stdout
    assert "Demo logins" in again
    assert db.execute("select count(*) from core_unit").fetchone()[0] == units  # idempotent


def test_production_needs_a_secret_key(tmp_path: Path) -> None:
    env = {**os.environ, "TANJILIANG_DATA_DIR": str(tmp_path)}
    env.pop("TANJILIANG_SECRET_KEY", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    r = subprocess.run([str(BIN), "serve", "--no-serve"], env=env, capture_output=True,
                       text=True, timeout=120, check=False)
    assert r.returncode == 2 and "TANJILIANG_SECRET_KEY" in r.stderr
