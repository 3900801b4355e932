#!/usr/bin/env bash
# Load benchmark: Gatehouse's added latency at a fixed rate, its throughput on one pinned core and its memory,
# against a fixed-answer nginx upstream, next to nginx proxy_pass and the Portkey gateway in front of the same
# upstream. Everything runs on 127.0.0.1, every run is bounded, and every process started here is stopped on exit.
# See bench/load/README.md for what is measured and how to read it.
#
#   bash bench/load/run.sh                                  # about 8 minutes with the defaults
#   BENCH_SECONDS=5 BENCH_WARMUP_SECONDS=2 bash bench/load/run.sh   # a quick check that everything works
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

# ---- settings (all overridable from the environment) -------------------------------------------------------
BENCH_SECONDS=${BENCH_SECONDS:-20}                  # measured seconds per latency run and per throughput run
BENCH_WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-5}     # warm-up seconds before each of them, same load, not recorded
BENCH_RATE=${BENCH_RATE:-2000}                      # requests/s of the fixed-rate latency runs
BENCH_WRK_THREADS=${BENCH_WRK_THREADS:-1}
BENCH_WRK_CONNECTIONS=${BENCH_WRK_CONNECTIONS:-64}
BENCH_TARGETS=${BENCH_TARGETS:-direct nginx floor gatehouse portkey}
BENCH_PROXY_CORE=${BENCH_PROXY_CORE:-1}             # the proxy under test runs here
BENCH_LOAD_CORE=${BENCH_LOAD_CORE:-0}               # the load generators and the fake upstream run here
BENCH_GATEHOUSE_ENV=${BENCH_GATEHOUSE_ENV:-}        # extra VAR=value pairs for Gatehouse, e.g. "DOTNET_gcServer=0"
BENCH_INLINE_IO=${BENCH_INLINE_IO:-false}           # true: Gatehouse's server.inline_io on, and the same socket setting for the floor
BENCH_PUBLISH=${BENCH_PUBLISH:-auto}                # auto: publish if GATEHOUSE_BIN is missing or older than src/; 1: always; 0: never
BENCH_MAX_LAG_US=${BENCH_MAX_LAG_US:-500}           # a latency run whose client send lag p99 is above this is not judged
BENCH_KEEP_TMP=${BENCH_KEEP_TMP:-0}                 # 1: keep the temp dir (logs, request log db) after the run
GATEHOUSE_BIN=${GATEHOUSE_BIN:-/tmp/gh-bench-bin/gatehouse}
RATECLIENT_DIR=${RATECLIENT_DIR:-/tmp/rateclient}
FLOOR_DIR=${FLOOR_DIR:-/tmp/gatehouse-floor}             # where the Floor forwarder (bench/load/Floor) is published
BENCH_RESULTS_FILE=${BENCH_RESULTS_FILE:-$HERE/results/$(date -u +%Y-%m-%d).md}

# Fixed ports; nginx-fake.conf, nginx-proxy.conf and gatehouse.yaml name the same ones.
FAKE_JSON_PORT=18101
FAKE_SSE_PORT=18102
NGINX_JSON_PORT=18111
NGINX_SSE_PORT=18112
GATEHOUSE_PORT=18120
PORTKEY_PORT=18130
FLOOR_PORT=18140
MODES="json sse"

