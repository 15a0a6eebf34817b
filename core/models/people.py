from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models

from core.personal import EncryptedCharField
from core.roles import Role
from core.scoping import ScopedManager

from .regions import Region, Unit

USER_DELETE_REFUSED = (
    "账号不能删除：审计链中的记录引用了它。请取消“有效”勾选以停用该账号（停用后不能登录，历史记录保留）。"
)


class User(AbstractUser):
    """平台账号：街镇、区级工作人员。所见范围由其在各单位的任职（Membership）决定。

    Accounts are deactivated (``is_active``), never deleted: the change log and the timelines
    name them (``on_delete=PROTECT``) and the hash chains would break without them.
    """

    full_name = models.CharField("姓名", max_length=50, blank=True)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionDenied(USER_DELETE_REFUSED)

    class Meta(AbstractUser.Meta):
        verbose_name = "账号"
        verbose_name_plural = "账号"
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:  # Django's admin and messages: the person's name, not first + last name
        return self.display_name


class Membership(models.Model):
    """任职：某账号在某单位以某角色工作。角色决定能做什么，单位所在区域决定能看什么。"""

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    title = models.CharField("职务", max_length=50, blank=True)
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_path = "unit__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="core_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class PersonKind(models.TextChoices):
    MEDIATOR = "mediator", "人民调解员"
    BLOCK_PEACEMAKER = "block_peacemaker", "楼组老娘舅"
    GRID_WORKER = "grid_worker", "网格员"
    LEGAL_ADVISOR = "legal_advisor", "法律顾问"
    PUBLIC_LAWYER = "public_lawyer", "公职律师"
    EXPERT = "expert", "咨询专家"
    OBSERVER = "observer", "法治观察员"
    LEGAL_LITERATE = "legal_literate", "法律明白人"
    OFFICER = "officer", "行政执法人员"
    STAFF = "staff", "工作人员"


class Person(models.Model):
    """名册人员：调解员、法律顾问、专家、观察员、法律明白人等，可以没有平台账号。

    身份证号和电话加密存储，旁附带密钥的哈希用于查找与重复识别；页面只显示掩码。
    """

    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("名册类别", max_length=32, choices=PersonKind.choices)
    region = models.ForeignKey(
        Region, verbose_name="所属区域", on_delete=models.PROTECT, related_name="people"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    paired_region = models.ForeignKey(
        Region,
        verbose_name="结对居村",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paired_people",
        help_text="法律顾问一居（村）一顾问的结对居村",
    )
    id_number = EncryptedCharField("身份证号", blank=True, mask="id_number")
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedCharField("联系电话", blank=True, mask="phone")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    specialties = models.CharField("专长", max_length=200, blank=True, help_text="多个专长用顿号或逗号分隔")
    legal_qualification = models.BooleanField("具有法律职业资格", default=False)
    user = models.OneToOneField(
        User, verbose_name="平台账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    active = models.BooleanField("在册", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "名册人员"
        verbose_name_plural = "名册人员"
        ordering = ["region__path", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def specialty_list(self) -> list[str]:
        return [s for s in self.specialties.replace("，", "、").replace(",", "、").split("、") if s]


class RevealLog(models.Model):
    """个人信息查看记录：谁在何时、因何查看了哪条记录的哪个完整字段。"""

    user = models.ForeignKey(User, verbose_name="查看人", on_delete=models.PROTECT, related_name="reveals")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField("字段", max_length=50)
    region_path = models.CharField("所属区域路径", max_length=255, blank=True, db_index=True)
    reason = models.CharField("查看事由", max_length=200)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("查看时间", auto_now_add=True)

    scope_path = "region_path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M} {self.field}"


class ApiToken(models.Model):
    """接口令牌：其他系统（如12345、一网统管）以 ``Authorization: Bearer <token>`` 调用接口。

    每个令牌按调用系统命名，只存令牌的 SHA-256；到期、被本人吊销或账号改密码后即失效。
    """

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("调用系统", max_length=60, default="接口调用")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=8)
    # The account's session hash when the token was issued: a password change invalidates the token.
    password_stamp = models.CharField(max_length=128, default="")
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="one_token_per_client_name")]

    def __str__(self) -> str:
        return f"{self.user} {self.name}（{self.prefix}…）"

    @property
    def status(self) -> str:
        from django.utils import timezone

        if self.revoked_at is not None:
            return "已吊销"
        if self.expires_at < timezone.now():
            return "已过期"
        if self.password_stamp != self.user.get_session_auth_hash():
            return "已失效（密码已修改）"
        return "有效"
