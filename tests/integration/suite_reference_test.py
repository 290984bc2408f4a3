#!/usr/bin/env python3
"""The whole conformance suite passes against the bundled reference server (issue 5 item 4):
POP3 in the rfc1939 profile, POP3 in the rfc1225 profile, and POP2. "Passes" means no fail,
timeout or error verdict and at least one played scenario per run; the only non-pass verdicts
allowed are the ones the reference earns by design (non_strict for a SHOULD the reference
deliberately does not follow, unsupported for optional features it does not offer).

Usage: suite_reference_test.py --popspec PATH --source REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

RUNS = [
    ("pop3-rfc1939", ["--protocol", "pop3", "--profile", "rfc1939", "--exclude", "pop3/rfc1225"]),
    ("pop3-rfc1225", ["--protocol", "pop3", "--profile", "rfc1225", "pop3/rfc1225"]),
    ("pop2-rfc937", ["--protocol", "pop2", "pop2"]),
]


def main():
    args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
    popspec, source = args["--popspec"], args["--source"]
    failures = []
    with tempfile.TemporaryDirectory(prefix="popspec-suite-") as tmp:
        for name, selection in RUNS:
            out = os.path.join(tmp, name + ".json")
            proc = subprocess.run([popspec, "run", "-q", "--jobs", "2", "--json", out] + selection,
                                  cwd=source, capture_output=True, text=True, timeout=600)
            if not os.path.exists(out):
                failures.append(f"{name}: no results (exit {proc.returncode}): {proc.stderr[-2000:]}")
                continue
            with open(out) as f:
                results = json.load(f)
            s = results["summary"]
            played = s["total"] - s["skipped"]
            print(f"{name}: exit {proc.returncode}; " +
                  ", ".join(f"{k} {s[k]}" for k in
                            ("pass", "fail", "non_strict", "unsupported", "skipped", "timeout", "error")))
            bad = [sc for sc in results["scenarios"] if sc["verdict"] in ("fail", "timeout", "error")]
            for sc in bad:
                failures.append(f"{name}: {sc['id']}: {sc['verdict']}: {sc.get('reason', '')}")
            if proc.returncode != 0:
                failures.append(f"{name}: exit code {proc.returncode}\n{proc.stdout[-3000:]}")
            if played == 0:
                failures.append(f"{name}: no scenario was played")
    if failures:
        print("FAILED:\n" + "\n".join(failures))
        return 1
    print("the whole suite passes against the reference server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
