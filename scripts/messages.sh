#!/usr/bin/env bash
# The Welsh interface: compile locale/*/LC_MESSAGES/*.po into the .mo files
# Django reads (they are built, not committed). Needs GNU gettext's msgfmt
# (Debian's gettext): installed when missing and we may, else a clear failure,
# since without it the /cy/ pages would show English.
#   scripts/messages.sh          compile (make run, make test)
#   scripts/messages.sh update   also gather the marked strings into the .po
#                                files first (makemessages): then translate the new entries.
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

if ! command -v msgfmt >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's gettext for the Welsh translations..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
  else
    echo "GNU gettext is missing (sudo apt-get install gettext): the Welsh pages cannot be built."
    exit 1
  fi
fi

# Only our own code: not the virtual environment's packages, nor npm's. The .jinja templates are
# read too: brokerage/management/commands/makemessages.py.
IGNORE=(--ignore=.venv --ignore=tests_support/node_modules --ignore=staticfiles --ignore=.run --ignore=tmp)
if [ "${1:-}" = "update" ]; then
  "$PY" manage.py makemessages -l cy --add-location=file --no-wrap "${IGNORE[@]}"
fi
"$PY" manage.py compilemessages -l cy "${IGNORE[@]}"
# English pages look their strings up in an English catalogue of the same strings (faster than missing).
"$PY" manage.py english_catalogue
