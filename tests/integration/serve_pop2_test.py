#!/usr/bin/env python3
"""POP2 (RFC 937) end to end over TCP against `popspec serve --pop2`: every fixture message
fetched byte-exact with READ/RETR/ACKS, some deleted with ACKD, what remains after QUIT and
after a dropped connection (nothing removed), FOLD, the T2 timeout, and the maildrop lock
shared with POP3 (both listeners in one process).

Usage: serve_pop2_test.py --popspec PATH --source REPO_ROOT
"""
import os
import re
import signal
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from serve_support import (FIXTURE_PASSWORD, FIXTURE_USER, LineClient, Server,  # noqa: E402
                           expect, expect_equal, expected_messages, main, write_fixture)

FORMATS = ("maildir", "mbox")
HELO = f"HELO {FIXTURE_USER} {FIXTURE_PASSWORD}"


def number(reply, indicator):
    """The nnn of "#nnn ..." or "=nnn ..."."""
    m = re.match(rb"^" + re.escape(indicator) + rb"(\d+)(?: .*)?\r\n$", reply)
    expect(m is not None, f"expected a {indicator.decode()}nnn reply, got {reply!r}")
    return int(m.group(1))


def greeted(port):
    c = LineClient(port)
    greeting = c.line()
    expect(greeting.startswith(b"+ POP2 "), f"POP2 greeting {greeting!r}")
    return c


def fetch_all(c, expected, ackd=()):
    """Reads every message from the selected mailbox with READ 1 / RETR / ACKS (ACKD for the
    0-based indices in `ackd`), checking each byte-exact."""
    length = number(c.command("READ 1"), b"=")
    for i, want in enumerate(expected):
        expect_equal(length, len(want), f"=ccc of message {i + 1}")
        c.send("RETR\r\n")
        expect_equal(c.exactly(length), want, f"RETR of message {i + 1}")
        length = number(c.command("ACKD" if i in ackd else "ACKS"), b"=")
    expect_equal(length, 0, "=ccc after the last message")


def remaining_through_pop2(port, expected_count):
    deadline = time.monotonic() + 20
    while True:
        with greeted(port) as c:
            reply = c.command(HELO)
            if reply.startswith(b"#"):
                expect_equal(number(reply, b"#"), expected_count, "#nnn after HELO")
                messages = []
                for n in range(1, expected_count + 1):
                    length = number(c.command(f"READ {n}"), b"=")
                    c.send("RETR\r\n")
                    messages.append(c.exactly(length))
                    number(c.command("ACKS"), b"=")
                expect_equal(c.command("QUIT")[:1], b"+", "QUIT")
                return messages
        # "-" while the previous session is still being torn down (lock held); retry.
        expect(time.monotonic() < deadline, f"HELO kept failing: {reply!r}")
        time.sleep(0.05)


def seeded(args, scratch, fmt):
    expected, archive = expected_messages(args.popspec, scratch)
    root = os.path.join(scratch, "maildrops-" + fmt)
    write_fixture(args.popspec, root, fmt)
    return root, expected, archive


def test_fetches_every_message_byte_exact_and_ackd_removes_them_after_quit(args, scratch):
    for fmt in FORMATS:
        root, expected, _ = seeded(args, scratch, fmt)
        with Server(args.popspec, root, pop3=True, pop2=True) as server:
            with greeted(server.pop2_port) as c:
                expect_equal(number(c.command(HELO), b"#"), len(expected), f"{fmt}: HELO count")
                fetch_all(c, expected, ackd=(1, 3))
                expect_equal(c.command("QUIT")[:1], b"+", "QUIT")
                expect(c.closed_by_server(), "the server closes after QUIT")
            survivors = [m for i, m in enumerate(expected) if i not in (1, 3)]
            expect_equal(remaining_through_pop2(server.pop2_port, len(survivors)), survivors,
                         f"{fmt}: what remains after ACKD 2, ACKD 4, QUIT")


def test_a_dropped_connection_after_ackd_removes_nothing(args, scratch):
    for fmt in FORMATS:
        root, expected, _ = seeded(args, scratch, fmt)
        with Server(args.popspec, root, pop3=False, pop2=True) as server:
            with greeted(server.pop2_port) as c:
                number(c.command(HELO), b"#")
                fetch_all(c, expected, ackd=range(len(expected)))
                # No QUIT: the connection just goes away.
            expect_equal(remaining_through_pop2(server.pop2_port, len(expected)), expected,
                         f"{fmt}: after a dropped connection")