RATECLIENT="$RATECLIENT_DIR/RateClient"
RUN_LIMIT=$((BENCH_SECONDS + BENCH_WARMUP_SECONDS + 60))   # hard bound on any single load run, in seconds

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- 1. install what is missing ------------------------------------------------------------------------------
apt_install() {
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

missing=()
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
command -v taskset >/dev/null 2>&1 || die "taskset (util-linux) is missing"
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is needed to build RateClient and Gatehouse"

PORTKEY_DIR="$HERE/portkey"
if ! cmp -s "$PORTKEY_DIR/package-lock.json" "$PORTKEY_DIR/node_modules/.bench-installed-lock.json"; then
  log "npm ci in bench/load/portkey"
  (cd "$PORTKEY_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2 &&
    cp package-lock.json node_modules/.bench-installed-lock.json)
fi

if [ ! -x "$RATECLIENT" ] ||
  [ -n "$(find "$HERE/RateClient" \( -name '*.cs' -o -name '*.csproj' \) -not -path '*/obj/*' -newer "$RATECLIENT" -print -quit)" ]; then
  log "building RateClient into $RATECLIENT_DIR"
  dotnet build "$HERE/RateClient" -c Release -o "$RATECLIENT_DIR" -nologo -clp:ErrorsOnly >&2
fi

if [[ " $BENCH_TARGETS " == *" floor "* ]] && { [ ! -x "$FLOOR_DIR/floor" ] ||
  [ -n "$(find "$HERE/Floor" \( -name '*.cs' -o -name '*.csproj' \) -not -path '*/obj/*' -newer "$FLOOR_DIR/floor" -print -quit)" ]; }; then
  log "publishing the Floor forwarder into $FLOOR_DIR"
  dotnet publish "$HERE/Floor" -c Release -o "$FLOOR_DIR" -nologo -clp:ErrorsOnly >&2
fi

newer_source() { # the first file under src/ newer than the binary, if any
  find "$REPO/src" \( -name bin -o -name obj \) -prune -o -type f -newer "$GATEHOUSE_BIN" -print -quit 2>/dev/null
}
if [ "$BENCH_PUBLISH" = 1 ] || [ ! -x "$GATEHOUSE_BIN" ] || { [ "$BENCH_PUBLISH" = auto ] && [ -n "$(newer_source)" ]; }; then
  log "publishing Gatehouse into $(dirname "$GATEHOUSE_BIN")"
  dotnet publish "$REPO/src/Gatehouse" -c Release -o "$(dirname "$GATEHOUSE_BIN")" -nologo -clp:ErrorsOnly >&2
fi
[ -x "$GATEHOUSE_BIN" ] || die "no Gatehouse binary at $GATEHOUSE_BIN"
GATEHOUSE_STALE=$(newer_source)
gatehouse_commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)   # at the start of the run
git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || gatehouse_commit="$gatehouse_commit (src/ has uncommitted changes)"

# ---- process bookkeeping -------------------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
PIDS=()

stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ "$status" -ne 0 ] || [ "$BENCH_KEEP_TMP" = 1 ]; then
    log "logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

