"""Shared helpers for tests/integration/run_*_test.py (Python standard library only).

Each test script is run by CTest as `python3 script --popspec BIN --source ROOT`. The helpers run
`popspec run` with a deadline, build throw-away scenario trees, and start `popspec serve` on
127.0.0.1 port 0 over a maildrop seeded by `popspec fixture`. Nothing here talks to an address
other than 127.0.0.1, and every process and temporary directory is cleaned up.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

DEADLINE = 120  # seconds for any one popspec invocation


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--popspec", required=True)
    parser.add_argument("--source", required=True)
    return parser.parse_args()


class Run:
    """The outcome of one `popspec run`: exit code, output, parsed --json results."""

    def __init__(self, proc, results, seconds):
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.results = results
        self.seconds = seconds

    def verdicts(self):
        return {s["id"]: s["verdict"] for s in self.results["scenarios"]} if self.results else {}

    def scenario(self, sid):
        for s in self.results["scenarios"]:
            if s["id"] == sid:
                return s
        raise AssertionError(f"no result for {sid}")

    def __str__(self):
        return f"exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def popspec_run(popspec, *args, json_out=True, timeout=DEADLINE):
    with tempfile.TemporaryDirectory(prefix="popspec-run-test-") as tmp:
        cmd = [popspec, "run", *args]
        path = os.path.join(tmp, "results.json")
        if json_out:
            cmd += ["--json", path]
        # The embedded target's temporary maildrops go under TMPDIR: this directory, removed
        # below, so nothing is left in /tmp even when popspec is killed at the deadline.
        env = dict(os.environ, TMPDIR=tmp)
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, env=env)
        seconds = time.monotonic() - start
        results = None
        if json_out and os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                results = json.load(f)
        return Run(proc, results, seconds)


class ScenarioTree:
    """A temporary scenarios/ directory with the repository's requirement catalog."""

    def __init__(self, source):
        self.root = tempfile.mkdtemp(prefix="popspec-scenarios-")
        shutil.copy(os.path.join(source, "scenarios", "requirements.json"), self.root)

    def add(self, group, protocol, scenarios):
        return self.add_text(group, json.dumps(
            {"group": group, "protocol": protocol, "scenarios": scenarios}, indent=2))

    def add_text(self, group, text):
        path = os.path.join(self.root, *group.split("/")) + ".json"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Server:
    """`popspec serve` on 127.0.0.1:0 over a fresh fixture maildrop."""

    def __init__(self, popspec, *extra):
        self.dir = tempfile.mkdtemp(prefix="popspec-serve-")
        maildrops = os.path.join(self.dir, "maildrops")
        subprocess.run([popspec, "fixture", "--format", "maildir", "--out", maildrops,
                        "--users-file"], check=True, capture_output=True, timeout=DEADLINE)
        self.log = open(os.path.join(self.dir, "serve.log"), "w+")
        self.proc = subprocess.Popen(
            [popspec, "serve", "--maildrops", maildrops, "--pop3", "127.0.0.1:0", "--pop2",
             "127.0.0.1:0", "--hostname", "localhost", *extra],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.pop3 = self.pop2 = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (self.pop3 is None or self.pop2 is None):
            self.log.seek(0)
            text = self.log.read()
            m3 = re.search(r"pop3 listening on 127\.0\.0\.1:(\d+)", text)
            m2 = re.search(r"pop2 listening on 127\.0\.0\.1:(\d+)", text)
            self.pop3 = int(m3.group(1)) if m3 else None
            self.pop2 = int(m2.group(1)) if m2 else None
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if self.pop3 is None or self.pop2 is None:
            self.close()
            raise AssertionError("popspec serve did not start: " + text)

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main(tests):
    """Runs each (name, function(args)) and reports; exit 1 if any failed."""
    args = parse_args()
    failed = 0
    for name, fn in tests:
        start = time.monotonic()
        try:
            fn(args)
            print(f"PASS {name} ({time.monotonic() - start:.1f} s)")
        except Exception:  # noqa: BLE001 - report every failure, keep going
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
    print(f"{len(tests) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
