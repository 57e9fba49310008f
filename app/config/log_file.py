"""Cove's own log, ``cove.log`` in the log folder: where the window and the command
line (``cove chat``, ``cove models`` …) send what Cove logs, so a terminal shows only
Cove's worded messages, never raw log lines. Logs hold no message text."""

from __future__ import annotations

import logging

from app.config import paths

LOG_NAME = "cove.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_to_file(fallback: logging.Handler | None = None) -> None:
    """Send the root logger (INFO and above) to ``cove.log``; when the file cannot be
    opened, to ``fallback`` (None: nowhere, rather than onto the terminal). Nothing
    happens when the root logger has a handler already (a test's, or a second call)."""
    root = logging.getLogger()
    if root.handlers:
        return
    try:
        handler: logging.Handler = logging.FileHandler(paths.log_dir() / LOG_NAME,
                                                       encoding="utf-8")
    except OSError:
        handler = fallback or logging.NullHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
