#!/usr/bin/env bash
# Makes a private certificate authority and, signed by it, a certificate for Dropbox's three API hosts, for
# dropbox-proxy.py: a client that trusts ca.pem (and nothing else it needs) then talks to syncbox believing it talks
# to Dropbox. The key of the authority is deleted once the certificate is signed, so it can sign nothing else.
# Usage: deploy/dropbox/dropbox-cert.sh DIR   → DIR/ca.pem, DIR/cert.pem, DIR/key.pem
set -euo pipefail
DIR="${1:?usage: dropbox-cert.sh DIR}"
mkdir -p "$DIR"
cd "$DIR"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=syncbox local Dropbox CA" \
  -keyout ca-key.pem -out ca.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=api.dropboxapi.com" -keyout key.pem -out cert.csr 2>/dev/null
printf 'subjectAltName=DNS:api.dropboxapi.com,DNS:content.dropboxapi.com,DNS:notify.dropboxapi.com\nextendedKeyUsage=serverAuth\n' >ext.cnf
openssl x509 -req -in cert.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 825 -extfile ext.cnf \
  -out cert.pem 2>/dev/null
rm -f ca-key.pem cert.csr ext.cnf ca.srl
chmod 644 ca.pem cert.pem
echo "$DIR/ca.pem (trust this), $DIR/cert.pem and $DIR/key.pem (for dropbox-proxy.py)"
