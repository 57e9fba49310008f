"""Every reason the engine, the downloads and the library give (app/reasons.py) comes
back from its English sentence with its fields, and a German window says each one in
German, keeping the file name."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from app.reasons import FOLLOW_UPS, Reason, follow, parse, say, split
from app.ui.language import i18n
from app.ui.language.wording import reason_text
from tests.ui.german import english_words

VALUES = {"file": "bericht (1).gguf", "path": "/home/ana/Modelle/bericht.gguf",
          "what": "an entry has the unknown value type 99", "version": "4",
          "error": "permission denied", "have": "1.25 GB", "need": "12.10 GB",
          "detail": "ValueError('bad')", "architecture": "mamba",
          "explanation": "It needs about 14 GB of memory; 8 GB is free.",
          "n_ctx": "8192", "reserve": "1024",
          # the worker process
          "log": "/home/ana/.local/state/Cove/log/worker.log", "code": "-9", "tried": "2",
          # downloads and the library
          "repo": "ggml-org/gpt-oss-20b-GGUF", "server": "http://127.0.0.1:8080",
          "revision": "v2", "status": "503", "needed": "12.1 GB", "margin": "536.9 MB",
          "free": "1.0 MB", "folder": "/home/ana/Modelle", "short": "12.6 GB",
          "size": "12.1 GB", "name": "Tiny gpt-oss", "missing": "1", "parts": "3",
          "names": "bericht-00002-of-00003.gguf",
          "why": "bericht (1).gguf is not a GGUF model file. Cove runs models in the GGUF "
                 "format (files ending in .gguf): choose one of those, or download a model "
                 "in the Models window."}


def fields(reason: Reason) -> dict[str, str]:
    return {name: VALUES[name] for name in re.findall(r"\{(\w+)\}", reason.template)}


@pytest.mark.parametrize("reason", list(Reason), ids=lambda r: r.name)
def test_each_reason_is_found_again_in_its_sentence(reason: Reason) -> None:
    assert parse(say(reason, **fields(reason))) == (reason, fields(reason))


@pytest.mark.parametrize("reason", list(Reason), ids=lambda r: r.name)
def test_each_reason_is_german_in_a_german_window(qapp: QApplication, reason: Reason) -> None:
    english = say(reason, **fields(reason))
    assert i18n.install(qapp, "de") == "de"
    try:
        german = reason_text(english)
    finally:
        i18n.install(qapp, "en")
    assert german != english and len(english_words(german)) < 2, german
    named = fields(reason).get("file") or fields(reason).get("path") or \
        fields(reason).get("repo") or fields(reason).get("name")
    assert named is None or named in german
    assert named is None or named in reason_text(english)  # English windows too


def test_other_text_is_kept_as_it_is() -> None:
    assert parse("The server said: model not found") is None
    assert reason_text("The server said: model not found") == "The server said: model not found"


@pytest.mark.parametrize("follow_up", FOLLOW_UPS, ids=lambda r: r.name)
def test_a_failed_loads_follow_up_is_a_reason_of_its_own(
    qapp: QApplication, follow_up: Reason
) -> None:
    """A failed load says which model answers now after its own sentence; both parts
    are found again, and a German window says both in German, also inside the message
    of a worker that could not be started again."""
    failure = say(Reason.INCOMPLETE, **fields(Reason.INCOMPLETE))
    english = follow(failure, follow_up, name="Gemma 3 270m")
    assert parse(english) is None  # not one long model name
    assert split(english) == (failure, (follow_up, {"name": "Gemma 3 270m"}))
    assert split(failure) == (failure, None)
    revive = say(Reason.REVIVE_FAILED, why=english)
    assert parse(revive) == (Reason.REVIVE_FAILED, {"why": english})
    assert reason_text(english) == english  # an English window shows it as it is
    assert i18n.install(qapp, "de") == "de"
    try:
        german, german_revive = reason_text(english), reason_text(revive)
    finally:
        i18n.install(qapp, "en")
    for text in (german, german_revive):
        assert not english_words(text), text
        assert "bericht (1).gguf" in text and "Gemma 3 270m" in text
    assert german in german_revive


def test_a_follow_up_after_words_without_a_full_stop_is_found() -> None:
    """llama.cpp's own words may end without punctuation; the follow-up is still told
    apart (else a German window would show the whole message in English)."""
    raw = "llama_model_load: error loading model: missing tensor 'blk.0.ffn_up'"
    text = follow(raw, FOLLOW_UPS[0], name="Gemma 3 270m")
    head, found = split(text)
    assert head == raw + "." and found == (FOLLOW_UPS[0], {"name": "Gemma 3 270m"})
