#!/usr/bin/env python3
"""popspec against a real third-party server: Dovecot's POP3 server (issue 8, docs/ci.md).

Run by CTest (label "dovecot") as
    python3 dovecot_test.py --popspec BIN --source ROOT [--out DIR] [--keep]

1. Installs Dovecot if it is missing (scripts/install-deps --with dovecot).
2. Writes a self-contained configuration (tests/dovecot/dovecot.conf.in) into a temporary
   directory: POP3 only, 127.0.0.1 on a free port, its own base_dir and state_dir, a passwd-file
   with plain passwords (so APOP works), a static userdb, no TLS. Seeds the Maildirs with
   `popspec fixture` (tests/dovecot/reset-maildrops.sh) and starts `dovecot -F -c FILE`.
3. Runs the RFC 1939 profile's suite (pop3/rfc1939 and pop3/rfc2449) against it with
   --allow-destructive, a --reset-command that reseeds the Maildirs, and the checked-in baseline
   tests/dovecot/dovecot-X.Y.baseline.json. Any change from the baseline fails the test: a new
   failure (exit 1) as well as a stale entry (exit 4). No scenario may end in error or timeout.
4. Runs the same selection against the embedded reference server and renders the side-by-side
   HTML matrix (`popspec report reference.json dovecot.json --html`), printing its path.
5. Stops Dovecot by its PID and removes the temporary directory, also on failure.

Not run against Dovecot, by design: pop3/rfc1225 (the RFC 1225 profile: Dovecot implements RFC
1939, LAST only behind pop3_enable_last), pop2/rfc937 (Dovecot has no POP2) and examples/ (the
teaching examples of docs/scenarios.md, not conformance checks).
"""
import argparse
import grp
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

SELECTION = ["pop3/rfc1939", "pop3/rfc2449"]
NOT_APPLICABLE = {
    "pop3/rfc1225": "the RFC 1225 profile; Dovecot implements RFC 1939 (LAST only with "
                    "pop3_enable_last, off by default)",
    "pop2/rfc937": "POP2; Dovecot has no POP2 server",
    "examples": "the teaching examples of docs/scenarios.md, not conformance checks",
}
RUN_DEADLINE = 300  # seconds for one popspec run (the Dovecot run takes about 75 s)
START_DEADLINE = 30  # seconds for Dovecot to greet


class TestFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise TestFailure(message)


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--popspec", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--out", default=os.path.join(os.getcwd(), "dovecot-report"),
                        help="where the reports are left (default: ./dovecot-report)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (configuration, log, maildrops)")
    return parser.parse_args()


def find_dovecot():
    path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin" + os.pathsep + "/sbin"
    return shutil.which("dovecot", path=path)


def dovecot_packages_missing():
    """Debian: both packages must be installed (dovecot-core alone has no POP3 server)."""
    if not shutil.which("dpkg-query"):
        return find_dovecot() is None
    for pkg in ("dovecot-core", "dovecot-pop3d"):
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                                capture_output=True, text=True).stdout
        if status != "install ok installed":
            return True
    return False


def ensure_dovecot(source):
    if dovecot_packages_missing():
        print("Dovecot is missing: scripts/install-deps --with dovecot", flush=True)
        subprocess.run([os.path.join(source, "scripts", "install-deps"), "--with", "dovecot"],
                       check=True, timeout=900, stdin=subprocess.DEVNULL)
    exe = find_dovecot()
    expect(exe is not None, "dovecot is still not installed after scripts/install-deps")
    return exe


