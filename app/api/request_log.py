"""A log of API requests: when, which program, which model, how many tokens. Not
their content unless the user ticked "Log what apps ask and get" (Settings › Other
apps): what other programs ask Cove is their business, and a log file is easy to leak.
One JSON line per request in ``api-requests.log`` in the log folder, so the window's
"N requests today" survives a restart and Settings can show the requests.

Kept content is conversation text, so it is sealed with a key derived from the
history's (``app.config.at_rest.file_key("api-log")``, AES-GCM: a line's question and
answer are one sealed blob, base64 in ``sealed``); only a history the user chose to
keep unencrypted gets plain content. The file is kept under :data:`MAX_BYTES`: past
it, the older half of the lines is dropped."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from app.config import at_rest, paths, sealed

log = logging.getLogger(__name__)

LOG_NAME = "api-requests.log"
CONTENT_LIMIT = 4000  # characters of a question or an answer kept, when content is kept
MAX_BYTES = 4 * 1024 * 1024  # the log's size cap (about 20,000 requests without content)
KEY_PURPOSE = "api-log"
LOCKED = "\N{LOCK}"  # shown for content whose key is gone (a forgotten history)


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
                    f.write(json.dumps(_stored(entry)) + "\n")
                if self.path.stat().st_size > MAX_BYTES:
                    self._trim()
            except OSError as exc:  # a full disk must not fail the request
                log.warning("could not write the API request log: %s", exc)

    def _trim(self) -> None:
        """Keep the newer half of the lines (atomically: a crash keeps the old file)."""
        assert self.path is not None
        lines = self.path.read_bytes().splitlines(keepends=True)
        kept = self.path.with_name(self.path.name + ".new")
        kept.write_bytes(b"".join(lines[len(lines) // 2:]))
        kept.replace(self.path)

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
        key = at_rest.file_key(KEY_PURPOSE)
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                found.append(_read(json.loads(line), key))
            except (ValueError, TypeError):
                continue
        return found

    def _count_today(self) -> int:
        start = datetime.combine(date.today(), datetime.min.time()).timestamp()
        return sum(1 for e in self.entries() if e.time >= start)


def _stored(entry: Entry) -> dict[str, object]:
    """The line written for ``entry``: its content sealed when the history is."""
    fields = asdict(entry)
    if not (entry.question or entry.answer):
        return fields
    key = at_rest.file_key(KEY_PURPOSE)
    if key is None:  # an unencrypted history (the user's choice), or none opened
        return fields
    text = json.dumps({"question": entry.question, "answer": entry.answer}).encode()
    fields.update(question="", answer="",
                  sealed=base64.b64encode(sealed.seal(text, key)).decode("ascii"))
    return fields


def _read(fields: dict[str, object], key: sealed.FileKey | None) -> Entry:
    blob = fields.pop("sealed", None)
    if isinstance(blob, str):
        try:
            if key is None:
                raise sealed.SealError("no key")
            content = json.loads(sealed.unseal(base64.b64decode(blob), key))
            fields.update(question=str(content.get("question", "")),
                          answer=str(content.get("answer", "")))
        except (sealed.SealError, binascii.Error, ValueError, AttributeError):
            fields.update(question=LOCKED, answer=LOCKED)
    return Entry(**fields)  # type: ignore[arg-type]


def default_path() -> Path:
    """The log of the window and of ``cove serve``, in Cove's log folder."""
    return paths.log_dir() / LOG_NAME


def now() -> float:
    return time.time()
