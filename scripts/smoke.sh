#!/usr/bin/env bash
# Publishes the native (AOT) binary with warnings as errors, starts it on the built-in default config,
# checks that it answers, then stops it with SIGTERM and checks that it exits cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(realpath -m "${1:-out}")
dotnet publish src/Gatehouse -c Release -o "$out" -nologo -clp:ErrorsOnly -p:TreatWarningsAsErrors=true
ls -la "$out"

# Waits until the gateway $pid answers /healthz; if it exits first, prints its log (the argument) and fails.
wait_healthy() {
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$1"; exit 1; }
    sleep 0.1
  done
}

work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
(cd "$work" && exec "$out/gatehouse" serve --listen "127.0.0.1:$port") > "$work/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT

wait_healthy "$work/log"

answer=$(curl -sS --fail-with-body "http://127.0.0.1:$port/v1/chat/completions" -H 'content-type: application/json' \
  -d '{"model":"mock/gatehouse-mock-1","messages":[{"role":"user","content":"smoke"}]}')
echo "$answer"
echo "$answer" | grep -q '"content":"Hello from the Gatehouse mock provider. You said: smoke"'

rss=$(ps -o rss= -p "$pid")
echo "native binary: $(du -h "$out/gatehouse" | cut -f1), RSS after one request: $((rss / 1024)) MiB"

kill -TERM "$pid"
wait "$pid"

# Governance in the native binary: a key made by the CLI, and a policy whose CEL conditions permit one call and
# forbid another (the Cel package is trimmed with a suppressed warning; this proves its dictionary path works).
cat > "$work/policies.yaml" <<'YAML'
policies:
  - id: small-prompts
    effect: permit
    principal: any
    action: invoke_model
    resource: any
    when: has(context.estimated_tokens) && context.estimated_tokens < 100000
  - id: no-tools
    effect: forbid
    principal: any
    action: invoke_model
    resource: any
    when: context.has_tools
YAML
cat > "$work/gatehouse.yaml" <<YAML
storage:
  url: sqlite://$work/governed.db
governance:
  policies: [policies.yaml]
providers:
  - { name: mock, kind: mock }
YAML
key=$("$out/gatehouse" keys create --config "$work/gatehouse.yaml" --name smoke 2>/dev/null)
(cd "$work" && exec "$out/gatehouse" serve --config "$work/gatehouse.yaml" --listen "127.0.0.1:$port") > "$work/log2" 2>&1 &
pid=$!
wait_healthy "$work/log2"
status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/chat/completions" -H 'content-type: application/json' "$@"; }
permitted=$(status -H "authorization: Bearer $key" -d '{"model":"mock/gatehouse-mock-1","messages":[{"role":"user","content":"x"}]}')
forbidden=$(status -H "authorization: Bearer $key" -d '{"model":"mock/gatehouse-mock-1","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}')
anonymous=$(status -d '{"model":"mock/gatehouse-mock-1","messages":[{"role":"user","content":"x"}]}')
echo "governed binary: key+policy permit $permitted, policy forbid $forbidden, no key $anonymous"
[ "$permitted" = 200 ] && [ "$forbidden" = 403 ] && [ "$anonymous" = 401 ] || { cat "$work/log2"; exit 1; }
kill -TERM "$pid"
wait "$pid"

# server.inline_io: socket completions run on the socket threads, one per core, instead of one thread that queues them
# to the thread pool. The runtime shows which by how many socket engine threads it starts (2 on 2 cores with it on).
engines() { # config: serves one chat request, prints the number of socket engine threads
  (cd "$work" && exec env DOTNET_PROCESSOR_COUNT=2 "$out/gatehouse" serve --config "$1" --listen "127.0.0.1:$port") > "$work/log3" 2>&1 &
  pid=$!
  wait_healthy "$work/log3"
  [ "$(status -d '{"model":"mock/gatehouse-mock-1","messages":[{"role":"user","content":"x"}]}')" = 200 ] || { cat "$work/log3"; exit 1; }
  cat /proc/"$pid"/task/*/comm 2>/dev/null | grep -c '^\.NET Sockets$' || true
  kill -TERM "$pid"
  wait "$pid"
}
printf 'storage:\n  url: sqlite://%s/inline.db\nproviders:\n  - { name: mock, kind: mock }\n' "$work" > "$work/queued.yaml"
printf 'server:\n  inline_io: true\n' | cat - "$work/queued.yaml" > "$work/inline.yaml"
queued=$(engines "$work/queued.yaml")
inline=$(engines "$work/inline.yaml")
echo "socket engine threads on 2 cores: inline_io off $queued, on $inline"
[ "$queued" = 1 ] && [ "$inline" = 2 ] || exit 1
echo "smoke test passed"
