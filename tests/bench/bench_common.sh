# Shared by the benchmarks (sourced): a work dir removed on exit with every process in `pids`,
# a loopback HTTP server for one random file, timing and medians.
# Needs $root (the source tree) set by the caller.

# bench_setup PREFIX TOOL...: fails early naming a missing tool; sets $work.
bench_setup() {
  local prefix=$1
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run make deps" >&2; exit 1; }
  done
  work=$(mktemp -d "/tmp/$prefix.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

# serve_blob MIB: $work/www/blob.bin of random bytes served on loopback; sets $bytes and $url.
serve_blob() {
  mkdir -p "$work/www"
  head -c $(($1 * 1024 * 1024)) /dev/urandom > "$work/www/blob.bin"
  bytes=$(stat -c %s "$work/www/blob.bin")
  /usr/bin/python3 "$root/tests/tools/http_server.py" --root "$work/www" --port-file "$work/port" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  url="http://127.0.0.1:$(cat "$work/port")/blob.bin"
}

# start_swift: Swift with s3api on loopback (keys test:tester / testing), bucket `bench`, and
# rclone's remote `sw:` for it; sets $endpoint.
start_swift() {
  /usr/bin/python3 "$root/tests/tools/swift_s3.py" "$work" > "$work/endpoint" &
  pids+=($!)
  for _ in $(seq 300); do [ -s "$work/endpoint" ] && break; sleep 0.1; done
  endpoint=$(cat "$work/endpoint")
  [ -n "$endpoint" ] || { echo "Swift did not start" >&2; exit 1; }
  unset AWS_CA_BUNDLE  # rclone refuses a CA bundle for plain http
  export RCLONE_CONFIG=/dev/null RCLONE_CONFIG_SW_TYPE=s3 RCLONE_CONFIG_SW_PROVIDER=Other \
    RCLONE_CONFIG_SW_ACCESS_KEY_ID=test:tester RCLONE_CONFIG_SW_SECRET_ACCESS_KEY=testing \
    RCLONE_CONFIG_SW_ENDPOINT="$endpoint" RCLONE_CONFIG_SW_REGION=us-east-1 RCLONE_CONFIG_SW_FORCE_PATH_STYLE=true
  rclone mkdir sw:bench
}

now() { date +%s.%N; }

# start_tseederd BUILD DATA_DIR [YAML]: tseederd on a free loopback port, scans and rate limits off
# (YAML appended to its config, DATA_DIR.yaml), logging to DATA_DIR.log. Sets dpid, url and
# started_at (the time of the exec) once /health answers.
start_tseederd() {
  local port
  port=$(free_port)
  printf 'scan:\n  enabled: false\nlimits:\n  api_per_minute_ip: 0\n  api_per_minute_account: 0\n  login_per_minute_ip: 0\n%s' \
    "${3:-}" > "$2.yaml"
  started_at=$(now)
  "$1/daemon/tseederd" --data-dir "$2" --listen "127.0.0.1:$port" --plugin-dir "$1/plugins" --config "$2.yaml" \
    --allow-private-urls --log-level warn >/dev/null 2>>"$2.log" &
  dpid=$!
  pids+=("$dpid")
  url="http://127.0.0.1:$port"
  until curl -sf -o /dev/null "$url/health"; do
    kill -0 "$dpid" 2>/dev/null || { echo "tseederd exited; see $2.log" >&2; tail -5 "$2.log" >&2; exit 1; }
    sleep 0.005
  done
}

# bench_admin BUILD DATA_DIR: the daemon's first superadmin, root@bench.invalid, made over the
# socket and logged in at $url (credentials under $HOME). Sets password and key (an API key).
bench_admin() {
  password=$("$1/cmd/tseeder/tseeder" --socket "$2/tseederd.sock" admin bootstrap root@bench.invalid |
    sed -n 's/.*password: \([^ ]*\).*/\1/p')
  echo "$password" | "$1/cmd/tseeder/tseeder" --url "$url" login root@bench.invalid >/dev/null
  key=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["apiKey"])' \
    "$HOME/.config/tseeder/credentials.json")
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # user + system ticks of PID
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# qbittorrent_profile DIR SAVE_PATH PEER_PORT WEBUI_PORT: a qbittorrent-nox profile in DIR
# (--profile=DIR) kept to loopback: TCP only, no DHT, LSD, PeX or UPnP, no queueing, its WebUI on
# 127.0.0.1 answering localhost without a login.
qbittorrent_profile() {
  mkdir -p "$1/qBittorrent/config"
  cat > "$1/qBittorrent/config/qBittorrent.conf" <<CONF
[LegalNotice]
Accepted=true

[BitTorrent]
Session\DHTEnabled=false
Session\LSDEnabled=false
Session\PeXEnabled=false
Session\BTProtocol=TCP
Session\Port=$3
Session\Interface=lo
Session\InterfaceName=lo
Session\QueueingSystemEnabled=false
Session\DefaultSavePath=$2

[Preferences]
Connection\UPnP=false
Connection\ResolvePeerCountries=false
WebUI\Port=$4
WebUI\Address=127.0.0.1
WebUI\LocalHostAuth=false
WebUI\CSRFProtection=false
WebUI\HostHeaderValidation=false
CONF
}

# run_wrk NAME CONNS URL [wrk args…]: wrk for DURATION s (2 threads, or 1 for one connection),
# REPEAT times (default 1); prints "NAME conns req/s p50 p99" with latencies in ms, each the
# median over the runs, and how many answers were not 2xx in all.
run_wrk() {
  local name=$1 conns=$2 target=$3 threads=2
  shift 3
  [ "$conns" -lt 2 ] && threads=1
  : > "$work/wrk.runs"
  for _ in $(seq "${REPEAT:-1}"); do
    wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency "$@" "$target" > "$work/wrk.out" 2>&1 || true
    awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
      /Non-2xx/ { bad = $NF }
      END { print rps + 0, p50 + 0, p99 + 0, bad + 0 }' "$work/wrk.out" >> "$work/wrk.runs"
    grep -m1 '^refused: ' "$work/wrk.out" | cut -c1-200 | sed 's/^/    /' || true
  done
  local rps p50 p99 bad
  rps=$(cut -d' ' -f1 "$work/wrk.runs" | median)
  p50=$(cut -d' ' -f2 "$work/wrk.runs" | median)
  p99=$(cut -d' ' -f3 "$work/wrk.runs" | median)
  bad=$(awk '{ n += $4 } END { print n + 0 }' "$work/wrk.runs")
  awk -v name="$name" -v c="$conns" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v bad="$bad" -v n="${REPEAT:-1}" \
    'BEGIN { printf "  %-22s %4d conns %9.0f req/s  p50 %8.2f ms  p99 %8.2f ms%s%s\n", name, c, rps, p50, p99,
             (n > 1 ? "  (median of " n ")" : ""), (bad ? "  (" bad " non-2xx)" : "") }'
}

# compare_runs RUNS TOOL...: RUNS rounds of `run_TOOL` for each tool (each prints "seconds
# peak-RSS-KiB"; $bytes is what it moved), one line per run, then medians and the ratio of the
# first tool's median MB/s to the best of the others'.
compare_runs() {
  local runs=$1
  shift
  local tools=("$@") r tool secs rss speed m mr
  declare -A speeds rsss medians
  printf '%-8s %4s %10s %12s\n' tool run MB/s "peak RSS KiB"
  for r in $(seq "$runs"); do
    for tool in "${tools[@]}"; do
      sync  # the previous run's dirty pages are not written back on this one's time
      read -r secs rss < <("run_$tool")
      speed=$(mbps "$secs")
      printf '%-8s %4s %10s %12s\n' "$tool" "$r" "$speed" "$rss"
      speeds[$tool]+="$speed "
      rsss[$tool]+="$rss "
    done
  done
  echo "medians:"
  local best=0
  for tool in "${tools[@]}"; do
    m=$(echo "${speeds[$tool]}" | tr ' ' '\n' | grep . | median)
    mr=$(echo "${rsss[$tool]}" | tr ' ' '\n' | grep . | median)
    printf '  %-8s %8s MB/s  %8s KiB peak RSS\n' "$tool" "$m" "$mr"
    medians[$tool]=$m
    [ "$tool" = "${tools[0]}" ] || best=$(awk -v a="$best" -v b="$m" 'BEGIN { print (a > b) ? a : b }')
  done
  echo "ratio ${tools[0]} / best of ${tools[*]:1}: $(awk -v t="${medians[${tools[0]}]}" -v b="$best" \
    'BEGIN { printf "%.2f", t / b }')"
}

# timed_add DPID BUILD SOCKET SOURCE: "seconds peak-RSS-KiB" of `tseeder add SOURCE --wait` and of
# the daemon DPID, which is stopped after; removes $work/ready for the next start.
timed_add() {
  local t0 t1 rss
  t0=$(now)
  "$2/cmd/tseeder/tseeder" --socket "$3" add "$4" --wait >/dev/null
  t1=$(now)
  rss=$(awk '/VmHWM/ { print $2 }' "/proc/$1/status")
  kill "$1"
  wait "$1" || true
  rm -f "$work/ready"
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $rss"
}
