"""Run a folder of Django tests again on PostgreSQL (127.0.0.1:5432, trust auth, database
``test``; each run creates and drops its own throwaway database). With ``CI=true`` a missing
server fails the run; on a user's machine without one the test is skipped, saying why."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

HOST, PORT = "127.0.0.1", 5432
INNER = "TANJILIANG_TEST_DATABASE_URL"


def _server_up() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=1):
            return True
    except OSError:
        return False


def _url() -> str:
    """As user ``postgres`` where it exists (Debian), else ``root``."""
    import psycopg

    for user in ("postgres", "root"):
        url = f"postgresql://{user}@{HOST}:{PORT}/test"
        try:
            psycopg.connect(url, connect_timeout=3).close()
            return url
        except psycopg.OperationalError:
            continue
    pytest.fail("PostgreSQL answers but neither user postgres nor root can connect to db test")


def part_of(folder: Path, part: int = 0, parts: int = 1, leave_out: tuple[str, ...] = ()
            ) -> list[str]:
    """``folder``'s test files but those named in ``leave_out``, sorted by name: every
    ``parts``-th from the ``part``-th on (a rerun split into parts that run on the suite's two
    workers at once)."""
    files = [f for f in sorted(folder.glob("test_*.py")) if f.name not in leave_out]
    return [str(f) for f in files[part::parts]]


def rerun_on_postgresql(folder: Path, *, leave_out: tuple[str, ...] = (),
                        part: tuple[int, int] = (0, 1)) -> None:
    """Run ``folder``'s tests (not the browser or PostgreSQL ones, nor the files named in
    ``leave_out``) on PostgreSQL; they must all pass and none may be skipped. ``part=(i, n)``
    runs the ``i``-th of ``n`` parts of the files (:func:`part_of`), each on its own throwaway
    database (settings_test), so that the parts can run side by side."""
    if os.environ.get(INNER):
        return  # this is the inner run, already on PostgreSQL
    if not _server_up():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but no PostgreSQL server on {HOST}:{PORT}")
        pytest.skip(f"no PostgreSQL server on {HOST}:{PORT} (start one to run these tests there)")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
         "-m", "not browser and not postgres", *part_of(folder, *part, leave_out)],
        env={**os.environ, INNER: _url()}, capture_output=True, text=True, timeout=1500, check=False)
    tail = (proc.stdout + proc.stderr)[-4000:]
    assert proc.returncode == 0, tail
    assert " passed" in proc.stdout and " skipped" not in proc.stdout, tail
