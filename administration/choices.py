from django.db import models


class ReviewKind(models.TextChoices):
    MAJOR_DECISION = "major_decision", "重大行政决策"
    NORMATIVE_DOCUMENT = "normative_document", "行政规范性文件"
    CONTRACT = "contract", "合同"
    ENFORCEMENT_DECISION = "enforcement_decision", "重大行政执法决定"
    OTHER = "other", "其他（政策措施、会议议题等）"


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", "已送审"
    REVIEWING = "reviewing", "审查中"
    OPINION_GIVEN = "opinion_given", "已出具意见"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


class Conclusion(models.TextChoices):
    LAWFUL = "lawful", "合法"
    LAWFUL_WITH_CHANGES = "lawful_with_changes", "修改后合法"
    UNLAWFUL = "unlawful", "不合法"


class Aspect(models.TextChoices):
    AUTHORITY = "authority", "主体权限"
    PROCEDURE = "procedure", "程序"
    CONTENT = "content", "内容"
    LEGAL_BASIS = "legal_basis", "法律依据"


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class DecisionState(models.TextChoices):
    DRAFTING = "drafting", "起草中"
    PUBLIC_COMMENT = "public_comment", "公开征求意见"
    LEGALITY_REVIEW = "legality_review", "合法性审查"
    DISCUSSED = "discussed", "已集体讨论"
    DECIDED = "decided", "已决定"
    PUBLISHED = "published", "已公布"
    ARCHIVED = "archived", "已归档"


class CatalogueState(models.TextChoices):
    DRAFTING = "drafting", "编制中"
    APPROVED = "approved", "已审定"
    PUBLISHED = "published", "已公布"


class NormativeState(models.TextChoices):
    DRAFTING = "drafting", "起草中"
    PUBLIC_COMMENT = "public_comment", "公开征求意见"
    LEGALITY_REVIEW = "legality_review", "合法性审查"
    DELIBERATED = "deliberated", "已集体审议"
    PUBLISHED = "published", "已公布施行"
    REVISED = "revised", "已修订（被替代）"
    ABOLISHED = "abolished", "已废止"
    EXPIRED = "expired", "已失效"


class CleanupDecision(models.TextChoices):
    CONTINUE = "continue", "继续有效"
    REVISE = "revise", "修订"
    ABOLISH = "abolish", "废止"
