#!/usr/bin/env bash
# Cross-validated accuracy of the prompt-injection detector (docs/inspection.md quotes its output), on the tuning set
# plus the long benign training prompts (scripts/gen-benign-long.py).
#   scripts/eval-injection.sh          stratified 5-fold CV table + throughput of the shipped model
#   scripts/eval-injection.sh train    regenerates src/Gatehouse.Inspection/Injection/Model/injection-model.bin
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project tools/Gatehouse.Inspection.Eval -- "${1:-eval}" eval/injection-tune.jsonl,eval/injection-long-train.jsonl
