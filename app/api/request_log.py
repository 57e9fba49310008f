"""A log of API requests: when, which program, which model, how many tokens. Not
their content unless the user ticked "Log what apps ask and get" (Settings › Other
apps): what other programs ask Cove is their business, and a log file is easy to leak.
One JSON line per request in ``api-requests.log`` in the log folder, so the window's
"N requests today" survives a restart and Settings can show the requests."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from app.config import paths

log = logging.getLogger(__name__)

LOG_NAME = "api-requests.log"
CONTENT_LIMIT = 4000  # characters of a question or an answer kept, when content is kept


@dataclass(frozen=True)
class Entry:
    time: float  # seconds since the epoch
    client: str  # the caller's address and User-Agent
    endpoint: str
    model: str
    status: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    ms: float = 0.0
    question: str = ""  # only when the user asked for content to be logged
    answer: str = ""


class RequestLog:
    """Appends entries and counts today's; safe from any thread."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._day = date.today()
        self._today = self._count_today()

    def record(self, entry: Entry) -> None:
        with self._lock:
            day = datetime.fromtimestamp(entry.time).date()
            if day != self._day:
                self._day, self._today = day, 0
            self._today += 1
            if self.path is None:
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(asdict(entry)) + "\n")
            except OSError as exc:  # a full disk must not fail the request
                log.warning("could not write the API request log: %s", exc)

    @property
    def today(self) -> int:
        """Requests answered today (since midnight, local time)."""
        with self._lock:
            if date.today() != self._day:
                return 0
            return self._today

    def entries(self) -> list[Entry]:
        """Every entry kept (the newest last); unreadable lines are skipped."""
        if self.path is None or not self.path.exists():
            return []
        found = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                found.append(Entry(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return found

    def _count_today(self) -> int:
        start = datetime.combine(date.today(), datetime.min.time()).timestamp()
        return sum(1 for e in self.entries() if e.time >= start)


def default_path() -> Path:
    """The log of the window and of ``cove serve``, in Cove's log folder."""
    return paths.log_dir() / LOG_NAME


def now() -> float:
    return time.time()
