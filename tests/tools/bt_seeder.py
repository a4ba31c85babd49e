#!/usr/bin/python3
"""A BitTorrent seeder on 127.0.0.1 for tests and benchmarks (python3-libtorrent).

Makes a .torrent for --content (a file or a directory), seeds it, and writes the .torrent,
a magnet link that names this seeder as a peer (x.pe) and the listen port. DHT, LSD, UPnP,
NAT-PMP and uTP are off. Runs until killed.
"""
import argparse
import json
import os
import time

import libtorrent as lt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--content", required=True, help="file or directory to seed (with --torrent-in: the "
                    "directory holding the torrent's data)")
    ap.add_argument("--torrent-out", required=True)
    ap.add_argument("--torrent-in", help="seed this existing .torrent instead of making one")
    ap.add_argument("--magnet-out", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--version", choices=["v1", "v2", "hybrid"], default="v1")
    ap.add_argument("--tracker", help="announce URL to put in the torrent")
    ap.add_argument("--private", action="store_true", help="a private torrent (BEP 27)")
    ap.add_argument("--upload-limit", type=int, default=0, help="bytes per second (0 = unlimited)")
    ap.add_argument("--stats-file", help="kept up to date with JSON {uploaded: payload bytes sent}")
    ap.add_argument("--make-only", action="store_true", help="write the .torrent and its v1 infohash, then exit")
    ap.add_argument("--piece-size", type=int, default=0, help="bytes; 0 lets libtorrent choose")
    ap.add_argument("--connect-file", help="a file of HOST:PORT lines; the seeder dials each new one (for "
                    "clients that ignore loopback peers from a tracker)")
    ap.add_argument("--host", default="127.0.0.1", help="loopback address to listen on and dial from (ctorrent "
                    "takes any peer at 127.0.0.1 for itself)")
    ap.add_argument("--high-performance", action="store_true", help="libtorrent's high_performance_seed() "
                    "settings (benchmarks: the seeder is then not what limits a fast client)")
    ap.add_argument("--check", action="store_true", help="hash the data before seeding instead of trusting it "
                    "(seed mode hashes each piece the first time it is asked for, which slows the first "
                    "downloader); the port file is written once the check is done")
    args = ap.parse_args()

    content = os.path.abspath(args.content)
    if args.torrent_in:
        with open(args.torrent_in, "rb") as f:
            data = f.read()
    else:
        fs = lt.file_storage()
        lt.add_files(fs, content)
        flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[args.version]
        t = lt.create_torrent(fs, args.piece_size, flags=flags)
        if args.tracker:
            t.add_tracker(args.tracker)
        t.set_priv(args.private)
        lt.set_piece_hashes(t, os.path.dirname(content))
        data = lt.bencode(t.generate())
    with open(args.torrent_out, "wb") as f:
        f.write(data)
    if args.make_only:
        with open(args.magnet_out, "w") as f:
            f.write(str(lt.torrent_info(args.torrent_out).info_hashes().v1) + "\n")
        return

    settings = lt.high_performance_seed() if args.high_performance else {}
    settings.update({
        "listen_interfaces": "%s:0" % args.host,
        "outgoing_interfaces": args.host,
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert_category.error,
        "aio_threads": 4,
    })
    ses = lt.session(settings)
    ti = lt.torrent_info(args.torrent_out)
    atp = lt.add_torrent_params()
    atp.ti = ti
    atp.save_path = content if args.torrent_in else os.path.dirname(content)
    if not args.check:
        atp.flags = lt.torrent_flags.seed_mode  # the data is ours: skip checking it
    handle = ses.add_torrent(atp)
    while args.check and not handle.status().is_seeding:
        ses.pop_alerts()
        time.sleep(0.1)
    if args.upload_limit:
        # Per torrent: the session-wide limit exempts peers on the local network.
        handle.set_upload_limit(args.upload_limit)
    port = ses.listen_port()
    magnet = lt.make_magnet_uri(ti) + "&x.pe=%s:%d" % (args.host, port)
    for path, text in ((args.magnet_out, magnet), (args.port_file, "%d\n" % port)):
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.rename(path + ".tmp", path)
    dialed = set()
    while True:
        ses.pop_alerts()
        if args.connect_file and os.path.exists(args.connect_file):
            with open(args.connect_file) as f:
                for line in f.read().split():
                    if line not in dialed:
                        host, port = line.rsplit(":", 1)
                        handle.connect_peer((host, int(port)))
                        dialed.add(line)
        if args.stats_file:
            uploaded = handle.status().total_payload_upload
            with open(args.stats_file + ".tmp", "w") as f:
                json.dump({"uploaded": uploaded, "at": time.time()}, f)
            os.rename(args.stats_file + ".tmp", args.stats_file)
        time.sleep(0.2)


if __name__ == "__main__":
    main()
