#!/usr/bin/env python3
"""Stand-ins for the services behind the gateway, for deploy/local/gateway-test.sh.

Usage: gateway-stub.py NAME:PORT...  Each port answers every request with JSON naming the service and
what reached it (method, path, body length and SHA-256), and names itself in X-Stub-Service; a path containing "stub-404" is answered
404 with that JSON, to show the gateway passes a service's own errors through. Prints "ready" once
every port listens.
"""

import hashlib
import http.server
import json
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        digest = hashlib.sha256()
        received = 0
        for chunk in self.body():
            digest.update(chunk)
            received += len(chunk)
        body = json.dumps(
            {
                "service": self.server.service,
                "method": self.command,
                "path": self.path,
                "bytes": received,
                "sha256": digest.hexdigest(),
            }
        ).encode()
        self.send_response(404 if "stub-404" in self.path else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Stub-Service", self.server.service)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return
                yield from self.read(size)
                self.rfile.readline()
        else:
            yield from self.read(int(self.headers.get("Content-Length") or 0))

    def read(self, remaining):
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = answer

    def log_message(self, *args):
        pass


def main():
    for spec in sys.argv[1:]:
        service, port = spec.split(":")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
        server.service = service
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
