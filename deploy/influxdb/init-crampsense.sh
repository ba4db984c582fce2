#!/bin/bash
# Runs once, when the influxdb:2.7 container sets itself up (docker-entrypoint-initdb.d; DOCKER_INFLUXDB_INIT_* are
# set). Maps the InfluxQL database/retention policy "<bucket>/autogen" onto the bucket (DBRP) so Grafana's InfluxQL
# dashboards work, and mints two tokens: write-only on the bucket for the bridge, read-only for Grafana. Each goes to
# its own volume (bridge-token, grafana-token), mounted read-only only by its user: Grafana cannot read the write token.
set -euo pipefail
tokens=/var/lib/crampsense-tokens
mkdir -p "$tokens/bridge" "$tokens/grafana"

influx v1 dbrp create \
  --org "${DOCKER_INFLUXDB_INIT_ORG}" \
  --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --db "${DOCKER_INFLUXDB_INIT_BUCKET}" \
  --rp autogen \
  --default

token_of() { sed -n 's/.*"token": *"\([^"]*\)".*/\1/p'; }

influx auth create --org "${DOCKER_INFLUXDB_INIT_ORG}" --write-bucket "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --description "crampsense-bridge write-only" --json | token_of > "$tokens/bridge/bridge.token"
influx auth create --org "${DOCKER_INFLUXDB_INIT_ORG}" --read-bucket "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --description "grafana read-only" --json | token_of > "$tokens/grafana/grafana.token"

# Readable by the bridge (uid 1654 in the .NET image) and by Grafana (uid 472), each in the one volume only it mounts.
chmod 0644 "$tokens/bridge/bridge.token" "$tokens/grafana/grafana.token"
test -s "$tokens/bridge/bridge.token" && test -s "$tokens/grafana/grafana.token"
echo "crampsense: DBRP ${DOCKER_INFLUXDB_INIT_BUCKET}/autogen and the bridge/grafana tokens are ready"
