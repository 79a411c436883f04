"""The web test suite again on PostgreSQL (issue 5 §6): 127.0.0.1:5432, trust auth, a
throwaway database created and dropped by the run. With ``CI=true`` a missing server fails
the run; on a developer machine the test is skipped, saying why."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
HOST, PORT = "127.0.0.1", 5432


def _server_up() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=1):
            return True
    except OSError:
        return False


def _user() -> str:
    """``postgres`` where it exists (Debian), else ``root`` (as the brief allows)."""
    import psycopg

    for user in ("postgres", "root"):
        try:
            psycopg.connect(f"postgresql://{user}@{HOST}:{PORT}/test", connect_timeout=3).close()
            return user
        except psycopg.OperationalError:
            continue
    pytest.fail("PostgreSQL answers but neither user postgres nor root can connect to db test")


@pytest.mark.postgres
def test_web_suite_on_postgresql() -> None:
    if os.environ.get("TANJILIANG_TEST_DATABASE_URL"):
        pytest.skip("already running on PostgreSQL (this is the inner run)")
    if not _server_up():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but no PostgreSQL server on {HOST}:{PORT}")
        pytest.skip(f"no PostgreSQL server on {HOST}:{PORT} (start one to run this suite there)")
    url = f"postgresql://{_user()}@{HOST}:{PORT}/test"
    env = {**os.environ, "TANJILIANG_TEST_DATABASE_URL": url}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
         "-m", "not browser and not postgres",
         # schemathesis exercises the API layer, which is the same on both databases
         "--deselect", str(HERE / "test_schemathesis.py"), str(HERE)],
        env=env, capture_output=True, text=True, timeout=600, check=False)
    tail = (proc.stdout + proc.stderr)[-4000:]
    assert proc.returncode == 0, tail
    assert " passed" in proc.stdout and "skipped" not in proc.stdout.split("\n")[-2], tail
