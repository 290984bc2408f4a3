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
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def waiting_scenarios(root):
    """IDs of scenarios that wait on purpose (a sleep_ms step or a silence_ms outcome): their
    time is the wait they ask for, not popspec's or the network's."""
    ids = set()
    for dirpath, _dirs, files in os.walk(root):
        if dirpath == root:
            continue
        for name in files:
            if not name.endswith(".json"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                text = f.read()
            doc = json.loads(text)
            for sc in doc.get("scenarios", []):
                body = json.dumps(sc)
                if '"sleep_ms"' in body or '"silence_ms"' in body:
                    ids.add(doc["group"] + "/" + sc["id"])
    return ids


def scenario_round_trips(s):
    total = 0
    for entry in s.get("transcript", []):
        if entry["direction"] == "client_to_server":
            total += 1
        elif entry["direction"] == "event" and (
                entry["data"].startswith("connect to") or "without QUIT" in entry["data"]):
            total += 1
    return total


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
    return sum(scenario_round_trips(s) for s in results["scenarios"]) + DISCOVERY_ROUND_TRIPS


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
    waiting = waiting_scenarios(os.path.join(REPO, "scenarios"))
    rows = []
    split = None  # jobs 1, last repetition: where the time went
    for jobs in (1, 2):
        walls = []
        for _ in range(args.repeat):
            total_wall, trips, scenarios, played = 0.0, 0, 0, 0
            wait_ms = wait_n = active_ms = active_n = active_trips = 0
            for _label, extra in RUNS:
                wall, results = run_suite(args.popspec, jobs, extra)
                total_wall += wall
                trips += round_trips(results)
                scenarios += results["summary"]["total"]
                played += results["summary"]["total"] - results["summary"]["skipped"]
                for x in results["scenarios"]:
                    if x["verdict"] == "skipped":
                        continue
                    if x["id"] in waiting:
                        wait_ms += x["duration_ms"]
                        wait_n += 1
                    else:
                        active_ms += x["duration_ms"]
                        active_n += 1
                        active_trips += scenario_round_trips(x)
            walls.append(total_wall)
            if jobs == 1:
                split = (wait_ms, wait_n, active_ms, active_n, active_trips)
        wall = statistics.median(walls)
        rows.append((jobs, scenarios, played, trips, wall, trips * rtt / jobs))

    wait_ms, wait_n, active_ms, active_n, active_trips = split
    active_floor_ms = active_trips * rtt * 1000
    if args.markdown:
        print(f"Loopback round trip (1-octet TCP ping-pong, 127.0.0.1): {rtt * 1e6:.1f} us\n")
        print("| --jobs | scenarios (played) | round trips | wall time | loopback floor | wall / floor |")
        print("|---|---|---|---|---|---|")
        for jobs, scenarios, played, trips, wall, floor in rows:
            print(f"| {jobs} | {scenarios} ({played}) | {trips} | {wall:.2f} s | "
                  f"{floor * 1000:.1f} ms | {wall / floor:.0f}x |")
        print(f"\nWhere the --jobs 1 time goes: {wait_n} scenarios that wait on purpose "
              f"(sleep_ms, silence_ms) take {wait_ms / 1000:.2f} s; the other {active_n} played "
              f"scenarios take {active_ms / 1000:.2f} s for {active_trips} round trips "
              f"(floor {active_floor_ms:.1f} ms, {active_ms / max(active_floor_ms, 1e-9):.0f}x, "
              f"{active_ms / max(active_trips, 1) * 1000:.0f} us per round trip).")
    else:
        print(f"loopback round trip: {rtt * 1e6:.1f} us")
        for jobs, scenarios, played, trips, wall, floor in rows:
            print(f"jobs {jobs}: {scenarios} scenarios ({played} played), {trips} round trips, "
                  f"wall {wall:.2f} s, floor {floor * 1000:.1f} ms ({wall / floor:.0f}x)")
        print(f"jobs 1: {wait_n} waiting scenarios {wait_ms / 1000:.2f} s; {active_n} others "
              f"{active_ms / 1000:.2f} s for {active_trips} round trips (floor "
              f"{active_floor_ms:.1f} ms)")


if __name__ == "__main__":
    main()
