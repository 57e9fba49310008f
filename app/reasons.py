"""Why something failed, as a message id with parameters, not only as an English sentence.

The engine, the downloads and the model library explain failures (and results) to the
user ("kaputt.gguf ends inside its header…"). Those sentences travel as text: through
the worker's pipe, in a saved answer's error, in an exception's message, to the command
line. So each is made from a :class:`Reason` (its id and an English template with named
fields) and the fields' values; :func:`say` gives the English sentence (the command line
and the log read it), and :func:`parse` gives back the id and the values from that
sentence wherever it arrives, so the windows can say it in the user's language
(``app.ui.language.wording``) and keep the file-specific detail (a path, an OS error text) as it is.

A new message is a new member here; the UI falls back to the English text for a member
it has no translation for, so nothing is ever lost.
"""

from __future__ import annotations

import enum
import re
from functools import cache


class Reason(enum.Enum):
    """Each failure a user can read, with its English wording. Fields in braces."""

    # First: it holds another reason's sentence, which :func:`parse` must not take for
    # a file name of that other reason ("Not added: x.gguf is not a GGUF model file…").
    NOT_ADDED = "Not added: {why}"
    # A model file (app.gguf_header, app.engine.worker)
    CUT_SHORT = ("{file} ends inside its header: the file is incomplete (an unfinished "
                 "download?) or damaged. Download it again, or choose another model file.")
    DAMAGED = ("{file} has a damaged header ({what}). Download it again, or choose "
               "another model file.")
    NOT_GGUF = ("{file} is not a GGUF model file. Cove runs models in the GGUF format "
                "(files ending in .gguf): choose one of those, or download a model in the "
                "Models window.")
    GGUF_VERSION = ("{file} uses GGUF version {version}, which Cove cannot read. Choose a "
                    "file in GGUF version 2 or 3 (what current converters write).")
    FOLDER = "{path} is a folder, not a model file. Choose the .gguf file inside it."
    MISSING = ("The model file {path} does not exist. It may have been moved, renamed or "
               "deleted: choose it where it is now, or download it again.")
    UNREADABLE = ("Cove cannot read the model file {path} ({error}). Check that its drive "
                  "is connected and that you may read the file, or choose another one.")
    NO_WEIGHTS = ("{file} contains no model weights, only a header. Choose the model file "
                  "itself, or download the model again.")
    INCOMPLETE = ("{file} is incomplete: it has {have} of the {need} its header describes. "
                  "Download it again (or resume the download).")
    EMBEDDING_ONLY = ("{file} is a text-embedding model: Cove uses it to search attached "
                      "documents by meaning, but it cannot chat. Choose a chat model such "
                      "as gpt-oss.")
    SETUP_FAILED = "Cove could not set up {file} ({detail}). Choose another model."
    NO_CONTEXT_MEMORY = ("{file} loaded, but there was not enough memory for its context. "
                         "Choose a shorter context in Settings, close other programs, or "
                         "choose a smaller model.")
    UNSUPPORTED = ("llama.cpp could not load {file}, a {architecture} model. This version "
                   "of Cove may not support this kind of model, or the file may be "
                   "damaged: choose another model, or download this one again.")
    DOES_NOT_FIT = ("{file} was not loaded: {explanation} Choose a smaller model, or a "
                    "shorter context in Settings.")
    # A conversation (app.engine.worker)
    TOO_LONG = ("This message is too long for the model's context window ({n_ctx} tokens, "
                "with {reserve} kept free for the answer). Shorten it, or load the model "
                "with a longer context.")
    # The worker process (app.engine.client)
    WORKER_NOT_STARTED = "The model worker could not start. Details are in {log}."
    WORKER_SILENT = "The model worker stopped answering."
    WORKER_STOPPED = ("The model worker stopped unexpectedly. What was already written is "
                      "kept. Cove can start the model again; if this repeats, try a shorter "
                      "context or fewer GPU layers. Details are in {log}.")
    WORKER_EXITED = ("The model worker stopped unexpectedly (exit code {code}). What was "
                     "already written is kept. Cove can start the model again; if this "
                     "repeats, try a shorter context or fewer GPU layers. Details are in "
                     "{log}.")
    REVIVE_FAILED = ("The model worker had stopped, and starting it again failed: {why} "
                     "Your conversation is saved; send your message again to try once more.")
    CRASHED_LOADING = ("The model worker stopped while loading {file}, also with the safer "
                       "settings ({tried} tried). The file may be damaged or not supported "
                       "by this version of llama.cpp: choose another model. Details are in "
                       "{log}.")
    # Follow-ups (FOLLOW_UPS): said after a failed load's own sentence, in the same text
    STILL_IN_USE = "{name} is still loaded and in use."
    NOT_RESTORED = ("{name}, the model loaded before, could not be loaded again either: "
                    "open a model to go on.")

    # A download (app.models.downloads)
    BAD_REPO_NAME = "“{repo}” is not a Hugging Face repository name (it looks like owner/name)."
    BAD_FILE_NAME = "“{file}” is not a file name Cove can download."
    DOWNLOADS_CLOSED = "Cove is closing, so no new download can start."
    NO_SUCH_FILE = ("{repo} has no file named {file}. Check the name (it is case-sensitive) "
                    "on the model's page.")
    NO_CHECKSUM = ("The server gave no checksum for {file}, so Cove cannot verify it. "
                   "Nothing was downloaded.")
    NO_SPACE = ("Not enough disk space for {file}: it needs {needed} more (plus {margin} to "
                "spare), but only {free} is free in {folder}. Nothing was lost. Free up "
                "{short} or choose another models folder, then try again.")
    CONNECTION_LOST = ("The connection was lost while downloading {file} ({error}). The "
                       "{have} already downloaded are kept; press Resume when you are back "
                       "online.")
    DISK_FULL = ("The disk is full: the download of {file} stopped at {have} of {size}. What "
                 "was downloaded is kept. Free up {short} and press Resume.")
    CANNOT_WRITE = ("Cove cannot write {path}: {error}. What was downloaded is kept; check the "
                    "models folder's permissions, then press Resume.")
    WRONG_SIZE = ("The downloaded {file} is damaged: its size does not match what {repo} "
                  "publishes. The bad data was deleted. Try again; if this keeps happening, "
                  "the server or mirror is sending a wrong file.")
    WRONG_CHECKSUM = ("The downloaded {file} is damaged: its checksum (sha256) does not match "
                      "what {repo} publishes. The bad data was deleted. Try again; if this "
                      "keeps happening, the server or mirror is sending a wrong file.")
    GATED = ("{repo} is a gated model: accept its licence on its page at {server}, then add "
             "your Hugging Face access token in Cove's settings. Nothing was downloaded.")
    REPO_NOT_FOUND = ("{repo} was not found on {server}. Check the name; if it is a private "
                      "model, add your Hugging Face access token in Cove's settings.")
    NO_REVISION = "{repo} has no version “{revision}”."
    OFFLINE = "Downloads are switched off (HF_HUB_OFFLINE is set)."
    SERVER_ERROR = "{server} answered {status} for {repo}. Nothing is lost; try again later."
    UNREACHABLE = ("Cove cannot reach {server} ({error}). Check the internet connection (or "
                   "the mirror address), then try again.")
    DOWNLOAD_BROKE = ("The download of {file} stopped because of an unexpected error (details "
                      "are in the log file). What was downloaded so far is kept; press Resume "
                      "to try again.")
    # The model library (app.models.library)
    ALREADY_THERE = ("A model named {file} is already in the library. Rename the file or "
                     "delete the existing model first.")
    NO_SPACE_TO_COPY = ("Not enough disk space to copy {file}: it needs {needed}, {free} is "
                        "free. Nothing was copied; add it in place instead, or free up space.")
    COPY_FAILED = "Copying {file} failed ({error}). Your original file is untouched."
    NOT_IN_LIBRARY = "{file} is not in Cove's library."
    REMOVED = "{name} was removed from the library; the file itself is kept."
    DELETED = "{name} was deleted ({size} freed)."
    PARTS_MISSING = "{missing} of its {parts} files are missing ({names})."
    STRUCTURE_OK = ("{name} looks complete (no checksum is known for it, so only its "
                    "structure was checked).")
    CHECKSUM_BAD = ("{file} is damaged: its checksum does not match the download's. Delete it "
                    "and download it again.")
    INTACT = "{name} is intact (checksum verified)."

    @property
    def template(self) -> str:
        return str(self.value)


