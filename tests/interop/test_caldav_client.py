"""The python `caldav` library (3.x) against the server: what a scripted CalDAV client does.

Each test makes its own calendar (unique id), so the tests do not depend on each other or on
their order. The client is built with the library's default settings (no server profile), as a
user of the library would.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

import caldav
import pytest
from caldav.elements import dav
from caldav.lib import error

import icsdata as d

UTC = timezone.utc
VALID_SYNC_TOKEN = dav.ValidSyncToken.tag  # "{DAV:}valid-sync-token"


def origin(url) -> tuple[str, str, int | None]:
    parts = urlsplit(str(url))
    return parts.scheme, parts.hostname, parts.port


def as_utc(value):
    """datetimes to UTC for comparison; dates (all-day) stay dates."""
    if isinstance(value, datetime):
        assert value.tzinfo is not None, f"{value!r} came back floating"
        return value.astimezone(UTC)
    return value


def instances(objects) -> list[tuple[object, str, str]]:
    """(start, summary, uid) of each object's component, sorted by start (UTC)."""
    rows = []
    for obj in objects:
        comp = obj.icalendar_component
        rows.append((as_utc(comp.decoded("DTSTART")), str(comp["SUMMARY"]), str(comp["UID"])))
    return instances_sorted(rows)


def instances_sorted(rows):
    def key(row):
        start = row[0]
        if not isinstance(start, datetime):  # an all-day date sorts as its midnight UTC
            start = datetime(start.year, start.month, start.day, tzinfo=UTC)
        return (start, row[1])

    return sorted(rows, key=key)


def _as_list(value):
    return value if isinstance(value, list) else [value]


def vevents(obj):
    return [c for c in obj.icalendar_instance.subcomponents if c.name == "VEVENT"]


def store_all_three(calendar):
    timed_uid, timed = d.timed_event()
    allday_uid, allday = d.all_day_event()
    rec_uid, rec = d.recurring_event()
    for ics in (timed, allday, rec):
        calendar.add_event(ics)
    return timed_uid, allday_uid, rec_uid


def expected_month(timed_uid, allday_uid, rec_uid):
    rows = [(start, "Standup" + suffix, rec_uid) for start, suffix in d.RECURRING_INSTANCES_UTC]
    rows.append((d.TIMED_START_UTC, "Timed in Berlin", timed_uid))
    rows.append((d.ALL_DAY_DATE, "All day", allday_uid))
    return instances_sorted(rows)


def uids(objects) -> set[str]:
    return {str(o.icalendar_component["UID"]) for o in objects}


def window(y, mo, dd, h, mi, y2, mo2, dd2, h2, mi2):
    return datetime(y, mo, dd, h, mi, tzinfo=UTC), datetime(y2, mo2, dd2, h2, mi2, tzinfo=UTC)


# --------------------------------------------------------------------------------------------
# Discovery and calendars
# --------------------------------------------------------------------------------------------


def test_discovery_from_bare_url(server, client, make_calendar):
    """From nothing but the server URL, the client finds the principal, the calendar home, and
    the calendars in it (current-user-principal -> calendar-home-set -> Depth 1 listing)."""
    assert client.check_cdav_support(), "OPTIONS does not advertise calendar-access"
    principal = client.get_principal()
    assert origin(principal.url) == origin(server.url)
    home = principal.calendar_home_set
    assert origin(home.url) == origin(server.url)

    cal = make_calendar("discover")
    # A brand-new client, discovering again from the bare URL, lists the calendar.
    with server.client() as fresh:
        listed = [c.url.canonical() for c in fresh.get_principal().get_calendars()]
    assert cal.url.canonical() in listed
    # Everything listed is a calendar inside the home (the home itself is not listed).
    home_path = home.url.path.rstrip("/") + "/"
    for url in listed:
        assert url.path.startswith(home_path) and url.path.rstrip("/") != home_path.rstrip("/")


