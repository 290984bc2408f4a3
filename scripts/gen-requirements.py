#!/usr/bin/python3
"""Generates scenarios/requirements.json, the requirement catalog, from requirements.md.

The catalog is committed so that a clone works without ../shared; this script regenerates it, and
`--check` (run by the test suite) fails when the committed JSON is out of date.

    scripts/gen-requirements.py                 # rewrite scenarios/requirements.json
    scripts/gen-requirements.py --check         # exit 1 if it differs from requirements.md
    scripts/gen-requirements.py --source PATH --output PATH
"""
import argparse
import json
import re
import sys
from pathlib import Path

LEVELS = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY")
ROLES = ("S", "C", "S+C")
ID_RE = re.compile(r"^(POP2|POP3)-(\d+)-([A-Z0-9]+)\.(\d+)$")
BASIS_RE = re.compile(r"^[DKGTI](/[DKGTI])*$")


class SourceError(Exception):
    pass


def split_row(line):
    # A table row: "| a | b | ... |". Requirement sentences never contain an unescaped "|"
    # (checked: a row with the wrong number of cells is an error, not silently mis-split).
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return cells


def parse_requirements(text):
    requirements = []
    seen = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("| POP"):
            continue
        cells = split_row(line)
        if len(cells) != 6:
            raise SourceError(f"line {number}: expected 6 cells, found {len(cells)}")
        rid, section, level, basis, role, sentence = cells
        m = ID_RE.match(rid)
        if not m:
            raise SourceError(f"line {number}: malformed requirement ID {rid!r}")
        if rid in seen:
            raise SourceError(f"line {number}: duplicate requirement ID {rid}")
        if level not in LEVELS:
            raise SourceError(f"line {number}: unknown level {level!r} for {rid}")
        if not BASIS_RE.match(basis):
            raise SourceError(f"line {number}: unknown basis {basis!r} for {rid}")
        if role not in ROLES:
            raise SourceError(f"line {number}: unknown role {role!r} for {rid}")
        seen.add(rid)
        requirements.append({
            "id": rid,
            "rfc": m.group(2),
            "section": section,
            "level": level,
            "basis": basis,
            "role": role,
            "sentence": sentence,
        })
    if not requirements:
        raise SourceError("no requirement rows found")
    return requirements


def parse_untestable(text):
    """The bullet list under '## Normative but not testable ...': one entry per inner bullet."""
    entries = []
    in_section = False
    rfc = None
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            in_section = line.startswith("## Normative but not testable")
            continue
        if not in_section:
            continue
        top = re.match(r"^- \*\*RFC (\d+)\*\*", line)
        if top:
            rfc = top.group(1)
            continue
        item = re.match(r"^  - (.*)$", line)
        if item and rfc:
            current = {"rfc": rfc, "text": item.group(1).strip()}
            entries.append(current)
            continue
        cont = re.match(r"^    (\S.*)$", line)
        if cont and current is not None:
            current["text"] += " " + cont.group(1).strip()
            continue
        if not line.strip():
            continue
        current = None
    return entries


def generate(source_path):
    text = Path(source_path).read_text(encoding="utf-8")
    catalog = {
        "description": "Testable POP2/POP3 requirements with stable IDs. Generated from "
                       "requirements.md by scripts/gen-requirements.py; do not edit by hand.",
        "requirements": parse_requirements(text),
        "untestable": parse_untestable(text),
    }
    return json.dumps(catalog, indent=2, ensure_ascii=False) + "\n"


def main():
    repo = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=str(repo.parent / "shared" / "requirements.md"))
    parser.add_argument("--output", default=str(repo / "scenarios" / "requirements.json"))
    parser.add_argument("--check", action="store_true",
                        help="compare instead of writing; exit 1 when out of date")
    args = parser.parse_args()
    try:
        generated = generate(args.source)
    except (OSError, SourceError) as e:
        print(f"gen-requirements: {args.source}: {e}", file=sys.stderr)
        return 2
    output = Path(args.output)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != generated:
            print(f"gen-requirements: {output} is out of date with {args.source}; "
                  "run scripts/gen-requirements.py", file=sys.stderr)
            return 1
        return 0
    output.write_text(generated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
