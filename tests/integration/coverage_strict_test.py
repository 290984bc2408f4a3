#!/usr/bin/env python3
"""The suite's completeness gate: `popspec coverage --strict` on the repository's scenarios/.

Every server-role requirement of scenarios/requirements.json (role S or S+C) must be cited by at
least one scenario or explained in scenarios/untestable.json, and every note there must name a
server-role requirement of the RFC it is filed under that no scenario cites (a stale note means
the reason text no longer describes the suite). On failure this prints what is missing.

Usage: coverage_strict_test.py --popspec PATH --source REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from run_support import DEADLINE, expect, main  # noqa: E402


def test_every_server_requirement_is_covered_or_explained(args):
    with tempfile.TemporaryDirectory(prefix="popspec-coverage-") as tmp:
        path = os.path.join(tmp, "coverage.json")
        proc = subprocess.run(
            [args.popspec, "coverage", "--strict", "--missing", "--json", path, "--scenarios",
             os.path.join(args.source, "scenarios")],
            capture_output=True, text=True, timeout=DEADLINE, stdin=subprocess.DEVNULL)
        print(proc.stdout, end="")
        print(proc.stderr, end="", file=sys.stderr)
        expect(os.path.exists(path), f"no --json written (exit {proc.returncode})")
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    missing = [(r["id"], r["level"], r["sentence"]) for rfc in doc["rfcs"]
               for r in rfc["requirements"] if r["status"] == "missing"]
    problems = [f"missing: {i} ({level}) {sentence}" for i, level, sentence in missing]
    problems += [f"untestable.json: {w}" for w in doc["warnings"]]
    expect(proc.returncode == 0 and not problems,
           f"popspec coverage --strict exited {proc.returncode}; " +
           f"{len(missing)} server-role requirement(s) neither covered nor explained, "
           f"{len(doc['warnings'])} warning(s):\n  " + "\n  ".join(problems))
    totals = doc["totals"]
    expect(totals["server"] == totals["covered"] + totals["untestable"], totals)


if __name__ == "__main__":
    main([("every server-role requirement is covered or explained",
           test_every_server_requirement_is_covered_or_explained)])
