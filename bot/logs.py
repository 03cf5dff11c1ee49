"""Structured logs for every Waypoint process: one JSON object per line.

Waypoint's own log calls name an event and key=value fields, never message text:
``log.info("navigator.escalation.created id=%s level=%s", ...)`` becomes
``{"time": ..., "level": "INFO", "logger": ..., "event": "navigator.escalation.created",
"id": "3", "level_": ...}``. Other libraries' free-text lines (Rasa, Sanic, PTB) keep
their text as ``event``. A traceback is reduced to the exception type and the frames:
an exception's message can quote what somebody typed, so it is never written.

``WAYPOINT_LOG_FORMAT=text`` gives plain lines instead, for reading by eye.
"""

from __future__ import annotations

import json
import logging
import os
import re
import traceback
from datetime import UTC, datetime

FIELD = re.compile(r"(\w+)=(\S+)")
EVENT = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")
RESERVED = {"time", "level", "logger", "event"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        head, _, rest = message.partition(" ")
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if EVENT.fullmatch(head) and all(FIELD.fullmatch(part) for part in rest.split()):
            entry["event"] = head
            for key, value in FIELD.findall(rest):
                entry[f"{key}_" if key in RESERVED else key] = value
        else:
            entry["event"] = message
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["frames"] = [
                f"{frame.filename}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(record.exc_info[2])
            ]
        return json.dumps(entry, ensure_ascii=False)


def install(level: int | str = logging.INFO) -> None:
    """Send every logger's records to stderr in Waypoint's format, at ``level``."""
    handler = logging.StreamHandler()
    if os.environ.get("WAYPOINT_LOG_FORMAT", "json").strip().lower() == "text":
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    else:
        handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level if level is not None else logging.INFO)
    for noisy in ("httpx", "httpcore", "matplotlib", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