forget_pid() {
  local keep=() pid
  for pid in "${PIDS[@]}"; do [ "$pid" = "$1" ] || keep+=("$pid"); done
  PIDS=("${keep[@]}")
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_http() {
  local url=$1 i
  for i in $(seq 1 150); do
    curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

for port in $FAKE_JSON_PORT $FAKE_SSE_PORT $NGINX_JSON_PORT $NGINX_SSE_PORT $GATEHOUSE_PORT $PORTKEY_PORT $FLOOR_PORT; do
  port_busy "$port" && die "127.0.0.1:$port is already in use (a leftover run?); the benchmark needs ports 18101-18130"
done
ulimit -n 65536 2>/dev/null || true

COMMANDS=()   # every command that produced a number, for the results file
record() { # a command as arguments; quoted so that it can be pasted back
  local line
  line=$(printf '%q ' "$@")
  COMMANDS+=("${line% }")
}
record_line() { COMMANDS+=("$1"); } # a command already written as one shell line

# ---- 2. the fake upstream (core BENCH_LOAD_CORE) --------------------------------------------------------------
start_nginx() { # name conf core
  local dir="$WORK/$1"
  mkdir -p "$dir/tmp"
  record taskset -c "$3" nginx -p "$dir/" -c "$2" -e stderr
  taskset -c "$3" nginx -p "$dir/" -c "$2" -e stderr >"$dir.log" 2>&1 &
  PIDS+=($!)
  LAST_PID=$!
}

start_nginx fake "$HERE/nginx-fake.conf" "$BENCH_LOAD_CORE"
FAKE_PID=$LAST_PID
wait_http "http://127.0.0.1:$FAKE_JSON_PORT/" && wait_http "http://127.0.0.1:$FAKE_SSE_PORT/" ||
  die "the fake upstream did not start: $(cat "$WORK/fake.log")"
log "fake upstream up (pid $FAKE_PID, core $BENCH_LOAD_CORE)"

# ---- the proxies under test (core BENCH_PROXY_CORE), one at a time -----------------------------------------------
GATEHOUSE_CORE_MASK=$(printf '0x%x' $((1 << BENCH_PROXY_CORE)))
GATEHOUSE_ENV_LINE="DOTNET_PROCESSOR_COUNT=1 DOTNET_GCHeapAffinitizeMask=$GATEHOUSE_CORE_MASK${BENCH_GATEHOUSE_ENV:+ $BENCH_GATEHOUSE_ENV}"
FLOOR_ENV_LINE=$GATEHOUSE_ENV_LINE
GATEHOUSE_ENV_LINE="BENCH_INLINE_IO=$BENCH_INLINE_IO $GATEHOUSE_ENV_LINE"   # read by gatehouse.yaml's server.inline_io
if [ "$BENCH_INLINE_IO" = true ]; then FLOOR_ENV_LINE="DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 $FLOOR_ENV_LINE"; fi

start_target() { # sets TARGET_PID (0 for direct)
  TARGET_PID=0
  case $1 in
    direct) return 0 ;;
    nginx)
      start_nginx proxy "$HERE/nginx-proxy.conf" "$BENCH_PROXY_CORE"
      TARGET_PID=$LAST_PID
      wait_http "http://127.0.0.1:$NGINX_JSON_PORT/" ;;
    gatehouse | gatehouse-group)
      mkdir -p "$WORK/gatehouse"
      local cmd="env GATEHOUSE_BENCH_DIR=$WORK/gatehouse $GATEHOUSE_ENV_LINE taskset -c $BENCH_PROXY_CORE $GATEHOUSE_BIN serve --config $HERE/gatehouse.yaml"
      record_line "$cmd"
      # shellcheck disable=SC2086 # the env pairs are meant to split
      (cd "$WORK/gatehouse" && exec $cmd >"$WORK/gatehouse.log" 2>&1) &
      PIDS+=($!)
      TARGET_PID=$!
      wait_http "http://127.0.0.1:$GATEHOUSE_PORT/readyz" ;;
    floor)
      local cmd="env $FLOOR_ENV_LINE taskset -c $BENCH_PROXY_CORE $FLOOR_DIR/floor $FLOOR_PORT $FAKE_JSON_PORT $FAKE_SSE_PORT"
      record_line "$cmd"
      # shellcheck disable=SC2086
      (exec $cmd >"$WORK/floor.log" 2>&1) &
      PIDS+=($!)
      TARGET_PID=$!
      wait_http "http://127.0.0.1:$FLOOR_PORT/" ;;
    portkey)
      local cmd="env NODE_ENV=production taskset -c $BENCH_PROXY_CORE node --require ./loopback-only.cjs node_modules/@portkey-ai/gateway/build/start-server.js --port=$PORTKEY_PORT --headless"
      record_line "(cd bench/load/portkey && $cmd)"
      # shellcheck disable=SC2086
      (cd "$PORTKEY_DIR" && exec $cmd >"$WORK/portkey.log" 2>&1) &
      PIDS+=($!)
      TARGET_PID=$!
      wait_http "http://127.0.0.1:$PORTKEY_PORT/" ;;
    *) die "unknown target $1" ;;
  esac
}

# Per target and mode: URL, model, extra headers (one per line).
target_url() {
  local mode=$2
  case $1 in
    direct) [ "$mode" = json ] && echo "http://127.0.0.1:$FAKE_JSON_PORT/v1/chat/completions" || echo "http://127.0.0.1:$FAKE_SSE_PORT/v1/chat/completions" ;;
    nginx) [ "$mode" = json ] && echo "http://127.0.0.1:$NGINX_JSON_PORT/v1/chat/completions" || echo "http://127.0.0.1:$NGINX_SSE_PORT/v1/chat/completions" ;;
    gatehouse | gatehouse-group) echo "http://127.0.0.1:$GATEHOUSE_PORT/v1/chat/completions" ;;
    portkey) echo "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions" ;;
    floor) echo "http://127.0.0.1:$FLOOR_PORT/$mode/v1/chat/completions" ;;
  esac
}
target_model() {
  case $1 in
    gatehouse) [ "$2" = json ] && echo bench/gpt-4o-mini || echo benchstream/gpt-4o-mini ;;
    gatehouse-group) [ "$2" = json ] && echo three || echo threestream ;;
    *) echo gpt-4o-mini ;;
  esac
}
target_headers() {
  echo "Authorization: Bearer sk-bench"
  if [ "$1" = portkey ]; then
    echo "x-portkey-provider: openai"
    [ "$2" = json ] && echo "x-portkey-custom-host: http://127.0.0.1:$FAKE_JSON_PORT/v1" ||
      echo "x-portkey-custom-host: http://127.0.0.1:$FAKE_SSE_PORT/v1"
  fi
}
mode_expect() { [ "$1" = json ] && echo '"usage"' || echo '[DONE]'; }
mode_label() { [ "$1" = json ] && echo non-streamed || echo streamed; }

