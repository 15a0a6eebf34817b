"""Reminders before officers' certificates expire (持证上岗): nightly, each certificate that is an officer's latest
and ends within the notice period is told once to the officer (when they have an account) and to the street's
justice office and enforcement team."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from core.clocks.services import today
from core.jobs import Nightly, register_nightly
from core.models import Notification, Unit
from core.models.regions import UnitKind
from core.notifications import members_of, notify
from core.roles import Role

from .models import Certificate

NOTICE_DAYS = 90


def certificate_reminders(*, on: dt.date | None = None) -> str:
    day = on or today()
    latest = dict(
        Certificate.objects.values("person").annotate(last=Max("valid_to")).values_list("person", "last")
    )
    due = (
        Certificate.objects.filter(valid_to__gte=day, valid_to__lte=day + dt.timedelta(days=NOTICE_DAYS))
        .select_related("person__region", "person__user")
        .order_by("valid_to", "pk")
    )
    told = 0
    for cert in due:
        if latest.get(cert.person_id) != cert.valid_to:
            continue  # a newer certificate already follows it
        street = cert.person.region.ancestor_at("street") or cert.person.region
        units = Unit.objects.filter(
            region=street, kind__in=(UnitKind.JUSTICE_OFFICE, UnitKind.ENFORCEMENT_TEAM)
        ).values_list("pk", flat=True)
        recipients = set(members_of(units, roles=(Role.JUSTICE_COORDINATOR, Role.OFFICER)))
        if cert.person.user_id:
            recipients.add(cert.person.user_id)
        title = f"执法证即将到期：{cert.person.name}（{cert.number}，有效期至{cert.valid_to:%Y-%m-%d}）"
        already = set(Notification.objects.filter(title=title).values_list("recipient_id", flat=True))
        told += notify(
            recipients - already,
            kind=Notification.Kind.REMINDER,
            title=title,
            body="有效期届满后不得从事执法活动（《行政处罚法》第42条），请及时办理换证。",
            url="/enforcement/officers/?status=expiring",
        )
    return f"执法证到期提醒：{told}条。"


register_nightly(Nightly("certificate_reminders", "执法证到期提醒", certificate_reminders))
