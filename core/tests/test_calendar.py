"""Working days and due dates on the official schedule, against hand-worked examples."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.clocks import calendar as cal
from core.clocks.engine import Extension, Pause, add_months, compute_due
from core.clocks.rules import RULES, get_rule
from core.models import CalendarDay, CalendarYear

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.mark.django_db
class TestWorkingDays:
    def test_makeup_weekend_days_are_working_days(self):
        assert cal.is_working_day(D(2026, 2, 14))  # Saturday before 春节
        assert cal.is_working_day(D(2026, 9, 20))  # Sunday before 国庆
        assert cal.day_info(D(2026, 9, 20)).is_makeup_workday

    def test_national_day_week_is_not_working(self):
        for day in range(1, 8):
            info = cal.day_info(D(2026, 10, day))
            assert not info.is_working_day, day
            assert info.name == "国庆节"
        assert cal.is_working_day(D(2026, 10, 8))

    def test_plain_weekend_is_rest(self):
        assert not cal.is_working_day(D(2026, 11, 21))
        assert cal.is_working_day(D(2026, 11, 23))

    def test_year_without_schedule_is_provisional_weekends_only(self):
        info = cal.day_info(D(2027, 10, 1))  # a Friday; no 2027 schedule yet
        assert info.provisional
        assert info.is_working_day
        assert not cal.day_info(D(2027, 10, 2)).is_working_day

    def test_table_year_overrides_and_is_not_provisional(self):
        CalendarYear.objects.create(year=2027, notice="国办发明电〔2026〕示例号")
        CalendarDay.objects.create(date=D(2027, 10, 1), is_working_day=False, name="国庆节")
        CalendarDay.objects.create(date=D(2027, 9, 26), is_working_day=True, name="")
        cal.clear_cache()
        assert not cal.is_working_day(D(2027, 10, 1))
        assert cal.is_working_day(D(2027, 9, 26))  # a Sunday made a working day
        assert not cal.day_info(D(2027, 10, 4)).provisional


@pytest.mark.django_db
class TestDueDates:
    def test_disclosure_answer_from_sept_25_skips_national_day(self):
        # 20 working days after Fri 2026-09-25, counted by hand on the 2026 schedule:
        # 9/28 9/29 9/30 | 国庆 10/1-7 | 10/8 10/9 10/10(调休六) 10/12-16 10/19-23 10/26 27 28 29
        result = compute_due(RULES["disclosure.answer"], D(2026, 9, 25), today=TODAY)
        assert result.due_on == D(2026, 10, 29)
        assert not result.provisional
        assert "国庆节（10月1日至10月7日）" in result.explanation
        assert "10月10日" in result.explanation  # the counted make-up Saturday
        assert "《政府信息公开条例》（2019）第33条" in result.explanation

    def test_calendar_day_period_ending_on_holiday_moves_to_next_working_day(self):
        # 30 days after 2026-09-01 is 10-01 (国庆节) -> first working day after: 10-08.
        result = compute_due(RULES["mediation.confirmation_window"], D(2026, 9, 1), today=TODAY)
        assert result.due_on == D(2026, 10, 8)
        assert "期满日为国庆节，顺延至其后第一个工作日" in result.explanation

    def test_month_period_without_corresponding_day_ends_at_month_end(self):
        # 1 month from 2026-01-31: February has no 31st -> 2026-02-28, a 调休 Saturday (working).
        result = compute_due(RULES["mediation.period"], D(2026, 1, 31), today=TODAY)
        assert result.due_on == D(2026, 2, 28)
        assert "该月无对应日" in result.explanation

    def test_month_period_landing_in_spring_festival_rolls_forward(self):
        # 1 month from 2026-01-16 is 2026-02-16 (春节) -> 2026-02-24.
        assert compute_due(RULES["mediation.period"], D(2026, 1, 16), today=TODAY).due_on == D(2026, 2, 24)

    def test_due_date_in_2027_is_provisional_and_says_so(self):
        result = compute_due(RULES["disclosure.answer"], D(2026, 12, 20), today=TODAY)
        assert result.provisional
        assert result.provisional_years == [2027]
        assert "2027年放假安排尚未公布" in result.explanation
        # weekends only in 2027: 12/21-25 (5), 12/28-31 (9), 1/1 Fri (10), 1/4-8 (15), 1/11-15 (20)
        assert result.due_on == D(2027, 1, 15)

    def test_pause_days_are_not_counted(self):
        # third-party consultation from 10-12 to 10-16 inclusive of the reply day: 10/13..10/16 not counted
        pause = Pause(D(2026, 10, 12), D(2026, 10, 16), "征求第三方意见")
        result = compute_due(RULES["disclosure.answer"], D(2026, 9, 25), pauses=[pause], today=TODAY)
        assert result.due_on == D(2026, 11, 4)  # 10/29 + 4 working days (10/30, 11/2, 11/3, 11/4)
        assert "中止计时4日（征求第三方意见）" in result.explanation

    def test_extension_adds_working_days_and_names_the_approver(self):
        ext = Extension(20, "张主任（示例）", "需要调取档案")
        result = compute_due(RULES["disclosure.answer"], D(2026, 9, 25), extensions=[ext], today=TODAY)
        assert result.due_on == D(2026, 11, 26)
        assert "经张主任（示例）批准延长20个工作日" in result.explanation

    def test_public_comment_period_is_not_moved_to_working_day(self):
        # 30 days after 2026-09-01 is 10-01; a comment period is a minimum, not a deadline to roll.
        result = compute_due(RULES["decision.public_comment"], D(2026, 9, 1), today=TODAY)
        assert result.due_on == D(2026, 10, 1)
        assert not result.provisional

    def test_local_setting_changes_configurable_rule(self, world):
        from core.models import ClockRuleSetting

        ClockRuleSetting.objects.create(
            rule_id="hotline.ordinary", region=world.district, length=3, source="示例区12345工作规定"
        )
        rule = get_rule("hotline.ordinary", world.community_a)
        assert rule.length == 3
        assert "示例区" in rule.setting_source
        assert get_rule("hotline.ordinary", None).length == 5

    def test_add_months_month_ends(self):
        assert add_months(D(2026, 1, 31), 1) == (D(2026, 2, 28), True)
        assert add_months(D(2024, 1, 31), 1) == (D(2024, 2, 29), True)
        assert add_months(D(2026, 12, 15), 2) == (D(2027, 2, 15), False)
        assert add_months(D(2026, 3, 31), 12 * 5) == (D(2031, 3, 31), False)


class TestWorkingDayProperties:
    """Hypothesis: adding N working days lands on a working day and is monotonic in N."""

    @pytest.mark.django_db
    @settings(max_examples=60, deadline=None)
    @given(
        start=st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 6, 30)),
        n=st.integers(min_value=1, max_value=40),
    )
    def test_lands_on_working_day_and_is_monotonic(self, start, n):
        rule = RULES["disclosure.answer"]
        from dataclasses import replace

        first = compute_due(replace(rule, length=n), start, today=TODAY).due_on
        second = compute_due(replace(rule, length=n + 1), start, today=TODAY).due_on
        assert cal.is_working_day(first)
        assert first > start
        assert second > first

    @pytest.mark.django_db
    @settings(max_examples=60, deadline=None)
    @given(start=st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 6, 30)), n=st.integers(1, 90))
    def test_calendar_day_rules_never_end_on_rest_day(self, start, n):
        from dataclasses import replace

        due = compute_due(replace(RULES["penalty.decision"], length=n), start, today=TODAY).due_on
        assert cal.is_working_day(due)
        assert due >= start + dt.timedelta(days=n)
