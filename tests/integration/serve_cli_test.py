#!/usr/bin/env python3
"""`popspec serve` as a command: the listening lines, the loopback default, clear errors with
exit 2 for bad flags and exit 3 for bind failures, the timeout floor, --max-connections,
--hostname, and the --fault testing aid.

Usage: serve_cli_test.py --popspec PATH --source REPO_ROOT
"""
import os
import re
import socket
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from serve_support import (FIXTURE_PASSWORD, FIXTURE_USER, LineClient, Server,  # noqa: E402
                           expect, expect_equal, main, run_popspec, write_fixture)


def seeded(args, scratch):
    root = os.path.join(scratch, "maildrops")
    write_fixture(args.popspec, root)
    return root


def test_prints_one_listening_line_per_listener_on_loopback(args, scratch):
    root = seeded(args, scratch)
    for form in (":0", "0", "127.0.0.1:0"):
        # Server() fails unless every line is exactly "popspec: popN listening on 127.0.0.1:PORT".
        with Server(args.popspec, root, pop3=form, pop2=form) as server:
            expect_equal(len(server.stdout_lines), 2, f"listening lines for {form}")
            expect(server.pop3_port > 0 and server.pop2_port > 0, "ports")
            with LineClient(server.pop3_port) as c:
                expect(c.line().startswith(b"+OK"), "POP3 greeting")
            with LineClient(server.pop2_port) as c:
                expect(c.line().startswith(b"+ POP2"), "POP2 greeting")


def expect_usage_error(args, flags, fragment):
    result = run_popspec(args.popspec, "serve", *flags)
    expect_equal(result.returncode, 2, f"exit status of serve {' '.join(flags)}")
    expect(fragment in result.stderr, f"serve {' '.join(flags)}: stderr {result.stderr!r} "
                                      f"does not mention {fragment!r}")
    expect_equal(result.stdout, "", "stdout on a usage error")


def test_bad_flags_exit_2_with_a_clear_error(args, scratch):
    root = seeded(args, scratch)
    expect_usage_error(args, ["--maildrops", root], "--pop3")
    expect_usage_error(args, ["--maildrops", root, "--pop3", "localhost:0"], "numeric")
    expect_usage_error(args, ["--maildrops", root, "--pop3", "127.0.0.1:70000"], "port")
    expect_usage_error(args, ["--maildrops", os.path.join(scratch, "none"), "--pop3", "0"],
                       "not a directory")
    expect_usage_error(args, ["--maildrops", root, "--pop3", "0", "--users",
                              os.path.join(scratch, "none")], "cannot read")
    expect_usage_error(args, ["--maildrops", root, "--pop3", "0", "--profile", "rfc9999"],
                       "--profile")
    expect_usage_error(args, ["--maildrops", root, "--pop3", "0", "--fault", "bogus"], "bogus")
    expect_usage_error(args, ["--maildrops", root, "--pop3", "0", "--hostname", "a b"],
                       "--hostname")
    expect_usage_error(args, ["--maildrops", root, "--pop3", "0", "--max-connections", "0"],
                       "--max-connections")


def test_a_missing_default_users_file_is_a_clear_error(args, scratch):
    root = os.path.join(scratch, "no-users")
    os.makedirs(root)
    expect_usage_error(args, ["--maildrops", root, "--pop3", "0"], "users")


def test_timeouts_below_ten_minutes_need_allow_short_timeouts(args, scratch):
    root = seeded(args, scratch)
    expect_usage_error(args, ["--maildrops", root, "--pop3", "0", "--autologout", "599"],
                       "--allow-short-timeouts")
    expect_usage_error(args, ["--maildrops", root, "--pop2", "0", "--pop2-timeout", "30"],
                       "--allow-short-timeouts")
    with Server(args.popspec, root, args=("--autologout", "600")) as server:
        expect(server.pop3_port, "600 s is accepted")
    # With the testing aid, a silent client is logged out without any response.
    with Server(args.popspec, root,
                args=("--allow-short-timeouts", "--autologout", "1")) as server:
        with LineClient(server.pop3_port) as c:
            expect(c.line().startswith(b"+OK"), "greeting")
            started = time.monotonic()
            expect(c.closed_by_server(), "closed by the autologout timer")
            expect(time.monotonic() - started >= 0.9, "the autologout came early")
            expect_equal(c.buffer, b"", "data sent on autologout")