# Sentences that follow another reason's sentence in one text, saying what happens next
# ("another.gguf is incomplete: … gemma is still loaded and in use."). Each is a reason
# of its own, so a window says both parts in the user's language (:func:`split`).
FOLLOW_UPS = (Reason.STILL_IN_USE, Reason.NOT_RESTORED)


def say(reason: Reason, **params: object) -> str:
    """The English sentence for ``reason`` with its fields filled in."""
    return reason.template.format(**params)


def follow(text: str, reason: Reason, **params: object) -> str:
    """``text`` with the follow-up sentence ``reason`` (one of ``FOLLOW_UPS``) after it;
    a ``text`` without a sentence end (llama.cpp's own words) gets a full stop, so
    :func:`split` finds the follow-up again."""
    text = text.rstrip()
    if not text.endswith((".", "!", "?")):
        text += "."
    return f"{text} {say(reason, **params)}"


def parse(text: str) -> tuple[Reason, dict[str, str]] | None:
    """The reason and its fields that :func:`say` made ``text`` from, or None for any
    other text (a server's own words, an older message)."""
    for reason, pattern in _patterns():
        found = pattern.fullmatch(text.strip())
        if found:
            return reason, found.groupdict()
    return None


def split(text: str) -> tuple[str, tuple[Reason, dict[str, str]] | None]:
    """``text`` without its follow-up sentence (:func:`follow`), and that sentence's
    reason and fields; ``(text, None)`` when it ends in none."""
    text = text.strip()
    for reason, pattern in _patterns():
        if reason in FOLLOW_UPS:
            found = re.fullmatch(r"(?P<_head>.*[.!?])\s+" + pattern.pattern, text, re.S)
            if found:
                fields = {k: v for k, v in found.groupdict().items() if k != "_head"}
                return found["_head"], (reason, fields)
    return text, None


@cache
def _patterns() -> tuple[tuple[Reason, re.Pattern[str]], ...]:
    out = []
    for reason in Reason:
        parts = re.split(r"\{(\w+)\}", reason.template)
        # Greedy: a file name may hold " (" ("report (1).gguf"); an OS error text
        # after it does not. A follow-up's model name holds no end of a sentence, so a
        # whole "sentence. Name is still loaded…" is never taken for one name.
        field = r"(?:(?![.!?]\s).)+" if reason in FOLLOW_UPS else ".+"
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{field})"
                        for i, p in enumerate(parts))
        out.append((reason, re.compile(regex, re.S)))
    return tuple(out)
