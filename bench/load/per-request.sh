#!/usr/bin/env bash
# Per-request cost of the native binary under wrk load on its pinned core: CPU µs, managed bytes allocated and gen0
# collections and context switches (all threads) per request (from /metrics' process_cpu and dotnet_gc_* series), and RSS / peak RSS after the run.
# Starts the fake upstream of nginx-fake.conf on core 0 if it is not running, and stops what it started.
#
#   bash bench/load/per-request.sh [json|sse] [VAR=value ...]      # e.g. DOTNET_GCGen0MaxBudget=10000000
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
MODE=${1:-json}; shift || true
BIN=${GATEHOUSE_BIN:-/tmp/gh-bench-bin/gatehouse}
SECONDS_MEASURED=${BENCH_SECONDS:-8}
WORK=$(mktemp -d /tmp/gatehouse-per-request.XXXXXX)
started=()
cleanup() { for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

if ! curl -s -o /dev/null http://127.0.0.1:18101/; then
  mkdir -p "$WORK/fake/tmp"
  taskset -c 0 nginx -p "$WORK/fake/" -c "$HERE/nginx-fake.conf" -e stderr >"$WORK/fake.log" 2>&1 &
  started+=($!)
fi
mkdir -p "$WORK/gh"
(cd "$WORK/gh" && exec env GATEHOUSE_BENCH_DIR="$WORK/gh" DOTNET_PROCESSOR_COUNT=1 "$@" taskset -c 1 "$BIN" serve --config "$HERE/gatehouse.yaml" >"$WORK/gh.log" 2>&1) &
started+=($!)
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18120/readyz && break; sleep 0.1; done

model=bench/gpt-4o-mini; stream=""
[ "$MODE" = sse ] && { model=benchstream/gpt-4o-mini; stream=',"stream":true'; }
echo "{\"model\":\"$model\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":16$stream}" >"$WORK/body.json"
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { n += $2 } END { print n + 0 }'; }
metric() { curl -s http://127.0.0.1:18120/metrics | awk -v n="$1" '$1 == n { print $2 }'; }
wrk_run() { BENCH_BODY_FILE="$WORK/body.json" taskset -c 0 wrk -t1 -c64 -d"$1"s -s "$HERE/post.lua" http://127.0.0.1:18120/v1/chat/completions; }

wrk_run 3 >/dev/null 2>&1   # warm-up
pid=$(pgrep -f "$BIN serve" | head -n1)
s0=$(switches "$pid")
a0=$(metric dotnet_gc_allocated_bytes_total); g0=$(metric 'dotnet_gc_collections_total{generation="0"}'); c0=$(metric process_cpu_seconds_total); p0=$(metric dotnet_gc_pause_seconds_total)
out=$(wrk_run "$SECONDS_MEASURED" 2>&1)
a1=$(metric dotnet_gc_allocated_bytes_total); g1=$(metric 'dotnet_gc_collections_total{generation="0"}'); c1=$(metric process_cpu_seconds_total); p1=$(metric dotnet_gc_pause_seconds_total)
s1=$(switches "$pid")
n=$(awk '/requests in/ { print $1 }' <<<"$out")
awk -v mode="$MODE" -v env="$*" -v n="$n" -v rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")" \
  -v dropped="$(metric gatehouse_request_log_dropped_total)" -v a="$((a1 - a0))" -v s="$((s1 - s0))" -v threads="$(ls /proc/"$pid"/task | wc -l)" -v g="$((g1 - g0))" -v c0="$c0" -v c1="$c1" -v p0="$p0" -v p1="$p1" \
  -v rss="$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")" -v hwm="$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")" \
  'BEGIN { printf "mode=%s env=[%s] requests=%d req/s=%s cpu_us_per_request=%.0f alloc_bytes_per_request=%.0f gen0_collections=%d gc_pause_ms_per_collection=%.2f context_switches_per_request=%.2f threads=%d rss_mb=%.1f peak_rss_mb=%.1f request_log_dropped=%d\n",
           mode, env, n, rps, (c1 - c0) * 1e6 / n, a / n, g, (g > 0 ? (p1 - p0) * 1000 / g : 0), s / n, threads, rss * 1024 / 1e6, hwm * 1024 / 1e6, dropped }'
