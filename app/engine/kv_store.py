"""Saved prompt states: the model's KV cache of a long prompt prefix, on disk.

Evaluating a 6,000-token document takes minutes on a laptop CPU; restoring its KV
state takes about a second. The worker saves the state of a conversation's long prefix
(the instructions, the documents, the turns so far) here after evaluating it, and
restores it when a prompt starts with the same tokens: after Cove restarts, after the
worker was restarted, after another conversation used the model in between.

One state per file, ``<model>-<tokens>-<hash>.kvs`` in the cache folder's ``kv``:

* ``model`` names the model file and the context it was evaluated in (path, size,
  modification time, context size, KV cache type: :func:`model_identity`); a state of
  another model or another context is never tried.
* ``tokens`` is how many tokens the state holds; ``hash`` is the hash of those tokens,
  so finding the longest saved prefix of a prompt is one hash per candidate file. The
  tokens themselves are stored inside, and compared before a state is used.
* The file holds conversation text (a KV cache can be read back into words), so it is
  sealed (:mod:`app.config.sealed`: AES-256-GCM) with a key derived from the
  history's (``app.config.at_rest.file_key(PURPOSE)``), or plain when the history is
  plain (:func:`write_state`, :func:`read_state`).
* A file that cannot be read, does not match its name or was made for something else
  is ignored and removed (plain files, once the history is encrypted, as soon as the
  worker is told the key: :meth:`KvStore.drop_unsealed`); the worker then evaluates
  the prompt as if nothing was saved.
* The folder is kept under a size cap: after each save the least recently used files
  go (a state used is touched, so its modification time is its last use).

No llama.cpp here: the worker copies the state out of and into its context
(:mod:`app.engine.prefix`); this module only stores bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.config.files import AtomicFile
from app.config.sealed import FileKey, SealedWriter, is_sealed, open_sealed

log = logging.getLogger(__name__)

SUFFIX = ".kvs"
PURPOSE = "kv-states"  # the sealing key's purpose (app.config.at_rest.file_key)
MAGIC = b"CoveKV01"
DEFAULT_CAP = 4 << 30  # bytes of saved states kept (least recently used go first)
MIN_TOKENS = 256  # shorter prefixes are evaluated again in moments: not worth a file
_NAME = re.compile(r"^([0-9a-f]{16})-(\d{1,9})-([0-9a-f]{16})\.kvs$")


def model_identity(path: str | Path, *context: object) -> str:
    """The model file (path, size, modification time) and the context it was loaded
    with (``context``: its size, cache type …), as 16 hex digits."""
    p = Path(path)
    try:
        st = p.stat()
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = "?"
    text = "|".join([str(p.resolve()), stamp, *(str(c) for c in context)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def tokens_hash(tokens: Sequence[int]) -> str:
    return hashlib.sha256(array("i", tokens).tobytes()).hexdigest()[:16]


@dataclass(frozen=True)
class Saved:
    """A saved state on disk (not read yet)."""

    path: Path
    model: str
    n_tokens: int
    digest: str


def write_state(path: Path, tokens: Sequence[int], data: bytes, key: FileKey | None
                ) -> None:
    """Replace ``path`` with ``tokens`` and the state ``data``, sealed with ``key``
    (None: plain, as the history is). The one place that decides how a state is
    protected on disk; the file appears whole or not at all."""
    header = MAGIC + len(tokens).to_bytes(4, "little") + array("i", tokens).tobytes()
    if key is not None:
        with SealedWriter(path, key) as out:
            out.write(header)
            out.write(data)
        return
    plain = AtomicFile(path)
    try:
        plain.file.write(header)
        plain.file.write(data)
        plain.commit()
    except BaseException:
        plain.discard()
        raise


def read_state(path: Path, key: FileKey | None) -> tuple[list[int], bytes]:
    """The tokens and state :func:`write_state` wrote. Raises (a damaged file, another
    key, not a state)."""
    with (open_sealed(path, key) if key is not None else path.open("rb")) as source:
        blob = source.read()
    if blob[:len(MAGIC)] != MAGIC:
        raise ValueError("not a saved state")
    n = int.from_bytes(blob[len(MAGIC):len(MAGIC) + 4], "little")
    start = len(MAGIC) + 4
    tokens = array("i")
    tokens.frombytes(blob[start:start + 4 * n])
    if len(tokens) != n:
        raise ValueError("state file cut short")
    return tokens.tolist(), blob[start + 4 * n:]


class KvStore:
    """The saved states in ``folder``, sealed with ``key``, at most ``cap`` bytes."""

    def __init__(self, folder: Path, key: FileKey | None, cap: int = DEFAULT_CAP) -> None:
        self.folder = Path(folder)
        self.key = key
        self.cap = cap

    def drop_unsealed(self) -> int:
        """With a key (the history is encrypted): remove the plain states a plain
        history left (their token ids read straight back into the conversation's
        words), which would otherwise stay until evicted. Returns how many went."""
        if self.key is None:
            return 0
        gone = 0
        try:
            names = os.listdir(self.folder)
        except OSError:
            return 0
        for name in names:
            path = self.folder / name
            if name.endswith(SUFFIX) and not is_sealed(path):
                with contextlib.suppress(OSError):
                    path.unlink()
                    gone += 1
        return gone

    def saved(self, model: str) -> list[Saved]:
        """The states of ``model`` on disk."""
        out: list[Saved] = []
        try:
            names = os.listdir(self.folder)
        except OSError:
            return out
        for name in names:
            match = _NAME.match(name)
            if match and match[1] == model:
                out.append(Saved(self.folder / name, model, int(match[2]), match[3]))
        return out

    def find(self, model: str, tokens: Sequence[int], longer_than: int = 0) -> Saved | None:
        """The longest saved prefix of ``tokens`` (more than ``longer_than`` tokens)."""
        best: Saved | None = None
        for saved in self.saved(model):
            if saved.n_tokens <= max(longer_than, 0) or saved.n_tokens > len(tokens):
                continue
            if best is not None and saved.n_tokens <= best.n_tokens:
                continue
            if tokens_hash(tokens[:saved.n_tokens]) == saved.digest:
                best = saved
        return best

    def load(self, saved: Saved, tokens: Sequence[int]) -> bytes | None:
        """The state of ``saved`` if it is sound and really holds ``tokens``' prefix;
        None otherwise (the file is removed: it would fail again)."""
        try:
            stored, data = read_state(saved.path, self.key)
        except Exception as exc:  # damaged, another key, not a state: never used
            log.warning("saved state %s is unreadable (%s): removed", saved.path.name, exc)
            self.discard(saved)
            return None
        if stored != list(tokens[:saved.n_tokens]) or not data:
            log.warning("saved state %s does not hold its tokens: removed", saved.path.name)
            self.discard(saved)
            return None
        with contextlib.suppress(OSError):
            os.utime(saved.path)  # used now: the last to be evicted
        return data

    def discard(self, saved: Saved) -> None:
        with contextlib.suppress(OSError):
            saved.path.unlink()

    def save(self, model: str, tokens: Sequence[int], data: bytes) -> Path | None:
        """Keep ``data``, the state after ``tokens``; then evict beyond the cap. Returns
        the file, None when it was not kept (too large for the cap, a disk error)."""
        if len(data) > self.cap or len(tokens) < 1:
            return None
        name = f"{model}-{len(tokens)}-{tokens_hash(tokens)}{SUFFIX}"
        target = self.folder / name
        try:
            write_state(target, tokens, data, self.key)
        except OSError as exc:
            log.warning("could not save a prompt state: %s", exc)
            return None
        self.evict(keep=target)
        return target

    def evict(self, keep: Path | None = None) -> None:
        """Remove the least recently used states until the folder is within the cap
        (``keep``, the one just written, goes last)."""
        files: list[tuple[float, int, Path]] = []
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if not entry.name.endswith(SUFFIX):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue
            files.append((st.st_mtime, st.st_size, Path(entry.path)))
        total = sum(size for _, size, _ in files)
        files.sort(key=lambda f: (f[2] == keep, f[0]))
        for _, size, path in files:
            if total <= self.cap:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
