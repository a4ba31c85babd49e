#!/usr/bin/env bash
# Many downloads reporting progress while the API answers:
#   tests/bench/progress_load.sh [BUILD_DIR]
# Each download is a URL job of a file served at 2 KB/s, so it runs for the whole benchmark.
# First with nothing running, then with RUNNING downloads: wrk (2 threads; 1 and CONNS
# connections, DURATION s) on GET /jobs/{id}, GET /jobs?limit=50 and GET /health, the daemon's
# CPU over the same time, and how often each download's progress reached the store (every
# progress write counts in the job's last_seq).
# Env: RUNNING=500 DURATION=10 CONNS=32 REPEAT=3 (each wrk line is the median of REPEAT runs)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
RUNNING=${RUNNING:-500} DURATION=${DURATION:-10} CONNS=${CONNS:-32} REPEAT=${REPEAT:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/bench_common.sh"

bench_setup tseeder-progress wrk curl sqlite3 /usr/bin/python3
export HOME=$work/home
mkdir -p "$HOME"

mkdir -p "$work/www"
truncate -s 10M "$work/www/slow.bin"  # 5,000 s at 2 KB/s; small enough for the disk guard
/usr/bin/python3 "$root/tests/tools/http_server.py" --root "$work/www" --port-file "$work/www.port" --rate 2000 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/www.port" ] && break; sleep 0.1; done
source_url="http://127.0.0.1:$(cat "$work/www.port")/slow.bin"

data=$work/data
start_tseederd "$build" "$data" "$(printf 'jobs:\n  max_active: %s\n' "$RUNNING")"
bench_admin "$build" "$data"
auth=(-H "Authorization: Bearer $key")

# The first job made is the one GET /jobs/{id} reads.
create() {
  curl -sf "${auth[@]}" -H 'Content-Type: application/json' -d "{\"url\":\"$source_url?n=$1\"}" "$url/jobs" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

progress_writes() { sqlite3 "$data/tseeder.db" "SELECT coalesce(sum(last_seq), 0) FROM jobs WHERE status = 'downloading'"; }

# measure LABEL JOB_ID
measure() {
  echo "$1"
  local t0 c0 w0 t1 c1 w1
  t0=$(now) c0=$(cpu_ticks "$dpid") w0=$(progress_writes)
  for c in 1 "$CONNS"; do
    run_wrk "GET /jobs/{id}" "$c" "$url/jobs/$2" "${auth[@]}"
    run_wrk "GET /jobs?limit=50" "$c" "$url/jobs?limit=50" "${auth[@]}"
    run_wrk "GET /health" "$c" "$url/health"
  done
  t1=$(now) c1=$(cpu_ticks "$dpid") w1=$(progress_writes)
  awk -v a="$c0" -v b="$c1" -v s0="$t0" -v s1="$t1" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "  daemon CPU meanwhile: %.0f %% of a core\n", (b - a) / hz / (s1 - s0) * 100 }'
  local running
  running=$(sqlite3 "$data/tseeder.db" "SELECT count(*) FROM jobs WHERE status = 'downloading'")
  if [ "$running" -gt 0 ]; then
    awk -v a="$w0" -v b="$w1" -v n="$running" -v s0="$t0" -v s1="$t1" \
      'BEGIN { printf "  progress writes: %.2f per download per second (%d downloading)\n", (b - a) / n / (s1 - s0), n }'
  fi
  echo "  event loop held up > 50 ms: $(grep -c 'event loop was held up' "$data.log" || true) times logged"
}

first=$(create 0)
measure "nothing running" "$first"
for i in $(seq 1 $((RUNNING - 1))); do create "$i" >/dev/null; done
for _ in $(seq 600); do
  [ "$(sqlite3 "$data/tseeder.db" "SELECT count(*) FROM jobs WHERE status = 'downloading'")" -ge "$RUNNING" ] && break
  sleep 0.1
done
sleep 3
measure "$RUNNING downloading, each reporting every second" "$first"
[ -z "${DEBUG:-}" ] || { sqlite3 "$data/tseeder.db" "SELECT status, count(*) FROM jobs GROUP BY 1"; tail -20 "$data.log"; }
