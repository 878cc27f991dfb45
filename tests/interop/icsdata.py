"""The iCalendar objects the interop tests store, and the instants they must come back at.

All in July 2026, so one month-long window holds everything:

* timed:     2026-07-14 14:30-15:30 Europe/Berlin (CEST, UTC+2)  = 12:30-13:30Z
* all-day:   2026-07-15 (VALUE=DATE, one day)
* recurring: daily 09:00-10:00 America/New_York (EDT, UTC-4) from 2026-07-06, COUNT=5;
             EXDATE 2026-07-08; the 2026-07-09 instance moved to 15:00-16:00 and renamed.
             Instances: 07-06 13:00Z, 07-07 13:00Z, 07-09 19:00Z (override), 07-10 13:00Z.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

UTC = timezone.utc

VTIMEZONE_BERLIN = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""

VTIMEZONE_NEW_YORK = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE"""

PRODID = "-//Televent//interop tests//EN"
DTSTAMP = "20260601T120000Z"


def new_uid(kind: str) -> str:
    return f"interop-{kind}-{uuid.uuid4().hex}@televent.test"


def vcalendar(*parts: str) -> str:
    """A VCALENDAR with CRLF line endings, as on the wire."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for part in parts:
        lines.extend(part.strip("\n").split("\n"))
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def timed_event(uid: str | None = None, summary: str = "Timed in Berlin") -> tuple[str, str]:
    uid = uid or new_uid("timed")
    return uid, vcalendar(
        VTIMEZONE_BERLIN,
        f"""BEGIN:VEVENT
UID:{uid}
DTSTAMP:{DTSTAMP}
DTSTART;TZID=Europe/Berlin:20260714T143000
DTEND;TZID=Europe/Berlin:20260714T153000
SUMMARY:{summary}
LOCATION:Alexanderplatz
END:VEVENT""",
    )


TIMED_START_UTC = datetime(2026, 7, 14, 12, 30, tzinfo=UTC)
TIMED_END_UTC = datetime(2026, 7, 14, 13, 30, tzinfo=UTC)


def all_day_event(uid: str | None = None, summary: str = "All day") -> tuple[str, str]:
    uid = uid or new_uid("allday")
    return uid, vcalendar(
        f"""BEGIN:VEVENT
UID:{uid}
DTSTAMP:{DTSTAMP}
DTSTART;VALUE=DATE:20260715
DTEND;VALUE=DATE:20260716
SUMMARY:{summary}
TRANSP:TRANSPARENT
END:VEVENT"""
    )


ALL_DAY_DATE = date(2026, 7, 15)


def recurring_event(uid: str | None = None, summary: str = "Standup") -> tuple[str, str]:
    uid = uid or new_uid("recurring")
    return uid, vcalendar(
        VTIMEZONE_NEW_YORK,
        f"""BEGIN:VEVENT
UID:{uid}
DTSTAMP:{DTSTAMP}
DTSTART;TZID=America/New_York:20260706T090000
DTEND;TZID=America/New_York:20260706T100000
RRULE:FREQ=DAILY;COUNT=5
EXDATE;TZID=America/New_York:20260708T090000
SUMMARY:{summary}
END:VEVENT""",
        f"""BEGIN:VEVENT
UID:{uid}
DTSTAMP:{DTSTAMP}
RECURRENCE-ID;TZID=America/New_York:20260709T090000
DTSTART;TZID=America/New_York:20260709T150000
DTEND;TZID=America/New_York:20260709T160000
SUMMARY:{summary} (moved)
END:VEVENT""",
    )


# (start in UTC, summary suffix) of every instance of recurring_event, in order
RECURRING_INSTANCES_UTC = [
    (datetime(2026, 7, 6, 13, 0, tzinfo=UTC), ""),
    (datetime(2026, 7, 7, 13, 0, tzinfo=UTC), ""),
    (datetime(2026, 7, 9, 19, 0, tzinfo=UTC), " (moved)"),
    (datetime(2026, 7, 10, 13, 0, tzinfo=UTC), ""),
]
RECURRING_EXDATE_UTC = datetime(2026, 7, 8, 13, 0, tzinfo=UTC)
RECURRING_MOVED_FROM_UTC = datetime(2026, 7, 9, 13, 0, tzinfo=UTC)

# The window that holds every instance of every event above.
MONTH_START = datetime(2026, 7, 1, tzinfo=UTC)
MONTH_END = datetime(2026, 8, 1, tzinfo=UTC)


def simple_event(uid: str, summary: str, day: int = 20, hour: int = 10) -> str:
    """A plain one-hour UTC event in July 2026 (used for sync and vdirsyncer tests)."""
    return vcalendar(
        f"""BEGIN:VEVENT
UID:{uid}
DTSTAMP:{DTSTAMP}
DTSTART:202607{day:02d}T{hour:02d}0000Z
DTEND:202607{day:02d}T{hour + 1:02d}0000Z
SUMMARY:{summary}
END:VEVENT"""
    )
