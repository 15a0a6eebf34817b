"""Reads of the disputes domain, every one scoped through ``visible_to``.

Each statistic is defined once as a queryset (``stat_querysets``); the figure is its count and
the drill-down list is the same queryset, so a number and its records can never disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from core.clocks.services import today
from core.models import Clock, Person, Region

from .choices import OPEN_STATES, DisputeState, RiskLevel, Source
from .models import Dispute, DisputeType, FollowUp, RepeatLink


def disputes_visible(user: Any) -> QuerySet[Dispute]:
    return Dispute.objects.visible_to(user)


def dispute_list(user: Any) -> QuerySet[Dispute]:
    return disputes_visible(user).select_related("dispute_type", "region").order_by("-received_at", "-pk")


def dispute_detail(user: Any, pk: int) -> Dispute:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        disputes_visible(user).select_related(
            "dispute_type", "region", "grid", "committee", "lead_unit", "created_by"
        ),
        pk=pk,
    )


def _ct() -> ContentType:
    return ContentType.objects.get_for_model(Dispute)


def _open_period_clocks() -> QuerySet[Clock]:
    return Clock.objects.filter(content_type=_ct(), met_on__isnull=True)


def overdue_q(on: dt.date) -> Q:
    """Disputes with an open clock past its due date.

    An uncorrelated ``IN`` subquery, not ``EXISTS``: SQLite ran the correlated form once per dispute over
    the index of all open clocks (3.8 s for a street among 30,000 disputes; 10 ms as ``IN``).
    """
    return Q(pk__in=_open_period_clocks().filter(due_on__lt=on).values("object_id"))


@dataclass
class Filters:
    q: str = ""
    state: str = ""
    dispute_type: str = ""
    source: str = ""
    community: int | None = None
    risk: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    queue: str = ""  # mine | unit | overdue
    party: str = ""


def apply_filters(qs: QuerySet[Dispute], f: Filters, user: Any) -> QuerySet[Dispute]:
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(description__icontains=term) | Q(number__icontains=term) | Q(address__icontains=term)
        )
    if f.party:
        from core.personal import keyed_hash

        h = keyed_hash(f.party)
        qs = qs.filter(
            Q(parties__name__icontains=f.party) | Q(parties__id_number_hash=h) | Q(parties__phone_hash=h)
        ).distinct()
    if f.state:
        qs = qs.filter(state=f.state)
    if f.dispute_type:
        qs = qs.filter(dispute_type__code=f.dispute_type)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.community:
        region = Region.objects.visible_to(user).filter(pk=f.community).first()
        qs = qs.filter(region__path__startswith=region.path) if region else qs.none()
    if f.risk:
        qs = qs.filter(risk_level=f.risk)
    if f.date_from:
        qs = qs.filter(received_at__gte=_start_of(f.date_from))
    if f.date_to:
        qs = qs.filter(received_at__lt=_start_of(f.date_to + dt.timedelta(days=1)))
    if f.queue == "mine":
        person = getattr(user, "person", None)
        mine = Q(pk__in=Clock.objects.filter(content_type=_ct(), assignee=user).values("object_id"))
        if person is not None:
            mine |= Q(mediators=person)
        qs = qs.filter(mine, state__in=OPEN_STATES).distinct()
    elif f.queue == "unit":
        from core.scoping import active_memberships

        units = [m.unit_id for m in active_memberships(user)]
        qs = qs.filter(Q(committee_id__in=units) | Q(lead_unit_id__in=units), state__in=OPEN_STATES)
    elif f.queue == "overdue":
        qs = qs.filter(overdue_q(today()), state__in=OPEN_STATES)
    return qs


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- assignment suggestions -------------------------------------------------------------------


@dataclass
class Suggestion:
    person: Person
    score: int
    reasons: list[str]


def suggest_mediators(dispute: Dispute, user: Any, limit: int = 5) -> list[Suggestion]:
    """Mediators ranked by community, type expertise and current open load, each with why."""
    street = dispute.region.ancestor_at("street") or dispute.region
    people = list(
        Person.objects.visible_to(user)
        .filter(kind="mediator", active=True, region__path__startswith=street.path)
        .select_related("region", "unit")
    )
    loads = dict(
        Dispute.objects.filter(mediators__in=people, state__in=OPEN_STATES)
        .values_list("mediators")
        .annotate(n=Count("pk"))
    )
    type_name = dispute.dispute_type.name
    out = []
    for p in people:
        score, reasons = 0, []
        if p.region_id == dispute.region_id:
            score += 3
            reasons.append("本居村调解员")
        if type_name in p.specialties:
            score += 2
            reasons.append(f"擅长{type_name}纠纷")
        load = loads.get(p.pk, 0)
        score -= load
        reasons.append(f"在办{load}件")
        out.append(Suggestion(p, score, reasons))
    out.sort(key=lambda s: (-s.score, s.person.name))
    return out[:limit]


# --- statistics ----------------------------------------------------------------------------------

STAT_LABELS = {
    "received": "受理",
    "closed": "办结",
    "success": "调解成功",
    "failure": "调解不成",
    "on_time": "按期调结",
    "period_met": "调解期限已办结",
    "fulfilled": "协议全部履行",
    "follow_up_done": "回访完毕的协议",
    "escalated": "出街镇",
    "overdue": "逾期未办",
    "open": "在办",
}
CLOSED_STATES = (
    DisputeState.CLOSED,
    DisputeState.FAILED,
    DisputeState.TERMINATED,
    DisputeState.TRANSFERRED,
    DisputeState.NOT_ACCEPTED,
)


def stat_querysets(user: Any, region: Region, start: dt.date, end: dt.date) -> dict[str, QuerySet[Dispute]]:
    base = disputes_visible(user).filter(region__path__startswith=region.path)
    lo, hi = _start_of(start), _start_of(end + dt.timedelta(days=1))
    period_clocks = Clock.objects.filter(
        content_type=_ct(), name="period", met_on__gte=start, met_on__lte=end
    )
    pending_follow_ups = FollowUp.objects.filter(dispute=OuterRef("pk"), visited_on__isnull=True)
    unfulfilled = FollowUp.objects.filter(dispute=OuterRef("pk")).exclude(fulfilment="fulfilled")
    success_q = Q(
        state__in=(DisputeState.AGREED, DisputeState.CLOSED),
        agreement__effective_on__gte=start,
        agreement__effective_on__lte=end,
    )
    return {
        "received": base.filter(received_at__gte=lo, received_at__lt=hi),
        "closed": base.filter(state__in=CLOSED_STATES, closed_on__gte=start, closed_on__lte=end),
        "success": base.filter(success_q),
        "failure": base.filter(state=DisputeState.FAILED, closed_on__gte=start, closed_on__lte=end),
        "period_met": base.filter(pk__in=period_clocks.values("object_id")),
        "on_time": base.filter(pk__in=period_clocks.filter(met_on__lte=F("due_on")).values("object_id")),
        "follow_up_done": base.filter(success_q)
        .filter(follow_ups__isnull=False)
        .exclude(Exists(pending_follow_ups))
        .distinct(),
        "fulfilled": base.filter(success_q)
        .filter(follow_ups__isnull=False)
        .exclude(Exists(pending_follow_ups))
        .exclude(Exists(unfulfilled))
        .distinct(),
        "escalated": base.filter(received_at__gte=lo, received_at__lt=hi, escalated_out=True),
        "overdue": base.filter(overdue_q(today()), state__in=OPEN_STATES),
        "open": base.filter(state__in=OPEN_STATES),
    }


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


@dataclass
class Stats:
    region: Region
    start: dt.date
    end: dt.date
    counts: dict[str, int]
    rates: dict[str, float | None]
    average_days_to_close: float | None
    total_amount: Decimal
    by_type: list[tuple[str, str, int]]
    by_source: list[tuple[str, str, int]]
    by_community: list[tuple[int, str, int]]
    by_state: list[tuple[str, str, int]]
    previous_received: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def stats(user: Any, region: Region, start: dt.date, end: dt.date) -> Stats:
    qs = stat_querysets(user, region, start, end)
    counts = {k: q.count() for k, q in qs.items()}
    received = qs["received"]
    closed_rows = list(qs["closed"].values_list("received_at", "closed_on"))
    days = [(c - timezone.localtime(r).date()).days for r, c in closed_rows if c]
    type_names = dict(DisputeType.objects.values_list("code", "name"))
    by_type = [
        (row["dispute_type__code"], type_names.get(row["dispute_type__code"], ""), row["n"])
        for row in received.values("dispute_type__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "dispute_type__code")
    ]
    by_source = [
        (row["source"], str(Source(row["source"]).label), row["n"])
        for row in received.values("source").annotate(n=Count("pk")).order_by("-n", "source")
    ]
    community_rows = (
        received.values("region_id", "region__name").annotate(n=Count("pk")).order_by("-n", "region__name")
    )
    by_community = [(row["region_id"], row["region__name"], row["n"]) for row in community_rows]
    by_state = [
        (row["state"], str(DisputeState(row["state"]).label), row["n"])
        for row in received.values("state").annotate(n=Count("pk")).order_by("-n", "state")
    ]
    success, failure = counts["success"], counts["failure"]
    return Stats(
        region=region,
        start=start,
        end=end,
        counts=counts,
        rates={
            "success_rate": _rate(success, success + failure),
            "on_time_rate": _rate(counts["on_time"], counts["period_met"]),
            "fulfilment_rate": _rate(counts["fulfilled"], counts["follow_up_done"]),
            "escalation_rate": _rate(counts["escalated"], counts["received"]),
        },
        average_days_to_close=round(sum(days) / len(days), 1) if days else None,
        total_amount=(received.aggregate(s=Sum("amount"))["s"] or Decimal("0")).quantize(Decimal("0.01")),
        by_type=by_type,
        by_source=by_source,
        by_community=by_community,
        by_state=by_state,
    )


def week_bounds(iso_week: str) -> tuple[dt.date, dt.date]:
    """``2026-W47`` -> (Monday, Sunday). Raises ValueError with a Chinese message."""
    try:
        year_s, week_s = iso_week.upper().split("-W")
        monday = dt.date.fromisocalendar(int(year_s), int(week_s), 1)
    except (ValueError, TypeError):
        raise ValueError(f"“{iso_week}”不是有效的周，格式应为 YYYY-Www，如 2026-W47") from None
    return monday, monday + dt.timedelta(days=6)


# --- early warning ------------------------------------------------------------------------------

BASELINE_WEEKS = 12
ALPHA = 0.01
MIN_COUNT = 3


def poisson_tail(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam)."""
    if k <= 0:
        return 1.0
    term, cdf = math.exp(-lam), 0.0
    for i in range(k):
        if i:
            term *= lam / i
        cdf += term
    return max(0.0, 1.0 - cdf)


