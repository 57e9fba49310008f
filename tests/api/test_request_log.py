"""The API's request log: content kept only sealed (as the history is), and a size cap."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.api import request_log
from app.api.request_log import LOCKED, Entry, RequestLog
from app.config import at_rest
from app.config.sqlcipher import Key

SENTENCE = "the walrus hides the spare key under the blue flowerpot"


@pytest.fixture
def history_key() -> Iterator[Key]:
    """An encrypted history opened in this process (restored afterwards)."""
    before = at_rest.history_key()
    key = Key.random()
    at_rest.remember(key)
    yield key
    at_rest.remember(before)


def _entry(question: str = "", answer: str = "", n: int = 0) -> Entry:
    return Entry(time.time(), f"127.0.0.1 client-{n}", "chat", "gemma", 200, 5, 3, 1.0,
                 question=question, answer=answer)


def test_content_is_sealed_when_the_history_is(tmp_path: Path, history_key: Key) -> None:
    log = RequestLog(tmp_path / "api-requests.log")
    log.record(_entry(SENTENCE, "an answer about the " + SENTENCE))
    log.record(_entry())
    raw = (tmp_path / "api-requests.log").read_bytes()
    assert b"walrus" not in raw and b"flowerpot" not in raw
    first, second = log.entries()
    assert (first.question, first.answer) == (SENTENCE, "an answer about the " + SENTENCE)
    assert (second.question, second.answer) == ("", "")
    assert first.prompt_tokens == 5 and first.client == "127.0.0.1 client-0"


def test_content_without_its_key_shows_locked(tmp_path: Path, history_key: Key) -> None:
    log = RequestLog(tmp_path / "api-requests.log")
    log.record(_entry(SENTENCE, "yes"))
    at_rest.remember(Key.random())  # another history (Forget everything, a new key)
    [entry] = log.entries()
    assert (entry.question, entry.answer) == (LOCKED, LOCKED)
    at_rest.remember(None)  # none opened at all
    [entry] = log.entries()
    assert entry.question == LOCKED and entry.completion_tokens == 3
    assert log.today == 1


def test_an_unencrypted_history_keeps_plain_content(tmp_path: Path) -> None:
    before = at_rest.history_key()
    at_rest.remember(None)  # the user chose to keep the history unencrypted
    try:
        log = RequestLog(tmp_path / "api-requests.log")
        log.record(_entry(SENTENCE, "yes"))
        assert b"walrus" in (tmp_path / "api-requests.log").read_bytes()
        assert log.entries()[0].question == SENTENCE
    finally:
        at_rest.remember(before)


def test_the_log_stays_under_its_cap_and_keeps_the_newest(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setattr(request_log, "MAX_BYTES", 20_000)
    path = tmp_path / "api-requests.log"
    log = RequestLog(path)
    for n in range(600):
        log.record(_entry(n=n))
        assert path.stat().st_size <= 20_000 + 400
    clients = [e.client for e in log.entries()]
    assert clients[-1] == "127.0.0.1 client-599"
    assert 40 <= len(clients) < 600
    assert clients == sorted(clients, key=lambda c: int(c.rsplit("-", 1)[1]))
    assert log.today == 600  # the count of today's requests is not what the file holds
    assert not path.with_name(path.name + ".new").exists()


def test_a_damaged_line_costs_only_itself(tmp_path: Path, history_key: Key) -> None:
    path = tmp_path / "api-requests.log"
    log = RequestLog(path)
    log.record(_entry(SENTENCE, "yes", n=1))
    with path.open("a", encoding="utf-8") as f:
        f.write('{"time": 1, "sealed": "not base64!!"\n')  # cut short by a crash
        f.write('{"time": 1, "client": "x", "endpoint": "chat", "model": "m", '
                '"status": 200, "sealed": "bm90IHNlYWxlZA=="}\n')  # not a sealed blob
    log.record(_entry(n=2))
    entries = log.entries()
    assert [e.client for e in entries] == ["127.0.0.1 client-1", "x", "127.0.0.1 client-2"]
    assert entries[0].question == SENTENCE and entries[1].question == LOCKED
