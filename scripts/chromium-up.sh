#!/usr/bin/env bash
# Installs Debian's headless Chromium for the status-page browser test
# (org.jparallel.tests.status.StatusPageBrowserTest) and prints its version.
# Idempotent: does nothing but print the version when /usr/bin/chromium exists.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y -o DPkg::Lock::Timeout=300 chromium; then
    echo "chromium-up: install failed, refreshing the package lists and retrying" >&2
    $SUDO apt-get update -o DPkg::Lock::Timeout=300
    $SUDO apt-get install -y -o DPkg::Lock::Timeout=300 chromium
  fi
fi

/usr/bin/chromium --version
