#!/usr/bin/env bash
# Checks the deployment files in deploy/ (run by .ci/run; needs systemd-analyze, nginx and
# openssl; docker compose is used when present):
#   1. both systemd units with `systemd-analyze verify`, strictly: that command exits 0 on an
#      unknown key or a value it cannot parse (it only warns), so any message about the unit
#      counts as a failure. The ExecStart binaries point to stand-ins in a scratch copy.
#   2. the nginx site with `nginx -t`, included from a throwaway nginx.conf with a self-signed
#      certificate and unprivileged ports, as an unprivileged user would run it.
#   3. deploy/regiohub.toml.example: valid TOML, and every key a field of src/config.rs's
#      Settings or MailSettings (the service refuses unknown keys).
#   4. deploy/compose.yaml with `docker compose config -q` (or docker-compose), skipped with a
#      message when neither is installed.
# Each check first proves on a deliberately broken copy that it can fail at all.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() { printf -- '-- %s\n' "$*"; }
fail() {
    printf 'deploy/check.sh: FAILED: %s\n' "$*" >&2
    exit 1
}
find_tool() {
    # nginx lives in /usr/sbin, which is not on every user's PATH.
    command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || return 1
}

# --- 1. systemd units -------------------------------------------------------------------------
systemd_analyze=$(find_tool systemd-analyze) || fail "systemd-analyze not found (Debian package systemd)"
mkdir -p "$tmp/bin" "$tmp/units" "$tmp/broken"
for binary in regiohub regiohub-bridge; do
    printf '#!/bin/sh\nexit 0\n' >"$tmp/bin/$binary"
    chmod 0755 "$tmp/bin/$binary"
done

# verify_unit FILE: verifies FILE (its name is the unit's name); prints the messages and
# returns non-zero when there are any or systemd-analyze fails.
verify_unit() {
    local unit=$1 output status=0
    output=$(cd "$(dirname "$unit")" && "$systemd_analyze" verify --man=no "./$(basename "$unit")" 2>&1) || status=$?
    # Messages about other units (dependencies from the host) are not ours to judge; messages
    # about this one name its file or its unit name.
    local ours
    ours=$(grep -F "$(basename "$unit")" <<<"$output" || true)
    if [ "$status" -ne 0 ] || [ -n "$ours" ]; then
        printf '%s\n' "$output" | sed 's/^/   /'
        return 1
    fi
    [ -z "$output" ] || printf '%s\n' "$output" | sed 's/^/   (other unit) /'
}

# stage_unit SRC DIR: copies SRC to DIR, its ExecStart binary replaced with the stand-in.
stage_unit() {
    local name
    name=$(basename "$1")
    grep -Eq '^ExecStart=/usr/local/bin/regiohub(-bridge)? ' "$1" || fail "$1: ExecStart does not run /usr/local/bin/regiohub[-bridge]"
    sed -E "s#^ExecStart=/usr/local/bin/(regiohub(-bridge)?) #ExecStart=$tmp/bin/\\1 #" "$1" >"$2/$name"
    echo "$2/$name"
}

say "systemd-analyze verify must fail on a broken unit (self-test)"
broken=$(stage_unit deploy/systemd/regiohub.service "$tmp/broken")
sed -i 's/^ProtectSystem=strict$/ProtectSystem=strickt\nNoSuchSetting=yes/' "$broken"
grep -q '^NoSuchSetting=yes$' "$broken" || fail "self-test: deploy/systemd/regiohub.service has no ProtectSystem=strict"
if verify_unit "$broken" >/dev/null; then
    fail "systemd-analyze verify accepted a unit with an unknown key and a bad value"
fi
sed -E "s#^ExecStart=[^ ]+#ExecStart=$tmp/bin/missing#" deploy/systemd/regiohub.service >"$broken"
if verify_unit "$broken" >/dev/null; then
    fail "systemd-analyze verify accepted a unit whose ExecStart binary is missing"
fi

for unit in deploy/systemd/regiohub.service deploy/systemd/regiohub-bridge.service; do
    say "systemd-analyze verify $unit"
    staged=$(stage_unit "$unit" "$tmp/units")
    verify_unit "$staged" || fail "$unit does not verify"
done

# --- 2. nginx site ----------------------------------------------------------------------------
nginx=$(find_tool nginx) || fail "nginx not found (Debian package nginx)"
command -v openssl >/dev/null || fail "openssl not found"
site=deploy/nginx/regiohub.conf
mkdir -p "$tmp/nginx/logs" "$tmp/nginx/temp" "$tmp/nginx/ssl"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$tmp/nginx/ssl/privkey.pem" -out "$tmp/nginx/ssl/fullchain.pem" >/dev/null 2>&1 \
    || fail "openssl could not make a throwaway certificate"

