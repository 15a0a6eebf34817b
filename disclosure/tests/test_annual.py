"""The yearly report tables against hand counts; the .docx and .xlsx hold the same figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from core.workflow import transition
from disclosure import services
from disclosure.models import DisclosureRequest

D = dt.date


@pytest.fixture
def year_2026(world):
    j = world.users["justice"]

    def receive(day, kind="person"):
        return services.request_receive(
            by=j,
            region=world.street,
            channel="in_person",
            submitted_on=day,
            applicant_kind=kind,
            applicant_name="申请人（示例）",
            content="某项信息（示例）内容",
        )

    def answer(req, answer_type, day):
        return transition(
            req,
            "answer",
            by=j,
            data={"answer_type": answer_type, "detail": "见答复书", "answered_on": day.isoformat()},
        )

    carried = receive(D(2025, 12, 22))  # carried into 2026, answered in January
    answer(carried, "disclosed", D(2026, 1, 10))
    answer(receive(D(2025, 11, 3)), "partly", D(2025, 11, 20))  # concluded in 2025: not in the 2026 table
    answer(receive(D(2026, 3, 2)), "already_public", D(2026, 3, 10))
    answer(receive(D(2026, 4, 1), "organisation"), "not_ours", D(2026, 4, 15))
    answer(receive(D(2026, 5, 6)), "repeat", D(2026, 5, 8))
    withdrawn = receive(D(2026, 6, 1))
    withdrawn = transition(
        withdrawn,
        "request_correction",
        by=j,
        data={"items": "补充", "sent_on": "2026-06-02", "deadline": "2026-06-20"},
    )
    transition(withdrawn, "treat_withdrawn", by=j, data={})
    receive(D(2026, 11, 20), "organisation")  # still open: carried to next year
    services.proactive_item_record(
        by=j,
        region=world.street,
        title="预算",
        category="财政预决算",
        made_on=D(2026, 3, 2),
        published_on=D(2026, 3, 20),
        where="网站",
    )
    services.proactive_item_record(
        by=j,
        region=world.street,
        title="决算",
        category="财政预决算",
        made_on=D(2026, 3, 2),
        published_on=D(2026, 4, 20),
        where="网站",
    )
    # Table 四 from the respondent records: a reconsideration of an answer, upheld; a suit still pending; a suit
    # about an enforcement decision, which the table leaves out
    from respondent import services as respondent_services

    def challenge(kind: str, filed: D, act_kind: str = "disclosure") -> object:
        return respondent_services.case_receive(
            by=j,
            kind=kind,
            body="示例区人民政府" if kind == "reconsideration" else "示例区人民法院",
            applicant="申请人（示例）",
            unit=world.units["leadership"],
            act_kind=act_kind,
            act="政府信息公开申请答复（示例）",
            filed_on=filed,
            received_on=filed,
        )

    upheld = challenge("reconsideration", D(2026, 5, 1))
    upheld = transition(upheld, "reply", by=j, data={"replied_on": "2026-05-08"})
    transition(
        upheld, "decide", by=j, data={"decided_on": "2026-06-20", "outcome": "upheld", "instance": "first"}
    )
    challenge("litigation", D(2026, 7, 1))
    challenge("litigation", D(2026, 7, 2), act_kind="enforcement")


def test_tables_equal_hand_counts(world, client, year_2026):
    client.force_login(world.users["justice"])
    t = client.get(f"/api/v1/disclosure/annual-report?region={world.street.pk}&year=2026").json()
    req = t["requests"]
    # received in 2026: already_public, repeat, withdrawn (persons); not_ours, still open (organisations)
    assert req["new"] == {"person": 3, "organisation": 2, "total": 5}
    assert req["carried_in"] == {"person": 1, "organisation": 0, "total": 1}
    rows = {o["label"]: o["total"] for o in req["outcomes"]}
    assert rows == {
        "（一）予以公开": 2,
        "（二）部分公开": 0,
        "（三）不予公开": 0,
        "（四）无法提供": 1,
        "（五）不予处理": 1,
        "（六）其他处理": 1,
        "（七）总计": 5,
    }
    assert req["carried_out"] == {"person": 0, "organisation": 1, "total": 1}
    assert t["proactive"] == [{"category": "财政预决算", "made": 2, "published": 2, "on_time": 1}]
    assert t["review"]["reconsideration"]["upheld"] == 1 and t["review"]["litigation_direct"]["pending"] == 1
    assert DisclosureRequest.objects.count() == 7


def test_files_hold_the_same_figures(world, client, year_2026):
    client.force_login(world.users["justice"])
    base = f"/api/v1/disclosure/annual-report?region={world.street.pk}&year=2026"
    t = client.get(base).json()
    wb = load_workbook(io.BytesIO(client.get(base + "&format=xlsx").content))
    rows = {r[0]: r[1:] for r in wb["依申请公开"].iter_rows(min_row=2, values_only=True)}
    assert rows["一、本年新收政府信息公开申请数量"] == (3, 2, 5)
    assert rows["三、本年度办理结果 （七）总计"][2] == t["requests"]["outcomes"][-1]["total"]
    doc = Document(io.BytesIO(client.get(base + "&format=docx").content))
    table = doc.tables[1]
    cells = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows}
    assert cells["一、本年新收政府信息公开申请数量"] == ["3", "2", "5"]
    assert cells["四、结转下年度继续办理"] == ["0", "1", "1"]
    assert client.get(base + "&format=pdf").status_code == 400


def test_report_query_count_does_not_grow_with_requests(world, client, year_2026):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["justice"])
    url = f"/api/v1/disclosure/annual-report?region={world.street.pk}&year=2026"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    j = world.users["justice"]
    for day in range(1, 9):
        req = services.request_receive(
            by=j,
            region=world.street,
            channel="in_person",
            submitted_on=D(2026, 7, day),
            applicant_kind="person",
            applicant_name="丙（示例）",
            content="某项信息（示例）内容",
            applicant_id_number="11010519491231002X",
        )
        transition(
            req,
            "answer",
            by=j,
            data={
                "answer_type": "disclosed",
                "detail": "见答复书",
                "answered_on": D(2026, 7, day + 10).isoformat(),
            },
        )
    assert count() == before
    from core.personal import keyed_hash

    assert (
        DisclosureRequest.objects.filter(applicant_id_number_hash=keyed_hash("11010519491231002x")).count()
        == 8
    )
