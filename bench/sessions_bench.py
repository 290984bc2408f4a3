#!/usr/bin/env python3
"""Sessions per second of `popspec serve` on loopback (see BENCHMARKS.md).

For each storage format: seeds a temporary maildrops directory with the standard fixture for
users bench1..benchN (`popspec fixture --user`), starts `popspec serve --pop3 127.0.0.1:0`,
and runs the load generator: N concurrent clients, each running complete sessions (USER, PASS,
STAT, RETR of all 7 fixture messages, about 107 KB, QUIT) back to back as its own user, so no
session waits for another's maildrop lock. Bounded by --duration and --max-sessions; loopback
only. Prints the load generator's figures and the server's CPU time, then stops the server with
SIGTERM and checks it exits cleanly.

Usage: sessions_bench.py --popspec BIN --loadgen BIN [--clients 8] [--duration 10]
                         [--max-sessions N] [--formats maildir,mbox]
"""
import argparse
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time

DEADLINE = 20  # seconds for start-up and shutdown
PASSWORD = "bench-secret"


def fail(message):
    print(f"sessions_bench: {message}", file=sys.stderr)
    sys.exit(1)


def start_server(popspec, root, clients):
    proc = subprocess.Popen(
        [popspec, "serve", "--pop3", "127.0.0.1:0", "--maildrops", root,
         "--users", os.path.join(root, "users"), "--max-connections", str(max(64, 4 * clients))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + DEADLINE
    buffer = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while b"\n" not in buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                proc.kill()
                fail("popspec serve did not report its port in time")
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                fail(f"popspec serve exited: {proc.stderr.read().decode(errors='replace')}")
            buffer += chunk
    m = re.match(rb"popspec: pop3 listening on 127\.0\.0\.1:(\d+)\n", buffer)
    if not m:
        proc.kill()
        fail(f"unexpected output from popspec serve: {buffer!r}")
    return proc, int(m.group(1))


def cpu_seconds(pid):
    """User + system CPU time of a live process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def bench_format(args, fmt, scratch):
    root = os.path.join(scratch, fmt)
    os.makedirs(root)
    users = [f"bench{k}" for k in range(1, args.clients + 1)]
    for user in users:
        result = subprocess.run([args.popspec, "fixture", "--format", fmt, "--out", root,
                                 "--user", user], capture_output=True, text=True,
                                timeout=DEADLINE)
        if result.returncode != 0:
            fail(f"popspec fixture failed: {result.stderr}")
    with open(os.path.join(root, "users"), "w") as f:
        f.writelines(f"{user}:{PASSWORD}\n" for user in users)

    server, port = start_server(args.popspec, root, args.clients)
    try:
        cpu_before = cpu_seconds(server.pid)
        cmd = [args.loadgen, "--port", str(port), "--clients", str(args.clients),
               "--duration", str(args.duration), "--user-prefix", "bench", "--password", PASSWORD]
        if args.max_sessions:
            cmd += ["--max-sessions", str(args.max_sessions)]
        run = subprocess.run(cmd, capture_output=True, text=True,
                             timeout=args.duration + 4 * DEADLINE)
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        status = server.wait(timeout=DEADLINE)
    print(f"[{fmt}] " + run.stdout.strip().replace("\n", f"\n[{fmt}] "))
    if run.returncode != 0:
        fail(f"load generator failed ({run.returncode}): {run.stdout}{run.stderr}")
    if status != 0:
        fail(f"popspec serve exited with {status} after SIGTERM")
    sessions = int(re.search(r"sessions=(\d+)", run.stdout).group(1))
    print(f"[{fmt}] server_cpu_s={server_cpu:.2f} server_cpu_ms_per_session="
          f"{1000 * server_cpu / max(1, sessions):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--popspec", required=True)
    parser.add_argument("--loadgen", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--max-sessions", type=int, default=0)
    parser.add_argument("--formats", default="maildir,mbox")
    args = parser.parse_args()
    if not 1 <= args.clients <= 256:
        fail("--clients must be 1..256")
    if not 0 < args.duration <= 120:
        fail("--duration must be in (0, 120] seconds")
    formats = args.formats.split(",")
    if any(f not in ("maildir", "mbox") for f in formats):
        fail("--formats takes maildir and/or mbox")
    scratch = tempfile.mkdtemp(prefix="popspec-bench-")
    try:
        for fmt in formats:
            bench_format(args, fmt, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
