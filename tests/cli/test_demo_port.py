"""``tanjiliang demo`` and a taken port (issue 12 §6): it says so, suggests ``--port`` and
exits non-zero without announcing anything; on a free port it announces the server only once
the server answers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent / "tanjiliang"


def env_for(tmp: Path) -> dict[str, str]:
    env = {**os.environ, "TANJILIANG_DATA_DIR": str(tmp)}
    for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TANJILIANG_SECRET_KEY", "TANJILIANG_AS_OF"):
        env.pop(key, None)
    return env


def log_in_and_list(base: str, user: str) -> int:
    """Log in as ``user`` (password demo1234) and follow to the unit list: its status."""
    import http.cookiejar
    import re
    import urllib.parse

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(base + "/login/?next=/", timeout=10) as r:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.read().decode()).group(1)  # type: ignore[union-attr]
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": user,
                                   "password": "demo1234", "next": "/"}).encode()
    req = urllib.request.Request(base + "/login/?next=/", data=form, headers={"Referer": base + "/login/"})
    with opener.open(req, timeout=60) as r:
        assert r.geturl().rstrip("/") == base, r.geturl()  # logged in: not back at the login page
        return int(r.status)


def test_a_taken_port_is_said_and_exits_non_zero(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([str(BIN), "demo", "--port", str(port)], env=env_for(tmp_path),
                           capture_output=True, text=True, timeout=120, check=False)
        assert r.returncode == 1
        assert f"端口 {port} 已被占用" in r.stderr and "--port " in r.stderr
        assert "演示已启动" not in r.stdout
        r = subprocess.run([str(BIN), "serve", "--demo", "--port", str(port), "--lang", "en"],
                           env=env_for(tmp_path), capture_output=True, text=True, timeout=120,
                           check=False)
        assert r.returncode == 1 and f"port {port} is already in use" in r.stderr
        assert "is running" not in r.stdout


def test_the_demo_is_announced_once_it_answers(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([str(BIN), "demo", "--port", str(port)], env=env_for(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        assert proc.stdout is not None
        for line in proc.stdout:
            if "碳计量演示已启动" in line:
                break
            assert time.monotonic() < deadline, "no announcement"
        else:
            raise AssertionError("the demo stopped without announcing")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as resp:
            assert resp.status == 200
        # a user logs in and sees the unit list, whose assessments read the readings with
        # polars: a worker forked from a process that had run polars (the demo checks the
        # examples first) hung there for ever — the server now runs in a fresh process
        assert log_in_and_list(f"http://127.0.0.1:{port}", "qiye5") == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
