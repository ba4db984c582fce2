#!/bin/sh
# Creates the password file from the environment at every start (no password is stored in the repository or the
# image), then runs mosquitto. MQTT_BRIDGE_PASSWORD is the bridge's; MQTT_DEVICES lists "device-id:password" pairs.
set -eu
mkdir -p /mosquitto/passwd
passwd=/mosquitto/passwd/passwd
: > "$passwd"
mosquitto_passwd -b "$passwd" crampsense-bridge "${MQTT_BRIDGE_PASSWORD:?set MQTT_BRIDGE_PASSWORD}"
for pair in ${MQTT_DEVICES:-}; do
  mosquitto_passwd -b "$passwd" "${pair%%:*}" "${pair#*:}"
done
chown mosquitto:mosquitto "$passwd"
chmod 0600 "$passwd"
exec mosquitto -c /mosquitto/config/mosquitto.conf
