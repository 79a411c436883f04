"""Benchmark of issue 14 §7: a province of N units × 12 months closed, and its indicators.

    .venv/bin/python benchmarks/month.py [--units 2000] [--instruments 40] [--sample-months 12]
    .venv/bin/python benchmarks/month.py --overview [--units 2000] [--clients 1,4] [--database NAME]

Two paths, figures only (no assertions):

* **per month (the straightforward baseline)** — ``tanjiliang.month.close.compute_month``, what
  ``tanjiliang month close`` and the web app run: the readings of the month read and checked
  (``data.report.run``, the one door as of the month's last day, and again as of its first
  day) — measured on ``--sample-months`` months of the power example with a year of
  synthetic plant readings, and extrapolated to N × 12;
* **batch** (this script): each unit assessed once through the door (as of the year's end:
  the streams' annual rates), then every unit-month closed from its monthly activity
  (metered and missing per stream, the input of a province's monthly filings) in one polars
  frame: substitution ``metered + factor × missing`` (the pack's ``monthly.substitution_factor``), emissions at the
  stream's annual rate, completeness, the in-confirmation check on the first and last day of
  each month (``metrology.confirmation.confirmation_state`` on the unit as it stood that day,
  ``assess.timeline.as_of_view``, as the door does), each record's content hash; then the
  indicators (``tanjiliang.kpi.indicators``) and the ranking.

The batch figures are checked against compute_month on the power example (same monthly
activity → same emissions; same in-confirmation verdicts) and the agreement is printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2025


def month_days(year: int) -> list[tuple[date, date]]:
    from tanjiliang.month.close import month_bounds

    return [(s, e - timedelta(days=1)) for s, e in (month_bounds(year, m) for m in range(1, 13))]


def in_confirmation_by_month(unit: Any, pack: Any) -> dict[str, list[tuple[bool, bool]]]:
    """Per instrument (in use or standby), per month: in confirmation (valid or due soon) on
    the first day and on the last day — the rule of compute_month's ``in_confirmation``: the
    instrument as it stood that day (``assess.timeline``: records dated later left out) and
    ``confirmation_state`` on it. The instrument only changes at its record dates, and for a
    given set of records the state is valid or due soon exactly while a last confirmation
    is known and the day is not after its next due date: one call per set, not per day."""
    from bisect import bisect_right

    from tanjiliang.assess.timeline import _instrument
    from tanjiliang.metrology.confirmation import confirmation_state

    types = {t.id: t for t in pack.pack.instrument_types}
    window = pack.pack.confirmation.due_soon_days.value
    days = month_days(unit.unit.year)
    out: dict[str, list[tuple[bool, bool]]] = {}
    for k, ins in enumerate(unit.instruments):
        if ins.status == "out_of_service":
            continue
        itype = types[ins.type]
        dates = sorted({r.date for r in ins.confirmations or []}
                       | ({ins.last_confirmed} if ins.last_confirmed else set()))
        known: dict[int, date | None] = {}

        def ok(d: date, ins: Any = ins, k: int = k, itype: Any = itype,
               dates: list[date] = dates, known: dict[int, date | None] = known) -> bool:
            n = bisect_right(dates, d)
            if n not in known:
                seen = ins if n == len(dates) else _instrument(ins, k, d, [])
                st = confirmation_state(seen, itype, d, window)
                known[n] = st.next_due if st.last_confirmed is not None else None
            due = known[n]
            return due is not None and d <= due

        out[ins.id] = [(ok(first), ok(last)) for first, last in days]
    return out


def annual_rates(unit: Any, a: Any) -> dict[str, float | None]:
    """tCO2e per unit of activity of each stream (compute_month's rule)."""
    from tanjiliang.units import parse_quantity

    declared = {s.id: s.activity for s in unit.source_streams}
    out: dict[str, float | None] = {}
    for s in a.streams:
        amount = float(parse_quantity(declared[s.id]).magnitude) if declared.get(s.id) else None
        out[s.id] = (s.emissions_tco2e / amount) if amount else None
    return out


def monthly_activity(units: list[Any], seed: int) -> Any:
    """The province's monthly input: per unit, month and stream, metered and missing
    activity (a twelfth of the declared year ± 10 %; 1 unit-month in 20 with a gap of up to
    15 % of the month)."""
    import numpy as np
    import polars as pl

    from tanjiliang.units import parse_quantity

    rng = np.random.default_rng(seed)
    rows_u, rows_m, rows_s, base = [], [], [], []
    for ui, u in enumerate(units):
        for s in u.source_streams:
            if not s.activity:
                continue
            year = float(parse_quantity(s.activity).magnitude)
            for m in range(1, 13):
                rows_u.append(ui)
                rows_m.append(m)
                rows_s.append(s.id)
                base.append(year / 12)
    n = len(base)
    share = np.where(rng.random(n) < 0.05, rng.uniform(0, 0.15, n), 0.0)
    total = np.asarray(base) * rng.uniform(0.9, 1.1, n)
    return pl.DataFrame({"unit": rows_u, "month": rows_m, "stream": rows_s,
                         "metered": total * (1 - share), "missing": total * share,
                         "coverage": 100.0 * (1 - share)})


def batch(units: list[Any], pack: Any, activity: Any) -> tuple[list[dict[str, Any]], list[Any], dict[str, float]]:
    import polars as pl

    from tanjiliang.check import check
    from tanjiliang.kpi import indicators, rank
    from tanjiliang.month.close import FORMAT, content_hash, deadline, rule

    t: dict[str, float] = {}
    t0 = time.perf_counter()
    assessments = [check(u, pack, date(u.unit.year, 12, 31)) for u in units]
    t["assess once per unit"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    rate_rows = [(ui, sid, r) for ui, (u, a) in enumerate(zip(units, assessments, strict=True))
                 for sid, r in annual_rates(u, a).items()]
    rates = pl.DataFrame(rate_rows, schema={"unit": pl.Int64, "stream": pl.String,
                                            "rate": pl.Float64}, orient="row")
    factor = float(rule("substitution_factor"))
    closed = (activity.join(rates, on=["unit", "stream"], how="left")
              .with_columns((pl.col("metered") + factor * pl.col("missing")).alias("activity"))
              .with_columns((pl.col("activity") * pl.col("rate")).alias("emissions")))
    per_month = closed.group_by("unit", "month").agg(
        pl.col("emissions").sum().alias("emissions_tco2e"),
        pl.col("coverage").mean().round(1).alias("completeness"),
        pl.struct("stream", "metered", "missing", "activity", "emissions").alias("streams"))
    t["close (polars)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    lapsed: list[list[list[str]]] = []
    for u in units:
        conf = in_confirmation_by_month(u, pack)
        lapsed.append([[i for i, row in conf.items() if not all(row[m])] for m in range(12)])
    t["in confirmation (first and last day of each month)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    cmin = float(rule("completeness_min_percent"))
    records = []
    for r in per_month.sort("unit", "month").iter_rows(named=True):
        u = units[r["unit"]]
        m = r["month"]
        lap = lapsed[r["unit"]][m - 1]
        rec = {"format": FORMAT, "unit": {"name": u.unit.name, "credit_code": u.unit.credit_code,
                                          "year": u.unit.year},
               "month": f"{u.unit.year:04d}-{m:02d}", "streams": r["streams"],
               "emissions_tco2e": r["emissions_tco2e"],
               "completeness_percent": r["completeness"],
               "deadline": deadline(u.unit.year, m).isoformat(),
               "checks": [{"check": "completeness", "ok": r["completeness"] >= cmin,
                           "value": r["completeness"], "limit": cmin},
                          {"check": "in_confirmation", "ok": not lap, "instruments": lap}]}
        rec["sha256"] = content_hash(rec)
        records.append(rec)
    t["records and hashes"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    comp = {(rec["unit"]["credit_code"], rec["unit"]["name"]): [] for rec in records}
    for rec in records:
        comp[(rec["unit"]["credit_code"], rec["unit"]["name"])].append(rec["completeness_percent"])
    rows = []
    for u, a in zip(units, assessments, strict=True):
        c = comp.get((u.unit.credit_code, u.unit.name)) or []
        rows.append(indicators(u, a, date(u.unit.year, 1, 1), date(u.unit.year + 1, 1, 1),
                               completeness=round(sum(c) / len(c), 1) if c else None))
    ranked = rank(rows)
    t["indicators and ranking"] = time.perf_counter() - t0
    return records, ranked, t


def plant_readings(unit: Any, folder: Path) -> Path:
    """A year of the synthetic plant's readings for the power example (its W-01, W-11, W-12,
    E-01 keep their ids; the grid meter reads a tenth of the plant's main meter)."""
    import polars as pl

    from tanjiliang.data.synth import plant_year

    df, _ = plant_year(unit.unit.year)
    ids = {i.id for i in unit.instruments}
    df = df.filter(pl.col("instrument").is_in(list(ids))).with_columns(
        pl.when(pl.col("instrument") == "E-01").then(pl.col("value") * 0.1)
        .otherwise(pl.col("value")).alias("value"))
    path = folder / "plant.parquet"
    df.write_parquet(path)
    return path


# ---------------------------------------------------------------------------- the overview
OVERVIEW_AS_OF = "2026-03-31"  # every deadline of 2025 passed (the last: 9 February 2026)


def setup_overview(units_n: int, instruments: int, seed: int) -> None:
    """(Child process, Django on the benchmark's database.) The province stored as the web
    app stores units (``create_unit``), every unit-month filed (``MonthFiling``, the batch's
    records: 1 in 10 late, 1 in 12 not filed; a third with a stream's month entered by hand 0–8 %
    off its days and the daily-vs-monthly check, a tenth of those corrected), a regulator ``bench`` for the whole province,
    and every unit's assessment and indicators cached by computing the overview once."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanjiliang.web.settings")
    import django

    django.setup()
    import random
    from datetime import datetime

    from django.contrib.auth.models import User
    from django.core.management import call_command

    from tanjiliang.model.load import SourceMap, validate_data
    from tanjiliang.month.close import ZONE, content_hash, rule
    from tanjiliang.province.generate import generate_unit, unit_key
    from tanjiliang.rules import load_pack
    from tanjiliang.web.core import models as m
    from tanjiliang.web.core.changes import create_unit
    from tanjiliang.web.month.models import MonthFiling
    from tanjiliang.web.month.views import consistency_of, timeliness_of, unit_indicators

    call_command("migrate", interactive=False, verbosity=0)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    ent = m.Enterprise.objects.create(name="基准企业")
    owner = User.objects.create_user("owner", password="bench-pw-2025")
    m.Profile.objects.create(user=owner, role=m.ROLE_ENTERPRISE, enterprise=ent)
    user = User.objects.create_user("bench", password="bench-pw-2025")
    m.Profile.objects.create(user=user, role=m.ROLE_REGULATOR, region="河南省")
    units, stored = [], []
    for i in range(units_n):
        data = generate_unit(seed, unit_key(seed, i).index, YEAR, instruments)
        uf = validate_data(data, SourceMap(f"unit-{i}.json"))
        units.append(uf)
        stored.append(create_unit(uf, ent, owner, source="benchmark"))
    out["store units"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    records, _, _ = batch(units, load_pack(None), monthly_activity(units, seed))
    rng = random.Random(seed)
    rows = []
    by_name = {u.unit.name: s for u, s in zip(units, stored, strict=True)}
    limit = rule("daily_monthly_max_deviation_percent")

    def row(rec: dict[str, Any]) -> Any:
        rec = json.loads(json.dumps(rec, default=str))
        rec["sha256"] = content_hash(rec)
        return MonthFiling(unit=by_name[rec["unit"]["name"]], month=rec["month"],
                           version=rec["version"], data=rec, sha256=rec["sha256"],
                           filed_at=datetime(2026, 1, 5 + rec["version"], 9, tzinfo=ZONE))

    for rec in records:
        if rng.random() < 1 / 12:
            continue  # not filed
        rec = {**rec, "version": 1, "late": rng.random() < 0.1}
        if rng.random() < 1 / 3:  # a stream's month entered by hand, 0–8 % off its days
            rec = entered_by_hand(rec, rng.uniform(-0.08, 0.08), limit)
            rows.append(row(rec))
            if rng.random() < 0.1:  # corrected to the days' sum (the latest version counts)
                rows.append(row({**entered_by_hand(rec, 0.0, limit), "version": 2,
                                 "reason": "按结算单更正", "previous_sha256": rows[-1].sha256}))
            continue
        rows.append(row(rec))
    MonthFiling.objects.bulk_create(rows, batch_size=2000)
    out["file months (bulk)"] = time.perf_counter() - t0
    out["filings"] = len(rows)
    out["filings with the daily-vs-monthly check"] = sum(r.consistent is not None for r in rows)
    out["of them consistent"] = sum(r.consistent is True for r in rows)
    t0 = time.perf_counter()
    day = date.fromisoformat(OVERVIEW_AS_OF)
    ranked = unit_indicators(list(m.Unit.objects.order_by("name")), day)
    out["first overview (assess and index every unit, cached)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    unit_indicators(list(m.Unit.objects.order_by("name")), day)
    out["overview from the caches, in process"] = time.perf_counter() - t0
    every = list(m.Unit.objects.defer("document").order_by("name"))
    for name, count in (("timeliness counted in the database (best of 5)", lambda: timeliness_of(every, day)),
                        ("consistency counted in the database (best of 5)", lambda: consistency_of(every))):
        best = []
        for _ in range(5):
            t0 = time.perf_counter()
            count()
            best.append(time.perf_counter() - t0)
        out[name] = min(best)
    out["units indexed"] = len(ranked)
    print(json.dumps(out))


def entered_by_hand(rec: dict[str, Any], off: float, limit: float) -> dict[str, Any]:
    """``rec`` with its first metered stream's month entered by hand ``off`` (a share) from the
    sum of its days, and the daily-vs-monthly check compute_month makes of it."""
    from tanjiliang.month.close import consistency_check, deviation_percent

    streams = [dict(s) for s in rec["streams"]]
    s = next((s for s in streams if s["metered"]), None)
    if s is None:
        return rec
    s["id"] = s.get("id") or s["stream"]
    s["entered"] = s["activity"] = round(s["metered"] * (1 + off), 3)
    dev = deviation_percent(s["entered"], s["metered"])
    s["deviation_percent"] = None if dev is None else float(dev)
    checks = [c for c in rec["checks"] if c["check"] != "daily_monthly_consistency"]
    check = consistency_check(streams, limit)
    return {**rec, "streams": streams, "checks": checks + ([check] if check else [])}


def cpu_seconds(server: int, dbname: str) -> tuple[float, float]:
    """CPU seconds (user + system) so far of the server (the gunicorn master and its workers)
    and of the PostgreSQL backends serving ``dbname``: what the page costs beside its wall time
    on a machine whose cores are shared."""
    import psutil

    def spent(p: Any) -> float:
        try:
            t = p.cpu_times()
            return float(t.user + t.system)
        except psutil.Error:
            return 0.0

    root = psutil.Process(server)
    web_cpu = spent(root) + sum(spent(c) for c in root.children(recursive=True))
    db_cpu = 0.0
    for p in psutil.process_iter(["name", "cmdline"]):
        if p.info["name"] == "postgres" and any(dbname in a for a in p.info["cmdline"] or []):
            db_cpu += spent(p)
    return web_cpu, db_cpu


def overview(args: argparse.Namespace) -> None:
    """p50/p95/p99 of the 监管指标 page (/overview/indicators/, every unit of the province
    ranked with its index) served by ``tanjiliang serve`` on PostgreSQL, closed-loop clients
    (benchmarks/web.py's), after the caches are filled."""
    import importlib.util
    import subprocess
    import sys

    import psycopg

    spec = importlib.util.spec_from_file_location("bench_web", Path(__file__).parent / "web.py")
    web = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(web)  # type: ignore[union-attr]
    tmp = tempfile.mkdtemp(prefix="tanjiliang-overview-")
    dbname = args.database or f"tanjiliang_overview_{os.getpid()}"
    pg = web.PG
    with psycopg.connect(pg.format(user=args.pg_user, db="test"), autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            c.execute(f'CREATE DATABASE "{dbname}"')
    env = {**os.environ, "TANJILIANG_SECRET_KEY": "benchmark-only", "TANJILIANG_DATA_DIR": tmp,
           "TANJILIANG_AS_OF": OVERVIEW_AS_OF, "DATABASE_URL": pg.format(user=args.pg_user, db=dbname)}
    env.pop("TANJILIANG_DEMO", None)
    server = None
    try:
        print(f"cores: {os.cpu_count()}, load average: "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if exists:  # --database: a province set up by an earlier run
            setup: dict[str, float] = {}
            print(f"  reusing database {dbname}")
        else:
            res = subprocess.run([sys.executable, __file__, "--setup-overview", "--units",
                                  str(args.units), "--instruments", str(args.instruments),
                                  "--seed", str(args.seed)], env=env, capture_output=True, text=True)
            if res.returncode:
                raise SystemExit(res.stderr[-3000:])
            setup = json.loads(res.stdout.strip().splitlines()[-1])
        for k, v in setup.items():
            print(f"  {k:<56} {v:9.3f} s" if isinstance(v, float) else f"  {k:<56} {v:9}")
        port = web.free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "tanjiliang"), "serve", "--port", str(port),
             "--workers", str(args.workers), "--threads", "2"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        web.wait_port(port)
        base = f"http://127.0.0.1:{port}"
        cookie = web.login(base)
        path = "/overview/indicators/"
        import urllib.request

        for _ in range(2 * args.workers):  # each worker's first view (imports, packs)
            urllib.request.urlopen(urllib.request.Request(base + path, headers={"Cookie": cookie})).read()
        page = urllib.request.urlopen(urllib.request.Request(base + path, headers={"Cookie": cookie})).read()
        rows = page.decode().count("<tr><td>")
        for clients in args.clients:
            cpu0, load0 = cpu_seconds(server.pid, dbname), os.getloadavg()[0]
            r = web.load(port, [path], f"Cookie: {cookie}\r\n", clients, args.seconds)
            cpu = [b - a for a, b in zip(cpu0, cpu_seconds(server.pid, dbname), strict=True)]
            print(f"overview, {clients} client(s), {args.seconds:g} s: {r['requests']} requests, "
                  f"{r['errors']} errors, {r['rps']:.1f} req/s, p50 {r['p50_ms']:.0f} ms, "
                  f"p95 {r['p95_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms ({rows} unit rows, "
                  f"{len(page) / 1024:.0f} kB); CPU: server {cpu[0]:.1f} s, PostgreSQL "
                  f"{cpu[1]:.1f} s ({1000 * (cpu[0] + cpu[1]) / max(1, r['requests']):.0f} ms a "
                  f"request); load average {load0:.1f} → {os.getloadavg()[0]:.1f}")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.database:
            with psycopg.connect(pg.format(user=args.pg_user, db="test"), autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--instruments", type=int, default=40)
    ap.add_argument("--sample-months", type=int, default=12)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--overview", action="store_true",
                    help="the 监管指标 page on PostgreSQL instead (p50/p95/p99)")
    ap.add_argument("--setup-overview", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--clients", type=lambda t: [int(x) for x in t.split(",")], default=[1, 4])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--pg-user", default=os.environ.get("PGUSER", "postgres"))
    ap.add_argument("--database", default=None,
                    help="--overview: keep the province in this database (reused when it exists)")
    args = ap.parse_args()
    if args.setup_overview:
        return setup_overview(args.units, args.instruments, args.seed)
    if args.overview:
        return overview(args)

    from tanjiliang.model.load import SourceMap, load_unit, validate_data
    from tanjiliang.month.close import compute_month
    from tanjiliang.province.generate import generate_unit, unit_key
    from tanjiliang.rules import load_pack

    print(f"cores: {os.cpu_count()}, load average: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    pack = load_pack(None)

    # ---- the straightforward path on a sample: compute_month from a year of readings
    power = load_unit(ROOT / "examples" / "power" / "unit.yaml")
    tmp = args.dir or Path(tempfile.mkdtemp(prefix="tanjiliang-month-"))
    tmp.mkdir(parents=True, exist_ok=True)
    readings = plant_readings(power, tmp)
    compute_month(power, YEAR, 1, [readings], pack)  # warm-up (imports, the compiled kernel)
    t0 = time.perf_counter()
    sample = {m: compute_month(power, YEAR, m, [readings], pack)
              for m in range(1, args.sample_months + 1)}
    per_month = (time.perf_counter() - t0) / len(sample)
    n_months = args.units * 12
    print(f"baseline compute_month (power example, {len(power.instruments)} instruments, "
          f"{len(sample)} months of readings): {per_month * 1000:.0f} ms a month → "
          f"{1 / per_month:.1f} months/s; {args.units} units × 12 = {n_months} months would "
          f"take ~{n_months * per_month:,.0f} s on one core")

    # ---- agreement of the batch rules with compute_month on the sample
    from tanjiliang.check import check

    a = check(power, pack, date(YEAR, 12, 31))
    rates = annual_rates(power, a)
    from tanjiliang.month.close import rule

    f = float(rule("substitution_factor"))
    diffs, conf_agree, conf_total = [], 0, 0
    conf = in_confirmation_by_month(power, pack)
    for m, rec in sample.items():
        for s in rec["streams"]:
            if s["emissions_tco2e"] is not None and rates.get(s["id"]) is not None:
                mine = (s["metered"] + f * s["missing"]) * rates[s["id"]]
                diffs.append(abs(mine - s["emissions_tco2e"]))
        for i in rec["instruments"]:
            if i["id"] in conf:
                theirs = (i["at_start"] in ("valid", "due_soon"), i["at_end"] in ("valid", "due_soon"))
                conf_total += 1
                conf_agree += conf[i["id"]][m - 1] == theirs
    print(f"batch rules vs compute_month on the sample: emissions max |Δ| "
          f"{max(diffs) if diffs else 0:.3g} tCO2e over {len(diffs)} stream-months; "
          f"in-confirmation verdicts agree {conf_agree}/{conf_total}")

    # ---- the province
    t0 = time.perf_counter()
    units = []
    for i in range(args.units):
        data = generate_unit(args.seed, unit_key(args.seed, i).index, YEAR, args.instruments)
        units.append(validate_data(data, SourceMap(f"unit-{i}.json")))
    gen = time.perf_counter() - t0
    activity = monthly_activity(units, args.seed)
    print(f"province: {args.units} units × {args.instruments} instruments generated and "
          f"validated in {gen:.1f} s; monthly activity {activity.height:,} stream-months")
    # the in-confirmation rule against the door itself on a few generated units (24 days each)
    agree = total_v = 0
    for u in units[:5]:
        conf = in_confirmation_by_month(u, pack)
        for m, (first, last) in enumerate(month_days(YEAR)):
            for pos, d in ((0, first), (1, last)):
                for i in check(u, pack, d).instruments:
                    if i.id in conf:
                        total_v += 1
                        agree += conf[i.id][m][pos] == (i.calibration_status in ("valid", "due_soon"))
    print(f"in-confirmation rule vs the door (check as of each first and last day) on "
          f"{min(5, len(units))} generated units: {agree}/{total_v} agree")
    t0 = time.perf_counter()
    records, ranked, parts = batch(units, pack, activity)
    total = time.perf_counter() - t0
    for k, v in parts.items():
        print(f"  {k:<44} {v:7.2f} s")
    print(f"batch: {len(records):,} months closed and {len(ranked)} units indexed in "
          f"{total:.1f} s → {len(records) / total:,.0f} months/s "
          f"(baseline rate {1 / per_month:.1f} months/s: ×{per_month * len(records) / total:,.0f})")
    worst = ranked[:3]
    print("lowest index: " + "; ".join(f"{r.name} {r.index}" for r in worst))
    size = len(gzip.compress(json.dumps(records[:100], default=str).encode()))
    print(f"records: ~{size / 100:.0f} bytes gzipped each")


if __name__ == "__main__":
    main()
