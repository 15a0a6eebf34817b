"""Imports of open-government records of a past period, in their final state (issue 11).

* ``disclosure-requests``: a request on application as it ended — received (第31条 receipt date), perhaps
  completed after 补正, sent to a third party, extended, then answered (or treated as withdrawn) and
  delivered. Each step goes through the real service or workflow action, stamped with its own day
  (``recorded_at``), so the answer clock runs on that year's working-day calendar (20 WD, restarted by
  补正, stopped while the third party is consulted, extended as approved) and ends met or met late.
* ``disclosure-proactive``: a proactively disclosed item with the day it was made or changed and the day
  it was published; its 20-WD clock (第26条) is met on the publication day, on time or late.

Both are idempotent on 来源编号 (the street's ledger number), check that dates are in order and not in
the future, and mark the record 历史数据导入 on its timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.audit.context import recorded_at
from core.history import (
    Existing,
    already,
    dates_in_order,
    mark_historical,
    parse_date,
    remember,
    settle_clocks,
)
from core.imports import Column, Importer, RowInvalid, register
from core.models import Region, User
from core.personal import validate_id_number, validate_phone, validate_uscc
from core.workflow import TransitionNotAllowed, transition

from . import services
from .choices import AnswerType, ApplicantKind, Channel, Delivery
from .workflow import HEADS

WITHDRAWN = "withdrawn"
CHANNELS = {str(label): value for value, label in Channel.choices} | {
    "当面": Channel.IN_PERSON,
    "网络": Channel.ONLINE,
}
APPLICANT_KINDS = {str(label): value for value, label in ApplicantKind.choices} | {
    "自然人": ApplicantKind.PERSON,
    "法人": ApplicantKind.ORGANISATION,
    "其他组织": ApplicantKind.ORGANISATION,
}
# Every answer type by its full label and its short name (the part before the bracket), and 视为撤回.
ANSWERS = (
    {str(label): value for value, label in AnswerType.choices}
    | {str(label).split("（")[0]: value for value, label in AnswerType.choices}
    | {"视为撤回": WITHDRAWN, "逾期未补正视为撤回": WITHDRAWN}
)
ANSWER_NAMES = [str(label).split("（")[0] for _, label in AnswerType.choices] + ["视为撤回"]
DELIVERIES = {str(label): value for value, label in Delivery.choices} | {
    "当面": Delivery.IN_PERSON,
    "邮寄": Delivery.POST,
    "电子": Delivery.ONLINE,
}
OPINIONS = {"同意公开": "agree", "不同意公开": "object", "逾期未答复": "none"}


def _choice(value: str, mapping: dict[str, str], key: str, label: str, names: Iterable[str]) -> str:
    if value in mapping:
        return mapping[value]
    if value in mapping.values():
        return value
    raise RowInvalid({key: f"{label}“{value[:30]}”不是可选值，可选：{'、'.join(names)}"})


def _issuing_region(code: str, by: Any) -> Region:
    region = Region.objects.visible_to(by).filter(code=code, level__in=("street", "district")).first()
    if region is None:
        raise RowInvalid({"region": f"区划代码 {code[:20]} 不存在或不在您的工作范围内（应为街镇或区）"})
    return region


class Checks:
    """Collects every problem of a row, by column, before anything is written."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def run(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except RowInvalid as exc:
            for k, v in exc.errors.items():
                self.errors.setdefault(k, v)
            return None

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def date(self, row: dict[str, str], key: str, label: str, *, required: bool = False) -> dt.date | None:
        return self.run(lambda: parse_date(row[key], key, label, required=required))

    def order(self, steps: list[tuple[str, str, dt.date | None]]) -> None:
        self.run(lambda: dates_in_order(steps))

    def raise_any(self) -> None:
        if self.errors:
            raise RowInvalid(self.errors)


