#!/usr/bin/env bash
# Runs Accord's whole contract-testing loop on the example shop (examples/shop/):
#
#   1. starts a fresh broker on a free port (SQLite in a temporary folder);
#   2. runs the consumer tests (web-app, orders-api, billing-worker), which write contracts,
#      and publishes them with versions and branches;
#   3. starts each provider (inventory-api, orders-api) with its provider-state endpoint and
#      verifies it against the broker's contracts, publishing the results;
#   4. asks can-i-deploy for each service to `production` (yes) and records the deployments;
#   5. a breaking change on inventory-api's branch `rename-available` (cargo feature
#      `rename-available` renames the field `available`): its verification fails with the
#      mismatch, and can-i-deploy says no, naming the interaction;
#   6. a coordinated change on branch `reserve-stock`: orders-api (feature `reserve-stock`)
#      needs inventory-api's new POST /reservations (feature `reservations`); `accord plan`
#      orders the two deployments, provider first;
#   7. stops the broker and the providers and deletes the temporary folder (also on error or
#      Ctrl-C).
#
# Usage: examples/run.sh        (from anywhere; builds what it needs with cargo first)
#
# Environment: CARGO_TARGET_DIR (where cargo builds; default <repo>/target), CARGO (the cargo
# command), ACCORD_EXAMPLE_KEEP=1 keeps the temporary folder (logs, contracts, database).
#
# Each step prints one line per outcome. The script exits 1 when an outcome is not the
# expected one (it carries on with the next steps where it can, and lists the failures at
# the end); the logs of failed commands are printed.
set -euo pipefail

# Run from a cargo test (the e2e test does), cargo's per-crate variables would leak into the
# builds below and make build scripts that watch them (e.g. ring's CARGO_MANIFEST_DIR) rebuild.
unset CARGO_MANIFEST_DIR CARGO_MANIFEST_PATH CARGO_PRIMARY_PACKAGE CARGO_CRATE_NAME \
    CARGO_TARGET_TMPDIR OUT_DIR
for variable in ${!CARGO_PKG_@} ${!CARGO_BIN_@}; do unset "$variable"; done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
CARGO=${CARGO:-cargo}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/accord-example.XXXXXX")
BIN=$WORK/bin
LOGS=$WORK/logs
mkdir -p "$BIN" "$LOGS" "$WORK/contracts"

# Versions as a CI would give them (commit shas), and their branches.
WEB_APP_V1=5e1d2a0
BILLING_V1=9f0b3e6
ORDERS_V1=0c4f9b2
INVENTORY_V1=b91a6f4
INVENTORY_RENAME=e2c5d70 # branch rename-available
ORDERS_V2=7d3e8a1        # branch reserve-stock
INVENTORY_V2=4a8f1c3     # branch reserve-stock
ENVIRONMENT=production

PIDS=()
FAILURES=()

