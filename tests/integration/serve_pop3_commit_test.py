#!/usr/bin/env python3
"""What `popspec serve` commits, over TCP with real maildrops: DELE + QUIT through poplib is
committed; a dropped connection, SIGTERM and kill -9 of the server commit nothing; a second
session on a locked maildrop gets -ERR [IN-USE]; user names that are not plain never reach the
file system.

Usage: serve_pop3_commit_test.py --popspec PATH --source REPO_ROOT
"""
import hashlib
import os
import poplib
import signal
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from serve_support import (DEADLINE, FIXTURE_PASSWORD, FIXTURE_USER, LineClient, Server,  # noqa: E402
                           expect, expect_equal, expected_messages, main, snapshot,
                           write_fixture)

FORMATS = ("maildir", "mbox")


def login(port, user=FIXTURE_USER, password=FIXTURE_PASSWORD):
    pop = poplib.POP3("127.0.0.1", port, timeout=DEADLINE)
    pop.user(user)
    pop.pass_(password)
    return pop


def login_when_unlocked(port):
    """Logs in, retrying while the maildrop is still locked by a session being torn down."""
    deadline = time.monotonic() + DEADLINE
    while True:
        try:
            return login(port)
        except poplib.error_proto as e:
            if b"[IN-USE]" not in e.args[0] or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def contents(port):
    """Every message of the fixture user's maildrop, as CRLF bytes, in a fresh session."""
    pop = login_when_unlocked(port)
    try:
        count, _ = pop.stat()
        out = []
        for n in range(1, count + 1):
            _, lines, _ = pop.retr(n)
            out.append(b"".join(line + b"\r\n" for line in lines))
        pop.quit()
        return out
    finally:
        pop.close()


def seeded(args, scratch, fmt):
    expected, _ = expected_messages(args.popspec, scratch)
    root = os.path.join(scratch, "maildrops-" + fmt)
    write_fixture(args.popspec, root, fmt)
    return root, expected


def test_dele_and_quit_through_poplib_is_committed(args, scratch):
    for fmt in FORMATS:
        root, expected = seeded(args, scratch, fmt)
        with Server(args.popspec, root) as server:
            pop = login(server.pop3_port)
            pop.dele(1)
            pop.dele(3)
            expect(pop.quit().startswith(b"+OK"), "QUIT after DELE")
            pop.close()
            remaining = [m for i, m in enumerate(expected) if i not in (0, 2)]
            expect_equal(contents(server.pop3_port), remaining, f"{fmt}: after DELE 1, DELE 3, QUIT")
        # Still gone after a restart (the commit reached the disk).
        with Server(args.popspec, root) as server:
            expect_equal(contents(server.pop3_port), remaining, f"{fmt}: after a restart")


def test_a_dropped_connection_commits_nothing(args, scratch):
    for fmt in FORMATS:
        root, expected = seeded(args, scratch, fmt)
        with Server(args.popspec, root) as server:
            pop = login(server.pop3_port)
            pop.dele(1)
            pop.dele(2)
            pop.sock.close()  # no QUIT
            pop.file.close()
            expect_equal(contents(server.pop3_port), expected, f"{fmt}: after a dropped connection")


def stop_server_mid_session(args, scratch, fmt, signum):
    root, expected = seeded(args, scratch, fmt)
    server = Server(args.popspec, root)
    try:
        pop = login(server.pop3_port)
        pop.dele(1)
        pop.dele(4)
        status = server.signal(signum)
        if signum == signal.SIGKILL:
            expect_equal(status, -signal.SIGKILL, "exit status after kill -9")
        else:
            expect_equal(status, 0, f"exit status after signal {signum}")
        # The session was dropped: the client sees the connection end, not a reply.
        try:
            pop.noop()
            raise AssertionError("the session survived the server's shutdown")
        except (poplib.error_proto, OSError, EOFError):
            pass
        pop.close()
    finally:
        server.close()
    with Server(args.popspec, root) as restarted:
        expect_equal(contents(restarted.pop3_port), expected, f"{fmt}: after signal {signum}")


def test_sigterm_commits_nothing_and_exits_cleanly(args, scratch):
    for fmt in FORMATS:
        stop_server_mid_session(args, scratch, fmt, signal.SIGTERM)


def test_sigint_commits_nothing_and_exits_cleanly(args, scratch):
    stop_server_mid_session(args, scratch, "maildir", signal.SIGINT)


