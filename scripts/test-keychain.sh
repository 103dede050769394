#!/usr/bin/env bash
# Runs CMD inside a private D-Bus session with an unlocked GNOME Keyring — a real Secret Service,
# the OS keychain of Linux desktops — so the test of the token kept in the keychain talks to a
# real one. The keyring lives in a temporary XDG_DATA_HOME (the user's own is never touched) and
# goes away with the session.
#
#   scripts/test-keychain.sh CMD...
set -euo pipefail

for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "test-keychain: $tool is missing: run scripts/setup-system.sh" >&2
    exit 1
  }
done
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME="$data"
# --unlock reads the new login keyring's password from stdin, creates and unlocks it; the daemon
# then answers org.freedesktop.secrets on this session's bus.
dbus-run-session -- bash -c '
  printf "screening-test" | gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null
  exec "$@"' test-keychain "$@"
