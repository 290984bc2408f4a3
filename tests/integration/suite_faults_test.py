#!/usr/bin/env python3
"""Proof that the conformance suite can fail: run it against `popspec serve --fault NAME`.

Every fault of the reference server (reference/src/util/faults.cpp, `popspec serve --help`) is one
deliberate deviation from the RFCs, with the requirement IDs it violates. For each fault this
test starts `popspec serve --fault NAME` (POP3 and POP2 listeners on 127.0.0.1 port 0) over a
copy of a Maildir seeded once with `popspec fixture --users-file` (plus an empty Maildir for
popspec2), runs `popspec run --target ... --allow-destructive --reset-command ... --json` and
asserts:

  (a) caught: in every profile the violated requirements belong to (RFC 1939 and 2449: rfc1939;
      RFC 1225: rfc1225; RFC 937: POP2), at least one scenario citing one of them ends `fail`
      or `timeout` (a timeout where the fault makes the server go quiet: missing-terminator,
      capa-no-terminator, pipelining-drops). Where every violated requirement of that profile
      is only a SHOULD or MAY, `non_strict` counts as caught;
  (b) contained: the fault's control groups (CONTROLS below: groups that never exercise the
      faulty behaviour) have no `fail`, `timeout` or `error`, and at least one `pass`.

Only the scenarios citing the violated requirements and the control groups run, faults run two
at a time, and `--jobs 2` plays two scenarios at once where the runner allows it. A baseline run
without any fault plays the whole suite (POP3 rfc1939, POP3 rfc1225, POP2) and must have no
`fail`, `timeout` or `error`.

A violated requirement that no scenario of its profile cites, a fault the suite does not catch,
or a control group that is not green is a failure of this test, reported with the scenario IDs.

Usage: suite_faults_test.py --popspec PATH --source REPO_ROOT [--fault NAME ...] [--workers N]
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

START_DEADLINE = 20  # seconds for `popspec serve` to print its listening lines
RUN_DEADLINE = 300   # seconds for one `popspec run`
STEP_TIMEOUT = "3"   # --timeout for fault runs: the reference answers in milliseconds
BAD = ("fail", "timeout", "error")

# Control groups per fault and profile ("rfc1939", "rfc1225" or "rfc937" for POP2): groups whose
# scenarios never exercise what the fault breaks, so they must stay green. The reasoning is in
# the comment of each entry; the test also checks that no control scenario cites a requirement
# the fault violates. Scenario groups with no destructive scenario never send DELE (the loader
# refuses DELE in a non-destructive scenario), which makes them controls for the DELE faults.
P = "pop3/rfc1939/"
R = "pop3/rfc1225/"
T = "pop2/rfc937/"
POP3_FOR_POP2 = {"rfc1939": [P + "stat", P + "list", P + "retr"]}  # POP3 never sees POP2 faults
CONTROLS = {
    # Dots matter only in RETR/TOP data; STAT, DELE and logins carry no data lines, and UIDL
    # lines start with a digit.
    "no-dot-stuffing": {"rfc1939": [P + "stat", P + "dele", P + "user-pass", P + "uidl"],
                        "rfc1225": [R + "stat", R + "dele", R + "authorization"]},
    # Sizes appear in STAT, LIST and the fixture check; logins and the greeting show none.
    "lf-sizes": {"rfc1939": [P + "user-pass", P + "apop", P + "greeting"],
                 "rfc1225": [R + "authorization", R + "greeting", R + "noop"]},
    # No DELE in these groups (no destructive scenario).
    "dele-renumbers": {"rfc1939": [P + "user-pass", P + "apop", P + "greeting", P + "multi-line"],
                       "rfc1225": [R + "authorization", R + "greeting", R + "multiline"]},
    "commit-on-drop": {"rfc1939": [P + "user-pass", P + "multi-line", P + "syntax"],
                       "rfc1225": [R + "authorization", R + "multiline", R + "noop"]},
    # These groups only ever log in with the right password.
    "any-password": {"rfc1939": [P + "retr", P + "top", P + "multi-line", P + "uidl"],
                     "rfc1225": [R + "retr", R + "top", R + "multiline"]},
    # No multi-line command in these groups.
    "missing-terminator": {"rfc1939": [P + "user-pass", P + "greeting", P + "noop"],
                           "rfc1225": [R + "authorization", R + "greeting", R + "noop"]},
    # Every POP3 reply has a status indicator: only POP2 is untouched.
    "lowercase-status": {"rfc937": [T + "helo", T + "read", T + "retr", T + "quoting"]},
    # No DELE in these groups (no destructive scenario).
    "dele-twice-ok": {"rfc1939": [P + "user-pass", P + "multi-line", P + "syntax"],
                      "rfc1225": [R + "authorization", R + "multiline", R + "noop"]},
    # RSET after DELE never happens here.
    "rset-keeps-deletions": {"rfc1939": [P + "user-pass", P + "multi-line", P + "top"],
                             "rfc1225": [R + "authorization", R + "multiline", R + "top"]},
    # No RETR of a deleted message here.
    "retr-deleted-ok": {"rfc1939": [P + "stat", P + "list", P + "uidl", P + "user-pass"],
                        "rfc1225": [R + "stat", R + "list", R + "authorization"]},
    # STAT is not used after DELE here.
    "stat-counts-deleted": {"rfc1939": [P + "list", P + "retr", P + "top", P + "uidl"],
                            "rfc1225": [R + "list", R + "retr", R + "top"]},
    # One session per maildrop at a time here.
    "no-lock": {"rfc1939": [P + "stat", P + "list", P + "retr", P + "dele"],
                "rfc1225": [R + "stat", R + "list", R + "retr"]},
    # UIDL is not used here.
    "uidl-unstable": {"rfc1939": [P + "stat", P + "list", P + "retr", P + "top"]},
    "uidl-duplicate": {"rfc1939": [P + "stat", P + "list", P + "retr", P + "top"]},
    # TOP is not used here.
    "top-ignores-count": {"rfc1939": [P + "stat", P + "list", P + "retr", P + "uidl"],
                          "rfc1225": [R + "stat", R + "list", R + "retr"]},
    # Only known commands here.
    "unknown-command-ok": {"rfc1939": [P + "user-pass", P + "multi-line", P + "message-format",
                                       P + "greeting"],
                           "rfc1225": [R + "multiline", R + "locking", R + "greeting", R + "quit"]},
    # The fault answers STAT and LIST before login; these groups send them only after it.
    "commands-before-auth": {"rfc1939": [P + "multi-line", P + "message-format", P + "update"],
                             "rfc1225": [R + "retr", R + "top", R + "dele"]},
    # Upper-case keywords only here.
    "keywords-case-sensitive": {"rfc1939": [P + "retr", P + "top", P + "uidl", P + "dele"]},
    # USER/PASS logins only here.
    "apop-any-digest": {"rfc1939": [P + "user-pass", P + "stat", P + "list", P + "retr"]},
    # LAST is not used here.
    "last-not-reset": {"rfc1225": [R + "stat", R + "list", R + "retr", R + "top"]},
    # LIST is not used after DELE here.
    "list-includes-deleted": {"rfc1939": [P + "user-pass", P + "multi-line", P + "message-format",
                                          P + "apop"],
                              "rfc1225": [R + "retr", R + "top", R + "authorization"]},
    # Every POP3 session starts with the greeting: only POP2 is untouched.
    "greeting-err": {"rfc937": [T + "helo", T + "read", T + "retr", T + "ackd"]},
    # One command per write here.
    "pipelining-drops": {"rfc1939": [P + "stat", P + "list", P + "retr", P + "dele"]},
    # CAPA is not sent here (capability discovery falls back to probing).
    "capa-no-terminator": {"rfc1939": [P + "stat", P + "list", P + "retr", P + "dele"]},
    # POP2: no READ or RETR in the HELO and greeting scenarios.
    "pop2-wrong-length": {"rfc937": [T + "helo", T + "greeting"], **POP3_FOR_POP2},
    # No ACKD here.
    "pop2-ackd-renumbers": {"rfc937": [T + "helo", T + "read", T + "nack", T + "quoting"],
                            **POP3_FOR_POP2},
    # No NACK here.
    "pop2-nack-advances": {"rfc937": [T + "helo", T + "read", T + "ackd"], **POP3_FOR_POP2},
    # QUIT is never sent in NEXT here.
    "pop2-quit-in-next": {"rfc937": [T + "helo", T + "read", T + "ackd", T + "fold"],
                          **POP3_FOR_POP2},
    # No FOLD after ACKD here.
    "pop2-fold-no-commit": {"rfc937": [T + "helo", T + "read", T + "retr", T + "acks"],
                            **POP3_FOR_POP2},
    # HELO always succeeds here.
    "pop2-bad-helo-stays-open": {"rfc937": [T + "read", T + "retr", T + "ackd", T + "fold"],
                                 **POP3_FOR_POP2},
    # No RETR of an empty or missing message here.
    "pop2-retr-zero-sends": {"rfc937": [T + "helo", T + "fold", T + "nack"], **POP3_FOR_POP2},
    # No RETR data here.
    "pop2-dot-stuffing": {"rfc937": [T + "helo", T + "greeting"], **POP3_FOR_POP2},
}


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


# ---------------------------------------------------------------------------------------------
# What the suite and the reference server hold


def read_faults(source, popspec):
    """{name: (protocol, [violated IDs])} from faults.cpp, checked with `popspec serve --help`."""
    path = os.path.join(source, "reference", "src", "util", "faults.cpp")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    arrays = {m.group(1): re.findall(r'"([A-Z0-9]+-\d+-[A-Z]+\.\d+)"', m.group(2))
              for m in re.finditer(r"std::array<sv, \d+> (v_\w+)\{(.*?)\};", text, re.S)}
    table = text[text.index("table{{"):]
    faults = {}
    for entry in table.split("{fault::")[1:]:
        head = re.match(r'\w+,\s*"([a-z0-9-]+)",\s*"(pop[23])"', entry)
        array = re.search(r"(v_\w+)\}", entry)
        expect(head and array and array.group(1) in arrays,
               f"cannot read a fault entry of {path}: {entry[:120]!r}")
        faults[head.group(1)] = (head.group(2), arrays[array.group(1)])
    help_text = subprocess.run([popspec, "serve", "--help"], capture_output=True, text=True,
                               timeout=START_DEADLINE).stdout
    listed = dict(re.findall(r"^\s+([a-z0-9-]+) \((pop[23])\): ", help_text, re.M))
    expect(listed == {n: p for n, (p, _) in faults.items()},
           f"faults.cpp as read here {sorted(faults)} differs from `popspec serve --help` "
           f"{sorted(listed)}")
    return faults


def read_catalog(source):
    with open(os.path.join(source, "scenarios", "requirements.json"), encoding="utf-8") as f:
        return {r["id"]: r for r in json.load(f)["requirements"]}


def read_scenarios(source):
    """[{id, group, protocol, requirements, profiles}] from every scenario file."""
    root = os.path.join(source, "scenarios")
    out = []
    for path in sorted(glob.glob(os.path.join(root, "*", "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for s in doc["scenarios"]:
            out.append({"id": doc["group"] + "/" + s["id"], "group": doc["group"],
                        "protocol": doc["protocol"], "requirements": s["requirements"],
                        "profiles": s.get("profiles", [])})
    return out


def profile_of(requirement_id):
    if requirement_id.startswith("POP2-"):
        return "rfc937"
    return "rfc1225" if requirement_id.startswith("POP3-1225-") else "rfc1939"


def applies(scenario, profile):
    protocol = "pop2" if profile == "rfc937" else "pop3"
    return scenario["protocol"] == protocol and (not scenario["profiles"]
                                                 or profile in scenario["profiles"])


# ---------------------------------------------------------------------------------------------
# Servers and runs


class Maildrops:
    """The seeded template (made once) and the reset command for a live copy of it."""

    def __init__(self, popspec, scratch):
        self.template = os.path.join(scratch, "template")
        proc = subprocess.run([popspec, "fixture", "--format", "maildir", "--out", self.template,
                               "--users-file"], capture_output=True, text=True,
                              timeout=START_DEADLINE)
        expect(proc.returncode == 0, f"popspec fixture failed: {proc.stderr}")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(self.template, "popspec2", sub))

    def reset_command(self, live):
        # The maildrops and the server's own state (locks, RFC 1225 "accessed" marks) in
        # DIR/.NAME.popspec/ (docs/fixture.md), so each destructive scenario starts afresh.
        q = shlex.quote
        drops = " ".join(q(os.path.join(live, n)) for n in
                         ("popspec", "popspec2", ".popspec.popspec", ".popspec2.popspec"))
        sources = " ".join(q(os.path.join(self.template, n)) for n in ("popspec", "popspec2"))
        return f"rm -rf {drops} && cp -a {sources} {q(live)}/"

    def live_copy(self, parent):
        live = os.path.join(parent, "maildrops")
        shutil.copytree(self.template, live, symlinks=True)
        return live


class Server:
    """`popspec serve` with both listeners on 127.0.0.1 port 0."""

    def __init__(self, popspec, maildrops, profile, fault):
        cmd = [popspec, "serve", "--maildrops", maildrops, "--pop3", "127.0.0.1:0", "--pop2",
               "127.0.0.1:0", "--profile", profile, "--hostname", "localhost"]
        if fault:
            cmd += ["--fault", fault]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     stdin=subprocess.DEVNULL, text=True)
        self.ports = {}
        timer = threading.Timer(START_DEADLINE, self.proc.kill)  # unblocks readline()
        timer.start()
        try:
            while len(self.ports) < 2:
                line = self.proc.stdout.readline()
                if not line:
                    break
                m = re.fullmatch(r"popspec: (pop3|pop2) listening on 127\.0\.0\.1:(\d+)\n", line)
                if m:
                    self.ports[m.group(1)] = int(m.group(2))
        finally:
            timer.cancel()
        if len(self.ports) < 2:
            self.close()
            raise Failure(f"popspec serve {' '.join(cmd[2:])} did not start")

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


def popspec_run(popspec, port, profile, patterns, reset, scratch, timeout=STEP_TIMEOUT):
    """One `popspec run` against 127.0.0.1:port; returns {scenario ID: result}."""
    results_file = os.path.join(scratch, "results.json")
    if os.path.exists(results_file):
        os.remove(results_file)
    cmd = [popspec, "run", "-q", "--target", f"127.0.0.1:{port}", "--allow-destructive",
           "--reset-command", reset, "--json", results_file, "--jobs", "2", "--differential",
           "off", "--timeout", timeout]
    cmd += ["--protocol", "pop2"] if profile == "rfc937" else ["--protocol", "pop3", "--profile",
                                                                profile]
    proc = subprocess.run(cmd + patterns, capture_output=True, text=True, timeout=RUN_DEADLINE,
                          stdin=subprocess.DEVNULL)
    expect(proc.returncode in (0, 1) and os.path.exists(results_file),
           f"popspec run exited {proc.returncode}: {' '.join(cmd[2:])} {' '.join(patterns)}\n"
           f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    with open(results_file, encoding="utf-8") as f:
        return {s["id"]: s for s in json.load(f)["scenarios"]}


def session(popspec, drops, fault, server_profile, runs, scratch):
    """Starts one server (fault, profile) and plays `runs` [(run profile, patterns)] in turn."""
    work = tempfile.mkdtemp(prefix="run-", dir=scratch)
    try:
        live = drops.live_copy(work)
        reset = drops.reset_command(live)
        server = Server(popspec, live, server_profile, fault)
        try:
            out = {}
            for profile, patterns, timeout in runs:
                # A previous run may have left the maildrop changed.
                subprocess.run(["/bin/sh", "-c", reset], check=True, timeout=START_DEADLINE)
                port = server.ports["pop2" if profile == "rfc937" else "pop3"]
                out[profile] = popspec_run(popspec, port, profile, patterns, reset, work, timeout)
            return out
        finally:
            server.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The checks


def plan_fault(name, violates, controls, scenarios, catalog):
    """{profile: (target IDs, control groups)}; raises on gaps in the suite or the table."""
    by_profile = {}
    for rid in violates:
        expect(rid in catalog, f"{name}: violates {rid}, which is not in requirements.json")
        by_profile.setdefault(profile_of(rid), []).append(rid)
    for profile in controls:
        by_profile.setdefault(profile, [])
    groups = {s["group"] for s in scenarios}
    plan = {}
    for profile, ids in by_profile.items():
        for rid in ids:
            citing = [s["id"] for s in scenarios
                      if rid in s["requirements"] and applies(s, profile)]
            expect(citing, f"{name}: violates {rid}, but no {profile} scenario cites it "
                           "(a gap in the suite)")
        control_groups = controls.get(profile, [])
        for g in control_groups:
            expect(g in groups, f"{name}: control group {g} does not exist")
            bad = sorted({rid for s in scenarios if s["group"] == g
                          for rid in s["requirements"] if rid in violates})
            expect(not bad, f"{name}: control group {g} cites {bad}, which the fault violates")
        plan[profile] = (ids, control_groups)
    return plan


def judge(name, profile, ids, control_groups, results, catalog):
    """Checks (a) and (b) for one profile; returns a row of the summary table."""
    problems = []
    citing = {sid: r for sid, r in results.items()
              if {q["id"] for q in r["requirements"]} & set(ids)}
    caught = sorted(sid for sid, r in citing.items() if r["verdict"] in ("fail", "timeout"))
    timeouts = sum(1 for sid in caught if citing[sid]["verdict"] == "timeout")
    soft = ids and all(catalog[i]["level"] not in ("MUST", "MUST NOT") for i in ids)
    if soft:
        caught += sorted(sid for sid, r in citing.items() if r["verdict"] == "non_strict")
    if ids and not caught:
        seen = ", ".join(f"{sid}={r['verdict']}" for sid, r in sorted(citing.items()))
        wanted = "is non_strict or fails" if soft else "fails"
        problems.append(f"not caught: no scenario citing {', '.join(ids)} {wanted} "
                        f"({seen or 'none ran'})")
    uncaught_ids = [i for i in ids
                    if not any(i in {q["id"] for q in results[sid]["requirements"]}
                               for sid in caught)]
    green = True
    passes = 0
    for g in control_groups:
        members = {sid: r for sid, r in results.items() if r["group"] == g}
        if not members:
            problems.append(f"control group {g}: no result")
            green = False
        for sid, r in sorted(members.items()):
            if r["verdict"] in BAD:
                green = False
                problems.append(f"control group {g}: {sid} is {r['verdict']}: {r['reason']}")
            passes += r["verdict"] == "pass"
    if control_groups and passes == 0:
        green = False
        problems.append(f"control groups {control_groups}: nothing passed, so they prove nothing")
    return {"fault": name, "profile": profile, "ids": ids, "caught": len(caught),
            "timeouts": timeouts,
            "soft": bool(soft), "uncaught_ids": uncaught_ids, "controls": control_groups,
            "green": green, "problems": problems}


def fault_task(args, drops, name, violates, scenarios, catalog):
    plan = plan_fault(name, violates, CONTROLS[name], scenarios, catalog)
    started = time.monotonic()
    rows = []
    # rfc1939 and POP2 share one server; rfc1225 needs a server with that profile.
    for server_profile, profiles in (("rfc1939", ("rfc1939", "rfc937")), ("rfc1225", ("rfc1225",))):
        runs = [(p, plan[p][0] + plan[p][1], STEP_TIMEOUT) for p in profiles if p in plan]
        if not runs:
            continue
        results = session(args.popspec, drops, name, server_profile, runs, args.scratch)
        for p, _, _ in runs:
            rows.append(judge(name, p, plan[p][0], plan[p][1], results[p], catalog))
    return rows, time.monotonic() - started


def baseline_task(args, drops):
    """The whole suite against the reference server without faults: nothing may go wrong."""
    started = time.monotonic()
    rows = []
    for server_profile, profiles in (("rfc1939", ("rfc1939", "rfc937")), ("rfc1225", ("rfc1225",))):
        runs = [(p, [], "5") for p in profiles]  # no pattern: every scenario of the protocol
        results = session(args.popspec, drops, None, server_profile, runs, args.scratch)
        for p, _, _ in runs:
            res = results[p]
            bad = [f"{sid} is {r['verdict']}: {r['reason']}" for sid, r in sorted(res.items())
                   if r["verdict"] in BAD]
            ran = sum(1 for r in res.values() if r["verdict"] != "skipped")
            passed = sum(1 for r in res.values() if r["verdict"] == "pass")
            rows.append({"fault": "(none)", "profile": p, "ids": [], "caught": 0, "timeouts": 0,
                         "soft": False, "uncaught_ids": [], "controls": [f"{passed}/{ran} pass"],
                         "green": not bad and passed > 0,
                         "problems": bad or ([] if passed else ["nothing passed"])})
    return rows, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--popspec", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--fault", action="append", default=[],
                        help="only this fault (repeatable); 'none' for the baseline only")
    parser.add_argument("--workers", type=int, default=2, help="faults tested at once")
    args = parser.parse_args()
    args.popspec = os.path.abspath(args.popspec)

    started = time.monotonic()
    faults = read_faults(args.source, args.popspec)
    catalog = read_catalog(args.source)
    scenarios = read_scenarios(args.source)
    missing = sorted(set(faults) - set(CONTROLS))
    stale = sorted(set(CONTROLS) - set(faults))
    if missing or stale:
        print(f"FAIL control table: no CONTROLS entry for {missing}; entries for unknown faults "
              f"{stale}")
        return 1
    wanted = args.fault or ["none", *faults]
    unknown = [f for f in wanted if f != "none" and f not in faults]
    if unknown:
        print(f"unknown fault(s) {unknown}; known: {', '.join(faults)}", file=sys.stderr)
        return 2

    rows, failures = [], []
    with tempfile.TemporaryDirectory(prefix="popspec-suite-faults-") as scratch:
        args.scratch = scratch
        drops = Maildrops(args.popspec, scratch)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
            futures = {}
            if "none" in wanted:  # the longest task goes first
                futures[pool.submit(baseline_task, args, drops)] = "(none)"
            for name in wanted:
                if name != "none":
                    futures[pool.submit(fault_task, args, drops, name, faults[name][1],
                                        scenarios, catalog)] = name
            for future in concurrent.futures.as_completed(futures):
                name = futures[future]
                try:
                    fault_rows, seconds = future.result()
                except Exception as e:  # noqa: BLE001 - report every fault, keep going
                    failures.append(name)
                    print(f"FAIL {name}: {e}", flush=True)
                    if not isinstance(e, Failure):
                        traceback.print_exc()
                    continue
                rows += fault_rows
                bad = [p for r in fault_rows for p in r["problems"]]
                if bad:
                    failures.append(name)
                print(f"{'FAIL' if bad else 'PASS'} {name} ({seconds:.1f} s)", flush=True)
                for p in bad:
                    print(f"    {p}", flush=True)

    order = {n: i for i, n in enumerate(["(none)", *faults])}
    rows.sort(key=lambda r: (order[r["fault"]], r["profile"]))
    print("\nfault                     profile  caught (timeouts)  control groups green")
    for r in rows:
        caught = "-" if not r["ids"] else \
            f"{r['caught']}{' non_strict' if r['soft'] else ''} ({r['timeouts']})"
        controls = ", ".join(c.rsplit("/", 1)[-1] for c in r["controls"]) or "-"
        print(f"{r['fault']:<25} {r['profile']:<8} {caught:<18} "
              f"{'yes' if r['green'] else 'NO'}: {controls}")
        if r["uncaught_ids"] and r["caught"]:
            print(f"{'':<25} {'':<8} (no failing scenario cites {', '.join(r['uncaught_ids'])})")
    print(f"\n{len(wanted) - len(failures)}/{len(wanted)} passed "
          f"in {time.monotonic() - started:.0f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    sys.exit(main())
