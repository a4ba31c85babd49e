#!/usr/bin/python3
"""One python3-libtorrent session seeding every file of --data-dir as its own torrent, on
127.0.0.2, for benchmarks of many torrents at once. Makes a private v1 .torrent per file in
--torrent-dir (PIECE bytes a piece, announcing to --tracker) unless one is there, hashes the data before seeding (so the first downloader is
not slowed by seed mode), then writes the port file. Dials the HOST:PORT on the last line of
--connect-file for every torrent without a peer, once a second. DHT, LSD, UPnP, NAT-PMP and uTP are off. Runs until killed."""
import argparse
import os
import time

import libtorrent as lt


def make_torrent(path, piece_size, tracker, out):
    fs = lt.file_storage()
    lt.add_files(fs, path)
    t = lt.create_torrent(fs, piece_size, flags=lt.create_torrent.v1_only)
    t.set_priv(True)
    t.add_tracker(tracker)
    lt.set_piece_hashes(t, os.path.dirname(path))
    with open(out, "wb") as f:
        f.write(lt.bencode(t.generate()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--torrent-dir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--connect-file", required=True)
    ap.add_argument("--piece-size", type=int, default=1 << 20)
    ap.add_argument("--tracker", required=True, help="announce URL (opentracker on loopback)")
    ap.add_argument("--make-only", metavar="WHITELIST", help="make the torrents, write their v1 infohashes "
                    "to WHITELIST and exit; a later run seeds the torrents it finds")
    args = ap.parse_args()
    os.makedirs(args.torrent_dir, exist_ok=True)
    settings = lt.high_performance_seed()
    settings.update({
        "listen_interfaces": "127.0.0.2:0", "outgoing_interfaces": "127.0.0.2",
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True, "alert_mask": lt.alert_category.error,
        "aio_threads": 4, "active_seeds": -1, "active_limit": -1, "dont_count_slow_torrents": False,
        "min_reconnect_time": 1,  # dial a client again a second after it refused a torrent it had not started
    })
    torrents = []
    for name in sorted(os.listdir(args.data_dir)):
        out = os.path.join(args.torrent_dir, name + ".torrent")
        if not os.path.exists(out):
            make_torrent(os.path.join(args.data_dir, name), args.piece_size, args.tracker, out)
        torrents.append(out)
    if args.make_only:
        with open(args.make_only, "w") as f:
            f.writelines("%s\n" % lt.torrent_info(t).info_hashes().v1 for t in torrents)
        return
    ses = lt.session(settings)
    handles = []
    for out in torrents:
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(out)
        atp.save_path = args.data_dir
        handles.append(ses.add_torrent(atp))
    while not all(h.status().is_seeding for h in handles):
        ses.pop_alerts()
        time.sleep(0.1)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % ses.listen_port())
    os.rename(tmp, args.port_file)
    # The newest client (the last line) is dialed for every torrent it is not connected on, once
    # a second: a client that queues torrents refuses a torrent it has not started yet.
    client, last_dial = None, 0.0
    while True:
        ses.pop_alerts()
        if os.path.exists(args.connect_file):
            with open(args.connect_file) as f:
                lines = f.read().split()
            if lines and lines[-1] != client:
                client, last_dial = lines[-1], 0.0
        if client and time.monotonic() - last_dial >= 1:
            host, port = client.rsplit(":", 1)
            for h in handles:
                if h.status().num_peers == 0:
                    h.connect_peer((host, int(port)))
            last_dial = time.monotonic()
        time.sleep(0.2)


if __name__ == "__main__":
    main()
