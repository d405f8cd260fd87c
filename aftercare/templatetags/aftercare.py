from django import template

from aftercare.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """The number of unread notifications for the header (one query)."""
    return unread_count(user)