request_body() { # model mode -> the request body on stdout
  local extra=''
  [ "$2" = sse ] && extra=',"stream":true,"stream_options":{"include_usage":true}'
  printf '{"model":"%s","messages":[{"role":"system","content":"You are a concise assistant."},{"role":"user","content":"In one sentence, what does an AI gateway do?"}],"max_tokens":64,"temperature":0.2%s}' \
    "$1" "$extra"
}

declare -A R   # results: R[target.mode.key]=value, R[target.key]=value

kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

verify() { # target mode body -> 0 when one request answers 200 with the expected text
  local url headers=() line out
  url=$(target_url "$1" "$2")
  while IFS= read -r line; do headers+=(-H "$line"); done < <(target_headers "$1" "$2")
  out=$(curl -sS --max-time 10 -w '\n%{http_code}' "${headers[@]}" -H 'Content-Type: application/json' \
    --data-binary "@$3" "$url" 2>&1) || true
  if [ "${out##*$'\n'}" = 200 ] && grep -qF -- "$(mode_expect "$2")" <<<"$out"; then
    return 0
  fi
  log "$1 $(mode_label "$2"): check request failed: $(head -c 400 <<<"$out")"
  return 1
}

run_latency() { # target mode body
  local url args=() line out
  url=$(target_url "$1" "$2")
  while IFS= read -r line; do args+=(--header "$line"); done < <(target_headers "$1" "$2")
  local cmd=(taskset -c "$BENCH_LOAD_CORE" "$RATECLIENT" --url "$url" --body-file "$3" --rate "$BENCH_RATE"
    --duration "$BENCH_SECONDS" --warmup "$BENCH_WARMUP_SECONDS" --expect "$(mode_expect "$2")" "${args[@]}")
  record "${cmd[@]}"
  log "$1 $(mode_label "$2"): latency at $BENCH_RATE req/s (${BENCH_WARMUP_SECONDS}s warm-up + ${BENCH_SECONDS}s)"
  out=$(timeout "$RUN_LIMIT" "${cmd[@]}" 2>"$WORK/rate-$1-$2.err") || log "RateClient exited with $? ($(cat "$WORK/rate-$1-$2.err"))"
  [ -s "$WORK/rate-$1-$2.err" ] && log "RateClient: $(cat "$WORK/rate-$1-$2.err")"
  log "  $out"
  local key
  for key in p50_us p90_us p99_us p999_us max_us sent ok failed warmup_failed sent_rps lag_p99_us ttfb_p50_us ttfb_p99_us; do
    R[$1.$2.$key]=$(kv "$key" "$out")
  done
}

