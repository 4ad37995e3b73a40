#!/usr/bin/env bash
# Builds mmsim and runs every test, the way CI does:
#   1. build/       RelWithDebInfo, warnings are errors, ctest
#   2. build-asan/  Debug with ASan + UBSan, warnings are errors, ctest
#                   (skipped when MMSIM_SKIP_ASAN=1, for quick local runs)
#   3. clang-format check of the C sources
# Exits non-zero on the first failure.
set -euo pipefail

cd "$(dirname "$0")/.."

section() {
	printf '\n==== %s ====\n' "$*"
}

ctest_args=(--output-on-failure --no-tests=error -j2)

section "dependencies"
bash deploy/deps.sh

section "build (RelWithDebInfo): build/"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_WERROR=ON -DMMSIM_SANITIZE=OFF
cmake --build build -j2

section "tests (RelWithDebInfo)"
ctest --test-dir build "${ctest_args[@]}"

if [[ "${MMSIM_SKIP_ASAN:-0}" == 1 ]]; then
	section "sanitizer build skipped (MMSIM_SKIP_ASAN=1)"
else
	section "build (Debug, ASan + UBSan): build-asan/"
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMMSIM_SANITIZE=ON -DMMSIM_WERROR=ON
	cmake --build build-asan -j2

	section "tests (ASan + UBSan)"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir build-asan "${ctest_args[@]}"
fi

section "format (clang-format)"
dirs=(server common client tests)
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Tracked and new (untracked, not ignored) files.
	mapfile -t candidates < <(git ls-files --cached --others --exclude-standard -- "${dirs[@]}")
else
	mapfile -t candidates < <(find "${dirs[@]}" -type f 2>/dev/null)
fi
files=()
for f in "${candidates[@]}"; do
	case "$f" in
	*.pb-c.c | *.pb-c.h) continue ;;
	*.c | *.h) [[ -f "$f" ]] && files+=("$f") ;;
	esac
done
if ((${#files[@]} == 0)); then
	echo "no C sources to check"
else
	clang-format --dry-run -Werror "${files[@]}"
	echo "${#files[@]} files formatted correctly"
fi

section "all checks passed"
