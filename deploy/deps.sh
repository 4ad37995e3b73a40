#!/usr/bin/env bash
# Installs the Debian 12 packages mmsim needs to build, test and run.
# Idempotent: installs only what is missing and prints nothing when all
# packages are already present. Runs apt-get as root, or through sudo.
set -euo pipefail

packages=(
	build-essential
	cmake
	pkg-config
	libevent-dev
	libprotobuf-c-dev
	protobuf-c-compiler
	libssl-dev
	openssl
	libcmocka-dev
	libinih-dev libjansson-dev
	clang
	clang-format
)

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps.sh: dpkg-query not found; this script supports Debian 12 only" >&2
	exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	if [[ "$status" != "install ok installed" ]]; then
		missing+=("$pkg")
	fi
done

if ((${#missing[@]} == 0)); then
	exit 0
fi

if ((EUID == 0)); then
	as_root=()
elif command -v sudo >/dev/null 2>&1; then
	as_root=(sudo)
else
	echo "deps.sh: missing packages: ${missing[*]}" >&2
	echo "deps.sh: not root and sudo is not available; install them as root" >&2
	exit 1
fi

echo "deps.sh: installing ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
