#!/usr/bin/env bash
# Makes sure PostgreSQL server binaries (initdb, pg_ctl, postgres) are present,
# installing Debian's postgresql package when they are not. The tests never
# depend on a running cluster: internal/pgtest starts its own throwaway one.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "PostgreSQL binaries: $(ls -d /usr/lib/postgresql/*/bin | tail -n 1)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "PostgreSQL server binaries are missing; run as root or: sudo apt-get install -y postgresql" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends postgresql
ls /usr/lib/postgresql/*/bin/initdb
