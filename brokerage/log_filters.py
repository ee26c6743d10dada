"""Logging filters named in settings.LOGGING."""

import logging
import threading
import time


class OncePerInterval(logging.Filter):
    """Let one record through per `seconds` (per logger it is attached to), and count the rest.

    An outage makes every call fail the same way: one line a minute says so,
    with how many were left out since the last, instead of one per call.
    """

    def __init__(self, seconds=60, name=""):
        super().__init__(name)
        self.seconds = seconds
        self.lock = threading.Lock()
        self.last = None
        self.dropped = 0

    def filter(self, record):
        now = time.monotonic()
        with self.lock:
            if self.last is not None and now - self.last < self.seconds:
                self.dropped += 1
                return False
            self.last, dropped, self.dropped = now, self.dropped, 0
        if dropped:
            record.msg = f"{record.msg} (and {dropped} more like it since the last message)"
        return True
