"""Plain files of an older Cove are encrypted on the first start, and a crash or a full
disk at any moment of it leaves one complete history that opens (issue 17).

Crashes are real: a child process migrates the release folder's copy and kills itself
(SIGKILL) after each step of ``app.config.encrypt``; then the app's own start
(``ChatStore.default``) opens the folder and every conversation, attachment and source
of the release must be there.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.chats.errors import ChatStoreError
from app.chats.store import ChatStore
from app.config import encrypt, secrets, sqlcipher
from app.documents.answering import ConversationDocuments
from tests.migration.test_release_folder import Folder
from tests.support.tmpfs import run_on_tmpfs

FILES = ("cove.db", "documents.db")
PLAIN_WORDS = (b"lighthouse", b"Lisbon", b"Harbour notes", b"SQLite format 3")


@pytest.fixture
def home(folder: Folder, monkeypatch: pytest.MonkeyPatch) -> Folder:
    monkeypatch.setenv("COVE_HOME", str(folder.home))
    return folder


def assert_all_there(folder: Folder) -> None:
    """The app's start opens the folder encrypted with nothing of the release lost."""
    with ChatStore.default() as store:
        assert store.key is not None and store.notice is None
        assert [c.id for c in store.conversations()] == folder.expected["sidebar"]
        for role, saved in folder.expected["conversations"].items():
            messages = store.messages(saved["id"])
            assert [m.content for m in messages] == \
                [m["content"] for m in saved["messages"]], role
        hits = [[h.conversation_id, h.message_id] for h in store.search("lighthouse")]
        assert hits == folder.expected["search"]["lighthouse"]
        with ConversationDocuments.beside(store.db_path, key=store.key) as documents:
            for role, saved in folder.expected["conversations"].items():
                assert [d.sha256 for d in documents.documents(saved["id"])] == \
                    [d["sha256"] for d in saved["documents"]], role
            cid = folder.id("documents")
            for saved in folder.expected["sources"].values():
                context = documents.sources(cid, saved["message_id"])
                assert context is not None
                assert [s.label for s in context.sources] == \
                    [s["label"] for s in saved["sources"]]
    assert_encrypted(folder.data)


def assert_encrypted(data: Path) -> None:
    for name in FILES:
        assert sqlcipher.is_plain(data / name) is False, name
    leftovers = [p.name for p in data.iterdir() if p.name.endswith(
        (encrypt.COPY_SUFFIX, encrypt.PLAIN_SUFFIX))]
    assert leftovers == []
    for path in data.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            for word in PLAIN_WORDS:
                assert word not in raw, (path.name, word)


def test_the_release_folder_is_encrypted_on_the_first_start(home: Folder) -> None:
    assert all(sqlcipher.is_plain(home.data / name) for name in FILES)
    assert_all_there(home)
    assert secrets.stored_key() is not None
    assert_all_there(home)  # the second start opens it as it is


CHILD = """
import os, signal, sys
from pathlib import Path
from app.config import encrypt, secrets
key = secrets.stored_key() or secrets.create_key()
stop = sys.argv[2]
def step(name):
    if name == stop:
        os.kill(os.getpid(), signal.SIGKILL)
for name in ("documents.db", "cove.db"):
    encrypt.encrypt_in_place(Path(sys.argv[1]) / name, key, step)
"""


