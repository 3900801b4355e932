#!/usr/bin/env bash
# Route accuracy of the semantic router in eval/routing/routes.yaml on the held-out test split of
# eval/routing/labelled.jsonl, for the built-in hashed embedder and the local MiniLM model (docs/routing.md).
# Thresholds are each embedder's default, tuned on the tune split (`--split tune --sweep` shows that sweep).
# Usage: scripts/eval-routing.sh [extra route-eval options, e.g. --split tune --sweep]
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build src/Gatehouse -c Release -nologo -clp:ErrorsOnly
gatehouse=src/Gatehouse/bin/Release/net10.0/linux-x64/gatehouse.dll
for embedder in hashed minilm; do
  echo "== $embedder"
  dotnet "$gatehouse" route eval --config eval/routing/routes.yaml --data eval/routing/labelled.jsonl --embedder "$embedder" "$@"
  echo
done
