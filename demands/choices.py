"""Choices of the demands domain (GLOSSARY.md: 12345工单 — dispatch, return, completion, call-back)."""

from django.db import models


class OrderState(models.TextChoices):
    RECEIVED = "received", "待派单"
    DISPATCHED = "dispatched", "已派单待签收"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已办结待回访"
    CLOSED = "closed", "已回访结案"


OPEN_STATES = (OrderState.RECEIVED, OrderState.DISPATCHED, OrderState.HANDLING)


class OrderKind(models.TextChoices):
    CONSULTATION = "consultation", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"


class TimeClass(models.TextChoices):
    """The time-limit class of an order: the rule its handling clock runs on (a district may set the lengths)."""

    CONSULTATION = "consultation", "咨询类"
    ORDINARY = "ordinary", "求助、投诉类"


RULE_OF_CLASS = {TimeClass.CONSULTATION: "hotline.consultation", TimeClass.ORDINARY: "hotline.ordinary"}


class ReturnReason(models.TextChoices):
    NOT_DUTY = "not_duty", "不属于本单位职责"
    OUT_OF_AREA = "out_of_area", "不属于本街镇辖区"
    DUPLICATE = "duplicate", "重复工单"
    UNCLEAR = "unclear", "诉求不清且无法联系来电人"


class Resolution(models.TextChoices):
    RESOLVED = "resolved", "已解决"
    EXPLAINED = "explained", "已解释说明"
    UNRESOLVED = "unresolved", "暂不能解决（已说明原因）"


class Callback(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


SATISFIED = (Callback.SATISFIED, Callback.BASIC)


class PetitionState(models.TextChoices):
    RECEIVED = "received", "已登记"
    ACCEPTED = "accepted", "已受理办理中"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    TRANSFERRED = "transferred", "已转送有权机关"
    ANSWERED = "answered", "已出具处理意见"
    REVIEWING = "reviewing", "复查中"
    REVIEWED = "reviewed", "已复查"
    RECHECKING = "rechecking", "复核中"
    CLOSED = "closed", "已办结"


PETITION_OPEN = (
    PetitionState.RECEIVED,
    PetitionState.ACCEPTED,
    PetitionState.REVIEWING,
    PetitionState.RECHECKING,
)


class Channel(models.TextChoices):
    VISIT = "visit", "来访"
    LETTER = "letter", "来信"
    ONLINE = "online", "网上信访"
    PHONE = "phone", "来电"


class Opinion(models.TextChoices):
    """信访处理意见 (《信访工作条例》第32条)."""

    SUPPORT = "support", "予以支持"
    EXPLAIN = "explain", "解释说明"
    NOT_SUPPORT = "not_support", "不予支持"


class ReviewResult(models.TextChoices):
    UPHELD = "upheld", "维持原处理意见"
    CHANGED = "changed", "变更原处理意见"
    REVOKED = "revoked", "撤销原处理意见、重新办理"


GROUP_SIZE = 5  # people in one petition from which it is a group petition (集体访)
