#!/usr/bin/env python3
"""`popspec run --baseline FILE` end to end (docs/ci.md): pinned failures do not fail the run,
new failures do (exit 1), a baseline that no longer matches is stale (exit 4), a results file
works as a baseline, a bad baseline file is a usage error (exit 2) before anything runs, and
--write-baseline writes a file that pins the run it came from.

Usage: run_baseline_test.py --popspec PATH --source REPO_ROOT
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from run_support import ScenarioTree, expect, main, popspec_run  # noqa: E402

NOTE = "the reference answers +OK; this scenario wants -ERR on purpose"


def tree_with_a_failure(source):
    """Three scenarios against the embedded reference: one passes, one fails, one non_strict."""
    tree = ScenarioTree(source)
    tree.add("pop3/bl", "pop3", [
        {"id": "passes", "title": "STAT answers +OK", "requirements": ["POP3-1939-STAT.2"],
         "steps": [{"connect": "main"}, {"login": "user"},
                   {"send": "STAT", "expect": {"status": "+OK"}}]},
        {"id": "fails", "title": "NOOP made to fail", "requirements": ["POP3-1939-NOOP.1"],
         "fixture": "none",
         "steps": [{"connect": "main"}, {"login": "user"},
                   {"send": "NOOP", "expect": {"status": "-ERR"}}]},
        {"id": "soft", "title": "A SHOULD-only scenario that cannot be met",
         "requirements": ["POP3-1939-STAT.3"], "fixture": "none",
         "steps": [{"connect": "main"}, {"send": "NOOP", "expect": {"status": "+OK"}}]},
    ])
    return tree


def write(path, document):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2)
    return path


def baseline(expect_map, unlisted=None):
    doc = {"baseline": 1, "expect": expect_map}
    if unlisted:
        doc["unlisted"] = unlisted
    return doc


def test_pinned_failure_lets_the_run_pass(args):
    with tree_with_a_failure(args.source) as tree, tempfile.TemporaryDirectory() as tmp:
        plain = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl")
        expect(plain.code == 1, f"without a baseline the failure fails the run: {plain}")
        known = write(os.path.join(tmp, "known.json"), baseline(
            {"pop3/bl/fails": {"verdict": "fail", "note": NOTE}}))
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline", known)
        expect(run.code == 0, str(run))
        expect("1 as pinned (1 known problem), 0 new problems, 0 stale" in run.stdout, str(run))
        expect(run.results["metadata"]["options"]["baseline"] == known,
               str(run.results["metadata"]))
        # The verdicts in the reports stay what they were: the baseline only judges them.
        expect(run.verdicts()["pop3/bl/fails"] == "fail", str(run.verdicts()))


def test_new_failure_exits_1_and_is_named(args):
    with tree_with_a_failure(args.source) as tree, tempfile.TemporaryDirectory() as tmp:
        empty = write(os.path.join(tmp, "empty.json"), baseline({}))
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline", empty)
        expect(run.code == 1, str(run))
        expect("  NEW    pop3/bl/fails: fail, not in the baseline" in run.stdout, str(run))
        # Pinned with another verdict is new too.
        other = write(os.path.join(tmp, "other.json"), baseline(
            {"pop3/bl/fails": {"verdict": "non_strict", "note": NOTE}}))
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline", other)
        expect(run.code == 1 and "fail, the baseline pins non_strict" in run.stdout, str(run))


def test_stale_baseline_exits_4(args):
    with tree_with_a_failure(args.source) as tree, tempfile.TemporaryDirectory() as tmp:
        fixed = write(os.path.join(tmp, "fixed.json"), baseline({
            "pop3/bl/fails": {"verdict": "fail", "note": NOTE},
            "pop3/bl/passes": {"verdict": "fail", "note": "it used to fail"}}))
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline", fixed)
        expect(run.code == 4, str(run))
        expect("  STALE  pop3/bl/passes: pass, the baseline pins fail" in run.stdout, str(run))
        gone = write(os.path.join(tmp, "gone.json"), baseline({
            "pop3/bl/fails": {"verdict": "fail", "note": NOTE},
            "pop3/bl/renamed": {"verdict": "fail", "note": "a scenario that no longer exists"}}))
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline", gone)
        expect(run.code == 4 and "no such scenario any more" in run.stdout, str(run))
        # A strict baseline ("unlisted": "pass") also catches an unlisted non_strict.
        strict = write(os.path.join(tmp, "strict.json"), baseline(
            {"pop3/bl/fails": {"verdict": "fail", "note": NOTE}}, unlisted="pass"))
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline", strict)
        expect(run.code == 4 and "STALE  pop3/bl/soft: non_strict" in run.stdout, str(run))
        # New failures take precedence over staleness.
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline",
                          write(os.path.join(tmp, "both.json"), baseline(
                              {"pop3/bl/passes": {"verdict": "fail", "note": "old"}})))
        expect(run.code == 1, str(run))


def test_unselected_entries_are_not_stale(args):
    with tree_with_a_failure(args.source) as tree, tempfile.TemporaryDirectory() as tmp:
        known = write(os.path.join(tmp, "known.json"), baseline({
            "pop3/bl/fails": {"verdict": "fail", "note": NOTE}}))
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl/passes",
                          "--baseline", known)
        expect(run.code == 0 and "1 not run" in run.stdout, str(run))


def test_results_file_as_baseline_pins_every_verdict(args):
    with tree_with_a_failure(args.source) as tree, tempfile.TemporaryDirectory() as tmp:
        earlier = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl")
        results = write(os.path.join(tmp, "earlier.json"), earlier.results)
        again = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline",
                            results)
        expect(again.code == 0 and "3 as pinned" in again.stdout, str(again))
        # Pretend the failure used to pass: now it is new.
        for s in earlier.results["scenarios"]:
            if s["id"] == "pop3/bl/fails":
                s["verdict"] = "pass"
        earlier.results["summary"]["pass"] += 1
        earlier.results["summary"]["fail"] -= 1
        write(results, earlier.results)
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline", results)
        expect(run.code == 1 and "fail, the baseline pins pass" in run.stdout, str(run))


def test_bad_baseline_is_a_usage_error_before_running(args):
    with tree_with_a_failure(args.source) as tree, tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"baseline": 1,\n "expect": {"pop3/bl/fails": {"verdict": "failed", '
                    '"note": "n"}}}')
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline", bad)
        expect(run.code == 2, str(run))
        expect(f"{bad}:2:42: \"verdict\" must be one of" in run.stderr, str(run))
        expect(run.results is None, "nothing may run with a bad baseline")
        missing = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline",
                              os.path.join(tmp, "missing.json"))
        expect(missing.code == 2 and "cannot read baseline" in missing.stderr, str(missing))
        neither = write(os.path.join(tmp, "neither.json"), {"hello": 1})
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline", neither)
        expect(run.code == 2 and "neither a baseline file" in run.stderr, str(run))


def test_written_baseline_pins_the_run_it_came_from(args):
    with tree_with_a_failure(args.source) as tree, tempfile.TemporaryDirectory() as tmp:
        written = os.path.join(tmp, "written.json")
        first = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl",
                            "--write-baseline", written)
        expect(first.code == 1, str(first))
        with open(written, encoding="utf-8") as f:
            doc = json.load(f)
        expect(doc["unlisted"] == "pass", str(doc))
        expect(sorted(doc["expect"]) == ["pop3/bl/fails", "pop3/bl/soft"], str(doc))
        expect(doc["expect"]["pop3/bl/fails"]["note"].startswith("step 3 (NOOP)"), str(doc))
        run = popspec_run(args.popspec, "--scenarios", tree.root, "pop3/bl", "--baseline",
                          written)
        expect(run.code == 0, str(run))


if __name__ == "__main__":
    main([
        ("pinned failure lets the run pass", test_pinned_failure_lets_the_run_pass),
        ("new failure exits 1 and is named", test_new_failure_exits_1_and_is_named),
        ("stale baseline exits 4", test_stale_baseline_exits_4),
        ("unselected entries are not stale", test_unselected_entries_are_not_stale),
        ("results file as baseline pins every verdict",
         test_results_file_as_baseline_pins_every_verdict),
        ("bad baseline is a usage error before running",
         test_bad_baseline_is_a_usage_error_before_running),
        ("written baseline pins the run it came from",
         test_written_baseline_pins_the_run_it_came_from),
    ])
