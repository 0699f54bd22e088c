#!/usr/bin/env bash
# Installs, with apt-get, exactly the Debian 12 packages that NeSy Workbench's build, tests and
# emulated boards need. Idempotent: packages already present are not touched, and apt-get is not
# called at all when nothing is missing.
set -euo pipefail

packages=(
  # build
  cmake ninja-build pkg-config g++ make git
  # core
  libeigen3-dev nlohmann-json3-dev
  # Qt 6.4: widgets, charts (needs libqt6opengl6-dev at configure time), svg, test
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libgl-dev
  # fonts so that offscreen screenshots show text
  fonts-dejavu-core
  # USB transport and its emulated-device tests
  libusb-1.0-0-dev umockdev libumockdev-dev
  # emulated Cortex-M boards
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  # fuzzing the wire protocol (libFuzzer)
  clang libclang-rt-14-dev
  # distributed search
  openmpi-bin libopenmpi-dev
  # packaging (make package) and its install test
  dpkg-dev file desktop-file-utils appstream groff-base
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
