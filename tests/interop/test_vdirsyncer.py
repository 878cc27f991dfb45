"""vdirsyncer (0.21) against the server: two-way sync of a folder of .ics files, conflicts.

vdirsyncer runs as a subprocess (the real CLI, as a person runs it), with a config written into a
temporary directory. Its caldav storage is given only the bare server URL: it finds the calendar
home itself (current-user-principal, calendar-home-set) and picks the collection by name.
Side a is the local folder, side b the server. What happens on the server is checked with the
`caldav` library.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import icalendar
import pytest
from caldav.elements import dav, ical

import icsdata as d
from conftest import unique_id

VDIRSYNCER_TIMEOUT = 120  # seconds for one vdirsyncer run; a run normally takes about one


def vdirsyncer_executable() -> str:
    beside = Path(sys.executable).with_name("vdirsyncer")
    if beside.exists():
        return str(beside)
    found = shutil.which("vdirsyncer")
    if not found:
        pytest.fail("vdirsyncer is not installed (tests/interop/run.sh installs it)")
    return found


def collection_name(calendar) -> str:
    return calendar.url.path.rstrip("/").rsplit("/", 1)[-1]


class Vdir:
    """One vdirsyncer setup: config, status directory, local folder (side a), server (side b)."""

    PAIR = "interop"

    def __init__(self, root: Path, server, collections, conflict_resolution=None, metadata=None):
        self.root = root
        self.server = server
        self.local_base = root / "local"
        self.status = root / "status"
        self.config = root / "config"
        self.local_base.mkdir()
        self.status.mkdir()
        self.write_config(collections, conflict_resolution, metadata)

    def write_config(self, collections, conflict_resolution=None, metadata=None):
        pair = [
            f'a = "{self.PAIR}_local"',
            f'b = "{self.PAIR}_remote"',
            f"collections = {json.dumps(collections)}",
        ]
        if conflict_resolution is not None:
            pair.append(f"conflict_resolution = {json.dumps(conflict_resolution)}")
        if metadata is not None:
            pair.append(f"metadata = {json.dumps(metadata)}")
        text = "\n".join(
            [
                "[general]",
                f"status_path = {json.dumps(str(self.status) + '/')}",
                "",
                f"[pair {self.PAIR}]",
                *pair,
                "",
                f"[storage {self.PAIR}_local]",
                'type = "filesystem"',
                f"path = {json.dumps(str(self.local_base) + '/')}",
                'fileext = ".ics"',
                "",
                f"[storage {self.PAIR}_remote]",
                'type = "caldav"',
                f"url = {json.dumps(self.server.url)}",
                f"username = {json.dumps(self.server.user)}",
                # read from the environment when vdirsyncer runs, not written into the file
                'password.fetch = ["command", "printenv", "INTEROP_PASSWORD"]',
                "",
            ]
        )
        self.config.write_text(text)

    def run(self, *args: str, answer: str = "y") -> subprocess.CompletedProcess:
        """Run vdirsyncer non-interactively: any question it asks is answered `answer`."""
        return subprocess.run(
            [vdirsyncer_executable(), "-c", str(self.config), *args],
            input=(answer + "\n") * 20,
            capture_output=True,
            text=True,
            timeout=VDIRSYNCER_TIMEOUT,
            env={**os.environ, "HOME": str(self.root), "INTEROP_PASSWORD": self.server.password},
        )

    def ok(self, *args: str, answer: str = "y") -> subprocess.CompletedProcess:
        result = self.run(*args, answer=answer)
        assert result.returncode == 0, f"vdirsyncer {' '.join(args)} failed:\n{output(result)}"
        assert "error:" not in output(result).lower(), output(result)
        return result

    # The local side ---------------------------------------------------------------------------

    def folder(self, name: str) -> Path:
        path = self.local_base / name
        path.mkdir(exist_ok=True)
        return path


def output(result: subprocess.CompletedProcess) -> str:
    return f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def write_file(path: Path, text: str) -> None:
    """Replace a file atomically (new inode), as editors and sync tools do. vdirsyncer's local
    ETag is mtime + inode, so the change is seen however coarse the file system's clock is."""
    tmp = path.with_suffix(".tmp-write")
    tmp.write_text(text, newline="")
    os.replace(tmp, path)


def local_items(folder: Path) -> dict[str, dict]:
    """uid -> {path, summaries (master first), text} for every .ics file in the folder."""
    items = {}
    for path in sorted(folder.glob("*.ics")):
        text = path.read_text()
        cal = icalendar.Calendar.from_ical(text)
        events = [c for c in cal.walk("VEVENT")]
        assert events, f"{path} holds no VEVENT"
        uid = str(events[0]["UID"])
        assert uid not in items, f"UID {uid} is in two files"
        events.sort(key=lambda c: "RECURRENCE-ID" in c)
        items[uid] = {
            "path": path,
            "summaries": [str(c["SUMMARY"]) for c in events],
            "text": text,
        }
    return items


