"""The legality-review and disclosure-request lists filter, and export to Excel exactly the list the user filtered."""

from __future__ import annotations

import datetime as dt
import io

from django.test import Client
from openpyxl import load_workbook

from administration import services
from administration.models import ReviewItem


def exported(client: Client, kind: str, query: str) -> list[tuple]:
    r = client.post(f"/jobs/export/{kind}/?{query}")
    assert r.status_code == 302
    job_id = int(r["Location"].split("/")[2])
    got = client.get(f"/files/core.job.result_file/{job_id}/")
    book = load_workbook(io.BytesIO(b"".join(got.streaming_content)), read_only=True)  # type: ignore[attr-defined]
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_a_filtered_review_list_is_exported_row_for_row(world):
    j = world.users["justice"]
    unit = world.units["leadership"]
    day = dt.date(2026, 10, 12)
    for n, kind in enumerate(
        ["contract", "contract", "normative_document", "enforcement_decision", "contract"]
    ):
        services.review_submit(
            by=j,
            kind=kind,
            title=f"示例事项{n}",
            unit_id=unit.pk,
            submitted_on=day,
            materials="文本及起草说明",
        )
    client = Client()
    client.force_login(j)
    page = client.get("/administration/reviews/?kind=contract").content.decode()
    assert [f"示例事项{n}" for n in range(5) if f"示例事项{n}" in page] == [
        "示例事项0",
        "示例事项1",
        "示例事项4",
    ]
    assert 'data-testid="result-count">3<' in page
    rows = exported(client, "legality-reviews", "kind=contract&state=nonsense")
    assert rows[0][:3] == ("审查编号", "事项类别", "事项名称")
    assert sorted(r[2] for r in rows[1:]) == ["示例事项0", "示例事项1", "示例事项4"]
    assert {r[1] for r in rows[1:]} == {"合同"}
    numbers = set(ReviewItem.objects.filter(kind="contract").values_list("number", flat=True))
    assert {r[0] for r in rows[1:]} == numbers

    # Another street's office exports nothing of this street.
    other = Client()
    other.force_login(world.users["other"])
    assert len(exported(other, "legality-reviews", "")) == 1


def test_the_contract_list_is_exported_whole_with_amounts_as_numbers(world):
    from administration.models import ContractDetails

    from .test_contracts_meetings import CONTRACT

    j = world.users["justice"]
    for n, amount in enumerate(["120000.50", "80000", "35000"]):
        services.contract_submit(
            by=j,
            unit_id=world.units["leadership"].pk,
            **{**CONTRACT, "title": f"示例合同{n}", "amount": amount},
        )
    client = Client()
    client.force_login(j)
    page = client.get("/administration/contracts/").content.decode()
    assert "/jobs/export/contracts/" in page and 'data-testid="result-count">3<' in page
    assert (
        "合同金额（万元）" in page and "12.00" in page and "3.50" in page
    )  # the page reads as the file does
    rows = exported(client, "contracts", "")
    assert rows[0][:4] == (
        "合同",
        "合同相对方",
        "合同类型",
        "合同金额（万元）",
    )  # the columns shown by default
    assert sorted(r[0] for r in rows[1:]) == ["示例合同0", "示例合同1", "示例合同2"]
    assert sorted(r[3] for r in rows[1:]) == [3.5, 8.0, 12.0]  # numbers in 万元, not text
    assert len(rows) - 1 == ContractDetails.objects.count()
