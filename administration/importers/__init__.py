"""Importers for a past year of lawful-administration records, each entered in its final state.

Five kinds, each with a template (``core.imports``) and, through the generic mechanism, an API create call
(``POST /api/v1/imports/<kind>``): contracts with their review and signing, legality reviews (major
enforcement decisions and other matters) with their opinions and the answers to them, major decisions with
their five steps, publication and archiving, normative documents published (and filed, evaluated, revised,
abolished or expired), and the meetings the justice-office head attended with the suggestions given.

A row is built through the module's own services and workflow transitions, each step stamped with its
real day (``recorded_at``), so numbers, clocks, timelines and indicators are those of the year it
happened in. The importing user enters every step of the record (``core.history.entering_history``,
checked against ``administration.history.import`` at the record's street): the ledger, not the user,
says who decided or reviewed. Every date is checked for plausibility and order, none in the future;
each record ends with the 历史数据导入 entry on its timeline, and its clocks are met on the day it ended.
A row's 台账编号 makes a retried import or call write nothing.
"""

from __future__ import annotations

from core.imports import register

from .decisions import DECISION_IMPORTER, DECISIONS
from .meetings import MEETING_IMPORTER, MEETINGS
from .normative import NORMATIVE, NORMATIVE_IMPORTER
from .reviews import CONTRACT_IMPORTER, CONTRACTS, REVIEW_IMPORTER, REVIEWS

# Registered in the order the import page lists them.
for importer in (CONTRACT_IMPORTER, REVIEW_IMPORTER, DECISION_IMPORTER, NORMATIVE_IMPORTER, MEETING_IMPORTER):
    register(importer)

__all__ = ["CONTRACTS", "DECISIONS", "MEETINGS", "NORMATIVE", "REVIEWS"]
