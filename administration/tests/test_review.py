"""Legality review: assignment (qualified reviewers for enforcement decisions), opinions with issues by
aspect, per-suggestion responses, the 7-WD review clock for major decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from administration import services
from administration.choices import ReviewState
from core import services as core_services
from core.models import Clock
from core.models.people import PersonKind
from core.workflow import TransitionNotAllowed, transition

D = dt.date


@pytest.fixture
def people(world):
    lawyer = core_services.person_create(
        by=None,
        name="公职律师（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=world.street,
        unit=world.units["justice"],
        legal_qualification=True,
    )
    staff = core_services.person_create(
        by=None,
        name="司法所干部（示例）",
        kind=PersonKind.STAFF,
        region=world.street,
        unit=world.units["justice"],
        legal_qualification=False,
    )
    return {"lawyer": lawyer, "staff": staff}


def submit(world, kind="major_decision", title="示例街道老旧小区加装电梯实施办法"):
    return services.review_submit(
        by=world.users["justice"],
        kind=kind,
        title=title,
        unit_id=world.units["leadership"].pk,
        submitted_on=D(2026, 9, 25),
        materials="草案文本、起草说明、法律依据",
    )


def test_full_review_with_issues_and_responses(world, people):
    j, reviewer = world.users["justice"], world.users["reviewer"]
    item = submit(world)
    item = transition(item, "assign", by=j, data={"reviewer": str(people["lawyer"].pk)})
    clock = Clock.objects.get(content_type__model="reviewitem", object_id=item.pk, name="review")
    assert clock.due_on == D(2026, 10, 12)  # 7 WD after 9-25: 9/28-30, 10/8, 10/9, 10/10 (调休), 10/12
    with pytest.raises(TransitionNotAllowed, match="须先逐条列明"):
        transition(
            item,
            "give_opinion",
            by=reviewer,
            data={"conclusion": "lawful_with_changes", "opinion_on": "2026-10-09"},
        )
    a = services.issue_add(
        item=item,
        aspect="procedure",
        finding="未经公开征求意见",
        suggestion="补充公开征求意见程序",
        by=reviewer,
    )
    b = services.issue_add(
        item=item, aspect="legal_basis", finding="引用条款已废止", suggestion="改引现行有效条款", by=reviewer
    )
    item = transition(
        item,
        "give_opinion",
        by=reviewer,
        data={"conclusion": "lawful_with_changes", "opinion_on": "2026-10-09"},
    )
    assert item.opinion_number.endswith("〔2026〕1号")
    clock.refresh_from_db()
    assert clock.met_on == D(2026, 10, 9)
    with pytest.raises(TransitionNotAllowed, match="还有2条审查意见未反馈"):
        transition(item, "close", by=j, data={})
    services.issue_respond(issue=a, adoption="adopted", response="", by=j)
    with pytest.raises(ValidationError, match="须说明理由"):
        services.issue_respond(issue=b, adoption="not_adopted", response="", by=j)
    services.issue_respond(issue=b, adoption="partly", response="部分条款保留", by=j)
    item = transition(item, "close", by=j, data={})
    assert item.state == ReviewState.CLOSED


def test_unqualified_first_time_reviewer_is_refused_for_enforcement_decisions(world, people):
    j = world.users["justice"]
    item = submit(world, kind="enforcement_decision", title="对某违法建筑的强制拆除决定")
    with pytest.raises(TransitionNotAllowed, match="行政处罚法》第58条"):
        transition(item, "assign", by=j, data={"reviewer": str(people["staff"].pk)})
    item = transition(item, "assign", by=j, data={"reviewer": str(people["lawyer"].pk)})
    assert item.reviewer == people["lawyer"]
    # other kinds accept any reviewer of the office
    other = transition(
        submit(world, kind="contract", title="物业服务合同"),
        "assign",
        by=j,
        data={"reviewer": str(people["staff"].pk)},
    )
    assert other.state == ReviewState.REVIEWING


def test_roles_and_scope(world, people):
    from django.http import Http404

    item = submit(world)
    with pytest.raises(TransitionNotAllowed, match="您的角色不能执行"):
        transition(item, "assign", by=world.users["reviewer"], data={"reviewer": str(people["lawyer"].pk)})
    with pytest.raises(Http404):
        transition(item, "assign", by=world.users["other"], data={})
    with pytest.raises(ValidationError) as exc:
        services.review_submit(
            by=world.users["other"],
            kind="contract",
            title="x",
            unit_id=world.units["leadership"].pk,
            submitted_on=D(2026, 9, 25),
            materials="合同文本",
        )
    assert "送审单位" in exc.value.message_dict["unit"][0]


def test_pages_counts_and_opinion_letter(world, people, client):
    import io

    from docx import Document

    j, reviewer = world.users["justice"], world.users["reviewer"]
    client.force_login(j)
    r = client.post(
        "/administration/reviews/new/",
        {
            "kind": "contract",
            "title": "物业服务合同（示例）",
            "unit_id": world.units["leadership"].pk,
            "submitted_on": "2026-09-25",
            "materials": "合同文本及附件",
        },
    )
    assert r.status_code == 302
    item = services.ReviewItem.objects.get()
    item = transition(item, "assign", by=j, data={"reviewer": str(people["lawyer"].pk)})
    client.force_login(reviewer)
    client.post(
        f"/administration/reviews/{item.pk}/issues/",
        {"aspect": "content", "finding": "违约责任不对等", "suggestion": "增加对方违约责任条款"},
    )
    item = transition(
        item,
        "give_opinion",
        by=reviewer,
        data={"conclusion": "lawful_with_changes", "opinion_on": "2026-10-09"},
    )
    client.force_login(j)
    issue = item.issues.get()
    client.post(f"/administration/reviews/{item.pk}/issues/{issue.pk}/respond/", {"adoption": "adopted"})
    text = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(client.get(f"/administration/reviews/{item.pk}/opinion.docx").content)
        ).paragraphs
    )
    assert (
        "合法性审查意见书" in text
        and "修改后合法" in text
        and "增加对方违约责任条款" in text
        and item.opinion_number in text
    )
    from administration.selectors import review_counts

    rows = review_counts(j, world.street, D(2026, 1, 1), D(2026, 12, 31))
    assert rows == [
        {
            "kind": "contract",
            "submitting_unit__name": "示例街道办事处",
            "items": 1,
            "suggestions": 1,
            "adopted": 1,
            "partly": 0,
        }
    ]
    page = client.get("/administration/reviews/").content.decode()
    assert "物业服务合同（示例）" in page
    client.force_login(world.users["other"])
    assert client.get(f"/administration/reviews/{item.pk}/").status_code == 404
