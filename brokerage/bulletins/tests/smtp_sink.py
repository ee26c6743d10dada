"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records every message it accepts."""

import email
import email.policy
import logging
import threading

from aiosmtpd.controller import Controller
from tests_support.waiting import free_port

# aiosmtpd logs every SMTP command at INFO: thousands of lines per test.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class RecordingHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []  # (recipients, raw bytes)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def parsed(self):
        with self.lock:
            raw = list(self.messages)
        return [(rcpts, email.message_from_bytes(data, policy=email.policy.default)) for rcpts, data in raw]

    def count(self):
        with self.lock:
            return len(self.messages)



class SmtpSink:
    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