def dovecot_version(exe):
    text = subprocess.run([exe, "--version"], capture_output=True, text=True,
                          timeout=30).stdout.strip()
    m = re.match(r"(\d+)\.(\d+)", text)
    expect(m is not None, f"cannot read the Dovecot version from {text!r}")
    return text, f"{m.group(1)}.{m.group(2)}"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accounts():
    """Who Dovecot runs as and who owns the mail: the invoking user, or nobody when root."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        group = grp.getgrgid(nobody.pw_gid).gr_name
        return {"LOGIN_USER": "nobody", "INTERNAL_USER": "root", "INTERNAL_GROUP": "root",
                "MAIL_UID": "nobody", "MAIL_GID": group, "owner": f"nobody:{group}"}
    me = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    return {"LOGIN_USER": me, "INTERNAL_USER": me, "INTERNAL_GROUP": group,
            "MAIL_UID": me, "MAIL_GID": group, "owner": ""}


def write_instance(source, tmp, port, who):
    template = open(os.path.join(source, "tests", "dovecot", "dovecot.conf.in")).read()
    values = dict(who, DIR=tmp, PORT=str(port), INSTANCE=str(os.getpid()))
    conf = re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)], template)
    path = os.path.join(tmp, "dovecot.conf")
    with open(path, "w") as f:
        f.write(conf)
    with open(os.path.join(tmp, "passwd"), "w") as f:
        f.write("popspec:{PLAIN}popspec-secret\npopspec2:{PLAIN}popspec2-secret\n")
    return path


def greets(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.settimeout(5)
            return s.recv(512).startswith(b"+OK")
    except OSError:
        return False


def start_dovecot(exe, conf, tmp, port):
    out = open(os.path.join(tmp, "dovecot.stdout"), "wb")
    # Its own session, so the master and every process it forks form one group we can sweep.
    proc = subprocess.Popen([exe, "-F", "-c", conf], stdin=subprocess.DEVNULL, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out.close()
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise TestFailure(f"dovecot exited with {proc.returncode} at start:\n" +
                              instance_logs(tmp))
        if greets(port):
            return proc
        time.sleep(0.1)
    raise TestFailure(f"dovecot did not greet on 127.0.0.1:{port} within {START_DEADLINE} s:\n" +
                      instance_logs(tmp))


def stop_dovecot(proc):
    """SIGTERM to the master's PID, then whatever is left of its process group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # children that outlived the master, if any
    except ProcessLookupError:
        pass


def instance_logs(tmp):
    text = ""
    for name in ("dovecot.stdout", "dovecot.log"):
        path = os.path.join(tmp, name)
        if os.path.exists(path):
            with open(path, errors="replace") as f:
                text += f"--- {name} (last lines)\n" + "".join(f.readlines()[-30:])
    return text


def popspec(binary, *args, timeout=RUN_DEADLINE):
    start = time.monotonic()
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    return proc, time.monotonic() - start


def check_verdicts(results_path):
    """Every scenario ends in pass, fail, non_strict, unsupported, or skipped with a reason."""
    with open(results_path) as f:
        results = json.load(f)
    scenarios = results["scenarios"]
    expect(scenarios, "the Dovecot run has no scenarios")
    bad = [f"{s['id']}: {s['verdict']} ({s.get('reason', '')})" for s in scenarios
           if s["verdict"] in ("error", "timeout")
           or (s["verdict"] == "skipped" and not s.get("reason"))]
    expect(not bad, "harness errors against Dovecot:\n  " + "\n  ".join(bad))
    outside = [s["id"] for s in scenarios
               if not any(s["id"].startswith(p + "/") for p in SELECTION)]
    expect(not outside, f"scenarios outside the selection ran: {outside}")
    return results


