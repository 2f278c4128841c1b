"""A person's calendar feed (iCalendar, RFC 5545, written by the icalendar library): their
planned sessions and their cases' review dates. Each event says only "Alexi: session" or
"Alexi: review" and links to the case page by its number: never who, never where."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from alexi import hooks

if TYPE_CHECKING:
    from alexi.models import User

SUMMARIES = {"session": "Alexi: session", "review": "Alexi: review"}
SESSION_LENGTH = timedelta(hours=1)


def feed_for(user: User) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Alexi//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Alexi")
    site = settings.SITE_URL.rstrip("/")
    now = timezone.now()
    for entry in hooks.calendar_entries(user):
        event = Event()
        event.add("uid", f"{entry.uid}@alexi")
        event.add("dtstamp", now)
        event.add("summary", SUMMARIES[entry.kind])
        if isinstance(entry.start, datetime):
            # In UTC ("Z"): valid without a VTIMEZONE, and every calendar app shows it local.
            start = entry.start.astimezone(UTC)
            event.add("dtstart", start)
            event.add("dtend", start + SESSION_LENGTH)
        else:
            event.add("dtstart", entry.start)
        event.add("url", site + entry.path)
        event.add("description", site + entry.path)
        calendar.add_component(event)
    return calendar.to_ical()