# stage_site SRC DEST: the site with the throwaway certificate and unprivileged ports.
stage_site() {
    sed -e "s#/etc/ssl/regiohub/#$tmp/nginx/ssl/#g" \
        -e 's/^\([[:space:]]*listen[[:space:]]\{1,\}\)80;/\118080;/' \
        -e 's/^\([[:space:]]*listen[[:space:]]\{1,\}\)443 /\118443 /' \
        "$1" >"$2"
    if ! grep -q "$tmp/nginx/ssl/fullchain.pem" "$2" || ! grep -q "$tmp/nginx/ssl/privkey.pem" "$2"; then
        fail "$1: ssl_certificate paths are not /etc/ssl/regiohub/fullchain.pem and privkey.pem"
    fi
    if grep -Eq '^[[:space:]]*listen[[:space:]]+(80|443)[ ;]' "$2"; then
        fail "$1: a listen line on port 80 or 443 was not replaced"
    fi
}

cat >"$tmp/nginx/nginx.conf" <<EOF
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events {}
http {
    access_log $tmp/nginx/logs/access.log;
    client_body_temp_path $tmp/nginx/temp/body;
    proxy_temp_path $tmp/nginx/temp/proxy;
    fastcgi_temp_path $tmp/nginx/temp/fastcgi;
    uwsgi_temp_path $tmp/nginx/temp/uwsgi;
    scgi_temp_path $tmp/nginx/temp/scgi;
    include $tmp/nginx/site.conf;
}
EOF
nginx_test() {
    "$nginx" -t -q -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>&1
}

say "nginx -t must fail on a broken site (self-test)"
stage_site "$site" "$tmp/nginx/site.conf"
sed -i 's/proxy_read_timeout 75s;/proxy_read_timeout seventy-five;/' "$tmp/nginx/site.conf"
grep -q seventy-five "$tmp/nginx/site.conf" || fail "self-test: the bridge location's proxy_read_timeout 75s is gone"
if nginx_test >/dev/null; then
    fail "nginx -t accepted a broken site"
fi

say "nginx -t with $site ($("$nginx" -v 2>&1 | sed 's/^nginx version: //'))"
stage_site "$site" "$tmp/nginx/site.conf"
nginx_test | sed 's/^/   /' || fail "$site does not pass nginx -t"

# --- 3. the example configuration -------------------------------------------------------------
say "deploy/regiohub.toml.example: TOML, and only settings src/config.rs knows"
python3 - deploy/regiohub.toml.example src/config.rs <<'PY' || fail "deploy/regiohub.toml.example does not match src/config.rs"
import re
import sys
import tomllib

example_path, source_path = sys.argv[1], sys.argv[2]
source = open(source_path, encoding="utf-8").read()


def fields(struct):
    match = re.search(r"pub struct " + struct + r" \{(.*?)\n\}", source, re.S)
    if not match:
        sys.exit(f"{source_path}: struct {struct} not found")
    return set(re.findall(r"^\s*pub (\w+):", match.group(1), re.M))


settings, mail = fields("Settings"), fields("MailSettings")
with open(example_path, "rb") as f:
    example = tomllib.load(f)
unknown = [k for k in example if k not in settings]
unknown += [f"mail.{k}" for k in example.get("mail", {}) if k not in mail]
if unknown:
    sys.exit(f"{example_path}: not settings: {', '.join(unknown)}")
print(f"   {len(example) - 1} settings and {len(example.get('mail', {}))} mail settings, all known")
PY

# --- 4. compose -------------------------------------------------------------------------------
compose=()
if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
fi
if [ ${#compose[@]} -eq 0 ]; then
    say "SKIPPED: deploy/compose.yaml not checked: neither 'docker compose' nor 'docker-compose' is installed"
else
    say "${compose[*]} -f deploy/compose.yaml config -q must fail on a broken file (self-test)"
    sed 's/^services:$/services:\n  broken:\n    image: [not, a, string]/' deploy/compose.yaml >"$tmp/compose.yaml"
    grep -q 'not, a, string' "$tmp/compose.yaml" || fail "self-test: deploy/compose.yaml has no top-level services:"
    if POSTGRES_PASSWORD=check-only "${compose[@]}" -f "$tmp/compose.yaml" config -q >/dev/null 2>&1; then
        fail "${compose[*]} config accepted a broken compose file"
    fi
    say "${compose[*]} -f deploy/compose.yaml config -q ($("${compose[@]}" version 2>/dev/null | sed -n 1p))"
    # The password comes from deploy/.env in a real deployment; any value does for the check.
    POSTGRES_PASSWORD=check-only "${compose[@]}" -f deploy/compose.yaml config -q || fail "deploy/compose.yaml is not valid"
fi

say "deployment files ok"
