#!/usr/bin/env python3
"""Real POP3 clients against `popspec serve`: Python's poplib and curl fetch every message of
the standard fixture, from Maildir and from mbox (read as mboxrd and as mboxo), under both
profiles, and the bytes equal the fixture's wire form.

Usage: serve_pop3_interop_test.py --popspec PATH --source REPO_ROOT
"""
import os
import poplib
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from serve_support import (DEADLINE, FIXTURE_PASSWORD, FIXTURE_USER, LineClient, Server,  # noqa: E402
                           expect, expect_equal, expected_messages, main, write_fixture)


def poplib_fetch_all(port):
    """(sizes from LIST, messages as CRLF bytes from RETR, uids) through poplib."""
    pop = poplib.POP3("127.0.0.1", port, timeout=DEADLINE)
    try:
        pop.user(FIXTURE_USER)
        pop.pass_(FIXTURE_PASSWORD)
        count, _ = pop.stat()
        _, listing, _ = pop.list()
        sizes = [int(line.split()[1]) for line in listing]
        messages = []
        for n in range(1, count + 1):
            _, lines, _ = pop.retr(n)
            # poplib strips each line's CRLF and undoes the dot-stuffing.
            messages.append(b"".join(line + b"\r\n" for line in lines))
        uids = []
        try:
            _, uid_lines, _ = pop.uidl()
            uids = [line.split()[1] for line in uid_lines]
        except poplib.error_proto:
            pass  # the rfc1225 profile has no UIDL
        pop.quit()
        return sizes, messages, uids
    finally:
        pop.close()


def check_poplib(popspec, scratch, fmt, extra_args=()):
    expected, _ = expected_messages(popspec, scratch)
    root = os.path.join(scratch, "maildrops-" + fmt)
    write_fixture(popspec, root, fmt)
    with Server(popspec, root, args=extra_args) as server:
        sizes, messages, uids = poplib_fetch_all(server.pop3_port)
        expect_equal(len(messages), len(expected), "message count")
        expect_equal(sizes, [len(m) for m in expected], "LIST sizes (octets of the wire form)")
        for n, (got, want) in enumerate(zip(messages, expected), start=1):
            expect_equal(got, want, f"RETR {n} content")
        if uids:
            expect_equal(len(set(uids)), len(expected), "distinct unique-ids")
            # Stable across sessions.
            expect_equal(poplib_fetch_all(server.pop3_port)[2], uids, "unique-ids, second session")


def test_poplib_fetches_every_maildir_message_byte_exact(args, scratch):
    check_poplib(args.popspec, scratch, "maildir")


def test_poplib_fetches_every_mbox_message_byte_exact(args, scratch):
    check_poplib(args.popspec, scratch, "mbox")


def test_poplib_fetches_every_mbox_message_read_as_mboxo(args, scratch):
    check_poplib(args.popspec, scratch, "mbox", ("--mbox-format", "mboxo"))


def test_poplib_fetches_every_message_under_the_rfc1225_profile(args, scratch):
    check_poplib(args.popspec, scratch, "maildir", ("--profile", "rfc1225"))


def curl(port, path):
    result = subprocess.run(
        ["curl", "--silent", "--show-error", "--max-time", str(DEADLINE),
         f"pop3://127.0.0.1:{port}/{path}", "-u", f"{FIXTURE_USER}:{FIXTURE_PASSWORD}"],
        capture_output=True, timeout=DEADLINE + 5)
    expect(result.returncode == 0, f"curl {path} failed ({result.returncode}): {result.stderr!r}")
    return result.stdout


def check_curl(popspec, scratch, fmt):
    expect(shutil.which("curl") is not None, "curl is not installed")
    expected, _ = expected_messages(popspec, scratch)
    root = os.path.join(scratch, "maildrops-" + fmt)
    write_fixture(popspec, root, fmt)
    with Server(popspec, root) as server:
        # Without a message number curl sends LIST.
        listing = curl(server.pop3_port, "")
        expect_equal(listing, b"".join(f"{n} {len(m)}\r\n".encode()
                                       for n, m in enumerate(expected, start=1)), "curl LIST")
        for n, want in enumerate(expected, start=1):
            expect_equal(curl(server.pop3_port, str(n)), want, f"curl RETR {n}")


def test_curl_fetches_every_maildir_message_byte_exact(args, scratch):
    check_curl(args.popspec, scratch, "maildir")


def test_curl_fetches_every_mbox_message_byte_exact(args, scratch):
    check_curl(args.popspec, scratch, "mbox")


def test_a_whole_pipelined_session_in_one_write_is_answered_in_order(args, scratch):
    expected, _ = expected_messages(args.popspec, scratch)
    root = os.path.join(scratch, "maildrops")
    write_fixture(args.popspec, root)
    with Server(args.popspec, root) as server, LineClient(server.pop3_port) as c:
        expect(c.line().startswith(b"+OK"), "greeting")
        c.send(f"USER {FIXTURE_USER}\r\nPASS {FIXTURE_PASSWORD}\r\nSTAT\r\nRETR 2\r\n"
               "RETR 3\r\nNOOP\r\nQUIT\r\n")
        expect(c.line().startswith(b"+OK"), "USER")
        expect(c.line().startswith(b"+OK"), "PASS")
        expect_equal(c.line(), f"+OK {len(expected)} {sum(map(len, expected))}\r\n".encode(),
                     "STAT")
        for n in (2, 3):
            reply = c.until(b"\r\n.\r\n")
            status, body = reply.split(b"\r\n", 1)
            expect(status.startswith(b"+OK"), f"RETR {n} status {status!r}")
            body = body[:-3]  # the terminating ".\r\n"
            unstuffed = b"".join(line[1:] if line.startswith(b".") else line
                                 for line in body.splitlines(keepends=True))
            expect_equal(unstuffed, expected[n - 1], f"pipelined RETR {n}")
        expect(c.line().startswith(b"+OK"), "NOOP")
        expect(c.line().startswith(b"+OK"), "QUIT")
        expect(c.closed_by_server(), "the server closes after QUIT")


TESTS = [
    test_poplib_fetches_every_maildir_message_byte_exact,
    test_poplib_fetches_every_mbox_message_byte_exact,
    test_poplib_fetches_every_mbox_message_read_as_mboxo,
    test_poplib_fetches_every_message_under_the_rfc1225_profile,
    test_curl_fetches_every_maildir_message_byte_exact,
    test_curl_fetches_every_mbox_message_byte_exact,
    test_a_whole_pipelined_session_in_one_write_is_answered_in_order,
]

if __name__ == "__main__":
    sys.exit(main(TESTS, __doc__))
