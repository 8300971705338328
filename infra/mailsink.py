"""A local SMTP server for the embedded run: every message becomes a .eml file in MAIL_DIR
(default var/mail) and one log line with its recipients and subject. Nothing is relayed.

    python infra/mailsink.py            # listens where SMTP_URL points (default port 1025)
"""

from __future__ import annotations

import email.policy
import os
import signal
import sys
import threading
from datetime import UTC, datetime
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory: Path):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self._count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        with self._lock:
            self._count += 1
            name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{self._count:04d}.eml"
        path = self.directory / name
        path.write_bytes(data)
        subject = BytesParser(policy=email.policy.default).parsebytes(
            data, headersonly=True).get("Subject", "")
        print(f"mail to {', '.join(envelope.rcpt_tos)}: {subject}  ({path})", flush=True)
        return "250 Message accepted for delivery"


def main() -> int:
    url = urlsplit(os.environ.get("SMTP_URL") or "smtp://127.0.0.1:1025")
    directory = Path(os.environ.get("MAIL_DIR") or "var/mail").resolve()
    controller = Controller(Sink(directory), hostname=url.hostname or "127.0.0.1",
                            port=url.port or 1025, enable_SMTPUTF8=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    controller.start()
    print(f"mail sink on {controller.hostname}:{controller.port}, writing to {directory}",
          flush=True)
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
