"""The python tool's working folder: sealed between runs when the history is encrypted.

Files the model's code writes survive between its calls (the folder is the
conversation's), and they can hold anything the conversation holds: a table built
from an attached document, the user's words in a plot's title. So they are kept as
the history is (issue 17):

* Unencrypted history (the user's choice; ``key`` is None): a plain folder,
  ``python/<conversation>`` in the data folder, as before.
* Encrypted history: one sealed archive, ``python/<conversation>.sealed`` (a tar stream
  sealed with ``app.config.sealed``, the key from ``app.config.at_rest.file_key``).
  For a run it is unpacked into a fresh folder in the cache folder's
  ``python-runs``, the code runs there (the sandbox sees only that folder), and
  afterwards the folder is packed and sealed again and then erased: overwritten with
  zeros and removed. File names, sizes and contents are inside the archive.

So the plain files exist on disk only while a run lasts (at most the tool's time
limit). A run cut off by a crash leaves its folder behind; the next run of any
conversation erases the folders of processes that are gone (:func:`sweep`), and
Forget everything erases ``python-runs`` too. A folder of an older Cove (plain, in the
data folder) is taken into the archive at its next run and then erased. Symbolic
links and special files are never packed: only regular files and folders.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import forget, paths, sealed
from app.config.sealed import FileKey

if TYPE_CHECKING:
    import tarfile

log = logging.getLogger(__name__)

PURPOSE = "python"  # the name its key is derived under (app.config.at_rest.file_key)
SUFFIX = ".sealed"
RUNS = "python-runs"  # in the cache folder: the folders of runs under way


def archive_for(folder: Path) -> Path:
    return folder.with_name(folder.name + SUFFIX)


@contextlib.contextmanager
def opened(folder: Path, key: FileKey | None, runs: Path | None = None) -> Iterator[Path]:
    """The folder a run works in: ``folder`` itself without a key; with one, a fresh
    folder holding the archive's files, sealed back and erased when the block ends
    (also when it raises). Raises OSError when the files cannot be unpacked (a full
    disk) or :class:`app.config.sealed.SealError` never: an archive that does not open
    with this key is set aside (``.unreadable-…``) and the run starts empty."""
    if key is None:
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    runs = runs if runs is not None else paths.cache_dir() / RUNS
    runs.mkdir(parents=True, exist_ok=True)
    sweep(runs)
    work = Path(tempfile.mkdtemp(prefix=f"{folder.name}.{os.getpid()}.", dir=runs))
    try:
        _unpack(folder, key, work)
        yield work
        _pack(work, archive_for(folder), key)
        if folder.is_dir() and not folder.is_symlink():  # an older Cove's plain folder
            erase_tree(folder)
    finally:
        erase_tree(work)


def _unpack(folder: Path, key: FileKey, work: Path) -> None:
    import tarfile  # only when the tool runs (the window's start does not need it)

    archive = archive_for(folder)
    if archive.is_file():
        try:
            with sealed.open_sealed(archive, key) as source, \
                    tarfile.open(fileobj=source, mode="r|") as tar:
                for member in tar:
                    _extract(tar, member, work)
            return
        except (sealed.SealError, tarfile.TarError) as exc:
            aside = archive.with_name(f"{archive.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
            log.error("the python tool's files of %s cannot be opened (%s); set aside",
                      folder.name, type(exc).__name__)
            erase_tree(work)
            work.mkdir()
            with contextlib.suppress(OSError):
                archive.replace(aside)
            return
    if folder.is_dir() and not folder.is_symlink():  # plain files of an older Cove
        shutil.copytree(folder, work, symlinks=True, dirs_exist_ok=True,
                        ignore=lambda d, names: [n for n in names
                                                 if Path(d, n).is_symlink()])


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, work: Path) -> None:
    """One member, if it is a regular file or a folder inside ``work`` (Cove wrote the
    archive, and it is authenticated; the check is for a bug, not an attacker)."""
    target = (work / member.name).resolve()
    if not target.is_relative_to(work.resolve()) or target == work.resolve():
        return
    if member.isdir():
        target.mkdir(parents=True, exist_ok=True)
    elif member.isfile():
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        assert source is not None
        with target.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        os.utime(target, (member.mtime, member.mtime))


def _pack(work: Path, archive: Path, key: FileKey) -> None:
    """Seal the regular files and folders of ``work`` into ``archive`` (atomically:
    the previous archive stays until the new one is complete)."""
    import tarfile

    with sealed.SealedWriter(archive, key) as out, \
            tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        for root, dirs, names in os.walk(work):
            base = Path(root)
            for name in sorted(dirs) + sorted(names):
                path = base / name
                if path.is_symlink() or not (path.is_dir() or path.is_file()):
                    continue
                info = tar.gettarinfo(str(path), arcname=str(path.relative_to(work)))
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                if info.isdir():
                    tar.addfile(info)
                else:
                    with path.open("rb") as source:
                        tar.addfile(info, source)


def erase_tree(top: Path) -> None:
    """Overwrite every regular file under ``top`` with zeros and remove it all (links
    are removed, never followed)."""
    if top.is_symlink():
        top.unlink()
        return
    if not top.is_dir():
        return
    for root, dirs, names in os.walk(top, topdown=False):
        for name in names:
            with contextlib.suppress(OSError):
                forget.erase(Path(root, name))
        for name in dirs:
            path = Path(root, name)
            with contextlib.suppress(OSError):
                path.unlink() if path.is_symlink() else path.rmdir()
    with contextlib.suppress(OSError):
        top.rmdir()


def sweep(runs: Path) -> None:
    """Erase the run folders of processes that are gone (a crash mid-run)."""
    if not runs.is_dir():
        return
    for entry in runs.iterdir():
        parts = entry.name.split(".")
        pid = int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None
        if pid is None or pid == os.getpid() or _alive(pid):
            continue
        log.info("erasing the python tool's folder of a run cut off by a crash")
        erase_tree(entry)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no way to ask: leave it
        return True
    return True


def export_all(root: Path, key: FileKey | None, target: Path) -> int:
    """Every conversation's files under ``root`` (the data folder's ``python``) as plain
    folders in ``target`` (Export everything); returns how many. An archive that does
    not open with ``key`` is left out (logged), never a reason to fail the rest."""
    import tarfile

    if not root.is_dir():
        return 0
    done = 0
    for entry in sorted(root.iterdir()):
        if entry.is_symlink():
            continue
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name, symlinks=True, ignore=lambda d, n: [
                name for name in n if Path(d, name).is_symlink()])
            done += 1
        elif entry.name.endswith(SUFFIX) and key is not None:
            out = target / entry.name[:-len(SUFFIX)]
            out.mkdir(parents=True)
            try:
                with sealed.open_sealed(entry, key) as source, \
                        tarfile.open(fileobj=source, mode="r|") as tar:
                    for member in tar:
                        _extract(tar, member, out)
            except (sealed.SealError, tarfile.TarError) as exc:
                log.error("the python tool's files of %s were not exported (%s)",
                          entry.name, type(exc).__name__)
                shutil.rmtree(out, ignore_errors=True)
                continue
            done += 1
    return done


def read_file(folder: Path, key: FileKey | None, name: str) -> bytes:
    """One file a run wrote (``name`` relative to the working folder, as the tool's
    result names it), for the user to save: from the plain folder, or from the sealed
    archive without unpacking the rest. Raises FileNotFoundError when there is no such
    regular file inside (a link, a folder, a name leading outside), OSError when it
    cannot be read, and :class:`app.config.sealed.SealError` when the archive does not
    open with ``key``."""
    import tarfile

    wanted = Path(name)
    if wanted.is_absolute() or ".." in wanted.parts or not name.strip():
        raise FileNotFoundError(name)
    archive = archive_for(folder)
    if key is not None and archive.is_file():
        try:
            with sealed.open_sealed(archive, key) as source, \
                    tarfile.open(fileobj=source, mode="r|") as tar:
                for member in tar:
                    if member.isfile() and Path(member.name) == wanted:
                        data = tar.extractfile(member)
                        assert data is not None
                        return data.read()
        except tarfile.TarError as exc:
            raise OSError(f"the files archive is damaged: {exc}") from exc
        raise FileNotFoundError(name)
    path = folder / wanted
    if not folder.is_dir() or path.is_symlink() or not path.is_file() or \
            not path.resolve().is_relative_to(folder.resolve()):
        raise FileNotFoundError(name)
    return path.read_bytes()
