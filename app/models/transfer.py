"""One file of a model fetched into place: resumed, retried, verified, never half-done.

A 12 GB part has to survive sleep, Wi-Fi loss and a full disk, so:

- Bytes are fetched with HTTP Range requests from ``{endpoint}/{repo}/resolve/{commit}/
  {file}``, appended to the partial file and hashed as they arrive (every byte that
  arrived is on disk, whenever the connection drops). A dropped connection is retried
  with backoff from the partial file's size, not from zero.
- A full disk during the transfer stops it cleanly and keeps the partial file.
- Only a file whose size and sha256 match is renamed into place; a mismatch deletes the
  bad data and says so.

:class:`PartTransfer` knows nothing of queues or jobs: :class:`app.models.downloads.
DownloadManager` decides what to fetch (and whether there is room) and hands it one
:class:`PartSpec` at a time, with callbacks for progress and a stop switch.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

import httpx2

from app import __version__
from app.config.files import replace_durably, write_atomically
from app.models import hub  # the Hub library, with its telemetry and detection off
from app.reasons import Reason, say

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".incomplete"
SIDECAR_SUFFIX = ".incomplete.json"
RECEIPT_SUFFIX = ".source.json"
CHUNK_SIZE = 256 << 10  # blocks read when re-hashing an earlier run's partial file
PROGRESS_INTERVAL = 0.1  # seconds between progress callbacks
# No overall limit on a 12 GB transfer, but a stalled connection (sleep, Wi-Fi gone) is
# noticed within a minute and retried.
TRANSFER_TIMEOUT = httpx2.Timeout(connect=20.0, read=60.0, write=60.0, pool=20.0)


class DownloadError(Exception):
    """A download that cannot go on; the text is for the user, made from a
    :class:`~app.reasons.Reason` (so that the windows can say it in the user's language
    and the command line in English).

    ``resumable`` says whether the partial file was kept, so that "Resume" continues
    where it stopped (a full disk, a lost connection) rather than starting again.
    """

    def __init__(self, message: str, *, resumable: bool = False) -> None:
        super().__init__(message)
        self.resumable = resumable



@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try after a dropped connection before giving up (resumably).

    The count of attempts starts again whenever an attempt brought bytes, so a flaky
    connection that keeps making progress never gives up; one that is gone gives up
    after about two minutes with the default settings.
    """

    attempts: int = 7
    first_delay: float = 1.0
    max_delay: float = 30.0
    max_total: int = 10_000  # hard bound on retries of one part, progress or not

    def delay(self, attempt: int) -> float:
        return float(min(self.max_delay, self.first_delay * 2 ** max(0, attempt - 1)))


@dataclass(frozen=True)
class PartSpec:
    """One file to fetch, pinned to a commit: the sidecar's content."""

    repo_id: str
    model_file: str  # the name the user asked for (first part of a split model)
    filename: str  # this part's path in the repository
    revision: str  # what the user asked for ("main")
    commit: str  # what it resolved to, so every retry fetches the same bytes
    size: int
    sha256: str
    endpoint: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> PartSpec:
        data = json.loads(text)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})



def partial_path(dest: Path) -> Path:
    return dest.with_name(dest.name + PARTIAL_SUFFIX)


def sidecar_path(dest: Path) -> Path:
    return dest.with_name(dest.name + SIDECAR_SUFFIX)


def receipt_path(dest: Path) -> Path:
    return dest.with_name(dest.name + RECEIPT_SUFFIX)


