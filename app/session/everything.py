"""Settings › Export everything: what Cove holds of someone, in a folder they chose.

Forget everything erases the history, the documents Cove read and the python tool's
files; this is the copy to take first. A new folder (never an existing one, so nothing
of the user's is overwritten) holding:

* ``conversations.json``: every conversation with the model's reasoning, in Cove's
  JSON (Cove imports it: the sidebar's Import, or a fresh history after Forget
  everything);
* ``documents/``: the text Cove read of each document, one ``.txt`` per document
  (what the model was given, not the original file, which may have moved or been a
  pasted text that exists nowhere else now);
* ``python/<conversation>/``: the files the python tool wrote (unsealed).

The export is not encrypted: the folder is where the user keeps it. A failure midway
removes the half-written folder and raises (OSError, or the history's
ChatStoreError), so a folder that exists is a complete export.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from app.chats.store import ChatStore
from app.config import at_rest, paths
from app.config.files import safe_name
from app.documents.index import DocumentIndex
from app.tools import python_folder


@dataclass(frozen=True)
class Exported:
    """What went into the folder."""

    folder: Path
    conversations: int
    documents: int
    python_folders: int


def export_everything(target: Path, store: ChatStore, documents: DocumentIndex | None,
                      python_root: Path | None = None) -> Exported:
    """Write everything into ``target`` (a new folder; FileExistsError if it exists).
    ``python_root``: where the python tool keeps its files (the data folder's
    ``python``), sealed with the key this process opened the history with."""
    root = python_root if python_root is not None else paths.data_dir() / "python"
    key = at_rest.file_key(python_folder.PURPOSE)
    target.mkdir(parents=True)
    try:
        history = store.export_all(reasoning=True)
        (target / "conversations.json").write_text(
            json.dumps(history, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        count = _documents(documents, target / "documents") if documents is not None else 0
        folders = python_folder.export_all(root, key, target / "python")
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return Exported(target, len(store.conversations()), count, folders)


def _documents(index: DocumentIndex, folder: Path) -> int:
    rows = index.query("SELECT id, name FROM documents ORDER BY id")
    if not rows:
        return 0
    folder.mkdir()
    used: set[str] = set()
    for row in rows:
        text = "\n\n".join(unit.text for unit, _ in index.unit_texts(row["id"]))
        (folder / _unique(row["name"], used)).write_text(text, encoding="utf-8")
    return len(rows)


def _unique(name: str, used: set[str]) -> str:
    """``name`` as a safe ``.txt`` file name, numbered when taken."""
    stem = safe_name(Path(name).stem, "document")
    candidate, n = f"{stem}.txt", 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem} ({n}).txt"
    used.add(candidate.lower())
    return candidate
