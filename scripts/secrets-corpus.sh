#!/usr/bin/env bash
# The negative corpora of the secrets evaluation: ordinary source code, lock files and prose that exist offline on
# this machine (Debian packages, the .NET SDK, npm, pyenv's Pythons). Nothing is copied into the repository: the
# manifests eval/secrets-corpus-{dev,holdout}.txt fix which files (bytes<TAB>path, relative paths from eval/) and
# `gatehouse eval guardrails --negatives MANIFEST` refuses any file whose size changed.
#   scripts/secrets-corpus.sh          check both manifests: every file present with its size, each corpus ≥ 10 MB
#   scripts/secrets-corpus.sh write    rebuild the manifests from the fixed selection below
# dev     is what detector fixes were made against; holdout was only scanned to report (docs/inspection.md).
set -euo pipefail
cd "$(dirname "$0")/.."
MIN_BYTES=10000000

# Prints "bytes<TAB>path" for text files read from stdin (sorted), until CAP bytes are taken.
take() {
  local cap=$1 total=0 path size
  while IFS= read -r path; do
    [[ -f "$path" && ! -L "$path" ]] || continue
    grep -Iq . "$path" 2>/dev/null || continue
    size=$(stat -c %s "$path")
    (( size > 0 && size <= 2000000 )) || continue
    (( total + size <= cap )) || break
    printf '%s\t%s\n' "$size" "$path"
    total=$((total + size))
  done
}

sorted() { LC_ALL=C sort; }

write_dev() {
  echo "# secrets negative corpus, dev part: detector fixes were made against these files. Written by scripts/secrets-corpus.sh write."
  # JavaScript: npm's own sources and its bundled dependencies.
  find /usr/lib/node_modules/npm -name '*.js' -type f | sorted | take 7500000
  # Lock files and package metadata (integrity hashes, content hashes).
  printf '%s\n' ../tests/clients/package-lock.json ../bench/load/portkey/package-lock.json | (cd eval && take 100000)
  find /usr/lib/google-cloud-sdk -name 'Pipfile.lock' -type f | sorted | take 100000
  find /usr/share/dotnet /root/.nuget/packages -name '*.deps.json' -type f | sorted | take 2000000
  find /root/.nuget/packages -name '.nupkg.metadata' -type f | sorted | take 200000
  # Prose: Debian copyright files (licences, notices).
  find /usr/share/doc -name copyright -type f | sorted | take 3500000
}

write_holdout() {
  echo "# secrets negative corpus, holdout part: scanned only to report, never used to tune. Written by scripts/secrets-corpus.sh write."
  # Python: the 3.12 standard library without its tests.
  find /root/.pyenv/versions/3.12.1/lib/python3.12 -name '*.py' -type f -not -path '*/test/*' -not -path '*/tests/*' -not -path '*/site-packages/*' -not -path '*idle_test*' | sorted | take 7000000
  # Lock-like: wheel RECORD files (sha256 of every file) of two Python installations.
  find /root/.pyenv/versions/3.11.7 -name RECORD -type f | sorted | take 1500000
  find /root/.pyenv/versions/3.10.13 -name RECORD -type f | sorted | take 1500000
  # Prose: ASP.NET Core reference documentation (XML doc comments) and Debian README/markdown files.
  find /usr/share/dotnet/packs/Microsoft.AspNetCore.App.Ref -name '*.xml' -type f | sorted | take 1500000
  find /usr/share/doc \( -name '*.md' -o -name 'README' -o -name '*.txt' \) -type f | sorted | take 800000
}

check() {
  local manifest=$1 total=0 files=0 bad=0 size path actual
  while IFS=$'\t' read -r size path; do
    [[ -z "$size" || "$size" == \#* ]] && continue
    [[ "$path" == /* ]] || path="eval/$path"
    actual=$(stat -c %s "$path" 2>/dev/null || echo missing)
    if [[ "$actual" != "$size" ]]; then echo "$manifest: $path is $actual bytes, manifest says $size" >&2; bad=$((bad + 1)); fi
    total=$((total + size)); files=$((files + 1))
  done < "$manifest"
  echo "$manifest: $files files, $total bytes"
  (( total >= MIN_BYTES )) || { echo "$manifest: under $MIN_BYTES bytes" >&2; bad=$((bad + 1)); }
  return $(( bad > 0 ))
}

case "${1:-check}" in
  write)
    write_dev > eval/secrets-corpus-dev.txt
    write_holdout > eval/secrets-corpus-holdout.txt
    check eval/secrets-corpus-dev.txt && check eval/secrets-corpus-holdout.txt ;;
  check)
    check eval/secrets-corpus-dev.txt && check eval/secrets-corpus-holdout.txt ;;
  *) echo "usage: $0 [check|write]" >&2; exit 2 ;;
esac
