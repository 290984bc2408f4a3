#!/usr/bin/env python3
"""Capability discovery and fixture detection against faulty servers: a defect must make the
scenarios that look for it fail, never make them "unsupported" or "skipped".

  - `popspec serve --fault lf-sizes` holds the standard fixture but reports wrong sizes: the
    size scenarios (fixture "standard") fail instead of being skipped.
  - CAPA answered "+OK" with an unterminated list (capa-no-terminator, missing-terminator) or
    with "+ok" (lowercase-status): the CAPA scenarios run and fail, not "unsupported".
  - A server that closes after "-ERR" (to CAPA, to a wrong password): discovery reconnects to
    log in and probe USER/TOP/UIDL, and a write after the close fails at once instead of
    waiting for the step's deadline.

Usage: run_discovery_test.py --popspec PATH --source REPO_ROOT
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from loopback_server import LoopbackServer  # noqa: E402
from run_support import ScenarioTree, Server, expect, main, popspec_run  # noqa: E402

TIMEOUT = "2"  # --timeout in seconds: the faulty servers answer at once or never


def verdicts_against(args, fault, *selection, timeout=TIMEOUT):
    with Server(args.popspec, "--fault", fault) as server:
        run = popspec_run(args.popspec, "--target", f"127.0.0.1:{server.pop3}", "--timeout",
                          timeout, *selection)
    expect(run.results is not None, f"{fault}: no results\n{run}")
    return run


def test_wrong_sizes_fail_the_size_scenarios(args):
    run = verdicts_against(args, "lf-sizes", "pop3/rfc1939/stat/stat-counts-the-fixture",
                           "pop3/rfc1939/list/list-one-exact-sizes",
                           "pop3/rfc1939/retr/retr-message-1-short")
    v = run.verdicts()
    for sid in ("pop3/rfc1939/stat/stat-counts-the-fixture",
                "pop3/rfc1939/list/list-one-exact-sizes"):
        expect(v.get(sid) == "fail", f"{sid}: {v.get(sid)}, expected fail\n{run}")
    # The messages are the fixture's: content checks still pass.
    sid = "pop3/rfc1939/retr/retr-message-1-short"
    if sid in v:
        expect(v[sid] == "pass", f"{sid}: {v[sid]}, expected pass\n{run}")


def check_capa_runs_and_fails(args, fault):
    sid = "pop3/rfc2449/capa/capa-in-both-states"  # needs CAPA
    run = verdicts_against(args, fault, sid, timeout="1")
    s = run.scenario(sid)
    expect(s["verdict"] in ("fail", "timeout"),
           f"{fault}: {sid} is {s['verdict']} ({s['reason']}), expected fail\n{run}")


def test_an_unterminated_capa_list_still_means_capa(args):
    check_capa_runs_and_fails(args, "capa-no-terminator")


def test_a_lower_case_capa_answer_still_means_capa(args):
    check_capa_runs_and_fails(args, "lowercase-status")


def test_missing_terminators_still_mean_capa(args):
    check_capa_runs_and_fails(args, "missing-terminator")


class ClosingServer(LoopbackServer):
    """A POP3 server that closes the connection after every -ERR (CAPA is not implemented,
    a wrong password is refused). One message; TOP and UIDL work. With `capa` (the lines before
    login, the lines after) it answers CAPA with those lists instead; with `silent_capa` it
    never answers CAPA (a slow server) but goes on with the next command."""

    def __init__(self, capa=None, silent_capa=False):
        self.capa = capa
        self.silent_capa = silent_capa
        super().__init__()

    def serve(self, conn):
        conn.sendall(b"+OK closing test server\r\n")
        f = conn.makefile("rb")
        logged_in = False
        for raw in f:
            line = raw.rstrip(b"\r\n")
            word = line.split(b" ")[0].upper()
            if word == b"USER":
                conn.sendall(b"+OK\r\n")
            elif word == b"PASS" and line == b"PASS popspec-secret":
                logged_in = True
                conn.sendall(b"+OK\r\n")
            elif word == b"CAPA" and self.silent_capa:
                continue  # a slow server: the answer never comes in time
            elif word == b"CAPA" and self.capa:
                lines = self.capa[1 if logged_in else 0]
                conn.sendall(b"+OK\r\n" + b"".join(x.encode() + b"\r\n" for x in lines) +
                             b".\r\n")
            elif word == b"NOOP":
                conn.sendall(b"+OK\r\n")
            elif word == b"STAT":
                conn.sendall(b"+OK 1 20\r\n")
            elif word == b"TOP":
                conn.sendall(b"+OK\r\nSubject: x\r\n\r\n.\r\n")
            elif word == b"UIDL":
                conn.sendall(b"+OK\r\n1 a\r\n.\r\n")
            elif word == b"QUIT":
                conn.sendall(b"+OK bye\r\n")
                return
            else:
                conn.sendall(b"-ERR no\r\n")
                return


def test_discovery_reconnects_after_a_close_that_follows_err_to_capa(args):
    with ScenarioTree(args.source) as t, ClosingServer() as server:
        t.add("pop3/closing", "pop3", [{
            "id": "top-and-uidl", "title": "TOP and UIDL after a login",
            "requirements": ["POP3-1939-TOP.1"], "needs": ["USER", "TOP", "UIDL"],
            "fixture": "any",
            "steps": [{"connect": "main"}, {"login": "user"},
                      {"send": "TOP 1 0", "expect": {"status": "+OK"}},
                      {"send": "UIDL", "expect": {"status": "+OK"}}],
        }])
        run = popspec_run(args.popspec, "--scenarios", t.root, "--target",
                          f"127.0.0.1:{server.port}", "--timeout", TIMEOUT)
        expect(run.results is not None, f"no results\n{run}")
        s = run.scenario("pop3/closing/top-and-uidl")
        expect(s["verdict"] == "pass", f"{s['verdict']} ({s['reason']}), expected pass\n{run}")


def test_a_write_after_the_server_closed_fails_at_once(args):
    sid = "pop3/rfc1939/user-pass/login-after-wrong-password"
    with ClosingServer() as server:
        run = popspec_run(args.popspec, "--target", f"127.0.0.1:{server.port}", "--timeout",
                          "5", sid)
    expect(run.results is not None, f"no results\n{run}")
    s = run.scenario(sid)
    expect(s["verdict"] == "pass", f"{s['verdict']} ({s['reason']}), expected pass\n{run}")
    waited = [e["data"] for e in s.get("transcript", [])
              if e["direction"] == "event" and "timed out" in e["data"]]
    expect(not waited, f"a write waited for the deadline: {waited}\n{run}")


def test_a_discovery_command_without_answer_is_named_next_to_unsupported(args):
    sid = "pop3/rfc2449/capa/capa-in-both-states"  # needs CAPA
    with ClosingServer(silent_capa=True) as server:
        run = popspec_run(args.popspec, "--target", f"127.0.0.1:{server.port}", "--timeout", "1",
                          sid)
    expect(run.results is not None, f"no results\n{run}")
    s = run.scenario(sid)
    expect(s["verdict"] == "unsupported", f"{s['verdict']} ({s['reason']})\n{run}")
    expect("CAPA got no answer within 1000 ms" in s["reason"], f"reason: {s['reason']}\n{run}")
    options = run.results["metadata"]["options"]
    expect(options.get("discovery_unanswered") == "CAPA got no answer within 1000 ms",
           f"run options: {options}\n{run}")
    expect("warning: during capability discovery CAPA got no answer" in run.stdout,
           f"no warning on the terminal\n{run}")


def capa_comparison(args, before, after):
    sid = "pop3/rfc2449/capa/authorization-capabilities-announced-after-login"
    with ClosingServer((before, after)) as server:
        run = popspec_run(args.popspec, "--target", f"127.0.0.1:{server.port}", "--timeout",
                          TIMEOUT, sid)
    expect(run.results is not None, f"no results\n{run}")
    return run.scenario(sid)


def test_a_capability_dropped_after_login_fails_the_comparison(args):
    s = capa_comparison(args, ["TOP", "UIDL", "USER", "SASL PLAIN"], ["TOP", "USER", "SASL PLAIN"])
    expect(s["verdict"] == "fail", f"UIDL dropped: {s['verdict']} ({s['reason']})")
    s = capa_comparison(args, ["TOP", "SASL PLAIN LOGIN"], ["TOP", "SASL PLAIN"])
    expect(s["verdict"] == "fail", f"SASL argument changed: {s['verdict']} ({s['reason']})")


def test_the_allowed_differences_pass_the_comparison(args):
    s = capa_comparison(args, ["STLS", "top", "EXPIRE 30", "LOGIN-DELAY 60", "USER"],
                        ["TOP", "USER", "EXPIRE 10", "LOGIN-DELAY 0", "IMPLEMENTATION x"])
    expect(s["verdict"] == "pass", f"{s['verdict']} ({s['reason']})")


if __name__ == "__main__":
    main([
        ("wrong sizes fail the size scenarios", test_wrong_sizes_fail_the_size_scenarios),
        ("a discovery command without answer is named next to unsupported",
         test_a_discovery_command_without_answer_is_named_next_to_unsupported),
        ("an unterminated CAPA list still means CAPA",
         test_an_unterminated_capa_list_still_means_capa),
        ("a lower-case CAPA answer still means CAPA", test_a_lower_case_capa_answer_still_means_capa),
        ("missing terminators still mean CAPA", test_missing_terminators_still_mean_capa),
        ("discovery reconnects after a close that follows -ERR to CAPA",
         test_discovery_reconnects_after_a_close_that_follows_err_to_capa),
        ("a write after the server closed fails at once",
         test_a_write_after_the_server_closed_fails_at_once),
        ("a capability dropped after login fails the comparison",
         test_a_capability_dropped_after_login_fails_the_comparison),
        ("the allowed differences pass the comparison",
         test_the_allowed_differences_pass_the_comparison),
    ])