@dataclass
class Warning:
    kind: str
    title: str
    why: str
    cases: list[tuple[int, str]]  # (id, number) of the disputes it concerns

    @property
    def dispute_ids(self) -> list[int]:
        return [pk for pk, _ in self.cases]


def early_warnings(user: Any, region: Region, monday: dt.date) -> list[Warning]:
    """苗头性、倾向性、趋势性问题 for the week starting ``monday``.

    Surge: the week's count for a type × community against its trailing 12-week mean, by a
    one-sided Poisson test: fires when P(X ≥ k | λ) < 0.01 and k ≥ 3, with λ = (sum of the 12
    weeks + 0.5) / 12 (the 0.5 keeps a never-seen pair from firing on a single case).
    """
    base = disputes_visible(user).filter(region__path__startswith=region.path)
    week_end = monday + dt.timedelta(days=7)
    since = monday - dt.timedelta(weeks=BASELINE_WEEKS)
    rows = base.filter(received_at__gte=_start_of(since), received_at__lt=_start_of(week_end)).values_list(
        "pk", "number", "dispute_type__name", "region__name", "received_at"
    )
    current: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    history: Counter[tuple[str, str]] = Counter()
    for pk, number, tname, cname, received_at in rows:
        key = (tname, cname)
        if timezone.localtime(received_at).date() >= monday:
            current[key].append((pk, number))
        else:
            history[key] += 1
    warnings: list[Warning] = []
    for (tname, cname), ids in sorted(current.items()):
        k = len(ids)
        lam = (history[(tname, cname)] + 0.5) / BASELINE_WEEKS
        p = poisson_tail(k, lam)
        if k >= MIN_COUNT and p < ALPHA:
            warnings.append(
                Warning(
                    "surge",
                    f"{cname}{tname}纠纷异常增多",
                    f"本周{k}起，前{BASELINE_WEEKS}周共{history[(tname, cname)]}起（周均{lam:.2f}起）；"
                    f"泊松检验 P(X≥{k})={p:.4f}，低于{ALPHA}",
                    sorted(ids),
                )
            )
    week_qs = base.filter(received_at__gte=_start_of(monday), received_at__lt=_start_of(week_end))
    repeats = list(
        week_qs.filter(Exists(RepeatLink.objects.filter(dispute=OuterRef("pk")))).values_list("pk", "number")
    )
    if repeats:
        warnings.append(
            Warning("repeat", f"重复纠纷{len(repeats)}起", "同一当事人或同一地址180日内再次发生纠纷", repeats)
        )
    groups = list(week_qs.filter(people_count__gte=5).values_list("pk", "number"))
    if groups:
        warnings.append(Warning("group", f"群体性纠纷{len(groups)}起", "涉及5人以上的纠纷", groups))
    overdue_risky = list(
        base.filter(
            overdue_q(today()), state__in=OPEN_STATES, risk_level__in=(RiskLevel.HIGH, RiskLevel.MAJOR)
        ).values_list("pk", "number")
    )
    if overdue_risky:
        warnings.append(
            Warning(
                "overdue_risk",
                f"逾期的高风险纠纷{len(overdue_risky)}起",
                "高、重大风险纠纷已超过调解期限",
                overdue_risky,
            )
        )
    return warnings


