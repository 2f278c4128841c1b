"""Template tags for the small blocks the work list adds to the case page, so the case page's
view needs no change for them."""

from __future__ import annotations

from django import template

from casework import worklist
from casework.models import Case

register = template.Library()


@register.simple_tag
def next_meeting(case: Case) -> worklist.NextMeeting | None:
    return worklist.next_meeting(case)