@pytest.mark.parametrize("stop", encrypt.STEPS)
def test_a_crash_after_any_step_leaves_a_history_that_opens_whole(
        home: Folder, stop: str) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD, str(home.data), stop],
                          cwd=Path(__file__).resolve().parents[2], env=os.environ.copy(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == -9, done.stderr  # killed where it was told to stop
    names = {p.name for p in home.data.iterdir()}
    if stop in ("swapped",):
        assert "documents.db.plain" in names  # the plain file waits to be erased
    assert_all_there(home)


def test_a_copy_half_written_when_the_power_went_is_thrown_away(home: Folder) -> None:
    (home.data / "cove.db.encrypting").write_bytes(os.urandom(5000))
    (home.data / "cove.db.encrypting-journal").write_bytes(os.urandom(512))
    assert_all_there(home)


def test_a_full_disk_changes_nothing_and_the_next_start_finishes(
        home: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(encrypt.os, "fsync", full)
    with pytest.raises(ChatStoreError) as info:
        ChatStore.default()
    assert info.value.kind == "disk_full"
    assert "Nothing was changed and nothing was lost" in str(info.value)
    assert all(sqlcipher.is_plain(home.data / n) for n in FILES)  # as they were
    assert sorted(p.name for p in home.data.iterdir()) == sorted(FILES)
    monkeypatch.setattr(encrypt.os, "fsync", real_fsync)
    assert_all_there(home)


def test_too_little_free_space_is_said_before_anything_is_written(
        home: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    def tiny(path: Any) -> Any:
        return shutil._ntuple_diskusage(10 << 30, 10 << 30, 4096)  # type: ignore[attr-defined]

    monkeypatch.setattr(encrypt.shutil, "disk_usage", tiny)
    with pytest.raises(ChatStoreError, match="not enough free disk space"):
        ChatStore.default()
    assert all(sqlcipher.is_plain(home.data / n) for n in FILES)
    assert sorted(p.name for p in home.data.iterdir()) == sorted(FILES)


def _damage(path: Path) -> None:
    """Scribble over the middle pages, as a bad sector would."""
    raw = bytearray(path.read_bytes())
    pages = len(raw) // 4096
    assert pages >= 3
    for page in range(1, pages):
        start = page * 4096 + 100
        raw[start:start + 400] = os.urandom(400)
    path.write_bytes(bytes(raw))


def test_a_damaged_history_is_set_aside_and_a_new_one_encrypted(home: Folder) -> None:
    _damage(home.data / "cove.db")
    with ChatStore.default() as store:
        assert store.key is not None
        assert store.notice is not None
        assert "damaged and could not be encrypted" in str(store.notice)
        assert store.conversations() == []
        store.create_conversation("after the damage")
    aside = [p for p in home.data.iterdir() if ".damaged-" in p.name]
    assert [p.name.split(".damaged-")[0] for p in aside] == ["cove.db"]
    assert sqlcipher.is_plain(aside[0])  # kept as it was, to be rescued
    assert sqlcipher.is_plain(home.data / "cove.db") is False
    assert sqlcipher.is_plain(home.data / "documents.db") is False
    with ChatStore.default() as again:
        assert [c.title for c in again.conversations()] == ["after the damage"]
        assert again.notice is None


_ON_A_FULL_DISK = r"""
import errno, json, os, shutil, sys
from pathlib import Path
import keyring
from app.chats.errors import ChatStoreError
from app.chats.store import ChatStore
from app.config import encrypt, sqlcipher
from tests.support.memory_keyring import MemoryKeyring

disk, release = Path(sys.argv[1]), Path(sys.argv[2])
os.environ["COVE_HOME"] = str(disk / "home")
shutil.copytree(release, disk / "home")
keyring.set_keyring(MemoryKeyring())
filler = disk / "filler"
checked = encrypt._room_for

def then_the_disk_fills(path):  # another program takes the space the check saw free
    checked(path)
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(bytes(64 << 10))
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc

encrypt._room_for = then_the_disk_fills
report = {}
try:
    ChatStore.default().close()
except ChatStoreError as exc:
    report["kind"], report["text"] = exc.kind, str(exc)
data = disk / "home" / "data"
report["after_full"] = sorted(p.name for p in data.iterdir())
report["plain"] = [sqlcipher.is_plain(data / n) for n in ("cove.db", "documents.db")]
encrypt._room_for = checked
filler.unlink()
with ChatStore.default() as store:
    report["sidebar"] = [c.id for c in store.conversations()]
    report["encrypted"] = store.key is not None
report["files"] = sorted(p.name for p in data.iterdir())
report["plain_after"] = [sqlcipher.is_plain(data / n) for n in ("cove.db", "documents.db")]
print(json.dumps(report))
"""


def test_a_really_full_disk_during_the_export_changes_nothing(folder: Folder,
                                                              tmp_path: Path) -> None:
    """A real full disk (a private 24 MB tmpfs): the space check passes, then another
    program fills the disk, and SQLCipher's export of the copy fails with SQLite's own
    "database or disk is full". Cove says so, the plain files are as they were with
    nothing beside them; once there is room the next start encrypts them, all there."""
    disk = tmp_path / "disk"
    disk.mkdir()
    run = run_on_tmpfs(disk, "24m", _ON_A_FULL_DISK, str(folder.home))
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert report["kind"] == "disk_full", report
    assert "Nothing was changed and nothing was lost" in report["text"]
    assert report["after_full"] == sorted(FILES) and report["plain"] == [True, True]
    assert report["encrypted"] and report["sidebar"] == folder.expected["sidebar"]
    assert set(report["files"]) >= set(FILES) and not [n for n in report["files"] if n.endswith(
        (encrypt.COPY_SUFFIX, encrypt.PLAIN_SUFFIX))], report["files"]
    assert report["plain_after"] == [False, False]
