"""The history key and the keyring: made once and kept; a missing key, a failing or
absent keyring and a wrong passphrase never crash, never fall back to plain files on
their own, and never change a file."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from keyring.errors import KeyringLocked

from app.chats.store import ChatStore, ChatStoreError
from app.config import at_rest, paths, secrets, sqlcipher
from app.config.at_rest import Answer, Question
from tests.support.memory_keyring import MemoryKeyring


class LockedKeyring(MemoryKeyring):
    """A Secret Service whose collection stays locked (the user dismissed the prompt)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


def first_start(text: str = "kept") -> None:
    with ChatStore.default() as store:
        store.create_conversation(text)


class Asker:
    """The front end: answers the questions in turn and remembers them."""

    def __init__(self, *answers: Answer | None) -> None:
        self.answers = list(answers)
        self.asked: list[Question] = []

    def __call__(self, question: Question) -> Answer | None:
        self.asked.append(question)
        return self.answers.pop(0)


def test_the_key_is_made_once_kept_in_the_keyring_and_opens_both_files(home: Path) -> None:
    first_start()
    key = secrets.stored_key()
    assert key is not None and key.raw is not None
    assert keyring.get_password("Cove", "history-key") == key.raw.hex()
    with ChatStore.default() as store:
        assert store.key == key
        assert [c.title for c in store.conversations()] == ["kept"]
    assert sqlcipher.is_plain(paths.data_dir() / "cove.db") is False


def test_a_missing_key_leaves_the_files_alone(home: Path) -> None:
    first_start()
    before = (paths.data_dir() / "cove.db").read_bytes()
    secrets.forget_key()
    with pytest.raises(ChatStoreError) as info:
        ChatStore.default()
    assert info.value.kind == "missing_key"
    assert "missing from" in str(info.value) and "has not changed" in str(info.value)
    assert (paths.data_dir() / "cove.db").read_bytes() == before
    assert secrets.stored_key() is None  # no new key made over the old files


def test_a_wrong_key_in_the_keyring_changes_nothing(home: Path) -> None:
    first_start()
    before = (paths.data_dir() / "cove.db").read_bytes()
    secrets.forget_key()
    secrets.create_key()
    with pytest.raises(ChatStoreError) as info:
        ChatStore.default()
    assert info.value.kind == "wrong_key"
    assert (paths.data_dir() / "cove.db").read_bytes() == before
    assert not [p for p in paths.data_dir().iterdir() if "damaged" in p.name]


@pytest.mark.parametrize("ring", [NoKeyring, LockedKeyring], ids=["none", "locked"])
def test_no_keyring_without_a_front_end_is_an_error_not_a_plain_file(
        home: Path, ring: type[keyring.backend.KeyringBackend]) -> None:
    keyring.set_keyring(ring())
    with pytest.raises(ChatStoreError) as info:
        ChatStore.default()
    assert info.value.kind == "no_keyring"
    assert "Nothing was changed" in str(info.value)
    assert not (paths.data_dir() / "cove.db").exists()


@pytest.mark.parametrize("ring", [NoKeyring, LockedKeyring], ids=["none", "locked"])
def test_no_keyring_asks_once_then_only_for_the_passphrase(
        home: Path, ring: type[keyring.backend.KeyringBackend]) -> None:
    keyring.set_keyring(ring())
    ask = Asker(Answer(passphrase="tide tables"))
    with ChatStore.default(ask) as store:
        assert store.key is not None and store.key.passphrase == "tide tables"
        store.create_conversation("by passphrase")
    assert [q.kind for q in ask.asked] == [at_rest.NO_KEYRING]
    assert ask.asked[0].new and ask.asked[0].detail  # why: the keyring's own words
    assert secrets.mode() == secrets.PASSPHRASE
    assert sqlcipher.is_plain(paths.data_dir() / "cove.db") is False

    again = Asker(Answer(passphrase="tide table"), Answer(passphrase="tide tables"))
    with ChatStore.default(again) as store:
        assert [c.title for c in store.conversations()] == ["by passphrase"]
    assert [q.kind for q in again.asked] == [at_rest.ENTER_PASSPHRASE,
                                             at_rest.WRONG_PASSPHRASE]
    quit_ = Asker(None)
    with pytest.raises(ChatStoreError) as info:
        ChatStore.default(quit_)
    assert info.value.kind == "cancelled"


def test_staying_unencrypted_is_a_remembered_choice(home: Path) -> None:
    keyring.set_keyring(NoKeyring())
    ask = Asker(Answer(plain=True))
    with ChatStore.default(ask) as store:
        assert store.key is None
        store.create_conversation("plain by choice")
    assert secrets.mode() == secrets.PLAIN
    assert sqlcipher.is_plain(paths.data_dir() / "cove.db")
    never = Asker()
    with ChatStore.default(never) as store:
        assert [c.title for c in store.conversations()] == ["plain by choice"]
    assert never.asked == []


def test_a_keyring_that_loses_what_it_was_given_is_not_trusted(home: Path) -> None:
    class Forgetful(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            pass

    keyring.set_keyring(Forgetful())
    ask = Asker(Answer(passphrase="backup plan"))
    with ChatStore.default(ask) as store:
        assert store.key is not None and store.key.passphrase == "backup plan"
    assert "did not keep" in ask.asked[0].detail


def test_no_keyring_at_all_is_said_in_words_not_in_the_librarys(home: Path) -> None:
    """keyring's stand-in backend when none is installed says "No recommended backend
    was available. Install a recommended 3rd party backend package; or …": what a
    user is told instead is that this computer has no keyring (a Secret Service)."""
    keyring.set_keyring(NoKeyring())
    with pytest.raises(secrets.KeyringUnavailable) as info:
        secrets.stored_key()
    said = str(info.value)
    assert "no keyring" in said and "Secret Service" in said
    assert "backend" not in said and "fail" not in said.lower()
