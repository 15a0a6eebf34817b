"""Choices of the disputes domain (GLOSSARY.md: 矛盾纠纷多元化解)."""

from django.db import models


class DisputeState(models.TextChoices):
    RECEIVED = "received", "已登记"
    TRIAGED = "triaged", "已研判"
    ASSIGNED = "assigned", "已分派"
    MEDIATING = "mediating", "调解中"
    AGREED = "agreed", "已达成协议"
    CLOSED = "closed", "已结案"
    FAILED = "failed", "调解不成"
    TERMINATED = "terminated", "终止调解"
    TRANSFERRED = "transferred", "已移交"
    NOT_ACCEPTED = "not_accepted", "不予受理"


OPEN_STATES = (
    DisputeState.RECEIVED,
    DisputeState.TRIAGED,
    DisputeState.ASSIGNED,
    DisputeState.MEDIATING,
    DisputeState.AGREED,
)


class Source(models.TextChoices):
    WALK_IN = "walk_in", "来访"
    PHONE = "phone", "来电"
    GRID_PATROL = "grid_patrol", "网格巡查"
    BLOCK_REPORT = "block_report", "楼组报告"
    HOTLINE_12345 = "hotline_12345", "12345热线"
    POLICE_110 = "police_110", "110非警务警情"
    CITY_OPERATIONS = "city_operations", "一网统管"
    DEPARTMENT = "department", "部门移送"
    PETITION_OFFICE = "petition_office", "信访转办"
    COURT_REFERRAL = "court_referral", "法院诉前委派"
    ONLINE = "online", "网上申请"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    THIRD_PARTY = "third_party", "第三人"


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "单位"


class RiskLevel(models.TextChoices):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"
    MAJOR = "major", "重大"


RISK_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.MAJOR]


class Route(models.TextChoices):
    COMMUNITY = "community", "居村自行化解（简易）"
    STREET = "street", "街镇联合化解（复杂）"


class TransferBody(models.TextChoices):
    PETITION = "petition", "信访部门"
    RECONSIDERATION = "reconsideration", "行政复议机关"
    COURT = "court", "人民法院"
    ARBITRATION = "arbitration", "仲裁机构"
    LABOUR_ARBITRATION = "labour_arbitration", "劳动人事争议仲裁委员会"
    POLICE = "police", "公安机关"


class AgreementKind(models.TextChoices):
    WRITTEN = "written", "书面协议"
    ORAL = "oral", "口头协议"


class FailurePath(models.TextChoices):
    LITIGATION = "litigation", "引导诉讼"
    ARBITRATION = "arbitration", "引导仲裁"
    ADMINISTRATIVE = "administrative", "引导行政途径"


class Fulfilment(models.TextChoices):
    FULFILLED = "fulfilled", "已履行"
    PARTLY = "partly", "部分履行"
    NOT = "not", "未履行"


class ConfirmationDecision(models.TextChoices):
    CONFIRMED = "confirmed", "确认有效"
    REJECTED = "rejected", "驳回申请"
