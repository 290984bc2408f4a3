"""Shared by fuzz/tools/gen_seeds.py and fuzz/campaign.py: the fuzz target manifest, what a
scenario file sends (turned into wire transcripts for the session targets), the built-in seeds,
and the reverse direction, a crash input turned into a scenario JSON stub.

The scenario format is docs/scenarios.md (the loader is harness/src/loader.cpp). Only the parts
that say what the CLIENT sends matter here: connect / login / send / send_raw / close / drop
steps, on named connections, with ${var} templates. Python standard library only.
"""

import hashlib
import json
import re
from pathlib import Path

# The fuzz world (fuzz/sessions/session_world.hpp and store/fixture.hpp): accounts and the fixed
# APOP timestamp the session targets greet with.
USER, PASS = "popspec", "popspec-secret"
USER2, PASS2 = "popspec2", "popspec2-secret"
APOP_TIMESTAMP = "<1896.697170952@popspec.fuzz>"
FOLDER = "archive"


def apop_digest(secret):
    return hashlib.md5((APOP_TIMESTAMP + secret).encode("latin-1")).hexdigest()


# Values for the built-in variables (harness/include/popspec/harness/variables.hpp). Variables a
# scenario captures from a response at run time are unknown here; "1" keeps the line plausible
# (they are mostly message numbers and sizes).
VARIABLES = {
    "user": USER,
    "pass": PASS,
    "user2": USER2,
    "pass2": PASS2,
    "timestamp": APOP_TIMESTAMP,
    "apop_digest": apop_digest(PASS),
    "len": "0",
}
_TEMPLATE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def expand(text, variables=None):
    """Expands ${name} ("$${" is a literal "${"), as the harness does."""
    variables = VARIABLES if variables is None else variables

    def sub(m):
        if m.group(0) == "$${":
            return "${"
        return variables.get(m.group(1), "1")

    return _TEMPLATE.sub(sub, text)


def octets(text):
    """Scenario wire text: characters U+0000..U+00FF each stand for one octet."""
    return "".join(ch if ord(ch) <= 0xFF else "?" for ch in text).encode("latin-1")


