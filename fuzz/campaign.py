#!/usr/bin/python3
"""popspec fuzzing campaigns: start one in the evening, read the summary in the morning.

  fuzz/campaign.py run --duration 8h --cores 2 --dir ~/popspec-fuzz
      Builds the fuzzers (the `fuzz` CMake preset, build-fuzz/) unless --no-build, then fuzzes
      every target of fuzz/targets.json in turn, in libFuzzer's fork mode on --cores workers,
      until each had its share of --duration. Per target it keeps a corpus (DIR/corpus/<target>,
      new inputs merged in by libFuzzer), minimises each new crash, groups crashes by their
      symbolised top frames (or by the invariant that failed), and rewrites DIR/summary.json and
      DIR/summary.md after every time slice. Ctrl-C (or SIGTERM) stops it cleanly; the same
      command resumes where it stopped (DIR/state.json). Memory: at most --cores processes of
      --rss-limit-mb each. Disk: inputs of at most max_len octets, each corpus merged down (then
      trimmed) when it exceeds --corpus-cap-mb, one log per target, at most a few files per
      unique crash.
  fuzz/campaign.py summary --dir DIR
      Rewrites and prints the summary from DIR/state.json.
  fuzz/campaign.py speed --dir DIR [--seconds 60]
      Measures each target's exec/s on one core: one plain (non-fork) libFuzzer process per
      target, for --seconds, starting from a copy of the campaign's corpus (or the seeds).
      Writes DIR/speed.json and prints a Markdown table (BENCHMARKS.md records one).
  fuzz/campaign.py coverage --dir DIR [--build-dir build-coverage]
      Replays every corpus (plus seeds and regression inputs) through a clang source-based
      coverage build and writes an HTML report (llvm-profdata-14, llvm-cov-14) to DIR/coverage/.

docs/fuzzing.md has the details. Python standard library only.
"""

import argparse
import datetime
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FUZZ_DIR = Path(__file__).resolve().parent
REPO = FUZZ_DIR.parent
sys.path.insert(0, str(FUZZ_DIR / "tools"))
import seedlib  # noqa: E402

PROGRESS = re.compile(r"^#(\d+): cov: (\d+) ft: (\d+) corp: (\d+) exec/s:? (\d+) "
                      r"oom/timeout/crash: (\d+)/(\d+)/(\d+) time: (\d+)s")
FRAME = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+ in (.+?) (/\S+?|\(\S+\))(?::(\d+))?(?::\d+)?\s*$")
PROGRESS_PLAIN = re.compile(r"cov: (\d+) ft: (\d+)")
INVARIANT = re.compile(r"popspec fuzz invariant violated at (\S+):(\d+)")
SANITIZER_ERROR = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|"
                             r"libFuzzer): ([\w-]+(?: [\w-]+)*)")
UBSAN = re.compile(r"runtime error: (.+)$", re.M)
# Frames that say nothing about where the bug is.
NOISE = re.compile(r"^(__sanitizer|__asan|__ubsan|__lsan|__interceptor|fuzzer::|abort|raise|"
                   r"__pthread_kill|pthread_kill|__libc|_start|main$|std::|operator new|"
                   r"operator delete|popspec::fuzz::invariant_failed|LLVMFuzzerTestOneInput|"
                   r"__GI_|__assert|malloc|free|calloc|realloc|memcpy|memmove|memcmp|strlen)")

# Every environment of a fuzzer run: symbolised stacks, UBSan stacks, no leak of host paths.
ENV = {
    "ASAN_OPTIONS": "symbolize=1:abort_on_error=1:detect_leaks=1:allocator_may_return_null=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:symbolize=1",
}


def log(message):
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", flush=True)


