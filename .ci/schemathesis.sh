#!/usr/bin/env bash
# Property-based tests of the JSON API against its OpenAPI document with schemathesis: starts
# `regiohub demo` on loopback with a fresh data folder, authenticates as the demo member with the
# API token the demo prints, runs every phase (examples, coverage, fuzzing, stateful with the
# inferred links) with a bounded number of deterministic examples, and always stops the demo.
# Exits non-zero when schemathesis finds a disagreement between the document and the server.
#
# Needs the `.venv` that .ci/run makes and a built `target/debug/regiohub` (`cargo test` builds
# it; otherwise this builds it once).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-25}
venv=.venv
bin=target/debug/regiohub

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
if [ ! -x "$bin" ]; then
    cargo build --bin regiohub
fi

work=$(mktemp -d)
demo_pid=
stop_demo() {
    if [ -n "$demo_pid" ] && kill -0 "$demo_pid" 2>/dev/null; then
        kill -TERM "$demo_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$demo_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$demo_pid" 2>/dev/null || true
        wait "$demo_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop_demo EXIT
trap 'exit 130' INT TERM

# Two free loopback ports (web and Modbus), chosen by the kernel.
read -r port modbus_port < <("$venv/bin/python" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
')
base="http://127.0.0.1:$port"

# The demo uses SQLite in its data folder unless DATABASE_URL is set: keep it fresh and local.
env -u DATABASE_URL -u REGIOHUB_CONFIG "$bin" demo --listen "127.0.0.1:$port" \
    --modbus-listen "127.0.0.1:$modbus_port" --data-dir "$work/data" >"$work/demo.log" 2>&1 &
demo_pid=$!

token=
for _ in $(seq 1 600); do
    if ! kill -0 "$demo_pid" 2>/dev/null; then
        echo "FATAL: regiohub demo exited early:" >&2
        tail -n 20 "$work/demo.log" >&2
        exit 1
    fi
    token=$(grep -o 'API token of the demo member: rh_[A-Za-z0-9_-]*' "$work/demo.log" | grep -o 'rh_.*' || true)
    if [ -n "$token" ] && curl -fsS -o /dev/null "$base/health" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [ -z "$token" ] || ! curl -fsS -o /dev/null "$base/health"; then
    echo "FATAL: regiohub demo did not become healthy on $base:" >&2
    tail -n 20 "$work/demo.log" >&2
    exit 1
fi
echo "regiohub demo on $base (Modbus 127.0.0.1:$modbus_port), data in $work/data"

# Schema-valid booking requests may still break a booking rule (outside the opening hours, too
# long, a month 13): those answer the documented 422 and count as accepted input here.
cat >"$work/schemathesis.toml" <<'EOF'
[[operations]]
include-operation-id = "create_booking"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

[[operations]]
include-operation-id = "change_booking"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# A schema-valid series may still give no usable dates or break a rule (`until` and `count`
# together, an end before the start): the documented 422.
[[operations]]
include-operation-id = "create_series"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# Joining a waitlist takes a booking request: a free time (409 `waitlist_slot_free`) or a broken
# rule (422) are documented answers to schema-valid input; so is accepting where there is no offer.
[[operations]]
include-operation-id = "join_waitlist"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

[[operations]]
include-operation-id = "accept_offer"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
EOF

# Run in the temporary folder so that schemathesis's cache of past failures (.schemathesis/)
# neither lands in the work tree nor carries over between runs.
schemathesis="$PWD/$venv/bin/schemathesis"
status=0
(cd "$work" && "$schemathesis" --config-file "$work/schemathesis.toml" --no-color run "$base/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$MAX_EXAMPLES" \
    --seed 20261206 \
    --generation-deterministic \
    --workers 1 \
    --request-timeout 10 \
    --output-sanitize true) || status=$?
if [ "$status" -ne 0 ]; then
    echo "schemathesis found disagreements between /api/v1/openapi.json and the server (exit $status)" >&2
fi
exit "$status"