proc_ticks() { # sum of user+system clock ticks of a process and its children
  local total=0 p t
  for p in "$1" $(pgrep -P "$1" || true); do
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}
core_ticks() { # "busy total" ticks of one core from /proc/stat
  awk -v c="cpu$1" '$1 == c { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}

run_throughput() { # target mode body
  local url args=() line out
  url=$(target_url "$1" "$2")
  while IFS= read -r line; do args+=(-H "$line"); done < <(target_headers "$1" "$2")
  local base=(taskset -c "$BENCH_LOAD_CORE" wrk -t"$BENCH_WRK_THREADS" -c"$BENCH_WRK_CONNECTIONS" --timeout 10s
    -s "$HERE/post.lua" "${args[@]}")
  log "$1 $(mode_label "$2"): throughput with wrk (${BENCH_WARMUP_SECONDS}s warm-up + ${BENCH_SECONDS}s)"
  BENCH_BODY_FILE="$3" timeout "$RUN_LIMIT" "${base[@]}" -d"${BENCH_WARMUP_SECONDS}s" "$url" >/dev/null 2>&1 || true
  record env BENCH_BODY_FILE="$3" "${base[@]}" -d"${BENCH_SECONDS}s" "$url"
  local clk pid0=0 pid1=0 p0a p0t p1a p1t
  clk=$(getconf CLK_TCK)
  [ "$TARGET_PID" != 0 ] && pid0=$(proc_ticks "$TARGET_PID")
  read -r p0a p0t < <(core_ticks "$BENCH_LOAD_CORE")
  read -r p1a p1t < <(core_ticks "$BENCH_PROXY_CORE")
  out=$(BENCH_BODY_FILE="$3" timeout "$RUN_LIMIT" "${base[@]}" -d"${BENCH_SECONDS}s" "$url" 2>&1) || true
  local p0b p0u p1b p1u
  read -r p0b p0u < <(core_ticks "$BENCH_LOAD_CORE")
  read -r p1b p1u < <(core_ticks "$BENCH_PROXY_CORE")
  [ "$TARGET_PID" != 0 ] && pid1=$(proc_ticks "$TARGET_PID")
  R[$1.$2.rps]=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  R[$1.$2.non2xx]=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
  R[$1.$2.sockerr]=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' <<<"$out")
  R[$1.$2.requests]=$(awk '/requests in/ { print $1 }' <<<"$out")
  R[$1.$2.core0]=$(awk -v b="$((p0b - p0a))" -v t="$((p0u - p0t))" 'BEGIN { if (t > 0) printf "%.0f", 100 * b / t }')
  R[$1.$2.core1]=$(awk -v b="$((p1b - p1a))" -v t="$((p1u - p1t))" 'BEGIN { if (t > 0) printf "%.0f", 100 * b / t }')
  if [ "$TARGET_PID" != 0 ]; then
    R[$1.$2.cpu]=$(awk -v d="$((pid1 - pid0))" -v hz="$clk" -v s="$BENCH_SECONDS" 'BEGIN { printf "%.0f", 100 * d / hz / s }')
  fi
  log "  ${R[$1.$2.rps]:-?} req/s; proxy CPU ${R[$1.$2.cpu]:-n/a}%; core busy ${R[$1.$2.core0]}% / ${R[$1.$2.core1]}%"
  [ -n "${R[$1.$2.rps]}" ] || log "wrk output: $out"
}

rss_mb() { # RSS of a process and its children, in MB (10^6 bytes)
  local total=0 p k
  for p in "$1" $(pgrep -P "$1" || true); do
    k=$(ps -o rss= -p "$p" 2>/dev/null | tr -d ' ')
    total=$((total + ${k:-0}))
  done
  awk -v k="$total" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'
}
status_mb() { # /proc/PID/status field (VmHWM, RssAnon, ...) of a process and its children, in MB
  local total=0 p k
  for p in "$2" $(pgrep -P "$2" || true); do
    k=$(awk -v f="$1:" '$1 == f { print $2 }' "/proc/$p/status" 2>/dev/null)
    total=$((total + ${k:-0}))
  done
  awk -v k="$total" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'
}

# ---- 3-5. measure each target ---------------------------------------------------------------------------------
STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
for target in $BENCH_TARGETS; do
  log "=== $target"
  if ! start_target "$target"; then
    log "$target did not start; see $WORK/$target.log"
    R[$target.status]="did not start"
    [ "$TARGET_PID" != 0 ] && { stop_pid "$TARGET_PID"; forget_pid "$TARGET_PID"; }
    continue
  fi
  ok_modes=""
  for mode in $MODES; do
    body="$WORK/body-$target-$mode.json"
    request_body "$(target_model "$target" "$mode")" "$mode" >"$body"
    if verify "$target" "$mode" "$body"; then ok_modes="$ok_modes $mode"; else R[$target.$mode.status]="check request failed"; fi
  done
  [ "$TARGET_PID" != 0 ] && R[$target.rss_idle]=$(rss_mb "$TARGET_PID")
  for mode in $ok_modes; do run_latency "$target" "$mode" "$WORK/body-$target-$mode.json"; done
  [ "$TARGET_PID" != 0 ] && R[$target.rss_warm]=$(rss_mb "$TARGET_PID")
  for mode in $ok_modes; do run_throughput "$target" "$mode" "$WORK/body-$target-$mode.json"; done
  if [ "$TARGET_PID" != 0 ]; then
    R[$target.rss_load]=$(rss_mb "$TARGET_PID")
    R[$target.rss_anon]=$(status_mb RssAnon "$TARGET_PID")
    R[$target.rss_peak]=$(status_mb VmHWM "$TARGET_PID")
    log "  RSS MB: idle ${R[$target.rss_idle]}, warm ${R[$target.rss_warm]}, after throughput ${R[$target.rss_load]} (anonymous ${R[$target.rss_anon]}), peak ${R[$target.rss_peak]}"
    stop_pid "$TARGET_PID"
    forget_pid "$TARGET_PID"
  fi
done

# ---- 6. report ------------------------------------------------------------------------------------------------
label() { case $1 in direct) echo "direct to fake" ;; nginx) echo "nginx proxy_pass" ;; gatehouse) echo Gatehouse ;; gatehouse-group) echo "Gatehouse, 3-target group" ;; portkey) echo "Portkey 1.15.2" ;; floor) echo "floor: Kestrel + SocketsHttpHandler only" ;; esac; }
num() { [ -n "${1:-}" ] && [ "$1" != NaN ] && echo "$1" || echo "—"; }
diff_us() { # proxy direct -> proxy - direct, 1 decimal
  [ -n "${1:-}" ] && [ -n "${2:-}" ] && [ "$1" != NaN ] && [ "$2" != NaN ] &&
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }' || echo "—"
}
ratio_pct() { # value reference -> percentage
  [ -n "${1:-}" ] && [ -n "${2:-}" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f", 100 * a / b; else print "—" }' || echo "—"
}
verdict() { # value op limit -> yes/no/—
  [ -n "${1:-}" ] && [ "$1" != "—" ] || { echo "—"; return; }
  awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == "<") ? (v < l) : (v >= l); print ok ? "yes" : "**no**" }'
}

