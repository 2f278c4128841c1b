"""Template tags for the work list (issue 13 item 2): the header's Tasks link and whether the
"My tasks" section shows, so neither the header nor the home views compute the list."""

from __future__ import annotations

from typing import Any

from django import template

from alexi.worklist import cached_count, has_tasks

register = template.Library()


@register.simple_tag(takes_context=True)
def work_list_count(context: dict[str, Any]) -> dict[str, Any] | None:
    """The header's Tasks link for the signed-in person: None for a role without a work list;
    else {"count": the count, or None when it is not in the cache (the link then asks for it
    once the page has loaded)}. Counted here only when the view says so (tasks_count)."""
    if "task_total" in context:
        return {"count": context["task_total"]}
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_tasks(user):
        return None
    return {"count": cached_count(user)}


@register.simple_tag(takes_context=True)
def has_work_list(context: dict[str, Any]) -> bool:
    """Whether the signed-in person's role has a work list (a funder's has none)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and has_tasks(user))
