"""Steering at scale: a district of N streets x Y years generated through the generators, then the
dashboard, the indicator API and the annual report timed for one street and for the district.

    .venv/bin/python benchmarks/steering_scale.py                        # SQLite, 20 streets x 3 years, full size
    .venv/bin/python benchmarks/steering_scale.py --per-street-year 200 --contracts 30 --enforcement 10 \
        --requests 10 --items 20                                         # a lighter district
    .venv/bin/python benchmarks/steering_scale.py --postgres postgres://fazhi@127.0.0.1:54329/postgres

Full size per street-year: 1,500 disputes, 260 contracts, 100 enforcement reviews, 50 disclosure requests,
100 proactive items (the demo street's year). Figures are printed (median, p95 in ms, query count), never asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from disputes_scale import add_street
from run import measure, setup


def staff_street(street, index: int) -> None:
    """Give a generated street the leader, reviewer and public lawyer the other generators need."""
    from core import services
    from core.models import Unit
    from core.models.people import PersonKind
    from core.roles import Role

    office = Unit.objects.get(region=street, kind="justice_office")
    leadership = services.unit_create(name=f"{street.name}办事处", kind="leadership", region=street, by=None)
    services.unit_create(name=f"{street.name}综合行政执法队", kind="enforcement_team", region=street, by=None)
    for username, unit, role in (
        (f"bench-leader-{index}", leadership, Role.STREET_LEADER),
        (f"bench-reviewer-{index}", office, Role.REVIEWER),
    ):
        user = services.user_create(username=username, full_name=username, password=None, by=None)
        services.membership_grant(user=user, unit=unit, role=role, by=None)
    services.person_create(
        by=None,
        name=f"公职律师{index}（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=street,
        unit=office,
        legal_qualification=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres")
    parser.add_argument("--streets", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--per-street-year", type=int, default=1500)
    parser.add_argument("--contracts", type=int, default=260)
    parser.add_argument("--enforcement", type=int, default=100)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    label = setup(args.postgres)

    import datetime as dt

    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections
    from django.test import Client
    from django.utils import timezone

    from administration.demo import generate_administration_year
    from core.audit.context import acting_as
    from core.demo import load_demo
    from core.models import Region, User
    from disclosure.demo import generate_disclosure_year
    from disputes.demo import generate_street_year
    from disputes.models import Dispute
    from disputes.taxonomy import seed_dispute_types
    from steering.demo import generate_steering

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    load_demo()
    seed_dispute_types()
    district = Region.objects.get(code="990100")
    rng = random.Random(7)
    streets = [Region.objects.get(code="990100001")]
    for i in range(3, args.streets + 2):
        street = add_street(district, i, rng)
        staff_street(street, i)
        streets.append(street)
    today = timezone.localdate()
    ends = [dt.date(today.year - k, 12, 31) for k in range(args.years - 1, 0, -1)] + [today]
    print(
        f"# Steering benchmark on {label}: {len(streets)} streets x {len(ends)} years "
        f"({args.per_street_year} disputes, {args.contracts} contracts, {args.enforcement} enforcement reviews, "
        f"{args.requests} disclosure requests, {args.items} proactive items per street-year)"
    )
    start = time.perf_counter()
    with acting_as(None, "bench"):
        generate_steering(streets[0], seed=1)
        for n, street in enumerate(streets):
            for k, end in enumerate(ends):
                seed = 1000 * n + k
                generate_street_year(street, seed=seed, count=args.per_street_year, today=end)
                generate_administration_year(
                    street, seed=seed, contracts=args.contracts, enforcement=args.enforcement, today=end
                )
                generate_disclosure_year(
                    street, seed=seed, requests=args.requests, items=args.items, today=end
                )
            print(
                f"  street {n + 1}/{len(streets)} generated ({time.perf_counter() - start:.0f} s)", flush=True
            )
    print(f"district generation: {Dispute.objects.count()} disputes in {time.perf_counter() - start:.0f} s")

    year = today.year
    for who, region in (("demo-justice", streets[0]), ("demo-district", district)):
        client = Client()
        client.force_login(User.objects.get(username=who))
        q = f"region={region.pk}&year={year}"
        print(f"\n## {region.name} as {who}")
        for name, url in (
            ("dashboard page", f"/dashboard/?{q}"),
            ("dashboard API", f"/api/v1/dashboard?{q}"),
            ("indicator API (year)", f"/api/v1/indicators?{q}"),
            ("indicator table page", f"/indicators/?{q}"),
            ("annual report page", f"/reports/annual/?{q}"),
            ("annual report docx", f"/reports/annual.docx?{q}"),
            ("quarterly xlsx", f"/reports/quarterly.xlsx?{q}"),
        ):
            measure(client, name, url, args.repeat, width=22)


if __name__ == "__main__":
    main()
