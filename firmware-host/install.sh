#!/bin/sh
# Installs the CrampSense service on a Raspberry Pi (Raspberry Pi OS 64-bit), from a publish folder:
#   dotnet publish firmware-host -c Release -r linux-arm64 --self-contained -o out/crampsense-host
#   scp -r out/crampsense-host firmware-host/install.sh firmware-host/crampsense.service pi@wearable:
#   ssh pi@wearable sudo sh ./install.sh ./crampsense-host
# Creates the user 'crampsense' (groups gpio, i2c, spi), copies the program to /opt/crampsense, installs the
# systemd unit and enables it. Keeps an existing /opt/crampsense/appsettings.json and /etc/crampsense/crampsense.env.
set -eu

PUBLISH_DIR=${1:-./crampsense-host}
UNIT_FILE=${2:-$(dirname "$0")/crampsense.service}
PREFIX=/opt/crampsense

if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (sudo sh install.sh $PUBLISH_DIR)" >&2
    exit 1
fi
if [ ! -x "$PUBLISH_DIR/crampsense-host" ]; then
    echo "install.sh: $PUBLISH_DIR/crampsense-host not found; publish first: dotnet publish firmware-host -c Release -r linux-arm64 --self-contained -o $PUBLISH_DIR" >&2
    exit 1
fi
if [ ! -f "$UNIT_FILE" ]; then
    echo "install.sh: unit file $UNIT_FILE not found" >&2
    exit 1
fi

for group in gpio i2c spi; do
    getent group "$group" >/dev/null || groupadd --system "$group"
done
if ! id crampsense >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /var/lib/crampsense --shell /usr/sbin/nologin --user-group crampsense
fi
usermod -a -G gpio,i2c,spi crampsense

# Keep the operator's settings across upgrades.
keep=""
if [ -f "$PREFIX/appsettings.json" ]; then
    keep=$(mktemp)
    cp "$PREFIX/appsettings.json" "$keep"
fi
mkdir -p "$PREFIX"
cp -a "$PUBLISH_DIR"/. "$PREFIX"/
if [ -n "$keep" ]; then
    cp "$keep" "$PREFIX/appsettings.json"
    rm -f "$keep"
fi
chown -R root:root "$PREFIX"
chmod 0755 "$PREFIX/crampsense-host"
ln -sf "$PREFIX/crampsense-host" /usr/local/bin/crampsense-host

install -d -m 0750 -o root -g crampsense /etc/crampsense
if [ ! -f /etc/crampsense/crampsense.env ]; then
    install -m 0640 -o root -g crampsense /dev/null /etc/crampsense/crampsense.env
    echo "# CRAMPSENSE_Mqtt__Host=broker.local" >> /etc/crampsense/crampsense.env
fi

# The unit hands the MQTT password in with LoadCredential= and fails to start when the file is missing: create it
# empty (no password) and readable by root only; put the device's password into it (one line).
if [ ! -f /etc/crampsense/mqtt-password ]; then
    install -m 0600 -o root -g root /dev/null /etc/crampsense/mqtt-password
fi
install -m 0644 "$UNIT_FILE" /etc/systemd/system/crampsense.service
systemctl daemon-reload
systemctl enable crampsense.service
systemctl restart crampsense.service
echo "crampsense installed; follow it with: journalctl -u crampsense -f"
