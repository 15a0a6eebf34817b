"""A street's past year of closed disputes imported through the 矛盾纠纷（已办结历史案件） template.

    .venv/bin/python benchmarks/import_disputes.py                      # SQLite (temporary file), 1,500 rows
    .venv/bin/python benchmarks/import_disputes.py --rows 300
    DATABASE_URL=postgres://fazhi@127.0.0.1:54329/postgres .venv/bin/python benchmarks/import_disputes.py
    .venv/bin/python benchmarks/import_disputes.py --postgres postgres://fazhi@127.0.0.1:54329/postgres
    .venv/bin/python benchmarks/import_disputes.py --profile 30         # and the 30 costliest functions
    .venv/bin/python benchmarks/import_disputes.py --verify             # then verify the audit hash chains

Loads the demo street, writes a workbook of N finished cases of last year (realistic outcomes, agreements,
follow-ups, judicial confirmations; fictional 示例 names), and imports it through ``Importer.run`` — the path the
import page and its background job take — as the street's justice office. Prints rows/s, total seconds and
queries per case. PostgreSQL runs in a database of its own (``fazhi_bench_import``), created and dropped here.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import datetime as dt
import os
import pstats
import random
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "fazhi_bench_import"
STORIES = [
    ("邻里", "楼上卫生间漏水，楼下天花板发霉"),
    ("邻里", "深夜噪音扰民多次协商未果"),
    ("物业", "物业费收取标准争议"),
    ("物业", "电梯长期故障物业处置不力"),
    ("婚姻家庭", "老人赡养费用分担争议"),
    ("房屋宅基地", "房屋租赁押金退还纠纷"),
    ("合同", "装修合同质量与付款争议"),
    ("损害赔偿", "宠物咬伤赔偿"),
    ("劳动争议", "小微企业拖欠工资"),
    ("道路交通", "非机动车碰撞赔偿"),
    ("消费", "预付卡退费纠纷"),
]
SOURCES = ["来访", "来访", "网格巡查", "12345热线", "楼组报告", "来电", "110非警务警情", "一网统管"]


def setup(postgres: str | None) -> str:
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings.dev"
    os.environ.pop("DATABASE_URL", None)
    if postgres:
        import psycopg

        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = postgres.rsplit("/", 1)[0] + f"/{BENCH_DB}"
        label = "PostgreSQL"
    else:
        path = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
        os.environ["FAZHI_SQLITE_PATH"] = path
        print(f"# SQLite database: {path}")
        label = "SQLite"
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # as under ``./run serve``: no query log kept in memory
    return label


def rows_for(street: Any, n: int, year: int, seed: int) -> list[dict[str, str]]:
    """``n`` finished cases of ``year`` in ``street``'s communities, as a street's ledger has them."""
    from core.models import Person, Region, Unit

    rng = random.Random(seed)
    communities = list(Region.objects.filter(parent=street, level="community").order_by("code"))
    committees = {
        u.region_id: u for u in Unit.objects.filter(kind="mediation_committee", region__in=communities)
    }
    roster: dict[int, list[str]] = {}
    people = list(Person.objects.filter(kind="mediator", active=True, region__path__startswith=street.path))
    for p in people:
        same = [q for q in people if q.name == p.name]
        if p.unit_id and len(same) == 1:  # a name the import can tell apart
            roster.setdefault(p.unit_id, []).append(p.name)
    usable = [c for c in communities if roster.get(committees[c.pk].pk)]
    first = dt.date(year, 1, 1)
    rows = []
    for i in range(n):
        c = rng.choice(usable)
        committee = committees[c.pk]
        kind, story = rng.choice(STORIES)
        received = first + dt.timedelta(days=int(i * 330 / n))
        accepted = received + dt.timedelta(days=rng.choice([0, 1, 1, 2]))
        ended = accepted + dt.timedelta(days=rng.choice([3, 5, 7, 10, 14, 20, 25, 40]))
        group = rng.random() < 0.02
        row = {
            "external_ref": f"台账-{year}-{i + 1:05d}",
            "source": rng.choice(SOURCES),
            "type": kind,
            "community": c.code,
            "description": f"{story}（示例）",
            "address": f"示例{c.name[2:4]}路{i + 1}号",
            "amount": str(rng.choice([500, 1000, 3000, 8000, 20000])) if rng.random() < 0.6 else "",
            "people_count": str(rng.randint(5, 20) if group else rng.choice([1, 2, 2, 3])),
            "received_at": f"{received.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}",
            "applicant": f"申请人{i + 1}（示例）",
            "applicant_phone": f"1390{i:07d}",
            "respondent": f"被申请人{i + 1}（示例）",
            "respondent_phone": f"1380{i:07d}",
        }
        if group:
            row |= {"reported_to": "街道平安办", "reported_on": received.isoformat()}
        roll = rng.random()
        mediation = {
            "committee": committee.name,
            "mediators": rng.choice(roster[committee.pk]),
            "accepted_on": accepted.isoformat(),
        }
        if roll < 0.015:
            row |= {
                "outcome": "不予受理",
                "closed_on": received.isoformat(),
                "reason": "已进入诉讼程序（示例）",
            }
        elif roll < 0.03:
            row |= {
                "outcome": "已移交",
                "transfer_body": rng.choice(["人民法院", "劳动人事争议仲裁委员会", "信访部门"]),
                "closed_on": accepted.isoformat(),
                "reason": "依法移交（示例）",
            }
        elif roll < 0.05:
            row |= mediation | {
                "outcome": "调解不成",
                "ended_on": ended.isoformat(),
                "failure_path": rng.choice(["引导诉讼", "引导仲裁"]),
                "reason": "双方分歧较大（示例）",
            }
        elif roll < 0.06:
            row |= mediation | {
                "outcome": "终止调解",
                "ended_on": ended.isoformat(),
                "reason": "一方明确拒绝继续调解（示例）",
            }
        else:
            written = rng.random() < 0.7
            terms = rng.choice([[], [5], [10, 40]])
            visits = [ended + dt.timedelta(days=k + rng.choice([0, 0, 1, 3])) for k in terms] or [
                ended + dt.timedelta(days=rng.choice([1, 3, 7]))
            ]
            row |= mediation | {
                "outcome": "调解成功",
                "ended_on": ended.isoformat(),
                "agreement_kind": "书面" if written else "口头",
                "terms": "按约定履行并互不追究（示例）",
                "schedule": "；".join(
                    f"{ended + dt.timedelta(days=k)} 第{j + 1}期履行（示例）" for j, k in enumerate(terms)
                ),
                "visited_on": "；".join(v.isoformat() for v in visits),
                "fulfilment": rng.choices(["已履行", "部分履行", "未履行"], [97, 2, 1])[0],
                "closed_on": max(visits).isoformat(),
                "satisfaction": str(rng.choices([5, 4, 3], [70, 25, 5])[0]) if rng.random() < 0.3 else "",
            }
            if written and rng.random() < 0.1:
                applied = ended + dt.timedelta(days=rng.randint(3, 20))
                row |= {
                    "court": "示例区人民法院",
                    "applied_on": applied.isoformat(),
                    "decision": "确认有效",
                    "decided_on": (applied + dt.timedelta(days=rng.randint(7, 25))).isoformat(),
                }
        rows.append(row)
    return rows


def write_workbook(importer: Any, rows: list[dict[str, str]], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append([c.header for c in importer.columns])
    for row in rows:
        ws.append([row.get(c.key, "") for c in importer.columns])
    wb.save(path)


class QueryCount:
    """Queries, and the wall time spent waiting for the database (driver and server) to answer them."""

    def __init__(self, keep: bool = False, trace: str = "") -> None:
        self.n, self.seconds = 0, 0.0
        self.statements: collections.Counter[str] | None = collections.Counter() if keep else None
        self.trace, self.traced = re.compile(trace) if trace else None, collections.Counter[str]()

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.n += 1
        if self.statements is not None:
            self.statements[re.sub(r"\"s\d+_x\d+\"", '"s…"', sql[:160])] += 1
        if self.trace is not None and self.trace.search(sql):
            frames = [
                f
                for f in traceback.extract_stack()
                if "/.venv/" not in f.filename and "/benchmarks/" not in f.filename
            ]
            self.traced[
                " <- ".join(f"{Path(f.filename).stem}.{f.name}:{f.lineno}" for f in reversed(frames[-6:]))
            ] += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DATABASE_URL") or None,
        help="URL of a PostgreSQL server (default: $DATABASE_URL; neither: SQLite)",
    )
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions (cProfile)")
    parser.add_argument("--statements", type=int, default=0, help="print the N most frequent statements")
    parser.add_argument(
        "--trace", default="", help="print where the statements matching this pattern come from"
    )
    parser.add_argument("--verify", action="store_true", help="then verify the audit hash chains")
    args = parser.parse_args()
    label = setup(args.postgres)

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from core.demo import load_demo
    from core.models import Clock, Region, User
    from disputes.history import HISTORY
    from disputes.models import Dispute

    call_command("migrate", verbosity=0)
    load_demo()
    street = Region.objects.get(code="990100001")
    year = timezone.localdate().year - 1
    rows = rows_for(street, args.rows, year, seed=11)
    path = Path(tempfile.mkdtemp()) / "历史案件.xlsx"
    write_workbook(HISTORY, rows, path)
    print(
        f"# Import of {args.rows} closed disputes of {year} on {label} ({path.stat().st_size // 1024} KB workbook)"
    )

    by = User.objects.get(username="demo-justice")
    counter = QueryCount(keep=bool(args.statements), trace=args.trace)
    profiler = cProfile.Profile() if args.profile else None

    def progress(done: int, total: int, errors: int) -> None:
        if done:
            print(f"  {done}/{total} rows, {errors} errors, {time.perf_counter() - start:.1f} s", flush=True)

    start, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        if profiler is not None:
            profiler.enable()
        result = HISTORY.run(str(path), by=by, progress=progress)
        if profiler is not None:
            profiler.disable()
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"imported {result.created} closed disputes in {took:.1f} s: {result.created / took:.1f} rows/s "
        f"({cpu:.1f} s of CPU in this process), {counter.n / max(result.created, 1):.0f} queries per case, "
        f"{counter.seconds:.1f} s waiting for the database"
    )
    if counter.statements is not None:
        for sql, n in counter.statements.most_common(args.statements):
            print(f"{n / max(result.created, 1):6.2f}/case  {sql}")
    for where, n in counter.traced.most_common(12):
        print(f"{n / max(result.created, 1):6.2f}/case  {where}")
    ct = ContentType.objects.get_for_model(Dispute)
    still_open = Clock.objects.filter(content_type=ct, met_on__isnull=True).count()
    states = dict(Dispute.objects.values_list("state").annotate(n=Count("pk")).order_by("state"))
    print(f"clocks left open: {still_open}; states: {states}")

    start = time.perf_counter()
    again = HISTORY.run(str(path), by=by)
    print(
        f"retried import: {again.created} new, {again.existing} already there, {time.perf_counter() - start:.1f} s"
    )
    if args.verify:
        from core.audit.verify import verify_chains

        start = time.perf_counter()
        report = verify_chains(use_anchors=False)
        print(
            f"audit chains: {report.counts}, {len(report.breaks)} breaks ({time.perf_counter() - start:.1f} s)"
        )
    if profiler is not None:
        if os.environ.get("BENCH_PROFILE_FILE"):
            profiler.dump_stats(os.environ["BENCH_PROFILE_FILE"])
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
        stats.print_stats(args.profile)
        if os.environ.get("BENCH_CALLEES"):  # e.g. BENCH_CALLEES='workflow.py:.*\(transition\)'
            stats.print_callees(os.environ["BENCH_CALLEES"])
        if os.environ.get("BENCH_CALLERS"):
            stats.print_callers(os.environ["BENCH_CALLERS"])
    if args.postgres:
        connection.close()
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


if __name__ == "__main__":
    main()
