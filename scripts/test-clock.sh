#!/usr/bin/env bash
# The SQLite suite once more with the whole process's clock moved (Debian's
# faketime), to prove that no test depends on the day it runs. With no
# TEST_CLOCK_AT, the clock starts just after the first UK clock change at least
# 400 days from today (UTC); e.g. TEST_CLOCK_AT="2028-02-29 23:30:00" picks
# another moment. Extra arguments go to pytest.
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime"; exit 1; }

when=${TEST_CLOCK_AT:-$("$PY" - <<'PYEOF'
import datetime as dt

def last_sunday(year, month):
    last = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - 6) % 7)

# UK clocks change at 01:00 UTC on the last Sundays of March and October.
start = dt.date.today() + dt.timedelta(days=400)
changes = sorted(last_sunday(year, month) for year in (start.year, start.year + 1) for month in (3, 10))
print(f"{next(day for day in changes if day >= start)} 01:30:00")
PYEOF
)}

# libfaketime moves the monotonic clock too, so a wait with a timeout in another thread, or
# a redis-server's event loop, never ends (and with DONT_FAKE_MONOTONIC, time.sleep fails):
# those tests are about durations the test sets, not dates, and run in `make test`.
echo "=== Test suite on SQLite with the clock at $when UTC (not: timed_waits, redis_server) ==="
TZ=UTC faketime -f "@$when" env DATABASE_URL= REDIS_URL= BROKERAGE_TESTING=true "$PY" -m pytest \
  -m "not timed_waits and not redis_server" "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "No tests ran with the clock moved: failing the build."; rc=1; fi
echo "=== Suite with the clock at $when UTC: $([ $rc -eq 0 ] && echo PASSED || echo FAILED) ==="
exit $rc
