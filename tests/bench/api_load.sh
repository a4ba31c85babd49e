#!/usr/bin/env bash
# The API under load with a big store, before and after, in one run on the same data:
#   tests/bench/api_load.sh [BUILD_DIR] [BEFORE_BUILD_DIR]
# store_fill puts JOBS jobs of USERS accounts in the store (QUEUED of them queued behind a slow
# download that holds every slot), then for each build: start-up to the first /health answer,
# CPU while idle, peak RSS, and wrk (2 threads; 1 and CONNS connections, DURATION s) on
#   GET /jobs?limit=50 (the admin's page, ~JOBS/USERS jobs), GET /jobs/{id}, GET /health, POST /jobs;
#   and the first two again while 50 clients log in nonstop.
# The before build runs on a copy of the store with the schema it knows (see downgrade below).
# Env: JOBS=1000000 USERS=1000 QUEUED=100000 DURATION=10 CONNS=32 REPEAT=3 (each wrk line is the
# median of REPEAT runs) DOWNGRADE=1 (0: the before
# build knows every migration) PEERS=1 (qbittorrent-nox and
# transmission-daemon list PEER_TORRENTS torrents each, same wrk settings).
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
before=${2:-}
[ -n "$before" ] && before=$(cd "$before" && pwd)
JOBS=${JOBS:-1000000} USERS=${USERS:-1000} QUEUED=${QUEUED:-100000}
DURATION=${DURATION:-10} CONNS=${CONNS:-32} REPEAT=${REPEAT:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/bench_common.sh"
bench_setup tseeder-api wrk curl sqlite3 /usr/bin/python3 qbittorrent-nox transmission-daemon transmission-remote
export HOME=$work/home
mkdir -p "$HOME"

ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

# A file served at 2 KB/s: the queued jobs' downloads hold every slot without finishing.
mkdir -p "$work/www"
truncate -s 1G "$work/www/slow.bin"
/usr/bin/python3 "$root/tests/tools/http_server.py" --root "$work/www" --port-file "$work/www.port" --rate 2000 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/www.port" ] && break; sleep 0.1; done
export SOURCE_BASE="http://127.0.0.1:$(cat "$work/www.port")/slow.bin"

# start_daemon BUILD VAR: sets dpid, url and startup_ms (exec to the first /health answer).
start_daemon() {
  start_tseederd "$1" "$2"
  startup_ms=$(ms_since "$started_at")
}

stop_daemon() {
  kill "$dpid"
  wait "$dpid" || true
}

# idle_cpu PID SECONDS: percent of one core used over that time.
idle_cpu() {
  local a b
  a=$(cpu_ticks "$1")
  sleep "$2"
  b=$(cpu_ticks "$1")
  awk -v a="$a" -v b="$b" -v s="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz / s * 100 }'
}

# ---- the store, filled once ----
tpl=$work/store
start_daemon "$build" "$tpl"
bench_admin "$build" "$tpl"
stop_daemon
"$build/tests/store_fill" "$tpl/tseeder.db" --jobs "$JOBS" --users "$USERS" --queued "$QUEUED" \
  --owner root@bench.invalid --source-base "$SOURCE_BASE"
job_id=$(sqlite3 "$tpl/tseeder.db" "SELECT j.id FROM jobs j JOIN users u ON u.id = j.user_id
  WHERE u.email = 'root@bench.invalid' AND j.status = 'completed' ORDER BY j.created_at DESC LIMIT 1")
auth=(-H "Authorization: Bearer $key")

# measure LABEL BUILD VAR
measure() {
  local label=$1
  echo "$label ($2)"
  start_daemon "$2" "$3"
  echo "  start-up to the first /health answer: $startup_ms ms"
  sleep 3
  echo "  idle CPU with $QUEUED queued and every slot busy: $(idle_cpu "$dpid" 10) % of a core"
  echo "  RSS: $(awk '/VmRSS/ { print $2 }' "/proc/$dpid/status") KiB"
  for c in 1 "$CONNS"; do
    run_wrk "GET /jobs?limit=50" "$c" "$url/jobs?limit=50" "${auth[@]}"
    run_wrk "GET /jobs/{id}" "$c" "$url/jobs/$job_id" "${auth[@]}"
    run_wrk "GET /health" "$c" "$url/health"
  done
  # Password hashes run on the KDF threads: 50 clients logging in nonstop must not hold up the
  # rest (the issue's bound: p99 < 10 ms).
  LOGIN_EMAIL=root@bench.invalid LOGIN_PASSWORD=$password \
    wrk -t2 -c50 -d"$((DURATION * REPEAT * 2 + 2))s" -s "$here/api_login.lua" "$url" > "$work/login.out" 2>&1 &
  local logins=$!
  sleep 1
  run_wrk "GET /jobs/{id}, 50 log in" 1 "$url/jobs/$job_id" "${auth[@]}"
  run_wrk "GET /jobs?limit=50, 50 log in" 1 "$url/jobs?limit=50" "${auth[@]}"
  wait "$logins" || true
  awk '$1 == "Requests/sec:" { printf "  logins meanwhile: %s/s", $2 } /Non-2xx/ { printf " (%s non-2xx)", $NF }
       END { print "" }' "$work/login.out"
  for c in 1 "$CONNS"; do
    RUN_TAG="$label-$c" run_wrk "POST /jobs" "$c" "$url" "${auth[@]}" -s "$here/api_post_jobs.lua"
  done
  echo "  peak RSS: $(awk '/VmHWM/ { print $2 }' "/proc/$dpid/status") KiB"
  # The loop's own lag: turns more than 50 ms late, as the daemon logged them (at most one a second).
  local worst
  worst=$(grep 'event loop was held up' "$3.log" | grep -o '"ms":[0-9]*' | cut -d: -f2 | sort -n | tail -1 || true)
  echo "  event loop held up > 50 ms: $(grep -c 'event loop was held up' "$3.log" || true) times logged${worst:+, worst $worst ms}"
  stop_daemon
}

echo "api_load: $JOBS jobs of $USERS accounts ($QUEUED queued), wrk ${DURATION}s, $(nproc) cores"
if [ -n "$before" ]; then
  # The older build knows the schema up to migration 10: the copy loses what 11 to 13 add.
  cp -a "$tpl" "$work/before"
  [ "${DOWNGRADE:-1}" = 1 ] && sqlite3 "$work/before/tseeder.db" < "$here/api_load_downgrade.sql"
  measure before "$before" "$work/before"
fi
cp -a "$tpl" "$work/after"
measure after "$build" "$work/after"
if [ "${PEERS:-1}" = 1 ]; then
  source "$here/api_load_peers.sh"
fi
