#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; install it when missing and we may.
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium is not installed (sudo apt-get install chromium); browser tests will be skipped."
fi
