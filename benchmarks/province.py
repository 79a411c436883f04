"""Benchmark of issue 6 §6: a generated province (2 000 units × 500 instruments), its batch
reassessment parallel over units, and the regulator's overview page on PostgreSQL.

    .venv/bin/python benchmarks/province.py [--units 2000] [--instruments 500] [--workers 2]
        [--dir PATH] [--requests 200] [--database postgresql://postgres@127.0.0.1:5432/test]

Prints: generation time; reassessment of one year (every unit) and of all years; overview
page latency p50/p95 over ``--requests`` requests with varying filters and pages (Django test
client in-process: view, queries and template, no network), and the Excel export. The
PostgreSQL database is a throwaway one created and dropped by the run. No assertions: figures
go into the report (docs/review.md).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--instruments", type=int, default=500)
    ap.add_argument("--years", default="2023,2024,2025")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    years = tuple(int(y) for y in args.years.split(","))

    from tanjiliang.province.batch import reassess_province
    from tanjiliang.province.generate import MANIFEST, read_manifest, write_province

    root = args.dir or Path(tempfile.mkdtemp(prefix="tanjiliang-province-"))
    have = (root / MANIFEST).exists() and read_manifest(root).get("units") == args.units \
        and read_manifest(root).get("instruments") == args.instruments \
        and tuple(read_manifest(root).get("years", ())) == years
    if not have:
        t0 = time.perf_counter()
        write_province(root, units=args.units, instruments=args.instruments, years=years)
        print(f"generate: {args.units} units × {args.instruments} instruments × {len(years)} "
              f"years in {time.perf_counter() - t0:.1f} s → {root}")
    else:
        print(f"generate: reusing {root}")
    print(f"cores: {os.cpu_count()}, workers: {args.workers}, load average before: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    import resource

    def cpu() -> float:
        ch = resource.getrusage(resource.RUSAGE_CHILDREN)
        me = resource.getrusage(resource.RUSAGE_SELF)
        return ch.ru_utime + ch.ru_stime + me.ru_utime + me.ru_stime

    c0 = cpu()
    df1, s1 = reassess_province(root, years=[years[-1]], workers=args.workers,
                                out=root / f"summary-{years[-1]}.parquet")
    c1 = cpu() - c0
    print(f"reassess {years[-1]}: {df1.height} units in {s1:.1f} s wall "
          f"({1000 * s1 / max(df1.height, 1):.1f} ms/unit), CPU {c1:.1f} s "
          f"({1000 * c1 / max(df1.height, 1):.1f} ms/unit; on {args.workers} idle cores "
          f"≈ {c1 / args.workers:.1f} s), load average after "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
          f"non-conforming {df1.filter(df1['conclusion'] == 'nonconforming').height}, "
          f"errors {df1['error'].drop_nulls().len()}")
    df, s = reassess_province(root, workers=args.workers)
    print(f"reassess all years: {df.height} unit-years in {s:.1f} s")

    # ---------------------------------------------------------------- overview on PostgreSQL
    import psycopg

    base = args.database.rsplit("/", 1)[0]
    name = f"tanjiliang_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(args.database, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"overview: PostgreSQL not reachable ({exc}); skipped")
        return
    os.environ.update({
        "DATABASE_URL": f"{base}/{name}", "TANJILIANG_SECRET_KEY": "bench",
        "TANJILIANG_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "TANJILIANG_DATA_DIR": tempfile.mkdtemp(prefix="tanjiliang-bench-"),
        "DJANGO_SETTINGS_MODULE": "tanjiliang.web.settings"})
    try:
        import django

        django.setup()
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from tanjiliang.web.core import models as m
        from tanjiliang.web.review.summaries import publish_frame

        call_command("migrate", interactive=False, verbosity=0)
        t0 = time.perf_counter()
        n = publish_frame(df)
        print(f"publish: {n} summary rows in {time.perf_counter() - t0:.1f} s")
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        user = User.objects.create_user("bench-regulator", password="x")
        m.Profile.objects.create(user=user, role=m.ROLE_REGULATOR, region="河南省")
        client = Client()
        client.force_login(user)
        rng = random.Random(1)
        cities = sorted(set(df["city"].to_list()))
        sectors = sorted(set(df["sector"].to_list()))
        client.get("/overview/")  # warm-up (template compilation)
        times: list[float] = []
        for i in range(args.requests):
            params: dict[str, str] = {"year": str(rng.choice(years))}
            if i % 4 == 1:
                params["city"] = rng.choice(cities)
            if i % 4 == 2:
                params["sector"] = rng.choice(sectors)
            if i % 4 == 3:
                params["conclusion"] = "nonconforming"
                params["page"] = str(rng.randint(1, 5))
            params["sort"] = rng.choice(["city", "total", "overdue", "rate"])
            t = time.perf_counter()
            r = client.get("/overview/", params)
            times.append(1000 * (time.perf_counter() - t))
            assert r.status_code == 200, r.status_code
        print(f"overview page (PostgreSQL, {df.height} rows, {args.requests} requests): "
              f"p50 {statistics.median(times):.0f} ms, p95 {_pct(times, 95):.0f} ms, "
              f"max {max(times):.0f} ms")
        t = time.perf_counter()
        r = client.get("/overview/overview.xlsx", {"year": str(years[-1])})
        print(f"overview export ({years[-1]}): {len(r.content) // 1024} KiB in "
              f"{1000 * (time.perf_counter() - t):.0f} ms")
        connection.close()
    finally:
        with psycopg.connect(args.database, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
