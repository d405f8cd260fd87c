"""The sections of the case page that other apps contribute, in page order.

Each app adds one line: the partial template, the function that builds its context (called with
the case and the viewing user; it returns a dict whose keys the app prefixes with its own name), and
the column it belongs in ("main" or "side").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class CaseSection:
    template: str
    context: str  # dotted path to a callable (case, user) -> dict
    column: str = "main"


CASE_SECTIONS: list[CaseSection] = [
    CaseSection("planning/_case_sections.html", "planning.selectors.case_section_context"),
    CaseSection("assessments/_case_section.html", "assessments.selectors.case_section_context", column="side"),
    CaseSection("rights/_case_section.html", "rights.selectors.case_section_context", column="side"),
    CaseSection("aftercare/_case_section.html", "aftercare.selectors.case_section_context"),
    CaseSection("sharing/_case_section.html", "sharing.selectors.case_section_context", column="side"),
    CaseSection("conferences/_case_section.html", "conferences.selectors.case_section_context"),
    CaseSection("referrals/_case_section.html", "referrals.selectors.case_section_context", column="side"),
]


def section_context(case, user: User) -> dict:
    context: dict = {"main_sections": [], "side_sections": []}
    for section in CASE_SECTIONS:
        context.update(import_string(section.context)(case, user))
        context[f"{section.column}_sections"].append(section.template)
    return context
