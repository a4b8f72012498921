"""A fake Telegram Bot API on 127.0.0.1 for the tests.

It answers with the real shapes (tests/fixtures, copied from the Bot API docs'
samples), records every request it receives, and can inject faults: an HTTP
error body (429 with retry_after, 403, 400, 500), a hang longer than the
client's timeout, per method and optionally per chat. ``getUpdates`` serves the
updates a test queued, from the requested offset on, as Telegram does.

``FakeBotApi(rate_limits=True)`` also enforces Telegram's send limits as the benchmark
needs them: at most ``GLOBAL_LIMIT`` sendMessage a second overall and one a second per
chat; a send over either limit answers 429 with ``retry_after`` 1 and is not delivered.
"""

import contextlib
import copy
import json
import pathlib
import socket
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
GLOBAL_LIMIT = 30  # sendMessage a second, every chat together (Telegram's bulk limit)
CHAT_INTERVAL = 1.0  # seconds between two messages to one chat


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


class FakeBotApi:
    token = "7000000001:TEST-fake-token"

    def __init__(self, rate_limits=False):
        self.rate_limits = rate_limits
        self.sent_times = deque()  # monotonic times of the accepted sends (last second)
        self.chat_sent = {}  # chat_id -> monotonic time of its last accepted send
        self.requests = []  # (method, payload, outcome)
        self.faults = deque()  # (method, chat_id or None, kind, body or seconds)
        self.updates = []
        self.next_message_id = 5120
        self.lock = threading.Lock()
        self.release = threading.Event()  # ends hangs early (teardown)
        self.server = None

    # ------------------------------------------------------------------ control

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake._handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.release.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def reset(self):
        with self.lock:
            self.requests.clear()
            self.sent_times.clear()
            self.chat_sent.clear()
            self.faults.clear()
            self.updates.clear()

    def fail(self, method, status, chat_id=None, retry_after=None, times=1):
        """The next ``times`` calls of ``method`` (to ``chat_id``) answer ``status``."""
        bodies = {
            400: fixture("response_400_query_too_old.json"),
            403: fixture("response_403_blocked.json"),
            429: fixture("response_429.json"),
            500: {"ok": False, "error_code": 500, "description": "Internal Server Error"},
        }
        body = copy.deepcopy(bodies[status])
        if retry_after is not None:
            body["parameters"]["retry_after"] = retry_after
            body["description"] = f"Too Many Requests: retry after {retry_after}"
        for _index in range(times):
            self.faults.append((method, chat_id, "error", body))

    def hang(self, method, seconds, chat_id=None):
        """The next call of ``method`` answers only after ``seconds``."""
        self.faults.append((method, chat_id, "hang", seconds))

    def calls(self, method=None, outcome=None, chat_id=None):
        with self.lock:
            return [
                payload
                for name, payload, result in self.requests
                if (method is None or name == method)
                and (outcome is None or result == outcome)
                and (chat_id is None or str(payload.get("chat_id")) == str(chat_id))
            ]

    # ------------------------------------------------------------------ serving

    def _fault_for(self, method, payload):
        with self.lock:
            for fault in list(self.faults):
                name, chat, _kind, _arg = fault
                if name == method and (chat is None or str(payload.get("chat_id")) == str(chat)):
                    self.faults.remove(fault)
                    return fault
        return None

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b"{}"
        try:
            payload = json.loads(raw or b"{}")
        except ValueError:
            payload = {}
        prefix, _sep, method = handler.path.rpartition("/")
        if prefix != f"/bot{self.token}":
            unauthorized = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            self._answer(handler, 401, unauthorized)
            return
        fault = self._fault_for(method, payload)
        if fault and fault[2] == "hang":
            with self.lock:
                self.requests.append((method, payload, "hang"))
            self.release.wait(fault[3])
            fault = None
            # the client gave up first, as it should
            with contextlib.suppress(OSError):
                self._answer(handler, 200, {"ok": True, "result": True})
            return
        if fault:
            body = fault[3]
            with self.lock:
                self.requests.append((method, payload, body["error_code"]))
            self._answer(handler, body["error_code"], body)
            return
        if method == "sendMessage" and self.rate_limits and not self._within_limits(payload):
            body = copy.deepcopy(fixture("response_429.json"))
            body["parameters"]["retry_after"] = 1
            body["description"] = "Too Many Requests: retry after 1"
            with self.lock:
                self.requests.append((method, payload, 429))
            self._answer(handler, 429, body)
            return
        result = self._result(method, payload)
        with self.lock:
            self.requests.append((method, payload, "ok"))
        self._answer(handler, 200, {"ok": True, "result": result})

    def _within_limits(self, payload):
        """Count this send against the limits, or refuse it (False)."""
        now, chat = time.monotonic(), str(payload.get("chat_id"))
        with self.lock:
            while self.sent_times and self.sent_times[0] <= now - 1:
                self.sent_times.popleft()
            if len(self.sent_times) >= GLOBAL_LIMIT:
                return False
            if now - self.chat_sent.get(chat, -CHAT_INTERVAL) < CHAT_INTERVAL:
                return False
            self.sent_times.append(now)
            self.chat_sent[chat] = now
            return True

    def _result(self, method, payload):
        if method == "getMe":
            return fixture("response_getme.json")["result"]
        if method in ("sendMessage", "editMessageText"):
            message = fixture("response_send_ok.json")["result"]
            with self.lock:
                if method == "sendMessage":
                    self.next_message_id += 1
                    message["message_id"] = self.next_message_id
                else:
                    message["message_id"] = payload.get("message_id")
            message["chat"]["id"] = payload.get("chat_id")
            message["text"] = payload.get("text")
            if payload.get("reply_markup"):
                message["reply_markup"] = payload["reply_markup"]
            return message
        if method == "getUpdates":
            offset = payload.get("offset") or 0
            with self.lock:
                return [u for u in self.updates if u["update_id"] >= offset]
        return True

    def _answer(self, handler, status, body):
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


@contextlib.contextmanager
def silent_server():
    """A server on 127.0.0.1 that accepts connections and never answers; yields
    its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held = []

    def accept():
        while True:
            try:
                held.append(sock.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()
        for conn in held:
            conn.close()
