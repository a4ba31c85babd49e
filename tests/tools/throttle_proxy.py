#!/usr/bin/python3
"""A TCP proxy on 127.0.0.1 that caps each connection's download (upstream to client) at --rate
bytes/s, as many hosting servers and CDNs cap each connection: what a client gains by opening
several connections shows against it. Writes its port to --port-file once listening."""
import argparse
import os
import socket
import threading
import time


def pipe(src, dst, rate):
    """Copies until either side ends; at most `rate` bytes/s when set. Then both sides end."""
    begin, moved = time.monotonic(), 0
    chunk = max(4096, rate // 50) if rate else 1 << 16
    try:
        while data := src.recv(chunk):
            dst.sendall(data)
            moved += len(data)
            delay = begin + moved / rate - time.monotonic() if rate else 0
            if delay > 0:
                time.sleep(delay)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client, upstream, rate):
    try:
        up = socket.create_connection(upstream)
    except OSError:
        client.close()
        return
    threading.Thread(target=pipe, args=(client, up, 0), daemon=True).start()
    pipe(up, client, rate)
    up.close()
    client.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True, help="HOST:PORT")
    ap.add_argument("--rate", type=int, required=True, help="bytes/s per connection, downstream")
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()
    host, port = args.upstream.rsplit(":", 1)
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(64)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % lsock.getsockname()[1])
    os.rename(tmp, args.port_file)
    while True:
        client, _ = lsock.accept()
        threading.Thread(target=serve, args=(client, (host, int(port)), args.rate), daemon=True).start()


if __name__ == "__main__":
    main()
