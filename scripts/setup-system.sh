#!/usr/bin/env bash
# Installs what building and testing Screening Room needs on Debian/Ubuntu, skipping what is
# already there: the Tauri v2 system libraries, Xvfb and WebKitWebDriver for the end-to-end
# test, Chromium for the report server's web page test, D-Bus and GNOME Keyring (a Secret
# Service for the token-in-keychain test, scripts/test-keychain.sh), the PostgreSQL server programs for the report server's tests (scripts/test-postgres.sh
# runs a throwaway cluster of its own; the system's cluster service is not used), and
# tauri-driver. Safe to run again; `make run` and `make test` call it.
set -euo pipefail

packages=(
  build-essential pkg-config libssl-dev curl file
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev libxdo-dev
  xvfb xauth webkit2gtk-driver chromium
  dbus-daemon gnome-keyring libdbus-1-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
# Any PostgreSQL server will do (Debian keeps its programs in /usr/lib/postgresql/VERSION/bin).
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi
