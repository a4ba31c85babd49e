# Sourced by api_load.sh: the peers' list APIs under the same wrk load, each holding
# PEER_TORRENTS (default 10,000) paused torrents (tiny private torrents made here, never started):
#   qbittorrent-nox: GET /api/v2/torrents/info?limit=50 (WebUI, localhost without login)
#   transmission-daemon: torrent-get of 50 torrents (id, name, status, percentDone, rates, size)
PEER_TORRENTS=${PEER_TORRENTS:-10000}
echo "peers, each holding $PEER_TORRENTS paused torrents"

# PEER_TORRENTS .torrent files, one 16 KiB file each, different names so different infohashes.
mkdir -p "$work/peers/torrents" "$work/peers/data"
/usr/bin/python3 - "$work/peers" "$PEER_TORRENTS" <<'EOF'
import os, sys
import libtorrent as lt
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    info = {"name": b"bench-%06d.bin" % i, "length": 16384, "piece length": 16384, "pieces": bytes(20), "private": 1}
    with open(os.path.join(root, "torrents", "t%06d.torrent" % i), "wb") as f:
        f.write(lt.bencode({"info": info}))
EOF

# ---- qBittorrent ----
qport=$(free_port)
qbittorrent_profile "$work/peers/qb" "$work/peers/data" "$(free_port)" "$qport"
qbittorrent-nox --profile="$work/peers/qb" >"$work/peers/qb.log" 2>&1 &
qb_pid=$!
pids+=("$qb_pid")
qurl="http://127.0.0.1:$qport"
for _ in $(seq 300); do curl -sf -o /dev/null "$qurl/api/v2/app/version" && break; sleep 0.1; done
t0=$(date +%s.%N)
find "$work/peers/torrents" -name '*.torrent' | sort | split -l 500 - "$work/peers/batch."
for b in "$work/peers/batch."*; do
  args=()
  while read -r f; do args+=(-F "torrents=@$f"); done < "$b"
  curl -sf -o /dev/null "${args[@]}" -F paused=true -F savepath="$work/peers/data" "$qurl/api/v2/torrents/add"
done
for _ in $(seq 600); do
  n=$(curl -sf "$qurl/api/v2/torrents/info" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  [ "$n" -ge "$PEER_TORRENTS" ] && break
  sleep 0.5
done
echo "qbittorrent-nox $(curl -sf "$qurl/api/v2/app/version") holding $n torrents (added in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s)"
for c in 1 "$CONNS"; do run_wrk "torrents/info limit=50" "$c" "$qurl/api/v2/torrents/info?limit=50"; done
kill "$qb_pid"

# ---- Transmission ----
tport=$(free_port)
tconf=$work/peers/tr
mkdir -p "$tconf"
cat > "$tconf/settings.json" <<EOF
{"rpc-authentication-required": false, "rpc-whitelist-enabled": false, "rpc-host-whitelist-enabled": false,
 "rpc-bind-address": "127.0.0.1", "rpc-port": $tport, "dht-enabled": false, "lpd-enabled": false,
 "pex-enabled": false, "utp-enabled": false, "port-forwarding-enabled": false, "peer-port": $(free_port),
 "download-dir": "$work/peers/data", "start-added-torrents": false, "download-queue-enabled": false}
EOF
transmission-daemon -f -g "$tconf" >"$work/peers/tr.log" 2>&1 &
pids+=($!)
turl="http://127.0.0.1:$tport/transmission/rpc"
for _ in $(seq 300); do curl -s -o /dev/null "$turl" && break; sleep 0.1; done
t0=$(date +%s.%N)
for b in "$work/peers/batch."*; do
  args=()
  while read -r f; do args+=(-a "$f"); done < "$b"
  transmission-remote "$tport" --start-paused "${args[@]}" >/dev/null
done
sid=$(curl -s -D - -o /dev/null "$turl" | awk -F': ' 'tolower($1) == "x-transmission-session-id" { print $2 }' | tr -d '\r')
body='{"method":"torrent-get","arguments":{"ids":['$(seq -s, 1 50)'],"fields":["id","name","status","percentDone","rateDownload","rateUpload","totalSize","hashString"]}}'
n=$(curl -s -H "X-Transmission-Session-Id: $sid" -d '{"method":"torrent-get","arguments":{"fields":["id"]}}' "$turl" |
  /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["arguments"]["torrents"]))')
echo "transmission-daemon $(transmission-daemon -V 2>&1 | head -1) holding $n torrents (added in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s)"
printf 'wrk.method = "POST"\nwrk.body = [[%s]]\n' "$body" > "$work/peers/tr.lua"
for c in 1 "$CONNS"; do
  run_wrk "torrent-get 50" "$c" "$turl" -H "X-Transmission-Session-Id: $sid" -s "$work/peers/tr.lua"
done
