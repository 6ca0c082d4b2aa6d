#!/usr/bin/env bash
# Makes Debian's Chromium and its WebDriver available for the browser tests; sourced.
# Installs the `chromium` and `chromium-driver` packages if missing and exports
# KENESH_CHROMIUM and KENESH_CHROMEDRIVER (the tests skip without them).

ensure_chromium() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        echo "installing Chromium and its driver from Debian's packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
    fi
    export KENESH_CHROMIUM=/usr/bin/chromium KENESH_CHROMEDRIVER=/usr/bin/chromedriver
    echo "$("$KENESH_CHROMIUM" --version 2>/dev/null | head -n 1)"
}
