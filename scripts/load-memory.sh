#!/usr/bin/env bash
# The load test under faults (tests/load.rs) in a release build, with its time and peak memory
# (maximum resident set size of the test process: the simulator, the client and the test's own
# bookkeeping), measured by GNU time:
#   scripts/load-memory.sh              # the 100,000-message run (ignored in CI), then the
#                                       # 20,000-message CI run, for comparison
#   scripts/load-memory.sh NAME         # one test of tests/load.rs by name
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time: apt-get install time" >&2
    exit 1
fi
exe=$(cargo test --release --all-features --test load --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "load":
        print(m["executable"])
')
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
    tests=(load_100000_with_safe_retries load_20000_with_safe_retries)
fi
for t in "${tests[@]}"; do
    echo "== $t"
    /usr/bin/time -v "$exe" --exact "$t" --include-ignored --nocapture 2>&1 \
        | grep -E "^load:|test result|Maximum resident set size|Elapsed \(wall"
done
