"""A small SOCKS5 proxy (RFC 1928, no authentication, CONNECT only) on 127.0.0.1 for tests:
it relays TCP and records every CONNECT target in a JSON stats file."""
import argparse
import json
import os
import socket
import struct
import threading


def relay(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise OSError("client closed")
        buf += chunk
    return buf


class Proxy:
    def __init__(self, stats_file):
        self.stats_file = stats_file
        self.targets = []
        self.lock = threading.Lock()
        self.save()

    def save(self):
        with open(self.stats_file + ".tmp", "w") as f:
            json.dump({"connects": self.targets}, f)
        os.replace(self.stats_file + ".tmp", self.stats_file)

    def handle(self, client):
        try:
            ver, nmethods = read_exact(client, 2)
            read_exact(client, nmethods)
            if ver != 5:
                return client.close()
            client.sendall(b"\x05\x00")
            ver, cmd, _rsv, atyp = read_exact(client, 4)
            if atyp == 1:
                host = socket.inet_ntoa(read_exact(client, 4))
            elif atyp == 3:
                host = read_exact(client, read_exact(client, 1)[0]).decode()
            elif atyp == 4:
                host = socket.inet_ntop(socket.AF_INET6, read_exact(client, 16))
            else:
                return client.close()
            port = struct.unpack("!H", read_exact(client, 2))[0]
            if cmd != 1:
                client.sendall(b"\x05\x07\x00\x01" + b"\x00" * 6)  # command not supported
                return client.close()
            try:
                upstream = socket.create_connection((host, port), timeout=10)
            except OSError:
                client.sendall(b"\x05\x05\x00\x01" + b"\x00" * 6)  # connection refused
                return client.close()
            with self.lock:
                self.targets.append("%s:%d" % (host, port))
                self.save()
            bound = upstream.getsockname()
            client.sendall(b"\x05\x00\x00\x01" + socket.inet_aton(bound[0]) + struct.pack("!H", bound[1]))
            threading.Thread(target=relay, args=(upstream, client), daemon=True).start()
            relay(client, upstream)
        except OSError:
            client.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--stats-file", required=True)
    args = ap.parse_args()
    proxy = Proxy(args.stats_file)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    while True:
        client, _ = srv.accept()
        threading.Thread(target=proxy.handle, args=(client,), daemon=True).start()


if __name__ == "__main__":
    main()
