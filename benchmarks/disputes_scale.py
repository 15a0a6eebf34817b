"""Disputes at scale: a street-year and a district of N street-years, generated through the services.

    .venv/bin/python benchmarks/disputes_scale.py                               # SQLite, 20 streets x 1500
    .venv/bin/python benchmarks/disputes_scale.py --streets 20 --per-street 300 # smaller district
    .venv/bin/python benchmarks/disputes_scale.py --postgres postgres://fazhi@127.0.0.1:54329/postgres

Prints generation time, then median and p95 (ms) and query counts of: the queue page, a dispute page,
the stats call and the weekly report, for one street (as its justice office) and for the district
(as district staff). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import setup, timed


def add_street(district, index: int, rng: random.Random):
    """A street with 39 communities, their committees and mediators, and a justice-office account."""
    from core import services
    from core.models.people import PersonKind
    from core.roles import Role

    code = f"{district.code}{index:03d}"
    street = services.region_create(
        code=code, name=f"示例第{index}街道", level="street", parent=district, by=None
    )
    justice_office = services.unit_create(
        name=f"示例第{index}街道司法所", kind="justice_office", region=street, by=None
    )
    services.unit_create(name=f"示例第{index}街道调解工作室", kind="mediation_studio", region=street, by=None)
    for c in range(1, 40):
        community = services.region_create(
            code=f"{code}{c:03d}",
            name=f"示例第{index}街道第{c}居民区",
            level="community",
            parent=street,
            by=None,
        )
        committee = services.unit_create(
            name=f"{community.name}人民调解委员会", kind="mediation_committee", region=community, by=None
        )
        for m in range(2):
            services.person_create(
                by=None,
                name=f"调解员{index}-{c}-{m}（示例）",
                kind=PersonKind.MEDIATOR,
                region=community,
                unit=committee,
                specialties=rng.choice(["邻里", "物业", "婚姻家庭"]),
            )
    user = services.user_create(
        username=f"bench-justice-{index}", full_name=f"司法所{index}（示例）", password=None, by=None
    )
    services.membership_grant(user=user, unit=justice_office, role=Role.JUSTICE_COORDINATOR, by=None)
    return street


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres")
    parser.add_argument("--streets", type=int, default=20)
    parser.add_argument("--per-street", type=int, default=1500)
    parser.add_argument(
        "--first-street",
        type=int,
        default=None,
        help="disputes in the first street (default: --per-street); timed as the street-year",
    )
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    label = setup(args.postgres)

    import datetime as dt

    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.audit.context import acting_as
    from core.demo import load_demo
    from core.models import Region, User
    from disputes.demo import generate_street_year
    from disputes.models import Dispute

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    load_demo()
    district = Region.objects.get(code="990100")
    rng = random.Random(7)
    streets = [Region.objects.get(code="990100001")]
    streets += [add_street(district, i, rng) for i in range(3, args.streets + 2)]
    print(f"# Disputes benchmark on {label}: {len(streets)} streets x {args.per_street} disputes")
    total = 0.0
    for n, street in enumerate(streets):
        start = time.perf_counter()
        with acting_as(None, "bench"):
            count = args.first_street if n == 0 and args.first_street else args.per_street
            generate_street_year(street, seed=100 + n, count=count)
        took = time.perf_counter() - start
        total += took
        if n == 0:
            print(f"street-year generation: {count} disputes in {took:.1f} s ({count / took:.0f}/s)")
    print(f"district generation: {Dispute.objects.count()} disputes in {total:.0f} s")

    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=364)
    week = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
    for who, region in (("demo-justice", streets[0]), ("demo-district", district)):
        client = Client()
        client.force_login(User.objects.get(username=who))
        in_region = Dispute.objects.filter(region__path__startswith=region.path)
        size = in_region.count()
        sample = in_region.order_by("pk")[size // 2]
        print(f"\n## {region.name} as {who} ({size} disputes)")
        for name, url in (
            ("queue page", "/disputes/"),
            ("overdue queue", "/disputes/?queue=overdue"),
            ("search 漏水", "/disputes/?q=漏水"),
            ("dispute page", f"/disputes/{sample.pk}/"),
            ("stats call (year)", f"/api/v1/disputes/stats?region={region.pk}&from={year_ago}&to={today}"),
            ("weekly report json", f"/api/v1/disputes/weekly-report?region={region.pk}&week={week}"),
            (
                "weekly report docx",
                f"/api/v1/disputes/weekly-report?region={region.pk}&week={week}&format=docx",
            ),
        ):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            med, p95 = timed(lambda url=url, client=client: client.get(url), args.repeat)
            print(f"{name:<20} median {med:7.1f} ms  p95 {p95:7.1f} ms  queries {len(ctx.captured_queries)}")


if __name__ == "__main__":
    main()
