"""The iCalendar pieces of the reminders: a calendar, an all-day event, a stable UID.

One place for what every calendar file handbok writes has in common (the owners' calendars and
the årshjul), so that they cannot drift apart. Same input, same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Alarm, Calendar, Event


def uid(key: str) -> str:
    """Stable for the same key: a calendar that imports the file again updates the event."""
    return hashlib.sha256(key.encode()).hexdigest()[:32] + "@handbok"


def calendar(prodid: str, name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def day_event(key: str, stamp: dt.datetime, day: dt.date, summary: str, description: str, url: str | None, *,
              alarm_days: int | None = None, rrule: dict | None = None) -> Event:
    """An all-day event on `day` (one day long; or recurring by `rrule`), with a display alarm
    `alarm_days` before when given."""
    event = Event()
    event.add("uid", uid(key))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    if rrule is None:
        event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    if rrule is not None:
        event.add("rrule", rrule)
    event.add("description", description)
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    if alarm_days is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(days=-alarm_days))
        event.add_component(alarm)
    return event
