#!/bin/sh
# Creates the password file from the environment at every start (no password is stored in the repository or the
# image), then runs mosquitto. MQTT_BRIDGE_PASSWORD is the bridge's, MQTT_OPERATOR_PASSWORD (optional) the operator's
# (the only user who may read crampsense/v1/_deadletter). MQTT_DEVICES holds one "device-id:password" entry per line:
# the id is everything before the first ':', the password everything after it (spaces and ':' included), so entries
# are never split on spaces. An entry without ':', with an empty password or with an id that is not a device id
# (1-32 of a-z, 0-9, '-'; not a service user) stops the container; the message names the entry's line, never a password.
set -eu
umask 077
# MOSQUITTO_PASSWD_DIR and CRAMPSENSE_ENTRYPOINT_NO_EXEC exist for DockerComposeTests, which run this script outside
# the container.
dir=${MOSQUITTO_PASSWD_DIR:-/mosquitto/passwd}
mkdir -p "$dir"
passwd=$dir/passwd
tmp=$passwd.new
rm -f "$tmp"
# 0600 from creation (umask 077): the hashes are never readable by others, not even while the file is filled.
: > "$tmp"
mosquitto_passwd -b "$tmp" crampsense-bridge "${MQTT_BRIDGE_PASSWORD:?set MQTT_BRIDGE_PASSWORD}"
if [ -n "${MQTT_OPERATOR_PASSWORD:-}" ]; then
  mosquitto_passwd -b "$tmp" crampsense-operator "$MQTT_OPERATOR_PASSWORD"
fi
line=0
printf '%s\n' "${MQTT_DEVICES:-}" | {
  while IFS= read -r entry || [ -n "$entry" ]; do
    line=$((line + 1))
    [ -z "$entry" ] && continue
    case "$entry" in
      *:*) ;;
      *) echo "entrypoint: MQTT_DEVICES line $line: no ':' between device id and password" >&2; exit 1 ;;
    esac
    id=${entry%%:*}
    password=${entry#*:}
    if ! printf '%s' "$id" | grep -Eq '^[a-z0-9-]{1,32}$' || [ "$id" = crampsense-bridge ] || [ "$id" = crampsense-operator ]; then
      echo "entrypoint: MQTT_DEVICES line $line: '$id' is not a device id (1-32 of a-z, 0-9, '-'; not crampsense-bridge or crampsense-operator)" >&2
      exit 1
    fi
    if [ -z "$password" ]; then
      echo "entrypoint: MQTT_DEVICES line $line: device '$id' has an empty password" >&2
      exit 1
    fi
    mosquitto_passwd -b "$tmp" "$id" "$password"
  done
}
if id mosquitto > /dev/null 2>&1; then
  chown mosquitto:mosquitto "$tmp"
fi
chmod 0600 "$tmp"
mv "$tmp" "$passwd"
[ -n "${CRAMPSENSE_ENTRYPOINT_NO_EXEC:-}" ] && exit 0
exec mosquitto -c /mosquitto/config/mosquitto.conf
