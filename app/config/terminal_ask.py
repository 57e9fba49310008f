"""The history's questions (``app.config.at_rest``) asked on a terminal, for ``cove chat``.

When the OS keyring cannot keep the history's key, the window asks in a dialog
(``app/ui/dialogs/protection.py``); ``cove chat`` asks here, once, the same choice: a
passphrase (typed without echo, twice for a new one: a typo would lock the history
away for good), keeping the history unencrypted, or quitting with nothing changed.
Later starts only ask for the passphrase. A history encrypted with the keyring's key
whose keyring is locked gets only "unlock it and try again" (t) or quit (q). Ctrl+C
or Ctrl+D at any prompt quits cleanly (the caller says nothing was changed), never with a traceback.

Only a terminal is asked (:func:`for_terminal` gives None otherwise): a script piping
into ``cove chat`` gets the plain explanation instead of a prompt it cannot answer.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TextIO

from app.config.at_rest import (
    ENTER_PASSPHRASE,
    KEYRING_LOCKED,
    NO_KEYRING,
    Answer,
    Ask,
    Question,
)

ReadSecret = Callable[[str], str]  # getpass.getpass: the prompt, the text typed
TRIES = 3  # for two passphrases that do not match, or an empty one


def for_terminal(stdin: TextIO, err: TextIO) -> Ask | None:
    """An asker when ``stdin`` is a terminal, else None."""
    try:
        interactive = stdin.isatty()
    except (AttributeError, ValueError):
        interactive = False
    return TerminalAsk(stdin, err) if interactive else None


class TerminalAsk:
    """Answers :class:`Question` from the person at the terminal."""

    def __init__(self, stdin: TextIO, err: TextIO,
                 read_secret: ReadSecret = getpass.getpass) -> None:
        self.stdin, self.err, self.read_secret = stdin, err, read_secret

    def __call__(self, question: Question) -> Answer | None:
        try:
            return self._answer(question)
        except (EOFError, KeyboardInterrupt):
            self.err.write("\n")
            return None

    def _answer(self, question: Question) -> Answer | None:
        if question.kind == KEYRING_LOCKED:
            self._say(f"{question.detail}\nYour keyring is locked or unavailable: unlock "
                      "it and try again.\n  t  try again\n  q  quit; nothing is changed")
            return Answer(retry=True) if self._pick("tq") == "t" else None
        if question.kind == NO_KEYRING:
            choice = self._choose(question)
            if choice != "p":
                return Answer(plain=True) if choice == "u" else None
            return self._new_passphrase() if question.new else self._passphrase(
                "Passphrase of your history: ")
        if question.kind == ENTER_PASSPHRASE and question.new:
            return self._new_passphrase()
        if question.kind == ENTER_PASSPHRASE:
            return self._passphrase("Passphrase of your history: ")
        self._say("That passphrase does not open your history.")
        return self._passphrase("Passphrase of your history (again): ")

    def _choose(self, question: Question) -> str:
        """p (passphrase), u (unencrypted, only offered for a new history) or q."""
        self._say(f"{question.detail}\nCove keeps your conversations and documents "
                  "encrypted, with the key in your system's keyring, which cannot be "
                  "used now.")
        options = "  p  protect the history with a passphrase (typed at each start)\n"
        if question.new:
            options += ("  u  keep it unencrypted (anyone with access to your files "
                        "can read it)\n")
        options += "  q  quit; nothing is changed (unlock the keyring and try again)\n"
        self._say(options.rstrip("\n"))
        return self._pick("puq" if question.new else "pq")

    def _pick(self, allowed: str) -> str:
        """One of the letters in ``allowed`` (its last, quit, after TRIES others)."""
        for _ in range(TRIES):
            self.err.write(f"Your choice [{'/'.join(allowed)}]: ")
            self.err.flush()
            line = self.stdin.readline()
            if not line:
                raise EOFError
            choice = line.strip().lower()[:1]
            if choice and choice in allowed:
                return choice
        return allowed[-1]

    def _new_passphrase(self) -> Answer | None:
        self._say("Choose a passphrase. Cove cannot recover it: without it the "
                  "history cannot be opened.")
        for _ in range(TRIES):
            first = self.read_secret("New passphrase: ")
            if not first:
                self._say("An empty passphrase protects nothing.")
                continue
            if self.read_secret("The same passphrase again: ") == first:
                return Answer(passphrase=first)
            self._say("The two passphrases differ.")
        return None

    def _passphrase(self, prompt: str) -> Answer | None:
        text = self.read_secret(prompt)
        return Answer(passphrase=text) if text else None

    def _say(self, text: str) -> None:
        self.err.write(text + "\n")
        self.err.flush()
