"""Risk triage (风险研判): transparent rules, each with the reason it fired.

Thresholds come from the district's ``RiskSettings`` (admin-editable), else the defaults below.
The level is the highest any rule gives; a manual override needs a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.memo import remembered

from .choices import RISK_ORDER, RiskLevel


@dataclass(frozen=True)
class Thresholds:
    group_people: int = 5
    repeat_count: int = 3
    repeat_days: int = 90
    amount: Decimal = Decimal("100000")
    sensitive_periods: tuple[tuple[dt.date, dt.date, str], ...] = ()


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    reason: str


def thresholds_for(region: Any) -> Thresholds:
    from .models import RiskSettings

    prefixes = [p for p in _prefixes(region.path)]
    setting = remembered(
        ("risk_settings", region.path),
        lambda: RiskSettings.objects.filter(region__path__in=prefixes).order_by("-region__path").first(),
    )
    if setting is None:
        return Thresholds()
    periods = []
    for line in setting.sensitive_periods.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            try:
                periods.append(
                    (
                        dt.date.fromisoformat(parts[0]),
                        dt.date.fromisoformat(parts[1]),
                        " ".join(parts[2:]) or "敏感时期",
                    )
                )
            except ValueError:
                continue
    return Thresholds(
        setting.group_people, setting.repeat_count, setting.repeat_days, setting.amount, tuple(periods)
    )


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def assess(
    *,
    people_count: int,
    amount: Decimal | None,
    threat: bool,
    vulnerable_names: list[str],
    recent_same_party_or_address: int,
    received_on: dt.date,
    t: Thresholds,
) -> list[Finding]:
    findings: list[Finding] = []
    if threat:
        findings.append(Finding("threat", RiskLevel.MAJOR, "当事人有扬言极端行为等过激言行"))
    if people_count >= t.group_people:
        findings.append(
            Finding("group", RiskLevel.HIGH, f"群体性纠纷：涉及{people_count}人（不少于{t.group_people}人）")
        )
    if vulnerable_names:
        findings.append(
            Finding("vulnerable", RiskLevel.HIGH, f"当事人在特殊群体档案中：{'、'.join(vulnerable_names)}")
        )
    if recent_same_party_or_address + 1 >= t.repeat_count:
        findings.append(
            Finding(
                "repeat",
                RiskLevel.HIGH,
                f"同一当事人或地址{t.repeat_days}日内已有{recent_same_party_or_address}起纠纷（含本起共"
                f"{recent_same_party_or_address + 1}起，达到{t.repeat_count}起）",
            )
        )
    if amount is not None and amount > t.amount:
        findings.append(Finding("amount", RiskLevel.MEDIUM, f"涉及金额{amount}元，超过{t.amount}元"))
    for start, end, name in t.sensitive_periods:
        if start <= received_on <= end:
            findings.append(
                Finding("sensitive", RiskLevel.MEDIUM, f"发生在敏感时期：{name}（{start}至{end}）")
            )
    return findings


def level_of(findings: list[Finding]) -> str:
    if not findings:
        return RiskLevel.LOW
    return max((f.level for f in findings), key=lambda lv: RISK_ORDER.index(RiskLevel(lv)))


def needs_escalation(level: str) -> bool:
    return level in (RiskLevel.HIGH, RiskLevel.MAJOR)
