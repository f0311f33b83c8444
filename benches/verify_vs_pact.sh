#!/usr/bin/env bash
# `accord verify` next to Pact's verifier (`pact verifier`), on the same 600-interaction V4
# contract and the same local provider, in one run.
#
#   benches/verify_vs_pact.sh          # builds release, runs both, prints the figures
#
# The contract is the one of verifier/benches/verify.rs: 600 `GET /items/{id}` interactions,
# each with a JSON body and two body rules. The provider is a small threaded Python HTTP/1.1
# server that answers every request at once from a precomputed table (keep-alive on), so
# both verifiers pay the same provider cost (one write per response: separate header and
# body writes meet Nagle's algorithm and delayed ACKs, ~20 ms per keep-alive request). Each
# verifier runs RUNS times (default 3), alternately; the script prints every run's wall time
# and CPU time (task-clock of the process and its children from `perf stat`, or user + sys
# from /usr/bin/time without perf) per interaction, the ratio of the best wall times, and
# Accord's CPU per interaction beyond its fixed cost (measured with a 1-interaction contract).
# Environment: RUNS (3), PEERS_HOME (/opt/peers), CARGO_TARGET_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
INTERACTIONS=600
export PEERS_HOME="${PEERS_HOME:-/opt/peers}"
export PACT_DO_NOT_TRACK=true
PACT=$(command -v pact-verifier || echo "$PEERS_HOME/bin/pact-verifier")
PERF=""
if command -v perf >/dev/null && perf stat -e task-clock -o /dev/null -- true 2>/dev/null; then
  PERF=$(command -v perf)
fi

for tool in python3 curl bc; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done
[ -x "$PACT" ] || { echo "error: pact-verifier not found (run ../shared/peers/install.sh)" >&2; exit 2; }

echo "building accord (release)..." >&2
(cd "$ROOT" && cargo build --release -q -p accord-cli)
ACCORD="${CARGO_TARGET_DIR:-$ROOT/target}/release/accord"

