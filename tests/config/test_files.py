"""The one atomic write: the old file survives any write that fails, a full disk first.

Two full disks: a file object that fails with ENOSPC halfway through the data (runs
everywhere), and a real 64 KiB tmpfs, mounted in a private user and mount namespace
(Linux, where the kernel lets an unprivileged user do that; skipped elsewhere, with the
reason)."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from app.config import files
from app.config.files import replace_durably, write_atomically
from tests.support.tmpfs import run_on_tmpfs

APP = Path(__file__).resolve().parents[2] / "app"
_FDOPEN = os.fdopen


def test_writes_creates_the_folder_and_leaves_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "new" / "settings.json"
    write_atomically(path, "first\n")
    write_atomically(path, "zweite Fassung ✓\n")
    assert path.read_text(encoding="utf-8") == "zweite Fassung ✓\n"
    write_atomically(path, b"\x00bytes")
    assert path.read_bytes() == b"\x00bytes"
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


class _FullDisk:
    """A file that takes half of what it is given, then reports a full disk: what a
    real write does when the disk fills up in the middle of it."""

    def __init__(self, fd: int) -> None:
        self._real = _FDOPEN(fd, "wb")

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._real.close()

    def write(self, data: bytes) -> int:
        self._real.write(data[: len(data) // 2])
        self._real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        self._real.flush()

    def close(self) -> None:
        self._real.close()

    def fileno(self) -> int:
        return self._real.fileno()


def test_a_full_disk_midway_leaves_the_old_file(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "servers.json"
    write_atomically(path, '{"servers": ["lab"]}\n')
    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: _FullDisk(fd))
    with pytest.raises(OSError) as failed:
        write_atomically(path, '{"servers": ["lab", "box"]}\n' * 1000)
    monkeypatch.undo()
    assert failed.value.errno == errno.ENOSPC
    assert path.read_text() == '{"servers": ["lab"]}\n', "the old file is untouched"
    assert [p.name for p in tmp_path.iterdir()] == ["servers.json"], "no temporary left"


_ON_TMPFS = """
import errno, json, sys
from pathlib import Path
from app.config.files import write_atomically
folder = Path(sys.argv[1])
path = folder / "settings.json"
write_atomically(path, "old\\n")
outcome = "written"
try:
    write_atomically(path, "x" * (256 * 1024))
except OSError as exc:
    outcome = errno.errorcode.get(exc.errno or 0, str(exc))
print(json.dumps({"outcome": outcome, "text": path.read_text(),
                  "files": sorted(p.name for p in folder.iterdir())}))
"""


def test_a_really_full_disk_leaves_the_old_file(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    folder.mkdir()
    run = run_on_tmpfs(folder, "64k", _ON_TMPFS)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result == {"outcome": "ENOSPC", "text": "old\n", "files": ["settings.json"]}


def test_a_finished_file_replaces_the_target(tmp_path: Path) -> None:
    partial = tmp_path / "model.gguf.part"
    partial.write_bytes(b"GGUF" + b"\x01" * 100)
    target = tmp_path / "model.gguf"
    target.write_bytes(b"old")
    replace_durably(partial, target)
    assert target.read_bytes() == b"GGUF" + b"\x01" * 100 and not partial.exists()


def test_every_file_app_replaces_goes_through_the_one_helper() -> None:
    """A hand-written temporary-and-rename elsewhere would be a second copy that drifts
    (of the five there were, two never fsync'ed). Moving a damaged chat database aside
    is a rename, not a write."""
    pattern = re.compile(r"os\.replace\(|os\.rename\(|\.replace\(tmp|mkstemp\(|"
                         r"NamedTemporaryFile\(")
    offenders = sorted(str(p.relative_to(APP)) for p in APP.rglob("*.py")
                       if p != APP / "config" / "files.py" and pattern.search(p.read_text()))
    assert offenders == ["chats/database.py"]
