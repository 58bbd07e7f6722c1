#!/usr/bin/env python3
"""An HTTPS proxy that sends a Dropbox client's requests to syncbox instead of Dropbox.

For clients whose Dropbox hosts are fixed (rclone, other Go or Python tools): run it, point the client at it with
HTTPS_PROXY=http://127.0.0.1:<port>, and make the client trust the certificate it presents (SSL_CERT_FILE for Go and
Python clients). A CONNECT to one of Dropbox's API hosts is answered here: TLS is ended with the certificate given
(made for api.dropboxapi.com, content.dropboxapi.com and notify.dropboxapi.com, see docs/dropbox-api.md) and the
plain HTTP inside is relayed to the syncbox gateway. A CONNECT to any other host is refused, so nothing else
leaves through it.

Usage: dropbox-proxy.py --listen 127.0.0.1:8443 --gateway 127.0.0.1:8080 --cert cert.pem --key key.pem
"""
import argparse
import socket
import ssl
import sys
import threading

DROPBOX_HOSTS = {"api.dropboxapi.com", "content.dropboxapi.com", "notify.dropboxapi.com"}


def pipe(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for sock, how in ((target, socket.SHUT_WR), (source, socket.SHUT_RD)):
            try:
                sock.shutdown(how)
            except OSError:
                pass


def read_head(conn):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(1)
        if not chunk:
            return None
        head += chunk
        if len(head) > 16384:
            return None
    return head.decode("latin-1")


def serve(conn, context, gateway):
    with conn:
        head = read_head(conn)
        if head is None:
            return
        parts = head.split("\r\n", 1)[0].split()
        if len(parts) != 3 or parts[0] != "CONNECT":
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host = parts[1].rsplit(":", 1)[0].lower()
        if host not in DROPBOX_HOSTS:
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        conn.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        try:
            tls = context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            print(f"TLS with the client failed: {e}", file=sys.stderr)
            return
        with tls, socket.create_connection(gateway) as upstream:
            back = threading.Thread(target=pipe, args=(upstream, tls), daemon=True)
            back.start()
            pipe(tls, upstream)
            back.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:8443")
    parser.add_argument("--gateway", default="127.0.0.1:8080")
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()
    listen_host, listen_port = args.listen.rsplit(":", 1)
    gateway_host, gateway_port = args.gateway.rsplit(":", 1)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.set_alpn_protocols(["http/1.1"])
    context.load_cert_chain(args.cert, args.key)
    server = socket.create_server((listen_host, int(listen_port)))
    print(f"ready on {args.listen}, relaying Dropbox's hosts to {args.gateway}", flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn, context, (gateway_host, int(gateway_port))), daemon=True).start()


if __name__ == "__main__":
    main()
