#!/usr/bin/env python3
"""Every example of docs/scenarios.md is a tested, passing scenario file.

Each ```json block of the document must be a complete scenario file identical to
scenarios/examples/<name>.json (so the docs cannot drift from what is tested), and every example
file must appear in the document. The blocks are then run, as a scenario tree of their own,
against the embedded reference server: every scenario must pass.

Usage: run_docs_examples_test.py --popspec PATH --source REPO_ROOT
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from run_support import ScenarioTree, expect, main, popspec_run  # noqa: E402


def blocks(source):
    with open(os.path.join(source, "docs", "scenarios.md"), encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"^```json\n(.*?)^```$", text, flags=re.S | re.M)


def test_blocks_are_the_example_files(args):
    found = blocks(args.source)
    expect(len(found) >= 5, f"expected at least 5 json examples, found {len(found)}")
    groups = set()
    for block in found:
        doc = json.loads(block)
        group = doc["group"]
        expect(group.startswith("examples/"), f"docs example group {group} is not under examples/")
        path = os.path.join(args.source, "scenarios", *group.split("/")) + ".json"
        expect(os.path.exists(path), f"{path} missing for the docs example {group}")
        with open(path, encoding="utf-8") as f:
            expect(f.read() == block, f"docs/scenarios.md's example {group} differs from {path}")
        groups.add(group)
    example_dir = os.path.join(args.source, "scenarios", "examples")
    for name in sorted(os.listdir(example_dir)):
        group = "examples/" + name[:-5]
        expect(group in groups, f"scenarios/examples/{name} is not shown in docs/scenarios.md")


def test_every_example_passes_against_the_reference(args):
    with ScenarioTree(args.source) as tree:
        protocols = set()
        for block in blocks(args.source):
            doc = json.loads(block)
            tree.add_text(doc["group"], block)
            protocols.add(doc["protocol"])
        total = 0
        for protocol in sorted(protocols):
            run = popspec_run(args.popspec, "--scenarios", tree.root, "--protocol", protocol)
            expect(run.code == 0, f"{protocol} examples did not all pass:\n{run}")
            verdicts = run.verdicts()
            bad = {k: v for k, v in verdicts.items() if v != "pass"}
            expect(not bad, f"examples not passing: {bad}\n{run}")
            total += len(verdicts)
        expect(total >= 10, f"only {total} example scenarios ran")


if __name__ == "__main__":
    main([
        ("docs blocks are the example files", test_blocks_are_the_example_files),
        ("every docs example passes against the reference", test_every_example_passes_against_the_reference),
    ])
