"""Web benchmark (issue 5 §7): 100 concurrent clients on loopback against the ledger page
and the assessment API of a unit with 5 000 instruments, on SQLite and on PostgreSQL.

The server is the production one (``tanjiliang serve``: gunicorn, gthread workers); the
clients are asyncio keep-alive connections in this process (closed loop: each client sends
its next request when the previous answer arrives). Prints p50/p95/p99 latency and
throughput per database and endpoint. The synthetic unit is the assessment benchmark's
(benchmarks/assess.py), so both benchmarks measure the same plant.

Run: .venv/bin/python benchmarks/web.py [--db sqlite,postgres] [--clients 100] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
PG = "postgresql://{user}@127.0.0.1:5432/{db}"
AS_OF = "2025-12-31"


def synthetic_unit(n: int) -> dict:
    spec = importlib.util.spec_from_file_location("bench_assess", HERE / "assess.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    data: dict = mod.synthetic_unit(n)
    data["unit"]["region"] = "河南省郑州市"
    return data


def setup_database(env: dict[str, str], unit_json: Path) -> dict:
    """Migrate and store the unit, a user and an API token (in a child process, so that
    each database gets its own Django)."""
    code = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanjiliang.web.settings")
import django; django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth.models import User
from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import create_unit, validate
from tanjiliang.web.core.api import issue_token
ent = m.Enterprise.objects.create(name="基准企业")
user = User.objects.create_user("bench", password="bench-pw-2025")
m.Profile.objects.create(user=user, role=m.ROLE_ENTERPRISE, enterprise=ent)
uf = validate(json.load(open(sys.argv[1], encoding="utf-8")))
unit = create_unit(uf, ent, user, source="benchmark")
print(json.dumps({"unit": unit.pk, "token": issue_token(user, "bench"),
                  "instruments": unit.instruments.count()}))
"""
    out = subprocess.run([PYTHON, "-c", code, str(unit_json)], env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 30) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not start on port {port}")