def server_items(calendar) -> dict[str, dict]:
    """uid -> {obj, summaries (master first), etag} for every event in the calendar."""
    items = {}
    listing = calendar.get_objects_by_sync_token(load_objects=True)
    for obj in listing:
        if obj.url.canonical() in listing.deleted_urls:
            continue  # a removed member (Radicale lists them even in an initial sync)
        events = [c for c in obj.icalendar_instance.subcomponents if c.name == "VEVENT"]
        uid = str(events[0]["UID"])
        assert uid not in items, f"UID {uid} is in two resources"
        events.sort(key=lambda c: "RECURRENCE-ID" in c)
        items[uid] = {"obj": obj, "summaries": [str(c["SUMMARY"]) for c in events], "etag": obj.etag}
    return items


def summaries(items: dict[str, dict]) -> dict[str, list[str]]:
    return {uid: item["summaries"] for uid, item in items.items()}


def set_summary_on_server(calendar, uid: str, summary: str) -> str:
    obj = calendar.get_event_by_uid(uid)
    with obj.edit_icalendar_component() as comp:
        comp["SUMMARY"] = summary
    obj.save()  # If-Match
    return calendar.get_event_by_uid(uid).etag  # the ETag as listed now


# ----------------------------------------------------------------------------------------------


def test_two_way_sync(tmp_path, server, make_calendar):
    calendar = make_calendar("vdir")
    name = collection_name(calendar)
    v = Vdir(tmp_path, server, collections=[name])
    folder = v.folder(name)

    timed_uid, timed = d.timed_event()
    allday_uid, allday = d.all_day_event()
    rec_uid, rec = d.recurring_event()
    safe_uid = "interop-plain-" + unique_id("uid")  # a UID vdirsyncer keeps as the server href
    write_file(folder / "timed.ics", timed)
    write_file(folder / "allday.ics", allday)
    write_file(folder / "recurring.ics", rec)
    write_file(folder / "plain.ics", d.simple_event(safe_uid, "Plain"))

    v.ok("discover")
    v.ok("sync")

    # local -> server: every file arrived, whole (the recurring one with its override).
    on_server = server_items(calendar)
    assert summaries(on_server) == {
        timed_uid: ["Timed in Berlin"],
        allday_uid: ["All day"],
        rec_uid: ["Standup", "Standup (moved)"],
        safe_uid: ["Plain"],
    }
    assert on_server[safe_uid]["obj"].url.path.endswith(f"/{safe_uid}.ics")
    timed_on_server = on_server[timed_uid]["obj"].icalendar_component
    assert timed_on_server["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert timed_on_server.decoded("DTSTART").astimezone(d.UTC) == d.TIMED_START_UTC

    # server -> local: a change, a new event and a deletion made by another client.
    set_summary_on_server(calendar, timed_uid, "Changed on the server")
    server_new = d.new_uid("server-new")
    calendar.add_event(d.simple_event(server_new, "Made on the server", day=22))
    calendar.get_event_by_uid(allday_uid).delete()

    v.ok("sync")
    local = local_items(folder)
    assert summaries(local) == {
        timed_uid: ["Changed on the server"],
        rec_uid: ["Standup", "Standup (moved)"],
        safe_uid: ["Plain"],
        server_new: ["Made on the server"],
    }
    assert local[timed_uid]["path"].name == "timed.ics"  # updated in place
    assert not (folder / "allday.ics").exists()

    # local -> server again: a change (to master and override), a new file, a deletion.
    write_file(local[rec_uid]["path"], d.recurring_event(rec_uid, summary="Changed locally")[1])
    local_new = d.new_uid("local-new")
    write_file(folder / "local-new.ics", d.simple_event(local_new, "Made locally", day=23))
    local[server_new]["path"].unlink()

    v.ok("sync")
    on_server = server_items(calendar)
    assert summaries(on_server) == {
        timed_uid: ["Changed on the server"],
        rec_uid: ["Changed locally", "Changed locally (moved)"],
        safe_uid: ["Plain"],
        local_new: ["Made locally"],
    }

    # Nothing changed: another sync writes nothing on either side.
    etags = {uid: item["etag"] for uid, item in on_server.items()}
    files = {p.name: (p.read_bytes(), p.stat().st_ino) for p in folder.glob("*.ics")}
    v.ok("sync")
    assert {uid: item["etag"] for uid, item in server_items(calendar).items()} == etags
    assert {p.name: (p.read_bytes(), p.stat().st_ino) for p in folder.glob("*.ics")} == files


MERGE_SCRIPT = textwrap.dedent(
    """\
    # vdirsyncer conflict command: merge the SUMMARY of both sides into both files.
    import re, sys
    a_path, b_path = sys.argv[1], sys.argv[2]
    a, b = open(a_path).read(), open(b_path).read()
    summary = lambda text: re.search(r"^SUMMARY:(.*?)\\r?$", text, re.M).group(1)
    merged = re.sub(r"^SUMMARY:.*?(\\r?)$", lambda m: "SUMMARY:merged " + summary(a) + " + "
                    + summary(b) + m.group(1), a, count=1, flags=re.M)
    for path in (a_path, b_path):
        open(path, "w", newline="").write(merged)
    """
)


@pytest.mark.parametrize("resolution", ["none", "a wins", "b wins", "command"])
def test_conflict(tmp_path, server, make_calendar, resolution):
    """The same event changed in the folder and on the server before a sync: what happens is
    what conflict_resolution says (side a is the folder, side b the server)."""
    calendar = make_calendar("vdirconflict")
    name = collection_name(calendar)
    if resolution == "none":
        configured = None
    elif resolution == "command":
        script = tmp_path / "merge.py"
        script.write_text(MERGE_SCRIPT)
        configured = ["command", sys.executable, str(script)]
    else:
        configured = resolution
    (tmp_path / "vdir").mkdir()
    v = Vdir(tmp_path / "vdir", server, collections=[name], conflict_resolution=configured)
    folder = v.folder(name)

    uid = d.new_uid("conflict")
    other_uid = d.new_uid("bystander")
    write_file(folder / "event.ics", d.simple_event(uid, "original"))
    write_file(folder / "other.ics", d.simple_event(other_uid, "bystander", day=21))
    v.ok("discover")
    v.ok("sync")
    assert summaries(server_items(calendar)) == {uid: ["original"], other_uid: ["bystander"]}

    write_file(folder / "event.ics", d.simple_event(uid, "local edit"))
    server_etag = set_summary_on_server(calendar, uid, "server edit")

    result = v.run("sync")
    local, remote = local_items(folder), server_items(calendar)
    assert remote[other_uid]["summaries"] == ["bystander"]
    assert local[other_uid]["summaries"] == ["bystander"]

    if resolution == "none":
        # Reported, nothing overwritten on either side.
        assert result.returncode != 0, output(result)
        assert "One item changed on both sides" in result.stderr, output(result)
        assert uid in result.stderr
        assert local[uid]["summaries"] == ["local edit"]
        assert remote[uid]["summaries"] == ["server edit"]
        assert remote[uid]["etag"] == server_etag
        # Resolved by hand: the folder takes the server's copy; the next sync is clean.
        write_file(local[uid]["path"], remote[uid]["obj"].data)
        v.ok("sync")
        assert local_items(folder)[uid]["summaries"] == ["server edit"]
        assert server_items(calendar)[uid]["etag"] == server_etag
        return

    assert result.returncode == 0, output(result)
    if resolution == "a wins":
        expected = "local edit"
    elif resolution == "b wins":
        expected = "server edit"
    else:
        expected = "merged local edit + server edit"
    assert local[uid]["summaries"] == [expected]
    assert remote[uid]["summaries"] == [expected]
    if resolution == "b wins":
        assert remote[uid]["etag"] == server_etag, "b won: the server copy must not be rewritten"
    else:
        assert remote[uid]["etag"] != server_etag
    # Settled: another sync is clean and changes nothing.
    v.ok("sync")
    assert server_items(calendar)[uid]["etag"] == remote[uid]["etag"]
    assert local_items(folder)[uid]["summaries"] == [expected]


def test_vdirsyncer_creates_the_calendar(tmp_path, server, client, created_calendars):
    """A local folder with no calendar behind it: `vdirsyncer discover` offers to create it
    (answered yes), creates it on the server (extended MKCOL) in the discovered home, uploads the
    events, and `metasync` sets its display name and colour (PROPPATCH)."""
    name = unique_id("vdirnew")
    v = Vdir(tmp_path, server, collections=["from a"], conflict_resolution="a wins",
             metadata=["displayname", "color"])
    folder = v.folder(name)
    uids = [d.new_uid("n1"), d.new_uid("n2")]
    for i, uid in enumerate(uids):
        write_file(folder / f"{i}.ics", d.simple_event(uid, f"new {i}", day=20 + i))
    (folder / "displayname").write_text("Made by vdirsyncer ✓")
    (folder / "color").write_text("#3366CCFF")

    refused = v.run("discover", answer="n")
    assert "Should vdirsyncer attempt to create it?" in refused.stdout, output(refused)
    assert refused.returncode != 0, output(refused)
    principal = client.get_principal()
    assert name not in [collection_name(c) for c in principal.get_calendars()]

    v.ok("discover", answer="y")
    calendars = {collection_name(c): c for c in principal.get_calendars()}
    assert name in calendars, f"{name} was not created; the server has {sorted(calendars)}"
    calendar = calendars[name]
    created_calendars.append(calendar)

    v.ok("sync")
    assert summaries(server_items(calendar)) == {uids[0]: ["new 0"], uids[1]: ["new 1"]}

    v.ok("metasync")
    assert calendar.get_property(dav.DisplayName()) == "Made by vdirsyncer ✓"
    color = calendar.get_property(ical.CalendarColor())
    assert color and color.upper().startswith("#3366CC"), color