def test_discovery_through_well_known(server, client):
    """A client that starts at /.well-known/caldav (RFC 6764) is redirected and ends at the same
    principal as one that starts at the bare URL. Note what the library's HTTP stack (niquests)
    does with the redirect: on a 301 it repeats the PROPFIND at the new URL without its body (an
    allprop, Content-Length: 0), so current-user-principal must come back in that answer too; a
    302 or 303 turns it into a GET; only 307/308 keep the method and the body."""
    expected = client.get_principal().url.canonical()
    with server.client(server.url + ".well-known/caldav") as wk:
        assert wk.get_principal().url.canonical() == expected


def test_create_calendar(server, principal, make_calendar):
    """MKCALENDAR with a display name (non-ASCII) and a component set: the calendar is listed
    with that name by a fresh client, is empty, and takes events."""
    name = f"Interop ✓ Kalender {uuid.uuid4().hex[:6]}"
    cal = make_calendar("create", name=name, supported_calendar_component_set=["VEVENT"])
    assert cal.get_property(dav.DisplayName()) == name  # PROPFIND, not the cached value

    with server.client() as fresh:
        listed = {c.url.canonical(): c for c in fresh.get_principal().get_calendars()}
        assert cal.url.canonical() in listed
        again = listed[cal.url.canonical()]
        assert again.get_display_name() == name  # from the Depth 1 listing of the home
        assert again.get_events() == []
        assert "VEVENT" in [str(c) for c in again.get_supported_components()]

    uid, ics = d.timed_event()
    cal.add_event(ics)
    assert uids(cal.get_events()) == {uid}


# --------------------------------------------------------------------------------------------
# The three kinds of event, stored and read back
# --------------------------------------------------------------------------------------------


def test_timed_event_with_tzid(calendar):
    """A TZID'd event (with its VTIMEZONE) comes back in its zone and at the right instant, found
    by UID (calendar-query), and the ETags of PUT, REPORT and GET agree."""
    uid, ics = d.timed_event()
    saved = calendar.add_event(ics)
    assert saved.url is not None

    fetched = calendar.get_event_by_uid(uid)  # calendar-query, UID text-match
    assert fetched.url.canonical() == saved.url.canonical()
    [comp] = vevents(fetched)
    assert str(comp["UID"]) == uid
    assert comp["DTSTART"].params["TZID"] == "Europe/Berlin"
    start, end = comp.decoded("DTSTART"), comp.decoded("DTEND")
    assert start.replace(tzinfo=None) == datetime(2026, 7, 14, 14, 30)
    assert as_utc(start) == d.TIMED_START_UTC
    assert as_utc(end) == d.TIMED_END_UTC
    assert str(comp["LOCATION"]) == "Alexanderplatz"

    loaded = calendar.event_by_url(saved.url)
    loaded.load()  # GET
    assert loaded.etag, "GET answered without an ETag"
    if saved.etag:  # an ETag on PUT must be the ETag of what GET now returns
        assert saved.etag == loaded.etag
    assert fetched.etag == loaded.etag  # the REPORT's getetag and the GET's ETag agree


def test_all_day_event(calendar):
    """A VALUE=DATE event stays a date, and the server's time-range places it on its day."""
    uid, ics = d.all_day_event()
    saved = calendar.add_event(ics)

    fetched = calendar.get_event_by_uid(uid)
    [comp] = vevents(fetched)
    start, end = comp.decoded("DTSTART"), comp.decoded("DTEND")
    assert type(start) is date and start == d.ALL_DAY_DATE
    assert type(end) is date and end == date(2026, 7, 16)

    # Server-side time-range (no client-side filtering): a date is floating, so pick windows that
    # overlap (or miss) 2026-07-15 in every time zone from UTC-12 to UTC+14.
    inside = calendar.search(
        start=datetime(2026, 7, 15, 6, tzinfo=UTC), end=datetime(2026, 7, 15, 18, tzinfo=UTC),
        event=True, post_filter=False,
    )
    assert uids(inside) == {uid}
    after = calendar.search(
        start=datetime(2026, 7, 17, 0, tzinfo=UTC), end=datetime(2026, 7, 17, 12, tzinfo=UTC),
        event=True, post_filter=False,
    )
    assert after == []
    before = calendar.search(
        start=datetime(2026, 7, 13, 12, tzinfo=UTC), end=datetime(2026, 7, 14, 0, tzinfo=UTC),
        event=True, post_filter=False,
    )
    assert before == []
    assert saved.url.canonical() == fetched.url.canonical()


