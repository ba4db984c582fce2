#!/bin/sh
# Creates the secret files docker-compose.yml reads (./secrets/, git-ignored) with random values, once.
set -eu
cd "$(dirname "$0")/.."
mkdir -p secrets
umask 077
for name in influxdb-admin-password influxdb-admin-token grafana-admin-password; do
  if [ ! -s "secrets/$name" ]; then
    openssl rand -hex 24 > "secrets/$name"
    echo "created secrets/$name"
  fi
done
