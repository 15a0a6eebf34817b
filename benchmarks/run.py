"""Measure the foundation's hot paths on a fresh database with the demo street loaded.

    .venv/bin/python benchmarks/run.py                       # SQLite (temporary file)
    .venv/bin/python benchmarks/run.py --postgres postgres://fazhi@127.0.0.1:54329/postgres

Prints median and p95 wall times (ms) of each measured call and the query count of each page.
Figures depend on the machine; they are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(postgres: str | None, reuse: str | None = None) -> str:
    """Point Django at a fresh benchmark database (or, with ``reuse``, at one generated before:
    a SQLite file path, or "yes" for the PostgreSQL server's existing fazhi_bench database)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings.dev"
    os.environ.pop("DATABASE_URL", None)
    if postgres:
        import psycopg

        if not reuse:
            with psycopg.connect(postgres, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS fazhi_bench")
                conn.execute("CREATE DATABASE fazhi_bench")
        os.environ["DATABASE_URL"] = postgres.rsplit("/", 1)[0] + "/fazhi_bench"
        label = "PostgreSQL"
    else:
        path = reuse or str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
        os.environ["FAZHI_SQLITE_PATH"] = path
        print(f"# SQLite database: {path}")
        label = "SQLite"
    import django

    django.setup()
    return label


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def measure(client, label: str, url: str, repeat: int, width: int = 22) -> None:
    """Time GET ``url`` (after one untimed call that counts its queries) and print one line of figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # the debug log is a capped deque: start it empty
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    med, p95 = timed(lambda: client.get(url), repeat)
    print(f"{label:<{width}} median {med:8.1f} ms  p95 {p95:8.1f} ms  queries {len(ctx.captured_queries)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="URL of a PostgreSQL server's maintenance database")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    label = setup(args.postgres)

    import datetime as dt

    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections, connection
    from django.test import Client

    from core.audit.timeline import verify_all
    from core.clocks import calendar as cal
    from core.clocks.engine import compute_due
    from core.clocks.rules import RULES
    from core.demo import load_demo
    from core.models import ChangeLog, Person, User

    # Keep one connection across requests so query counts are read from it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    load_demo()
    load_s = time.perf_counter() - start
    print(f"# Fazhi foundation benchmark on {label}")
    print(
        f"load_demo: {load_s:.2f} s ({ChangeLog.objects.count()} change-log entries, "
        f"{Person.objects.count()} roster people)"
    )

    cal.day_info(dt.date(2026, 1, 1))  # warm the calendar cache
    rule = RULES["disclosure.answer"]
    med, p95 = timed(lambda: compute_due(rule, dt.date(2026, 9, 25), today=dt.date(2026, 11, 23)), 500)
    print(f"compute_due disclosure.answer (20 WD): median {med * 1000:.0f} µs, p95 {p95 * 1000:.0f} µs")

    client = Client()
    for username in ("demo-justice", "demo-mediator", "demo-district"):
        client.force_login(User.objects.get(username=username))
        print(f"\n## as {username}")
        for url in (
            "/",
            "/regions/",
            "/people/",
            "/people/?q=调解",
            "/calendar/?year=2026",
            "/api/v1/people",
            "/api/v1/calendar/deadline?rule=disclosure.answer&start=2026-09-25",
        ):
            measure(client, f"GET {url}", url, args.repeat, width=49)

    med, _ = timed(verify_all, 3)
    print(f"\nverify_audit over {ChangeLog.objects.count()} entries: median {med:.0f} ms")
    if args.postgres:
        connection.close()
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS fazhi_bench")


if __name__ == "__main__":
    main()