def human_size(n: float) -> str:
    """Sizes as people read them: 12.1 GB, 640 MB (decimal units, like the OS)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(n) >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} bytes"


def open_partial(path: Path) -> BinaryIO:
    """The partial file, opened for appending (the manager's default opener)."""
    # Unbuffered: what write() reports as written is on its way to the disk, so a full
    # disk leaves a partial file whose size is exactly the bytes that arrived.
    return path.open("ab", buffering=0)


class _SpeedMeter:
    """Bytes per second, smoothed over a few seconds so the ETA does not jump about."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._mark_time = clock()
        self._mark_bytes = 0
        self.speed = 0.0

    def reset(self, done: int) -> None:
        self._mark_time, self._mark_bytes = self._clock(), done

    def update(self, done: int) -> float:
        now = self._clock()
        elapsed = now - self._mark_time
        if elapsed >= 0.5:
            rate = (done - self._mark_bytes) / elapsed
            self.speed = rate if self.speed == 0 else 0.7 * self.speed + 0.3 * rate
            self._mark_time, self._mark_bytes = now, done
        return self.speed


class Stopped(Exception):
    """Pause or cancel was asked for; unwinds the download loop."""


class _Retry(Exception):
    """The connection failed in a way worth trying again (after a pause)."""


class _Partial:
    """The ``.incomplete`` file being appended to, and the sha256 of what it holds."""

    def __init__(self, path: Path, opener: Callable[[Path], BinaryIO]) -> None:
        self.path = path
        self._opener = opener
        self.digest = hashlib.sha256()
        self.size = 0
        self._file: BinaryIO | None = None

    def open(self) -> None:
        self._file = self._opener(self.path)

    def rehash(self, stop: threading.Event) -> Iterator[int]:
        """Hash what an earlier run left (yields bytes read, for progress)."""
        self.digest, self.size = hashlib.sha256(), 0
        if not self.path.exists():
            return
        with self.path.open("rb") as f:
            while block := f.read(8 * CHUNK_SIZE):
                if stop.is_set():
                    raise Stopped
                self.digest.update(block)
                self.size += len(block)
                yield self.size

    def append(self, data: bytes) -> None:
        assert self._file is not None
        view = memoryview(data)
        while view:
            written = self._file.write(view)
            if not written:
                raise OSError(errno.EIO, "write returned no progress")
            self.digest.update(view[:written])
            self.size += written
            view = view[written:]

    def restart(self) -> None:
        """Start from zero (the server ignored our Range request)."""
        assert self._file is not None
        self._file.truncate(0)
        self._file.seek(0)
        self.digest, self.size = hashlib.sha256(), 0

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class PartTransfer:
    """Fetches one part to ``dest``: rehash what an earlier run left, transfer the rest
    (retrying), verify, rename into place with a receipt beside it.

    ``set_progress(**changes)`` updates the job's :class:`~app.models.downloads.Progress`
    (``done`` counts from ``before``, the bytes of earlier parts; ``total`` is the whole
    model's); ``notify()`` tells the listeners. ``stop`` set: :class:`Stopped` is raised.
    ``name`` is the model's file name in messages; ``margin`` the space a full disk asks
    to free besides the rest of the file.
    """

    def __init__(self, spec: PartSpec, dest: Path, *, name: str, stop: threading.Event,
                 set_progress: Callable[..., None], notify: Callable[[], None],
                 before: int, total: int, token: str | None, endpoint: str | None,
                 opener: Callable[[Path], BinaryIO], clock: Callable[[], float],
                 retry: RetryPolicy, margin: int) -> None:
        self.spec, self.dest, self.name, self.stop = spec, dest, name, stop
        self._set_progress, self._notify = set_progress, notify
        self.before, self.total, self.token, self.endpoint = before, total, token, endpoint
        self._clock, self._retry, self._margin = clock, retry, margin
        self.partial = _Partial(partial_path(dest), opener)
        self._meter: _SpeedMeter | None = None

    def run(self) -> None:
        dest, partial = self.dest, self.partial
        if dest.exists() and not partial_path(dest).exists():
            sidecar_path(dest).unlink(missing_ok=True)
            return  # finished (and verified: only verified files are renamed) earlier
        self._rehash()
        url = hub.hf_hub_url(self.spec.repo_id, self.spec.filename, revision=self.spec.commit,
                         endpoint=self.endpoint)
        self._meter = _SpeedMeter(self._clock)
        self._meter.reset(partial.size)
        partial.open()
        try:
            self._transfer(url)
        finally:
            partial.close()
        self._verify_and_place()

    def _rehash(self) -> None:
        """Re-read an earlier run's bytes so the final sha256 covers the whole file."""
        partial = self.partial
        self._set_progress(phase="checking")
        last = self._clock()
        for size in partial.rehash(self.stop):
            if self._clock() - last >= PROGRESS_INTERVAL:
                last = self._clock()
                self._set_progress(done=self.before + size)
                self._notify()
        if partial.size:
            log.info("Resuming %s from %d bytes", partial.path.name, partial.size)

    def _transfer(self, url: str) -> None:
        spec, partial = self.spec, self.partial
        attempt = total_tries = 0
        while partial.size < spec.size:
            start = partial.size
            try:
                self._stream(url)
                if partial.size < spec.size:
                    raise _Retry("the server closed the connection early")
            except (_Retry, httpx2.TransportError) as exc:
                attempt = 1 if partial.size > start else attempt + 1
                total_tries += 1
                if attempt > self._retry.attempts or total_tries > self._retry.max_total:
                    raise DownloadError(say(
                        Reason.CONNECTION_LOST, file=self.name, error=exc,
                        have=human_size(self.before + partial.size)), resumable=True) from exc
                delay = self._retry.delay(attempt)
                log.info("Download of %s interrupted (%s); retrying in %.1f s",
                         spec.filename, exc, delay)
                self._set_progress(phase="connecting", speed=0.0, eta=None)
                self._notify()
                if self.stop.wait(delay):
                    raise Stopped from exc

    def _stream(self, url: str) -> None:
        spec, partial = self.spec, self.partial
        headers = hub.build_hf_headers(token=self.token or False, library_name="cove",
                                   library_version=__version__)
        headers["Accept-Encoding"] = "identity"
        if partial.size:
            headers["Range"] = f"bytes={partial.size}-"
        if self.stop.is_set():
            raise Stopped
        try:
            with hub.get_session().stream("GET", url, headers=headers,
                                      timeout=TRANSFER_TIMEOUT) as response:
                self._accept(response)
                self._set_progress(phase="downloading")
                last = 0.0
                # Each piece as the network hands it over, never gathered into bigger
                # chunks first: a connection that drops mid-chunk would take the
                # gathered bytes with it, and the resume would fetch them again.
                for chunk in response.iter_bytes():
                    self._write(chunk)
                    if self.stop.is_set():
                        raise Stopped
                    if self._clock() - last >= PROGRESS_INTERVAL:
                        last = self._clock()
                        self._report()
                    if partial.size >= spec.size:
                        break
        except (hub.HfHubHTTPError, hub.OfflineModeIsEnabled) as exc:
            raise hub_failure(exc, spec.repo_id, spec.model_file, spec.revision,
                              self.endpoint) from exc
        self._report()

    def _accept(self, response: httpx2.Response) -> None:
        """Check the answer to a (Range) request before a byte of it is written."""
        partial = self.partial
        status = response.status_code
        if status == 416:  # asked past the end: the partial file is suspect, start over
            partial.restart()
            raise _Retry("the server refused the resume position")
        if status >= 400:
            response.read()
            if status >= 500 or status == 429:
                raise _Retry(f"the server answered {status}")
            hub.hf_raise_for_status(response)
        if status == 206:
            match = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", ""))
            if match is None or int(match.group(1)) != partial.size:
                partial.restart()
                raise _Retry("the server sent a different part of the file")
        elif partial.size:
            log.info("The server ignored the Range request; starting %s again", self.name)
            partial.restart()

    def _write(self, chunk: bytes) -> None:
        spec, partial = self.spec, self.partial
        if len(chunk) > spec.size - partial.size:  # never more than the file's size
            chunk = chunk[: spec.size - partial.size]
        try:
            partial.append(chunk)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                raise DownloadError(say(
                    Reason.DISK_FULL, file=self.name, have=human_size(partial.size),
                    size=human_size(spec.size),
                    short=human_size(spec.size - partial.size + self._margin)),
                    resumable=True) from exc
            raise DownloadError(say(Reason.CANNOT_WRITE, path=partial.path,
                                    error=exc.strerror or exc), resumable=True) from exc

    def _report(self) -> None:
        done = self.before + self.partial.size
        assert self._meter is not None
        speed = self._meter.update(self.partial.size)
        left = self.total - done
        self._set_progress(done=done, speed=speed, eta=left / speed if speed > 0 else None)
        self._notify()

    def _verify_and_place(self) -> None:
        spec, partial, dest = self.spec, self.partial, self.dest
        self._set_progress(phase="verifying")
        self._notify()
        digest = partial.digest.hexdigest()
        if partial.size != spec.size or digest != spec.sha256:
            partial.path.unlink(missing_ok=True)
            sidecar_path(dest).unlink(missing_ok=True)
            reason = Reason.WRONG_SIZE if partial.size != spec.size else Reason.WRONG_CHECKSUM
            raise DownloadError(say(reason, file=spec.filename, repo=spec.repo_id))
        replace_durably(partial.path, dest)
        write_atomically(receipt_path(dest), json.dumps({
            "repo_id": spec.repo_id, "filename": spec.filename, "revision": spec.revision,
            "commit": spec.commit, "size": spec.size, "sha256": spec.sha256,
            "downloaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }, indent=1))
        sidecar_path(dest).unlink(missing_ok=True)
        log.info("Downloaded and verified %s", dest)



def hub_failure(exc: Exception, repo_id: str, filename: str, revision: str,
                endpoint: str | None) -> DownloadError:
    """The Hub's refusal or a lost connection in words for the user (other errors are
    raised again: they are bugs, not conditions a user can meet)."""
    where = endpoint or "huggingface.co"
    if isinstance(exc, hub.GatedRepoError):
        return DownloadError(say(Reason.GATED, repo=repo_id, server=where))
    if isinstance(exc, hub.RepositoryNotFoundError):
        return DownloadError(say(Reason.REPO_NOT_FOUND, repo=repo_id, server=where))
    if isinstance(exc, hub.RevisionNotFoundError):
        return DownloadError(say(Reason.NO_REVISION, repo=repo_id,
                                 revision=revision))
    if isinstance(exc, hub.RemoteEntryNotFoundError):
        return DownloadError(say(Reason.NO_SUCH_FILE, repo=repo_id, file=filename))
    if isinstance(exc, hub.OfflineModeIsEnabled):
        return DownloadError(say(Reason.OFFLINE))
    if isinstance(exc, hub.HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else "an error"
        return DownloadError(say(Reason.SERVER_ERROR, server=where, status=status,
                                 repo=repo_id), resumable=True)
    if isinstance(exc, httpx2.TransportError):
        return DownloadError(say(Reason.UNREACHABLE, server=where,
                                 error=type(exc).__name__), resumable=True)
    raise exc