def test_a_port_in_use_exits_3(args, scratch):
    root = seeded(args, scratch)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_popspec(args.popspec, "serve", "--maildrops", root, "--pop3",
                             f"127.0.0.1:{port}")
        expect_equal(result.returncode, 3, "exit status when the port is taken")
        expect(f"cannot listen on 127.0.0.1:{port}" in result.stderr, f"stderr {result.stderr!r}")
        expect_equal(len(result.stderr.strip().splitlines()), 1, "one error line")


def test_max_connections_refuses_the_next_connection_with_one_line(args, scratch):
    root = seeded(args, scratch)
    with Server(args.popspec, root, pop2=True, args=("--max-connections", "1")) as server:
        with LineClient(server.pop3_port) as admitted:
            expect(admitted.line().startswith(b"+OK"), "greeting of the admitted connection")
            with LineClient(server.pop3_port) as refused:
                expect_equal(refused.line(), b"-ERR [SYS/TEMP] too many connections\r\n",
                             "POP3 refusal")
                expect(refused.closed_by_server(), "refused connection closed")
            with LineClient(server.pop2_port) as refused:
                expect_equal(refused.line(), b"- too many connections\r\n", "POP2 refusal")
                expect(refused.closed_by_server(), "refused connection closed")


def test_hostname_appears_in_the_apop_timestamp(args, scratch):
    root = seeded(args, scratch)
    with Server(args.popspec, root, pop2=True, args=("--hostname", "pop.example.test")) as server:
        with LineClient(server.pop3_port) as c:
            greeting = c.line()
            expect(re.search(rb"<\d+\.\d+\.\d+@pop\.example\.test>", greeting),
                   f"greeting {greeting!r}")
        with LineClient(server.pop2_port) as c:
            expect(c.line().startswith(b"+ POP2 pop.example.test"), "POP2 greeting")


def test_help_documents_every_fault_as_a_testing_aid(args, scratch):
    result = run_popspec(args.popspec, "serve", "--help")
    expect_equal(result.returncode, 0, "serve --help")
    expect("TESTING AID" in result.stdout, "--fault is flagged as a testing aid")
    with open(os.path.join(args.source, "reference", "src", "util", "faults.cpp")) as f:
        names = re.findall(r'\{fault::\w+, "([a-z0-9-]+)"', f.read())
    expect(len(names) > 20, "fault names found in faults.cpp")
    for name in names:
        expect(name in result.stdout, f"--help does not list fault {name}")


def test_faults_make_the_server_deliberately_non_conforming(args, scratch):
    root = seeded(args, scratch)
    # no-lock: a second session gets the maildrop.
    with Server(args.popspec, root, args=("--fault", "no-lock")) as server:
        with LineClient(server.pop3_port) as a, LineClient(server.pop3_port) as b:
            for c in (a, b):
                c.line()
                expect(c.command(f"USER {FIXTURE_USER}").startswith(b"+OK"), "USER")
                reply = c.command(f"PASS {FIXTURE_PASSWORD}")
                expect(reply.startswith(b"+OK"), f"PASS with no-lock: {reply!r}")
    # pipelining-drops: of two commands in one write, only the first is answered.
    with Server(args.popspec, root, args=("--fault", "pipelining-drops")) as server:
        with LineClient(server.pop3_port, timeout=1) as c:
            c.line()
            c.send(f"USER {FIXTURE_USER}\r\nPASS {FIXTURE_PASSWORD}\r\n")
            expect(c.line().startswith(b"+OK"), "USER answered")
            try:
                extra = c.line()
                raise AssertionError(f"the second pipelined command was answered: {extra!r}")
            except socket.timeout:
                pass


TESTS = [
    test_prints_one_listening_line_per_listener_on_loopback,
    test_bad_flags_exit_2_with_a_clear_error,
    test_a_missing_default_users_file_is_a_clear_error,
    test_timeouts_below_ten_minutes_need_allow_short_timeouts,
    test_a_port_in_use_exits_3,
    test_max_connections_refuses_the_next_connection_with_one_line,
    test_hostname_appears_in_the_apop_timestamp,
    test_help_documents_every_fault_as_a_testing_aid,
    test_faults_make_the_server_deliberately_non_conforming,
]

if __name__ == "__main__":
    sys.exit(main(TESTS, __doc__))
