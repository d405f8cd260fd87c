"""Small helpers for the casework templates."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

import access
from accounts.models import Role, User
from cases import selectors

register = template.Library()


@register.filter
def days_since(moment: dt.datetime | None) -> int | None:
    """Whole days between a moment and today, in the local time zone; None if there is no moment."""
    return selectors.days_since(moment)


@register.simple_tag
def tandem_names(assignments) -> str:
    """The tandem as "name (role), name (role)", from prefetched assignments."""
    if not assignments:
        return _("none assigned")
    return ", ".join(f"{a.staff.display_name} ({a.get_role_display()})" for a in assignments)


@register.simple_tag
def casework_menu(user: User) -> dict[str, bool]:
    """Which casework pages the navigation offers this user."""
    return {
        "cases": access.sees_case_content(user),
        "enquiry": user.has_role(Role.PRACTITIONER) or user.has_role(Role.SUPERVISOR),
    }
