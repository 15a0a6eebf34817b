"""Choices of the enforcement domain (GLOSSARY.md: 行政执法)."""

from django.db import models


class CaseState(models.TextChoices):
    FILED = "filed", "已立案"
    NOTIFIED = "notified", "已事先告知"
    DECIDED = "decided", "已作出决定"
    SERVED = "served", "已送达"
    CLOSED = "closed", "已结案归档"
    REVOKED = "revoked", "决定被撤销或变更"
    DROPPED = "dropped", "撤销立案"


OPEN_STATES = (CaseState.FILED, CaseState.NOTIFIED, CaseState.DECIDED, CaseState.SERVED)


class Procedure(models.TextChoices):
    SIMPLE = "simple", "简易程序"
    ORDINARY = "ordinary", "普通程序"


class Source(models.TextChoices):
    INSPECTION = "inspection", "日常巡查"
    COMPLAINT = "complaint", "投诉举报"
    HOTLINE = "hotline_12345", "12345热线工单"
    REFERRAL = "referral", "其他机关移送"
    DISPUTE = "dispute", "矛盾纠纷中发现"
    RANDOM = "random_inspection", "双随机抽查"


class PartyKind(models.TextChoices):
    PERSON = "person", "公民"
    ORGANISATION = "organisation", "法人或其他组织"


class Outcome(models.TextChoices):
    FINE = "fine", "罚款"
    WARNING = "warning", "警告"
    FINE_AND_CONFISCATION = "fine_confiscation", "罚款并没收违法所得"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    FIRST_OFFENCE = "first_offence", "首违不罚"


PENALTY_OUTCOMES = (Outcome.FINE, Outcome.WARNING, Outcome.FINE_AND_CONFISCATION)
WAIVED_OUTCOMES = (Outcome.NO_PENALTY, Outcome.FIRST_OFFENCE)


class ServiceMethod(models.TextChoices):
    DIRECT = "direct", "直接送达"
    ONSITE = "onsite", "当场交付"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达（经当事人同意）"
    ANNOUNCEMENT = "announcement", "公告送达"


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", "书证"
    PHOTO = "photo", "现场照片"
    RECORDING = "recording", "执法记录仪音像"
    INSPECTION = "inspection", "现场检查（勘验）笔录"
    QUESTIONING = "questioning", "询问笔录"
    STATEMENT = "statement", "当事人陈述、申辩"
    OTHER = "other", "其他证据"


class SubjectKind(models.TextChoices):
    SHOP = "shop", "沿街商铺"
    FIRM = "firm", "企业"
    SITE = "site", "建设工地"
    MARKET = "market", "市场"
    OTHER = "other", "其他"


class InspectionResult(models.TextChoices):
    PENDING = "pending", "待检查"
    COMPLIANT = "compliant", "未发现问题"
    CORRECTED = "corrected", "发现问题，责令改正"
    CASE = "case", "发现违法行为，已立案"
    NOT_FOUND = "not_found", "检查对象无法找到"
