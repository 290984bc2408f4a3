"""A deliberately misbehaving POP3 server for tests/integration/run_hostile_server_test.py.

HostileServer(mode) listens on 127.0.0.1 port 0 and treats every connection according to its
mode. Each connection is served by a daemon thread that stops as soon as the client goes away,
and close() stops listening. Modes:

  endless_line   "+OK " and then 'x' forever at full speed: a greeting line that never ends
  silence        accepts and sends nothing at all
  slow           a normal greeting, one byte per second
  gigabytes      a normal greeting; any command gets "+OK" and endless data lines, never "."
  garbage        binary garbage instead of a greeting, forever
  close_midway   a normal greeting; any command gets "+OK" and two data lines, then a close
  out_of_turn    a greeting followed at once by an unsolicited "+OK surprise" line; commands
                 are answered "+OK" with an empty multi-line body
"""
import os
import socket
import time

from loopback_server import LoopbackServer

GREETING = b"+OK hostile test server ready\r\n"


class HostileServer(LoopbackServer):
    def __init__(self, mode):
        self.mode = mode
        self.sent = 0  # octets sent over all connections
        super().__init__(backlog=64)

    def serve(self, conn):
        getattr(self, "_" + self.mode)(conn)

    def _send(self, conn, data):
        conn.sendall(data)
        self.sent += len(data)

    def _read_command(self, conn, deadline=30):
        """Reads until a LF (or the client closes); returns False when the client is gone."""
        conn.settimeout(deadline)
        data = b""
        while b"\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return False
            data += chunk
        return True

    def _endless_line(self, conn):
        self._send(conn, b"+OK ")
        chunk = b"x" * 65536
        while not self.stopping:
            self._send(conn, chunk)

    def _silence(self, conn):
        conn.settimeout(1)
        while not self.stopping:
            try:
                if not conn.recv(4096):
                    return
            except socket.timeout:
                continue

    def _slow(self, conn):
        for byte in GREETING:
            if self.stopping:
                return
            self._send(conn, bytes([byte]))
            time.sleep(1)

    def _gigabytes(self, conn):
        self._send(conn, GREETING)
        while self._read_command(conn):
            self._send(conn, b"+OK here it comes\r\n")
            line = b"y" * 78 + b"\r\n"
            chunk = line * 800
            while not self.stopping:
                self._send(conn, chunk)

    def _garbage(self, conn):
        while not self.stopping:
            self._send(conn, os.urandom(4096))

    def _close_midway(self, conn):
        self._send(conn, GREETING)
        if self._read_command(conn):
            self._send(conn, b"+OK 2 messages\r\n1 120\r\n2 3")
            conn.shutdown(socket.SHUT_RDWR)

    def _out_of_turn(self, conn):
        self._send(conn, GREETING + b"+OK surprise\r\n")
        while self._read_command(conn):
            self._send(conn, b"+OK\r\n.\r\n")
