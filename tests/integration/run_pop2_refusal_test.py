#!/usr/bin/env python3
"""POP2: where a scenario planned a RETR data read, a server that answers "-" and closes matches
an outcome {"status": "-"} (RFC 937 action 1: garbage gets "-" and the close). Checked with
pop2/rfc937/keywords/lower-case-retr against a server that treats lower-case keywords as
garbage, and against one that sends something else before closing (which must fail).

Usage: run_pop2_refusal_test.py --popspec PATH --source REPO_ROOT
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from loopback_server import LoopbackServer  # noqa: E402
from run_support import expect, main, popspec_run  # noqa: E402

MESSAGE = b"Subject: x\r\n\r\nhello\r\n"
SID = "pop2/rfc937/keywords/lower-case-retr"


class CaseSensitivePop2(LoopbackServer):
    """A POP2 server with one message that knows only upper-case keywords; anything else gets
    `refusal` and the close."""

    def __init__(self, refusal):
        self.refusal = refusal
        super().__init__()

    def serve(self, conn):
        conn.sendall(b"+ POP2 test server\r\n")
        for raw in conn.makefile("rb"):
            word = raw.rstrip(b"\r\n").split(b" ")[0]
            if word == b"HELO":
                conn.sendall(b"#1\r\n")
            elif word == b"READ":
                conn.sendall(b"=%d\r\n" % len(MESSAGE))
            elif word == b"RETR":
                conn.sendall(MESSAGE)
            elif word in (b"ACKS", b"NACK"):
                conn.sendall(b"=0\r\n")
            elif word == b"QUIT":
                conn.sendall(b"+\r\n")
                return
            else:
                conn.sendall(self.refusal)
                return


def verdict_against(args, refusal):
    with CaseSensitivePop2(refusal) as server:
        run = popspec_run(args.popspec, "--protocol", "pop2", "--target",
                          f"127.0.0.1:{server.port}", "--timeout", "2", SID)
    expect(run.results is not None, f"no results\n{run}")
    return run.scenario(SID)


def test_minus_and_close_where_data_was_planned_passes(args):
    s = verdict_against(args, b"- unknown command\r\n")
    expect(s["verdict"] == "pass", f"{s['verdict']} ({s['reason']}), expected pass")


def test_another_reply_and_close_where_data_was_planned_fails(args):
    s = verdict_against(args, b"#1\r\n")
    expect(s["verdict"] == "fail", f"{s['verdict']} ({s['reason']}), expected fail")


if __name__ == "__main__":
    main([
        ("'-' and a close where data was planned passes",
         test_minus_and_close_where_data_was_planned_passes),
        ("another reply and a close where data was planned fails",
         test_another_reply_and_close_where_data_was_planned_fails),
    ])
