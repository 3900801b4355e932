#!/usr/bin/env bash
# Where a proxy's CPU goes per request under wrk load on its pinned core: user and kernel µs (from /proc/PID/stat),
# context switches and system calls by kind (perf stat on the syscalls:sys_enter_* tracepoints). Starts the fake
# upstream of nginx-fake.conf on core 0 and the proxy on core 1, and stops both.
#
#   bash bench/load/syscalls.sh gatehouse [VAR=value ...]    # the native binary at GATEHOUSE_BIN
#   bash bench/load/syscalls.sh floor                        # bench/load/Floor published at FLOOR_DIR
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TARGET=${1:-gatehouse}; shift || true
BIN=${GATEHOUSE_BIN:-/tmp/gh-bench-bin/gatehouse}
FLOOR=${FLOOR_DIR:-/tmp/gatehouse-floor}/floor
SECONDS_MEASURED=${BENCH_SECONDS:-4}
WORK=$(mktemp -d /tmp/gatehouse-syscalls.XXXXXX)
started=()
cleanup() { for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
command -v perf >/dev/null 2>&1 || { echo "perf is missing (apt-get install linux-perf)" >&2; exit 1; }

mkdir -p "$WORK/fake/tmp" "$WORK/proxy"
taskset -c 0 nginx -p "$WORK/fake/" -c "$HERE/nginx-fake.conf" -e stderr >"$WORK/fake.log" 2>&1 &
started+=($!)
if [ "$TARGET" = floor ]; then
  env DOTNET_PROCESSOR_COUNT=1 "$@" taskset -c 1 "$FLOOR" 18140 18101 18102 >"$WORK/proxy.log" 2>&1 &
  url=http://127.0.0.1:18140/json/v1/chat/completions; model=gpt-4o-mini; ready=http://127.0.0.1:18140/
else
  (cd "$WORK/proxy" && exec env GATEHOUSE_BENCH_DIR="$WORK/proxy" DOTNET_PROCESSOR_COUNT=1 "$@" taskset -c 1 "$BIN" serve --config "$HERE/gatehouse.yaml" >"$WORK/proxy.log" 2>&1) &
  url=http://127.0.0.1:18120/v1/chat/completions; model=bench/gpt-4o-mini; ready=http://127.0.0.1:18120/readyz
fi
started+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "$ready" && break; sleep 0.1; done
pid=$(pgrep -f "$([ "$TARGET" = floor ] && echo "$FLOOR 18140" || echo "$BIN serve")" | head -n1)
echo "{\"model\":\"$model\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":16}" >"$WORK/body.json"
wrk_run() { BENCH_BODY_FILE="$WORK/body.json" taskset -c 0 wrk -t1 -c64 -d"$1"s -s "$HERE/post.lua" "$url"; }

wrk_run 3 >/dev/null 2>&1   # warm-up
ticks() { sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12, $13 }'; }
rps_of() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
hz=$(getconf CLK_TCK)

# CPU split without perf attached (the syscall tracepoints slow every call down).
wrk_run $((SECONDS_MEASURED + 2)) >"$WORK/wrk-cpu.txt" 2>&1 &
load=$!
sleep 1
read -r u0 s0 < <(ticks)
sleep "$SECONDS_MEASURED"
read -r u1 s1 < <(ticks)
wait "$load"
awk -v r="$(rps_of "$WORK/wrk-cpu.txt")" -v t="$SECONDS_MEASURED" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v hz="$hz" -v target="$TARGET" 'BEGIN {
  n = r * t; printf "target=%s req/s=%s user_us_per_request=%.0f kernel_us_per_request=%.0f\n", target, r, u / hz * 1e6 / n, s / hz * 1e6 / n }'

# Counts per request with perf attached.
wrk_run $((SECONDS_MEASURED + 2)) >"$WORK/wrk-perf.txt" 2>&1 &
load=$!
sleep 1
perf stat -e 'context-switches,syscalls:sys_enter_*' -p "$pid" -- sleep "$SECONDS_MEASURED" 2>"$WORK/perf.txt" >/dev/null
wait "$load"
n=$(awk -v r="$(rps_of "$WORK/wrk-perf.txt")" -v t="$SECONDS_MEASURED" 'BEGIN { print r * t }')
awk -v n="$n" '$1 ~ /^[0-9,]+$/ { gsub(",", "", $1); if ($1 > 0) printf "%8.2f per request  %s\n", $1 / n, $2 }' "$WORK/perf.txt" | sort -rn | head -12