def main():
    args = parse_args()
    source = os.path.abspath(args.source)
    binary = os.path.abspath(args.popspec)
    begin = time.monotonic()
    exe = ensure_dovecot(source)
    version, major_minor = dovecot_version(exe)
    baseline = os.path.join(source, "tests", "dovecot", f"dovecot-{major_minor}.baseline.json")
    expect(os.path.exists(baseline),
           f"no baseline for Dovecot {major_minor} ({version}): write one with `popspec run "
           f"--write-baseline` and annotate every entry (docs/ci.md)")
    print(f"Dovecot {version}; baseline {os.path.relpath(baseline, source)}")
    for group, why in NOT_APPLICABLE.items():
        print(f"not run: {group}: {why}")

    os.makedirs(args.out, exist_ok=True)
    out = {name: os.path.join(args.out, name) for name in
           ("dovecot.json", "dovecot-junit.xml", "dovecot.html", "reference.json", "matrix.html")}
    for path in out.values():
        if os.path.exists(path):
            os.remove(path)

    tmp = tempfile.mkdtemp(prefix="popspec-dovecot-")
    proc = None
    # The reference run needs nothing from Dovecot: it plays alongside, to save wall time.
    ref_start = time.monotonic()
    ref = subprocess.Popen([binary, "run", *SELECTION, "--protocol", "pop3", "--profile",
                            "rfc1939", "--json", out["reference.json"], "--quiet"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        os.chmod(tmp, 0o755)  # the mail user (nobody, when root) must reach the maildrops
        who = accounts()
        port = free_port()
        conf = write_instance(source, tmp, port, who)
        reset = shlex.join([os.path.join(source, "tests", "dovecot", "reset-maildrops.sh"),
                            binary, os.path.join(tmp, "mail")] + ([who["owner"]] if who["owner"]
                                                                  else []))
        seeded = subprocess.run(reset, shell=True, capture_output=True, text=True, timeout=60)
        expect(seeded.returncode == 0, f"seeding the Maildirs failed: {seeded.stderr}")
        proc = start_dovecot(exe, conf, tmp, port)
        print(f"dovecot -F -c {conf}: PID {proc.pid}, 127.0.0.1:{port}", flush=True)

        run, seconds = popspec(
            binary, "run", *SELECTION, "--protocol", "pop3", "--profile", "rfc1939",
            "--target", f"127.0.0.1:{port}", "--allow-destructive", "--reset-command", reset,
            "--baseline", baseline, "--json", out["dovecot.json"], "--junit",
            out["dovecot-junit.xml"], "--html", out["dovecot.html"], "--quiet")
        print(f"--- popspec run against Dovecot ({seconds:.0f} s, exit {run.returncode})")
        print(run.stdout + run.stderr, flush=True)
        expect(os.path.exists(out["dovecot.json"]), "the Dovecot run wrote no results")
    finally:
        if sys.exc_info()[0] is not None:
            ref.kill()  # the test is failing anyway: do not wait for the reference
        if proc is not None:
            stop_dovecot(proc)
            print(f"dovecot (PID {proc.pid}) stopped")
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    # The matrix is rendered before judging, so a failing run still leaves it to look at.
    try:
        ref_output, _ = ref.communicate(timeout=RUN_DEADLINE)
    except subprocess.TimeoutExpired:
        ref.kill()
        ref_output, _ = ref.communicate()
    print(f"--- popspec run against the embedded reference (done after "
          f"{time.monotonic() - ref_start:.0f} s, exit {ref.returncode})")
    expect(ref.returncode == 0, f"the reference run failed:\n{ref_output}")
    report, _ = popspec(binary, "report", out["reference.json"], out["dovecot.json"], "--html",
                        out["matrix.html"])
    expect(report.returncode == 0, f"popspec report failed:\n{report.stdout}{report.stderr}")
    with open(out["matrix.html"], encoding="utf-8") as f:
        html = f.read()
    expect("embedded reference" in html and f"127.0.0.1:{port}" in html,
           "the matrix does not name both targets")

    print(f"side-by-side HTML matrix (reference | Dovecot): {out['matrix.html']}")
    print(f"Dovecot reports: {out['dovecot.html']}, {out['dovecot-junit.xml']}, "
          f"{out['dovecot.json']}")

    check_verdicts(out["dovecot.json"])
    expect(run.returncode == 0,
           f"the Dovecot run differs from {os.path.basename(baseline)} (exit {run.returncode}; "
           f"1 means new failures, 4 a stale baseline): see the NEW and STALE lines above. If "
           f"Dovecot's behaviour or the suite changed on purpose, update the baseline")
    print(f"dovecot_test: OK in {time.monotonic() - begin:.0f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except TestFailure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
    except Exception:  # noqa: BLE001 - any other breakage is a failure with its traceback
        traceback.print_exc()
        sys.exit(1)
