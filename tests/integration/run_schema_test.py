#!/usr/bin/env python3
"""scenarios/schema.json agrees with the loader: it is a valid JSON Schema (draft 2020-12),
every scenario file of the repository validates against it, and files the loader refuses for a
shape reason are refused by the schema too.

Usage: run_schema_test.py --popspec PATH --source REPO_ROOT
"""
import copy
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from run_support import ScenarioTree, expect, main, popspec_run  # noqa: E402

try:
    import jsonschema
except ImportError:  # Debian: python3-jsonschema (scripts/install-deps installs it)
    print("python3-jsonschema is missing: apt-get install python3-jsonschema")
    sys.exit(1)


def validator(source):
    with open(os.path.join(source, "scenarios", "schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def scenario_files(source):
    root = os.path.join(source, "scenarios")
    return [f for f in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True))
            if os.path.dirname(f) != root]


def test_every_repository_scenario_file_validates(args):
    v = validator(args.source)
    files = scenario_files(args.source)
    expect(files, "no scenario files found")
    for path in files:
        with open(path, encoding="utf-8") as f:
            errors = list(v.iter_errors(json.load(f)))
        expect(not errors, f"{path}: {errors[0].message if errors else ''}")


VALID = {"group": "pop3/shape", "protocol": "pop3", "scenarios": [{
    "id": "s", "title": "t", "requirements": ["POP3-1939-STAT.2"],
    "steps": [{"connect": "main"}, {"login": "user"},
              {"send": "STAT", "expect": {"any_of": [{"status": "+OK"}, {"closed": True}]}}]}]}


def mutations():
    def at_step(doc, index):
        return doc["scenarios"][0]["steps"][index]
    cases = []

    def case(name, fn):
        doc = copy.deepcopy(VALID)
        fn(doc)
        cases.append((name, doc))
    case("unknown step key", lambda d: at_step(d, 2).update({"expct": {}}))
    case("unknown outcome key", lambda d: at_step(d, 2)["expect"]["any_of"][0].update({"stauts": "+OK"}))
    case("unknown scenario key", lambda d: d["scenarios"][0].update({"requirement": []}))
    case("bad status", lambda d: at_step(d, 2)["expect"]["any_of"][0].update({"status": "OK"}))
    case("bad verdict", lambda d: at_step(d, 2)["expect"]["any_of"][0].update({"verdict": "passed"}))
    case("bad login account", lambda d: at_step(d, 1).update({"login": "root"}))
    case("two actions in one step", lambda d: at_step(d, 1).update({"send": "NOOP"}))
    case("bad id", lambda d: d["scenarios"][0].update({"id": "Bad_ID"}))
    case("missing requirements", lambda d: d["scenarios"][0].pop("requirements"))
    return cases


def test_shape_errors_are_refused_by_schema_and_loader(args):
    v = validator(args.source)
    expect(not list(v.iter_errors(VALID)), "the valid document does not validate")
    for name, doc in mutations():
        expect(list(v.iter_errors(doc)), f"the schema accepts: {name}")
        with ScenarioTree(args.source) as tree:
            tree.add_text("pop3/shape", json.dumps(doc, indent=2))
            run = popspec_run(args.popspec, "--scenarios", tree.root, "--check", json_out=False)
            expect(run.code == 2, f"the loader accepts: {name}\n{run}")
            expect("shape.json:" in run.stderr, f"{name}: no file:line:column\n{run}")
    with ScenarioTree(args.source) as tree:
        tree.add_text("pop3/shape", json.dumps(VALID, indent=2))
        run = popspec_run(args.popspec, "--scenarios", tree.root, "--check", json_out=False)
        expect(run.code == 0, f"the loader refuses the valid document\n{run}")


def test_no_sleep_waits_after_a_drop(args):
    # `drop` already waits for the server to close its side: a pause after it only makes the
    # suite slower.
    found = []
    for path in sorted(glob.glob(os.path.join(args.source, "scenarios", "**", "*.json"),
                                 recursive=True)):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for s in doc.get("scenarios", []) if isinstance(doc, dict) else []:
            steps = s.get("steps", [])
            for before, after in zip(steps, steps[1:]):
                if "drop" in before and "sleep_ms" in after:
                    found.append(f"{os.path.relpath(path, args.source)}: {s.get('id')}")
    expect(not found, "sleep_ms right after drop: " + ", ".join(found))


if __name__ == "__main__":
    main([
        ("no sleep waits after a drop", test_no_sleep_waits_after_a_drop),
        ("every repository scenario file validates", test_every_repository_scenario_file_validates),
        ("shape errors refused by schema and loader", test_shape_errors_are_refused_by_schema_and_loader),
    ])
