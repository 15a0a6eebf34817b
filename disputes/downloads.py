"""The disputes module's uploaded files, downloadable through core's one view (core/downloads.py).

Case attachments and agreement scans carry the parties' personal data: downloading one is a
reveal, so it takes the right to reveal personal data at the case's region, and is logged on the
case's timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from core.downloads import Download, register
from core.roles import Capability

from .models import Agreement, Attachment, Dispute


def _visible_of(model: Any) -> Callable[[Any], QuerySet]:
    """The files of the cases the user can see."""
    return lambda user: model.objects.filter(dispute__in=Dispute.objects.visible_to(user))


for model, field in ((Attachment, "file"), (Agreement, "scan")):
    register(
        Download(
            model=model,
            field=field,
            visible=_visible_of(model),
            region=lambda obj: obj.dispute.region,
            logged_on=lambda obj: obj.dispute,
            capability=Capability.PERSONAL_REVEAL,
        )
    )