def test_recurring_event_with_exdate_and_override(calendar):
    """Master (RRULE, EXDATE) and override (RECURRENCE-ID) are one resource and come back so."""
    uid, ics = d.recurring_event()
    saved = calendar.add_event(ics)

    fetched = calendar.get_event_by_uid(uid)
    assert fetched.url.canonical() == saved.url.canonical()
    comps = vevents(fetched)
    assert len(comps) == 2, "master and override must stay in one resource"
    assert {str(c["UID"]) for c in comps} == {uid}
    [master] = [c for c in comps if "RECURRENCE-ID" not in c]
    [override] = [c for c in comps if "RECURRENCE-ID" in c]

    rrule = master.decoded("RRULE")
    assert rrule["FREQ"] == ["DAILY"] and rrule["COUNT"] == [5]
    exdates = [as_utc(dt.dt) for ex in _as_list(master["EXDATE"]) for dt in ex.dts]
    assert exdates == [d.RECURRING_EXDATE_UTC]
    assert as_utc(override.decoded("RECURRENCE-ID")) == d.RECURRING_MOVED_FROM_UTC
    assert as_utc(override.decoded("DTSTART")) == datetime(2026, 7, 9, 19, 0, tzinfo=UTC)
    assert str(override["SUMMARY"]) == "Standup (moved)"


def test_bytes_as_sent(server, calendar):
    """save(raw_data=...) PUTs these exact bytes (add_event() re-serialises through icalendar
    first) with If-None-Match: *. The server may store them as they are or re-serialise them;
    either way GET gives the same event, and an ETag on the PUT is the ETag of what GET returns."""
    uid, ics = d.recurring_event()
    obj = caldav.Event(client=calendar.client, parent=calendar)
    obj.save(raw_data=ics.encode(), no_overwrite=True)
    assert obj.url is not None

    got = calendar.event_by_url(obj.url)
    got.load()
    assert [str(c["UID"]) for c in vevents(got)] == [uid, uid]
    assert sorted(str(c["SUMMARY"]) for c in vevents(got)) == ["Standup", "Standup (moved)"]
    if obj.etag:
        assert obj.etag == got.etag
    if server.kind == "televent":
        # Televent stores the bytes as sent and says so (docs/caldav.md); Radicale re-serialises
        # them, which RFC 4791 allows, so this is checked for Televent only.
        assert got.raw_data == ics.encode()
        assert obj.etag, "Televent answers a PUT stored unchanged with its ETag"


# --------------------------------------------------------------------------------------------
# Date search
# --------------------------------------------------------------------------------------------


def test_date_search_with_expand(calendar):
    """search(expand=True), as the library does it by default: the server answers a
    calendar-query with a time-range (the library asks for a day more on each side), the library
    expands the recurrences and filters. The EXDATE'd instance is gone and the override stands in
    for the instance it replaces."""
    timed_uid, allday_uid, rec_uid = store_all_three(calendar)

    month = calendar.search(start=d.MONTH_START, end=d.MONTH_END, event=True, expand=True)
    assert instances(month) == expected_month(timed_uid, allday_uid, rec_uid)

    # The day of the EXDATE holds nothing.
    exdate_day = calendar.search(
        start=datetime(2026, 7, 8, tzinfo=UTC), end=datetime(2026, 7, 9, tzinfo=UTC),
        event=True, expand=True,
    )
    assert exdate_day == []
    # The day of the override holds only the moved instance, at its new time.
    moved_day = calendar.search(
        start=datetime(2026, 7, 9, tzinfo=UTC), end=datetime(2026, 7, 10, tzinfo=UTC),
        event=True, expand=True,
    )
    assert instances(moved_day) == [
        (datetime(2026, 7, 9, 19, 0, tzinfo=UTC), "Standup (moved)", rec_uid)
    ]


