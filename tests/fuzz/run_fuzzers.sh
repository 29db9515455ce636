#!/usr/bin/env bash
# Runs every libFuzzer binary <name>_fuzzer of a sanitizer build for a
# bounded time on a scratch copy of its committed corpus (corpus/<name>), so
# that the repository is never written to. Any crash, leak, timeout or
# sanitizer report fails the run; the fuzzer's log and the crashing input are
# shown.
#   run_fuzzers.sh <folder of *_fuzzer binaries> <corpus root> <seconds each>
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 <fuzzer folder> <corpus root> <seconds per target>" >&2
  exit 2
fi
fuzzer_dir=$1
corpus_root=$2
seconds=$3

shopt -s nullglob
fuzzers=("$fuzzer_dir"/*_fuzzer)
if ((${#fuzzers[@]} == 0)); then
  echo "error: no *_fuzzer binaries in $fuzzer_dir (a sanitizer build with clang makes them)" >&2
  exit 1
fi

scratch=$(mktemp -d -t phonecwmp-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

failed=0
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer" _fuzzer)
  seeds="$corpus_root/$name"
  if [[ ! -d $seeds ]]; then
    echo "error: $name: no seed corpus at $seeds" >&2
    failed=1
    continue
  fi
  work="$scratch/$name"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp -R "$seeds/." "$work/corpus/"
  # -timeout: one input may take at most 10 s; -rss_limit_mb bounds memory.
  if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" \
       >"$work/log" 2>&1; then
    stats=$(grep -E '^stat::number_of_executed_units' "$work/log" | awk '{print $2}')
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$work/log" | tail -1)
    echo "fuzz $name: clean, ${stats:-?} executions in ${seconds} s, ${cov:-no coverage line}"
  else
    echo "error: fuzz $name failed; its log:" >&2
    tail -n 60 "$work/log" >&2
    for artifact in "$work"/artifacts/*; do
      echo "---- crashing input $(basename "$artifact") (base64) ----" >&2
      base64 "$artifact" >&2
    done
    failed=1
  fi
done
exit "$failed"
