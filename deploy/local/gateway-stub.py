#!/usr/bin/env python3
"""Stand-ins for the services behind the gateway, for deploy/local/gateway-test.sh.

Usage: gateway-stub.py NAME:PORT...  Each port answers every request with JSON naming the service and
what reached it (method, path, body length and SHA-256), and names itself in X-Stub-Service; a path containing "stub-404" is answered
404 with that JSON, one containing "stub-207" 207 (WebDAV's Multi-Status), to show the gateway passes a service's own
statuses through. WebDAV's methods are answered like any other, and the WebDAV and Nextcloud headers that reached the
service are echoed under "headers". A WebSocket upgrade is
accepted (101), answered with one text frame of JSON (service, path, the Upgrade and Connection headers
that reached it) and closed. Prints "ready" once every port listens.
"""

import base64
import hashlib
import http.server
import json
import sys
import threading


# Request headers a WebDAV or Nextcloud client relies on reaching the service as sent, echoed back.
ECHOED = ("Destination", "Overwrite", "Depth", "If", "Lock-Token", "Timeout", "OC-Checksum", "X-OC-Mtime",
          "OC-Total-Length", "X-Forwarded-Host", "X-Forwarded-Port", "Tus-Resumable", "Upload-Length",
          "Upload-Metadata", "Upload-Offset")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.websocket()
            return
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
                "headers": {name: self.headers[name] for name in ECHOED if name in self.headers},
            }
        ).encode()
        self.send_response(404 if "stub-404" in self.path else 207 if "stub-207" in self.path else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Stub-Service", self.server.service)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def websocket(self):
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept.decode())
        self.send_header("X-Stub-Service", self.server.service)
        self.end_headers()
        text = json.dumps(
            {
                "service": self.server.service,
                "path": self.path,
                "upgrade": self.headers.get("Upgrade", ""),
                "connection": self.headers.get("Connection", ""),
            }
        ).encode()
        header = bytes([0x81, len(text)]) if len(text) < 126 else bytes([0x81, 126]) + len(text).to_bytes(2, "big")
        self.wfile.write(header + text + bytes([0x88, 2]) + (1000).to_bytes(2, "big"))
        self.wfile.flush()
        self.close_connection = True

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

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = do_OPTIONS = answer
    do_PROPFIND = do_PROPPATCH = do_MKCOL = do_COPY = do_MOVE = do_LOCK = do_UNLOCK = do_REPORT = answer

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
