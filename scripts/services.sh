#!/usr/bin/env bash
# Install and start, idempotently, the servers the test suite needs (Debian 12, as root, no systemd).
# Redis and PostgreSQL are reused when they already answer; Dovecot is only installed here, because the
# test fixtures (tests/servers.py) start private instances on free loopback ports.
set -euo pipefail

REDIS_PORT="${REDIS_PORT:-6379}"
PG_PORT="${PG_PORT:-5432}"
STATE_DIR="${DUNNING_SERVICES_DIR:-/var/tmp/dunning-services}"
export DEBIAN_FRONTEND=noninteractive

say() { printf 'services: %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "services: run as root (it installs Debian packages and starts servers)" >&2
  exit 1
fi

# --- packages: install only what is missing ---------------------------------------------------
packages=(dovecot-imapd dovecot-lmtpd redis-server postgresql poppler-utils)
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  say "packages present: ${packages[*]}"
fi

# --- Redis on 127.0.0.1:$REDIS_PORT -------------------------------------------------------------
if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  say "reused Redis on 127.0.0.1:$REDIS_PORT"
else
  mkdir -p "$STATE_DIR/redis"
  # --bind: without it redis-server listens on every interface; --save '': tests need no persistence.
  redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$STATE_DIR/redis" --pidfile "$STATE_DIR/redis/redis.pid" --logfile "$STATE_DIR/redis/redis.log"
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG || { echo "services: Redis did not start, see $STATE_DIR/redis/redis.log" >&2; exit 1; }
  say "started Redis on 127.0.0.1:$REDIS_PORT (log $STATE_DIR/redis/redis.log)"
fi

# --- PostgreSQL on 127.0.0.1:$PG_PORT, trust auth for loopback -----------------------------------
pg_answers() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }
if pg_answers; then
  say "reused PostgreSQL on 127.0.0.1:$PG_PORT"
else
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1 || true)"
  if [ -n "$version" ] && [ -d "/etc/postgresql/$version/main" ] && [ "$PG_PORT" = 5432 ]; then
    # The Debian cluster exists: let loopback in without a password, then start it without systemd.
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    if ! grep -q "^# dunning-test-trust" "$hba"; then
      tmp="$(mktemp)"
      { echo "# dunning-test-trust: loopback trusted for the test suite (scripts/services.sh)"
        echo "host all all 127.0.0.1/32 trust"
        echo "host all all ::1/128 trust"
        echo "local all all trust"
        cat "$hba"; } > "$tmp"
      cat "$tmp" > "$hba" && rm -f "$tmp"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    say "started the Debian PostgreSQL $version cluster on 127.0.0.1:$PG_PORT"
  else
    # No Debian cluster (or another port): a private one, as in shared/recipes/services.md.
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
    mkdir -p "$STATE_DIR/pg"
    chmod 755 "$STATE_DIR"  # initdb runs as postgres and must reach its folder
    chown postgres:postgres "$STATE_DIR/pg"
    if [ ! -f "$STATE_DIR/pg/data/PG_VERSION" ]; then
      runuser -u postgres -- "$bin/initdb" -D "$STATE_DIR/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    fi
    runuser -u postgres -- "$bin/pg_ctl" -D "$STATE_DIR/pg/data" -l "$STATE_DIR/pg/server.log" -w start \
      -o "-p $PG_PORT -k $STATE_DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null
    say "started a private PostgreSQL on 127.0.0.1:$PG_PORT (data $STATE_DIR/pg/data)"
  fi
  for _ in $(seq 1 50); do pg_answers && break; sleep 0.1; done
  pg_answers || { echo "services: PostgreSQL does not answer on 127.0.0.1:$PG_PORT" >&2; exit 1; }
fi

# --- Dovecot: the fixtures start their own; only check the binary is there ------------------------
command -v dovecot >/dev/null && say "Dovecot $(dovecot --version | cut -d' ' -f1) installed (test fixtures start private instances)"
say "ready: Redis redis://127.0.0.1:$REDIS_PORT (tests claim a free database 15..1, or TEST_REDIS_URL) TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
