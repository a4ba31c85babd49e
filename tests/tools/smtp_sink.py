"""A loopback SMTP server that keeps every message as a file under DIR/new/ (Maildir).

Listens on 127.0.0.1 at a free port and writes the port to --port-file once it accepts mail.
"""
import argparse
import asyncio
import os

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()
    handler = Mailbox(args.dir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, args.port_file)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
