#!/bin/sh
# The browser tests drive Debian's chromium. Install it when we can (root with apt-get)
# in CI or when asked; otherwise say that those tests will be skipped.
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "${CI:-}" = "true" ] || [ "${WAYPOINT_INSTALL_BROWSER:-}" = "1" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    exit $?
  fi
  echo "chromium is missing and cannot be installed here (need root and apt-get)." >&2
  exit 1
fi
echo "Note: /usr/bin/chromium is missing, so the browser tests will be skipped."
echo "      Install it with: sudo apt-get install chromium  (or WAYPOINT_INSTALL_BROWSER=1 make test)"