def test_kill_9_commits_nothing_and_leaves_no_stale_lock(args, scratch):
    for fmt in FORMATS:
        stop_server_mid_session(args, scratch, fmt, signal.SIGKILL)


def test_a_second_session_on_a_locked_maildrop_gets_in_use(args, scratch):
    root, expected = seeded(args, scratch, "maildir")
    with Server(args.popspec, root) as server:
        first = login(server.pop3_port)
        second = poplib.POP3("127.0.0.1", server.pop3_port, timeout=DEADLINE)
        second.user(FIXTURE_USER)
        try:
            second.pass_(FIXTURE_PASSWORD)
            raise AssertionError("a second session got the locked maildrop")
        except poplib.error_proto as e:
            expect(e.args[0].startswith(b"-ERR [IN-USE]"), f"PASS reply {e.args[0]!r}")
        second.close()
        expect_equal(first.stat()[0], len(expected), "the first session is unaffected")
        first.quit()
        first.close()


def test_user_names_that_are_not_plain_never_touch_the_file_system(args, scratch):
    # A Maildir beside the maildrops directory: "../x" would name it if a user name ever became
    # a path. The users file cannot hold such names, so none of them can authenticate.
    root, _ = seeded(args, scratch, "maildir")
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(scratch, "x", sub), exist_ok=True)
    with open(os.path.join(scratch, "x", "new", "1.planted"), "wb") as f:
        f.write(b"Subject: outside\n\nnot yours\n")
    names = ["../x", "..", ".", "/", "/etc/passwd", "a/b", "popspec/../x", ".popspec",
             "popspec/", "./popspec", "po\x00pspec", "..\\x", "~root", "x" * 300]
    with Server(args.popspec, root, pop2=True) as server:
        before = snapshot(scratch)
        for name in names:
            with LineClient(server.pop3_port) as c:
                expect(c.line().startswith(b"+OK"), "greeting")
                c.send(b"USER " + name.encode() + b"\r\n")
                c.line()  # +OK or -ERR, both fine; PASS must fail
                c.send(b"PASS " + FIXTURE_PASSWORD.encode() + b"\r\n")
                reply = c.line()
                expect(reply.startswith(b"-ERR"), f"PASS for user {name!r}: {reply!r}")
                expect(b"[IN-USE]" not in reply, f"user {name!r} reached a lock")
            with LineClient(server.pop3_port) as c:
                c.line()
                digest = hashlib.md5(b"whatever").hexdigest()
                c.send(b"APOP " + name.encode() + b" " + digest.encode() + b"\r\n")
                reply = c.line()
                expect(reply.startswith(b"-ERR"), f"APOP for user {name!r}: {reply!r}")
            with LineClient(server.pop2_port) as c:
                c.line()
                quoted = name.replace("\\", "\\\\").replace(" ", "\\ ")
                reply = c.command(f"HELO {quoted} {FIXTURE_PASSWORD}")
                expect(reply.startswith(b"-"), f"POP2 HELO for user {name!r}: {reply!r}")
        expect_equal(snapshot(scratch), before, "file system after unauthenticated attempts")
        # And through a legitimate login, FOLD to names that are not plain (POP2 folders).
        with LineClient(server.pop2_port) as c:
            c.line()
            expect(c.command(f"HELO {FIXTURE_USER} {FIXTURE_PASSWORD}").startswith(b"#"), "HELO")
            after_login = snapshot(scratch)
            for name in ["../../x", "..", "/", "../popspec2", ".archive/../..", "a/b"]:
                reply = c.command(f"FOLD {name}")
                expect_equal(reply[:2], b"#0", f"FOLD {name!r}")
            expect_equal(snapshot(scratch), after_login, "file system after FOLD to unsafe names")
            c.command("QUIT")


TESTS = [
    test_dele_and_quit_through_poplib_is_committed,
    test_a_dropped_connection_commits_nothing,
    test_sigterm_commits_nothing_and_exits_cleanly,
    test_sigint_commits_nothing_and_exits_cleanly,
    test_kill_9_commits_nothing_and_leaves_no_stale_lock,
    test_a_second_session_on_a_locked_maildrop_gets_in_use,
    test_user_names_that_are_not_plain_never_touch_the_file_system,
]

if __name__ == "__main__":
    sys.exit(main(TESTS, __doc__))
