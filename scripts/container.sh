#!/usr/bin/env bash
# Build the image with Podman on a Debian 12 machine (as root) and smoke-test it against real services.
#
# No container registry needs to be reachable: the base image is made from Debian's packages with debootstrap
# (and reused while it exists: podman image exists). Checks: `IMAGE --help`; no test tools in the image;
# runs as non-root; a letter becomes a PDF through the warm LibreOffice; the API from the image answers the
# readiness endpoint against the machine's PostgreSQL (a fresh database, dropped after) and Redis (a free
# database number, claimed as the test fixtures claim them), with host networking, because compose's
# postgres:15 / redis:7 images cannot be pulled where no registry is.
#
# Settings: IMAGE (localhost/dunning:latest), BASE_IMAGE (localhost/debian:bookworm; any bookworm root file
# system, e.g. docker.io/library/debian:bookworm-slim where a registry is reachable), DEBIAN_MIRROR,
# PG_URL (postgresql://postgres@127.0.0.1:5432), REDIS_HOST / REDIS_PORT (127.0.0.1:6379), READY_PATH, CA_BUNDLE.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

IMAGE="${IMAGE:-localhost/dunning:latest}"
BASE_IMAGE="${BASE_IMAGE:-localhost/debian:bookworm}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
# The API's readiness endpoint: 200 only when database, Redis, mailbox (and LibreOffice) answer.
READY_PATH="${READY_PATH:-/ready}"
# CAs the build trusts for PyPI (a build secret, not a layer): the machine's, which include a TLS-inspecting
# proxy's CA where there is one.
CA_BUNDLE="${CA_BUNDLE:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}"

say() { printf 'container: %s\n' "$*"; }
fail() { printf 'container: FAILED: %s\n' "$*" >&2; exit 1; }
seconds_since() { echo $(( $(date +%s) - $1 )); }

if [ "$(id -u)" -ne 0 ]; then
  fail "run as root (it installs Debian packages and runs Podman)"
fi

# --- engine: Podman from Debian's packages ---------------------------------------------------------------
packages=(podman runc debootstrap redis-tools postgresql-client curl)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Two limits of machines like this one (a VM with hybrid cgroups, no CAP_SYS_RESOURCE), both lifted by flags:
# Debian 12's crun refuses hybrid cgroups ("cgroups in hybrid mode not supported"), runc runs; and Podman's
# default limits (nofile 1048576) are above what a process here may raise itself to, so every container
# gets the limits this shell has (nproc at most the 32768 Podman's conmon runs under).
podman() { command podman --runtime runc "$@"; }
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[ "$nproc" != unlimited ] && [ "$nproc" -lt 32768 ] || nproc=32768
[ "$nofile" != unlimited ] || nofile=1048576
limits=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
say "$(podman --version), runtime runc"

# --- base: Debian bookworm from its packages, reused while present -------------------------------------
started=$(date +%s)
if podman image exists "$BASE_IMAGE"; then
  say "reused base $BASE_IMAGE"
