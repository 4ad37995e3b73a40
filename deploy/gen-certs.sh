#!/usr/bin/env bash
# gen-certs.sh DIR [TENANT...]
#
# Makes development certificates for mmsimd in DIR: a CA (ca.pem,
# ca-key.pem), a server certificate for localhost and 127.0.0.1 (server.pem,
# server-key.pem), an administrator (admin.pem, admin-key.pem: CN=admin,
# O=admin) and one client certificate per TENANT (TENANT.pem,
# TENANT-key.pem: CN=TENANT).  ECDSA P-256 keys: handshakes cost about a
# tenth of RSA-2048's.  Existing files are kept, so rerunning adds tenants.
set -euo pipefail

if (($# < 1)); then
	echo "usage: $0 DIR [TENANT...]" >&2
	exit 2
fi
dir=$1
shift
mkdir -p "$dir"
cd "$dir"
umask 077

key() { [[ -f $1 ]] || openssl ecparam -genkey -name prime256v1 -noout -out "$1"; }

# sign NAME SUBJECT EXTENSIONS: NAME.pem from NAME-key.pem, signed by the CA
sign() {
	local name=$1 subj=$2 ext=$3
	[[ -f $name.pem ]] && return 0
	key "$name-key.pem"
	openssl req -new -key "$name-key.pem" -subj "$subj" -out "$name.csr" 2>/dev/null
	printf '%s\n' "$ext" >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
		-days 825 -sha256 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
	rm -f "$name.csr" "$name.ext"
}

if [[ ! -f ca.pem ]]; then
	key ca-key.pem
	openssl req -x509 -new -key ca-key.pem -sha256 -days 3650 -subj "/CN=mmsim development CA" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		-out ca.pem
fi
client_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
sign server "/CN=localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
sign admin "/O=admin/CN=admin" "$client_ext"
for tenant in "$@"; do
	if [[ ! $tenant =~ ^[A-Za-z0-9_.-]{1,64}$ ]]; then
		echo "$0: tenant names are 1..64 of [A-Za-z0-9_.-]: $tenant" >&2
		exit 2
	fi
	sign "$tenant" "/CN=$tenant" "$client_ext"
done
chmod 644 ./*.pem
chmod 600 ./*-key.pem
echo "certificates in $(pwd): ca.pem server.pem admin.pem${*:+ $*}"