runtimeconfig="$(dirname "$GATEHOUSE_BIN")/gatehouse.runtimeconfig.json"
if grep -q libhostfxr "$GATEHOUSE_BIN" 2>/dev/null && [ -f "$runtimeconfig" ]; then # an apphost: the JIT build
  gatehouse_build="JIT, .NET $(grep -A1 '"Microsoft.NETCore.App"' "$runtimeconfig" | sed -n 's/.*"version": "\(.*\)".*/\1/p' | head -n1), $(grep -o '"System.GC.Server": [a-z]*' "$runtimeconfig" || echo 'GC mode not set')"
else
  gatehouse_build="native AOT, $(du -h "$GATEHOUSE_BIN" | cut -f1)"
fi
gatehouse_stale_note=""
[ -n "$GATEHOUSE_STALE" ] && gatehouse_stale_note=" **The binary is older than ${GATEHOUSE_STALE#"$REPO/"}: it may not be this commit's code (rerun with BENCH_PUBLISH=1).**"
nginx_version=$(nginx -v 2>&1 | sed 's/^nginx version: //')
wrk_version=$( (wrk -v 2>&1 || true) | head -n1 | cut -d' ' -f1-2)
node_version=$(node --version)
pk_version() { node -p "require('$PORTKEY_DIR/node_modules/$1/package.json').version" 2>/dev/null || echo "?"; }
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

