"""The one error a user can meet while adding a document, with text written for them.

``reason`` is a stable code the UI can branch on (and translate by); ``str(error)`` is
the English message, which says what happened, that nothing else was affected, and
what to do next.
"""

from __future__ import annotations

ENCRYPTED = "encrypted"
NO_TEXT = "no_text"
EMPTY = "empty"
CORRUPT = "corrupt"
UNSUPPORTED = "unsupported"
TOO_LARGE = "too_large"
MISSING = "missing"
CHANGED = "changed"
STORAGE = "storage"

SUPPORTED = "PDF, Word (.docx), HTML, Markdown, plain text, source code and CSV files"


class DocumentError(Exception):
    """A document Cove cannot read; the message is for the user."""

    def __init__(self, reason: str, message: str, file: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.file = file


def encrypted(name: str) -> DocumentError:
    return DocumentError(ENCRYPTED, (
        f"“{name}” is protected by a password, so Cove can't read it. Open it in a PDF "
        "viewer, save a copy without the password, and attach that copy."), name)


def no_text(name: str) -> DocumentError:
    return DocumentError(NO_TEXT, (
        f"“{name}” has no text: its pages look like scanned images. Cove reads the text "
        "in a document and can't read pictures of text yet. Run it through OCR (many "
        "scanner and PDF apps can) and attach the result."), name)


def empty(name: str) -> DocumentError:
    return DocumentError(EMPTY, f"“{name}” is empty: there is nothing in it to read.", name)


def corrupt(name: str, what: str = "file") -> DocumentError:
    return DocumentError(CORRUPT, (
        f"“{name}” can't be read: the {what} looks damaged or incomplete. If it was "
        "downloaded or copied, try getting it again."), name)


def unsupported(name: str, what: str) -> DocumentError:
    return DocumentError(UNSUPPORTED, (
        f"“{name}” is {what}, which Cove can't read. Cove reads {SUPPORTED}."), name)


def too_large(name: str, limit_mb: int) -> DocumentError:
    return DocumentError(TOO_LARGE, (
        f"“{name}” is larger than {limit_mb} MB of text, more than Cove can index. "
        "Split it into smaller files and attach those."), name)


def missing(name: str) -> DocumentError:
    return DocumentError(MISSING, (
        f"“{name}” is no longer where it was attached from, so Cove can't finish reading "
        "it. What was already read is kept; attach the file again to read the rest."),
        name)


def changed(name: str) -> DocumentError:
    return DocumentError(CHANGED, (
        f"“{name}” changed while Cove was reading it. Attach it again to read the new "
        "version."), name)


def storage(name: str, detail: str) -> DocumentError:
    return DocumentError(STORAGE, (
        f"Cove couldn't save what it read from “{name}” ({detail}). What was saved is "
        "kept; free some disk space and Cove will continue where it stopped."), name)
