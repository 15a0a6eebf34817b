"""Enforcement cases of a past period, imported closed: 行政执法案件（往年已结案件）.

One row is one case that ended 结案归档: filed (or, under the simple procedure, decided on the spot), notified,
reviewed where its item and fine require it, decided, served, published, paid and closed. Each step goes through
the same services and workflow as a case handled in the platform, stamped with its real day (``recorded_at``):
the officers are checked against their certificates on each day (第42条), the limitation period against the
filing (第36条), the on-the-spot limits (第51条), the first-offence list against the party's earlier cases
(第33条), the legality review before the decision (第58条); the clocks start and are met on their real dates and
any still open is met on the day of closing. A refusal names its column, and the whole import writes nothing.

The same street and 台账编号 is the same case: a retried import finds it and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from administration.importers.rows import (
    STREET_COLUMN,
    YES_NO,
    Checked,
    finish,
    on_day,
    read_amount,
    read_choice,
    read_date,
    ref_column,
    review_parts,
    review_steps,
    step,
    street_of_row,
)
from core.history import Existing, already, entering_history
from core.imports import Column, Importer, RowInvalid, register
from core.models import Person, Region
from core.models.people import PersonKind

from . import services
from .choices import Outcome, PartyKind, Procedure, ServiceMethod, Source
from .models import EnforcementItem
from .permissions import HISTORY_IMPORT

KIND = "enforcement-cases-history"
GROUP = "行政执法"
PROCEDURES = {str(label): value for value, label in Procedure.choices}
SOURCES = {str(label): value for value, label in Source.choices}
PARTY_KINDS = {str(label): value for value, label in PartyKind.choices} | {"法人": PartyKind.ORGANISATION}
OUTCOMES = {str(label): value for value, label in Outcome.choices}
METHODS = {str(label): value for value, label in ServiceMethod.choices} | {
    "电子送达": ServiceMethod.ELECTRONIC
}
FINED = (Outcome.FINE, Outcome.FINE_AND_CONFISCATION)
SEPARATORS = ("、", "，", ",", "；", ";")

# case_file's error keys -> the template's columns
FILE_COLUMNS = {
    "item": "item",
    "community": "community",
    "officers": "officers",
    "party_id_number": "party_id_number",
    "party_uscc": "party_uscc",
    "party_name": "party_name",
    "facts": "facts",
    "offence_on": "offence_on",
    "filed_on": "filed_on",
}


def _find_item(code: str, street: Region | None) -> EnforcementItem:
    if street is None:
        raise RowInvalid({})
    item = EnforcementItem._base_manager.filter(region=street, code=code, active=True).first()
    if item is None:
        raise RowInvalid(
            {"item": f"事项编码“{code}”不在{street.name}的执法事项目录中（请先导入执法事项目录）"}
        )
    return item


def _find_community(code: str, street: Region | None, by: Any) -> Region:
    if street is None:
        raise RowInvalid({})
    community = (
        Region.objects.visible_to(by)
        .filter(code=code, level="community", path__startswith=street.path)
        .first()
    )
    if community is None:
        raise RowInvalid({"community": f"居村区划代码 {code} 不是{street.name}的居村"})
    return community


def _find_officers(names: str, street: Region | None, by: Any) -> list[Person]:
    if street is None:
        raise RowInvalid({})
    wanted = [n.strip() for n in _split(names) if n.strip()]
    found = {
        p.name: p
        for p in Person.objects.visible_to(by).filter(
            name__in=wanted, kind=PersonKind.OFFICER, region__path__startswith=street.path
        )
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        raise RowInvalid(
            {
                "officers": f"{'、'.join(missing)}不在{street.name}的执法人员名册中（请先导入人员名册并登记执法证）"
            }
        )
    return [found[n] for n in dict.fromkeys(wanted)]


def _split(text: str) -> list[str]:
    for sep in SEPARATORS[1:]:
        text = text.replace(sep, SEPARATORS[0])
    return text.split(SEPARATORS[0])


def _read(row: dict[str, str], by: Any, check: Checked, street: Region | None) -> dict[str, Any]:
    """Every column of the row read and checked against the others; each problem by its column."""
    v: dict[str, Any] = {"street": street}
    v["item"] = check(_find_item, row["item"], street)
    v["community"] = check(_find_community, row["community"], street, by)
    v["officers"] = check(_find_officers, row["officers"], street, by)
    v["procedure"] = check(read_choice, row["procedure"], PROCEDURES, "procedure", "程序")
    v["source"] = check(read_choice, row["source"], SOURCES, "source", "案件来源")
    v["party_kind"] = check(read_choice, row["party_kind"], PARTY_KINDS, "party_kind", "当事人类别")
    v["harms_safety"] = check(read_choice, row["harms_safety"] or "否", YES_NO, "harms_safety", "危害后果")
    v["outcome"] = check(read_choice, row["outcome"], OUTCOMES, "outcome", "处理结果")
    v["fine"] = check(read_amount, row["fine"], "fine", "罚款金额") if row["fine"] else None
    for key, label, required in (
        ("offence_on", "违法行为发生日期", True),
        ("filed_on", "立案（登记）日期", True),
        ("notified_on", "事先告知日期", False),
        ("review_submitted_on", "送法制审核日期", False),
        ("collective_on", "集体讨论日期", False),
        ("decided_on", "决定日期", True),
        ("served_on", "送达日期", False),
        ("paid_on", "缴款日期", False),
        ("published_on", "公示日期", True),
        ("closed_on", "结案日期", True),
    ):
        v[key] = check(read_date, row[key], key, label, required=required)
    ordinary = v["procedure"] == Procedure.ORDINARY
    if ordinary:
        for key, label in (("notified_on", "事先告知日期"), ("served_on", "送达日期")):
            if not row[key]:
                check.errors.setdefault(key, f"普通程序案件须填写{label}")
        v["method"] = check(read_choice, row["service_method"], METHODS, "service_method", "送达方式")
        if not row["hearing_right"]:
            check.errors.setdefault(
                "hearing_right", "普通程序案件须填写是否告知听证权利（《行政处罚法》第63条）"
            )
        v["hearing_right"] = check(
            read_choice, row["hearing_right"] or "否", YES_NO, "hearing_right", "告知听证权利"
        )
        v["consent"] = check(read_choice, row["consent"] or "否", YES_NO, "consent", "同意电子送达")
    elif v["procedure"] == Procedure.SIMPLE:
        for key, label in (("notified_on", "事先告知日期"), ("review_submitted_on", "送法制审核日期")):
            if row[key]:
                check.errors.setdefault(key, f"简易程序案件当场作出决定，不应填写{label}")
    if v["outcome"] in FINED and v["fine"] and not row["paid_on"]:
        check.errors.setdefault("paid_on", "已结案的罚款案件须填写缴款日期")
    elif row["paid_on"] and v["outcome"] and v["outcome"] not in FINED:
        check.errors.setdefault("paid_on", f"处理结果为“{row['outcome']}”的，不应填写缴款日期")
    v["review"] = None
    if row["review_submitted_on"]:
        reviewer, conclusion, opinions, opinion_on = review_parts(
            check, row, street, by, unlawful_allowed=False
        )
        v["review"] = (reviewer, conclusion, opinions, opinion_on)
    elif v["item"] is not None and ordinary and v["item"].review_required(v["fine"], False):
        check.errors.setdefault(
            "review_submitted_on",
            f"“{v['item'].name}”的决定须经法制审核（《行政处罚法》第58条），请填写送审日期和审核意见",
        )
    opinion_on = v["review"][3] if v["review"] else None
    check.dates(
        [
            ("offence_on", "违法行为发生日期", v["offence_on"]),
            ("filed_on", "立案（登记）日期", v["filed_on"]),
            ("notified_on", "事先告知日期", v["notified_on"]),
            ("review_submitted_on", "送法制审核日期", v["review_submitted_on"]),
            ("opinion_on", "出具意见日期", opinion_on),
            ("collective_on", "集体讨论日期", v["collective_on"]),
            ("decided_on", "决定日期", v["decided_on"]),
            ("served_on", "送达日期", v["served_on"]),
            ("paid_on", "缴款日期", v["paid_on"]),
        ]
    )
    check.dates(
        [("decided_on", "决定日期", v["decided_on"]), ("published_on", "公示日期", v["published_on"])]
    )
    last = max((d for d in (v["served_on"], v["paid_on"], v["published_on"]) if d), default=None)
    if v["closed_on"] and last and v["closed_on"] < last and "closed_on" not in check.errors:
        check.errors["closed_on"] = f"结案日期（{v['closed_on']}）早于送达、缴款或公示（{last}），请核对"
    return v


def _case_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = street_of_row(check, row, by)
    if street is not None and (found := already(KIND, street, row["ref"])) is not None:
        return Existing(found)
    v = _read(row, by, check, street)
    check.done()
    street, community = v["street"], v["community"]
    with entering_history(by=by, capability=HISTORY_IMPORT, region=street):
        with on_day(v["filed_on"], 9, FILE_COLUMNS, "filed_on"):
            case = services.case_file(
                by=by,
                procedure=v["procedure"],
                source=v["source"],
                source_ref=row["source_ref"],
                item_id=v["item"].pk,
                community=community,
                party_kind=v["party_kind"],
                party_name=row["party_name"],
                party_id_number=row["party_id_number"],
                party_uscc=row["party_uscc"],
                party_address=row["party_address"],
                facts=row["facts"],
                offence_on=v["offence_on"],
                harms_safety=v["harms_safety"],
                filed_on=v["filed_on"],
                officer_ids=[p.pk for p in v["officers"]],
            )
        records: list[tuple[Any, dt.date]] = []
        fine: Decimal | None = v["fine"]
        if v["procedure"] == Procedure.SIMPLE:
            data = {"decided_on": v["decided_on"], "outcome": v["outcome"], "fine": fine}
            case = step(case, "decide_onsite", v["decided_on"], 10, data, by, column="outcome")
        else:
            proposed = row["proposed"] or "（往年台账未载明告知的拟处罚内容）"
            hearing = "yes" if v["hearing_right"] else "no"
            data = {"notified_on": v["notified_on"], "proposed": proposed, "hearing_right": hearing}
            case = step(case, "notify", v["notified_on"], 10, data, by, column="notified_on")
            if v["review"] is not None:
                reviewer, conclusion, opinions, opinion_on = v["review"]
                with on_day(
                    v["review_submitted_on"], 10, {"submitted_on": "review_submitted_on"}, "reviewer"
                ):
                    review = services.case_request_review(
                        by=by, case=case, submitted_on=v["review_submitted_on"], materials=row["facts"]
                    )
                review = review_steps(
                    review,
                    by=by,
                    reviewer=reviewer,
                    conclusion=conclusion,
                    opinions=opinions,
                    opinion_on=opinion_on,
                    closed_on=opinion_on,
                )
                records.append((review, opinion_on))
                case.refresh_from_db()
            data = {
                "decided_on": v["decided_on"],
                "outcome": v["outcome"],
                "fine": fine,
                "education": row["education"],
                "collective_on": v["collective_on"],
            }
            case = step(case, "decide", v["decided_on"], 15, data, by, column="outcome")
            data = {
                "served_on": v["served_on"],
                "method": v["method"],
                "consent": "yes" if v["consent"] else "no",
            }
            case = step(case, "serve", v["served_on"], 10, data, by, column="service_method")
        with on_day(
            v["published_on"],
            11,
            {"published_on": "published_on", "where": "publicity_where"},
            "published_on",
        ):
            case = services.case_publish(
                by=by, case=case, published_on=v["published_on"], where=row["publicity_where"]
            )
        if v["paid_on"] is not None:
            with on_day(v["paid_on"], 14, {"paid_on": "paid_on"}, "paid_on"):
                case = services.case_pay(by=by, case=case, paid_on=v["paid_on"])
        case = step(case, "close", v["closed_on"], 16, {"closed_on": v["closed_on"]}, by, column="closed_on")
        finish(KIND, street, row["ref"], [(case, v["closed_on"]), *records], by)
    return case


CASES_IMPORTER = register(
    Importer(
        KIND,
        "行政执法案件（往年已结案件）",
        [
            ref_column("ZF-2025-001"),
            STREET_COLUMN,
            Column("事项编码", "item", True, "CG-001", "本街镇执法事项目录中的编码", 40),
            Column("程序", "procedure", True, "普通程序", "可选：简易程序、普通程序"),
            Column("案件来源", "source", True, "日常巡查", "可选：" + "、".join(SOURCES)),
            Column("来源编号", "source_ref", False, "", "如12345工单号、移送函文号", 80),
            Column("居村区划代码", "community", True, "990100001001", "违法行为发生地所在居村"),
            Column("当事人类别", "party_kind", True, "公民", "可选：公民、法人或其他组织"),
            Column("当事人", "party_name", True, "示例摊主（示例）", "", 100),
            Column("身份证号", "party_id_number", False, "", "当事人为公民的填写；加密保存", 18),
            Column("统一社会信用代码", "party_uscc", False, "", "当事人为法人或其他组织的填写", 18),
            Column("地址", "party_address", False, "", "", 200),
            Column("违法事实", "facts", True, "在示例路口人行道上设摊经营（示例）", "时间、地点、行为", 2000),
            Column("违法行为发生日期", "offence_on", True, "2025-03-01", "YYYY-MM-DD"),
            Column(
                "危害后果",
                "harms_safety",
                False,
                "否",
                "涉及生命健康安全、金融安全且有危害后果的填是（第36条）",
            ),
            Column("立案（登记）日期", "filed_on", True, "2025-03-03", "简易程序为当场登记日期"),
            Column(
                "执法人员",
                "officers",
                True,
                "示例执法员甲、示例执法员乙",
                "两人以上，以顿号分隔；须当日持有效执法证",
            ),
            Column("事先告知日期", "notified_on", False, "2025-03-10", "普通程序必填"),
            Column("告知的拟处罚内容", "proposed", False, "拟处罚款300元", "普通程序可填", 1000),
            Column(
                "告知听证权利", "hearing_right", False, "否", "普通程序必填：是或否（第63条所列情形须告知）"
            ),
            Column("送法制审核日期", "review_submitted_on", False, "", "须法制审核的决定必填（第58条）"),
            Column("审查人员", "reviewer", False, "", "送审的必填：本街镇公职律师、法律顾问或工作人员", 50),
            Column("审查结论", "conclusion", False, "", "送审的必填：合法、修改后合法"),
            Column("出具意见日期", "opinion_on", False, "", "送审的必填"),
            Column("审查意见", "opinions", False, "", "每行一条：方面｜问题｜建议｜采纳情况｜反馈说明", 5000),
            Column("集体讨论日期", "collective_on", False, "", "情节复杂或重大违法的（第57条）"),
            Column("决定日期", "decided_on", True, "2025-03-20", "YYYY-MM-DD"),
            Column("处理结果", "outcome", True, "罚款", "可选：" + "、".join(OUTCOMES)),
            Column("罚款金额（元）", "fine", False, "200", "处以罚款的必填"),
            Column("教育情况", "education", False, "", "不予处罚、首违不罚的必填（第33条）", 1000),
            Column("送达日期", "served_on", False, "2025-03-21", "普通程序必填；简易程序当场交付"),
            Column("送达方式", "service_method", False, "直接送达", "普通程序必填：" + "、".join(METHODS)),
            Column("同意电子送达", "consent", False, "", "电子送达的填是（第61条）"),
            Column("缴款日期", "paid_on", False, "2025-03-28", "罚款案件必填"),
            Column("公示日期", "published_on", True, "2025-03-25", "决定公示的日期"),
            Column("公示载体", "publicity_where", True, "街道门户网站", "", 100),
            Column("结案日期", "closed_on", True, "2025-04-01", "不早于送达、缴款和公示"),
        ],
        _case_row,
        notes=[
            "每行一件往年已结案的行政执法案件，按办理经过导入：立案（登记）、事先告知、法制审核（审查意见及采纳情况）、"
            "作出决定、送达、公示、缴款、结案；各环节按所填日期记入时间线，法定期限按当日的日历计算。",
            "执法人员须在各环节当日持有效执法证（请先导入人员名册并登记执法证）；罚款超过事项上限、简易程序超过"
            "当场处罚限额、首违不罚不符合条件、须法制审核而未审核的，该行不导入并说明原因。",
            "同一街镇同一台账编号只导入一次；任一行有误时整批不写入。",
        ],
        capability=HISTORY_IMPORT,
        group=GROUP,
        description="往年已结案的行政执法案件，连同立案、告知、审核、决定、送达、公示、缴款、结案各环节",
    )
)
