#!/usr/bin/env python3
"""`popspec coverage` end to end on throw-away scenario trees: the per-RFC report, --rfc,
--missing, --json, the CI switches --strict and --fail-under, and the exit codes for bad input.

The real tree is checked by coverage_strict_test.py.

Usage: coverage_cli_test.py --popspec PATH --source REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from run_support import DEADLINE, ScenarioTree, expect, main  # noqa: E402


def coverage(popspec, *args):
    proc = subprocess.run([popspec, "coverage", *args], capture_output=True, text=True,
                          timeout=DEADLINE, stdin=subprocess.DEVNULL)
    return proc


def show(proc):
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def catalog_ids(source, rfc):
    """(server-role IDs, client-role IDs) of one RFC in the repository's catalog."""
    with open(os.path.join(source, "scenarios", "requirements.json"), encoding="utf-8") as f:
        rows = [r for r in json.load(f)["requirements"] if r["rfc"] == rfc]
    return ([r["id"] for r in rows if r["role"] in ("S", "S+C")],
            [r["id"] for r in rows if r["role"] == "C"])


def small_tree(source):
    """Cites POP3-1939-RETR.1 twice and POP2-937-HELO.1 once; explains POP3-1939-GEN.1."""
    tree = ScenarioTree(source)
    tree.add("pop3/cov", "pop3", [
        {"id": "retr-a", "title": "RETR a", "requirements": ["POP3-1939-RETR.1"],
         "steps": [{"connect": "main"}]},
        {"id": "retr-b", "title": "RETR b", "requirements": ["POP3-1939-RETR.1"],
         "steps": [{"connect": "main"}]},
    ])
    tree.add("pop2/cov", "pop2", [
        {"id": "helo", "title": "HELO", "requirements": ["POP2-937-HELO.1"],
         "steps": [{"connect": "main"}]},
    ])
    with open(os.path.join(tree.root, "untestable.json"), "w", encoding="utf-8") as f:
        json.dump({"description": "test", "rfc1939": [
            {"id": "POP3-1939-GEN.1", "reason": "port 110 is configuration"}]}, f)
    return tree


def test_report_lists_covered_untestable_missing_and_client_rows_per_rfc(args):
    server_1939, client_1939 = catalog_ids(args.source, "1939")
    with small_tree(args.source) as tree:
        proc = coverage(args.popspec, "--scenarios", tree.root)
        expect(proc.returncode == 0, show(proc))
        out = proc.stdout
        expect("Requirement coverage of 3 scenarios" in out, out)
        for rfc in ("937", "1225", "1939", "2449"):
            expect(f"\nRFC {rfc} (" in out, f"no section for RFC {rfc}:\n{out}")
        expect(f"RFC 1939 (POP3): {len(server_1939)} server-role requirements: 1 covered, "
               f"1 untestable, {len(server_1939) - 2} missing" in out, out)
        expect("POP3-1939-RETR.1" in out and "2 scenarios" in out, out)
        expect("port 110 is configuration" in out, out)
        expect("Client requirements, obeyed by the harness as a client" in out, out)
        expect(client_1939 and client_1939[0] in out, out)
        expect("\nTotal: " in out, out)


def test_rfc_and_missing_narrow_the_report(args):
    with small_tree(args.source) as tree:
        proc = coverage(args.popspec, "--scenarios", tree.root, "--rfc", "rfc937", "--missing")
        expect(proc.returncode == 0, show(proc))
        out = proc.stdout
        expect("RFC 937 (POP2)" in out and "RFC 1939" not in out, out)
        expect("POP2-937-HELO.1" not in out, "--missing printed a covered row:\n" + out)
        expect("Missing (neither covered nor explained)" in out, out)
        # Two RFCs at once, and a number the catalog does not have.
        proc = coverage(args.popspec, "--scenarios", tree.root, "--rfc", "937", "--rfc", "2449",
                        "--missing")
        expect(proc.returncode == 0 and "RFC 2449" in proc.stdout and "RFC 937" in proc.stdout
               and "RFC 1225" not in proc.stdout, show(proc))
        proc = coverage(args.popspec, "--scenarios", tree.root, "--rfc", "1081")
        expect(proc.returncode == 2 and "1081" in proc.stderr, show(proc))


def test_json_holds_every_row_and_the_counts(args):
    server_937, client_937 = catalog_ids(args.source, "937")
    with small_tree(args.source) as tree, tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "coverage.json")
        proc = coverage(args.popspec, "--scenarios", tree.root, "--json", path, "--missing")
        expect(proc.returncode == 0, show(proc))
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        expect(doc["format"] == "popspec-coverage" and doc["version"] == 1, doc)
        expect(doc["scenarios"] == 3, doc["scenarios"])
        pop2 = next(r for r in doc["rfcs"] if r["rfc"] == "937")
        expect(pop2["protocol"] == "POP2", pop2["protocol"])
        expect(len(pop2["requirements"]) == len(server_937) + len(client_937),
               "--json must hold every row, --missing or not")
        helo = next(r for r in pop2["requirements"] if r["id"] == "POP2-937-HELO.1")
        expect(helo["status"] == "covered" and helo["scenarios"] == ["pop2/cov/helo"], helo)
        counts = pop2["counts"]
        expect(counts["covered"] == 1 and counts["missing"] == len(server_937) - 1, counts)
        pop3 = next(r for r in doc["rfcs"] if r["rfc"] == "1939")
        gen1 = next(r for r in pop3["requirements"] if r["id"] == "POP3-1939-GEN.1")
        expect(gen1["status"] == "untestable" and "port 110" in gen1["reason"], gen1)
        totals = doc["totals"]
        expect(totals["covered"] == 2 and totals["untestable"] == 1, totals)
        expect(totals["server"] == totals["covered"] + totals["untestable"] + totals["missing"],
               totals)


