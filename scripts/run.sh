#!/usr/bin/env bash
# `make run`: the web server, a Celery worker and Celery beat, with no Redis or
# other server: tasks pass through files in RUN_DIR/broker (EMBEDDED_BROKER,
# see brokerage/settings.py) and beat keeps its schedule file beside them.
# Ctrl-C (or SIGTERM to this script) stops all three; so does any one of them
# exiting. PORT (default 8000) is where the web server listens.
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
PORT=${PORT:-8000}
export EMBEDDED_BROKER=true
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}

# Settings create the broker folders; a message processed in an earlier run is no use.
run_dir=$(DJANGO_SETTINGS_MODULE=brokerage.settings "$PY" -c 'from django.conf import settings; print(settings.RUN_DIR)') || exit 1
rm -rf "$run_dir/broker/processed" "$run_dir/broker/control"
mkdir -p "$run_dir/broker/processed" "$run_dir/broker/control"

# Job control: each process (with its children: the worker's pool, the
# server's autoreloader) runs in a process group of its own, stopped as one.
set -m
pids=()
"$PY" manage.py runserver "127.0.0.1:$PORT" </dev/null & pids+=($!)
# One worker process and beat; mingle, gossip and heartbeats only matter between several workers.
"$PY" -m celery -A brokerage worker --loglevel=info --concurrency=2 \
    --without-mingle --without-gossip --without-heartbeat -n "embedded@%h" </dev/null & pids+=($!)
"$PY" -m celery -A brokerage beat --loglevel=info </dev/null & pids+=($!)
echo "run.sh: web server on http://127.0.0.1:$PORT, Celery worker and beat (pids ${pids[*]}); Ctrl-C stops all three"

stop() {
    trap - INT TERM
    # SIGTERM: the server's group (its autoreloader and the serving child);
    # Celery's main processes only, which stop their pool themselves (the
    # worker finishes the tasks in hand: warm shutdown). Whatever is left after
    # 20 seconds is killed.
    kill -TERM -- "-${pids[0]}" 2>/dev/null
    kill -TERM "${pids[1]}" "${pids[2]}" 2>/dev/null
    for _ in $(seq 100); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
        [ $alive -eq 0 ] && break
        sleep 0.2
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
    wait
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

wait -n
status=$?
echo "run.sh: a process exited (status $status); stopping the others"
stop
exit $status
