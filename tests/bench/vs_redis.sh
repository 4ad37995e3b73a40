#!/usr/bin/env bash
# vs_redis.sh [BUILD_DIR] - mmsimd side by side with Redis over TLS.
#
# Both servers on core 0, the load generators on core 1, 50 connections,
# pipeline depths 1 and 16, runs interleaved (Redis, mmsim, Redis, ...)
# because this machine's speed swings between minutes.  For each server
# and depth it prints, one `NAME VALUE UNIT` line each: requests/s, server
# CPU microseconds per request (utime+stime from /proc/PID/stat), syscalls
# per request (strace -c on a separate shorter run), and mmsim's figures
# as ratios of Redis's.  redis-benchmark runs GET, mmsim-bench runs Ping:
# the cheapest request of each.
set -euo pipefail

cd "$(dirname "$0")/../.."
build=${1:-build}
runs=${RUNS:-3}
n=${REQUESTS:-100000}

need=()
for p in redis-server redis-tools strace; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if ((${#need[@]})); then
	sudo_=""
	[[ $(id -u) == 0 ]] || sudo_=sudo
	$sudo_ apt-get install -y "${need[@]}" >/dev/null
fi
[[ -x $build/tests/bench/mmsim-bench && -x $build/server/mmsimd ]] || {
	echo "vs_redis.sh: build first (deploy/test.sh or cmake --build $build)" >&2
	exit 2
}
certs=$build/certs
[[ -f $certs/server.pem ]] || bash deploy/gen-certs.sh "$certs" alice >/dev/null
[[ -f $certs/alice.pem ]] || bash deploy/gen-certs.sh "$certs" alice >/dev/null

rport=6390 mport=7390
taskset -c 0 redis-server --port 0 --tls-port $rport --tls-cert-file "$certs/server.pem" \
	--tls-key-file "$certs/server-key.pem" --tls-ca-cert-file "$certs/ca.pem" \
	--tls-auth-clients yes --save "" --appendonly no >/dev/null 2>&1 &
rpid=$!
taskset -c 0 "$build/server/mmsimd" --listen 127.0.0.1:$mport --tls-cert "$certs/server.pem" \
	--tls-key "$certs/server-key.pem" --tls-ca "$certs/ca.pem" --log-level error &
mpid=$!
trap 'kill $rpid $mpid 2>/dev/null; wait 2>/dev/null' EXIT
sleep 1

tls=(--tls --cert "$certs/alice.pem" --key "$certs/alice-key.pem" --cacert "$certs/ca.pem")
redis() { taskset -c 1 redis-benchmark -p $rport "${tls[@]}" -t get -c 50 -n "$1" -P "$2" -q; }
mmsim() {
	taskset -c 1 "$build/tests/bench/mmsim-bench" -e 127.0.0.1:$mport --cacert "$certs/ca.pem" \
		--cert "$certs/alice.pem" --key "$certs/alice-key.pem" -c 50 -n "$1" -P "$2" -t ping
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# one run: prints "RPS CPU_US_PER_REQ"
measure() {
	local who=$1 pid=$2 depth=$3 t0 t1 rps
	t0=$(ticks "$pid")
	if [[ $who == redis ]]; then
		rps=$(redis "$n" "$depth" | tr '\r' '\n' | awk '/requests per second/ {print $2}')
	else
		rps=$(mmsim "$n" "$depth" | awk '/requests_per_s/ {print $2}')
	fi
	t1=$(ticks "$pid")
	echo "$rps $(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.2f", d / hz * 1e6 / n}')"
}

syscalls() {
	local who=$1 pid=$2 depth=$3 out m=20000
	out=$(mktemp)
	timeout 60 strace -c -f -p "$pid" -o "$out" 2>/dev/null &
	local spid=$!
	sleep 0.5
	if [[ $who == redis ]]; then redis $m "$depth" >/dev/null; else mmsim $m "$depth" >/dev/null; fi
	sleep 0.3
	kill -INT $spid 2>/dev/null || true
	wait $spid 2>/dev/null || true
	awk -v n=$m '/total/ {printf "%.2f", $4 / n}' "$out"
	rm -f "$out"
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

for depth in 1 16; do
	r_rps=() r_cpu=() m_rps=() m_cpu=()
	for ((i = 0; i < runs; i++)); do
		read -r a b < <(measure redis $rpid $depth)
		r_rps+=("$a") r_cpu+=("$b")
		read -r a b < <(measure mmsim $mpid $depth)
		m_rps+=("$a") m_cpu+=("$b")
	done
	rr=$(printf '%s\n' "${r_rps[@]}" | median) rc=$(printf '%s\n' "${r_cpu[@]}" | median)
	mr=$(printf '%s\n' "${m_rps[@]}" | median) mc=$(printf '%s\n' "${m_cpu[@]}" | median)
	rs=$(syscalls redis $rpid $depth)
	ms=$(syscalls mmsim $mpid $depth)
	echo "redis_p${depth}_requests_per_s $rr req/s"
	echo "mmsim_p${depth}_requests_per_s $mr req/s"
	echo "redis_p${depth}_server_cpu_per_req $rc us"
	echo "mmsim_p${depth}_server_cpu_per_req $mc us"
	echo "redis_p${depth}_syscalls_per_req $rs count"
	echo "mmsim_p${depth}_syscalls_per_req $ms count"
	awk -v a="$mc" -v b="$rc" -v d=$depth 'BEGIN {printf "mmsim_vs_redis_p%d_cpu %.2f ratio\n", d, a / b}'
	awk -v a="$mr" -v b="$rr" -v d=$depth 'BEGIN {printf "mmsim_vs_redis_p%d_rps %.2f ratio\n", d, a / b}'
done