def test_strict_and_fail_under_set_the_exit_code(args):
    with small_tree(args.source) as tree:
        proc = coverage(args.popspec, "--scenarios", tree.root, "--strict")
        expect(proc.returncode == 1, show(proc))
        expect("neither covered by a scenario nor explained" in proc.stderr, show(proc))
        proc = coverage(args.popspec, "--scenarios", tree.root, "--fail-under", "50")
        expect(proc.returncode == 1 and "--fail-under" in proc.stderr, show(proc))
        proc = coverage(args.popspec, "--scenarios", tree.root, "--fail-under", "0")
        expect(proc.returncode == 0, show(proc))
        proc = coverage(args.popspec, "--scenarios", tree.root, "--fail-under", "101")
        expect(proc.returncode == 2, show(proc))


def test_strict_passes_when_every_server_requirement_is_cited_or_explained(args):
    server_2449, _ = catalog_ids(args.source, "2449")
    with ScenarioTree(args.source) as tree:
        # One scenario cites the first half, the notes explain the rest.
        half = len(server_2449) // 2
        tree.add("pop3/all", "pop3", [
            {"id": "cites", "title": "cites", "requirements": server_2449[:half],
             "steps": [{"connect": "main"}]}])
        with open(os.path.join(tree.root, "untestable.json"), "w", encoding="utf-8") as f:
            json.dump({"rfc2449": [{"id": i, "reason": "r"} for i in server_2449[half:]]}, f)
        proc = coverage(args.popspec, "--scenarios", tree.root, "--rfc", "2449", "--strict")
        expect(proc.returncode == 0, show(proc))
        expect(f"{half} covered, {len(server_2449) - half} untestable, 0 missing (100.0%"
               in proc.stdout, proc.stdout)
        # A note that names no requirement of its RFC fails --strict even with nothing missing.
        with open(os.path.join(tree.root, "untestable.json"), "w", encoding="utf-8") as f:
            json.dump({"rfc2449": [{"id": i, "reason": "r"} for i in server_2449[half:]] +
                       [{"id": "POP3-1939-RETR.1", "reason": "filed under the wrong RFC"}]}, f)
        proc = coverage(args.popspec, "--scenarios", tree.root, "--rfc", "2449", "--strict")
        expect(proc.returncode == 1 and "belongs to RFC 1939" in proc.stdout
               and "naming no requirement of their RFC" in proc.stderr, show(proc))


def test_bad_notes_and_bad_scenarios_are_usage_errors(args):
    with small_tree(args.source) as tree:
        with open(os.path.join(tree.root, "untestable.json"), "w", encoding="utf-8") as f:
            f.write('{"rfc1939": [{"id": "POP3-1939-GEN.1"}]}')
        proc = coverage(args.popspec, "--scenarios", tree.root)
        expect(proc.returncode == 2 and "untestable.json" in proc.stderr, show(proc))
    with small_tree(args.source) as tree:
        # A note naming no requirement of its RFC is reported as a warning.
        with open(os.path.join(tree.root, "untestable.json"), "w", encoding="utf-8") as f:
            json.dump({"rfc1939": [{"id": "POP3-1939-NOPE.9", "reason": "typo"}]}, f)
        proc = coverage(args.popspec, "--scenarios", tree.root)
        expect(proc.returncode == 0 and "POP3-1939-NOPE.9 is not in the requirement catalog"
               in proc.stdout, show(proc))
    with small_tree(args.source) as tree:
        tree.add_text("pop3/broken", '{"group": "pop3/broken", "protocol": "pop3", "scenarios": [')
        proc = coverage(args.popspec, "--scenarios", tree.root)
        expect(proc.returncode == 2 and "pop3/broken.json" in proc.stderr, show(proc))
    proc = coverage(args.popspec, "--scenarios", "/nonexistent/popspec-scenarios")
    expect(proc.returncode == 2, show(proc))


def test_unwritable_json_is_an_environment_error(args):
    with small_tree(args.source) as tree:
        proc = coverage(args.popspec, "--scenarios", tree.root, "--json",
                        os.path.join(tree.root, "no-such-dir", "c.json"))
        expect(proc.returncode == 3 and "cannot write" in proc.stderr, show(proc))


if __name__ == "__main__":
    main([
        ("report lists covered, untestable, missing and client rows per RFC",
         test_report_lists_covered_untestable_missing_and_client_rows_per_rfc),
        ("--rfc and --missing narrow the report", test_rfc_and_missing_narrow_the_report),
        ("--json holds every row and the counts", test_json_holds_every_row_and_the_counts),
        ("--strict and --fail-under set the exit code",
         test_strict_and_fail_under_set_the_exit_code),
        ("--strict passes when every server requirement is cited or explained",
         test_strict_passes_when_every_server_requirement_is_cited_or_explained),
        ("bad notes and bad scenario files are usage errors",
         test_bad_notes_and_bad_scenarios_are_usage_errors),
        ("an unwritable --json file is an environment error",
         test_unwritable_json_is_an_environment_error),
    ])