elif [[ "$BASE_IMAGE" != localhost/* ]]; then
  podman pull "$BASE_IMAGE"
else
  rootfs=$(mktemp -d /var/tmp/dunning-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  say "building base $BASE_IMAGE with debootstrap from $DEBIAN_MIRROR"
  debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log" >&2; fail "debootstrap (log: $rootfs.log)"; }
  rm -f "$rootfs.log"
  # As Debian's official slim images do: no documentation, manual pages or translations in later layers
  # (LibreOffice's alone are tens of MB).
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  printf 'APT::Install-Recommends "false";\n' >"$rootfs/etc/apt/apt.conf.d/no-recommends"
  # ... and none left from debootstrap's own packages (~45 MB).
  find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
  rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  tar -C "$rootfs" -c . | podman import --quiet - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  say "base built in $(seconds_since "$started") s"
fi

# --- image ---------------------------------------------------------------------------------------------------
started=$(date +%s)
: >/var/tmp/dunning-image-build.log
# The build stage is tagged too, so it stays the cache of the next build while the previous build's images
# (untagged by this one) are removed: a CI machine does not fill up with old images.
build_stage="${IMAGE%:*}-build:latest"
previous=$(podman image inspect --format '{{.Id}}' "$IMAGE" "$build_stage" 2>/dev/null || true)
for target in build final; do
  # Host networking for the build's apt-get and PyPI downloads: nothing else to isolate them from here.
  podman build "${limits[@]}" --network host --secret "id=ca-bundle,src=$CA_BUNDLE" --build-arg "BASE=$BASE_IMAGE" \
    $([ "$target" = build ] && echo "--target build --tag $build_stage" || echo "--tag $IMAGE") . \
    >>/var/tmp/dunning-image-build.log 2>&1 \
    || { tail -30 /var/tmp/dunning-image-build.log >&2; fail "podman build (log: /var/tmp/dunning-image-build.log)"; }
done
current=$(podman image inspect --format '{{.Id}}' "$IMAGE" "$build_stage")
for id in $previous; do
  grep -q "$id" <<<"$current" || podman rmi "$id" >/dev/null 2>&1 || true
done
say "image $IMAGE built in $(seconds_since "$started") s, $(podman image inspect --format '{{.Size}}' "$IMAGE" \
  | awk '{printf "%.0f MB", $1 / 1e6}')"

# --- checks without services ---------------------------------------------------------------------------------
help=$(podman run "${limits[@]}" --rm "$IMAGE" --help) || fail "IMAGE --help exited with $?"
grep -q '^usage: dunning' <<<"$help" || fail "IMAGE --help printed no usage text: $help"
say "ok: --help prints the usage"

uid=$(podman run "${limits[@]}" --rm --entrypoint id "$IMAGE" -u)
[ "$uid" != 0 ] || fail "the image runs as root"
say "ok: runs as uid $uid"

# The application's own packages are found (so the check can tell), the test tools are not.
podman run "${limits[@]}" --rm --entrypoint python "$IMAGE" - <<'EOF' || fail "the image holds test tools (see above)"
import importlib.metadata as metadata
import shutil
import sys

for present in ("dunning", "fastapi", "unoserver"):
    metadata.version(present)  # raises if the check itself looks in the wrong place
found = []
for tool in ("pytest", "mypy", "ruff", "hypothesis", "import-linter", "aiosmtpd", "pip"):
    try:
        found.append(f"{tool} {metadata.version(tool)}")
    except metadata.PackageNotFoundError:
        pass
found += [f"{name} on PATH" for name in ("pytest", "mypy", "ruff", "pip") if shutil.which(name)]
if found:
    sys.exit("found: " + ", ".join(found))
EOF
say "ok: no pytest, mypy, ruff, hypothesis, import-linter, aiosmtpd, pip"

# Letters as PDF through the warm LibreOffice the service keeps (unoserver with Debian's python3-uno).
pdf=$(podman run "${limits[@]}" --rm -i --entrypoint python "$IMAGE" - <<'EOF'
import importlib.resources
import os
import time

from letter_templates.warm_pdf import UnoserverConverter

docx = (importlib.resources.files("letter_templates") / "builtin" / "arrival_check.en.docx").read_bytes()
began = time.monotonic()
with UnoserverConverter("/tmp/warm-pdf", unoserver=os.environ["DUNNING_UNOSERVER_COMMAND"]) as converter:
    assert converter.start(), converter.status
    converter.convert(docx)
    started = time.monotonic() - began
    began = time.monotonic()
    pdf = converter.convert(docx)
    took = time.monotonic() - began
assert pdf.startswith(b"%PDF"), pdf[:20]
print(f"warm LibreOffice up with its first letter in {started:.1f} s, the next letter in {took:.2f} s")
EOF
) || fail "no PDF letter from the image's LibreOffice"
say "ok: $pdf"

# --- the API from the image against PostgreSQL and Redis ----------------------------------------------------
database="dunning_container_$$"
claim_key="dunning:test-session-claim"
claim_token="container-$$-$RANDOM"
redis_db=""
containers=()
# With their anonymous /data volumes.
remove_containers() {
  if [ "${#containers[@]}" -gt 0 ]; then podman rm -f -v -t 0 "${containers[@]}" >/dev/null 2>&1 || true; fi
  containers=()
}
cleanup() {
  remove_containers
  psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  if [ -n "$redis_db" ]; then redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$redis_db" flushdb >/dev/null || true; fi
}
trap cleanup EXIT
psql -q "$PG_URL/postgres" -c "CREATE DATABASE $database" || fail "cannot create a database at $PG_URL"
# Claim a Redis database nobody holds, as the test fixtures do (tests/servers.py); it is flushed after.
for db in $(seq 15 -1 1); do
  if [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$db" set "$claim_key" "$claim_token" NX EX 3600)" = OK ]; then
    redis_db=$db
    break
  fi
done
[ -n "$redis_db" ] || fail "every Redis database 1..15 is claimed"

# Wait until the container's API answers READY_PATH with 200 (or the container stops).
wait_ready() {
  local container=$1 port=$2 began status=""
  began=$(date +%s)
  while [ "$(seconds_since "$began")" -lt 60 ]; do
    status=$(curl -s -o /var/tmp/dunning-ready.json -w '%{http_code}' "http://127.0.0.1:$port$READY_PATH" || true)
    [ "$status" = 200 ] && break
    [ "$(podman inspect --format '{{.State.Running}}' "$container")" = true ] || break
    sleep 0.5
  done
  if [ "$status" != 200 ]; then
    podman logs "$container" 2>&1 | tail -30 >&2
    fail "GET $READY_PATH answered ${status:-nothing} (container logs above)"
  fi
  say "ok: GET $READY_PATH 200 after $(seconds_since "$began") s: $(cat /var/tmp/dunning-ready.json)"
}

# SIGTERM (podman stop) must end the container by itself: exit code 0, not the SIGKILL after the grace time.
stop_cleanly() {
  local container=$1 role=$2 began code
  began=$(date +%s)
  podman stop -t 15 "$container" >/dev/null
  code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
  [ "$code" = 0 ] || { podman logs "$container" 2>&1 | tail -30 >&2; fail "$role: exit code $code after SIGTERM"; }
  say "ok: SIGTERM stopped $role in $(seconds_since "$began") s, exit code 0"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Compose's three roles, with its settings: migrate (runs to completion), then api and worker side by side.
services=(-e "DUNNING_DATABASE_URL=postgresql+psycopg://${PG_URL#postgresql://}/$database"
          -e "DUNNING_REDIS_URL=redis://$REDIS_HOST:$REDIS_PORT/$redis_db")
say "compose's roles from the image: PostgreSQL database $database, Redis database $redis_db"
migrated=$(podman run "${limits[@]}" --rm --network host "${services[@]}" "$IMAGE" migrate) \
  || fail "migrate exited with $?: $migrated"
tables=$(psql -tA "$PG_URL/$database" -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
[ "$tables" -gt 1 ] || fail "migrate from the image left $database with $tables tables"
say "ok: migrate: $migrated ($tables tables)"
port=$(free_port)
containers+=("$(podman run "${limits[@]}" -d --network host "${services[@]}" \
  -e DUNNING_API_HOST=127.0.0.1 -e "DUNNING_API_PORT=$port" "$IMAGE" api)")
containers+=("$(podman run "${limits[@]}" -d --network host "${services[@]}" "$IMAGE" worker)")
wait_ready "${containers[0]}" "$port"
# An rq worker registers itself in Redis once it is connected and listening.
began=$(date +%s)
until [ -n "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$redis_db" smembers rq:workers)" ]; do
  if [ "$(seconds_since "$began")" -ge 60 ] \
     || [ "$(podman inspect --format '{{.State.Running}}' "${containers[1]}")" != true ]; then
    podman logs "${containers[1]}" 2>&1 | tail -30 >&2
    fail "the worker from the image did not register with Redis (container logs above)"
  fi
  sleep 0.5
done
say "ok: worker registered with Redis after $(seconds_since "$began") s"
stop_cleanly "${containers[0]}" api
stop_cleanly "${containers[1]}" worker
remove_containers

# The default command, `run` on embedded defaults: SQLite and a private redis-server in the /data volume.
port=$(free_port)
say "default command (run, embedded defaults) on 127.0.0.1:$port"
containers+=("$(podman run "${limits[@]}" -d --network host -e DUNNING_API_HOST=127.0.0.1 -e "DUNNING_API_PORT=$port" \
  "$IMAGE")")
wait_ready "${containers[0]}" "$port"
stop_cleanly "${containers[0]}" run
remove_containers

size=$(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1 / 1e6}')
say "image $IMAGE: $size — all checks passed"