def load_manifest(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["targets"]


def scenario_files(root):
    """Every scenario file under `root` (the loader's rule: *.json except the reserved ones)."""
    root = Path(root)
    if not root.is_dir():
        return []
    reserved = {"schema.json", "requirements.json"}
    return sorted(p for p in root.rglob("*.json")
                  if p.is_file() and not (p.parent == root and p.name in reserved))


def _pop2_quote(arg):
    return arg.replace("\\", "\\\\").replace(" ", "\\ ")


def _login_lines(protocol, profiles, account, method):
    user, secret = (USER, PASS) if account != "user2" else (USER2, PASS2)
    if protocol == "pop2":
        return [f"HELO {_pop2_quote(user)} {_pop2_quote(secret)}".encode()]
    if method == "apop" and "rfc1225" not in profiles:
        return [f"APOP {user} {apop_digest(secret)}".encode()]
    return [f"USER {user}".encode(), f"PASS {secret}".encode()]


def _raw_octets(spec, limit):
    if isinstance(spec, str):
        return octets(expand(spec))
    if isinstance(spec, dict):
        prefix = octets(expand(spec.get("prefix", "")))
        unit = octets(spec.get("repeat", "")) or b"x"
        count = spec.get("count", 1)
        count = count if isinstance(count, int) and count > 0 else 1
        count = min(count, limit // len(unit) + 1)  # the rest would be cut at max_len anyway
        return prefix + unit * count + octets(expand(spec.get("suffix", "")))
    return b""


def transcripts(document, limit=1 << 16):
    """What each connection of each scenario sends, as wire bytes.

    Yields dicts: protocol, profiles, id, connection, data (bytes), lines (command lines without
    terminator, for the command-parser seeds).
    """
    if not isinstance(document, dict):
        return
    protocol = document.get("protocol")
    if protocol not in ("pop3", "pop2"):
        return
    for scenario in document.get("scenarios") or []:
        if not isinstance(scenario, dict):
            continue
        profiles = [p for p in scenario.get("profiles") or [] if isinstance(p, str)]
        streams = {}  # connection -> (bytes, lines); in order of opening
        open_ = []
        for step in scenario.get("steps") or []:
            if not isinstance(step, dict):
                continue
            if "connect" in step:
                name = step["connect"] if isinstance(step["connect"], str) else "main"
                open_.append(name)
                streams.setdefault(name, [b"", []])
                continue
            target = step.get("on") if isinstance(step.get("on"), str) else (
                open_[-1] if open_ else None)
            for kind in ("close", "drop"):
                if kind in step and isinstance(step[kind], str):
                    target = step[kind]
            if target is None or target not in streams:
                continue
            stream = streams[target]
            sent = []
            if "login" in step:
                sent = _login_lines(protocol, profiles, step.get("login"), step.get("using"))
            elif "send" in step:
                items = step["send"] if isinstance(step["send"], list) else [step["send"]]
                sent = [octets(expand(i)) for i in items if isinstance(i, str)]
            elif "send_raw" in step:
                raw = _raw_octets(step["send_raw"], limit)
                stream[0] += raw
                stream[1].extend(l.rstrip(b"\r") for l in raw.split(b"\n")
                                 if l.rstrip(b"\r"))
            elif "close" in step:
                sent = [b"QUIT"]
            for line in sent:
                stream[0] += line + b"\r\n"
                stream[1].append(line)
            if "close" in step or "drop" in step:
                if target in open_:
                    open_.remove(target)
        for name, (data, lines) in streams.items():
            yield {"protocol": protocol, "profiles": profiles,
                   "id": str(scenario.get("id", "scenario")), "connection": name,
                   "data": data[:limit], "lines": lines}


def _crlf(*lines):
    return b"".join(l.encode("latin-1") + b"\r\n" for l in lines)


# ---- built-in seeds: enough for every target even with an empty scenario suite --------------

def builtin_seeds(mode):
    login3 = ("USER " + USER, "PASS " + PASS)
    apop = f"APOP {USER} {apop_digest(PASS)}"
    login2 = (f"HELO {USER} {PASS}",)
    if mode == "pop3_sessions":
        return [
            _crlf(*login3, "STAT", "LIST", "UIDL", "RETR 1", "TOP 7 3", "DELE 1", "LIST 1",
                  "RSET", "DELE 2", "QUIT"),
            _crlf(apop, "STAT", "RETR 2", "DELE 2", "RETR 2", "QUIT"),
            _crlf("CAPA", "STAT", "USER " + USER, "PASS wrong", *login3, "NOOP", "QUIT"),
            _crlf(*login3, "DELE 1", "DELE 3") + b"LIST\n" + b"RETR 1",
            _crlf("USER " + USER2, "PASS " + PASS2, "STAT", "LIST", "QUIT"),
        ]
    if mode == "pop3_sessions_rfc1225":
        return [
            _crlf(*login3, "LAST", "RETR 5", "LAST", "DELE 6", "LAST", "RSET", "LAST", "QUIT"),
            _crlf(*login3, "STAT", "LIST", "TOP 1 0", "DELE 1", "QUIT"),
            _crlf("RPOP " + USER, "UIDL", *login3, "CAPA", "QUIT"),
        ]
    if mode == "pop2_sessions":
        return [
            _crlf(*login2, "READ", "RETR", "ACKD", "RETR", "ACKS", "QUIT"),
            _crlf(*login2, "FOLD " + FOLDER, "READ 2", "RETR", "NACK", "ACKD", "FOLD " + FOLDER,
                  "QUIT"),
            _crlf(*login2, "READ 99", "RETR"),
            _crlf(*login2, "READ 1", "RETR", "ACKD") + b"REA",
            _crlf("HELO " + USER2 + " " + PASS2, "READ", "QUIT"),
        ]
    if mode == "pop3_lines":
        return [l.encode() for l in ("STAT", "LIST 1", "TOP 1 10", "USER a", "PASS a b  c", apop,
                                     "list", "RETR 18446744073709551616", "NOOP ", " NOOP",
                                     "XTND X", "A" * 41, "PASS " + "p" * 300)]
    if mode == "pop2_lines":
        return [l.encode() for l in (f"HELO {USER} {PASS}", "HELO a\\ b c\\\\d", "FOLD my folder",
                                     "FOLD \\x", "READ", "READ 007", "read 1", "RETR", "ACKS",
                                     "ACKD", "NACK", "QUIT", "READ  1", "HELO a", "FOLD a\\")]
    if mode == "pop3_responses":
        # Control byte: bit 0 multi-line, bit 1 tiny limits, bits 2-5 chunk-size count.
        return [
            b"\x00+OK 2 320\r\n",
            b"\x00-ERR no such message\r\n",
            b"\x01+OK 120 octets\r\nSubject: x\r\n\r\n..dot\r\nbody\r\n.\r\n",
            b"\x05\x00+OK\r\n1 100\r\n2 200\r\n.\r\n",
            b"\x09\x02\x06+OK\r\n.x\r\n.\rz\r\n\x00nul\r\nbare\rcr\nbare lf\r\n.\r\n+OK next",
            b"\x02+ok lower\r\n",
            b"\x03+OK\r\n" + b"y" * 40 + b"\r\n.\r\n",
            b"\x00+OKtext\r\n",
            b"\x01+OK\r\n.\r\n",
            b"\x00\xff\xfe garbage\r\n",
        ]
    if mode == "pop2_replies":
        return [l.encode("latin-1") for l in (
            "+ POP2 localhost popspec server ready", "+ POP2 a-b.c", "#3 messages",
            "=1234 characters in message 1", "=0", "- error", "+", "#18446744073709551615",
            "#18446744073709551616", "=007 x", "+OK", "#3messages", "+ ", "- \xe9t\xe9",
            "+ POP2 -bad host")]
    if mode == "roundtrip":
        return [
            b"\x00\x04STAT\x01\x01x\x01\x01\x01",
            b"\x00\x04PASS\x01\x07a b c d\x00\x01\x01",
            b"\x01\x00\x07popspec\x0epopspec-secret",
            b"\x01\x01\x0aa b\\c\x01\x7fd",
            b"\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x2a",
            b"\x02\x01\x05hello.line\r\n..two\r\nend",
            b"\x02\x00\x03bad",
            b"\x03\x02\x00\x00\x00\x00\x00\x00\x00\x07text\r\nwith\x00nul",
            b"\x04\x00\x01\\\r\n\t\xff",
            b"\x05\x08\x03ab\r\ncd\nef\r" + b"g" * 30 + b"\r\n",
        ]
    if mode == "scenario_files":
        return [json.dumps({
            "group": "fuzz/builtin", "protocol": "pop3",
            "scenarios": [{"id": "stat", "title": "STAT after login",
                           "requirements": ["POP3-1939-STAT.1"], "profiles": ["rfc1939"],
                           "steps": [{"connect": "main"}, {"login": "user"},
                                     {"send": "STAT", "expect": {"status": "+OK",
                                                                 "match": "^(?<n>[0-9]+) "}},
                                     {"close": "main"}]}]}, indent=2).encode()]
    return []


# ---- crash input -> scenario stub --------------------------------------------------------------

def _template(line):
    """A transcript line as a scenario template: known credentials become variables."""
    text = line.replace("${", "$${")  # a literal "${" in the input
    for secret, var in ((apop_digest(PASS), "${apop_digest}"), (PASS2, "${pass2}"),
                        (PASS, "${pass}"), (USER2, "${user2}"), (USER, "${user}")):
        text = re.sub(r"(?<![A-Za-z0-9_.-])" + re.escape(secret) + r"(?![A-Za-z0-9_-])", var, text)
    return text


def _json_text(data):
    return data.decode("latin-1")


def scenario_stub(target, data, title, group="fuzz/crashes"):
    """A scenario JSON stub (dict) that replays a crash input against a target server, or None
    when the target does not take client input (response/reply parsers: the crash is in how the
    harness reads a server, which no scenario can send)."""
    session_targets = {"pop3_session": ("pop3", ["rfc1939"]),
                       "pop3_session_rfc1225": ("pop3", ["rfc1225"]),
                       "pop2_session": ("pop2", ["rfc937"]),
                       "pop3_command": ("pop3", ["rfc1939"]),
                       "pop2_command": ("pop2", ["rfc937"])}
    if target not in session_targets:
        return None
    protocol, profiles = session_targets[target]
    if target.endswith("_command"):
        data = data + b"\r\n"  # a command parser input is one line
    steps = [{"connect": "main"}]
    pending = []  # clean lines sent together

    def flush():
        if pending:
            steps.append({"send": pending[0] if len(pending) == 1 else list(pending)})
            pending.clear()

    rest = data
    while rest:
        cut = rest.find(b"\n")
        line, rest = (rest, b"") if cut < 0 else (rest[:cut + 1], rest[cut + 1:])
        body = line[:-2] if line.endswith(b"\r\n") else None
        if body is not None and b"\r" not in body and b"\n" not in body:
            pending.append(_template(_json_text(body)))
        else:  # bare LF, stray CR or an unterminated tail: sent exactly
            flush()
            steps.append({"send_raw": _json_text(line)})
    flush()
    steps.append({"drop": "main"})
    digest = hashlib.sha1(data).hexdigest()[:12]
    return {
        "group": group,
        "protocol": protocol,
        "description": f"Stub from a fuzz crash of {target}; save as scenarios/{group}.json, "
                       "add requirements and expectations (docs/scenarios.md).",
        "scenarios": [{
            "id": f"{target.replace('_', '-')}-{digest}",
            "title": title[:200],
            "requirements": [],
            "profiles": profiles,
            "fixture": "standard",
            "destructive": True,
            "steps": steps,
        }],
    }