def _moment(day: dt.date, step: int) -> dt.datetime:
    """The time a replayed step is stamped with: its day, 09:00, one minute per step (keeps their order)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))) + dt.timedelta(minutes=step)


def _row_errors(exc: ValidationError, fields: dict[str, str], default: str) -> RowInvalid:
    """A service's or an action's ValidationError as the row's errors, keyed by the template's columns."""
    if hasattr(exc, "error_dict"):
        return RowInvalid(
            {
                fields.get(k, k if k in COLUMN_KEYS else default): "；".join(v)
                for k, v in exc.message_dict.items()
            }
        )
    return RowInvalid({default: "；".join(exc.messages)})


# --- requests on application ------------------------------------------------------------------------------

REQUEST_COLUMNS = [
    Column("来源编号", "source_ref", True, "2025-依申请-001", "本街镇台账中的编号；同一编号只导入一次", 80),
    Column("受理机关区划代码", "region", True, "990100001", "收到申请的街镇（或区）的区划代码"),
    Column("提交方式", "channel", True, "当面提交", "可选：当面提交、邮寄、互联网渠道、传真"),
    Column("提交日期", "submitted_on", True, "2025-03-03"),
    Column(
        "收到申请日期",
        "received_on",
        False,
        "",
        "第31条：当面提交的为提交日期（可不填）；邮寄的填本机关签收日期；互联网渠道、传真的填双方确认日期",
    ),
    Column("申请人类别", "applicant_kind", True, "公民", "可选：公民（自然人）、法人或其他组织"),
    Column("申请人", "applicant_name", True, "张某（示例）", "姓名或名称", 100),
    Column(
        "申请人身份证号",
        "applicant_id_number",
        False,
        "",
        "18位，按 GB 11643 校验；加密保存，页面只显示掩码",
        18,
    ),
    Column("统一社会信用代码", "applicant_uscc", False, "", "法人或其他组织填写，按 GB 32100 校验", 18),
    Column("联系电话", "applicant_phone", False, "", "加密保存，页面只显示掩码", 20),
    Column("通信地址", "applicant_address", False, "", "", 200),
    Column("申请公开的政府信息", "content", True, "2024年老旧小区加装电梯补贴发放情况（示例）"),
    Column("需补正内容", "correction_items", False, "", "曾一次性告知补正的，填写告知的补正内容", 300),
    Column(
        "告知补正日期", "correction_sent_on", False, "", "答复期限自收到补正后的申请之日重新计算（第30条）"
    ),
    Column("补正期限", "correction_deadline", False, "", "告知补正时给申请人的期限；不填为告知日期后15日"),
    Column(
        "收到补正日期", "correction_completed_on", False, "", "申请人逾期未补正的不填，办理结果填“视为撤回”"
    ),
    Column("征求意见的第三方", "third_party", False, "", "曾征求第三方意见的填写（第32条）", 100),
    Column("发出征求意见书日期", "consult_sent_on", False, "", "征求意见期间不计入答复期限（第33条第3款）"),
    Column("第三方收到日期", "consult_received_on", False, ""),
    Column("第三方答复日期", "consult_replied_on", False, "", "第三方答复或15个工作日期满的日期"),
    Column("第三方意见", "consult_opinion", False, "", "可选：同意公开、不同意公开、逾期未答复"),
    Column("延长工作日数", "extension_days", False, "", "经负责人同意延长的，填1至20（第33条）"),
    Column(
        "延期批准人", "extension_approver", False, "", "批准延期的本街镇负责人的平台账号姓名或用户名", 100
    ),
    Column("延期理由", "extension_reason", False, "", "", 200),
    Column("告知申请人延期日期", "extension_notified_on", False, ""),
    Column("办理结果", "answer_type", True, "予以公开", "可选：" + "、".join(ANSWER_NAMES)),
    Column("答复内容", "answer_detail", False, "详见答复书", "获取途径、不予公开理由或负责机关等"),
    Column("答复日期", "concluded_on", True, "2025-03-20", "视为撤回的，填视为撤回之日（补正期限届满后）"),
    Column("送达方式", "delivery", False, "邮寄送达", "可选：当面送达、邮寄送达、电子送达"),
    Column("送达日期", "delivered_on", False, ""),
]
COLUMN_KEYS = {c.key for c in REQUEST_COLUMNS}
# Names the services and actions give their errors, by the template column they come from.
SERVICE_FIELDS = {
    "signed_on": "received_on",
    "confirmed_on": "received_on",
    "items": "correction_items",
    "sent_on": "correction_sent_on",
    "deadline": "correction_deadline",
    "completed_on": "correction_completed_on",
    "days": "extension_days",
    "length": "extension_days",
    "approver": "extension_approver",
    "reason": "extension_reason",
    "notified_on": "extension_notified_on",
    "detail": "answer_detail",
    "answered_on": "concluded_on",
    "method": "delivery",
}


def _approver(name: str, region: Region) -> User | None:
    street = region.ancestor_at("street") or region
    heads = User.objects.filter(
        memberships__role__in=HEADS, memberships__unit__region=street, is_active=True
    ).distinct()
    return heads.filter(full_name=name).first() or heads.filter(username=name).first()


def _request_row(row: dict[str, str], by: Any) -> Any:
    region = _issuing_region(row["region"], by)
    ref = row["source_ref"]
    found = already(REQUESTS.kind, region, ref)
    if found is not None:
        return Existing(found)

    c = Checks()
    channel = c.run(
        lambda: _choice(row["channel"], CHANNELS, "channel", "提交方式", [str(x) for x in Channel.labels])
    )
    kind = c.run(
        lambda: _choice(
            row["applicant_kind"], APPLICANT_KINDS, "applicant_kind", "申请人类别", ["公民", "法人或其他组织"]
        )
    )
    outcome = c.run(lambda: _choice(row["answer_type"], ANSWERS, "answer_type", "办理结果", ANSWER_NAMES))
    submitted = c.date(row, "submitted_on", "提交日期", required=True)
    received = c.date(row, "received_on", "收到申请日期")
    corr_sent = c.date(row, "correction_sent_on", "告知补正日期")
    corr_deadline = c.date(row, "correction_deadline", "补正期限")
    corr_done = c.date(row, "correction_completed_on", "收到补正日期")
    tp_sent = c.date(row, "consult_sent_on", "发出征求意见书日期")
    tp_received = c.date(row, "consult_received_on", "第三方收到日期")
    tp_replied = c.date(row, "consult_replied_on", "第三方答复日期")
    ext_notified = c.date(row, "extension_notified_on", "告知申请人延期日期")
    concluded = c.date(row, "concluded_on", "答复日期", required=True)
    delivered = c.date(row, "delivered_on", "送达日期")

    for key, check in (
        ("applicant_id_number", validate_id_number),
        ("applicant_uscc", validate_uscc),
        ("applicant_phone", validate_phone),
    ):
        if row[key]:
            try:
                check(row[key])
            except ValidationError as exc:
                c.add(key, exc.messages[0])  # the reason only: the value is personal data

    if channel == Channel.IN_PERSON:
        if received is not None and submitted is not None and received != submitted:
            c.add("received_on", "当面提交的，以提交之日为收到申请之日（第31条第1项），请留空或填提交日期")
        received = submitted
    elif channel is not None and received is None and "received_on" not in c.errors:
        c.add(
            "received_on",
            "邮寄提交的，请填写本机关签收日期（第31条第2项）"
            if channel == Channel.POST
            else "通过互联网渠道或传真提交的，请填写双方确认日期（第31条第3项）",
        )

    # 补正: once, before anything else happens to the request; completed, or the request is withdrawn.
    if corr_sent is not None:
        if not row["correction_items"]:
            c.add("correction_items", "告知补正的，请填写需补正内容")
        if corr_deadline is None:
            corr_deadline = corr_sent + dt.timedelta(days=15)
        elif corr_deadline <= corr_sent:
            c.add("correction_deadline", "补正期限应晚于告知补正日期")
    else:
        for key, label in (
            ("correction_items", "需补正内容"),
            ("correction_deadline", "补正期限"),
            ("correction_completed_on", "收到补正日期"),
        ):
            if row[key]:
                c.add(key, f"填写了{label}，请同时填写告知补正日期")
    if outcome == WITHDRAWN:
        if corr_sent is None:
            c.add("answer_type", "视为撤回只适用于告知补正后申请人逾期未补正的申请，请填写告知补正日期")
        elif corr_done is not None:
            c.add("correction_completed_on", "已收到补正的申请不能视为撤回，请核对办理结果")
        elif concluded is not None and corr_deadline is not None and concluded <= corr_deadline:
            c.add("concluded_on", f"补正期限{corr_deadline.isoformat()}届满后才能视为撤回，请核对")
        for key, label in (
            ("third_party", "征求意见的第三方"),
            ("extension_days", "延长工作日数"),
            ("delivery", "送达方式"),
            ("delivered_on", "送达日期"),
        ):
            if row[key]:
                c.add(key, f"视为撤回的申请没有{label}，请留空")
    elif corr_sent is not None and corr_done is None and "correction_completed_on" not in c.errors:
        c.add(
            "correction_completed_on",
            "告知补正后作出答复的，请填写收到补正日期；逾期未补正的，办理结果填“视为撤回”",
        )

    # Third-party consultation: who, when sent, received and answered.
    consult = any(
        row[k] for k in ("third_party", "consult_sent_on", "consult_received_on", "consult_replied_on")
    )
    opinion = None
    if consult:
        for key, label in (
            ("third_party", "征求意见的第三方"),
            ("consult_sent_on", "发出征求意见书日期"),
            ("consult_received_on", "第三方收到日期"),
            ("consult_replied_on", "第三方答复日期"),
        ):
            if not row[key]:
                c.add(key, f"征求第三方意见的，请填写{label}")
        opinion = c.run(
            lambda: _choice(
                row["consult_opinion"] or "逾期未答复", OPINIONS, "consult_opinion", "第三方意见", OPINIONS
            )
        )

    # Extension: days, the head who approved it, the day the applicant was told.
    days = None
    approver = None
    if any(row[k] for k in ("extension_days", "extension_approver", "extension_notified_on")):
        try:
            days = int(row["extension_days"])
            if not 1 <= days <= 20:
                raise ValueError
        except ValueError:
            c.add("extension_days", "延长工作日数应为1至20的整数（第33条：延长期限最长不超过20个工作日）")
        if not row["extension_approver"]:
            c.add("extension_approver", "延期须经政府信息公开工作机构负责人同意，请填写批准人")
        else:
            approver = _approver(row["extension_approver"], region)
            if approver is None:
                c.add(
                    "extension_approver",
                    f"“{row['extension_approver'][:20]}”不是本街镇负责人（街镇领导）的平台账号，请填写其姓名或用户名",
                )
        if ext_notified is None and "extension_notified_on" not in c.errors:
            c.add("extension_notified_on", "延期的，请填写告知申请人延期日期")

    if (row["delivery"] or row["delivered_on"]) and outcome != WITHDRAWN:
        if not row["delivery"]:
            c.add("delivery", "填写了送达日期的，请填写送达方式")
        elif delivered is None and "delivered_on" not in c.errors:
            c.add("delivered_on", "填写了送达方式的，请填写送达日期")
    method = (
        c.run(
            lambda: _choice(
                row["delivery"], DELIVERIES, "delivery", "送达方式", [str(x) for x in Delivery.labels]
            )
        )
        if row["delivery"]
        else None
    )

    # Dates in order, none in the future: receipt, 补正, consultation, extension, conclusion, delivery.
    start = (
        ("correction_completed_on", "收到补正日期", corr_done)
        if corr_done
        else ("received_on", "收到申请日期", received)
    )
    c.order(
        [
            ("submitted_on", "提交日期", submitted),
            ("received_on", "收到申请日期", received),
            ("correction_sent_on", "告知补正日期", corr_sent),
            ("correction_completed_on", "收到补正日期", corr_done),
            ("concluded_on", "答复日期", concluded),
            ("delivered_on", "送达日期", delivered),
        ]
    )
    c.order(
        [
            start,
            ("consult_sent_on", "发出征求意见书日期", tp_sent),
            ("consult_received_on", "第三方收到日期", tp_received),
            ("consult_replied_on", "第三方答复日期", tp_replied),
            ("concluded_on", "答复日期", concluded),
        ]
    )
    c.order(
        [
            start,
            ("extension_notified_on", "告知申请人延期日期", ext_notified),
            ("concluded_on", "答复日期", concluded),
        ]
    )
    if ext_notified and tp_sent and tp_replied and tp_sent <= ext_notified < tp_replied:
        c.add(
            "extension_notified_on", "征求第三方意见期间答复期限不计算，不能在此期间延期，请核对延期告知日期"
        )
    c.raise_any()
    assert submitted is not None and received is not None and concluded is not None and outcome is not None

    fields = SERVICE_FIELDS
    step = 0

    def at(day: dt.date) -> Any:
        nonlocal step
        step += 1
        return recorded_at(_moment(day, step))

    try:
        with at(received):
            req = services.request_receive(
                by=by,
                region=region,
                channel=str(channel),
                submitted_on=submitted,
                signed_on=received,
                confirmed_on=received,
                applicant_kind=str(kind),
                applicant_name=row["applicant_name"],
                content=row["content"],
                applicant_id_number=row["applicant_id_number"],
                applicant_uscc=row["applicant_uscc"],
                applicant_phone=row["applicant_phone"],
                applicant_address=row["applicant_address"],
            )
        steps: list[tuple[dt.date, int, str, dict[str, Any]]] = []
        if corr_sent is not None:
            data = {"items": row["correction_items"], "sent_on": corr_sent, "deadline": corr_deadline}
            steps.append((corr_sent, 0, "request_correction", data))
            if corr_done is not None:
                steps.append((corr_done, 1, "complete_correction", {"completed_on": corr_done}))
        if consult:
            assert tp_sent is not None and tp_replied is not None
            data = {"third_party": row["third_party"], "sent_on": tp_sent, "received_on": tp_received}
            steps.append((tp_sent, 2, "consult", data))
            steps.append((tp_replied, 3, "third_party_reply", {"replied_on": tp_replied, "opinion": opinion}))
        if days is not None and approver is not None and ext_notified is not None:
            data = {
                "days": days,
                "approver": str(approver.pk),
                "reason": row["extension_reason"] or "经负责人同意延长答复期限（原台账未载明理由）",
                "notified_on": ext_notified,
            }
            steps.append((ext_notified, 4, "extend", data))
        for day, _, action, data in sorted(steps, key=lambda s: (s[0], s[1])):
            with at(day):
                req = transition(req, action, by=by, data=data)
        with at(concluded):
            if outcome == WITHDRAWN:
                req = transition(req, "treat_withdrawn", by=by, data={})
            else:
                data = {
                    "answer_type": outcome,
                    "detail": row["answer_detail"] or "详见答复书",
                    "answered_on": concluded,
                }
                req = transition(req, "answer", by=by, data=data)
        if method is not None and delivered is not None:
            with at(delivered):
                req = services.delivery_record(request=req, method=method, delivered_on=delivered, by=by)
    except ValidationError as exc:
        raise _row_errors(exc, fields, "answer_type") from None
    except TransitionNotAllowed as exc:
        if isinstance(exc, PermissionDenied):  # the table refuses an action: reported as such by the import
            raise
        raise RowInvalid({"answer_type": str(exc)}) from None
    end = req.concluded_on or concluded
    settle_clocks(req, on=end, by=by)
    mark_historical(req, by=by, at=_moment(end, step + 1), note=f"来源编号{ref}")
    remember(REQUESTS.kind, region, ref, req)
    return req


REQUESTS = register(
    Importer(
        "disclosure-requests",
        "依申请公开（含答复）",
        REQUEST_COLUMNS,
        _request_row,
        notes=[
            "每行一件已办结的政府信息公开申请（往年台账）：按收到、补正、征求意见、延期、答复、送达的实际日期逐步登记，"
            "答复期限按当年工作日历计算，办结后计为按期或逾期办结，不会显示为逾期未办。",
            "办理结果对应年度报告表三：予以公开、已主动公开计“予以公开”；部分公开；不予公开；信息不存在、非本机关负责公开计“无法提供”；"
            "重复申请、不属于政府信息公开申请计“不予处理”；按其他法律法规办理、视为撤回计“其他处理”。",
            "身份证号、电话属于个人信息，仅加密保存，页面只显示掩码。",
            "按来源编号识别：同一编号再次导入不会重复登记。",
        ],
        capability="disclosure.import",
        group="政务公开",
        description="往年已办结的政府信息公开申请及其答复，按实际日期计算答复期限。",
    )
)


# --- proactive disclosure -----------------------------------------------------------------------------


def _proactive_row(row: dict[str, str], by: Any) -> Any:
    region = _issuing_region(row["region"], by)
    ref = row["source_ref"]
    found = already(PROACTIVE.kind, region, ref)
    if found is not None:
        return Existing(found)
    c = Checks()
    made = c.date(row, "made_on", "形成或变更日期", required=True)
    published = c.date(row, "published_on", "公开日期", required=True)
    c.order([("made_on", "形成或变更日期", made), ("published_on", "公开日期", published)])
    c.raise_any()
    assert made is not None and published is not None
    fields = {"title": "title", "where": "where", "published_on": "published_on", "region": "region"}
    try:
        with recorded_at(_moment(made, 1)):
            item = services.proactive_item_record(
                by=by, region=region, title=row["title"], made_on=made, category=row["category"]
            )
        with recorded_at(_moment(published, 2)):
            item = services.proactive_item_publish(
                item=item, published_on=published, where=row["where"], by=by
            )
    except ValidationError as exc:
        raise _proactive_errors(exc, fields) from None
    settle_clocks(item, on=published, by=by)
    mark_historical(item, by=by, at=_moment(published, 3), note=f"来源编号{ref}")
    remember(PROACTIVE.kind, region, ref, item)
    return item


def _proactive_errors(exc: ValidationError, fields: dict[str, str]) -> RowInvalid:
    if hasattr(exc, "error_dict"):
        return RowInvalid({fields.get(k, "title"): "；".join(v) for k, v in exc.message_dict.items()})
    return RowInvalid({"title": "；".join(exc.messages)})


PROACTIVE = register(
    Importer(
        "disclosure-proactive",
        "主动公开事项",
        [
            Column(
                "来源编号", "source_ref", True, "2025-主动-001", "本街镇台账中的编号；同一编号只导入一次", 80
            ),
            Column("公开主体区划代码", "region", True, "990100001", "街镇（或区）的区划代码"),
            Column("信息名称", "title", True, "2025年街道财政预算（示例）", "", 200),
            Column("类别", "category", False, "财政预决算", "年度报告按类别统计", 50),
            Column(
                "形成或变更日期", "made_on", True, "2025-03-03", "自此日起20个工作日内公开为按期（第26条）"
            ),
            Column("公开日期", "published_on", True, "2025-03-10"),
            Column("公开载体", "where", True, "街道门户网站", "如：街道门户网站、政务公开栏", 100),
        ],
        _proactive_row,
        notes=[
            "每行一条往年已公开的主动公开信息：公开时限按形成或变更日期起20个工作日（当年工作日历）计算，"
            "计为按期或逾期公开。",
            "按来源编号识别：同一编号再次导入不会重复登记。",
        ],
        capability="disclosure.proactive",
        group="政务公开",
        description="往年主动公开的信息及其形成、公开日期。",
    )
)
