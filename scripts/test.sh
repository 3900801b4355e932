#!/usr/bin/env bash
# Runs the whole test suite: one restore, one build, then every test project, and prints
# "N passed, N failed" from the test results so CI can count them.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d tests/clients/node_modules ]; then
  (cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)
fi

# PostgreSQL and Redis for the store and counter suites (installed and started when missing).
eval "$(./scripts/services.sh)"

dotnet build Gatehouse.slnx -c Debug -nologo -clp:ErrorsOnly
rm -rf TestResults
status=0
dotnet test Gatehouse.slnx -c Debug --no-build --logger "trx" --results-directory TestResults -- RunConfiguration.CollectSourceInformation=false || status=$?

passed=0
failed=0
for trx in TestResults/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
echo "${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ]; then
  echo "no tests ran" >&2
  exit 1
fi
exit "$status"
