#!/usr/bin/env python3
"""A real SMTP server on loopback for Televent's integration tests.

It binds 127.0.0.1 on a free port, prints that port alone on the first line of stdout, and
appends one JSON object per received message to the file named by --out:

    {"mail_from": ..., "rcpt_tos": [...], "raw": "<the DATA as sent>",
     "headers": {"from": ..., "to": ..., "subject": ..., "date": ..., "message-id": ...,
                 "mime-version": ...},
     "content_type": "multipart/alternative", "params": {...},
     "parts": [{"content_type": "text/plain", "params": {"charset": "utf-8"},
                "transfer_encoding": "7bit", "body": "<decoded text>"}, ...]}

The MIME structure is parsed with Python's own `email` package, so that tests assert what a
mail client would see rather than the bytes mail-send happened to write. A line is written
whole and flushed before the server answers 250, so a message the client saw accepted is in
the file.

--refuse-first N --refuse-code C --refuse-at {rcpt,data}: the first N messages are refused
with code C at that stage, later ones are accepted. --auth user:password requires AUTH
(PLAIN or LOGIN) with those credentials, over plain TCP (these tests have no TLS).

It exits when its standard input reaches end of file, so it never outlives the test process
that started it, however that process ended.
"""

import argparse
import asyncio
import email
import email.policy
import json
import sys
import threading
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, out, refuse_first, refuse_code, refuse_at):
        self.out = out
        self.refusals_left = refuse_first
        self.refuse_code = refuse_code
        self.refuse_at = refuse_at
        self.lock = threading.Lock()

    def _refusal(self, stage):
        if self.refuse_at != stage or self.refusals_left <= 0:
            return None
        self.refusals_left -= 1
        enhanced = "4.3.0" if self.refuse_code < 500 else "5.1.1"
        return f"{self.refuse_code} {enhanced} refused by the test sink"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self._refusal("rcpt")
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refusal = self._refusal("data")
        if refusal is not None:
            return refusal
        record = describe(envelope)
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self.lock, open(self.out, "a", encoding="utf-8") as out:
            out.write(line)
            out.flush()
        return "250 2.0.0 OK: queued"


def params_of(part):
    header = part.get("content-type")
    if header is None or not hasattr(header, "params"):
        return {}
    return {key.lower(): str(value) for key, value in header.params.items()}


def describe(envelope):
    raw = envelope.original_content or envelope.content
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {}
    for name in ("from", "to", "subject", "date", "message-id", "mime-version"):
        value = message.get(name)
        if value is not None:
            headers[name] = str(value)
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            body = part.get_content()
        except Exception as error:  # noqa: BLE001 - recorded for the test to see
            body = f"<undecodable: {error}>"
        if isinstance(body, bytes):
            body = body.decode("utf-8", errors="replace")
        parts.append(
            {
                "content_type": part.get_content_type(),
                "params": params_of(part),
                "transfer_encoding": str(part.get("content-transfer-encoding", "")),
                "body": body,
            }
        )
    return {
        "mail_from": envelope.mail_from,
        "rcpt_tos": list(envelope.rcpt_tos),
        "raw": raw.decode("utf-8", errors="replace"),
        "headers": headers,
        "content_type": message.get_content_type(),
        "params": params_of(message),
        "parts": parts,
    }


def authenticator_for(credentials):
    user, _, password = credentials.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)

    return authenticate


def exit_on_stdin_eof(loop, stop):
    def watch():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, daemon=True).start()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="JSON lines file, one line per message")
    parser.add_argument("--refuse-first", type=int, default=0)
    parser.add_argument("--refuse-code", type=int, default=451)
    parser.add_argument("--refuse-at", choices=("rcpt", "data"), default="data")
    parser.add_argument("--auth", help="user:password that AUTH must present")
    args = parser.parse_args()

    sink = Sink(args.out, args.refuse_first, args.refuse_code, args.refuse_at)
    smtp_options = {"hostname": "sink.test", "ident": "televent-test-sink"}
    if args.auth is not None:
        smtp_options.update(
            authenticator=authenticator_for(args.auth),
            auth_required=True,
            auth_require_tls=False,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink, **smtp_options), host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()

    stop = asyncio.Event()
    exit_on_stdin_eof(loop, stop)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    # AUTH without TLS is what these tests want; aiosmtpd warns about it (and about its own
    # deprecated login_data) on every session.
    warnings.simplefilter("ignore")
    asyncio.run(main())
