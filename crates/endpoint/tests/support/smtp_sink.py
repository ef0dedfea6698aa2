"""A real SMTP server for the endpoint's mail tests (aiosmtpd, Debian's
python3-aiosmtpd): keeps every message it accepts as DIR/NNNN.eml (and a line in
DIR/attempts.log for every message offered) and can
misbehave on purpose.

  smtp_sink.py DIR [--port N] [--mode MODE]

MODE: ok (default); tempfail:N (the first N messages get 451 after DATA);
permfail (every message gets 550 after DATA); hangup:N (the first N
messages are kept, then the connection is cut before the answer, as a
server that crashed after taking the data). --refuse-rcpt ADDRESS (repeatable)
answers 550 to that recipient. Prints "listening on PORT" once
ready; stops on SIGTERM.
"""
import argparse
import asyncio
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, mode, refuse_rcpt=()):
        self.directory = directory
        self.refuse_rcpt = {a.lower() for a in refuse_rcpt}
        self.kind, _, n = mode.partition(":")
        self.left = int(n or 0)
        self.seen = 0

    def keep(self, envelope):
        self.seen += 1
        name = os.path.join(self.directory, "%04d.eml" % self.seen)
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse_rcpt:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with open(os.path.join(self.directory, "attempts.log"), "a") as f:
            f.write("data\n")
        if self.kind == "permfail":
            return "550 5.7.1 Message refused by policy"
        if self.kind == "tempfail" and self.left > 0:
            self.left -= 1
            return "451 4.3.0 Try again later"
        self.keep(envelope)
        if self.kind == "hangup" and self.left > 0:
            self.left -= 1
            server.transport.abort()
            return "250 OK (never seen)"
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="ok")
    parser.add_argument("--refuse-rcpt", action="append", default=[])
    args = parser.parse_args()
    port = args.port
    if port == 0:
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(Sink(args.dir, args.mode, args.refuse_rcpt), hostname="127.0.0.1", port=port,
                            decode_data=False, enable_SMTPUTF8=True)
    controller.start()
    print("listening on %d" % port, flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
