#!/usr/bin/env python3
"""Loads popspec's HTML reports in headless Chromium and checks what a person would see.

CTest test `reports.html_in_chromium` (label "browser"). It runs popspec_report_samples to write
sample reports, then drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe:
no port, no network) and checks, for the single-run report, the multi-target matrix and the empty
report:
  - no console errors, no uncaught exceptions, no blocked resources or CSP violations;
  - the hostile strings in the samples are shown as text and never run;
  - the counts, scenario rows, requirement rows and matrix cells agree with the JSON results;
  - the verdict, RFC and "targets differ" filters show what they should.
Screenshots are kept in --out. Needs Debian's `chromium` (scripts/install-deps --with browser).
"""
import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

VERDICTS = ["pass", "fail", "non_strict", "unsupported", "skipped", "timeout", "error"]
PROBLEMS = {"fail", "timeout", "error", "non_strict"}
STEP_TIMEOUT = 30.0  # seconds for any one DevTools round trip or page load


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (replies out)."""

    def __init__(self, chromium, profile_dir, log_path):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_pipes():
            # Move the pipe ends out of the way first, so that placing them on 3 and 4 cannot
            # clobber one another.
            a = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--disable-default-apps",
             "--remote-debugging-pipe", "--user-data-dir=" + profile_dir, "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            preexec_fn=wire_pipes, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - the browser may already be gone
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CheckFailed("Chromium did not answer within %.0f s" % STEP_TIMEOUT)
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise CheckFailed("Chromium closed the DevTools pipe (exit %s)" % self.process.poll())
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout=STEP_TIMEOUT):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CheckFailed("%s failed: %s" % (method, reply["error"]))
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for_event(self, method, session, timeout=STEP_TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method and event.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))


class Page:
    def __init__(self, browser):
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget",
                                    {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.send(domain + ".enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    def send(self, method, params=None):
        return self.browser.send(method, params, session=self.session)

    def load(self, path):
        self.browser.events.clear()
        self.send("Page.navigate", {"url": "file://" + os.path.abspath(path)})
        self.browser.wait_for_event("Page.loadEventFired", self.session)
        self.eval("1")  # lets pending console events arrive before problems() looks at them

    def eval(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise CheckFailed("evaluating %r threw: %s" % (expression, result["exceptionDetails"]))
        return result["result"].get("value")

    def problems(self):
        """Console errors and warnings, uncaught exceptions and log errors seen so far."""
        found = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in (
                    "error", "assert", "warning"):
                found.append("console.%s: %s" % (params["type"], [
                    a.get("value", a.get("description")) for a in params.get("args", [])]))
            elif method == "Runtime.exceptionThrown":
                found.append("exception: %s" % params["exceptionDetails"].get("text"))
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append("log %s: %s" % (params["entry"]["level"], params["entry"]["text"]))
        return found

    def screenshot(self, path):
        height = self.eval("Math.ceil(document.documentElement.scrollHeight)")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": max(600, min(int(height), 8000)),
                   "deviceScaleFactor": 1, "mobile": False})
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def format_counts(summary):
    """The final line popspec prints, as reports/src/counts.cpp writes it."""
    line = "%d passed, %d failed" % (summary["pass"], summary["fail"])
    for key, word in (("non_strict", "non-strict"), ("unsupported", "unsupported"),
                      ("skipped", "skipped"), ("timeout", "timed out")):
        if summary[key]:
            line += ", %d %s" % (summary[key], word)
    if summary["error"]:
        line += ", %d %s" % (summary["error"], "error" if summary["error"] == 1 else "errors")
    return line


# --- page helpers (JavaScript run in the page) --------------------------------------------------

VISIBLE_ROWS = ("Array.from(document.querySelectorAll('tr.scenario-row'))"
                ".filter(r => r.offsetParent !== null).length")


def set_filters(page, verdicts, rfc="", differ=False):
    page.eval("""(() => {
        const wanted = %s;
        document.querySelectorAll('input[data-filter-verdict]').forEach(b => {
          const on = wanted.includes(b.getAttribute('data-filter-verdict'));
          if (b.checked !== on) b.click();
        });
        const select = document.getElementById('filter-rfc');
        select.value = %s;
        select.dispatchEvent(new Event('change'));
        const differ = document.getElementById('filter-differ');
        if (differ && differ.checked !== %s) differ.click();
      })()""" % (json.dumps(verdicts), json.dumps(rfc), "true" if differ else "false"))
    return page.eval("Number(document.getElementById('shown-count').textContent)"), page.eval(
        VISIBLE_ROWS)


def check_no_problems(page, what):
    problems = page.problems()
    check(not problems, "%s: the browser reported problems:\n  %s" % (what, "\n  ".join(problems)))


def check_not_injected(page, what):
    check(page.eval("typeof window.__pwned") == "undefined", what + ": injected script ran")
    check(page.eval("document.scripts.length") == 1, what + ": a <script> was injected")
    check(page.eval("document.images.length") == 0, what + ": an <img> was injected")
    check(page.eval("document.querySelectorAll('[onerror],[onload],[onclick]').length") == 0,
          what + ": an event-handler attribute was injected")


def check_summary_row(page, run_index, results, what):
    for verdict in VERDICTS + ["total"]:
        shown = page.eval(
            "document.querySelector('#summary tr[data-run=\"%d\"] td[data-count=\"%s\"]')"
            ".textContent" % (run_index, verdict))
        check(shown == str(results["summary"][verdict]),
              "%s: run %d shows %s %s, the results say %d" % (
                  what, run_index, shown, verdict, results["summary"][verdict]))


def requirement_keys(runs):
    keys = set()
    for run in runs:
        for s in run["scenarios"]:
            for r in s["requirements"]:
                keys.add((r["rfc"] or "other", r["id"]))
    return keys


def check_single_report(page, path, results, screenshot):
    what = os.path.basename(path)
    page.load(path)
    check_no_problems(page, what)
    check_not_injected(page, what)
    check_summary_row(page, 0, results, what)
    check(page.eval("document.getElementById('counts-line').textContent") ==
          format_counts(results["summary"]), what + ": wrong counts line")
    scenarios = results["scenarios"]

    rows = page.eval("""Array.from(document.querySelectorAll('tr.scenario-row')).map(r =>
        r.querySelector('td.verdict').getAttribute('data-verdict'))""")
    check(rows == [s["verdict"] for s in scenarios],
          "%s: scenario rows show %s, the results say %s" % (
              what, rows, [s["verdict"] for s in scenarios]))
    check(page.eval("document.querySelectorAll('details.scenario-detail').length") ==
          len(scenarios), what + ": one details section per scenario expected")
    check(page.eval("document.querySelectorAll('tr.req-row').length") ==
          len(requirement_keys([results])), what + ": one matrix row per requirement expected")

    # Hostile strings are shown as text, exactly.
    body_text = page.eval("document.body.textContent")
    for s in scenarios:
        if "</script>" in s["title"]:
            check(s["title"] in body_text, what + ": a hostile title is not shown as text")
    check("\\x1B[31m" in body_text and "\\x00" in body_text,
          what + ": control characters in transcripts are not shown escaped")

    # A failing scenario's requirement reads "fail" in the requirement matrix.
    failed_requirements = {r["id"] for s in scenarios if s["verdict"] == "fail"
                           for r in s["requirements"]}
    for req_id in failed_requirements:
        verdict = page.eval("""Array.from(document.querySelectorAll('tr.req-row')).find(r =>
            r.querySelector('td.req-id').textContent === %s)
            .querySelector('td.verdict').getAttribute('data-verdict')""" % json.dumps(req_id))
        check(verdict == "fail", "%s: requirement %s shows %s, not fail" % (what, req_id, verdict))

    # Following a verdict link opens that scenario's details with the failing step in it.
    index = next(i for i, s in enumerate(scenarios) if s["verdict"] == "fail")
    page.eval("document.querySelectorAll('tr.scenario-row')[%d]"
              ".querySelector('td.verdict a').click()" % index)
    page.eval("new Promise(r => setTimeout(r, 50))")
    check(page.eval("document.getElementById('d-0-%d').open" % index),
          what + ": the verdict link did not open the scenario's details")
    check(page.eval("document.querySelector('#d-0-%d .failure-box').textContent" % index)
          .find(scenarios[index]["failure"]["expected"]) >= 0,
          what + ": the failing step does not show what was expected")

    # Filters.
    shown, visible = set_filters(page, ["fail"])
    expected = sum(1 for s in scenarios if s["verdict"] == "fail")
    check(shown == visible == expected, "%s: 'fail' filter shows %s/%s rows, expected %d" % (
        what, shown, visible, expected))
    page.eval("document.getElementById('filter-show-problems').click()")
    expected = sum(1 for s in scenarios if s["verdict"] in PROBLEMS)
    check(page.eval(VISIBLE_ROWS) == expected, what + ": 'problems only' shows the wrong rows")
    shown, visible = set_filters(page, VERDICTS, rfc="2449")
    expected = sum(1 for s in scenarios if any(r["rfc"] == "2449" for r in s["requirements"]))
    check(shown == visible == expected, "%s: RFC 2449 filter shows %s/%s rows, expected %d" % (
        what, shown, visible, expected))
    check(page.eval("""Array.from(document.querySelectorAll('.rfc-section'))
        .filter(s => s.offsetParent !== null).map(s => s.getAttribute('data-rfc'))""") ==
          ["2449"], what + ": RFC filter leaves other RFCs' requirement tables visible")
    shown, visible = set_filters(page, VERDICTS)
    check(shown == visible == len(scenarios), what + ": clearing the filters hides rows")
    check_no_problems(page, what + " after filtering")
    page.screenshot(screenshot)


def check_matrix_report(page, path, runs, screenshot):
    what = os.path.basename(path)
    page.load(path)
    check_no_problems(page, what)
    check_not_injected(page, what)
    for i, run in enumerate(runs):
        check_summary_row(page, i, run, what)
    labels = page.eval("Array.from(document.querySelectorAll('#scenario-matrix thead "
                       "th.run-label')).map(th => th.textContent)")
    check(labels == [r["metadata"]["target"] for r in runs],
          "%s: columns are %s, expected the targets" % (what, labels))

    # Rows: every scenario id of any run, in order of first appearance.
    ids = []
    for run in runs:
        for s in run["scenarios"]:
            if s["id"] not in ids:
                ids.append(s["id"])
    cells = page.eval("""Array.from(document.querySelectorAll('tr.scenario-row')).map(r =>
        Array.from(r.querySelectorAll('td.verdict')).map(c => c.getAttribute('data-verdict')))""")
    expected_cells = []
    for scenario_id in ids:
        row = []
        for run in runs:
            match = [s["verdict"] for s in run["scenarios"] if s["id"] == scenario_id]
            row.append(match[0] if match else "absent")
        expected_cells.append(row)
    check(cells == expected_cells, "%s: matrix cells %s, expected %s" % (
        what, cells, expected_cells))
    check(page.eval("document.querySelectorAll('tr.req-row').length") ==
          len(requirement_keys(runs)), what + ": one matrix row per requirement expected")

    differing = sum(1 for row in expected_cells if len(set(row)) > 1)
    shown, visible = set_filters(page, VERDICTS, differ=True)
    check(shown == visible == differing, "%s: 'targets differ' shows %s/%s rows, expected %d" % (
        what, shown, visible, differing))
    shown, visible = set_filters(page, VERDICTS)
    check(shown == visible == len(ids), what + ": clearing the filters hides rows")
    check_no_problems(page, what + " after filtering")
    page.screenshot(screenshot)


def check_empty_report(page, path, results):
    what = os.path.basename(path)
    page.load(path)
    check_no_problems(page, what)
    check_summary_row(page, 0, results, what)
    check(page.eval("document.getElementById('no-scenarios') !== null"),
          what + ": an empty run should say that no scenarios ran")


def check_detects_problems(page, out_dir):
    """The checks above can fail: a page with a console error and a CSP-blocked script is caught."""
    canary = os.path.join(out_dir, "canary.html")
    with open(canary, "w") as f:
        f.write("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
                "content=\"script-src 'none'\"></head><body><script>window.__pwned=1</script>"
                "</body></html>")
    page.load(canary)
    check(page.problems(), "a CSP-blocked inline script went unnoticed: the test is blind")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", required=True, help="the popspec_report_samples binary")
    parser.add_argument("--out", required=True, help="directory for reports and screenshots")
    parser.add_argument("--chromium", default=None, help="browser binary (default: chromium)")
    args = parser.parse_args()

    chromium = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not found: install it with scripts/install-deps --with browser "
              "(or exclude this test with ctest -LE browser)", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    samples_dir = os.path.join(args.out, "samples")
    subprocess.run([args.samples, samples_dir], check=True, timeout=60)

    def load(name):
        with open(os.path.join(samples_dir, name)) as f:
            return json.load(f)

    every, second, empty = load("every-verdict.json"), load("second-target.json"), load("empty.json")
    with tempfile.TemporaryDirectory(prefix="popspec-chromium-") as profile:
        browser = Browser(chromium, profile, os.path.join(args.out, "chromium.log"))
        try:
            page = Page(browser)
            check_detects_problems(page, args.out)
            check_single_report(page, os.path.join(samples_dir, "every-verdict.html"), every,
                                os.path.join(args.out, "every-verdict.png"))
            check_matrix_report(page, os.path.join(samples_dir, "matrix.html"),
                                [every, second, empty], os.path.join(args.out, "matrix.png"))
            check_empty_report(page, os.path.join(samples_dir, "empty.html"), empty)
        except CheckFailed as e:
            print("FAIL: %s" % e, file=sys.stderr)
            return 1
        finally:
            browser.close()
    print("HTML reports OK in %s; screenshots in %s" % (
        subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip(),
        args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
