#!/usr/bin/python3
"""Generates the seed corpus of every fuzz target (run by CMake at build time).

  gen_seeds.py --scenarios scenarios/ --manifest fuzz/targets.json --out build/fuzz/seeds

For each target of the manifest, --out/<target>/ receives built-in seeds plus, according to the
target's "seeds" mode, what the scenario suite holds:
  pop3_sessions / pop3_sessions_rfc1225 / pop2_sessions
      the client side of every connection of every scenario of that protocol and profile, as a
      wire transcript (login steps become USER/PASS, APOP or HELO; close becomes QUIT);
  pop3_lines / pop2_lines   every distinct command line those scenarios send;
  scenario_files            every scenario file, whole;
  pop3_responses / pop2_replies / roundtrip   built-in seeds only.
File names are content hashes, so identical seeds collapse. The directory is replaced as a whole,
so seeds of a deleted scenario disappear.
"""

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seedlib  # noqa: E402


def seeds_for(mode, documents, max_len):
    seeds = list(seedlib.builtin_seeds(mode))
    if mode == "scenario_files":
        seeds.extend(text for _, text, _ in documents)
        return seeds
    for _, _, doc in documents:
        for t in seedlib.transcripts(doc, limit=max_len):
            profiles = t["profiles"]
            if mode == "pop3_sessions" and t["protocol"] == "pop3" and (
                    not profiles or "rfc1939" in profiles):
                seeds.append(t["data"])
            elif mode == "pop3_sessions_rfc1225" and t["protocol"] == "pop3" and (
                    not profiles or "rfc1225" in profiles):
                seeds.append(t["data"])
            elif mode == "pop2_sessions" and t["protocol"] == "pop2":
                seeds.append(t["data"])
            elif mode == "pop3_lines" and t["protocol"] == "pop3":
                seeds.extend(t["lines"])
            elif mode == "pop2_lines" and t["protocol"] == "pop2":
                seeds.extend(t["lines"])
    return seeds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", required=True, type=Path)
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()

    documents = []  # (path, raw bytes, parsed JSON or None)
    for path in seedlib.scenario_files(args.scenarios):
        raw = path.read_bytes()
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            doc = None  # still a seed for the loader target; the loader reports it
        documents.append((path, raw, doc))

    targets = seedlib.load_manifest(args.manifest)
    staging = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    counts = {}
    for name, spec in targets.items():
        directory = staging / name
        directory.mkdir(parents=True)
        written = set()
        for seed in seeds_for(spec["seeds"], documents, spec.get("max_len", 1 << 16)):
            digest = hashlib.sha1(seed).hexdigest()
            if digest in written:
                continue
            written.add(digest)
            (directory / digest).write_bytes(seed)
        if not written:
            sys.exit(f"gen_seeds: no seeds for {name} (mode {spec['seeds']!r})")
        counts[name] = len(written)
    (staging / ".generated").write_text(json.dumps(
        {"scenario_files": len(documents), "seeds": counts}, indent=2, sort_keys=True) + "\n")
    shutil.rmtree(args.out, ignore_errors=True)
    staging.rename(args.out)
    print("gen_seeds: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) +
          f" (from {len(documents)} scenario files)")


if __name__ == "__main__":
    main()
