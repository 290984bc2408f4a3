#!/usr/bin/env python3
"""The CI examples of docs/ci.md stay runnable: docs/examples/github-workflow.yml and
docs/examples/gitlab-ci.yml name only files that exist, only `popspec run` options that exist,
fill in every placeholder of tests/dovecot/dovecot.conf.in (their sed turns it into a
configuration Dovecot accepts), and keep the reports as artifacts.

Usage: ci_examples_test.py --popspec BIN --source ROOT
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

EXAMPLES = ["docs/examples/github-workflow.yml", "docs/examples/gitlab-ci.yml"]


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--popspec", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    source = os.path.abspath(args.source)
    run_help = subprocess.run([args.popspec, "run", "--help"], capture_output=True, text=True,
                              timeout=60).stdout
    known_options = set(re.findall(r"(--[a-z][a-z0-9-]*)", run_help))
    template = open(os.path.join(source, "tests", "dovecot", "dovecot.conf.in")).read()
    placeholders = set(re.findall(r"@([A-Z_]+)@", template))
    problems = []

    for example in EXAMPLES:
        text = open(os.path.join(source, example)).read()
        # Files of the popspec checkout (a submodule in popspec/ in the user's repository).
        for path in sorted(set(re.findall(r"\bpopspec/((?:scripts|tests|docs)/[\w./-]+)", text))):
            if not os.path.exists(os.path.join(source, path)):
                problems.append(f"{example}: names popspec/{path}, which does not exist")
        # The options of the `popspec run` command line.
        run_line = text[text.index('"$POPSPEC" run'):]
        run_line = run_line[:run_line.index("\n\n") if "\n\n" in run_line else len(run_line)]
        for option in sorted(set(re.findall(r"\s(--[a-z][a-z0-9-]*)", run_line))):
            if option not in known_options:
                problems.append(f"{example}: `popspec run {option}` is not an option")
        for required in ("--allow-destructive", "--reset-command", "--baseline", "--junit",
                         "--html", "--json"):
            if required not in run_line:
                problems.append(f"{example}: the run does not use {required}")
        # Every placeholder of the configuration template is filled in by the example's sed.
        filled = set(re.findall(r"s\|@([A-Z_]+)@\|", text))
        if filled != placeholders:
            problems.append(f"{example}: its sed fills {sorted(filled)}, the template has "
                            f"{sorted(placeholders)}")
        if not re.search(r"(if: always\(\)|when: always)", text):
            problems.append(f"{example}: the reports are not kept when the run fails")

    # The sed of the GitHub example applied to the template gives a configuration Dovecot parses.
    text = open(os.path.join(source, EXAMPLES[0])).read()
    sed = re.search(r"(sed (?:[^\n]*\\\n)*[^\n]*?)\s*>", text)
    doveconf = shutil.which("doveconf", path=os.environ.get("PATH", "") + ":/usr/sbin:/usr/bin")
    if sed is None:
        problems.append(f"{EXAMPLES[0]}: no sed command found")
    elif doveconf is None:
        print("doveconf not installed: the generated configuration was not parsed")
    else:
        with tempfile.TemporaryDirectory(prefix="popspec-ci-example-") as tmp:
            # The job's working directory: the user's checkout with popspec in popspec/.
            os.symlink(source, os.path.join(tmp, "popspec"))
            command = sed.group(1).replace("\\\n", " ")
            env = dict(os.environ, POP3_ROOT=os.path.join(tmp, "srv"))
            conf = subprocess.run(["sh", "-c", command], cwd=tmp, env=env, capture_output=True,
                                  text=True, timeout=60)
            if conf.returncode != 0:
                problems.append(f"the example's sed failed: {conf.stderr}")
            elif "@" in re.sub(r"#.*", "", conf.stdout):
                problems.append("the example's configuration still holds a placeholder")
            else:
                path = os.path.join(tmp, "dovecot.conf")  # doveconf only parses it
                with open(path, "w") as f:
                    f.write(conf.stdout)
                checked = subprocess.run([doveconf, "-n", "-c", path], capture_output=True,
                                         text=True, timeout=60)
                if checked.returncode != 0:
                    problems.append(f"doveconf refuses the example's configuration: "
                                    f"{checked.stderr.strip()}")
    if problems:
        fail("\n  ".join([""] + problems))
    print("CI examples OK")


if __name__ == "__main__":
    main()
