#!/usr/bin/env python3
"""`popspec run` end to end: exit codes, selection, the read-only default of --target,
--reset-command, the differential comparison, failure output a person can act on, and the
--json summary.

Usage: run_cli_test.py --popspec PATH --source REPO_ROOT
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from run_support import ScenarioTree, Server, expect, main, popspec_run  # noqa: E402

VERDICTS = ["pass", "fail", "non_strict", "unsupported", "skipped", "timeout", "error", "total"]


def basic_tree(source):
    tree = ScenarioTree(source)
    tree.add("pop3/cli", "pop3", [
        {"id": "stat", "title": "STAT answers", "requirements": ["POP3-1939-STAT.2"],
         "steps": [{"connect": "main"}, {"login": "user"}, {"send": "STAT"}]},
        {"id": "retr-deleted", "title": "RETR of a deleted message is refused",
         "requirements": ["POP3-1939-RETR.3"], "destructive": True,
         "steps": [{"connect": "main"}, {"login": "user"},
                   {"send": "DELE 1", "expect": {"status": "+OK"}},
                   {"send": "RETR 1", "expect": {"status": "-ERR"}}]},
        {"id": "soft", "title": "A SHOULD-only scenario that cannot be met",
         "requirements": ["POP3-1939-STAT.3"], "fixture": "none",
         "steps": [{"connect": "main"}, {"send": "NOOP", "expect": {"status": "+OK"}}]},
    ])
    return tree


def test_json_summary_and_exit_codes_against_the_embedded_reference(args):
    with basic_tree(args.source) as tree:
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/cli/stat",
                          "pop3/cli/retr-deleted")
        expect(run.code == 0, str(run))
        summary = run.results["summary"]
        for key in VERDICTS:
            expect(key in summary, f"summary lacks {key}: {summary}")
        expect(summary["pass"] == 2 and summary["total"] == 2, str(summary))
        s = run.scenario("pop3/cli/stat")
        expect(s["requirements"][0]["id"] == "POP3-1939-STAT.2", str(s["requirements"]))
        # A mismatch in a scenario citing only SHOULD requirements is non_strict, exit 0.
        soft = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/cli/soft")
        expect(soft.code == 0 and soft.verdicts() == {"pop3/cli/soft": "non_strict"}, str(soft))


def test_usage_errors_exit_2(args):
    with basic_tree(args.source) as tree:
        nothing = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/none/*")
        expect(nothing.code == 2 and "matches no scenario" in nothing.stderr, str(nothing))
        pop2 = popspec_run(args.popspec, "--scenarios", tree.root, "--protocol", "pop2")
        expect(pop2.code == 2 and "no pop2 scenario selected" in pop2.stderr, str(pop2))
        tree.add_text("pop3/broken", '{"group": "pop3/broken", "protocol": "pop3",\n'
                      ' "scenarios": [{"id": "x", "title": "t", "requirements": '
                      '["POP3-1939-STAT.2"],\n  "steps": [{"connect": "main", "expct": {}}]}]}')
        broken = popspec_run(args.popspec, "--scenarios", tree.root)
        expect(broken.code == 2, str(broken))
        expect("broken.json:3:33: unknown key \"expct\"" in broken.stderr, str(broken))
        expect("nothing was run" in broken.stderr, str(broken))


def test_unreachable_target_exits_3_with_one_message(args):
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    with basic_tree(args.source) as tree:
        run = popspec_run(args.popspec, "--scenarios", tree.root, "--target", f"127.0.0.1:{port}")
        expect(run.code == 3, str(run))
        expect(f"cannot connect to 127.0.0.1:{port}" in run.stderr, str(run))


def test_target_is_read_only_unless_allowed(args):
    with basic_tree(args.source) as tree, Server(args.popspec) as server:
        target = f"127.0.0.1:{server.pop3}"
        run = popspec_run(args.popspec, "--scenarios", tree.root, "--target", target,
                          "pop3/cli/stat", "pop3/cli/retr-deleted")
        expect(run.code == 0, str(run))
        s = run.scenario("pop3/cli/retr-deleted")
        expect(s["verdict"] == "skipped" and "read-only" in s["reason"], str(s))
        allowed = popspec_run(args.popspec, "--scenarios", tree.root, "--target", target,
                              "--allow-destructive", "--reset-command", "true",
                              "pop3/cli/retr-deleted")
        expect(allowed.verdicts() == {"pop3/cli/retr-deleted": "pass"}, str(allowed))
        failing = popspec_run(args.popspec, "--scenarios", tree.root, "--target", target,
                              "--allow-destructive", "--reset-command",
                              "echo restore failed; exit 7", "pop3/cli/retr-deleted")
        s = failing.scenario("pop3/cli/retr-deleted")
        expect(s["verdict"] == "error" and "exit status 7" in s["reason"]
               and "restore failed" in s["reason"], str(s))
        expect(failing.code == 3, str(failing))


def test_failures_name_requirement_location_and_transcript(args):
    with basic_tree(args.source) as tree, Server(args.popspec, "--fault", "retr-deleted-ok") as server:
        run = popspec_run(args.popspec, "--scenarios", tree.root, "--target",
                          f"127.0.0.1:{server.pop3}", "--allow-destructive", "pop3/cli/retr-deleted")
        expect(run.code == 1, str(run))
        out = run.stdout
        expect("FAIL pop3/cli/retr-deleted: step 4 (RETR 1)" in out, out)
        expect("requirement POP3-1939-RETR.3 (MUST" in out, out)
        expect("RETR for a deleted or non-existent message" in out, out)
        expect("cli.json:" in out and "(step 4)" in out, out)
        expect("expected: status -ERR" in out, out)
        expect("last lines of the transcript" in out and "main S: .\\r\\n" in out, out)
        s = run.scenario("pop3/cli/retr-deleted")
        expect(s["verdict"] == "fail", str(s))
        verbose = popspec_run(args.popspec, "--scenarios", tree.root, "--target",
                              f"127.0.0.1:{server.pop3}", "--allow-destructive", "--verbose",
                              "pop3/cli/retr-deleted")
        expect("USER popspec\\r\\n" in verbose.stdout, verbose.stdout)


def test_differences_are_recorded_even_when_passing(args):
    with basic_tree(args.source) as tree, Server(args.popspec, "--fault", "lf-sizes") as server:
        run = popspec_run(args.popspec, "--scenarios", tree.root, "--target",
                          f"127.0.0.1:{server.pop3}", "pop3/cli/stat")
        s = run.scenario("pop3/cli/stat")
        expect(s["verdict"] == "pass", str(s))
        diffs = s.get("differences", [])
        expect(any("STAT" in d["description"] for d in diffs), f"no STAT difference: {diffs}")
        # The same run against a conforming server records no difference.
    with basic_tree(args.source) as tree, Server(args.popspec) as server:
        run = popspec_run(args.popspec, "--scenarios", tree.root, "--target",
                          f"127.0.0.1:{server.pop3}", "pop3/cli/stat")
        expect(not run.scenario("pop3/cli/stat").get("differences"), str(run.results))


def test_list_and_selection_by_rfc_and_requirement(args):
    with basic_tree(args.source) as tree:
        listed = popspec_run(args.popspec, "--scenarios", tree.root, "--list", json_out=False)
        expect(listed.code == 0 and "pop3/cli/retr-deleted" in listed.stdout
               and "(destructive)" in listed.stdout, str(listed))
        by_req = popspec_run(args.popspec, "--scenarios", tree.root, "POP3-1939-RETR.*",
                             "--list", json_out=False)
        expect("pop3/cli/retr-deleted" in by_req.stdout and "pop3/cli/stat" not in by_req.stdout,
               str(by_req))
        excluded = popspec_run(args.popspec, "--scenarios", tree.root, "rfc1939", "--exclude",
                               "pop3/cli/s*")
        expect(set(excluded.verdicts()) == {"pop3/cli/retr-deleted"}, str(excluded))


def test_jobs_run_everything_once(args):
    with basic_tree(args.source) as tree:
        run = popspec_run(args.popspec, "--scenarios", tree.root, "--jobs", "2",
                          "pop3/cli/stat", "pop3/cli/retr-deleted")
        expect(run.code == 0 and len(run.verdicts()) == 2, str(run))


if __name__ == "__main__":
    main([
        ("json summary and exit codes", test_json_summary_and_exit_codes_against_the_embedded_reference),
        ("usage errors exit 2", test_usage_errors_exit_2),
        ("unreachable target exits 3", test_unreachable_target_exits_3_with_one_message),
        ("target is read-only unless allowed", test_target_is_read_only_unless_allowed),
        ("failures are actionable", test_failures_name_requirement_location_and_transcript),
        ("differences recorded when passing", test_differences_are_recorded_even_when_passing),
        ("list and selection", test_list_and_selection_by_rfc_and_requirement),
        ("jobs", test_jobs_run_everything_once),
    ])
