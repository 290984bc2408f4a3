"""A scripted test server on 127.0.0.1, port 0: the listening loop shared by the fake POP
servers of the integration tests.

A subclass implements `serve(conn)` for one connection; it runs on its own daemon thread with a
30 s socket timeout, an OSError (the client went away) ends it quietly, and the connection is
closed afterwards. `close()` (or leaving the `with` block) stops listening within 0.2 s.
"""
import socket
import threading


class LoopbackServer:
    def __init__(self, backlog=16):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(backlog)
        self.sock.settimeout(0.2)  # how often the accept loop looks at `stopping`
        self.port = self.sock.getsockname()[1]
        self.stopping = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def serve(self, conn):
        raise NotImplementedError

    def close(self):
        self.stopping = True
        self.thread.join(timeout=5)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            conn.settimeout(30)
            self.serve(conn)
        except OSError:
            pass  # the client went away
        finally:
            try:
                conn.close()
            except OSError:
                pass
