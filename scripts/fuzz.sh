#!/usr/bin/env bash
# Fuzzes the contract's normalisation, validation and body decoding with
# proptest (stable Rust), bounded: FUZZ_CASES cases per property (default
# 200000), at most FUZZ_SECONDS seconds (default 300) for the whole run.
# Prints the duration and the number of executions. A failing input is saved
# in crates/contract/proptest-regressions/ and replayed first next time.
#   bash scripts/fuzz.sh            # default budget
#   FUZZ_CASES=2000000 FUZZ_SECONDS=1200 bash scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cases="${FUZZ_CASES:-200000}"
seconds="${FUZZ_SECONDS:-300}"
properties=3

cargo test --locked --release -p imrf-contract --test fuzz --no-run
start=$(date +%s)
rc=0
PROPTEST_CASES="$cases" PROPTEST_MAX_SHRINK_ITERS=4096 \
  timeout --signal=INT "$seconds" \
  cargo test --locked --release -p imrf-contract --test fuzz -- --ignored --nocapture --test-threads=2 \
  || rc=$?
end=$(date +%s)
case "$rc" in
  0) echo "fuzz: ${properties} properties x ${cases} cases = $((properties * cases)) executions in $((end - start)) s, no failure" ;;
  124|130) echo "fuzz: stopped at the ${seconds} s budget after $((end - start)) s (fewer than $((properties * cases)) executions), no failure so far"; rc=0 ;;
  *) echo "fuzz: a property failed after $((end - start)) s; the input is in crates/contract/proptest-regressions/fuzz.txt" ;;
esac
exit "$rc"
