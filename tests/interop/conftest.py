"""Shared fixtures for the real-client interop suite.

The server under test is given by environment variables (run.sh sets them):

* ``INTEROP_URL``      the bare server URL, e.g. ``http://127.0.0.1:5232/``; discovery starts here
* ``INTEROP_USER``     user name (HTTP Basic)
* ``INTEROP_PASSWORD`` password (for Televent: a device password)
* ``INTEROP_SERVER``   optional, ``radicale`` or ``televent``: which server this is, only for the
  few assertions that are marked as depending on the server

Only loopback URLs are accepted: the suite must never send traffic anywhere else.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from urllib.parse import urlsplit

import caldav
import pytest
from caldav.lib import error


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run the suite through tests/interop/run.sh", returncode=2)
    return value


def _require_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as exc:
        pytest.exit(f"INTEROP_URL host {host!r} does not resolve: {exc}", returncode=2)
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_loopback:
            pytest.exit(f"INTEROP_URL must be a loopback address, {host!r} is {address}", returncode=2)


class Server:
    """Where the server is and who we are on it."""

    def __init__(self) -> None:
        url = _env("INTEROP_URL")
        if not url.endswith("/"):
            url += "/"
        _require_loopback(url)
        self.url = url
        self.user = _env("INTEROP_USER")
        self.password = _env("INTEROP_PASSWORD")
        self.kind = os.environ.get("INTEROP_SERVER", "").lower()

    def client(self, url: str | None = None) -> caldav.DAVClient:
        # enable_rfc6764=False: the URL has a path, so the library would not do DNS discovery
        # anyway; saying so keeps any DNS lookup (and so any non-loopback traffic) out.
        return caldav.DAVClient(
            url=url or self.url,
            username=self.user,
            password=self.password,
            timeout=30,
            enable_rfc6764=False,
        )


@pytest.fixture(scope="session")
def server() -> Server:
    return Server()


@pytest.fixture()
def client(server: Server):
    with server.client() as c:
        yield c


@pytest.fixture()
def principal(client: caldav.DAVClient):
    return client.get_principal()


def unique_id(prefix: str) -> str:
    """A collection name no other test (or earlier run on a long-lived server) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture()
def created_calendars(client):
    """Calendars a test made; deleted afterwards (before the client closes), best effort: a
    server that does not offer calendar DELETE keeps them, which does not matter, as every test
    uses fresh ids."""
    created = []
    yield created
    for cal in created:
        try:
            cal.delete(wipe=False)
        except (error.DAVError, OSError):
            pass


@pytest.fixture()
def make_calendar(principal, created_calendars):
    """Create a calendar with a unique id (MKCALENDAR) in the discovered calendar home."""

    def make(prefix: str = "interop", name: str | None = None, **kwargs):
        cal_id = unique_id(prefix)
        cal = principal.make_calendar(name=name or f"Interop {cal_id}", cal_id=cal_id, **kwargs)
        created_calendars.append(cal)
        return cal

    return make


@pytest.fixture()
def calendar(make_calendar):
    return make_calendar()