def test_date_search_with_server_side_expand(calendar):
    """calendar-query with <C:expand> (RFC 4791 9.6.5): the server itself returns one VEVENT per
    instance, with RECURRENCE-ID, in the window, and the library does no filtering of its own."""
    timed_uid, allday_uid, rec_uid = store_all_three(calendar)

    month = calendar.search(
        start=d.MONTH_START, end=d.MONTH_END, event=True, expand=True,
        server_expand=True, post_filter=False,
    )
    assert instances(month) == expected_month(timed_uid, allday_uid, rec_uid)
    recurrence_ids = sorted(
        as_utc(o.icalendar_component.decoded("RECURRENCE-ID"))
        for o in month
        if str(o.icalendar_component["UID"]) == rec_uid
    )
    assert recurrence_ids == [
        datetime(2026, 7, 6, 13, tzinfo=UTC),
        datetime(2026, 7, 7, 13, tzinfo=UTC),
        d.RECURRING_MOVED_FROM_UTC,
        datetime(2026, 7, 10, 13, tzinfo=UTC),
    ]
    for o in month:  # expanded instances carry no rule any more
        comp = o.icalendar_component
        assert "RRULE" not in comp and "EXDATE" not in comp

    # Only the instances that overlap the window come back.
    two_days = calendar.search(
        start=datetime(2026, 7, 7, tzinfo=UTC), end=datetime(2026, 7, 9, 12, tzinfo=UTC),
        event=True, expand=True, server_expand=True, post_filter=False,
    )
    assert instances(two_days) == [(datetime(2026, 7, 7, 13, tzinfo=UTC), "Standup", rec_uid)]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # the whole month: each resource once
        (d.MONTH_START, d.MONTH_END, {"timed", "allday", "recurring"}),
        # the slot of the EXDATE'd instance
        (*window(2026, 7, 8, 12, 0, 2026, 7, 8, 14, 0), set()),
        # the old slot of the moved instance: the override took it away
        (*window(2026, 7, 9, 12, 30, 2026, 7, 9, 13, 30), set()),
        # the new slot of the moved instance
        (*window(2026, 7, 9, 18, 30, 2026, 7, 9, 19, 30), {"recurring"}),
        # after the last instance (COUNT=5)
        (*window(2026, 7, 11, 0, 0, 2026, 7, 12, 0, 0), set()),
        # overlaps the last half hour of the timed event (12:30-13:30Z)
        (*window(2026, 7, 14, 13, 0, 2026, 7, 14, 14, 0), {"timed"}),
        # starts where the timed event ends: ranges are half-open
        (*window(2026, 7, 14, 13, 30, 2026, 7, 14, 14, 0), set()),
        # ends where the timed event starts
        (*window(2026, 7, 14, 12, 0, 2026, 7, 14, 12, 30), set()),
    ],
    ids=["month", "exdate", "moved-from", "moved-to", "after-count", "overlap", "end-edge",
         "start-edge"],
)
def test_server_time_range_query(calendar, start, end, expected):
    """The server's own time-range filtering (the library's client-side filter switched off):
    recurrence, EXDATE, override and the half-open edges all decided by the server."""
    timed_uid, allday_uid, rec_uid = store_all_three(calendar)
    names = {timed_uid: "timed", allday_uid: "allday", rec_uid: "recurring"}
    found = calendar.search(start=start, end=end, event=True, post_filter=False)
    assert {names[u] for u in uids(found)} == expected
    assert len(found) == len(expected), "a resource came back more than once"


# --------------------------------------------------------------------------------------------
# Update, delete
# --------------------------------------------------------------------------------------------


