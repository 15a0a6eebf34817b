"""The demo: a fictional district with 示例街道 (39 communities) and a small 示例二街道.

Every name is marked 示例; ID numbers carry valid GB 11643 check digits but fictional area
codes (99xxxx) and phone numbers sit in a fictional block; generation is deterministic from a
seed and goes through the same services as real data, so the change log is real too.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from core import services
from core.audit.context import acting_as
from core.db import atomic
from core.models import Region, Unit, User
from core.models.people import PersonKind
from core.models.regions import RegionLevel, UnitKind
from core.personal import id_number_check_char
from core.roles import Role

DEMO_PASSWORD = "demo-fazhi-2026"
CITY_CODE = "990000"
DISTRICT_CODE = "990100"
STREET_CODE = "990100001"
STREET2_CODE = "990100002"

COMMUNITY_WORDS = [
    "梅园",
    "竹林",
    "兰亭",
    "松涛",
    "桂香",
    "荷塘",
    "枫林",
    "柳岸",
    "杏花",
    "桃源",
    "海棠",
    "芙蓉",
    "紫薇",
    "银杏",
    "樱花",
    "丁香",
    "茉莉",
    "月桂",
    "芝兰",
    "青松",
    "翠竹",
    "明珠",
    "春晖",
    "秋实",
    "夏荫",
    "冬青",
    "晨曦",
    "星河",
    "云台",
    "锦绣",
    "和平",
    "幸福",
    "康乐",
    "安居",
    "永安",
    "新华",
    "东明",
    "南苑",
    "北辰",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆鹏辉"
EXPERT_FIELDS = [
    "婚姻家庭",
    "房屋宅基地",
    "物业",
    "劳动争议",
    "医疗",
    "道路交通",
    "建筑工程",
    "心理疏导",
    "消费",
    "合同",
]

DEMO_ACCOUNTS = [
    ("demo-district", "区级工作人员", "区司法局", Role.DISTRICT_STAFF),
    ("demo-leader", "街镇领导", "党工委办事处", Role.STREET_LEADER),
    ("demo-justice", "司法所协调员", "司法所", Role.JUSTICE_COORDINATOR),
    ("demo-reviewer", "公职律师", "司法所", Role.REVIEWER),
    ("demo-mediator", "调解员（第一居民区）", "community:0", Role.MEDIATOR),
    ("demo-mediator2", "调解员（第二居民区）", "community:1", Role.MEDIATOR),
    ("demo-officer", "执法人员", "综合行政执法队", Role.OFFICER),
    ("demo-hotline", "热线和信访工作人员", "信访办", Role.HOTLINE),
    ("demo-auditor", "审计人员（只读）", "党工委办事处", Role.AUDITOR),
    ("demo-other", "示例二街道司法所协调员", "street2:司法所", Role.JUSTICE_COORDINATOR),
]


@dataclass
class DemoResult:
    regions: int = 0
    units: int = 0
    users: int = 0
    people: int = 0
    accounts: list[tuple[str, str]] = field(default_factory=list)


class Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.serial = 0

    def name(self) -> str:
        while True:
            n = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
            )
            if n not in self.used_names:
                self.used_names.add(n)
                return f"{n}（示例）"

    def id_number(self) -> str:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 365 * 50))
        first17 = f"{DISTRICT_CODE}{born:%Y%m%d}{self.rng.randrange(0, 1000):03d}"
        return first17 + id_number_check_char(first17)

    def phone(self) -> str:
        self.serial += 1
        return f"1990000{self.serial:04d}"


def demo_loaded() -> bool:
    return Region.objects.filter(code=CITY_CODE).exists()


@atomic
def load_demo(*, seed: int = 20261123) -> DemoResult:
    g = Gen(seed)
    r = DemoResult()
    with acting_as(None, "demo-load"):

        def region(code: str, name: str, level: str, parent: Region | None) -> Region:
            r.regions += 1
            return services.region_create(code=code, name=name, level=level, parent=parent, by=None)

        def unit(name: str, kind: str, reg: Region, **extra: Any) -> Unit:
            r.units += 1
            return services.unit_create(name=name, kind=kind, region=reg, by=None, **extra)

        city = region(CITY_CODE, "示例市", RegionLevel.CITY, None)
        district = region(DISTRICT_CODE, "示例区", RegionLevel.DISTRICT, city)
        street = region(STREET_CODE, "示例街道", RegionLevel.STREET, district)
        street2 = region(STREET2_CODE, "示例二街道", RegionLevel.STREET, district)

        district_units = {"区司法局": unit("示例区司法局", UnitKind.DISTRICT_OFFICE, district)}
        specs = [
            ("党工委办事处", UnitKind.LEADERSHIP),
            ("党政办", UnitKind.DEPARTMENT),
            ("平安办", UnitKind.DEPARTMENT),
            ("信访办", UnitKind.DEPARTMENT),
            ("营商办", UnitKind.DEPARTMENT),
            ("社工办", UnitKind.DEPARTMENT),
            ("司法所", UnitKind.JUSTICE_OFFICE),
            ("综合行政执法队", UnitKind.ENFORCEMENT_TEAM),
            ("派出所", UnitKind.POLICE_STATION),
            ("市场监管所", UnitKind.MARKET_REGULATION),
            ("人民调解委员会", UnitKind.MEDIATION_COMMITTEE),
            ("公共法律服务站", UnitKind.LEGAL_SERVICE_STATION),
        ]
        street_units = {key: unit(f"示例街道{key}", kind, street) for key, kind in specs}
        street_units["调解工作室"] = unit("示例春晖调解工作室", UnitKind.MEDIATION_STUDIO, street)
        firms = [
            unit("示例明理律师事务所", UnitKind.LAW_FIRM, street, uscc=_uscc(g, "31")),
            unit("示例公正律师事务所", UnitKind.LAW_FIRM, street, uscc=_uscc(g, "31")),
        ]
        street2_units = {
            key: unit(f"示例二街道{key}", kind, street2) for key, kind in specs[:7] + specs[10:11]
        }

        communities: list[Region] = []
        committees: list[Unit] = []
        for i, word in enumerate(COMMUNITY_WORDS, start=1):
            code = f"{STREET_CODE}{i:03d}"
            c = region(code, f"示例{word}居民区", RegionLevel.COMMUNITY, street)
            communities.append(c)
            for j in range(1, 3 + (i % 3)):
                region(f"{code}{j:03d}", f"示例{word}第{j}网格", RegionLevel.GRID, c)
            unit(f"示例{word}居民委员会", UnitKind.NEIGHBOURHOOD_COMMITTEE, c)
            committees.append(unit(f"示例{word}居民区人民调解委员会", UnitKind.MEDIATION_COMMITTEE, c))
            unit(f"示例{word}公共法律服务室", UnitKind.LEGAL_SERVICE_ROOM, c)
        communities2: list[Region] = []
        for i, word in enumerate(["东风", "西岭", "南湖"], start=1):
            code = f"{STREET2_CODE}{i:03d}"
            c = region(code, f"示例二{word}居民区", RegionLevel.COMMUNITY, street2)
            communities2.append(c)
            region(f"{code}001", f"示例二{word}第1网格", RegionLevel.GRID, c)
            unit(f"示例二{word}居民区人民调解委员会", UnitKind.MEDIATION_COMMITTEE, c)

        # Demo accounts (can sign in) ---------------------------------------------------------
        def account(username: str, full_name: str, where: str, role: str, password: str | None) -> User:
            if where.startswith("community:"):
                target = committees[int(where.split(":")[1])]
            elif where.startswith("street2:"):
                target = street2_units[where.split(":")[1]]
            else:
                target = district_units.get(where) or street_units[where]
            user = services.user_create(
                username=username,
                full_name=full_name,
                password=password,
                by=None,
                is_staff=role in {Role.DISTRICT_STAFF, Role.JUSTICE_COORDINATOR, Role.AUDITOR},
            )
            services.membership_grant(user=user, unit=target, role=role, by=None)
            r.users += 1
            return user

        for username, label, where, role in DEMO_ACCOUNTS:
            account(username, f"{label}（示例）", where, role, DEMO_PASSWORD)
            r.accounts.append((username, label))

        # Other staff (no password: they exist so lists and assignment have real people) -------
        staff_plan = [
            ("党政办", Role.UNIT_STAFF, 3),
            ("平安办", Role.UNIT_STAFF, 3),
            ("信访办", Role.UNIT_STAFF, 3),
            ("营商办", Role.UNIT_STAFF, 2),
            ("社工办", Role.UNIT_STAFF, 2),
            ("司法所", Role.JUSTICE_COORDINATOR, 3),
            ("司法所", Role.REVIEWER, 1),
            ("综合行政执法队", Role.OFFICER, 8),
            ("派出所", Role.UNIT_STAFF, 2),
            ("市场监管所", Role.OFFICER, 2),
            ("党工委办事处", Role.STREET_LEADER, 3),
            ("人民调解委员会", Role.MEDIATOR, 3),
            ("调解工作室", Role.MEDIATOR, 3),
        ]
        n = 0
        for key, role, count in staff_plan:
            for _ in range(count):
                n += 1
                account(f"staff{n:03d}", g.name(), key, role, None)
        for idx in range(2, 15):
            n += 1
            account(f"staff{n:03d}", g.name(), f"community:{idx}", Role.MEDIATOR, None)

        # Rosters ------------------------------------------------------------------------------
        def person(**values: Any) -> None:
            services.person_create(by=None, id_number=g.id_number(), phone=g.phone(), **values)
            r.people += 1

        for c, committee in zip(communities, committees, strict=True):
            for _ in range(2 + g.rng.randrange(2)):
                person(
                    name=g.name(),
                    kind=PersonKind.MEDIATOR,
                    region=c,
                    unit=committee,
                    specialties="、".join(g.rng.sample(EXPERT_FIELDS[:6], 2)),
                )
            person(
                name=g.name(),
                kind=PersonKind.LEGAL_ADVISOR,
                region=street,
                unit=g.rng.choice(firms),
                paired_region=c,
                legal_qualification=True,
                specialties="民事、行政",
            )
            person(name=g.name(), kind=PersonKind.BLOCK_PEACEMAKER, region=c)
            person(name=g.name(), kind=PersonKind.LEGAL_LITERATE, region=c)
        for c in communities2:
            person(name=g.name(), kind=PersonKind.MEDIATOR, region=c, specialties="邻里")
        for spec in EXPERT_FIELDS + EXPERT_FIELDS[:2]:
            person(
                name=g.name(),
                kind=PersonKind.EXPERT,
                region=street,
                specialties=spec,
                legal_qualification=spec in {"劳动争议", "合同", "婚姻家庭"},
            )
        for _ in range(2):
            person(
                name=g.name(),
                kind=PersonKind.PUBLIC_LAWYER,
                region=street,
                unit=street_units["司法所"],
                legal_qualification=True,
                specialties="合法性审查",
            )
        for c in g.rng.sample(communities, 10):
            person(name=g.name(), kind=PersonKind.OBSERVER, region=c)
        for _ in range(6):
            person(
                name=g.name(),
                kind=PersonKind.MEDIATOR,
                region=street,
                unit=street_units["调解工作室"],
                specialties="、".join(g.rng.sample(EXPERT_FIELDS, 2)),
            )
    return r


def _uscc(g: Gen, head: str) -> str:
    from core.personal import _USCC_CHARS, uscc_check_char

    body = head + DISTRICT_CODE + "".join(g.rng.choice(_USCC_CHARS[:10]) for _ in range(9))
    return body + uscc_check_char(body)
