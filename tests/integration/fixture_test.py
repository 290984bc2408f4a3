#!/usr/bin/env python3
"""`popspec fixture` end to end: write the fixture in both formats, serve it with
`popspec serve` on 127.0.0.1 (ephemeral port), and check with Python's poplib that the
sizes, contents (MD5), unique-ids and accounts are those of `popspec fixture --table`
(the table docs/fixture.md carries). Also checks the command's exit codes.

Usage: fixture_test.py --popspec PATH --source REPO_ROOT
"""
import argparse
import hashlib
import os
import poplib
import re
import shutil
import subprocess
import sys
import tempfile
import time

DEADLINE = 20  # seconds for any one step


def run(popspec, *args):
    return subprocess.run([popspec, *args], capture_output=True, text=True, timeout=DEADLINE)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def parse_table(text):
    """Rows of the default maildrop: [(octets, md5)] in message order."""
    rows = []
    for line in text.splitlines():
        m = re.match(r"^\| (\d+) \| [a-z-]+ \| (\d+) \| \d+ \| `([0-9a-f]{32})` \|", line)
        if m:
            rows.append((int(m.group(2)), m.group(3)))
    return rows


class server:
    """`popspec serve` on 127.0.0.1:0; the port is read from its first stdout line."""

    def __init__(self, popspec, maildrops):
        self.proc = subprocess.Popen(
            [popspec, "serve", "--maildrops", maildrops, "--pop3", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + DEADLINE
        self.port = None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"pop3 listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            self.close()
            raise AssertionError("popspec serve did not report its port: "
                                 + self.proc.stderr.read())

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def login(self, user, password):
        pop = poplib.POP3("127.0.0.1", self.port, timeout=DEADLINE)
        pop.user(user)
        pop.pass_(password)
        return pop


def check_served(popspec, maildrops, rows):
    srv = server(popspec, maildrops)
    try:
        pop = srv.login("popspec", "popspec-secret")
        count, total = pop.stat()
        expect(count == len(rows), f"STAT count {count}, expected {len(rows)}")
        expect(total == sum(r[0] for r in rows), f"STAT size {total}")
        _, listing, _ = pop.list()
        sizes = [int(entry.split()[1]) for entry in listing]
        expect(sizes == [r[0] for r in rows], f"LIST sizes {sizes}")
        for n, (octets, digest) in enumerate(rows, start=1):
            _, lines, _ = pop.retr(n)  # poplib undoes the dot-stuffing
            wire = b"".join(line + b"\r\n" for line in lines)
            expect(len(wire) == octets, f"message {n}: {len(wire)} octets, expected {octets}")
            expect(hashlib.md5(wire).hexdigest() == digest, f"message {n}: wrong MD5")
        _, uidl_first, _ = pop.uidl()
        pop.rset()
        pop.quit()  # no deletions

        pop = srv.login("popspec", "popspec-secret")
        _, uidl_again, _ = pop.uidl()
        expect(uidl_again == uidl_first, "UIDL changed between sessions")
        pop.quit()

        pop = srv.login("popspec2", "popspec2-secret")
        expect(pop.stat() == (0, 0), "popspec2's maildrop is not empty")
        pop.quit()
    finally:
        srv.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--popspec", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    popspec = args.popspec

    table = run(popspec, "fixture", "--table")
    expect(table.returncode == 0, "fixture --table failed")
    rows = parse_table(table.stdout)
    expect(len(rows) == 7, f"table has {len(rows)} rows for the default maildrop")
    with open(os.path.join(args.source, "docs", "fixture.md"), encoding="utf-8") as doc:
        expect(table.stdout in doc.read(), "docs/fixture.md does not hold the current table")

    work = tempfile.mkdtemp(prefix="popspec-fixture-it-")
    try:
        for fmt in ("maildir", "mbox"):
            out = os.path.join(work, fmt)
            r = run(popspec, "fixture", "--format", fmt, "--out", out, "--users-file")
            expect(r.returncode == 0, f"fixture --format {fmt}: {r.returncode} {r.stderr}")
            check_served(popspec, out, rows)

            # Refuses to overwrite (usage error, 2), in either format.
            for other in ("maildir", "mbox"):
                r = run(popspec, "fixture", "--format", other, "--out", out)
                expect(r.returncode == 2 and "already exists" in r.stderr,
                       f"overwrite: {r.returncode} {r.stderr}")

        # Missing options and bad names are usage errors (2).
        for bad in (["fixture", "--out", work], ["fixture", "--format", "maildir"],
                    ["fixture", "--format", "mbox", "--out", work, "--user", "../x"],
                    ["fixture", "--format", "tar", "--out", work]):
            r = run(popspec, *bad)
            expect(r.returncode == 2, f"{bad}: exit {r.returncode}, expected 2")

        # A directory that cannot be created is an I/O failure (3).
        blocker = os.path.join(work, "a-file")
        with open(blocker, "w", encoding="utf-8") as f:
            f.write("not a directory\n")
        r = run(popspec, "fixture", "--format", "mbox", "--out", os.path.join(blocker, "sub"))
        expect(r.returncode == 3, f"unwritable: exit {r.returncode} {r.stderr}")

        r = run(popspec, "fixture", "--help")
        expect(r.returncode == 0 and "--format" in r.stdout, "fixture --help")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("fixture_test: ok")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"fixture_test: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
