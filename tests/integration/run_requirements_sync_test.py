#!/usr/bin/env python3
"""scenarios/requirements.json is committed (a clone works without ../shared); when
../shared/requirements.md exists beside the checkout, the catalog must be what
scripts/gen-requirements.py generates from it.

Usage: run_requirements_sync_test.py --popspec PATH --source REPO_ROOT
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from run_support import expect, main  # noqa: E402


def test_catalog_is_in_sync_with_requirements_md(args):
    source_md = os.path.join(os.path.dirname(os.path.abspath(args.source)), "shared",
                             "requirements.md")
    if not os.path.exists(source_md):
        print(f"  {source_md} is absent: only the committed catalog is checked")
    else:
        proc = subprocess.run([sys.executable, os.path.join(args.source, "scripts",
                                                            "gen-requirements.py"),
                               "--check", "--source", source_md],
                              capture_output=True, text=True, timeout=60)
        expect(proc.returncode == 0, proc.stderr)
    with open(os.path.join(args.source, "scenarios", "requirements.json"), encoding="utf-8") as f:
        catalog = json.load(f)
    ids = [r["id"] for r in catalog["requirements"]]
    expect(len(ids) == len(set(ids)), "duplicate requirement IDs in the catalog")
    for r in catalog["requirements"]:
        expect(r["level"] in ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"), str(r))
        expect(r["role"] in ("S", "C", "S+C"), str(r))


def test_generator_refuses_a_malformed_row(args):
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        md = os.path.join(tmp, "requirements.md")
        with open(md, "w", encoding="utf-8") as f:
            f.write("| POP3-1939-X.1 | 3 | OUGHT | K | S | Something. |\n")
        proc = subprocess.run([sys.executable, os.path.join(args.source, "scripts",
                                                            "gen-requirements.py"),
                               "--source", md, "--output", os.path.join(tmp, "out.json")],
                              capture_output=True, text=True, timeout=60)
        expect(proc.returncode == 2 and "unknown level 'OUGHT'" in proc.stderr, proc.stderr)


if __name__ == "__main__":
    main([
        ("catalog in sync with requirements.md", test_catalog_is_in_sync_with_requirements_md),
        ("generator refuses a malformed row", test_generator_refuses_a_malformed_row),
    ])
