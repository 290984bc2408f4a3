#!/usr/bin/python3
"""The whole scenario suite against the embedded reference server: wall time beside the
loopback floor, at --jobs 1 and --jobs 2 (issue "The scenario engine", item 9).

The floor is what the network alone would cost: the number of round trips the suite makes
(from the --json transcripts: every write, every connect with its greeting, every close-and-wait)
times one loopback round trip, measured in this same run with a TCP ping-pong of one octet on
127.0.0.1 (TCP_NODELAY). Whatever exceeds the floor is popspec and the reference server.

    bench/suite_wall_time.py --popspec build/harness/popspec [--repeat 3] [--markdown]

Use a Release (or RelWithDebInfo) build: a Debug build measures the optimiser's absence.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time

# (label, extra popspec run arguments): together, every scenario of the suite.
RUNS = [
    ("pop3 rfc1939", ["--protocol", "pop3", "--profile", "rfc1939"]),
    ("pop3 rfc1225", ["--protocol", "pop3", "--profile", "rfc1225"]),
    ("pop2 rfc937", ["--protocol", "pop2"]),
]
DISCOVERY_ROUND_TRIPS = 8  # capability discovery per run: greeting, CAPA, USER, PASS, STAT, ...


def loopback_round_trip(iterations=20000):
    """Median over 5 batches of the mean one-octet TCP round trip on 127.0.0.1, in seconds."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def echo():
        conn, _ = server.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            b = conn.recv(1)
            if not b:
                break
            conn.sendall(b)
        conn.close()

    thread = threading.Thread(target=echo, daemon=True)
    thread.start()
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(iterations // 5):
            client.sendall(b"x")
            client.recv(1)
        batches.append((time.perf_counter() - start) / (iterations // 5))
    client.close()
    thread.join(timeout=5)
    server.close()
    return statistics.median(batches)


def round_trips(results):
    """Round trips of one run, counted from its transcripts."""
    total = 0
    for s in results["scenarios"]:
        for entry in s.get("transcript", []):
            if entry["direction"] == "client_to_server":
                total += 1
            elif entry["direction"] == "event" and (
                    entry["data"].startswith("connect to") or "without QUIT" in entry["data"]):
                total += 1
    return total + DISCOVERY_ROUND_TRIPS


def run_suite(popspec, jobs, extra):
    with tempfile.TemporaryDirectory(prefix="popspec-bench-") as tmp:
        out = os.path.join(tmp, "results.json")
        start = time.perf_counter()
        proc = subprocess.run([popspec, "run", "--quiet", "--jobs", str(jobs), "--json", out,
                               *extra], capture_output=True, text=True, timeout=3600)
        wall = time.perf_counter() - start
        if proc.returncode not in (0, 1) or not os.path.exists(out):
            raise SystemExit(f"popspec run failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
        with open(out, encoding="utf-8") as f:
            results = json.load(f)
    return wall, results


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--popspec", required=True)
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting (median kept)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    rtt = loopback_round_trip()
    rows = []
    for jobs in (1, 2):
        walls, trips, scenarios, played = [], 0, 0, 0
        for _ in range(args.repeat):
            total_wall, total_trips, total_scenarios, total_played = 0.0, 0, 0, 0
            for _label, extra in RUNS:
                wall, results = run_suite(args.popspec, jobs, extra)
                total_wall += wall
                total_trips += round_trips(results)
                total_scenarios += results["summary"]["total"]
                total_played += results["summary"]["total"] - results["summary"]["skipped"]
            walls.append(total_wall)
            trips, scenarios, played = total_trips, total_scenarios, total_played
        wall = statistics.median(walls)
        floor = trips * rtt / jobs
        rows.append((jobs, scenarios, played, trips, wall, floor))

    if args.markdown:
        print(f"Loopback round trip (1-octet TCP ping-pong, 127.0.0.1): {rtt * 1e6:.1f} us\n")
        print("| --jobs | scenarios (played) | round trips | wall time | loopback floor | wall / floor |")
        print("|---|---|---|---|---|---|")
        for jobs, scenarios, played, trips, wall, floor in rows:
            print(f"| {jobs} | {scenarios} ({played}) | {trips} | {wall:.2f} s | {floor * 1000:.1f} ms "
                  f"| {wall / floor:.0f}x |")
    else:
        print(f"loopback round trip: {rtt * 1e6:.1f} us")
        for jobs, scenarios, played, trips, wall, floor in rows:
            print(f"jobs {jobs}: {scenarios} scenarios ({played} played), {trips} round trips, "
                  f"wall {wall:.2f} s, floor {floor * 1000:.1f} ms ({wall / floor:.0f}x)")


if __name__ == "__main__":
    main()