def login(base: str) -> str:
    """A session cookie header for the benchmark user (through the login form)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode({"username": "bench", "password": "bench-pw-2025",
                                   "csrfmiddlewaretoken": token, "next": "/"}).encode()
    req = urllib.request.Request(base + "/login/", data=body, headers={"Referer": base + "/login/"})
    opener.open(req).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


async def client(port: int, paths: list[str], headers: str, stop: float,
                 lat: list[float], errors: list[int], offset: int, think: float) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    while time.perf_counter() < stop:
        path = paths[i % len(paths)]
        i += 1
        t = time.perf_counter()
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        m = re.search(rb"(?i)content-length: *(\d+)", head)
        if m:
            await reader.readexactly(int(m[1]))
        else:  # chunked or close-delimited: read to the end (not expected)
            await reader.read()
        lat.append(time.perf_counter() - t)
        if status != 200:
            errors.append(status)
        if re.search(rb"(?i)connection: *close", head):
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        if think:  # a person reading the page before the next click
            await asyncio.sleep(think * random.uniform(0.5, 1.5))
    writer.close()


def load(port: int, paths: list[str], headers: str, clients: int, seconds: float,
         think: float = 0.0) -> dict:
    lat: list[float] = []
    errors: list[int] = []

    async def main() -> None:
        stop = time.perf_counter() + seconds
        await asyncio.gather(*(client(port, paths, headers, stop, lat, errors, k, think)
                               for k in range(clients)))

    t0 = time.perf_counter()
    asyncio.run(main())
    wall = time.perf_counter() - t0
    q = statistics.quantiles(lat, n=100)
    return {"requests": len(lat), "errors": len(errors), "rps": len(lat) / wall,
            "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000}


def run_one(db: str, args: argparse.Namespace, unit_json: Path) -> dict:
    tmp = tempfile.mkdtemp(prefix=f"tanjiliang-bench-{db}-")
    env = {**os.environ, "TANJILIANG_SECRET_KEY": "benchmark-only", "TANJILIANG_DATA_DIR": tmp,
           "TANJILIANG_AS_OF": AS_OF}
    env.pop("TANJILIANG_DEMO", None)
    dbname = None
    if db == "postgres":
        import psycopg

        dbname = f"tanjiliang_bench_{os.getpid()}"
        user = args.pg_user
        with psycopg.connect(PG.format(user=user, db="test"), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = PG.format(user=user, db=dbname)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    server = None
    try:
        t = time.perf_counter()
        info = setup_database(env, unit_json)
        setup_s = time.perf_counter() - t
        port = free_port()
        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "tanjiliang"), "serve", "--port", str(port),
             "--workers", str(args.workers), "--threads", str(args.threads)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_port(port)
        base = f"http://127.0.0.1:{port}"
        cookie = login(base)
        pk = info["unit"]
        pages = [f"/units/{pk}/ledger/?page={p}" for p in range(1, 21)] + [
            f"/units/{pk}/ledger/?sort=-next_due&page={p}" for p in range(1, 6)] + [
            f"/units/{pk}/ledger/?calibration_status=due_soon", f"/units/{pk}/ledger/?q=I0001"]
        api = [f"/api/units/{pk}/assessment"]
        t = time.perf_counter()
        urllib.request.urlopen(urllib.request.Request(  # first assessment: computed, cached
            base + api[0], headers={"Authorization": f"Bearer {info['token']}"})).read()
        first_s = time.perf_counter() - t
        for path in pages:  # warm every worker's caches a little
            urllib.request.urlopen(urllib.request.Request(base + path, headers={"Cookie": cookie})).read()
        out = {"db": db, "instruments": info["instruments"], "setup_s": setup_s,
               "first_assessment_s": first_s}
        # as HTTP clients do (requests, browsers): the cached JSON is served gzip-compressed
        auth = f"Authorization: Bearer {info['token']}\r\nAccept-Encoding: gzip\r\n"
        out["ledger"] = load(port, pages, f"Cookie: {cookie}\r\n", args.clients, args.seconds)
        out["assessment_api"] = load(port, api, auth, args.clients, args.seconds)
        if args.think:
            out["ledger_think"] = load(port, pages, f"Cookie: {cookie}\r\n", args.clients,
                                       args.seconds, args.think)
            out["api_think"] = load(port, api, auth, args.clients, args.seconds, args.think)
        return out
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if dbname:
            import psycopg

            with psycopg.connect(PG.format(user=args.pg_user, db="test"), autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="sqlite,postgres")
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--instruments", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=(os.cpu_count() or 1))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--think", type=float, default=1.0,
                    help="also measure with this mean pause between a client's requests (s)")
    ap.add_argument("--pg-user", default=os.environ.get("PGUSER", "postgres"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        unit_json = Path(tmp) / "unit.json"
        unit_json.write_text(json.dumps(synthetic_unit(args.instruments), ensure_ascii=False),
                             encoding="utf-8")
        results = [run_one(db, args, unit_json) for db in args.db.split(",") if db]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{args.clients} concurrent clients, {args.seconds:g} s per endpoint, "
          f"{args.workers} workers × {args.threads} threads, {os.cpu_count()} CPUs shared with "
          f"the clients and the database; *_think: each client pauses {args.think:g} s "
          f"(±50 %) between requests, otherwise none (saturation); load average before: "
          f"{load_before:.1f}")
    print(f"{'db':<9}{'endpoint':<16}{'requests':>9}{'errors':>7}{'req/s':>9}"
          f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for r in results:
        for name in ("ledger", "assessment_api", "ledger_think", "api_think"):
            if name not in r:
                continue
            x = r[name]
            print(f"{r['db']:<9}{name:<16}{x['requests']:>9}{x['errors']:>7}{x['rps']:>9.0f}"
                  f"{x['p50_ms']:>9.1f}{x['p95_ms']:>9.1f}{x['p99_ms']:>9.1f}")
        print(f"{'':<9}({r['instruments']} instruments; storing the unit {r['setup_s']:.1f} s, "
              f"first assessment {r['first_assessment_s'] * 1000:.0f} ms, then cached per revision)")


if __name__ == "__main__":
    main()