def test_update_with_etag(calendar):
    """save() sends If-Match with the ETag it holds: the first writer wins, the ETag changes,
    and a writer holding the old ETag gets 412 until it reloads."""
    uid, ics = d.timed_event()
    calendar.add_event(ics)

    first = calendar.get_event_by_uid(uid)
    second = calendar.event_by_url(first.url)
    second.load()
    etag0 = first.etag
    assert etag0 and etag0 == second.etag

    with first.edit_icalendar_component() as comp:
        comp["SUMMARY"] = "Renamed by the first client"
    first.save()  # If-Match: etag0
    etag1 = first.etag
    assert etag1 and etag1 != etag0

    with second.edit_icalendar_component() as comp:
        comp["SUMMARY"] = "Renamed by the second client"
    with pytest.raises(error.ETagMismatchError):
        second.save()  # If-Match: etag0, which is stale: 412

    check = calendar.event_by_url(first.url)
    check.load()
    assert str(check.icalendar_component["SUMMARY"]) == "Renamed by the first client"
    assert check.etag == etag1

    second.load()
    assert second.etag == etag1
    with second.edit_icalendar_component() as comp:
        comp["SUMMARY"] = "Renamed by the second client"
    second.save()  # If-Match: etag1, current: accepted
    assert second.etag and second.etag not in (etag0, etag1)

    final = calendar.get_event_by_uid(uid)
    assert str(final.icalendar_component["SUMMARY"]) == "Renamed by the second client"
    assert final.etag == second.etag
    assert as_utc(final.icalendar_component.decoded("DTSTART")) == d.TIMED_START_UTC
    assert len(calendar.get_events()) == 1


def test_create_with_if_none_match(calendar):
    """add_event(no_overwrite=True) sends If-None-Match: * and creates the resource. A second PUT
    of that URL with If-None-Match: * is refused with 412 and changes nothing. (The library's own
    add_event(no_overwrite=True) would refuse the second one itself, after a UID search, without
    sending the PUT, so that PUT goes through the library's HTTP layer directly.)"""
    uid = d.new_uid("inm")
    created = calendar.add_event(d.simple_event(uid, "first"), no_overwrite=True)
    assert created.etag
    with pytest.raises(error.ConsistencyError):
        calendar.add_event(d.simple_event(uid, "second"), no_overwrite=True)

    response = calendar.client.put(
        str(created.url),
        d.simple_event(uid, "second"),
        {"If-None-Match": "*", "Content-Type": "text/calendar; charset=utf-8"},
    )
    assert response.status == 412
    again = calendar.get_event_by_uid(uid)
    assert str(again.icalendar_component["SUMMARY"]) == "first"
    assert again.etag == created.etag


def test_delete(calendar):
    keep_uid, gone_uid = d.new_uid("keep"), d.new_uid("gone")
    calendar.add_event(d.simple_event(keep_uid, "keep"))
    calendar.add_event(d.simple_event(gone_uid, "gone", day=21))

    stale = calendar.get_event_by_uid(gone_uid)
    current = calendar.event_by_url(stale.url)
    current.load()
    with current.edit_icalendar_component() as comp:
        comp["SUMMARY"] = "gone, changed"
    current.save()

    # A DELETE with a stale If-Match is refused, and the resource stays.
    with pytest.raises(error.ETagMismatchError):
        stale.delete(if_match=True)
    assert uids(calendar.get_events()) == {keep_uid, gone_uid}

    current.delete(if_match=True)  # current ETag: deleted
    with pytest.raises(error.NotFoundError):
        calendar.get_event_by_uid(gone_uid)
    with pytest.raises(error.NotFoundError):
        calendar.event_by_url(current.url).load()  # GET: 404
    assert uids(calendar.get_events()) == {keep_uid}
    # Deleting it again with a precondition: it is not there any more. 404 (Radicale) and 412
    # (RFC 9110 13.1.1: If-Match is false when there is no current representation) both say so.
    with pytest.raises((error.NotFoundError, error.ETagMismatchError)):
        current.delete(if_match=True)


# --------------------------------------------------------------------------------------------
# sync-collection (RFC 6578)
# --------------------------------------------------------------------------------------------


