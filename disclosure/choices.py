"""Choices of open government information on request (政府信息公开条例 2019)."""

from django.db import models


class RequestState(models.TextChoices):
    RECEIVED = "received", "办理中"
    CORRECTION = "correction", "待补正"
    CONSULTING = "consulting", "征求第三方意见"
    ANSWERED = "answered", "已答复"
    WITHDRAWN = "withdrawn", "视为撤回"


class Channel(models.TextChoices):
    """第31条: the receipt date depends on how the request was submitted."""

    IN_PERSON = "in_person", "当面提交"
    POST = "post", "邮寄"
    ONLINE = "online", "互联网渠道"
    FAX = "fax", "传真"


class ApplicantKind(models.TextChoices):
    PERSON = "person", "公民"
    ORGANISATION = "organisation", "法人或其他组织"


class AnswerType(models.TextChoices):
    """第36条 (一)-(七), 第37条 and 第39条."""

    ALREADY_PUBLIC = "already_public", "已主动公开（告知获取方式和途径）"
    DISCLOSED = "disclosed", "予以公开"
    PARTLY = "partly", "部分公开（第37条）"
    NOT_DISCLOSED = "not_disclosed", "不予公开（说明理由）"
    NOT_EXIST = "not_exist", "信息不存在"
    NOT_OURS = "not_ours", "非本机关负责公开（告知负责机关）"
    REPEAT = "repeat", "重复申请"
    SPECIAL_LAW = "special_law", "按其他法律法规办理"
    NOT_A_REQUEST = "not_a_request", "不属于政府信息公开申请（第39条）"


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "当面送达"
    POST = "post", "邮寄送达"
    ONLINE = "online", "电子送达"
