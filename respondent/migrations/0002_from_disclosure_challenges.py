"""The disclosure module's old counters of reconsideration and litigation (disclosure.Challenge) become respondent
cases, so the yearly report's table 四, now read from the respondent records, keeps every figure entered before.
What a counter did not hold is said in the case: the review body and the applicant are to be completed, and a
corrected result is recorded as 撤销 (the table counts every correction alike) with a note to check it."""

from django.db import migrations

OUTCOME = {"upheld": "upheld", "corrected": "annulled", "other": "terminated", "pending": ""}
NOTE = "（由原政务公开复议诉讼登记迁入，复议机关或法院、申请人和具体结果待补充核对）"


def forward(apps, schema_editor):
    Challenge = apps.get_model("disclosure", "Challenge")
    Case = apps.get_model("respondent", "RespondentCase")
    Unit = apps.get_model("core", "Unit")
    Region = apps.get_model("core", "Region")
    for n, c in enumerate(Challenge.objects.order_by("pk"), start=1):
        street = c.region
        while street.level not in ("street", "district", "city") and street.parent_id:
            street = Region.objects.get(pk=street.parent_id)
        unit = Unit.objects.filter(region=street).order_by("pk").first()
        if unit is None:
            continue
        outcome = OUTCOME.get(c.result, "")
        Case.objects.create(
            region=street,
            state="closed" if outcome else "received",
            number=f"YS-{street.code}-{c.filed_on.year}-迁{n:04d}",
            kind="reconsideration" if c.kind == "reconsideration" else "litigation",
            after_reconsideration=c.kind == "litigation_after",
            body="待补充",
            applicant=(c.request.applicant_name if c.request_id else "待补充"),
            unit=unit,
            act_kind="disclosure",
            act=f"政府信息公开答复{('（' + c.request.number + '）') if c.request_id else ''}{NOTE}"[:300],
            disclosure_request_id=c.request_id,
            filed_on=c.filed_on,
            received_on=c.filed_on,
            decided_on=c.filed_on if outcome else None,
            outcome=outcome,
            instance="first" if outcome else "",
            # a migrated correction: what was rectified then is not known here, so nothing is left pending
            rectified_on=c.filed_on if outcome == "annulled" else None,
            rectification_report="（迁入的历史记录，整改情况未在原登记中记载）" if outcome == "annulled" else "",
            closed_on=c.filed_on if outcome else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("respondent", "0001_initial"),
        ("disclosure", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