def test_sync_token_delta(server, calendar):
    """An initial sync-collection lists everything; after an add, a change and a delete, a sync
    from the old token reports exactly those three; a sync from the new token reports nothing.
    disable_fallback makes sure it really is sync-collection, not a full listing behind it."""
    a, b, c, early = d.new_uid("a"), d.new_uid("b"), d.new_uid("c"), d.new_uid("early")
    objs = {u: calendar.add_event(d.simple_event(u, u, day=20 + i)) for i, u in enumerate((a, b, c))}
    url = {u: o.url.canonical() for u, o in objs.items()}
    early_url = calendar.add_event(d.simple_event(early, "early")).url.canonical()
    calendar.get_event_by_uid(early).delete()  # gone before the first sync

    initial = calendar.get_objects_by_sync_token(load_objects=True, disable_fallback=True)
    token0 = initial.sync_token
    assert token0 and not str(token0).startswith("fake-")
    members = {o.url.canonical() for o in initial} - initial.deleted_urls
    assert members == set(url.values())
    assert all(o.etag for o in initial if o.url.canonical() in members)
    if server.kind != "radicale":
        # RFC 6578 section 3.4: an initial sync (empty token) lists the current members only,
        # no removed ones. Radicale 3.9 also lists members deleted earlier, as 404 responses
        # (the library copes: it drops them), so this is not checked against Radicale.
        assert early_url not in {o.url.canonical() for o in initial}
        assert not initial.deleted_urls

    new = d.new_uid("new")
    url[new] = calendar.add_event(d.simple_event(new, "new", day=24)).url.canonical()
    changed = calendar.get_event_by_uid(b)
    with changed.edit_icalendar_component() as comp:
        comp["SUMMARY"] = "b, changed"
    changed.save()
    calendar.get_event_by_uid(c).delete()

    delta = calendar.get_objects_by_sync_token(sync_token=token0, disable_fallback=True)
    token1 = delta.sync_token
    assert token1 and token1 != token0
    reported = {o.url.canonical() for o in delta}
    assert reported == {url[new], url[b], url[c]}, "exactly the added, changed and deleted"
    assert delta.deleted_urls == {url[c]}
    etags = {o.url.canonical(): o.etag for o in delta}
    assert etags[url[b]] and etags[url[new]]
    if changed.etag:  # the ETag the PUT answered is the one the sync reports
        assert etags[url[b]] == changed.etag

    nothing = calendar.get_objects_by_sync_token(sync_token=token1, disable_fallback=True)
    assert len(nothing) == 0 and not nothing.deleted_urls

    # The high-level sync() of the initial collection: loads what changed, drops what went.
    updated, deleted = initial.sync()
    assert {o.url.canonical() for o in updated} == {url[new], url[b]}
    assert {o.url.canonical() for o in deleted} == {url[c]}
    summaries = {o.url.canonical(): str(o.icalendar_component["SUMMARY"]) for o in updated}
    assert summaries == {url[new]: "new", url[b]: "b, changed"}
    # (early_url is left out: the library keeps a removed member an initial sync reported.)
    assert {o.url.canonical() for o in initial} - {early_url} == {url[a], url[b], url[new]}
    assert initial.sync() == ([], [])


def test_sync_with_invalid_token(calendar):
    """A token the server never issued is refused with DAV:valid-sync-token (RFC 6578 3.2), so a
    client starts over with a full listing (which the library does on its own)."""
    uid = d.new_uid("tok")
    calendar.add_event(d.simple_event(uid, "tok"))
    bogus = f"http://127.0.0.1/interop/not-a-sync-token/{uuid.uuid4().hex}"
    with pytest.raises(error.DAVError) as refused:
        calendar.get_objects_by_sync_token(sync_token=bogus, disable_fallback=True)
    assert VALID_SYNC_TOKEN in refused.value.preconditions, refused.value
    assert getattr(refused.value, "status", 403) == 403

    resync = calendar.get_objects_by_sync_token(sync_token=bogus, load_objects=True)
    assert uids(resync) == {uid}
