from .audit import ChainHead, ChangeLog, TimelineEvent
from .calendar import CalendarDay, CalendarYear
from .clocks import Clock, ClockExtension, ClockPause, ClockRuleSetting
from .documents import DocumentNumber
from .imports import ImportedRecord
from .indicators import IndicatorEntry, IndicatorTarget
from .jobs import Job, JobKind, JobState
from .ledger import SavedFilter
from .notifications import Notification
from .people import ApiToken, Membership, Person, RevealLog, User
from .regions import Region, Unit

__all__ = [
    "ApiToken",
    "CalendarDay",
    "CalendarYear",
    "ChainHead",
    "ChangeLog",
    "Clock",
    "ClockExtension",
    "ClockPause",
    "ClockRuleSetting",
    "DocumentNumber",
    "ImportedRecord",
    "IndicatorEntry",
    "IndicatorTarget",
    "Job",
    "JobKind",
    "JobState",
    "Membership",
    "Notification",
    "Person",
    "Region",
    "RevealLog",
    "SavedFilter",
    "TimelineEvent",
    "Unit",
    "User",
]