cleanup() {
    local status=$?
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [[ ${ACCORD_EXAMPLE_KEEP:-} == 1 ]]; then
        echo "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() { printf '\n== %s\n' "$*"; }
say() { printf '   %s\n' "$*"; }
indent() { sed 's/^/   | /'; }
# show LOG N [GREP-ARGS...]: prints the first N (matching) lines of a log, indented.
show() {
    local log=$LOGS/$1.log lines=$2
    shift 2
    if (($# > 0)); then
        { grep "$@" "$log" || true; } | head -n "$lines" | indent
    else
        head -n "$lines" "$log" | indent
    fi
}
# Records an unexpected outcome; the run goes on and exits 1 at the end.
failed() {
    printf '   FAILED: %s\n' "$1"
    FAILURES+=("$1")
}

# run NAME CMD...: runs CMD with its output in $LOGS/NAME.log; returns its status.
run() {
    local name=$1
    shift
    local status=0
    "$@" >"$LOGS/$name.log" 2>&1 || status=$?
    return "$status"
}

# expect_ok NAME WHAT CMD...: CMD must succeed.
expect_ok() {
    local name=$1 what=$2
    shift 2
    if run "$name" "$@"; then
        say "ok: $what"
    else
        failed "$what (exit $?)"
        tail -n 40 "$LOGS/$name.log" | indent
    fi
}

# expect_fail NAME WHAT CMD...: CMD must fail (exit 1).
expect_fail() {
    local name=$1 what=$2
    shift 2
    if run "$name" "$@"; then
        failed "$what: it succeeded, a failure was expected"
        tail -n 40 "$LOGS/$name.log" | indent
    else
        say "ok: $what (exit $?, as expected)"
    fi
}

# start NAME PROGRAM ARGS...: starts a server printing "... listening on URL"; sets $URL.
# PROGRAM must be a binary (not a shell function), so that its pid is the server's.
start() {
    local name=$1
    shift
    : >"$LOGS/$name.log"
    "$@" >"$LOGS/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    local waited=0
    URL=
    while [[ -z $URL ]]; do
        URL=$(sed -n 's/^.* listening on \(http[^ ]*\).*$/\1/p' "$LOGS/$name.log" | head -n 1)
        [[ -n $URL ]] && break
        if ! kill -0 "$pid" 2>/dev/null || ((waited >= 600)); then
            cat "$LOGS/$name.log" >&2
            echo "$name did not start" >&2
            exit 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
}

# stop PID: stops one server started by `start`.
stop() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

accord() { "$BIN/accord" "$@"; }

# build PACKAGE BINARY COPY [FEATURES]: builds and keeps a copy of the binary.
build() {
    local package=$1 binary=$2 copy=$3 features=${4:-}
    local args=(build --quiet -p "$package")
    [[ -n $features ]] && args+=(--features "$features")
    (cd "$ROOT" && "$CARGO" "${args[@]}")
    cp "$TARGET/debug/$binary" "$BIN/$copy"
}

# verify PROVIDER VERSION BRANCH BASE_URL [SELECTOR FLAGS...]
verify() {
    local provider=$1 version=$2 branch=$3 url=$4
    shift 4
    accord verify --broker-url "$BROKER" --provider "$provider" \
        --provider-base-url "$url" --state-change-url "$url/_accord/provider-states" \
        --publish --provider-app-version "$version" --provider-version-branch "$branch" \
        --no-colour "$@"
}

# can_i_deploy PACTICIPANT VERSION
can_i_deploy() {
    accord can-i-deploy --broker-base-url "$BROKER" --pacticipant "$1" --version "$2" \
        --to-environment "$ENVIRONMENT"
}

has_command() { accord "$1" --help >/dev/null 2>&1; }

# --- 0. build -------------------------------------------------------------------------------
step "0. Build accord and the example services"
build accord-cli accord accord
build example-inventory-api inventory-api inventory-api
build example-orders-api orders-api orders-api
build example-inventory-api inventory-api inventory-api-rename rename-available
build example-inventory-api inventory-api inventory-api-reservations reservations
build example-orders-api orders-api orders-api-reserve-stock reserve-stock
say "ok: binaries in $BIN"

# --- 1. broker ------------------------------------------------------------------------------
step "1. Start a fresh broker"
start broker "$BIN/accord" broker serve --port 0 --database "sqlite://$WORK/broker.db"
BROKER=$URL
BROKER_PID=${PIDS[-1]}
export PACT_BROKER_BASE_URL=$BROKER
say "ok: broker at $BROKER (SQLite in $WORK)"

# --- 2. consumer tests and publishing -------------------------------------------------------
step "2. Consumer tests write contracts; publish them"
MAIN_CONTRACTS=$WORK/contracts/main
expect_ok consumer-tests "consumer tests of web-app, orders-api, billing-worker" \
    env ACCORD_CONTRACTS_DIR="$MAIN_CONTRACTS" \
    "$CARGO" test --quiet --manifest-path "$ROOT/Cargo.toml" \
    -p example-web-app -p example-orders-api -p example-billing-worker
for file in "$MAIN_CONTRACTS"/*.json; do
    say "   wrote $(basename "$file")"
done
publish() { # CONSUMER VERSION BRANCH FILE
    expect_ok "publish-$1-$2" "published $1 $2 (branch $3): $(basename "$4")" \
        accord publish "$4" --consumer-app-version "$2" --branch "$3"
}
publish web-app "$WEB_APP_V1" main "$MAIN_CONTRACTS/web-app-orders-api.json"
publish orders-api "$ORDERS_V1" main "$MAIN_CONTRACTS/orders-api-inventory-api.json"
publish billing-worker "$BILLING_V1" main "$MAIN_CONTRACTS/billing-worker-orders-api.json"

# --- 3. provider verification ---------------------------------------------------------------
step "3. Verify the providers against the broker's contracts; publish the results"
MAIN_SELECTORS=(--consumer-version-branch main --consumer-version-deployed-or-released)
start inventory-api "$BIN/inventory-api" --port 0 --provider-states
expect_ok verify-inventory "inventory-api $INVENTORY_V1 honours orders-api's contract" \
    verify inventory-api "$INVENTORY_V1" main "$URL" "${MAIN_SELECTORS[@]}"
show verify-inventory 12 -v 'results published to'
stop "${PIDS[-1]}"
start orders-api "$BIN/orders-api" --port 0 --provider-states
expect_ok verify-orders "orders-api $ORDERS_V1 honours web-app's and billing-worker's contracts" \
    verify orders-api "$ORDERS_V1" main "$URL" "${MAIN_SELECTORS[@]}"
show verify-orders 20 -v 'results published to'
stop "${PIDS[-1]}"

# --- 4. can-i-deploy and deployments --------------------------------------------------------
step "4. can-i-deploy each service to $ENVIRONMENT; record the deployments"
if run environments accord environment list && grep -qw "$ENVIRONMENT" "$LOGS/environments.log"; then
    say "ok: the broker has an environment $ENVIRONMENT"
else
    expect_ok environment "created environment $ENVIRONMENT" \
        accord environment create --name "$ENVIRONMENT" --production
fi
for service in "inventory-api $INVENTORY_V1" "orders-api $ORDERS_V1" \
    "web-app $WEB_APP_V1" "billing-worker $BILLING_V1"; do
    read -r name version <<<"$service"
    if has_command can-i-deploy; then
        expect_ok "can-i-deploy-$name" "can-i-deploy $name $version to $ENVIRONMENT: yes" \
            can_i_deploy "$name" "$version"
    else
        failed "this accord has no can-i-deploy command"
    fi
    expect_ok "deploy-$name" "recorded $name $version in $ENVIRONMENT" \
        accord record-deployment --pacticipant "$name" --version "$version" \
        --environment "$ENVIRONMENT"
done
[[ -f $LOGS/can-i-deploy-orders-api.log ]] && show can-i-deploy-orders-api 12

# --- 5. a breaking change -------------------------------------------------------------------
step "5. Breaking change: inventory-api renames 'available' (branch rename-available)"
start inventory-api-rename "$BIN/inventory-api-rename" --port 0 --provider-states
expect_fail verify-rename "inventory-api $INVENTORY_RENAME fails orders-api's contract" \
    verify inventory-api "$INVENTORY_RENAME" rename-available "$URL" "${MAIN_SELECTORS[@]}"
stop "${PIDS[-1]}"
say "the verifier's report:"
show verify-rename 30 -v 'results published to'
if grep -q "available" "$LOGS/verify-rename.log"; then
    say "ok: the report names the missing field 'available'"
else
    failed "the verification report does not mention the field 'available'"
fi
RENAMED_INTERACTION="get the stock level of a SKU"
if has_command can-i-deploy; then
    expect_fail can-i-deploy-rename "can-i-deploy inventory-api $INVENTORY_RENAME: no" \
        can_i_deploy inventory-api "$INVENTORY_RENAME"
    head -n 20 "$LOGS/can-i-deploy-rename.log" | indent
    if grep -qF "$RENAMED_INTERACTION" "$LOGS/can-i-deploy-rename.log"; then
        say "ok: can-i-deploy names the failing interaction \"$RENAMED_INTERACTION\""
    else
        failed "can-i-deploy does not name the interaction \"$RENAMED_INTERACTION\""
    fi
else
    failed "this accord has no can-i-deploy command"
fi

# --- 6. a coordinated change ----------------------------------------------------------------
step "6. Coordinated change: orders-api needs inventory-api's new POST /reservations"
NEXT_CONTRACTS=$WORK/contracts/reserve-stock
expect_ok consumer-tests-v2 "orders-api consumer tests with feature reserve-stock" \
    env ACCORD_CONTRACTS_DIR="$NEXT_CONTRACTS" \
    "$CARGO" test --quiet --manifest-path "$ROOT/Cargo.toml" \
    -p example-orders-api --features reserve-stock
publish orders-api "$ORDERS_V2" reserve-stock "$NEXT_CONTRACTS/orders-api-inventory-api.json"
start orders-api-v2 "$BIN/orders-api-reserve-stock" --port 0 --provider-states
expect_ok verify-orders-v2 "orders-api $ORDERS_V2 still honours its consumers' contracts" \
    verify orders-api "$ORDERS_V2" reserve-stock "$URL" "${MAIN_SELECTORS[@]}"
stop "${PIDS[-1]}"
start inventory-api-v2 "$BIN/inventory-api-reservations" --port 0 --provider-states
expect_ok verify-inventory-v2 "inventory-api $INVENTORY_V2 honours orders-api $ORDERS_V2 and $ORDERS_V1" \
    verify inventory-api "$INVENTORY_V2" reserve-stock "$URL" \
    --consumer-version-branch reserve-stock "${MAIN_SELECTORS[@]}"
stop "${PIDS[-1]}"
if has_command plan; then
    expect_ok plan "accord plan for orders-api $ORDERS_V2 + inventory-api $INVENTORY_V2" \
        accord plan --broker-base-url "$BROKER" \
        --pacticipant orders-api --version "$ORDERS_V2" \
        --pacticipant inventory-api --version "$INVENTORY_V2" \
        --to-environment "$ENVIRONMENT" --output json
    # The services in the order the plan's steps deploy them.
    ORDER=$(awk '/"deploy": \[/ { inside = 1; next }
        inside && /^[[:space:]]*\]/ { inside = 0 }
        inside && /"pacticipant"/ { gsub(/.*"pacticipant": *"|".*/, ""); print }' \
        "$LOGS/plan.log" | paste -sd' ' -)
    run plan-table accord plan --broker-base-url "$BROKER" \
        --pacticipant orders-api --version "$ORDERS_V2" \
        --pacticipant inventory-api --version "$INVENTORY_V2" \
        --to-environment "$ENVIRONMENT" || true
    show plan-table 12
    say "plan order: $ORDER"
    if [[ $ORDER == "inventory-api orders-api" ]]; then
        say "ok: inventory-api (the provider) goes first, then orders-api"
    else
        failed "the plan does not deploy inventory-api before orders-api"
        indent <"$LOGS/plan.log"
    fi
else
    failed "this accord has no plan command"
fi

# --- 7. clean up ----------------------------------------------------------------------------
step "7. Stop the broker and clean up"
stop "$BROKER_PID"
say "ok: broker stopped; $WORK is removed on exit"

if ((${#FAILURES[@]} > 0)); then
    printf '\n%d unexpected outcome(s):\n' "${#FAILURES[@]}"
    printf '  - %s\n' "${FAILURES[@]}"
    exit 1
fi
printf '\nAll steps gave the expected outcome.\n'