def test_sigterm_after_ackd_removes_nothing(args, scratch):
    root, expected, _ = seeded(args, scratch, "mbox")
    server = Server(args.popspec, root, pop3=False, pop2=True)
    try:
        c = greeted(server.pop2_port)
        number(c.command(HELO), b"#")
        fetch_all(c, expected, ackd=(0, 1, 2))
        expect_equal(server.signal(signal.SIGTERM), 0, "exit status after SIGTERM")
        expect(c.closed_by_server(), "the session is dropped")
        c.close()
    finally:
        server.close()
    with Server(args.popspec, root, pop3=False, pop2=True) as restarted:
        expect_equal(remaining_through_pop2(restarted.pop2_port, len(expected)), expected,
                     "after SIGTERM")


def test_fold_selects_the_archive_folder_and_a_missing_folder_counts_zero(args, scratch):
    for fmt in FORMATS:
        root, expected, archive = seeded(args, scratch, fmt)
        with Server(args.popspec, root, pop3=False, pop2=True) as server:
            with greeted(server.pop2_port) as c:
                number(c.command(HELO), b"#")
                expect_equal(number(c.command("FOLD archive"), b"#"), len(archive),
                             f"{fmt}: FOLD archive")
                fetch_all(c, archive)
                expect_equal(number(c.command("FOLD no-such-folder"), b"#"), 0, "FOLD missing")
                expect_equal(c.command("READ 1")[:2], b"=0", "READ in a missing folder")
                expect_equal(c.command("QUIT")[:1], b"+", "QUIT")


def test_a_pop2_and_a_pop3_session_cannot_hold_one_maildrop_at_once(args, scratch):
    root, expected, _ = seeded(args, scratch, "maildir")
    with Server(args.popspec, root, pop3=True, pop2=True) as server:
        expect(server.pop3_port != server.pop2_port, "two listeners")
        with LineClient(server.pop3_port) as pop3:
            expect(pop3.line().startswith(b"+OK"), "POP3 greeting")
            expect(pop3.command(f"USER {FIXTURE_USER}").startswith(b"+OK"), "USER")
            expect(pop3.command(f"PASS {FIXTURE_PASSWORD}").startswith(b"+OK"), "PASS")
            with greeted(server.pop2_port) as pop2:
                reply = pop2.command(HELO)
                expect(reply.startswith(b"-"), f"POP2 HELO while POP3 holds the maildrop: {reply!r}")
                expect(pop2.closed_by_server(), "a failed HELO closes the connection")
            expect(pop3.command("QUIT").startswith(b"+OK"), "POP3 QUIT")
        with greeted(server.pop2_port) as pop2:
            deadline = time.monotonic() + 20
            reply = pop2.command(HELO)
            while reply.startswith(b"-") and time.monotonic() < deadline:
                pop2.close()
                time.sleep(0.05)
                pop2 = greeted(server.pop2_port)
                reply = pop2.command(HELO)
            expect_equal(number(reply, b"#"), len(expected), "POP2 HELO once POP3 has quit")
            with LineClient(server.pop3_port) as pop3:
                pop3.line()
                pop3.command(f"USER {FIXTURE_USER}")
                reply = pop3.command(f"PASS {FIXTURE_PASSWORD}")
                expect(reply.startswith(b"-ERR [IN-USE]"), f"POP3 PASS while POP2 holds it: {reply!r}")
            pop2.close()


def test_the_inactivity_timeout_answers_minus_and_closes(args, scratch):
    root, expected, _ = seeded(args, scratch, "maildir")
    with Server(args.popspec, root, pop3=False, pop2=True,
                args=("--allow-short-timeouts", "--pop2-timeout", "1")) as server:
        with greeted(server.pop2_port) as c:
            number(c.command(HELO), b"#")
            started = time.monotonic()
            reply = c.line()
            expect(reply.startswith(b"-"), f"reply on timeout {reply!r}")
            expect(time.monotonic() - started >= 0.9, "the timeout came early")
            expect(c.closed_by_server(), "closed after the timeout reply")
        expect_equal(remaining_through_pop2(server.pop2_port, len(expected)), expected,
                     "after the timeout")


TESTS = [
    test_fetches_every_message_byte_exact_and_ackd_removes_them_after_quit,
    test_a_dropped_connection_after_ackd_removes_nothing,
    test_sigterm_after_ackd_removes_nothing,
    test_fold_selects_the_archive_folder_and_a_missing_folder_counts_zero,
    test_a_pop2_and_a_pop3_session_cannot_hold_one_maildrop_at_once,
    test_the_inactivity_timeout_answers_minus_and_closes,
]

if __name__ == "__main__":
    sys.exit(main(TESTS, __doc__))
