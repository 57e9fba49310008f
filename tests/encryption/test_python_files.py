"""The python tool's files on an encrypted history (app.tools.python_folder): what the
model's code writes survives to its next call, yet no file under Cove's folders holds
it between runs; an older Cove's plain folder is taken in and erased; a run cut off
by a crash, or an archive of a lost key, costs no crash and leaves nothing plain."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.config import paths, sealed
from app.config.sealed import FileKey
from app.tools import python_folder
from app.tools.base import ToolResult
from app.tools.python import PythonTool, best_backend, supported, workdir_for

SENTENCE = "Marigold ferries leave Quillhaven at dawn"
WRITE = f"open('notes.txt', 'w').write({SENTENCE!r})\nprint('written')"
READ = "print(open('notes.txt').read().upper())"

pytestmark = pytest.mark.skipif(not supported(), reason="the python tool needs POSIX")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COVE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def run(tool: PythonTool, code: str) -> ToolResult:
    return tool.run({"code": code}, threading.Event())


def holding(folder: Path, text: str) -> list[str]:
    return [str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and text.encode() in p.read_bytes()]


def test_files_survive_between_runs_sealed_and_nowhere_plain(home: Path) -> None:
    key = FileKey(os.urandom(32), "python")
    tool = PythonTool(workdir_for(7), key=key)
    first = run(tool, WRITE)
    assert not first.is_error and "written" in first.text and "notes.txt" in first.text
    archive = paths.data_dir() / "python" / "7.sealed"
    assert sealed.is_sealed(archive)
    assert holding(home, "Quillhaven") == [] and holding(home, "notes.txt") == []
    assert not (paths.cache_dir() / python_folder.RUNS).exists() or \
        list((paths.cache_dir() / python_folder.RUNS).iterdir()) == []
    again = PythonTool(workdir_for(7), key=key)  # a later start: a new tool, same key
    second = run(again, READ)
    assert SENTENCE.upper() in second.text, second.text
    assert "notes.txt" not in second.text  # read, not written: not listed as written
    assert holding(home, "Quillhaven") == []
    other = run(PythonTool(workdir_for(8), key=key), "import os\nprint(os.listdir('.'))")
    assert "notes.txt" not in other.text  # each conversation has its own files


def test_an_older_plain_folder_is_taken_in_and_erased(home: Path) -> None:
    plain = workdir_for(3)
    (plain / "data").mkdir(parents=True)
    (plain / "data" / "table.csv").write_text(f"said,{SENTENCE}\n")
    tool = PythonTool(plain, key=FileKey(os.urandom(32)))
    result = run(tool, "print(open('data/table.csv').read())")
    assert SENTENCE in result.text, result.text
    assert not plain.exists() and python_folder.archive_for(plain).is_file()
    assert holding(home, "Quillhaven") == []


def test_a_lost_key_sets_the_archive_aside_and_starts_empty(home: Path) -> None:
    run(PythonTool(workdir_for(4), key=FileKey(os.urandom(32))), WRITE)
    result = run(PythonTool(workdir_for(4), key=FileKey(os.urandom(32))),
                 "import os\nprint(sorted(os.listdir('.')))")
    assert not result.is_error and "[]" in result.text, result.text
    names = sorted(p.name for p in (paths.data_dir() / "python").iterdir())
    assert names[0] == "4.sealed" and names[1].startswith("4.sealed.unreadable-")


def test_a_run_cut_off_by_a_crash_is_erased_by_the_next(home: Path) -> None:
    """A real process dies with a run's folder unpacked (kill -9 mid-run); the next
    run in another process erases it."""
    code = (
        "import os, sys\n"
        "from app.config.sealed import FileKey\n"
        "from app.tools import python_folder\n"
        "from app.tools.python import workdir_for\n"
        "with python_folder.opened(workdir_for(5), FileKey(b'k' * 32)) as work:\n"
        f"    (work / 'half.txt').write_text({SENTENCE!r})\n"
        "    print(work, flush=True)\n"
        "    os._exit(9)\n")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    left = Path(done.stdout.strip())
    assert done.returncode == 9 and left.is_dir() and holding(home, "Quillhaven")
    run(PythonTool(workdir_for(6), key=FileKey(os.urandom(32))), "print(1)")
    assert not left.exists() and holding(home, "Quillhaven") == []


def test_without_a_key_the_folder_stays_plain(home: Path) -> None:
    """An unencrypted history (the user's choice): the files too, as before."""
    tool = PythonTool(workdir_for(9), backend=best_backend())
    run(tool, WRITE)
    assert (workdir_for(9) / "notes.txt").read_text() == SENTENCE
