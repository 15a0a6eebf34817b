"""Choices of the respondent domain (GLOSSARY.md: 行政复议 / 行政诉讼 / 行政应诉 / 负责人出庭应诉 / 整改)."""

from django.db import models


class CaseState(models.TextChoices):
    RECEIVED = "received", "已收到副本"
    REPLIED = "replied", "已答复（答辩）"
    DECIDED = "decided", "已作出决定（裁判）"
    APPEALED = "appealed", "上诉中"
    CLOSED = "closed", "已结案"


class Kind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION = "litigation", "行政诉讼"


class ActKind(models.TextChoices):
    ENFORCEMENT = "enforcement", "行政处罚决定"
    DISCLOSURE = "disclosure", "政府信息公开答复"
    DECISION = "decision", "重大行政决策"
    OTHER = "other", "其他行政行为"


class Outcome(models.TextChoices):
    """行政复议法（2023）第63-74条 and 行政诉讼法's judgments and rulings."""

    CHANGED = "changed", "变更"
    ANNULLED = "annulled", "撤销"
    ANNULLED_REDO = "annulled_redo", "撤销并责令重新作出"
    CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法"
    ORDERED_TO_ACT = "ordered_to_act", "责令履行"
    CONFIRMED_VOID = "confirmed_void", "确认无效"
    UPHELD = "upheld", "维持"
    REJECTED = "rejected", "驳回请求"
    MEDIATED = "mediated", "调解结案"
    SETTLED = "settled", "和解（撤回申请、撤诉）"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    DISMISSED = "dismissed", "驳回申请（起诉）"
    TERMINATED = "terminated", "终止"


# Outcomes against the street: corrected (纠错) on reconsideration, lost (败诉) in court
ADVERSE = (
    Outcome.CHANGED,
    Outcome.ANNULLED,
    Outcome.ANNULLED_REDO,
    Outcome.CONFIRMED_ILLEGAL,
    Outcome.ORDERED_TO_ACT,
    Outcome.CONFIRMED_VOID,
)
UPHELD = (Outcome.UPHELD, Outcome.REJECTED)
# An enforcement decision these outcomes take away: its publicity is withdrawn (行政处罚法 第48条: 变更、撤销、确认违法
# 或者确认无效)
REVOKING = (
    Outcome.CHANGED,
    Outcome.ANNULLED,
    Outcome.ANNULLED_REDO,
    Outcome.CONFIRMED_ILLEGAL,
    Outcome.CONFIRMED_VOID,
)


class Appearance(models.TextChoices):
    """Who appeared for the street at a hearing (行政诉讼法 第3条第3款; 法释〔2018〕1号 第128-132条)."""

    HEAD = "head", "行政机关负责人（正职）出庭"
    DEPUTY = "deputy", "分管负责人出庭"
    STAFF = "staff", "相应工作人员出庭（负责人未出庭）"


HEAD_APPEARED = (Appearance.HEAD, Appearance.DEPUTY)


class Instance(models.TextChoices):
    FIRST = "first", "一审（复议）"
    SECOND = "second", "二审"