def parse_duration(text):
    """'8h', '90m', '45s', '1h30m' or plain seconds."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    total, matched = 0, ""
    for amount, unit in re.findall(r"(\d+)([hms])", text):
        total += int(amount) * {"h": 3600, "m": 60, "s": 1}[unit]
        matched += amount + unit
    if matched != text or total == 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 8h, 90m, 1h30m)")
    return total


def human(seconds):
    seconds = int(seconds)
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m" if seconds >= 3600 else \
        f"{seconds // 60}m{seconds % 60:02d}s"


def dir_size(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def file_count(path):
    return sum(1 for p in Path(path).iterdir() if p.is_file()) if Path(path).is_dir() else 0


def write_json(path, data):
    tmp = Path(str(path) + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)


def symbolizer_env():
    env = dict(os.environ)
    env.update(ENV)
    for name in ("llvm-symbolizer-14", "llvm-symbolizer"):
        found = shutil.which(name)
        if found:
            env["ASAN_SYMBOLIZER_PATH"] = found
            env["UBSAN_SYMBOLIZER_PATH"] = found
            break
    return env


# ---- crash analysis ----------------------------------------------------------------------------

def crash_signature(report):
    """Groups crash reports: the invariant that failed, or the sanitizer's error kind and the
    first three symbolised frames in popspec's own code (function names, not line numbers, so a
    signature survives unrelated edits)."""
    m = INVARIANT.search(report)
    if m:
        check = re.search(r"^\s*check: (.+)$", report, re.M)
        return (f"invariant {Path(m.group(1)).name}:{m.group(2)}"
                + (f" ({check.group(1).strip()[:80]})" if check else ""))
    kind = "crash"
    m = SANITIZER_ERROR.search(report)
    if m:
        kind = m.group(2).split(" on ")[0]
    ub = UBSAN.search(report)
    if ub:
        kind = "ubsan: " + re.sub(r"\d+", "N", ub.group(1))[:80]
    if "libFuzzer: timeout" in report or "ALARM: working on the last Unit" in report:
        kind = "timeout"
    if "out-of-memory" in report:
        kind = "out-of-memory"
    frames = []
    for line in report.splitlines():
        f = FRAME.match(line)
        if not f:
            continue
        function = re.sub(r"\(.*", "", f.group(2)).strip()
        location = f.group(3)
        if NOISE.match(function) or "/usr/" in location or "compiler-rt" in location:
            continue
        frames.append(function)
        if len(frames) == 3:
            break
    return kind + (" in " + " < ".join(frames) if frames else "")


def signature_id(signature):
    return hashlib.sha1(signature.encode()).hexdigest()[:10]


# ---- the campaign ------------------------------------------------------------------------------

class Campaign:
    def __init__(self, args):
        self.dir = Path(args.dir).resolve()
        self.build_dir = Path(args.build_dir).resolve()
        self.state_path = self.dir / "state.json"
        self.targets = seedlib.load_manifest(FUZZ_DIR / "targets.json")
        self.state = self._load_state()
        self.stop_requested = False

    def _load_state(self):
        if self.state_path.exists():
            return json.loads(self.state_path.read_text())
        return {"version": 1, "created": datetime.datetime.now().isoformat(timespec="seconds"),
                "targets": {}, "crashes": {}}

    def save(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        write_json(self.state_path, self.state)

    def fuzzer(self, target):
        return self.build_dir / "fuzz" / f"{target}_fuzzer"

    def target_state(self, target):
        ts = self.state["targets"].setdefault(target, {
            "fuzzed_s": 0.0, "executions": 0, "slices": 0, "cov": 0, "ft": 0,
            "corpus_at_start": None, "timeouts": 0, "ooms": 0, "crash_reports": 0})
        return ts

    # -- signals: stop cleanly, keep what was found
    def install_signal_handlers(self):
        def handler(signum, _frame):
            if not self.stop_requested:
                log(f"signal {signum}: stopping (state is kept; run the same command to resume)")
            self.stop_requested = True  # run_process sees it within a second
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    @staticmethod
    def signal_group(process, signum):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            pass

    def run_process(self, command, log_path, timeout):
        """Runs one fuzzer in its own process group, so that stopping it (on a stop request or
        at `timeout`) reaches fork mode's workers too: SIGTERM, then SIGKILL 15 s later."""
        with open(log_path, "w") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                       env=symbolizer_env(), start_new_session=True)
            deadline = time.monotonic() + timeout
            terminated_at = None
            while True:
                try:
                    process.wait(timeout=1)
                    break
                except subprocess.TimeoutExpired:
                    pass
                now = time.monotonic()
                if terminated_at is None and (self.stop_requested or now > deadline):
                    self.signal_group(process, signal.SIGTERM)
                    terminated_at = now
                elif terminated_at is not None and now - terminated_at > 15:
                    self.signal_group(process, signal.SIGKILL)
        return process.returncode

    def build(self):
        if not (self.build_dir / "CMakeCache.txt").exists():
            log(f"configuring {self.build_dir} (preset fuzz)")
            subprocess.run(["cmake", "--preset", "fuzz", "-B", str(self.build_dir)], cwd=REPO,
                           check=True, stdout=subprocess.DEVNULL)
        log("building the fuzzers")
        subprocess.run(["cmake", "--build", str(self.build_dir), "--target", "popspec_fuzzers"],
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)

    def slice_for(self, target, share, slice_len):
        left = share - self.target_state(target)["fuzzed_s"]
        return min(slice_len, left) if left >= 15 else 0

    def run(self, args):
        self.state.setdefault("settings", {})
        settings = self.state["settings"]
        # Resuming: the original settings hold unless given again.
        for key in ("duration", "cores", "rss_limit_mb", "malloc_limit_mb", "corpus_cap_mb",
                    "slice", "timeout"):
            value = getattr(args, key)
            if value is not None:
                settings[key] = value
        defaults = {"duration": 3600, "cores": os.cpu_count() or 1,
                    "rss_limit_mb": 2048, "malloc_limit_mb": 2048, "corpus_cap_mb": 64,
                    "slice": 600, "timeout": 25}
        for key, value in defaults.items():
            settings.setdefault(key, value)
        targets = args.targets or settings.get("targets") or list(self.targets)
        unknown = [t for t in targets if t not in self.targets]
        if unknown:
            sys.exit(f"campaign: unknown targets {unknown} (see fuzz/targets.json)")
        settings["targets"] = targets
        self.save()
        if not args.no_build:
            self.build()
        for t in targets:
            if not self.fuzzer(t).exists():
                sys.exit(f"campaign: {self.fuzzer(t)} missing (build the fuzz preset first)")
        self.install_signal_handlers()
        share = settings["duration"] / len(targets)
        log(f"campaign in {self.dir}: {len(targets)} targets, {human(settings['duration'])} "
            f"in total ({human(share)} each), {settings['cores']} cores")
        # Crash inputs left by a stopped run are classified first.
        for t in targets:
            if not self.stop_requested and any((self.dir / "artifacts" / t).glob("*")):
                self.process_crashes(t, settings)
        self.save()
        while not self.stop_requested:
            pending = [(self.target_state(t)["fuzzed_s"] / share, t) for t in targets
                       if self.slice_for(t, share, settings["slice"]) > 0]
            if not pending:
                break
            _, target = min(pending)
            self.fuzz_slice(target, self.slice_for(target, share, settings["slice"]), settings)
            self.process_crashes(target, settings)
            self.bound_corpus(target, settings)
            self.save()
            write_summary(self)
        self.save()
        write_summary(self)
        log(("stopped; resume with the same command. " if self.stop_requested else "done. ")
            + f"Summary: {self.dir / 'summary.md'}")

    def fuzz_slice(self, target, seconds, settings):
        spec = self.targets[target]
        ts = self.target_state(target)
        corpus = self.dir / "corpus" / target
        artifacts = self.dir / "artifacts" / target
        logs = self.dir / "logs"
        for d in (corpus, artifacts, logs):
            d.mkdir(parents=True, exist_ok=True)
        if ts["corpus_at_start"] is None:
            ts["corpus_at_start"] = file_count(corpus)
        inputs = [str(corpus)]
        seeds = self.build_dir / "fuzz" / "seeds" / target
        regression = FUZZ_DIR / "regression" / target
        inputs += [str(d) for d in (seeds, regression) if d.is_dir()]
        command = [str(self.fuzzer(target)), f"-fork={settings['cores']}", "-ignore_crashes=1",
                   "-ignore_timeouts=1", "-ignore_ooms=1", f"-max_total_time={int(seconds)}",
                   f"-max_len={spec['max_len']}", f"-timeout={settings['timeout']}",
                   f"-rss_limit_mb={settings['rss_limit_mb']}",
                   f"-malloc_limit_mb={settings['malloc_limit_mb']}",
                   f"-dict={FUZZ_DIR / 'dict' / (target + '.dict')}",
                   f"-artifact_prefix={artifacts}/", "-reload=1"] + inputs
        log_path = logs / f"{target}.log"
        log(f"{target}: fuzzing {human(seconds)} on {settings['cores']} cores")
        started = time.monotonic()
        self.run_process(command, log_path, timeout=seconds + 300)
        elapsed = time.monotonic() - started
        last = None
        for line in log_path.read_text(errors="replace").splitlines():
            m = PROGRESS.match(line)
            if m:
                last = m
        ts["fuzzed_s"] += elapsed
        ts["slices"] += 1
        ts["last_log"] = str(log_path)
        if last:
            runs, cov, ft, _, exec_s, oom, timeouts, crashes, _ = (int(g) for g in last.groups())
            ts["executions"] += runs
            ts["cov"], ts["ft"] = cov, ft
            ts["last_exec_per_s"] = exec_s
            ts["timeouts"] += timeouts
            ts["ooms"] += oom
            ts["crash_reports"] += crashes
        ts["corpus_files"] = file_count(corpus)
        ts["corpus_bytes"] = dir_size(corpus)
        log(f"{target}: {ts['executions']} executions so far, cov {ts['cov']} ft {ts['ft']}, "
            f"corpus {ts['corpus_files']} files")

    def bound_corpus(self, target, settings):
        corpus = self.dir / "corpus" / target
        cap = settings["corpus_cap_mb"] << 20
        if not corpus.is_dir() or dir_size(corpus) <= cap or self.stop_requested:
            return
        merged = self.dir / "corpus" / f"{target}.merging"
        shutil.rmtree(merged, ignore_errors=True)
        merged.mkdir()
        log(f"{target}: corpus over {settings['corpus_cap_mb']} MB, merging it down")
        code = self.run_process([str(self.fuzzer(target)), "-merge=1",
                                 f"-max_len={self.targets[target]['max_len']}",
                                 f"-rss_limit_mb={settings['rss_limit_mb']}",
                                 f"-timeout={settings['timeout']}", str(merged), str(corpus)],
                                self.dir / "logs" / f"{target}.merge.log", timeout=3600)
        if code == 0 and any(merged.iterdir()):
            shutil.rmtree(corpus)
            merged.rename(corpus)
        else:
            shutil.rmtree(merged, ignore_errors=True)
        # Still too big: drop the largest inputs (they also cost the most time per run).
        files = sorted((p for p in corpus.iterdir() if p.is_file()), key=lambda p: p.stat().st_size)
        total = sum(p.stat().st_size for p in files)
        while files and total > cap:
            victim = files.pop()
            total -= victim.stat().st_size
            victim.unlink()

    def reproduce(self, target, path, timeout):
        run = subprocess.run([str(self.fuzzer(target)), f"-timeout={timeout}",
                              "-rss_limit_mb=4096", str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             errors="replace", env=symbolizer_env(), timeout=timeout * 4 + 60)
        return run.returncode, run.stdout

    def process_crashes(self, target, settings):
        artifacts = self.dir / "artifacts" / target
        known = self.state["crashes"].setdefault(target, {})
        files = sorted((p for p in artifacts.glob("*") if p.is_file()),
                       key=lambda p: (p.stat().st_size, p.name))
        # A bug that is easy to hit leaves thousands of artifacts per slice, and each costs a
        # run to classify: examine the smallest few and a sample of the rest, delete the others
        # (the same bugs come back in later slices; new ones are found there).
        limit = settings.get("crash_sample", 40)
        if len(files) > limit:
            sample = files[:limit // 2]
            rest = files[limit // 2:]
            sample += random.Random(len(files)).sample(rest, limit - len(sample))
            for p in set(files) - set(sample):
                p.unlink()
            ts = self.target_state(target)
            ts["unexamined_artifacts"] = ts.get("unexamined_artifacts", 0) + len(files) - limit
            files = sample
        for artifact in files:
            if self.stop_requested:
                break
            kind = artifact.name.split("-")[0]  # crash, leak, timeout, oom, slow-unit
            if kind == "slow":
                artifact.unlink()
                continue
            code, report = self.reproduce(target, artifact, settings["timeout"])
            if code == 0:
                # Not reproducible on its own (state leaking between inputs would be a bug of
                # the target: keep it, flagged).
                report = f"(did not reproduce alone; original report kind: {kind})\n" + report
            signature = crash_signature(report) if code != 0 else f"flaky {kind}"
            sid = signature_id(signature)
            entry = known.get(sid)
            if entry:
                entry["count"] += 1
                artifact.unlink()
                continue
            crash_dir = self.dir / "crashes" / target / sid
            crash_dir.mkdir(parents=True, exist_ok=True)
            shutil.move(str(artifact), crash_dir / "original")
            minimized = crash_dir / "minimized"
            if kind == "crash" and code != 0:
                log(f"{target}: new crash {signature}; minimising")
                self.run_process([str(self.fuzzer(target)), "-minimize_crash=1",
                                  "-max_total_time=120", f"-timeout={settings['timeout']}",
                                  f"-exact_artifact_path={minimized}", str(crash_dir / "original")],
                                 crash_dir / "minimize.log", timeout=300)
                if minimized.exists():
                    code2, report2 = self.reproduce(target, minimized, settings["timeout"])
                    if code2 == 0 or crash_signature(report2) != signature:
                        minimized.unlink()  # minimisation drifted to another bug: keep the original
                    else:
                        report = report2
            if not minimized.exists():
                shutil.copyfile(crash_dir / "original", minimized)
            (crash_dir / "report.txt").write_text(report)
            data = minimized.read_bytes()
            stub = seedlib.scenario_stub(target, data, f"fuzz {target}: {signature}")
            if stub is not None:
                (crash_dir / "scenario.json").write_text(json.dumps(stub, indent=2) + "\n")
            known[sid] = {
                "signature": signature, "kind": kind, "count": 1,
                "first_seen": datetime.datetime.now().isoformat(timespec="seconds"),
                "input": str(minimized), "input_octets": len(data),
                "report": str(crash_dir / "report.txt"),
                "scenario_stub": str(crash_dir / "scenario.json") if stub else None,
                "reproduce": f"{self.fuzzer(target)} {minimized}",
                "regression": f"cp {minimized} {FUZZ_DIR / 'regression' / target}/<name>",
            }
            log(f"{target}: unique crash {sid}: {signature}")


# ---- summary -----------------------------------------------------------------------------------

def summary_data(campaign):
    state = campaign.state
    settings = state.get("settings", {})
    targets = {}
    for name, ts in state["targets"].items():
        fuzzed = ts.get("fuzzed_s", 0) or 0
        corpus = campaign.dir / "corpus" / name
        files = file_count(corpus)
        targets[name] = {
            "summary": campaign.targets.get(name, {}).get("summary", ""),
            "fuzzed_seconds": round(fuzzed),
            "executions": ts.get("executions", 0),
            "exec_per_second": round(ts.get("executions", 0) / fuzzed) if fuzzed else 0,
            "exec_per_second_per_core": round(ts.get("executions", 0) / fuzzed /
                                              max(1, settings.get("cores", 1))) if fuzzed else 0,
            "coverage": {"cov": ts.get("cov", 0), "ft": ts.get("ft", 0)},
            "corpus_files": files,
            "corpus_bytes": dir_size(corpus) if corpus.is_dir() else 0,
            "new_corpus_entries": max(0, files - (ts.get("corpus_at_start") or 0)),
            "timeouts_seen": ts.get("timeouts", 0),
            "ooms_seen": ts.get("ooms", 0),
            "crash_artifacts_not_examined": ts.get("unexamined_artifacts", 0),
            "unique_crashes": [
                {"id": sid, **entry}
                for sid, entry in sorted(state["crashes"].get(name, {}).items())],
        }
    return {"directory": str(campaign.dir), "created": state.get("created"),
            "settings": settings, "build_dir": str(campaign.build_dir), "targets": targets,
            "updated": datetime.datetime.now().isoformat(timespec="seconds")}


def escape_preview(path, limit=160):
    try:
        data = Path(path).read_bytes()[:limit]
    except OSError:
        return "?"
    return "".join(chr(b) if 0x20 <= b < 0x7f and b != 0x5c else
                   {13: "\\r", 10: "\\n", 9: "\\t", 0x5c: "\\\\"}.get(b, f"\\x{b:02X}")
                   for b in data)


def write_summary(campaign):
    data = summary_data(campaign)
    write_json(campaign.dir / "summary.json", data)
    s = data["settings"]
    lines = ["# popspec fuzzing campaign", "",
             f"Directory `{data['directory']}`, started {data['created']}, updated "
             f"{data['updated']}. Budget {human(s.get('duration', 0))} on {s.get('cores')} cores "
             f"(fork mode), rss limit {s.get('rss_limit_mb')} MB per process, corpus cap "
             f"{s.get('corpus_cap_mb')} MB per target.", "",
             "| target | fuzzed | executions | exec/s (per core) | cov | ft | corpus | new | "
             "unique crashes |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, t in sorted(data["targets"].items()):
        lines.append(f"| {name} | {human(t['fuzzed_seconds'])} | {t['executions']} | "
                     f"{t['exec_per_second']} ({t['exec_per_second_per_core']}) | "
                     f"{t['coverage']['cov']} | {t['coverage']['ft']} | {t['corpus_files']} | "
                     f"{t['new_corpus_entries']} | {len(t['unique_crashes'])} |")
    crashes = [(n, c) for n, t in sorted(data["targets"].items()) for c in t["unique_crashes"]]
    lines += ["", "## Unique crashes", ""]
    if not crashes:
        lines.append("None.")
    for name, t in sorted(data["targets"].items()):
        if t["crash_artifacts_not_examined"]:
            lines.append(f"{name}: {t['crash_artifacts_not_examined']} more crash inputs were not "
                         "examined one by one (only a sample of each slice's is; the counts "
                         "below count the sample).")
    if any(t["crash_artifacts_not_examined"] for t in data["targets"].values()):
        lines.append("")
    for name, c in crashes:
        lines += [f"### {name}: {c['signature']}", "",
                  f"- id `{c['id']}`, kind {c['kind']}, seen {c['count']} time(s), first "
                  f"{c['first_seen']}",
                  f"- input ({c['input_octets']} octets): `{escape_preview(c['input'])}`",
                  f"- reproduce: `{c['reproduce']}`",
                  f"- report: `{c['report']}`",
                  (f"- scenario stub: `{c['scenario_stub']}`" if c.get("scenario_stub") else
                   "- scenario stub: none (the target reads server output, which a scenario "
                   "cannot send)"),
                  f"- once fixed, keep it: `{c['regression']}`", ""]
    (campaign.dir / "summary.md").write_text("\n".join(lines) + "\n")
    return data


# ---- speed -------------------------------------------------------------------------------------

def speed(args):
    directory = Path(args.dir).resolve()
    build = Path(args.build_dir).resolve()
    targets = seedlib.load_manifest(FUZZ_DIR / "targets.json")
    selected = args.targets or list(targets)
    results = {}
    for name in selected:
        source = directory / "corpus" / name
        if not source.is_dir() or not any(source.iterdir()):
            source = build / "fuzz" / "seeds" / name
        with tempfile.TemporaryDirectory(prefix=f"speed-{name}-") as corpus:
            for f in source.iterdir():
                if f.is_file():
                    shutil.copyfile(f, Path(corpus) / f.name)
            run = subprocess.run(
                [str(build / "fuzz" / f"{name}_fuzzer"), f"-max_total_time={args.seconds}",
                 f"-max_len={targets[name]['max_len']}", "-print_final_stats=1",
                 f"-dict={FUZZ_DIR / 'dict' / (name + '.dict')}", "-timeout=25",
                 f"-artifact_prefix={corpus}/", corpus],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                env=symbolizer_env())
        stats = {line.partition(": ")[0].strip(): line.partition(": ")[2].strip()
                 for line in run.stdout.splitlines() if line.startswith("stat::")}
        cov = [PROGRESS_PLAIN.search(l) for l in run.stdout.splitlines()]
        cov = [m for m in cov if m]
        results[name] = {
            "exec_per_second": int(stats.get("stat::average_exec_per_sec", 0) or 0),
            "executions": int(stats.get("stat::number_of_executed_units", 0) or 0),
            "seconds": args.seconds, "exit": run.returncode,
            "cov": int(cov[-1].group(1)) if cov else 0, "ft": int(cov[-1].group(2)) if cov else 0,
            "crashed": run.returncode != 0,
        }
        log(f"{name}: {results[name]['exec_per_second']} exec/s"
            + (" (stopped by a crash)" if run.returncode != 0 else ""))
    write_json(directory / "speed.json", results)
    print("| target | exec/s (1 core, ASan+UBSan) | cov | ft |")
    print("|---|---:|---:|---:|")
    for name, r in results.items():
        note = " (stopped early by a known crash)" if r["crashed"] else ""
        print(f"| {name} | {r['exec_per_second']}{note} | {r['cov']} | {r['ft']} |")


# ---- coverage ----------------------------------------------------------------------------------

def coverage(args):
    directory = Path(args.dir).resolve()
    build = Path(args.build_dir).resolve()
    targets = seedlib.load_manifest(FUZZ_DIR / "targets.json")
    selected = args.targets or list(targets)
    if not (build / "CMakeCache.txt").exists():
        log(f"configuring the coverage build in {build}")
        subprocess.run(["cmake", "-S", str(REPO), "-B", str(build), "-G", "Ninja",
                        "-DCMAKE_BUILD_TYPE=Debug", "-DCMAKE_CXX_COMPILER=clang++-14",
                        "-DPOPSPEC_COVERAGE=ON", "-DPOPSPEC_BUILD_BENCH=OFF"], check=True,
                       stdout=subprocess.DEVNULL)
    log("building the replay drivers with coverage instrumentation")
    subprocess.run(["cmake", "--build", str(build), "--target", "popspec_fuzzers"], check=True,
                   stdout=subprocess.DEVNULL)
    out = directory / "coverage"
    raw = out / "profraw"
    shutil.rmtree(out, ignore_errors=True)
    raw.mkdir(parents=True)
    binaries = []
    for name in selected:
        binary = build / "fuzz" / f"{name}_fuzzer"
        binaries.append(str(binary))
        dirs = [p for p in (directory / "corpus" / name, build / "fuzz" / "seeds" / name,
                            FUZZ_DIR / "regression" / name) if p.is_dir()]
        env = dict(os.environ, LLVM_PROFILE_FILE=str(raw / f"{name}-%p.profraw"))
        run = subprocess.run([str(binary)] + [str(d) for d in dirs], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if run.returncode != 0:
            # An input aborted (a crash not fixed yet), losing the profile of the whole replay:
            # replay file by file instead, skipping the ones that fail.
            log(f"{name}: a replay input failed; replaying file by file")
            for f in sorted(p for d in dirs for p in d.rglob("*") if p.is_file()):
                subprocess.run([str(binary), str(f)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        log(f"{name}: replayed {sum(file_count(d) for d in dirs)} inputs")
    profdata = out / "merged.profdata"
    subprocess.run(["llvm-profdata-14", "merge", "-sparse", "-o", str(profdata)] +
                   [str(p) for p in raw.glob("*.profraw")], check=True)
    objects = [binaries[0]] + [a for b in binaries[1:] for a in ("-object", b)]
    # Count the code under test, not the fuzz harness, tests, generated files or the system's.
    ignore = f"(^{re.escape(str(REPO))}/(fuzz|tests)/|^/usr/|/generated/)"
    subprocess.run(["llvm-cov-14", "show", "-format=html", f"-output-dir={out / 'html'}",
                    f"-instr-profile={profdata}", f"-ignore-filename-regex={ignore}",
                    "-show-line-counts-or-regions"] + objects, check=True)
    report = subprocess.run(["llvm-cov-14", "report", f"-instr-profile={profdata}",
                             f"-ignore-filename-regex={ignore}"] + objects, check=True,
                            stdout=subprocess.PIPE, text=True).stdout
    (out / "report.txt").write_text(report)
    shutil.rmtree(raw)
    print(report.splitlines()[-1] if report else "")
    log(f"coverage report: {out / 'html' / 'index.html'} (summary: {out / 'report.txt'})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[1:]))
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="fuzz every target (resumes an existing campaign)")
    run.add_argument("--dir", required=True, help="campaign directory (created if missing)")
    run.add_argument("--duration", type=parse_duration, help="total time, e.g. 8h (default 1h)")
    run.add_argument("--cores", type=int, help="fork-mode workers (default: all cores)")
    run.add_argument("--targets", nargs="*", help="only these targets (default: all)")
    run.add_argument("--build-dir", default=str(REPO / "build-fuzz"))
    run.add_argument("--no-build", action="store_true", help="use the fuzzers as they are")
    run.add_argument("--rss-limit-mb", type=int, help="per process (default 2048)")
    run.add_argument("--malloc-limit-mb", type=int, help="one allocation (default 2048)")
    run.add_argument("--corpus-cap-mb", type=int, help="per target corpus (default 64)")
    run.add_argument("--slice", type=parse_duration, help="time slice per turn (default 10m)")
    run.add_argument("--timeout", type=int, help="seconds per input (default 25)")
    summ = sub.add_parser("summary", help="rewrite and print the summary")
    summ.add_argument("--dir", required=True)
    summ.add_argument("--build-dir", default=str(REPO / "build-fuzz"))
    spd = sub.add_parser("speed", help="exec/s of each target on one core")
    spd.add_argument("--dir", required=True)
    spd.add_argument("--build-dir", default=str(REPO / "build-fuzz"))
    spd.add_argument("--seconds", type=int, default=60)
    spd.add_argument("--targets", nargs="*")
    cov = sub.add_parser("coverage", help="HTML coverage report of the corpora")
    cov.add_argument("--dir", required=True)
    cov.add_argument("--build-dir", default=str(REPO / "build-coverage"))
    cov.add_argument("--targets", nargs="*")
    args = parser.parse_args()

    if args.command == "coverage":
        coverage(args)
        return
    if args.command == "speed":
        speed(args)
        return
    campaign = Campaign(args)
    if args.command == "summary":
        if not campaign.state_path.exists():
            sys.exit(f"campaign: no campaign in {campaign.dir}")
        write_summary(campaign)
        print((campaign.dir / "summary.md").read_text())
        return
    campaign.run(args)


if __name__ == "__main__":
    main()
