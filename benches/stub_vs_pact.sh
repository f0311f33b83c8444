#!/usr/bin/env bash
# Throughput and memory of `accord stub` and `accord mock` next to Pact's stub server, on the
# same contracts and the same load (wrk on loopback).
#
#   benches/stub_vs_pact.sh            # builds release, runs everything, prints a table
#
# Contracts: a small one (5 interactions) and a large one (600), made by gen_contract.py.
# wrk GETs every GET interaction's path in turn (rotate_paths.lua). Peak RSS is VmHWM of the
# server process after its run. Pact's stub server runs with --loglevel error so per-request
# logging does not count against it; each of its runs is bounded by a timeout, so the script
# always finishes. Environment: DURATION (10s), THREADS (2), CONNECTIONS (10),
# PACT_LOGLEVEL (error; Pact's default is info), PEERS_HOME (/opt/peers), CARGO_TARGET_DIR.
#
# accord-mock answers the two interactions of /items/1 in turn (the first not yet received
# answers), so it reports a few 404s ("non-2xx") by design.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCHES="$ROOT/benches"
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-10}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}
PACT_LOGLEVEL=${PACT_LOGLEVEL:-error}
export PEERS_HOME="${PEERS_HOME:-/opt/peers}"
export PACT_DO_NOT_TRACK=true
PACT_STUB=$(command -v pact-stub-server || echo "$PEERS_HOME/bin/pact-stub-server")

for tool in wrk python3 curl; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done
[ -x "$PACT_STUB" ] || { echo "error: pact-stub-server not found (run ../shared/peers/install.sh)" >&2; exit 2; }

echo "building accord (release)..." >&2
(cd "$ROOT" && cargo build --release -q -p accord-cli)
ACCORD="${CARGO_TARGET_DIR:-$ROOT/target}/release/accord"

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 "$BENCHES/gen_contract.py" 5 "$WORK/small.json" "$WORK/small.paths"
python3 "$BENCHES/gen_contract.py" 600 "$WORK/large.json" "$WORK/large.paths"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME PORT COMMAND...: starts it in the background and waits until it answers.
start_server() {
  local name=$1 port=$2
  shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + STARTUP_TIMEOUT))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/" || true)" != "000" ]; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "error: $name exited; its log:" >&2
      cat "$WORK/$name.log" >&2
      exit 2
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "error: $name did not answer within ${STARTUP_TIMEOUT}s" >&2
      exit 2
    fi
    sleep 0.1
  done
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

peak_rss_mb() {
  awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"
}

# run_wrk NAME PORT PATHS: prints "REQS_PER_SEC NON_2XX" (0 when wrk timed out).
run_wrk() {
  local name=$1 port=$2 paths=$3
  local out="$WORK/$name.wrk"
  local seconds=${DURATION%s}
  if ! PATHS_FILE="$paths" timeout $((seconds + 20)) \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$BENCHES/rotate_paths.lua" \
      "http://127.0.0.1:$port" >"$out" 2>&1; then
    echo "0 timeout"
    return
  fi
  local rps non2xx
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  echo "${rps:-0} ${non2xx:-0}"
}

RESULTS="$WORK/results"
: >"$RESULTS"

# bench CONTRACT SERVER: one run, appended to the results.
bench() {
  local contract=$1 server=$2 port
  port=$(free_port)
  local file="$WORK/$contract.json"
  case $server in
    accord-stub) start_server "$contract-$server" "$port" "$ACCORD" stub --contract "$file" --port "$port" ;;
    accord-mock) start_server "$contract-$server" "$port" "$ACCORD" mock --contract "$file" --port "$port" --output-dir "$WORK/out" ;;
    pact-stub) start_server "$contract-$server" "$port" "$PACT_STUB" --file "$file" --port "$port" --loglevel "$PACT_LOGLEVEL" ;;
  esac
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION: $server on the $contract contract..." >&2
  local measured
  measured=$(run_wrk "$contract-$server" "$port" "$WORK/$contract.paths")
  echo "$contract $server $measured $(peak_rss_mb)" >>"$RESULTS"
  stop_server
}

for contract in small large; do
  for server in accord-stub pact-stub accord-mock; do
    bench "$contract" "$server"
  done
done

echo
printf '%-8s %-12s %12s %9s %12s %14s\n' contract server "requests/s" "non-2xx" "peak RSS MB" "vs pact-stub"
awk '
  { rps[$1 " " $2] = $3; row[NR] = $0 }
  END {
    for (i = 1; i <= NR; i++) {
      split(row[i], f, " ")
      base = rps[f[1] " pact-stub"]
      ratio = (base > 0) ? sprintf("%.1fx", f[3] / base) : "n/a"
      if (f[2] == "pact-stub") ratio = "1.0x"
      printf "%-8s %-12s %12.1f %9s %12s %14s\n", f[1], f[2], f[3], f[4], f[5], ratio
    }
  }' "$RESULTS"
