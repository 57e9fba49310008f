"""Engine failures as the user should read them: what happened, what is safe, what to do.

The title and the advice are translated; the engine's own sentence (a model file that
cannot be loaded, a message too long) is said in the user's language too
(``wording.reason_text``), naming the file. A server's own words are kept as they are;
llama.cpp's words about an allocation go to the log, not on the card.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.engine import backend as remote_codes
from app.engine import protocol
from app.reasons import parse as parse_reason
from app.reasons import split as split_reason
from app.ui.language.wording import reason_text

log = logging.getLogger(__name__)

translate = QCoreApplication.translate  # lupdate knows this name

RESTART = "restart"
RETRY = "retry"
OPEN_MODEL = "open_model"
SETTINGS = "settings"
SERVERS = "servers"

_OOM = re.compile(r"out of memory|failed to allocate|not enough memory|cannot allocate|"
                  r"insufficient memory|\boom\b|cudaMalloc|alloc.*failed", re.I)


@dataclass(frozen=True)
class UserError:
    title: str
    text: str
    actions: list[tuple[str, str]]


def is_out_of_memory(message: str) -> bool:
    return bool(_OOM.search(message))


def describe(code: str | None, message: str, during_load: bool = False,
             retry_after: float | None = None) -> UserError:
    """The card for an engine error ``code`` with the engine's ``message``
    (``retry_after``: the seconds a rate-limited server asked to wait)."""
    retry = [(RETRY, translate("Errors", "Try again"))]
    settings = (SETTINGS, translate("Errors", "Open Settings"))
    other_model = (OPEN_MODEL, translate("Errors", "Choose another model…"))
    remote = _describe_remote(code, message, during_load, retry_after)
    if remote is not None:
        return remote
    # Cove's own sentence (and its follow-up, which model is in use), not llama.cpp's
    ours = parse_reason(split_reason(message)[0]) is not None
    out_of_memory = is_out_of_memory(message)
    message = reason_text(message)
    if out_of_memory:
        advice = translate(
            "Errors", "The model needs more memory than this computer has free. Your "
            "conversation is safe. Choose a shorter context in Settings, close other apps, "
            "or use a smaller model.")
        if not ours:
            log.info("out of memory: %s", message)  # llama.cpp's words: for the log
        return UserError(translate("Errors", "Not enough memory"),
                         f"{advice}\n\n{message}" if ours else advice,
                         [settings, other_model])
    if code == protocol.WORKER_CRASHED:
        advice = translate(
            "Errors", "What was already written is saved. Cove is starting the model "
            "again; then you can try once more.")
        return UserError(translate("Errors", "The model stopped unexpectedly"),
                         f"{advice}\n\n{message}", retry)
    if during_load or code == protocol.LOAD_FAILED:
        advice = translate("Errors", "Check that the file is a complete GGUF model, or "
                                     "choose another one.")
        return UserError(translate("Errors", "The model could not be loaded"),
                         f"{message}\n\n{advice}", [other_model])
    if code == protocol.NOT_LOADED:
        return UserError(
            translate("Errors", "No model is loaded"),
            translate("Errors", "Open a model to get an answer. Your message is saved."),
            [(OPEN_MODEL, translate("Errors", "Open a model…"))])
    if code == protocol.TOO_LONG:
        advice = translate("Errors", "Shorten the message, or choose a longer context in "
                                     "Settings.")
        return UserError(translate("Errors", "The message does not fit in the context"),
                         f"{advice}\n\n{message}", [settings])
    return UserError(translate("Errors", "The answer failed"), message, retry)


def _describe_remote(code: str | None, message: str, during_load: bool,
                     retry_after: float | None) -> UserError | None:
    """The cards for a remote server's codes (see :mod:`app.engine.backend`)."""
    servers = (SERVERS, translate("Errors", "Servers…"))
    retry = [] if during_load else [(RETRY, translate("Errors", "Try again"))]
    if code == remote_codes.SERVER_UNREACHABLE:
        advice = translate("Errors", "Check that the server is running and that its "
                                     "address is right. Your conversation is safe.")
        return UserError(translate("Errors", "The server cannot be reached"),
                         f"{advice}\n\n{message}", [*retry, servers])
    if code == remote_codes.TLS_ERROR:
        advice = translate("Errors", "The server's certificate is not trusted, so nothing "
                                     "was sent. Check the address, or add your "
                                     "organisation's certificate.")
        return UserError(translate("Errors", "The server's identity could not be verified"),
                         f"{advice}\n\n{message}", [servers])
    if code == remote_codes.UNAUTHORIZED:
        advice = translate("Errors", "The server refused the API key (401). Enter the right "
                                     "key in Servers.")
        return UserError(translate("Errors", "The API key was refused"),
                         f"{advice}\n\n{message}", [servers])
    if code == remote_codes.RATE_LIMITED:
        if retry_after is not None and retry_after > 0:
            advice = translate("Errors", "The server asks to wait %1 seconds before the "
                                         "next request.").replace(
                "%1", str(max(1, round(retry_after))))
        else:
            advice = translate("Errors", "The server asks to wait a little before the "
                                         "next request.")
        return UserError(translate("Errors", "The server is busy"),
                         f"{advice}\n\n{message}", retry)
    if code == remote_codes.TIMEOUT:
        advice = translate("Errors", "The server stopped sending. What was already written "
                                     "is kept and marked interrupted.")
        return UserError(translate("Errors", "The server stopped answering"),
                         f"{advice}\n\n{message}", retry)
    if code == remote_codes.SERVER_DISCONNECTED:
        advice = translate("Errors", "The connection was lost in the middle of the answer. "
                                     "What was already written is kept and marked "
                                     "interrupted.")
        return UserError(translate("Errors", "The connection to the server was lost"),
                         f"{advice}\n\n{message}", retry)
    if code == remote_codes.NO_SUCH_MODEL:
        advice = translate("Errors", "Choose one of the server's models in Servers.")
        return UserError(translate("Errors", "The server has no such model"),
                         f"{message}\n\n{advice}", [servers])
    if code == remote_codes.INSECURE_URL:
        advice = translate("Errors", "Plain http to another computer can be read on the "
                                     "network. Confirm it in Servers, or use https.")
        return UserError(translate("Errors", "The address is not secure"),
                         f"{advice}\n\n{message}", [servers])
    if code in (remote_codes.SERVER_ERROR, remote_codes.BAD_RESPONSE):
        return UserError(translate("Errors", "The server could not answer"), message,
                         [*retry, servers])
    return None
