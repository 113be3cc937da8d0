"""A tiny backend for the local runtime's tests: answers as one version of an App.

Environment: PORT (required), VERSION, MODE, HEALTH_FILE.
  MODE=crash     exit with code 3 at once (a crash loop)
  MODE=child     start a `sleep` child first (a process tree to clean up)
  HEALTH_FILE    while this file exists, /health answers 500
Paths: /health; /exit answers then exits with code 7; POST echoes the body length;
anything else answers JSON {version, pid, path, query, headers}. Every response carries
x-deployment-id: <VERSION>.
"""
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ["PORT"])
VERSION = os.environ.get("VERSION", "?")
MODE = os.environ.get("MODE", "")
HEALTH_FILE = os.environ.get("HEALTH_FILE")

if MODE == "crash":
    print("crashing on purpose", file=sys.stderr, flush=True)
    sys.exit(3)

CHILD = None
if MODE == "child":
    CHILD = subprocess.Popen(["sleep", "1000"])
    print("child", CHILD.pid, flush=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, body, content_type="application/json"):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-deployment-id", VERSION)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/health":
            unhealthy = HEALTH_FILE and os.path.exists(HEALTH_FILE)
            self.answer(500 if unhealthy else 200, "sick" if unhealthy else "ok", "text/plain")
        elif path == "/exit":
            self.answer(200, "bye", "text/plain")
            self.wfile.flush()
            threading.Timer(0.05, lambda: os._exit(7)).start()
        else:
            self.answer(200, json.dumps({
                "version": VERSION, "pid": os.getpid(), "path": path, "query": query,
                "headers": {k.lower(): v for k, v in self.headers.items()}}))

    do_HEAD = do_GET

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.answer(200, json.dumps({"version": VERSION, "received": len(body)}))

    def log_message(self, fmt, *args):
        print("%s %s" % (VERSION, fmt % args), flush=True)


print("version %s listening on %d" % (VERSION, PORT), flush=True)
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
