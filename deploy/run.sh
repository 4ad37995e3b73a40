#!/usr/bin/env bash
# Installs what is missing, builds mmsim into build/, makes development
# certificates in build/certs (CA, server, admin, tenants alice and bob) if
# there are none, and starts mmsimd on 127.0.0.1:7070 serving the embedded
# default machine.  Arguments go to mmsimd (e.g. --listen 0.0.0.0:7070).
#
# In another shell, as tenant alice:
#   export MMSIM_CACERT=build/certs/ca.pem MMSIM_CERT=build/certs/alice.pem \
#          MMSIM_KEY=build/certs/alice-key.pem
#   build/client/mmsim cat /proc/buddyinfo
set -euo pipefail

cd "$(dirname "$0")/.."

bash deploy/deps.sh

# MMSIM_WERROR/MMSIM_SANITIZE are set explicitly because deploy/test.sh shares
# build/ and CMake caches options.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_WERROR=OFF -DMMSIM_SANITIZE=OFF
cmake --build build -j2

certs=build/certs
if [[ ! -f $certs/server.pem ]]; then
	bash deploy/gen-certs.sh "$certs" alice bob
fi

cat <<MSG
mmsimd starting on 127.0.0.1:7070.  In another shell:
  export MMSIM_CACERT=$PWD/$certs/ca.pem MMSIM_CERT=$PWD/$certs/alice.pem MMSIM_KEY=$PWD/$certs/alice-key.pem
  $PWD/build/client/mmsim ping
MSG
exec build/server/mmsimd --listen 127.0.0.1:7070 --tls-cert "$certs/server.pem" \
	--tls-key "$certs/server-key.pem" --tls-ca "$certs/ca.pem" "$@"