REPORT="$WORK/report.md"
{
  echo "# Gatehouse load benchmark, $STARTED_AT"
  echo
  echo "- Machine: $(nproc) cores ($cpu_model), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r); load average at start: $LOAD_AT_START"
  echo "- Gatehouse: commit $gatehouse_commit, binary $GATEHOUSE_BIN (built $(date -u -r "$GATEHOUSE_BIN" '+%Y-%m-%d %H:%M UTC'); $gatehouse_build).$gatehouse_stale_note"
  echo "- Others: $nginx_version, $wrk_version, node $node_version, @portkey-ai/gateway $(pk_version @portkey-ai/gateway) (hono $(pk_version hono), @hono/node-server $(pk_version @hono/node-server), @hono/node-ws $(pk_version @hono/node-ws))"
  echo "- Placement: proxy under test on core $BENCH_PROXY_CORE; fake upstream (nginx), wrk and RateClient on core $BENCH_LOAD_CORE. Gatehouse env: \`$GATEHOUSE_ENV_LINE\`; floor env: \`$FLOOR_ENV_LINE\`"
  echo "- Latency: RateClient, open loop at $BENCH_RATE req/s, ${BENCH_WARMUP_SECONDS} s warm-up then ${BENCH_SECONDS} s measured; time from each request's scheduled start to the last byte of its answer. Throughput: wrk -t$BENCH_WRK_THREADS -c$BENCH_WRK_CONNECTIONS, ${BENCH_WARMUP_SECONDS} s warm-up then ${BENCH_SECONDS} s."
  echo
  echo "## Targets (Gatehouse)"
  echo
  echo "| target | goal | measured | met |"
  echo "| --- | --- | --- | --- |"
  for mode in $MODES; do
    a50=$(diff_us "${R[gatehouse.$mode.p50_us]:-}" "${R[direct.$mode.p50_us]:-}")
    a99=$(diff_us "${R[gatehouse.$mode.p99_us]:-}" "${R[direct.$mode.p99_us]:-}")
    failed=${R[gatehouse.$mode.failed]:-0}
    lagged=$(awk -v a="${R[gatehouse.$mode.lag_p99_us]:-NaN}" -v b="${R[direct.$mode.lag_p99_us]:-NaN}" -v m="$BENCH_MAX_LAG_US" \
      'BEGIN { print (a == "NaN" || b == "NaN" || a + 0 > m || b + 0 > m) ? "yes" : "no" }')
    if [ "${failed:-0}" != 0 ]; then
      note=" ($failed of ${R[gatehouse.$mode.sent]:-?} requests failed: it did not keep up with the rate)"
      v50="**no**"; v99="**no**"
    elif [ "$lagged" = yes ]; then
      note=" (not judged: RateClient's send lag p99 was above $BENCH_MAX_LAG_US µs in this or the direct run, so the machine was too busy to measure)"
      v50="—"; v99="—"
    else
      note=""; v50=$(verdict "$a50" '<' 100); v99=$(verdict "$a99" '<' 1000)
    fi
    echo "| added latency p50, $(mode_label $mode), $BENCH_RATE req/s | < 100 µs | $a50 µs$note | $v50 |"
    echo "| added latency p99, $(mode_label $mode), $BENCH_RATE req/s | < 1,000 µs | $a99 µs$note | $v99 |"
  done
  for mode in $MODES; do
    pct=$(ratio_pct "${R[gatehouse.$mode.rps]:-}" "${R[nginx.$mode.rps]:-}")
    echo "| throughput on one core vs nginx proxy_pass, $(mode_label $mode) | ≥ 60 % | $pct % ($(num "${R[gatehouse.$mode.rps]:-}") vs $(num "${R[nginx.$mode.rps]:-}") req/s) | $(verdict "$pct" '>=' 60) |"
  done
  echo "| RSS, peak over the whole run | < 50 MB | $(num "${R[gatehouse.rss_peak]:-}") MB (after throughput runs: $(num "${R[gatehouse.rss_load]:-}") MB) | $(verdict "${R[gatehouse.rss_peak]:-}" '<' 50) |"
  echo
  echo "## Latency at $BENCH_RATE req/s (µs, open loop)"
  echo
  echo "| target | mode | p50 | p90 | p99 | p99.9 | max | added p50 | added p99 | ok | failed | client send lag p99 |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for target in $BENCH_TARGETS; do
    for mode in $MODES; do
      k="$target.$mode"
      if [ -n "${R[$target.status]:-}${R[$k.status]:-}" ]; then
        echo "| $(label $target) | $(mode_label $mode) | ${R[$target.status]:-${R[$k.status]}} | | | | | | | | | |"
        continue
      fi
      if [ "$target" = direct ]; then a50="—"; a99="—"; else
        a50=$(diff_us "${R[$k.p50_us]:-}" "${R[direct.$mode.p50_us]:-}")
        a99=$(diff_us "${R[$k.p99_us]:-}" "${R[direct.$mode.p99_us]:-}")
      fi
      echo "| $(label $target) | $(mode_label $mode) | $(num "${R[$k.p50_us]:-}") | $(num "${R[$k.p90_us]:-}") | $(num "${R[$k.p99_us]:-}") | $(num "${R[$k.p999_us]:-}") | $(num "${R[$k.max_us]:-}") | $a50 | $a99 | $(num "${R[$k.ok]:-}") | $(num "${R[$k.failed]:-}") | $(num "${R[$k.lag_p99_us]:-}") |"
    done
  done
  echo
  echo "## Throughput, proxy pinned to core $BENCH_PROXY_CORE (wrk, req/s)"
  echo
  echo "| target | mode | req/s | vs nginx proxy_pass | proxy CPU | core $BENCH_LOAD_CORE busy | core $BENCH_PROXY_CORE busy | non-2xx | socket errors |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for target in $BENCH_TARGETS; do
    for mode in $MODES; do
      k="$target.$mode"
      if [ -n "${R[$target.status]:-}${R[$k.status]:-}" ]; then
        echo "| $(label $target) | $(mode_label $mode) | ${R[$target.status]:-${R[$k.status]}} | | | | | | |"
        continue
      fi
      if [ "$target" = direct ]; then pct="—"; else pct="$(ratio_pct "${R[$k.rps]:-}" "${R[nginx.$mode.rps]:-}") %"; fi
      cpu="${R[$k.cpu]:-—}"
      [ "$cpu" = "—" ] || cpu="$cpu %"
      echo "| $(label $target) | $(mode_label $mode) | $(num "${R[$k.rps]:-}") | $pct | $cpu | $(num "${R[$k.core0]:-}") % | $(num "${R[$k.core1]:-}") % | ${R[$k.non2xx]:-0} | ${R[$k.sockerr]:-none} |"
    done
  done
  echo
  echo "## Memory (RSS of the proxy process and its children, MB = 10^6 bytes)"
  echo
  echo "| target | idle, after start | after the latency runs | after the throughput runs | of which anonymous (RssAnon) | peak (VmHWM) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for target in $BENCH_TARGETS; do
    [ "$target" = direct ] && continue
    echo "| $(label $target) | $(num "${R[$target.rss_idle]:-}") | $(num "${R[$target.rss_warm]:-}") | $(num "${R[$target.rss_load]:-}") | $(num "${R[$target.rss_anon]:-}") | $(num "${R[$target.rss_peak]:-}") |"
  done
  echo
  echo "Reading: added latency is the proxy's percentile minus the direct run's at the same rate, so the client's own"
  echo "cost cancels out. If core $BENCH_LOAD_CORE is near 100 % busy while the proxy's CPU is well below 100 %, the load"
  echo "side (wrk + fake upstream on one core) was the bottleneck and that throughput is a lower bound for the proxy."
  echo "A client send lag p99 far above a few tens of µs means RateClient did not get the CPU in time: rerun on a quiet machine."
  echo "The floor (bench/load/Floor) is Kestrel in, SocketsHttpHandler out and the bytes copied, nothing else, published native"
  echo "AOT like Gatehouse: what any ASP.NET Core forwarder pays before it does any work of its own."
  echo
  echo "## Request bodies"
  echo
  echo "Non-streamed and streamed; the model is \`bench/gpt-4o-mini\` and \`benchstream/gpt-4o-mini\` for Gatehouse, the three-target"
  echo "virtual models \`three\` and \`threestream\` (round robin, circuit breakers on) for gatehouse-group, \`gpt-4o-mini\` elsewhere."
  echo
  echo '```json'
  request_body gpt-4o-mini json; echo
  request_body gpt-4o-mini sse; echo
  echo '```'
  echo
  echo "## Commands"
  echo
  echo "From the repository root; \$BENCH_TMP is the run's temp dir (\`mktemp -d /tmp/gatehouse-bench.XXXXXX\`)."
  echo
  echo '```sh'
  echo "bash bench/load/run.sh   # BENCH_SECONDS=$BENCH_SECONDS BENCH_WARMUP_SECONDS=$BENCH_WARMUP_SECONDS BENCH_RATE=$BENCH_RATE BENCH_TARGETS=\"$BENCH_TARGETS\""
  for c in "${COMMANDS[@]}"; do
    c=${c//"$WORK"/\$BENCH_TMP}
    echo "${c//"$REPO/"/}"
  done
  echo '```'
} >"$REPORT"

mkdir -p "$(dirname "$BENCH_RESULTS_FILE")"
cp "$REPORT" "$BENCH_RESULTS_FILE"
cat "$REPORT"
log "results written to $BENCH_RESULTS_FILE"
