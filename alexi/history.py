"""Who made a change: the signed-in user on a request, or an explicit actor in commands/tasks."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

_actor: ContextVar = ContextVar("alexi_history_actor", default=None)


@contextlib.contextmanager
def acting_as(user):
    """Record `user` as history_user for every change made inside this block."""
    token = _actor.set(user)
    try:
        yield user
    finally:
        _actor.reset(token)


def history_user_getter(instance, request=None, **kwargs):
    """simple-history hook: an explicit actor wins, then `_history_user`, then the request."""
    actor = _actor.get()
    if actor is not None:
        return actor
    explicit = getattr(instance, "_history_user", None)
    if explicit is not None:
        return explicit
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None