def _child_key(region: Region) -> str:
    """The Dispute lookup that names the child of ``region`` a dispute lies in (disputes sit in communities)."""
    return {
        "community": "grid_id",
        "street": "region_id",
        "district": "region__parent_id",
        "city": "region__parent__parent_id",
    }.get(region.level, "region_id")


def dashboard_figures(user: Any, region: Region, start: dt.date, end: dt.date) -> dict[str, Any]:
    """For the dashboard: monthly received/success/failure, by type, and by child region (open, overdue, received).

    Each figure is a count over the same querysets the statistics and their drill-downs use.
    """
    from django.db.models.functions import TruncMonth

    qs = stat_querysets(user, region, start, end)

    def by_month(queryset: QuerySet[Dispute], field_name: str, local: bool = False) -> dict[dt.date, int]:
        """Counts by month of ``field_name`` (a datetime's local month when ``local``): one GROUP BY query."""
        tz = timezone.get_current_timezone() if local else None
        rows = (
            queryset.annotate(m=TruncMonth(field_name, tzinfo=tz))
            .values("m")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {(r["m"].date() if isinstance(r["m"], dt.datetime) else r["m"]): r["n"] for r in rows}

    received_by_month = by_month(qs["received"], "received_at", local=True)
    success_by_month = by_month(qs["success"], "agreement__effective_on")
    failure_by_month = by_month(qs["failure"], "closed_on")
    months = []
    day = start.replace(day=1)
    while day <= end:
        ok, bad = success_by_month.get(day, 0), failure_by_month.get(day, 0)
        months.append(
            {
                "month": day.strftime("%Y-%m"),
                "received": received_by_month.get(day, 0),
                "success": ok,
                "failure": bad,
                "success_rate": round(ok * 100 / (ok + bad), 2) if ok + bad else None,
            }
        )
        day = (day + dt.timedelta(days=32)).replace(day=1)
    key = _child_key(region)
    children = {r.pk: r.name for r in Region.objects.filter(parent=region).order_by("code")}
    per_child: dict[int, dict[str, int]] = {pk: {"received": 0, "open": 0, "overdue": 0} for pk in children}
    for name in ("received", "open", "overdue"):
        for row in qs[name].values(key).annotate(n=Count("pk")).order_by():
            if row[key] in per_child:
                per_child[row[key]][name] = row["n"]
    type_names = dict(DisputeType.objects.values_list("code", "name"))
    by_type = [
        {
            "code": row["dispute_type__code"],
            "name": type_names.get(row["dispute_type__code"], ""),
            "count": row["n"],
        }
        for row in qs["received"].values("dispute_type__code").annotate(n=Count("pk")).order_by("-n")
    ]
    return {
        "months": months,
        "by_type": by_type,
        "by_child": [{"id": pk, "name": children[pk], **per_child[pk]} for pk in children],
    }


def office_of(dispute: Dispute) -> Any:
    """The street's justice office, whose contact the resident's progress page gives (None where none is set up)."""
    from core.models import Unit

    street = dispute.region.ancestor_at("street")
    if street is None:
        return None
    return Unit.objects.filter(region=street, kind="justice_office").order_by("pk").first()
