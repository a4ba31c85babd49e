"""A real clamd on a Unix socket with a signature database the test makes itself.

ClamAV has no signatures without internet here, so the database holds one body signature for a
marker string of our own (harmless bytes, not malware). Files containing MARKER are "infected".
"""
import os
import shutil
import socket
import subprocess
import tempfile

from harness import wait_for

MARKER = b"TSEEDER-TEST-MARKER-5b1e0d77"
SIGNATURE = "Tseeder.Test.Marker"
FOUND_NAME = SIGNATURE + ".UNOFFICIAL"  # ClamAV's suffix for signatures outside its own databases
CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"


def make_signature_db(directory):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "tseeder-test.ndb"), "w") as f:
        f.write("%s:0:*:%s\n" % (SIGNATURE, MARKER.hex()))
    return directory


def write_infected(path, size):
    """Random bytes with the marker near the end, `size` bytes in all."""
    with open(path, "wb") as f:
        f.write(os.urandom(size - len(MARKER) - 100))
        f.write(MARKER)
        f.write(os.urandom(100))


def ping(sock_path, timeout=2):
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(sock_path)
            s.sendall(b"zPING\0")
            return s.recv(64).rstrip(b"\0") == b"PONG"
    except OSError:
        return False


class Clamd:
    """clamd in the foreground on a socket in a temp dir; stop() ends it."""

    def __init__(self, root, stream_max="4M"):
        self.dir = tempfile.mkdtemp(prefix="clamd-", dir=root)
        self.db = make_signature_db(os.path.join(self.dir, "db"))
        self.socket = os.path.join(self.dir, "clamd.sock")
        conf = os.path.join(self.dir, "clamd.conf")
        with open(conf, "w") as f:
            f.write("LocalSocket %s\nDatabaseDirectory %s\nForeground yes\nStreamMaxLength %s\n"
                    "TemporaryDirectory %s\nLogFile %s\n" % (self.socket, self.db, stream_max, self.dir,
                                                            os.path.join(self.dir, "clamd.log")))
        self.proc = subprocess.Popen([CLAMD, "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def up():
            if self.proc.poll() is not None:
                raise AssertionError("clamd exited with %s" % self.proc.returncode)
            return ping(self.socket)
        wait_for(up, 60, "clamd to answer PING")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
