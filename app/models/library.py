"""The user's own GGUF files: what is there, importing, deleting and verifying.

Everything shown about a model (architecture, quantization, context length, parameter
count) comes from its GGUF header through ``app.gguf_header``: listing a 12 GB
model reads a few megabytes. Files live in the models folder, or where the user keeps
them ("referenced": Cove remembers the path in ``library.json`` and never deletes the
file itself). A split model (``-00001-of-00003.gguf``) is one entry.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.config.files import replace_durably, write_atomically
from app.gguf_header import (
    GGUFError,
    GGUFHeader,
    check_gguf,
    is_embedding_model,
    read_header,
)
from app.models.splits import part_names, split_info
from app.models.transfer import PARTIAL_SUFFIX, human_size, receipt_path
from app.reasons import Reason, say

log = logging.getLogger(__name__)

REGISTRY = "library.json"
IMPORTED = "imported"
_HASH_BLOCK = 8 << 20


class LibraryError(Exception):
    """An import, delete or verify that cannot be done; the text is for the user, made
    from a :class:`~app.reasons.Reason` (the windows say it in the user's language)."""


@dataclass(frozen=True)
class LocalModel:
    """One model on disk, described from its header (never from its weights)."""

    path: Path  # the file to load: the first part of a split model
    parts: tuple[Path, ...]
    size_bytes: int
    name: str
    architecture: str = "unknown"
    quantization: str = "unknown"
    context_length: int | None = None
    parameter_count: int = 0
    referenced: bool = False  # the user's own file, outside the models folder
    source: dict[str, Any] | None = None  # where a download came from (repo, sha256)
    problem: str | None = None  # why it cannot be used, for the user
    embedding: bool = False  # a text-embedding model (document search), not for chat

    @property
    def usable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Verification:
    ok: bool
    message: str


@dataclass
class Library:
    """The models folder plus the files the user asked Cove to use in place."""

    models_dir: Path
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- listing ----------------------------------------------------------------------

    def models(self) -> list[LocalModel]:
        """Every model, sorted by name; broken ones are listed with their problem."""
        found = [self.describe(p) for p in self._own_files()]
        found += [self.describe(p, referenced=True) for p in self._references()]
        return sorted(found, key=lambda m: (m.name.lower(), str(m.path)))

    def embedding_model(self) -> LocalModel | None:
        """The embedding model for document search: the catalog's first choice that
        is on disk, else any usable embedding model; None when there is none."""
        from app.models.catalog import embedding_entries

        preferred = [e.filename for e in embedding_entries()]
        found = [m for m in self.models() if m.embedding and m.usable]
        found.sort(key=lambda m: preferred.index(m.path.name) if m.path.name in preferred
                   else len(preferred))
        return found[0] if found else None

    def _own_files(self) -> list[Path]:
        if not self.models_dir.is_dir():
            return []
        files = []
        for path in sorted(self.models_dir.rglob("*.gguf")):
            if not path.is_file() or path.name.endswith(PARTIAL_SUFFIX):
                continue
            info = split_info(path.name)
            if info is not None and info[1] != 1:
                continue  # listed with its first part
            files.append(path)
        return files

    def describe(self, path: Path, *, referenced: bool = False) -> LocalModel:
        """A model's facts from its header(s); a missing part or bad header is a problem."""
        parts = tuple(path.with_name(n) for n in part_names(path.name))
        size = sum(p.stat().st_size for p in parts if p.is_file())
        source = _read_receipt(path)
        missing = [p.name for p in parts if not p.is_file()]
        base = LocalModel(path, parts, size, path.stem, referenced=referenced, source=source)
        if missing:
            return _with(base, problem=say(Reason.PARTS_MISSING, missing=len(missing),
                                           parts=len(parts), names=", ".join(missing)))
        try:
            headers = [read_header(p) for p in parts]
        except GGUFError as exc:
            return _with(base, problem=str(exc))
        return _from_headers(base, headers)

    # -- import -----------------------------------------------------------------------

    def import_file(self, path: Path, *, copy: bool) -> LocalModel:
        """Add a GGUF the user already has: copied into the models folder or used in place.

        The file (every part of a split model) is checked first, so a file that is not
        a GGUF, or is cut short, is refused with the reason and nothing changes.
        """
        path = Path(path).expanduser().resolve()
        parts = [path.with_name(n) for n in part_names(path.name)]
        for part in parts:
            try:
                check_gguf(part)
            except GGUFError as exc:
                # The check's sentence names the file already (and says what to do).
                raise LibraryError(say(Reason.NOT_ADDED, why=exc)) from exc
        if self._is_inside(path):
            return self.describe(path)
        if not copy:
            self._add_reference(parts[0])
            return self.describe(parts[0], referenced=True)
        return self.describe(self._copy_in(parts))

    def _copy_in(self, parts: list[Path]) -> Path:
        folder = self.models_dir / IMPORTED
        folder.mkdir(parents=True, exist_ok=True)
        targets = [folder / p.name for p in parts]
        if any(t.exists() for t in targets):
            raise LibraryError(say(Reason.ALREADY_THERE, file=parts[0].name))
        needed = sum(p.stat().st_size for p in parts)
        free = shutil.disk_usage(folder).free
        if free < needed:
            raise LibraryError(say(Reason.NO_SPACE_TO_COPY, file=parts[0].name,
                                   needed=human_size(needed), free=human_size(free)))
        for source, target in zip(parts, targets):
            tmp = target.with_name(target.name + PARTIAL_SUFFIX)
            try:
                shutil.copyfile(source, tmp)
                replace_durably(tmp, target)  # a half-copied model is never listed
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise LibraryError(say(Reason.COPY_FAILED, file=source.name,
                                       error=exc.strerror or exc)) from exc
        return targets[0]

    # -- delete -----------------------------------------------------------------------

    def delete(self, model: LocalModel) -> str:
        """Remove a model; for a referenced file only Cove's reference goes, never the file.

        Returns a sentence saying what was done (the UI asks for confirmation first).
        """
        if model.referenced or not self._is_inside(model.path):
            if not self._remove_reference(model.path):
                raise LibraryError(say(Reason.NOT_IN_LIBRARY, file=model.path.name))
            return say(Reason.REMOVED, name=model.name)
        for part in model.parts:
            part.unlink(missing_ok=True)
            receipt_path(part).unlink(missing_ok=True)
        self._prune_empty(model.path.parent)
        return say(Reason.DELETED, name=model.name, size=human_size(model.size_bytes))

    def _prune_empty(self, folder: Path) -> None:
        """Remove the owner/repo folders a deleted download leaves empty."""
        root = self.models_dir.resolve()
        folder = folder.resolve()
        while folder != root and root in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    # -- verify -----------------------------------------------------------------------

    def verify(self, model: LocalModel,
               progress: Callable[[int, int], None] | None = None) -> Verification:
        """Re-check a model: every header and data extent, and the sha256 of downloads.

        The sha256 pass reads the whole file (minutes for 60 GB); ``progress(done,
        total)`` is called as it goes.
        """
        for part in model.parts:
            try:
                check_gguf(part)
            except GGUFError as exc:
                return Verification(False, str(exc))
        source = model.source or {}
        expected = source.get("sha256")
        if not expected:
            return Verification(True, say(Reason.STRUCTURE_OK, name=model.name))
        sums = [_read_receipt(p) or {} for p in model.parts]
        total = model.size_bytes
        done = 0
        for part, receipt in zip(model.parts, sums):
            digest = hashlib.sha256()
            with part.open("rb") as f:
                while block := f.read(_HASH_BLOCK):
                    digest.update(block)
                    done += len(block)
                    if progress is not None:
                        progress(done, total)
            if receipt.get("sha256") != digest.hexdigest():
                return Verification(False, say(Reason.CHECKSUM_BAD, file=part.name))
        return Verification(True, say(Reason.INTACT, name=model.name))

    # -- the references file ------------------------------------------------------------

    def _is_inside(self, path: Path) -> bool:
        return self.models_dir.resolve() in path.resolve().parents

    def _registry(self) -> Path:
        return self.models_dir / REGISTRY

    def _references(self) -> list[Path]:
        try:
            data = json.loads(self._registry().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError):
            log.warning("The library's list of referenced models is unreadable; ignoring it")
            return []
        return [Path(p) for p in data.get("references", []) if isinstance(p, str)]

    def _save_references(self, refs: list[Path]) -> None:
        write_atomically(self._registry(),
                         json.dumps({"references": [str(p) for p in refs]}, indent=1))

    def _add_reference(self, path: Path) -> None:
        with self._lock:
            refs = self._references()
            if path not in refs:
                self._save_references([*refs, path])

    def _remove_reference(self, path: Path) -> bool:
        with self._lock:
            refs = self._references()
            if path not in refs:
                return False
            self._save_references([p for p in refs if p != path])
            return True


def _with(model: LocalModel, **changes: Any) -> LocalModel:
    values = {f: getattr(model, f) for f in model.__dataclass_fields__}
    return LocalModel(**(values | changes))


def _from_headers(base: LocalModel, headers: list[GGUFHeader]) -> LocalModel:
    first = headers[0]
    name = first.metadata.get("general.name")
    problem = None
    needed = sum(h.data_offset + h.data_size for h in headers)
    if any(h.file_size < h.data_offset + h.data_size for h in headers):
        problem = say(Reason.INCOMPLETE, file=base.path.name,
                      have=human_size(base.size_bytes), need=human_size(needed))
    return _with(base, name=str(name) if isinstance(name, str) and name else base.name,
                 architecture=first.architecture, quantization=first.quantization,
                 context_length=first.context_length,
                 parameter_count=sum(h.parameter_count for h in headers), problem=problem,
                 embedding=is_embedding_model(first.metadata, first.architecture))


def _read_receipt(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(receipt_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
