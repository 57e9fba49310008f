"""Engine failures as the user should read them: what happened, what is safe, what to do.

The engine's own text (in English) is kept as the detail; the title and the advice are
translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.engine import protocol

translate = QCoreApplication.translate  # lupdate knows this name

RESTART = "restart"
RETRY = "retry"
OPEN_MODEL = "open_model"
SETTINGS = "settings"

_OOM = re.compile(r"out of memory|failed to allocate|not enough memory|cannot allocate|"
                  r"insufficient memory|\boom\b|cudaMalloc|alloc.*failed", re.I)


@dataclass(frozen=True)
class UserError:
    title: str
    text: str
    actions: list[tuple[str, str]]


def is_out_of_memory(message: str) -> bool:
    return bool(_OOM.search(message))


def describe(code: str | None, message: str, during_load: bool = False) -> UserError:
    """The card for an engine error ``code`` with the engine's ``message``."""
    retry = [(RETRY, translate("Errors", "Try again"))]
    settings = (SETTINGS, translate("Errors", "Open Settings"))
    other_model = (OPEN_MODEL, translate("Errors", "Choose another model…"))
    if is_out_of_memory(message):
        advice = translate(
            "Errors", "The model needs more memory than this computer has free. Your "
            "conversation is safe. Choose a shorter context in Settings, close other apps, "
            "or use a smaller model.")
        return UserError(translate("Errors", "Not enough memory"),
                         f"{advice}\n\n{message}", [settings, other_model])
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
