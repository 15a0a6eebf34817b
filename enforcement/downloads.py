"""The enforcement module's uploaded evidence, downloadable through core's one view (core/downloads.py): it may
show the party, so downloading takes the right to reveal personal data and is logged on the case's timeline."""

from __future__ import annotations

from core.downloads import Download, register
from core.roles import Capability

from .models import EnforcementCase, Evidence

register(
    Download(
        model=Evidence,
        field="file",
        visible=lambda user: Evidence.objects.filter(case__in=EnforcementCase.objects.visible_to(user)),
        region=lambda obj: obj.case.region,
        logged_on=lambda obj: obj.case,
        capability=Capability.PERSONAL_REVEAL,
    )
)
