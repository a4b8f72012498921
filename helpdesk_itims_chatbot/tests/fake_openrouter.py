"""A fake OpenRouter (OpenAI-compatible chat completions) on 127.0.0.1.

It answers with the real payload shapes of ../shared/fixtures/openrouter (copied
in tests/data/openrouter) and records every request it receives, headers and
JSON body, so tests can check what left Odoo. Behaviour per model name: a list
of scripted replies consumed in order, then ``default``:

- "ok": 200 with response_ok.json, its ``model`` set to the model asked;
- "429", "401", "402", "502": that error body with that HTTP status;
- "error200": 200 with a provider error inside the body;
- "slow": waits ``slow_seconds`` before answering "ok" (a timeout for the client);
- "garbage": 200 with a body that is not JSON.
"""

import copy
import json
import pathlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DATA = pathlib.Path(__file__).parent / "data" / "openrouter"


def _fixture(name):
    return json.loads((DATA / name).read_text())


class FakeOpenRouter:
    def __init__(self, default="ok", slow_seconds=2.0, delay=0.0):
        self.requests = []
        self.dropped = []
        self.scripts = {}
        self.default = default
        self.slow_seconds = slow_seconds
        self.delay = delay
        self.lock = threading.Lock()
        self.server = None
        self.thread = None

    @property
    def base_url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/v1"

    def script(self, model, *replies):
        with self.lock:
            self.scripts[model] = list(replies)

    def models_asked(self):
        return [request["json"].get("model") for request in self.requests]

    def _next(self, model):
        with self.lock:
            queue = self.scripts.get(model)
            if queue:
                return queue.pop(0)
            return self.default

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {}
                with fake.lock:
                    fake.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "json": body, "raw": raw}
                    )
                model = body.get("model", "")
                reply = fake._next(model)
                if fake.delay:
                    time.sleep(fake.delay)
                if reply == "slow":
                    time.sleep(fake.slow_seconds)
                    reply = "ok"
                if reply == "ok":
                    payload = copy.deepcopy(_fixture("response_ok.json"))
                    payload["model"] = model
                    status = 200
                elif reply == "error200":
                    payload, status = _fixture("error_in_200_body.json"), 200
                elif reply == "garbage":
                    self._send(200, b"<html>Bad gateway</html>", "text/html")
                    return
                elif reply in ("401", "402", "429"):
                    payload, status = _fixture(f"error_{reply}.json"), int(reply)
                else:
                    status = int(reply)
                    payload = {"error": {"code": status, "message": "Provider returned error"}}
                self._send(status, json.dumps(payload).encode(), "application/json")

            def _send(self, status, data, content_type):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError) as err:
                    # the client gave up (its timeout): nothing to answer to
                    fake.dropped.append(repr(err))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
