#!/usr/bin/python3
"""Runs .clusterfuzzlite/build.sh the way ClusterFuzzLite would, but locally: the contract's
environment ($CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $SRC $WORK $OUT) set to clang 14 with
libFuzzer, ASan and UBSan. Then checks what landed in $OUT (a binary, seed corpus zip, dictionary
and options file per target of fuzz/targets.json) and fuzzes each binary for a few seconds from
its seed corpus. Any crash, missing file or failed build fails the check.

  cflite_check.py --source REPO --work DIR [--cc clang-14] [--cxx clang++-14] [--seconds 5]

This is CTest's fuzz.clusterfuzzlite (label "fuzz"): CI's short fuzzing run of every target.
DIR keeps the build tree between runs ($WORK), so with ccache a re-run compiles nothing new.
"""

import argparse
import configparser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

SANITIZER_FLAGS = ("-O1 -fno-omit-frame-pointer -gline-tables-only "
                   "-fsanitize=address,undefined -fno-sanitize-recover=undefined "
                   "-fsanitize=fuzzer-no-link")


def fail(message):
    print(f"cflite_check: FAIL: {message}", flush=True)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--work", required=True, type=Path)
    parser.add_argument("--cc", default="clang-14")
    parser.add_argument("--cxx", default="clang++-14")
    parser.add_argument("--seconds", type=int, default=5, help="fuzzing time per target")
    parser.add_argument("--targets", nargs="*", help="only these targets (default: all)")
    args = parser.parse_args()

    source = args.source.resolve()
    work = args.work.resolve()
    src, out, work_dir = work / "src", work / "out", work / "work"
    src.mkdir(parents=True, exist_ok=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    # $SRC/popspec is the checkout, as the Dockerfile's COPY makes it.
    link = src / "popspec"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(source, target_is_directory=True)

    env = dict(os.environ)
    env.update({
        "CC": args.cc, "CXX": args.cxx,
        "CFLAGS": SANITIZER_FLAGS, "CXXFLAGS": SANITIZER_FLAGS,
        "LIB_FUZZING_ENGINE": "-fsanitize=fuzzer",
        "SRC": str(src), "WORK": str(work_dir), "OUT": str(out),
        "SANITIZER": "address", "FUZZING_ENGINE": "libfuzzer", "ARCHITECTURE": "x86_64",
    })
    started = time.monotonic()
    build = subprocess.run(["bash", "-eu", str(source / ".clusterfuzzlite" / "build.sh")],
                           env=env, cwd=str(link))
    if build.returncode != 0:
        fail(f"build.sh exited with {build.returncode}")
    print(f"cflite_check: build.sh done in {time.monotonic() - started:.0f} s", flush=True)

    with open(source / "fuzz" / "targets.json", encoding="utf-8") as f:
        targets = json.load(f)["targets"]
    selected = args.targets or list(targets)
    failures = []
    for name in selected:
        fuzzer = out / f"{name}_fuzzer"
        for path in (fuzzer, out / f"{name}_fuzzer.dict", out / f"{name}_fuzzer.options",
                     out / f"{name}_fuzzer_seed_corpus.zip"):
            if not path.is_file():
                fail(f"{path.name} missing from $OUT")
        if not os.access(fuzzer, os.X_OK):
            fail(f"{fuzzer.name} is not executable")
        options = configparser.ConfigParser()
        options.read(out / f"{name}_fuzzer.options")
        if options.get("libfuzzer", "max_len", fallback=None) != str(targets[name]["max_len"]):
            fail(f"{name}_fuzzer.options does not carry max_len {targets[name]['max_len']}")
        with tempfile.TemporaryDirectory(prefix=f"cflite-{name}-") as corpus:
            with zipfile.ZipFile(out / f"{name}_fuzzer_seed_corpus.zip") as z:
                if not z.namelist():
                    fail(f"{name}_fuzzer_seed_corpus.zip is empty")
                z.extractall(corpus)
            command = [str(fuzzer), f"-dict={out / (name + '_fuzzer.dict')}",
                       f"-max_len={targets[name]['max_len']}",
                       f"-max_total_time={args.seconds}", "-timeout=25", "-rss_limit_mb=2048",
                       "-print_final_stats=1", f"-artifact_prefix={work}/{name}-", corpus]
            run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True, errors="replace")
            stats = {line.partition(": ")[0]: line.partition(": ")[2].strip()
                     for line in run.stdout.splitlines() if line.startswith("stat::")}
            print(f"cflite_check: {name}: exit {run.returncode}, "
                  f"{stats.get('stat::number_of_executed_units', '?')} runs, "
                  f"{stats.get('stat::average_exec_per_sec', '?')} exec/s", flush=True)
            if run.returncode != 0:
                print(run.stdout[-6000:])
                failures.append(name)
    if failures:
        fail("fuzzing found problems in: " + ", ".join(failures) +
             f" (crash inputs under {work}; reproduce with the binary in {out})")
    print("cflite_check: OK")


if __name__ == "__main__":
    main()
