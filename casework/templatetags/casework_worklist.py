"""Template tags for the small blocks the work list adds to the case page, so the case page's
view needs no change for them."""

from __future__ import annotations

from typing import Any

from django import template

from casework import worklist
from casework.models import Case, Reminder

register = template.Library()


@register.simple_tag
def next_meeting(case: Case) -> worklist.NextMeeting | None:
    return worklist.next_meeting(case)


@register.simple_tag(takes_context=True)
def your_reminders(context: dict[str, Any], case: Case) -> list[Reminder]:
    """The signed-in person's own reminders on this case (nobody else's)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return worklist.reminders_on_case(user, case)