WORK=$(mktemp -d)
PROVIDER_PID=""
cleanup() {
  if [ -n "$PROVIDER_PID" ]; then
    kill "$PROVIDER_PID" 2>/dev/null || true
    wait "$PROVIDER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cat >"$WORK/provider.py" <<'EOF'
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

N = int(sys.argv[2])

def item(i):
    return {"id": i, "name": f"item {i}", "tags": ["a", "b"], "price": 12.5,
            "stock": {"warehouse": "north", "count": i % 7}}

BODIES = {f"/items/{i}": json.dumps(item(i)).encode() for i in range(N)}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = BODIES.get(self.path.split("?")[0])
        status = b"200 OK" if body is not None else b"404 Not Found"
        body = body or b"{}"
        # One write per response: headers and body in separate segments would meet Nagle's
        # algorithm and the client's delayed ACK (tens of milliseconds per request).
        self.wfile.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
                         + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    do_GET = do_POST = _answer
    def log_message(self, *args):
        pass

ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
EOF

cat >"$WORK/contract.py" <<'EOF'
import json, sys
n = int(sys.argv[1])
def item(i):
    return {"id": i, "name": f"item {i}", "tags": ["a", "b"], "price": 12.5,
            "stock": {"warehouse": "north", "count": i % 7}}
interactions = [{
    "type": "Synchronous/HTTP",
    "description": f"get item {i}",
    "request": {"method": "GET", "path": f"/items/{i}"},
    "response": {
        "status": 200,
        "headers": {"Content-Type": ["application/json"]},
        "body": {"contentType": "application/json", "encoded": False, "content": item(i)},
        "matchingRules": {"body": {
            "$.id": {"combine": "AND", "matchers": [{"match": "integer"}]},
            "$.name": {"combine": "AND", "matchers": [{"match": "type"}]}}},
    },
} for i in range(n)]
json.dump({"consumer": {"name": "bench-consumer"}, "provider": {"name": "bench-provider"},
           "interactions": interactions,
           "metadata": {"pactSpecification": {"version": "4.0"}}}, open(sys.argv[2], "w"))
EOF

python3 "$WORK/contract.py" "$INTERACTIONS" "$WORK/contract.json"
python3 "$WORK/contract.py" 1 "$WORK/one.json"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$WORK/provider.py" "$PORT" "$INTERACTIONS" >"$WORK/provider.log" 2>&1 &
PROVIDER_PID=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/items/0" && break
  sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/items/0" || { echo "error: provider did not start" >&2; exit 2; }

# run NAME COMMAND...: runs it, checks it passed, prints "WALL_S CPU_S". CPU is the
# task-clock of the verifier process and its children (perf stat, nanosecond resolution),
# or user + sys from /usr/bin/time (10 ms resolution) without perf.
run() {
  local name=$1 start end
  shift
  start=$(date +%s.%N)
  if [ -n "$PERF" ]; then
    "$PERF" stat -x, -e task-clock -o "$WORK/perf" -- "$@" >"$WORK/$name.out" 2>&1 || fail "$name"
  else
    /usr/bin/time -f '%U %S' -o "$WORK/time" "$@" >"$WORK/$name.out" 2>&1 || fail "$name"
  fi
  end=$(date +%s.%N)
  if [ -n "$PERF" ]; then
    awk -F, -v w="$(echo "$end - $start" | bc -l)" '$3 == "task-clock" { printf "%.3f %.4f\n", w, $1 / 1000 }' "$WORK/perf"
  else
    awk -v w="$(echo "$end - $start" | bc -l)" '{ printf "%.3f %.4f\n", w, $1 + $2 }' "$WORK/time"
  fi
}

fail() {
  echo "error: $1 failed; its output:" >&2
  tail -40 "$WORK/$1.out" >&2
  exit 1
}

best() { sort -n | head -1; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
printf '%-8s %-4s %10s %10s %16s\n' verifier run wall_s cpu_s cpu_us/interaction
grep -q . <<<"$PERF" && echo "(CPU: perf stat task-clock)" || echo "(CPU: /usr/bin/time user+sys)"
: >"$WORK/accord.walls"
: >"$WORK/pact.walls"
: >"$WORK/accord.cpus"
for i in $(seq "$RUNS"); do
  read -r wall cpu < <(run accord "$ACCORD" verify -f "$WORK/contract.json" -p "$PORT" \
    -n bench-provider --no-colour)
  echo "$wall" >>"$WORK/accord.walls"
  echo "$cpu" >>"$WORK/accord.cpus"
  printf '%-8s %-4s %10s %10s %16.1f\n' accord "$i" "$wall" "$cpu" \
    "$(echo "$cpu * 1000000 / $INTERACTIONS" | bc -l)"
  read -r wall cpu < <(run pact "$PACT" -f "$WORK/contract.json" -p "$PORT" \
    -n bench-provider --no-colour)
  echo "$wall" >>"$WORK/pact.walls"
  printf '%-8s %-4s %10s %10s %16.1f\n' pact "$i" "$wall" "$cpu" \
    "$(echo "$cpu * 1000000 / $INTERACTIONS" | bc -l)"
done

# Accord's fixed cost (start-up, reading the file, building the client): one interaction.
: >"$WORK/one.cpus"
for i in $(seq "$RUNS"); do
  read -r _ cpu < <(run accord "$ACCORD" verify -f "$WORK/one.json" -p "$PORT" \
    -n bench-provider --no-colour)
  echo "$cpu" >>"$WORK/one.cpus"
done

accord_wall=$(best <"$WORK/accord.walls")
pact_wall=$(best <"$WORK/pact.walls")
accord_cpu=$(best <"$WORK/accord.cpus")
echo
echo "best wall: accord ${accord_wall}s, pact ${pact_wall}s"
echo "ratio accord/pact (wall): $(echo "$accord_wall / $pact_wall" | bc -l | cut -c1-6) (target <= 0.2)"
one_cpu=$(best <"$WORK/one.cpus")
echo "accord CPU per interaction (best run, fixed cost included): $(echo "$accord_cpu * 1000000 / $INTERACTIONS" | bc -l | cut -c1-7) us"
echo "accord CPU, 1-interaction run (fixed cost): ${one_cpu}s"
echo "accord CPU per interaction beyond the fixed cost: $(echo "($accord_cpu - $one_cpu) * 1000000 / ($INTERACTIONS - 1)" | bc -l | cut -c1-7) us"
