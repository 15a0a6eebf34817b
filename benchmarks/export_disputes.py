"""Export benchmark: the disputes list into .xlsx as the export job writes it (write-only workbook, rows read
with ``.iterator``), in a fresh process so that its peak memory is the export's own.

    .venv/bin/python benchmarks/export_disputes.py                    # SQLite, 20,000 disputes
    .venv/bin/python benchmarks/export_disputes.py --rows 100000
    .venv/bin/python benchmarks/export_disputes.py --postgres postgres://fazhi@127.0.0.1:54329/postgres
    .venv/bin/python benchmarks/export_disputes.py --reuse /tmp/…/bench.sqlite3   # skip generation

Data: the demo street, a few hundred disputes taken in through ``dispute_intake`` (the service the page,
the API and the import use), then copied with new numbers up to ``--rows`` by ``bulk_create`` — the export
reads rows and does not care how they were written, and generating 20,000 through the services takes
far longer than the export. For contrast, ``--plain`` also builds the same sheet in an ordinary
(in-memory) workbook. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import setup

SEED_DISPUTES = 300


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(rows: int) -> None:
    import datetime as dt

    from django.utils import timezone

    from core.audit.context import acting_as
    from core.demo import load_demo
    from core.models import Region, User
    from disputes import services
    from disputes.models import Dispute

    load_demo()
    street = Region.objects.get(code="990100001")
    communities = list(
        Region.objects.filter(level="community", path__startswith=street.path).order_by("path")
    )
    justice = User.objects.get(username="demo-justice")
    types = ["neighbour", "property_mgmt", "marriage_family", "contract", "labour"]
    start = time.perf_counter()
    seed = min(rows, SEED_DISPUTES)
    with acting_as(justice, "bench-export"):
        for n in range(seed):
            services.dispute_intake(
                by=justice,
                source="hotline_12345",
                dispute_type=types[n % len(types)],
                community=communities[n % len(communities)].pk,
                description="楼上漏水致楼下受损（示例）",
                received_at=timezone.now() - dt.timedelta(days=n % 360, hours=n % 24),
                parties=[{"role": "applicant", "name": f"张{n}（示例）"}],
                external_ref=f"BENCH-{n:06d}",
            )
    took = time.perf_counter() - start
    print(f"intake through the service: {seed} disputes in {took:.1f} s ({seed / took:.0f}/s)")
    originals = list(Dispute.objects.order_by("pk"))
    copies = []
    for n in range(rows - len(originals)):
        d = copy.copy(originals[n % len(originals)])
        d.pk = None
        d.number = f"BENCH-{n:07d}"
        d.tracking_code = f"B{n:09d}"
        d.external_ref = f"BENCH-COPY-{n:07d}"
        copies.append(d)
        if len(copies) == 5000:
            Dispute.objects.bulk_create(copies)
            copies = []
    Dispute.objects.bulk_create(copies)
    print(f"copied up to {Dispute.objects.count()} disputes")


def measure(plain: bool) -> None:
    """In a fresh process: export every dispute the street's coordinator sees, as the job does."""
    import django

    django.setup()
    from core import jobs
    from core.exports import EXPORTERS, cell_value
    from core.models import User

    exporter = EXPORTERS["disputes"]
    user = User.objects.get(username="demo-justice")
    base = rss_mb()
    if plain:
        from openpyxl import Workbook

        start = time.perf_counter()
        wb = Workbook()
        ws = wb.active
        columns = exporter.sheet_columns({})
        ws.append([c.sheet_header for c in columns])
        everything = list(exporter.queryset(user, {}))
        for d in everything:
            ws.append([cell_value(c.value(d), c.fmt) for c in columns])
        rows = len(everything)
        wb.save(Path(os.environ["FAZHI_MEDIA_ROOT"]) / "plain.xlsx")
        took = time.perf_counter() - start
        label = "ordinary workbook, queryset in memory (for contrast)"
    else:
        job = jobs.export_enqueue(exporter=exporter, params={}, by=user)  # queued: run it here, as the worker
        start = time.perf_counter()
        jobs.execute(job.pk)
        took = time.perf_counter() - start
        job.refresh_from_db()
        assert job.state == "succeeded", job.summary
        rows = job.done
        size = job.result_file.size / 1024 / 1024
        label = f"export job (write-only, iterator), file {size:.1f} MB"
    peak = rss_mb()
    print(
        f"{label}: {rows} rows in {took:.1f} s = {rows / took:,.0f} rows/s; "
        f"peak memory {peak:.0f} MB (process after setup {base:.0f} MB, export +{peak - base:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--reuse", help="a database generated by an earlier run (SQLite file, or 'yes')")
    parser.add_argument("--plain", action="store_true", help="also time an ordinary in-memory workbook")
    parser.add_argument("--measure", choices=["job", "plain"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure == "plain")
        return

    import tempfile

    media = tempfile.mkdtemp(prefix="fazhi-export-bench-")
    os.environ["FAZHI_MEDIA_ROOT"] = media
    label = setup(args.postgres, args.reuse)
    from django.core.management import call_command

    from disputes.models import Dispute

    call_command("migrate", verbosity=0)
    print(f"# Export benchmark on {label}")
    if not args.reuse:
        generate(args.rows)
    print(f"disputes in the database: {Dispute.objects.count()}")
    env = {**os.environ, "FAZHI_MEDIA_ROOT": media}
    for mode in ["job", "plain"] if args.plain else ["job"]:
        subprocess.run(
            [sys.executable, __file__, "--measure", mode],
            env=env,
            check=True,
            cwd=Path(__file__).parent.parent,
        )
    if args.postgres and not args.reuse:
        from django.db import connection

        connection.close()
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS fazhi_bench")


if __name__ == "__main__":
    main()
