#!/usr/bin/env bash
# Start-up time and memory of the native (AOT) binary against the JIT build of the same commit.
# Start-up = from exec to the first 200 from /healthz; RSS = after start, and after 200 mock requests.
# Usage: bash bench/startup/run.sh   (publishes both builds into /tmp unless AOT_BIN / JIT_DIR exist)
set -euo pipefail
cd "$(dirname "$0")/../.."

aot_bin=${AOT_BIN:-/tmp/gh-startup-aot/gatehouse}
jit_dir=${JIT_DIR:-/tmp/gh-startup-jit}
runs=${STARTUP_RUNS:-10}
[ -x "$aot_bin" ] || dotnet publish src/Gatehouse -c Release -o "$(dirname "$aot_bin")" -nologo -clp:ErrorsOnly
[ -f "$jit_dir/gatehouse.dll" ] || dotnet publish src/Gatehouse -c Release -p:PublishAot=false --self-contained -o "$jit_dir" -nologo -clp:ErrorsOnly

measure() { # name, command...
  local name=$1; shift
  local total=0 best=999999 rss_idle=0 rss_load=0
  for i in $(seq 1 "$runs"); do
    local work; work=$(mktemp -d)
    local port=$((21000 + RANDOM % 20000))
    local start; start=$(date +%s%N)
    (cd "$work" && exec "$@" serve --listen "127.0.0.1:$port" > "$work/log" 2>&1) &
    local pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do sleep 0.002; done
    local ms=$(( ($(date +%s%N) - start) / 1000000 ))
    total=$((total + ms)); [ "$ms" -lt "$best" ] && best=$ms
    if [ "$i" -eq "$runs" ]; then
      sleep 1
      rss_idle=$(ps -o rss= -p "$pid")
      for _ in $(seq 1 200); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/v1/chat/completions" -H 'content-type: application/json' \
          -d '{"model":"mock/gatehouse-mock-1","messages":[{"role":"user","content":"hi"}]}'
      done
      sleep 1
      rss_load=$(ps -o rss= -p "$pid")
    fi
    kill -TERM "$pid"; wait "$pid" || true
    rm -rf "$work"
  done
  printf '| %s | %d | %d | %.1f | %.1f |\n' "$name" "$((total / runs))" "$best" "$(echo "$rss_idle / 1024" | bc -l)" "$(echo "$rss_load / 1024" | bc -l)"
}

echo "# Start-up and memory, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores"
echo
echo "| build | start-up mean (ms, $runs runs) | best (ms) | RSS idle (MiB) | RSS after 200 requests (MiB) |"
echo "| --- | ---: | ---: | ---: | ---: |"
measure "native AOT ($(du -h "$aot_bin" | cut -f1) binary)" "$aot_bin"
measure "JIT, self-contained ($(du -sh "$jit_dir" | cut -f1) folder)" "$jit_dir/gatehouse"
