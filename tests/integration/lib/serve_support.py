"""Shared helpers for tests/integration/serve_*_test.py (Python standard library only).

Each test script is run by CTest as `python3 script --popspec BIN --source ROOT`. The helpers
start `popspec serve` on 127.0.0.1 port 0 over a temporary maildrops directory seeded by
`popspec fixture`, read the "popspec: pop3 listening on 127.0.0.1:PORT" lines with a deadline,
and give every socket operation a timeout. Nothing here ever talks to an address other than
127.0.0.1.
"""
import argparse
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

DEADLINE = 20  # seconds for any single step (start-up, a reply, a shutdown)

FIXTURE_USER = "popspec"
FIXTURE_PASSWORD = "popspec-secret"
EMPTY_USER = "popspec2"
EMPTY_PASSWORD = "popspec2-secret"


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_equal(actual, expected, what):
    if actual != expected:
        a, e = repr(actual), repr(expected)
        if len(a) > 300:
            a = a[:300] + "..."
        if len(e) > 300:
            e = e[:300] + "..."
        raise AssertionError(f"{what}: expected {e}, got {a}")


def run_popspec(popspec, *args):
    return subprocess.run([popspec, *args], capture_output=True, text=True, timeout=DEADLINE)


def write_fixture(popspec, root, fmt="maildir", user=None):
    """Seeds the maildrops directory `root` with the standard fixture and the users file."""
    args = ["fixture", "--format", fmt, "--out", root, "--users-file"]
    if user:
        args += ["--user", user]
    result = run_popspec(popspec, *args)
    expect(result.returncode == 0, f"popspec fixture failed: {result.stderr}")


def expected_messages(popspec, scratch):
    """The fixture's wire forms, in order: (default maildrop, folder 'archive').

    Read from the files `popspec fixture --format maildir` writes (LF line endings; one file per
    message, sorted by name), turned into CRLF as POP sends them.
    """
    root = os.path.join(scratch, "expected-fixture")
    if not os.path.isdir(root):
        write_fixture(popspec, root, "maildir")

    def read_dir(path):
        names = sorted(n for n in os.listdir(path) if not n.startswith("."))
        out = []
        for name in names:
            with open(os.path.join(path, name), "rb") as f:
                data = f.read()
            expect(b"\r" not in data, f"fixture file {name} unexpectedly holds CR")
            out.append(data.replace(b"\n", b"\r\n"))
        return out

    default = read_dir(os.path.join(root, FIXTURE_USER, "new"))
    archive = read_dir(os.path.join(root, FIXTURE_USER, ".archive", "new"))
    expect(len(default) >= 5 and len(archive) >= 1, "the fixture looks incomplete")
    return default, archive


class Server:
    """`popspec serve` on 127.0.0.1 ephemeral ports."""

    def __init__(self, popspec, maildrops, pop3=True, pop2=False, args=()):
        """pop3/pop2: True for 127.0.0.1:0, or the --pop3/--pop2 argument to pass as it is."""
        cmd = [popspec, "serve", "--maildrops", maildrops, *args]
        for flag, value in (("--pop3", pop3), ("--pop2", pop2)):
            if value:
                cmd += [flag, "127.0.0.1:0" if value is True else value]
        self.stderr_file = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr_file)
        self.stdout_lines = []
        self.pop3_port = None
        self.pop2_port = None
        wanted = {"pop3": pop3, "pop2": pop2}
        try:
            self._read_listening_lines(wanted)
        except BaseException:
            self.kill()
            raise

    def _read_listening_lines(self, wanted):
        deadline = time.monotonic() + DEADLINE
        buffer = b""
        fd = self.proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while (wanted["pop3"] and self.pop3_port is None) or (
                    wanted["pop2"] and self.pop2_port is None):
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    raise AssertionError("popspec serve did not print its listening lines in time; "
                                         f"stdout so far {buffer!r}; stderr {self.stderr()!r}")
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise AssertionError(f"popspec serve exited early ({self.proc.wait()}): "
                                         f"{self.stderr()!r}")
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    text = line.decode()
                    self.stdout_lines.append(text)
                    m = re.fullmatch(r"popspec: (pop3|pop2) listening on 127\.0\.0\.1:(\d+)", text)
                    expect(m is not None, f"unexpected stdout line {text!r}")
                    setattr(self, m.group(1) + "_port", int(m.group(2)))

    def stderr(self):
        self.stderr_file.seek(0)
        return self.stderr_file.read().decode(errors="replace")

    def signal(self, signum):
        """Sends `signum` and returns the exit status (raises if it does not exit in time)."""
        self.proc.send_signal(signum)
        return self.proc.wait(timeout=DEADLINE)

    def terminate(self):
        return self.signal(signal.SIGTERM)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=DEADLINE)

    def close(self):
        if self.proc.poll() is None:
            try:
                self.terminate()
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc.stdout.close()
        self.stderr_file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class LineClient:
    """A raw TCP client of 127.0.0.1 with a deadline on every read (POP2, and raw POP3)."""

    def __init__(self, port, timeout=DEADLINE):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.buffer = b""

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed by the server")
        self.buffer += chunk

    def line(self):
        """One reply line, CRLF included."""
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line + b"\r\n"

    def exactly(self, n):
        while len(self.buffer) < n:
            self._fill()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def until(self, terminator):
        while terminator not in self.buffer:
            self._fill()
        at = self.buffer.index(terminator) + len(terminator)
        data, self.buffer = self.buffer[:at], self.buffer[at:]
        return data

    def command(self, text):
        self.send(text + "\r\n")
        return self.line()

    def closed_by_server(self):
        """True when the server closes the connection (anything still unread is discarded)."""
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def snapshot(root):
    """Every path under `root` with its type, size and modification time."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            entries.append((os.path.relpath(path, root), st.st_mode, st.st_size, st.st_mtime_ns))
    return sorted(entries)


def main(tests, description):
    """Runs each test function (args, scratch_dir) in its own temporary directory."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--popspec", required=True, help="path to the popspec binary")
    parser.add_argument("--source", required=True, help="repository root")
    parser.add_argument("-k", default="", help="run only tests whose name contains this")
    args = parser.parse_args()
    failures = 0
    ran = 0
    for test in tests:
        if args.k not in test.__name__:
            continue
        ran += 1
        scratch = tempfile.mkdtemp(prefix="popspec-serve-test-")
        started = time.monotonic()
        try:
            test(args, scratch)
            print(f"PASS {test.__name__} ({time.monotonic() - started:.2f}s)", flush=True)
        except Exception:  # report every failure, then go on with the next test
            failures += 1
            print(f"FAIL {test.__name__}", flush=True)
            traceback.print_exc()
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"{ran - failures}/{ran} passed", flush=True)
    if ran == 0:
        print("no test selected", file=sys.stderr)
        return 2
    return 1 if failures else 0
