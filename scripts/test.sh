#!/usr/bin/env bash
# The whole test suite: on SQLite, then again on PostgreSQL + Redis (with a
# real Celery worker in the integration tests) when PostgreSQL answers on
# 127.0.0.1:5432, and always in CI. Extra arguments go to pytest.
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
export BROKERAGE_TESTING=true
PG_URL=${PG_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/brokerage}
TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379}

run() {  # run NAME [env...] : pytest exit 5 (no tests ran) counts as failure
  local name=$1; shift
  echo "=== Test suite on $name ==="
  env "$@" "$PY" -m pytest "${PYTEST_ARGS[@]}"
  local rc=$?
  if [ $rc -eq 5 ]; then echo "No tests ran on $name: failing the build."; rc=1; fi
  return $rc
}

# The Welsh pages need the compiled catalogues (.mo files are built, not committed).
PYTHON="$PY" scripts/messages.sh || exit 1

PYTEST_ARGS=("$@")
status=0
ran=()
run "SQLite" DATABASE_URL= REDIS_URL= || status=1
ran+=("SQLite")

if "$PY" - <<PYEOF 2>/dev/null
import psycopg2, sys
try:
    psycopg2.connect("${PG_URL%/*}/postgres", connect_timeout=3).close()
except Exception:
    sys.exit(1)
PYEOF
then
  # Unit tests run tasks in-process; the integration tests start a real Celery worker.
  run "PostgreSQL + Redis" DATABASE_URL="$PG_URL" REDIS_URL="$TEST_REDIS_URL" CELERY_TASK_ALWAYS_EAGER=true || status=1
  ran+=("PostgreSQL + Redis")
elif [ "${CI:-}" = "true" ]; then
  echo "CI: PostgreSQL does not answer on 127.0.0.1:5432; failing."
  status=1
else
  echo "PostgreSQL does not answer on 127.0.0.1:5432: skipped the PostgreSQL run."
fi

echo "=== Ran the suite on: ${ran[*]}; result: $([ $status -eq 0 ] && echo PASSED || echo FAILED) ==="
exit $status
