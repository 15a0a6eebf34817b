"""The disputes module's uploaded files, downloadable through core's one view (core/downloads.py).

Case attachments and agreement scans carry the parties' personal data: downloading one is a
reveal, so it takes the right to reveal personal data at the case's region, and is logged on the
case's timeline.
"""

from __future__ import annotations

from core.downloads import Download, register
from core.roles import Capability

from .models import Agreement, Attachment, Dispute

register(
    Download(
        model=Attachment,
        field="file",
        visible=lambda user: Attachment.objects.filter(dispute__in=Dispute.objects.visible_to(user)),
        region=lambda a: a.dispute.region,
        logged_on=lambda a: a.dispute,
        capability=Capability.PERSONAL_REVEAL,
    )
)
register(
    Download(
        model=Agreement,
        field="scan",
        visible=lambda user: Agreement.objects.filter(dispute__in=Dispute.objects.visible_to(user)),
        region=lambda a: a.dispute.region,
        logged_on=lambda a: a.dispute,
        capability=Capability.PERSONAL_REVEAL,
    )
)
