#!/usr/bin/env python3
"""`popspec report` end to end: re-render JSON results (hand-built, with hostile strings, and from
a real `popspec run --json` against the embedded reference) as JSON, JUnit XML, HTML and Markdown,
validate them against reports/schema/results-v1.schema.json and reports/schema/junit-10.xsd, put
two targets side by side, and check the error messages and exit codes (2 bad input, 3 cannot
write).

Usage: report_cli_test.py --popspec PATH --source REPO_ROOT
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

DEADLINE = 60    # seconds for one `popspec report`
RUN_DEADLINE = 540  # seconds for the real `popspec run`
HOSTILE = "</script><script>window.__pwned=1</script>\x1b[31m\x00 \u202e|`*[x](y)"


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def popspec_report(popspec, *args):
    return subprocess.run([popspec, "report", *args], capture_output=True, timeout=DEADLINE)


def scenario(sid, verdict, target_text=""):
    """One scenario in the results format, every member present as popspec writes it."""
    failure = None
    if verdict in ("fail", "timeout"):
        failure = {"step_index": 2, "location": sid + ".json:10:3", "expected": "-ERR",
                   "actual": "+OK " + HOSTILE}
    return {
        "id": sid, "title": "Title of " + sid + " " + HOSTILE, "verdict": verdict,
        "reason": "" if verdict == "pass" else "because " + HOSTILE,
        "file": sid + ".json", "group": sid.rsplit("/", 1)[0], "protocol": "pop3",
        "duration_ms": 3.25, "destructive": False,
        "requirements": [{"id": "POP3-1939-RETR.1", "level": "MUST", "rfc": "1939",
                          "section": "5", "sentence": "RETR answers " + HOSTILE}],
        "failure": failure,
        "differences": [] if verdict == "pass" else [
            {"step_index": 2, "location": "", "description": "differs", "target": "+OK",
             "reference": "-ERR"}],
        "transcript": [
            {"direction": "server_to_client", "connection": "main", "at_ms": 0.5,
             "data": "+OK ready\\r\\n"},
            {"direction": "client_to_server", "connection": "main", "at_ms": 1.0,
             "data": "RETR 1\\r\\n"},
            {"direction": "server_to_client", "connection": "main", "at_ms": 1.5,
             "data": "+OK \\x00\\x1B[31m" + target_text + "\\r\\n"},
        ],
    }


def results(target, verdicts):
    scenarios = [scenario("pop3/rfc1939/retr/case-%d" % i, v, target) for i, v in
                 enumerate(verdicts)]
    summary = {k: 0 for k in
               ("pass", "fail", "non_strict", "unsupported", "skipped", "timeout", "error")}
    for s in scenarios:
        summary[s["verdict"]] += 1
    summary["total"] = len(scenarios)
    return {
        "$schema": "urn:popspec:schema:results-v1", "schema_version": 1,
        "metadata": {"popspec_version": "0.1.0", "target": target, "protocol": "pop3",
                     "profile": "rfc1939", "selection": ["all"], "exclude": [],
                     "started_at": "2026-11-22T02:30:00Z", "duration_ms": 42.0,
                     "options": {"note": HOSTILE}},
        "summary": summary, "scenarios": scenarios,
    }


def validate_json(source, path):
    import jsonschema  # Debian's python3-jsonschema
    with open(os.path.join(source, "reports/schema/results-v1.schema.json")) as f:
        schema = json.load(f)
    with open(path) as f:
        document = json.load(f)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    expect(not errors, "%s does not match the schema: %s" % (path, [e.message for e in errors[:3]]))
    return document


def validate_junit(source, path):
    r = subprocess.run(["xmllint", "--noout", "--schema",
                        os.path.join(source, "reports/schema/junit-10.xsd"), path],
                       capture_output=True, text=True, timeout=DEADLINE)
    expect(r.returncode == 0, "%s is not valid JUnit XML: %s" % (path, r.stderr))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write_json(path, document):
    with open(path, "w") as f:
        json.dump(document, f)


def test_renders_every_format(popspec, source, tmp):
    hand = os.path.join(tmp, "hand.json")
    document = results("127.0.0.1:1110", ["pass", "fail", "non_strict", "unsupported", "skipped",
                                          "timeout", "error"])
    write_json(hand, document)
    out = {ext: os.path.join(tmp, "out." + ext) for ext in ("json", "xml", "html", "md")}
    r = popspec_report(popspec, hand, "--json", out["json"], "--junit", out["xml"],
                       "--html", out["html"], "--markdown", out["md"])
    expect(r.returncode == 0, "report failed: %s" % r.stderr)
    expect(validate_json(source, out["json"]) == document,
           "re-rendered JSON differs from the results it was read from")
    validate_junit(source, out["xml"])
    counts = "1 passed, 1 failed, 1 non-strict, 1 unsupported, 1 skipped, 1 timed out, 1 error"
    expect(read(out["md"]).decode().startswith("## popspec: " + counts + "\n"),
           "Markdown does not start with the counts")
    page = read(out["html"]).decode()
    expect(counts in page, "HTML lacks the counts line")
    expect(page.count("<script") == 1 and "<script>window" not in page, "HTML lets a script in")
    for path in out.values():
        expect(b"\x1b" not in read(path) and b"\x00" not in read(path),
               "%s contains raw control octets" % path)

    # Rendering is a fixed point: JSON -> report --json -> the same bytes.
    again = os.path.join(tmp, "again.json")
    r = popspec_report(popspec, out["json"], "--json", again)
    expect(r.returncode == 0 and read(again) == read(out["json"]),
           "re-rendering rendered JSON changed it")


def test_matrix_of_targets(popspec, tmp):
    a, b = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.json")
    write_json(a, results("dovecot 127.0.0.1:2110", ["pass", "fail"]))
    write_json(b, results("embedded reference", ["pass", "pass", "pass"]))
    html = os.path.join(tmp, "matrix.html")
    r = popspec_report(popspec, a, b, "--html", html)
    expect(r.returncode == 0, "matrix failed: %s" % r.stderr)
    page = read(html).decode()
    for label in ("dovecot 127.0.0.1:2110", "embedded reference"):
        expect('<th class="run-label">%s</th>' % label in page, "no column for " + label)
    expect(page.count('class="filterable scenario-row"') == 3, "matrix rows are not the union")
    expect('data-verdict="absent"' in page, "a scenario missing from one run is not marked")


def test_summary_without_outputs(popspec, tmp):
    a = os.path.join(tmp, "hostile-target.json")
    write_json(a, results("evil\x1b]0;pwned\x07 " + HOSTILE, ["pass", "fail", "skipped"]))
    r = popspec_report(popspec, a)
    expect(r.returncode == 0, "summary failed: %s" % r.stderr)
    expect(r.stdout.decode().endswith(": 1 passed, 1 failed, 1 skipped\n"),
           "unexpected summary: %r" % r.stdout)
    expect(b"\x1b" not in r.stdout and b"\x07" not in r.stdout,
           "a control sequence from the results reached the terminal")


def test_standard_output(popspec, tmp):
    a = os.path.join(tmp, "stdout.json")
    write_json(a, results("127.0.0.1:1110", ["pass"]))
    r = popspec_report(popspec, a, "--markdown", "-")
    expect(r.returncode == 0 and r.stdout.startswith(b"## popspec: 1 passed, 0 failed\n"),
           "--markdown - did not write to standard output: %r" % r.stdout[:80])


def test_bad_inputs(popspec, tmp):
    good = os.path.join(tmp, "good.json")
    write_json(good, results("127.0.0.1:1110", ["pass", "fail"]))
    missing = os.path.join(tmp, "missing.json")
    not_json = os.path.join(tmp, "not.json")
    with open(not_json, "w") as f:
        f.write("<testsuites/>")
    future = os.path.join(tmp, "future.json")
    document = results("x", ["pass"])
    document["schema_version"] = 2
    write_json(future, document)
    wrong_counts = os.path.join(tmp, "wrong-counts.json")
    document = results("x", ["pass"])
    document["summary"]["fail"] = 5
    write_json(wrong_counts, document)
    bad_verdict = os.path.join(tmp, "bad-verdict.json")
    document = results("x", ["pass"])
    document["scenarios"][0]["verdict"] = "passed"
    write_json(bad_verdict, document)

    cases = [
        (missing, "popspec report: cannot read %s: No such file or directory" % missing),
        (not_json, "popspec report: %s: not JSON: parse error at line 1, column 1" % not_json),
        (future, "popspec report: %s: /schema_version: unsupported schema_version 2" % future),
        (wrong_counts, "popspec report: %s: /summary: counts (" % wrong_counts),
        (bad_verdict, "popspec report: %s: /scenarios/0/verdict: unknown verdict \"passed\""
         % bad_verdict),
    ]
    html = os.path.join(tmp, "never.html")
    for path, message in cases:
        r = popspec_report(popspec, good, path, "--html", html)
        expect(r.returncode == 2, "%s: exit %d, expected 2" % (path, r.returncode))
        expect(r.stderr.decode().startswith(message), "%s: stderr %r" % (path, r.stderr))
        expect(not os.path.exists(html), "a report was written from bad input")
    # Every bad file is named, not just the first.
    r = popspec_report(popspec, missing, not_json, future)
    expect(r.returncode == 2 and r.stderr.decode().count("popspec report: ") == 3,
           "not every bad file was named: %r" % r.stderr)


def test_bad_outputs_and_usage(popspec, tmp):
    a, b = os.path.join(tmp, "one.json"), os.path.join(tmp, "two.json")
    write_json(a, results("127.0.0.1:1110", ["pass"]))
    write_json(b, results("127.0.0.1:1111", ["fail"]))
    for flag in ("--junit", "--markdown", "--json"):
        r = popspec_report(popspec, a, b, flag, os.path.join(tmp, "x"))
        expect(r.returncode == 2, "%s with two files: exit %d, expected 2" % (flag, r.returncode))
        expect(("%s takes one results file, not 2" % flag) in r.stderr.decode(),
               "unclear message: %r" % r.stderr)
    unwritable = os.path.join(tmp, "no-such-dir", "report.html")
    r = popspec_report(popspec, a, "--html", unwritable)
    expect(r.returncode == 3, "unwritable output: exit %d, expected 3" % r.returncode)
    expect(r.stderr.decode() == "popspec report: cannot write %s: No such file or directory\n"
           % unwritable, "unclear message: %r" % r.stderr)
    r = popspec_report(popspec)
    expect(r.returncode == 2, "no results file: exit %d, expected 2" % r.returncode)


def test_run_once_render_later(popspec, source, tmp):
    """A real run against the embedded reference, rendered again later from its JSON."""
    run_json = os.path.join(tmp, "run.json")
    r = subprocess.run([popspec, "run", "--quiet", "--json", run_json], capture_output=True,
                       text=True, timeout=RUN_DEADLINE, cwd=tmp)
    expect(r.returncode in (0, 1), "popspec run: exit %d: %s" % (r.returncode, r.stderr))
    document = validate_json(source, run_json)
    expect(document["summary"]["total"] == len(document["scenarios"]) > 0, "an empty run")
    last_line = r.stdout.strip().splitlines()[-1]
    expect(last_line.startswith("%d passed, %d failed" % (
        document["summary"]["pass"], document["summary"]["fail"])),
           "the run's final line %r disagrees with its JSON" % last_line)
    xml, md, again = (os.path.join(tmp, n) for n in ("run.xml", "run.md", "run-again.json"))
    r = popspec_report(popspec, run_json, "--junit", xml, "--markdown", md, "--json", again)
    expect(r.returncode == 0, "report of a real run failed: %s" % r.stderr)
    validate_junit(source, xml)
    expect(read(again) == read(run_json), "re-rendered JSON of a real run differs")
    expect(read(md).decode().startswith("## popspec: " + last_line), "Markdown counts differ")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--popspec", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    tests = [
        lambda tmp: test_renders_every_format(args.popspec, args.source, tmp),
        lambda tmp: test_matrix_of_targets(args.popspec, tmp),
        lambda tmp: test_summary_without_outputs(args.popspec, tmp),
        lambda tmp: test_standard_output(args.popspec, tmp),
        lambda tmp: test_bad_inputs(args.popspec, tmp),
        lambda tmp: test_bad_outputs_and_usage(args.popspec, tmp),
        lambda tmp: test_run_once_render_later(args.popspec, args.source, tmp),
    ]
    names = ["renders every format", "matrix of targets", "summary without outputs",
             "standard output", "bad inputs", "bad outputs and usage", "run once, render later"]
    failed = 0
    for name, test in zip(names, tests):
        with tempfile.TemporaryDirectory(prefix="popspec-report-test-") as tmp:
            try:
                test(tmp)
                print("ok    " + name)
            except (AssertionError, subprocess.TimeoutExpired) as e:
                failed += 1
                print("FAIL  %s: %s" % (name, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
