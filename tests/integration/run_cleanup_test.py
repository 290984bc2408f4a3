#!/usr/bin/env python3
"""`popspec run` removes the embedded target's temporary maildrops (TMPDIR/popspec-run-*) on a
normal exit, when it exits with an error, and when SIGINT or SIGTERM stops it: the first signal
lets the scenario being played end, marks the rest "skipped" (not played), still writes the
reports, removes the temporary directories and exits with 128 + the signal number. A report that
cannot be written is named with the reason.

Usage: run_cleanup_test.py --popspec PATH --source REPO_ROOT
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from run_support import DEADLINE, ScenarioTree, expect, main  # noqa: E402


def slow_tree(source):
    """One scenario that takes 1.5 s, then five quick ones."""
    t = ScenarioTree(source)
    quick = [{"id": f"quick-{i}", "title": "STAT after login",
              "requirements": ["POP3-1939-STAT.1"], "fixture": "none",
              "steps": [{"connect": "main"}, {"login": "user"},
                        {"send": "STAT", "expect": {"status": "+OK"}}]} for i in range(5)]
    t.add("pop3/cleanup", "pop3", [{
        "id": "a-slow-one", "title": "A quiet pause after login",
        "requirements": ["POP3-1939-STAT.1"], "fixture": "none",
        "steps": [{"connect": "main"}, {"login": "user"}, {"sleep_ms": 1500},
                  {"send": "STAT", "expect": {"status": "+OK"}}],
    }] + quick)
    return t


class Sandbox:
    """A private TMPDIR, so the check sees only this popspec's temporary directories."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="popspec-cleanup-test-")
        self.tmp = os.path.join(self.dir, "tmp")
        os.mkdir(self.tmp)
        self.env = dict(os.environ, TMPDIR=self.tmp)

    def leftovers(self):
        return sorted(n for n in os.listdir(self.tmp) if n.startswith("popspec-run-"))

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run(args, sandbox, *extra):
    return subprocess.run([args.popspec, "run", *extra], capture_output=True, text=True,
                          timeout=DEADLINE, stdin=subprocess.DEVNULL, env=sandbox.env)


def test_a_normal_run_leaves_no_temporary_maildrops(args):
    with Sandbox() as box:
        proc = run(args, box, "pop3/rfc1939/stat", "-q")
        expect(proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
        expect(not box.leftovers(), f"left behind: {box.leftovers()}")


def test_an_unwritable_report_is_named_with_the_reason_and_cleaned_up(args):
    with Sandbox() as box:
        target = os.path.join(box.dir, "no-such-dir", "results.json")
        proc = run(args, box, "pop3/rfc1939/stat", "-q", "--json", target)
        expect(proc.returncode == 3, f"exit {proc.returncode}\n{proc.stderr}")
        expect(f"cannot write {target}: " in proc.stderr and
               proc.stderr.strip().split(": ")[-1] != "", f"no reason given: {proc.stderr!r}")
        expect(not box.leftovers(), f"left behind: {box.leftovers()}")


def check_signal(args, signum):
    with Sandbox() as box, slow_tree(args.source) as tree:
        results = os.path.join(box.dir, "results.json")
        proc = subprocess.Popen([args.popspec, "run", "--scenarios", tree.root, "--json",
                                 results], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, stdin=subprocess.DEVNULL, env=box.env)
        try:
            # Wait until the slow scenario is being played (its maildrops exist).
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not box.leftovers():
                time.sleep(0.05)
            time.sleep(0.5)
            expect(proc.poll() is None, "popspec ended before the signal")
            proc.send_signal(signum)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        name = signal.Signals(signum).name
        expect(proc.returncode == 128 + signum,
               f"{name}: exit {proc.returncode}, expected {128 + signum}\n{out}\n{err}")
        expect(not box.leftovers(), f"{name}: left behind: {box.leftovers()}")
        expect(f"interrupted by {name}" in err, f"{name}: stderr {err!r}")
        with open(results, encoding="utf-8") as f:
            verdicts = {s["id"]: (s["verdict"], s["reason"]) for s in json.load(f)["scenarios"]}
        slow = verdicts["pop3/cleanup/a-slow-one"]
        expect(slow[0] == "pass", f"{name}: the scenario being played did not end: {slow}")
        skipped = [v for v in verdicts.values() if v[0] == "skipped" and name in v[1]]
        expect(skipped, f"{name}: nothing was left unplayed: {verdicts}")


def test_sigint_ends_the_scenario_and_cleans_up(args):
    check_signal(args, signal.SIGINT)


def test_sigterm_ends_the_scenario_and_cleans_up(args):
    check_signal(args, signal.SIGTERM)


if __name__ == "__main__":
    main([
        ("a normal run leaves no temporary maildrops",
         test_a_normal_run_leaves_no_temporary_maildrops),
        ("an unwritable report is named with the reason and cleaned up",
         test_an_unwritable_report_is_named_with_the_reason_and_cleaned_up),
        ("SIGINT ends the scenario and cleans up", test_sigint_ends_the_scenario_and_cleans_up),
        ("SIGTERM ends the scenario and cleans up", test_sigterm_ends_the_scenario_and_cleans_up),
    ])
