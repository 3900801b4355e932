#!/usr/bin/env bash
# Accuracy and speed of the built-in detectors on every labelled dataset (docs/inspection.md quotes the output):
#   injection  eval/injection-tune.jsonl + eval/injection-long-train.jsonl   stratified 5-fold cross-validation (the
#              shipped model trains on these); eval/benign-long.jsonl scored by the shipped model (never trained on)
#   pii        eval/pii-generated.jsonl       generated sentences with hard negatives (the detector has no training)
#   secrets    eval/secrets-generated.jsonl   a credential per rule in code/config lines, plus look-alikes, and the
#              negative corpora eval/secrets-corpus-{dev,holdout}.txt (files on this machine; scripts/secrets-corpus.sh)
# Full reports go to $EVAL_OUT (default /tmp/gatehouse-eval); a summary is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${EVAL_OUT:-/tmp/gatehouse-eval}
mkdir -p "$out"
scripts/secrets-corpus.sh check
dotnet build src/Gatehouse -c Release -nologo -clp:ErrorsOnly >/dev/null
gatehouse() { dotnet src/Gatehouse/bin/Release/net10.0/linux-x64/gatehouse.dll "$@"; }

gatehouse eval guardrails --dataset eval/injection-tune.jsonl,eval/injection-long-train.jsonl | tee "$out/injection.md"
gatehouse eval guardrails --dataset eval/benign-long.jsonl --errors 20 --shipped | tee "$out/injection-long.md"
gatehouse eval guardrails --dataset eval/pii-generated.jsonl --errors 50 | tee "$out/pii.md"
gatehouse eval guardrails --dataset eval/secrets-generated.jsonl --errors 50 \
  --negatives eval/secrets-corpus-dev.txt,eval/secrets-corpus-holdout.txt | tee "$out/secrets.md"

echo
echo "== summary (full reports in $out) =="
grep -E '^\| (direct|indirect) \| all ' "$out/injection.md" | awk -F'|' '{printf "injection %-8s F1 %s  recall %s  FPR %s\n", $2, $8, $7, $9}'
grep -E '^throughput' "$out/injection.md" | sed 's/^/injection /'
grep -E '^\| direct \| (benign-long|attack-long) ' "$out/injection-long.md" | awk -F'|' '{printf "injection long prompts (shipped model) %-12s flagged %s of %s\n", $3, $5, $4}'
awk -F'|' '/^\| type \|/{t=1; next} t && /^\| [a-z_*]/{printf "pii %-15s P %s  R %s  F1 %s\n", $2, $7, $8, $9} /^$/{if (t) exit}' "$out/pii.md"
grep -E '^throughput' "$out/pii.md" | sed 's/^/pii /'
grep -E '^\| \*\*all\*\* ' "$out/secrets.md" | awk -F'|' '{printf "secrets all rules: recall %s  precision %s  F1 %s\n", $8, $7, $9}'
awk -F'|' '/^\| rule \| labelled/{r=1; next} r && /^\| [a-z]/{ if ($8+0 < 1) printf "secrets rule below recall 1: %s %s\n", $2, $8 } r && /^$/{r=0}' "$out/secrets.md"
grep -E '^throughput' "$out/secrets.md" | sed 's/^/secrets /'
grep -E 'false positives = ' "$out/secrets.md" | sed 's/^/secrets negatives: /'
