#!/usr/bin/env bash
# Installs dependencies, builds mmsim into build/ and runs it.
#
# For now the main job is the engine's self-demonstration: it boots the
# default simulated machine and prints its /proc views. Arguments are passed
# to it. The daemon work will turn this into starting mmsimd.
set -euo pipefail

cd "$(dirname "$0")/.."

bash deploy/deps.sh

# MMSIM_WERROR/MMSIM_SANITIZE are set explicitly because deploy/test.sh shares
# build/ and CMake caches options.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_WERROR=OFF -DMMSIM_SANITIZE=OFF
cmake --build build -j2

if [[ ! -x build/server/mmsim-demo ]]; then
	echo "run.sh: build/server/mmsim-demo was not built (server/tools/mmsim_demo.c missing?)" >&2
	exit 1
fi

exec build/server/mmsim-demo "$@"
