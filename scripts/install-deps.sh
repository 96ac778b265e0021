#!/usr/bin/env bash
# Installs the Debian packages dealstat builds and tests with (idempotent; run as root).
set -euo pipefail
PKGS=(build-essential cmake ninja-build pkg-config tzdata
      libeigen3-dev libboost-date-time-dev libgtest-dev libgmock-dev libbenchmark-dev
      libcli11-dev nlohmann-json3-dev libsimdjson-dev ccache valgrind)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
