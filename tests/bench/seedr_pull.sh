#!/usr/bin/env bash
# A 1 GiB pull from the loopback fake of Seedr.cc (tests/tools/fake_seedr.py): tseeder (add the
# magnet, the fake "downloads" it at once, tseeder pulls it and stores it) vs `curl -o` and
# `aria2c -x2` (the service allows two readers per signed URL) of the same signed file URL, in one
# run. Prints MB/s and peak RSS per run, medians, and the ratio tseeder / best of the others.
#   tests/bench/seedr_pull.sh [BUILD_DIR] [RUNS] [SIZE_MIB]
set -euo pipefail
build=${1:-build}
runs=${2:-3}
size_mib=${3:-1024}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)
source "$here/bench_common.sh"
bench_setup tseeder-seedr-bench curl aria2c /usr/bin/time /usr/bin/python3
mkdir -p "$work/content"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/content/blob.bin"
bytes=$(stat -c %s "$work/content/blob.bin")
/usr/bin/python3 "$root/tests/tools/fake_seedr.py" --port-file "$work/seedr-port" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/seedr-port" ] && break; sleep 0.1; done
seedr="http://127.0.0.1:$(cat "$work/seedr-port")"

# fake CALL ARGS...: the fake's test controls and the service's own calls, from python.
fake() {
  /usr/bin/python3 - "$seedr" "$work/content/blob.bin" "$@" <<'PY'
import json, secrets, sys, time, urllib.parse, urllib.request
base, blob, what = sys.argv[1], sys.argv[2], sys.argv[3]
def post(path, form=None, body=None):
    data = json.dumps(body).encode() if body is not None else urllib.parse.urlencode(form or {}).encode()
    return json.load(urllib.request.urlopen(urllib.request.Request(base + path, data=data)))
h = secrets.token_hex(20)
post("/_control", body={"content": {"hash": h, "name": "blob.bin", "duration_s": 0.1,
                                    "files": [{"path": "blob.bin", "disk": blob}]}})
if what == "magnet":
    print("magnet:?xt=urn:btih:%s&dn=blob.bin" % h)
    sys.exit(0)
tok = post("/oauth_test/token.php", {"grant_type": "password", "client_id": "seedr_chrome", "type": "login",
                                     "username": "operator@example.com", "password": "right-password"})
res = lambda func, form: post("/oauth_test/resource.php?access_token=%s&func=%s" % (tok["access_token"], func), form)
res("add_torrent", {"magnet": "magnet:?xt=urn:btih:" + h})
time.sleep(0.2)
folder = [f for f in res("list_contents", {"content_id": "0"})["folders"] if f["name"] == "blob.bin"][-1]
f = res("list_contents", {"content_id": str(folder["id"])})["files"][0]
print(res("fetch_file", {"folder_file_id": str(f["folder_file_id"])})["url"])
PY
}

timed() {  # timed CMD...: "seconds peak-RSS-KiB" of CMD
  local t0 t1
  t0=$(now)
  /usr/bin/time -f %M -o "$work/rss" "$@"
  t1=$(now)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $(cat "$work/rss")"
}

run_curl() {
  local u
  u=$(fake url)
  rm -f "$work/curl.out"
  timed curl -s -o "$work/curl.out" "$u"
}

run_aria2() {
  local u
  u=$(fake url)
  rm -rf "$work/aria"
  timed aria2c -q -x2 -s2 -k1M --allow-overwrite=true --file-allocation=none -d "$work/aria" -o blob.bin "$u"
}

run_tseeder() {
  rm -rf "$work/var"
  printf 'scan:\n  enabled: false\nseedr:\n  base_url: %s\n  email: operator@example.com\n  password: right-password\n  poll_interval_ms: 100\n' \
    "$seedr" > "$work/tseederd.yaml"
  "$build/daemon/tseederd" --data-dir "$work/var" --listen 127.0.0.1:0 --plugin-dir "$build/plugins" \
    --config "$work/tseederd.yaml" --ready-file "$work/ready" --log-level warn >/dev/null 2>"$work/tseederd.log" &
  local dpid=$!
  for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.1; done
  "$build/cmd/tseeder/tseeder" --socket "$work/var/tseederd.sock" admin provider switch seedr \
    --reason "benchmark of the seedr pull" --ticket BENCH >/dev/null
  timed_add "$dpid" "$build" "$work/var/tseederd.sock" "$(fake magnet)"
}

echo "seedr_pull: ${size_mib} MiB from the fake Seedr on loopback, $runs runs each, $(nproc) cores"
echo "(tseeder's time runs from add to stored: the fake's 0.1 s remote download and its polls included)"
compare_runs "$runs" tseeder curl aria2
