from __future__ import annotations

from django.db import models

from core.scoping import ScopedManager


class RegionLevel(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区"
    STREET = "street", "街镇"
    COMMUNITY = "community", "居村"
    GRID = "grid", "网格"


LEVEL_ORDER = [
    RegionLevel.CITY,
    RegionLevel.DISTRICT,
    RegionLevel.STREET,
    RegionLevel.COMMUNITY,
    RegionLevel.GRID,
]


class Region(models.Model):
    """行政区划（市 > 区 > 街镇 > 居村 > 网格）。

    ``path`` is the materialized path of official codes ("/310000/310115/310115007/"), so a
    subtree is one indexed prefix query. Create regions through ``core.services.region_create``.
    """

    code = models.CharField("区划代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_path = "path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "区域"
        verbose_name_plural = "区域"
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="core_region_path_like", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def is_within(self, other: Region) -> bool:
        return self.path.startswith(other.path)

    def ancestor_prefixes(self) -> list[str]:
        parts = [p for p in self.path.split("/") if p]
        return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]

    def ancestor_at(self, level: str) -> Region | None:
        """This region or its ancestor at ``level`` (one indexed query, remembered on the instance)."""
        if self.level == level:
            return self
        cache = self.__dict__.setdefault("_ancestors", {})
        if level not in cache:
            cache[level] = Region.objects.filter(path__in=self.ancestor_prefixes(), level=level).first()
        return cache[level]


class UnitKind(models.TextChoices):
    LEADERSHIP = "leadership", "党工委、办事处"
    DEPARTMENT = "department", "部门"
    JUSTICE_OFFICE = "justice_office", "司法所"
    POLICE_STATION = "police_station", "派出所"
    MARKET_REGULATION = "market_regulation", "市场监管所"
    ENFORCEMENT_TEAM = "enforcement_team", "综合行政执法队"
    MEDIATION_COMMITTEE = "mediation_committee", "人民调解委员会"
    MEDIATION_STUDIO = "mediation_studio", "调解工作室"
    LEGAL_SERVICE_STATION = "legal_service_station", "公共法律服务站"
    LEGAL_SERVICE_ROOM = "legal_service_room", "公共法律服务室"
    LAW_FIRM = "law_firm", "律师事务所"
    COURT = "court", "法院/法庭"
    NEIGHBOURHOOD_COMMITTEE = "neighbourhood_committee", "居（村）委会"
    DISTRICT_OFFICE = "district_office", "区级部门"
    OTHER = "other", "其他"


class Unit(models.Model):
    """单位：街镇的部门、派驻机构、调委会、调解工作室、法律服务站室、律所等，位于某个区域。"""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=32, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name="所在区域", on_delete=models.PROTECT, related_name="units"
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    phone = models.CharField("办公电话", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="core_unit_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name
