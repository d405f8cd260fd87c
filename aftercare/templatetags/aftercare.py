from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from aftercare.selectors import unread_count

if TYPE_CHECKING:
    from accounts.models import User

register = template.Library()


@register.simple_tag
def unread_notifications(user: User) -> int:
    """The number of unread notifications for the header (one query)."""
    return unread_count(user)
