"""Files that hold conversation text outside the two databases, encrypted ("sealed")
with a key that comes from the history's own secret.

The history and the documents are SQLCipher files (``app.config.sqlcipher``). What
else Cove keeps that can hold what someone wrote (the python tool's working files
between runs, and anything a later feature saves beside them) is sealed here, with a
:class:`FileKey` that ``app.config.at_rest.file_key`` derives from the history's key:
the keyring's random key, or the user's passphrase. Forget everything deletes that
key, and with it every sealed file's.

Why ``cryptography`` (pyca): the maintained, audited Python binding of OpenSSL's
ciphers, with wheels for every platform Cove ships on, and already installed with
``keyring`` on Linux (SecretStorage uses it); the standard library has no cipher, and
SQLCipher's is only reachable as a database. It is imported when a file is sealed or
opened, not at start.

The format: ``MAGIC``, a random 16-byte salt, then the data in chunks of 64 KiB, each
encrypted with AES-256-GCM (16-byte tag). Each file has its own key, HKDF-SHA256 of
the :class:`FileKey` and the salt, so the nonce can be the chunk's number; the last
chunk's nonce is marked, so a file cut short (a crash, a full disk) is detected, never
read as a shorter one. The header is authenticated with every chunk. A wrong key, a
changed byte or a missing end raises :class:`SealError`.

Writing is atomic (:class:`SealedWriter`: a temporary file in the same folder,
fsync'ed, renamed over the old one), reading streams (:func:`open_sealed`), so a file
of gigabytes never needs to fit in memory. For small things: :func:`seal` and
:func:`unseal` (bytes to bytes), :func:`write_sealed` and :func:`read_sealed`.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from app.config.files import AtomicFile

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["CHUNK", "MAGIC", "FileKey", "SealError", "SealedWriter", "is_sealed",
           "open_sealed", "read_sealed", "seal", "unseal", "write_sealed"]

MAGIC = b"CoveSL01"
SALT_BYTES = 16
CHUNK = 1 << 16  # plaintext bytes per chunk
TAG_BYTES = 16
_HEADER = len(MAGIC) + SALT_BYTES


@dataclass(frozen=True)
class FileKey:
    """32 secret bytes for sealing files of one kind (``purpose``). Its repr never shows
    them. It can be sent to a child process as ``raw`` (over Cove's authenticated
    pipe, never a command line or a file) and rebuilt there: ``FileKey(raw)``."""

    raw: bytes = field(repr=False)
    purpose: str = ""

    def __post_init__(self) -> None:
        if len(self.raw) != 32:
            raise ValueError("a file key has 32 bytes")

    def _cipher(self, salt: bytes) -> AESGCM:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                       info=b"cove sealed file v1").derive(self.raw)
        return AESGCM(derived)


class SealError(Exception):
    """The file is not one sealed with this key: another key, damaged, or cut short."""


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class SealedWriter(io.RawIOBase):
    """A file object that seals what is written to ``path``. The file appears only when
    the writer is closed without an error (:meth:`close`); until then (and on any
    error, the with-block's included) the old file, if any, is untouched and the
    temporary file is removed."""

    def __init__(self, path: Path, key: FileKey) -> None:
        super().__init__()
        self.path = Path(path)
        self._new = AtomicFile(self.path)
        self._out = self._new.file
        salt = secrets.token_bytes(SALT_BYTES)
        self._header = MAGIC + salt
        self._cipher = key._cipher(salt)
        self._pending = bytearray()
        self._index = 0
        self._failed = False
        try:
            self._out.write(self._header)
        except BaseException:
            self._abandon()
            raise

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        try:
            self._pending += view
            while len(self._pending) > CHUNK:  # keep one chunk back: it may be the last
                self._emit(bytes(self._pending[:CHUNK]), last=False)
                del self._pending[:CHUNK]
        except BaseException:
            self._abandon()
            raise
        return len(view)

    def _emit(self, chunk: bytes, last: bool) -> None:
        self._out.write(self._cipher.encrypt(_nonce(self._index, last), chunk,
                                             self._header))
        self._index += 1

    def close(self) -> None:
        """Seal the last chunk, flush to disk, rename over ``path``."""
        if self.closed:
            return
        try:
            if not self._failed:
                self._emit(bytes(self._pending), last=True)
                self._new.commit()
        except BaseException:
            self._abandon()
            raise
        finally:
            super().close()

    def _abandon(self) -> None:
        self._failed = True
        self._new.discard()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is not None:
            self._abandon()
        self.close()


class _SealedReader(io.RawIOBase):
    """Reads a sealed file chunk by chunk; :class:`SealError` on any mismatch."""

    def __init__(self, source: IO[bytes], key: FileKey) -> None:
        super().__init__()
        self._in = source
        header = source.read(_HEADER)
        if len(header) != _HEADER or not header.startswith(MAGIC):
            source.close()
            raise SealError("not a sealed file")
        self._header = header
        self._cipher = key._cipher(header[len(MAGIC):])
        self._index = 0
        self._buffer = b""
        self._next = source.read(CHUNK + TAG_BYTES)
        self._done = False

    def readable(self) -> bool:
        return True

    def _advance(self) -> None:
        from cryptography.exceptions import InvalidTag

        current = self._next
        self._next = self._in.read(CHUNK + TAG_BYTES)
        last = not self._next
        try:
            self._buffer = self._cipher.decrypt(_nonce(self._index, last), current,
                                                self._header)
        except InvalidTag as exc:
            raise SealError("the file was sealed with another key, or it is damaged "
                            "or incomplete") from exc
        self._index += 1
        self._done = last

    def readinto(self, target: Any) -> int:
        view = memoryview(target).cast("B")
        while not self._buffer and not self._done:
            self._advance()
        n = min(len(view), len(self._buffer))
        view[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n

    def close(self) -> None:
        if not self.closed:
            self._in.close()
        super().close()


def open_sealed(path: Path, key: FileKey) -> IO[bytes]:
    """A buffered binary file object reading what ``path`` holds, unsealed as it goes.
    Raises OSError (no file) or :class:`SealError`; a read may raise SealError too
    (a damaged chunk further on), and the end is checked before EOF is returned."""
    return io.BufferedReader(_SealedReader(Path(path).open("rb"), key), CHUNK)


def write_sealed(path: Path, data: bytes, key: FileKey) -> None:
    """Replace ``path`` with ``data``, sealed (see :class:`SealedWriter`)."""
    with SealedWriter(path, key) as out:
        out.write(data)


def read_sealed(path: Path, key: FileKey) -> bytes:
    with open_sealed(path, key) as source:
        return source.read()


def seal(data: bytes, key: FileKey) -> bytes:
    """``data`` sealed, in the file format, as bytes (for a blob kept elsewhere)."""
    salt = secrets.token_bytes(SALT_BYTES)
    header = MAGIC + salt
    cipher = key._cipher(salt)
    parts = [header]
    starts = range(0, max(len(data), 1), CHUNK)
    for i, start in enumerate(starts):
        last = i == len(starts) - 1
        parts.append(cipher.encrypt(_nonce(i, last), data[start:start + CHUNK], header))
    return b"".join(parts)


def unseal(blob: bytes, key: FileKey) -> bytes:
    with _SealedReader(io.BytesIO(blob), key) as source:
        return b"".join(iter(lambda: source.read(CHUNK), b""))


def is_sealed(path: Path) -> bool:
    """Whether ``path`` starts as a sealed file does (no key needed)."""
    try:
        with Path(path).open("rb") as file:
            return file.read(len(MAGIC)) == MAGIC
    except OSError:
        return False
