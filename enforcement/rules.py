"""The checks 《行政处罚法》（2021） puts on every case, written once and used by the services and the workflow:
certified officers, at least two (第42条); on-the-spot limits (第51条); the limitation period (第36条); earlier
offences of the party (第33条 首违不罚); the legality review a decision needs first (第58条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from core.clocks.engine import add_months

from .choices import CaseState, Outcome, PartyKind

ONSITE_FINE_LIMIT = {PartyKind.PERSON: Decimal("200"), PartyKind.ORGANISATION: Decimal("3000")}  # 第51条
LIMITATION_YEARS = 2  # 第36条
LIMITATION_YEARS_SAFETY = 5  # 第36条: life, health or financial safety harmed
PRIOR_MONTHS = 12  # the look-back for a first offence
MIN_OFFICERS = 2  # 第42条


def certified(person: Any, day: dt.date) -> bool:
    """Whether ``person`` holds an enforcement certificate valid on ``day`` (reads the prefetched list)."""
    return any(c.valid_from <= day <= c.valid_to for c in person.certificates.all())


def officer_problem(officers: Iterable[Any], day: dt.date) -> str | None:
    """Why these officers cannot take a step on ``day``: fewer than two, or one without a valid certificate."""
    people = list(officers)
    if len(people) < MIN_OFFICERS:
        return f"执法人员不得少于两人（《行政处罚法》第42条），现为{len(people)}人"
    missing = [p.name for p in people if not certified(p, day)]
    if missing:
        return f"{'、'.join(missing)}在{day:%Y年%-m月%-d日}没有有效的行政执法证，不能参与执法（《行政处罚法》第42条）"
    return None


def limitation_end(offence_on: dt.date, harms_safety: bool) -> dt.date:
    """The last day the offence may still be punished (第36条: two years, five where safety was harmed)."""
    years = LIMITATION_YEARS_SAFETY if harms_safety else LIMITATION_YEARS
    return add_months(offence_on, 12 * years)[0]


def limitation_problem(offence_on: dt.date, harms_safety: bool, filed_on: dt.date) -> str | None:
    end = limitation_end(offence_on, harms_safety)
    if filed_on > end:
        years = LIMITATION_YEARS_SAFETY if harms_safety else LIMITATION_YEARS
        return (
            f"违法行为发生于{offence_on:%Y年%-m月%-d日}，{years}年内未被发现（截至{end:%Y年%-m月%-d日}），"
            f"不再给予行政处罚（《行政处罚法》第36条）"
        )
    return None


def onsite_problem(party_kind: str, outcome: str, fine: Decimal | None) -> str | None:
    """第51条: on the spot, a warning, or a fine up to 200 元 for a person and 3,000 元 for an organisation."""
    if outcome == Outcome.WARNING:
        return None
    if outcome != Outcome.FINE:
        return "当场处罚只能是警告或者罚款（《行政处罚法》第51条）"
    limit = ONSITE_FINE_LIMIT[PartyKind(party_kind)]
    if fine is None or fine <= 0:
        return "请填写罚款金额"
    if fine > limit:
        who = "公民" if party_kind == PartyKind.PERSON else "法人或者其他组织"
        return f"对{who}当场罚款不得超过{limit:,.0f}元（《行政处罚法》第51条），超过的应适用普通程序"
    return None


def same_party(case: Any) -> Q:
    """The records of the case's party: by ID number or credit code, else by name and kind."""
    if case.party_id_number_hash:
        return Q(party_id_number_hash=case.party_id_number_hash)
    if case.party_uscc:
        return Q(party_uscc=case.party_uscc)
    return Q(party_kind=case.party_kind, party_name=case.party_name)


def prior_offences(case: Any) -> QuerySet:
    """The party's decided cases on the same item in the 12 months before this offence (第33条 首违不罚 looks
    for none); revoked decisions and dropped cases do not count."""
    from .models import EnforcementCase

    since = add_months(case.offence_on, -PRIOR_MONTHS)[0]
    return (
        EnforcementCase.objects.filter(
            same_party(case), item__code=case.item.code, item__region=case.item.region
        )
        .exclude(pk=case.pk)
        .exclude(state__in=(CaseState.REVOKED, CaseState.DROPPED))
        .filter(decided_on__isnull=False, offence_on__gte=since, offence_on__lte=case.offence_on)
        .order_by("-offence_on")
    )


def review_done(case: Any) -> bool:
    from administration.choices import ReviewState

    return case.review is not None and case.review.state in (ReviewState.OPINION_GIVEN, ReviewState.CLOSED)
