#!/usr/bin/env bash
# Peak memory (maximum resident set size) of the whole send benchmark process: the simulator,
# both clients and criterion, measured by GNU time.
#   scripts/bench-send-memory.sh                          # as cargo bench runs it
#   scripts/bench-send-memory.sh send/ours                # one function only: about a third of the
#                                                         # batches; the peak should not differ
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time: apt-get install time" >&2
    exit 1
fi
exe=$(cargo bench -p kaleyra-bench --bench send --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "send":
        print(m["executable"])
')
/usr/bin/time -v "$exe" --bench "$@" 2>&1 | grep -E "^send|time:|thrpt:|Maximum resident set size|Elapsed \(wall"
