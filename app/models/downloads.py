"""Model downloads from the Hugging Face Hub (or a mirror) that always finish.

A 12 GB download has to survive sleep, Wi-Fi loss, a full disk and a restart, so:

- The file's size and sha256 come from the Hub's API (``HfApi.model_info`` with file
  metadata) and are pinned, with the commit, in a small JSON sidecar next to the
  partial file (``name.gguf.incomplete`` + ``name.gguf.incomplete.json``). A restart
  resumes from the sidecar without asking the Hub again.
- Bytes are fetched with HTTP Range requests from ``{endpoint}/{repo}/resolve/{commit}/
  {file}``, appended to the partial file and hashed as they arrive (every byte that
  arrived is on disk, whenever the connection drops). A dropped connection is retried
  with backoff from the partial file's size, not from zero.
- Free space is checked before the first byte (remaining size plus a margin); a full
  disk during the download stops it cleanly and keeps the partial file.
- Only a file whose size and sha256 match is renamed into place; a mismatch deletes the
  bad data and says so.
- Split GGUFs (``-00001-of-00003.gguf``) are one job: all parts, one progress bar.

Nothing here touches the network until a download is started. Jobs run one at a time on
a single background thread (parallel downloads do not finish a queue sooner); callbacks
arrive on that thread, and the UI adapter turns them into Qt signals.
"""

from __future__ import annotations

import enum
import errno
import hashlib
import json
import logging
import queue
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import httpx2

from app import __version__
from app.config.files import replace_durably, write_atomically
from app.models.credentials import hf_token
from app.models.hub import (  # the Hub library, with its telemetry and detection off
    GatedRepoError,
    HfApi,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    build_hf_headers,
    get_session,
    hf_hub_url,
    hf_raise_for_status,
)
from app.models.splits import part_names
from app.reasons import Reason, say

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".incomplete"
SIDECAR_SUFFIX = ".incomplete.json"
RECEIPT_SUFFIX = ".source.json"
DEFAULT_MARGIN = 512 * 1024 * 1024  # space left over after a download, for the OS and us
CHUNK_SIZE = 256 << 10  # blocks read when re-hashing an earlier run's partial file
PROGRESS_INTERVAL = 0.1  # seconds between progress callbacks
METADATA_TIMEOUT = 30.0
# No overall limit on a 12 GB transfer, but a stalled connection (sleep, Wi-Fi gone) is
# noticed within a minute and retried.
TRANSFER_TIMEOUT = httpx2.Timeout(connect=20.0, read=60.0, write=60.0, pool=20.0)
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


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


class DownloadState(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"




@dataclass(frozen=True)
class Progress:
    """What a progress bar shows: bytes of the whole model (all parts), speed, time left."""

    done: int = 0
    total: int = 0
    speed: float = 0.0  # bytes per second, smoothed
    eta: float | None = None  # seconds left; None while unknown
    phase: str = "waiting"  # waiting, connecting, checking, downloading, verifying, done
    part: int = 1
    parts: int = 1

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


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


@dataclass
class DownloadJob:
    """One model being downloaded (all parts of a split model together)."""

    id: int
    repo_id: str
    filename: str
    revision: str = "main"
    state: DownloadState = DownloadState.QUEUED
    progress: Progress = field(default_factory=Progress)
    error: str | None = None
    resumable: bool = False
    paths: list[Path] = field(default_factory=list)  # final files, first part first
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _stop_reason: DownloadState | None = field(default=None, repr=False)
    _settled: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def name(self) -> str:
        return self.filename.rsplit("/", 1)[-1]

    @property
    def model_path(self) -> Path | None:
        """The file to load (the first part), once known."""
        return self.paths[0] if self.paths else None

    def wait(self, timeout: float | None = None) -> DownloadState:
        """Block until the job is paused, done, failed or cancelled (or timeout)."""
        self._settled.wait(timeout)
        return self.state


def validate_request(repo_id: str, filename: str) -> None:
    """Refuse names that would write outside the models folder."""
    if not _REPO_ID.match(repo_id) or ".." in repo_id.split("/"):
        raise DownloadError(say(Reason.BAD_REPO_NAME, repo=repo_id))
    parts = filename.split("/")
    if not filename or filename.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise DownloadError(say(Reason.BAD_FILE_NAME, file=filename))


def model_dir(models_dir: Path, repo_id: str) -> Path:
    """Where a repository's files go: ``models/<owner>/<repo>/``, like the Hub's names."""
    return models_dir.joinpath(*repo_id.split("/"))


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


def _open_partial(path: Path) -> BinaryIO:
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


class _Stopped(Exception):
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
                    raise _Stopped
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


class DownloadManager:
    """A queue of model downloads into ``models_dir``, run one at a time in the background.

    ``on_update(job)`` is called from the download thread whenever a job's state or
    progress changes (progress at most every 0.1 s). ``token`` is read lazily when a
    download starts (default: the OS keyring); ``endpoint`` points at a mirror.
    """

    def __init__(
        self,
        models_dir: Path,
        *,
        endpoint: str | None = None,
        token: Callable[[], str | None] = hf_token,
        on_update: Callable[[DownloadJob], None] | None = None,
        margin: int = DEFAULT_MARGIN,
        retry: RetryPolicy | None = None,
        free_space: Callable[[Path], int] | None = None,
        opener: Callable[[Path], BinaryIO] = _open_partial,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.models_dir = Path(models_dir)
        self.endpoint = endpoint.rstrip("/") if endpoint else None
        self._token = token
        self._on_update = on_update
        self._margin = margin
        self._retry = retry or RetryPolicy()
        self._free_space = free_space or (lambda p: shutil.disk_usage(p).free)
        self._opener = opener
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: list[DownloadJob] = []
        self._queue: queue.Queue[DownloadJob | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._closed = False

    # -- public API (any thread) -------------------------------------------------------

    def enqueue(self, repo_id: str, filename: str, revision: str = "main") -> DownloadJob:
        """Queue a download; a split model's other parts come along automatically."""
        validate_request(repo_id, filename)
        with self._lock:
            if self._closed:
                raise DownloadError(say(Reason.DOWNLOADS_CLOSED))
            existing = self._find(repo_id, filename)
        if existing is not None:
            self.resume(existing)  # asking again for a paused download resumes it
            return existing
        with self._lock:
            job = DownloadJob(len(self._jobs) + 1, repo_id, filename, revision)
            job.progress = Progress(parts=len(part_names(filename)))
            self._jobs.append(job)
            self._start_thread()
        self._queue.put(job)
        self._notify(job)
        return job

    def _find(self, repo_id: str, filename: str) -> DownloadJob | None:
        for job in self._jobs:
            if (job.repo_id, job.filename) == (repo_id, filename) and job.state not in (
                    DownloadState.DONE, DownloadState.CANCELLED):
                return job
        return None

    def jobs(self) -> list[DownloadJob]:
        with self._lock:
            return list(self._jobs)

    def pause(self, job: DownloadJob) -> None:
        """Stop transferring but keep the partial file; ``resume`` continues from it."""
        self._stop(job, DownloadState.PAUSED)

    def cancel(self, job: DownloadJob) -> None:
        """Stop and delete the partial files (finished parts of other models stay)."""
        self._stop(job, DownloadState.CANCELLED)

    def resume(self, job: DownloadJob) -> None:
        """Queue a paused or failed job again; it continues from its partial file."""
        with self._lock:
            if self._closed or job.state not in (DownloadState.PAUSED, DownloadState.FAILED):
                return
            job.state, job.error, job._stop_reason = DownloadState.QUEUED, None, None
            job._stop.clear()
            job._settled.clear()
            self._start_thread()
        self._queue.put(job)
        self._notify(job)

    def pending(self) -> list[PartSpec]:
        """Partial downloads left on disk by an earlier run (no network needed)."""
        specs: list[PartSpec] = []
        if not self.models_dir.is_dir():
            return specs
        for sidecar in sorted(self.models_dir.rglob("*" + SIDECAR_SUFFIX)):
            try:
                specs.append(PartSpec.from_json(sidecar.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError, KeyError):
                log.warning("Ignoring an unreadable download sidecar: %s", sidecar)
        return specs

    def resume_pending(self) -> list[DownloadJob]:
        """Queue every download an earlier run left unfinished."""
        seen: dict[tuple[str, str], str] = {}
        for spec in self.pending():
            seen.setdefault((spec.repo_id, spec.model_file), spec.revision)
        return [self.enqueue(repo, name, rev) for (repo, name), rev in seen.items()]

    def close(self, timeout: float = 10.0) -> None:
        """Pause whatever runs (keeping its partial file) and stop the thread."""
        with self._lock:
            self._closed = True
            running = [j for j in self._jobs if j.state is DownloadState.RUNNING]
            thread = self._thread
        for job in running:
            self.pause(job)
        self._queue.put(None)
        if thread is not None:
            thread.join(timeout)

    # -- state changes ----------------------------------------------------------------

    def _stop(self, job: DownloadJob, reason: DownloadState) -> None:
        with self._lock:
            if job.state in (DownloadState.DONE, DownloadState.CANCELLED):
                return
            if job.state is DownloadState.RUNNING:
                job._stop_reason = reason
                job._stop.set()  # the download thread finishes the change
                return
            if reason is DownloadState.PAUSED and job.state is not DownloadState.QUEUED:
                return
            job.state = reason
            job._settled.set()
        if reason is DownloadState.CANCELLED:
            self._discard_partials(job)
        self._notify(job)

    def _settle(self, job: DownloadJob, state: DownloadState, error: str | None = None,
                resumable: bool = False) -> None:
        with self._lock:
            job.state, job.error, job.resumable = state, error, resumable
            job._settled.set()
        self._notify(job)

    def _notify(self, job: DownloadJob) -> None:
        if self._on_update is None:
            return
        try:
            self._on_update(job)
        except Exception:  # a broken listener must not kill the download
            log.exception("download listener failed")

    def _set_progress(self, job: DownloadJob, **changes: Any) -> None:
        values = asdict(job.progress) | changes
        job.progress = Progress(**values)

    # -- the download thread ----------------------------------------------------------

    def _start_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name="cove-downloads",
                                            daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            with self._lock:
                if job.state is not DownloadState.QUEUED:
                    continue  # paused or cancelled while it waited
                job.state = DownloadState.RUNNING
            self._notify(job)
            self._run(job)

    def _run(self, job: DownloadJob) -> None:
        try:
            self._download(job)
        except _Stopped:
            self._stopped(job)
        except DownloadError as exc:
            if job._stop.is_set() and exc.resumable:  # a pause or cancel won the race
                self._stopped(job)
                return
            log.warning("Download of %s from %s failed: %s", job.filename, job.repo_id, exc)
            self._set_progress(job, speed=0.0, eta=None)
            self._settle(job, DownloadState.FAILED, str(exc), exc.resumable)
        except Exception:
            log.exception("Download of %s from %s failed unexpectedly", job.filename,
                          job.repo_id)
            self._settle(job, DownloadState.FAILED, say(Reason.DOWNLOAD_BROKE, file=job.name),
                         resumable=True)
        else:
            self._set_progress(job, phase="done", speed=0.0, eta=0.0)
            self._settle(job, DownloadState.DONE)

    def _stopped(self, job: DownloadJob) -> None:
        """Finish a pause (partial kept) or a cancel (partial deleted)."""
        reason = job._stop_reason or DownloadState.PAUSED
        if reason is DownloadState.CANCELLED:
            self._discard_partials(job)
        self._set_progress(job, phase="waiting", speed=0.0, eta=None)
        self._settle(job, reason, resumable=reason is DownloadState.PAUSED)

    def _download(self, job: DownloadJob) -> None:
        parts = self._part_paths(job)
        if all(p.exists() and not partial_path(p).exists() for p in parts):
            job.paths = parts  # already downloaded and verified: nothing to fetch
            return
        self._set_progress(job, phase="connecting")
        self._notify(job)
        token = self._token() if self._needs_network(job) else None
        specs = self._plan(job, token)
        folder = model_dir(self.models_dir, job.repo_id)
        job.paths = [folder / s.filename for s in specs]
        self._check_space(job, specs)
        total = sum(s.size for s in specs)
        done = 0
        for index, spec in enumerate(specs, start=1):
            self._set_progress(job, total=total, done=done, part=index, parts=len(specs))
            self._fetch_part(job, spec, folder / spec.filename, done, token)
            done += spec.size

    def _needs_network(self, job: DownloadJob) -> bool:
        return self._local_plan(job) is None or any(
            not p.exists() for p in self._part_paths(job))

    def _part_paths(self, job: DownloadJob) -> list[Path]:
        folder = model_dir(self.models_dir, job.repo_id)
        return [folder / name for name in part_names(job.filename)]

    # -- planning: which bytes, how big, which hash -------------------------------------

    def _plan(self, job: DownloadJob, token: str | None) -> list[PartSpec]:
        local = self._local_plan(job)
        if local is not None:
            return local
        specs = self._remote_plan(job, token)
        for spec, dest in zip(specs, self._part_paths(job)):
            self._adopt_partial(spec, dest)
        return specs

    def _local_plan(self, job: DownloadJob) -> list[PartSpec] | None:
        """Specs from the sidecars of an interrupted download of the same request."""
        specs = []
        for dest in self._part_paths(job):
            try:
                spec = PartSpec.from_json(sidecar_path(dest).read_text(encoding="utf-8"))
            except (OSError, ValueError, TypeError, KeyError):
                return None
            if (spec.repo_id, spec.revision, spec.endpoint) != \
                    (job.repo_id, job.revision, self.endpoint):
                return None
            specs.append(spec)
        return specs

    def _adopt_partial(self, spec: PartSpec, dest: Path) -> None:
        """Keep a partial file only if its sidecar says it holds these very bytes."""
        partial, sidecar = partial_path(dest), sidecar_path(dest)
        try:
            old = PartSpec.from_json(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError, KeyError):
            old = None
        if partial.exists() and (old is None or old.sha256 != spec.sha256):
            log.info("Discarding %s: it belongs to another version of the file.", partial)
            partial.unlink()
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(sidecar, spec.to_json())

    def _remote_plan(self, job: DownloadJob, token: str | None) -> list[PartSpec]:
        api = HfApi(endpoint=self.endpoint, token=token or False,
                    library_name="cove", library_version=__version__)
        try:
            info = api.model_info(job.repo_id, revision=job.revision, files_metadata=True,
                                  timeout=METADATA_TIMEOUT)
        except Exception as exc:
            raise self._explain(exc, job) from exc
        files = {s.rfilename: s for s in info.siblings or []}
        specs = []
        for name in part_names(job.filename):
            sibling = files.get(name)
            if sibling is None:
                raise DownloadError(say(Reason.NO_SUCH_FILE, repo=job.repo_id, file=name))
            if sibling.lfs is None or not sibling.lfs.sha256:
                raise DownloadError(say(Reason.NO_CHECKSUM, file=name))
            specs.append(PartSpec(job.repo_id, job.filename, name, job.revision,
                                  info.sha or job.revision, sibling.lfs.size,
                                  sibling.lfs.sha256, self.endpoint))
        return specs

    def _check_space(self, job: DownloadJob, specs: list[PartSpec]) -> None:
        folder = model_dir(self.models_dir, job.repo_id)
        needed = 0
        for spec in specs:
            dest = folder / spec.filename
            if not dest.exists():
                partial = partial_path(dest)
                have = partial.stat().st_size if partial.exists() else 0
                needed += max(0, spec.size - have)
        free = self._free_space(self._existing_parent(folder))
        if free < needed + self._margin:
            raise DownloadError(say(
                Reason.NO_SPACE, file=job.name, needed=human_size(needed),
                margin=human_size(self._margin), free=human_size(free),
                folder=self.models_dir, short=human_size(needed + self._margin - free)),
                resumable=True)

    @staticmethod
    def _existing_parent(path: Path) -> Path:
        for candidate in (path, *path.parents):
            if candidate.exists():
                return candidate
        return path

    # -- fetching one part ------------------------------------------------------------

    def _fetch_part(self, job: DownloadJob, spec: PartSpec, dest: Path, before: int,
                    token: str | None) -> None:
        if dest.exists() and not partial_path(dest).exists():
            sidecar_path(dest).unlink(missing_ok=True)
            return  # finished (and verified: only verified files are renamed) earlier
        partial = _Partial(partial_path(dest), self._opener)
        self._rehash(job, partial, before)
        url = hf_hub_url(spec.repo_id, spec.filename, revision=spec.commit,
                         endpoint=self.endpoint)
        meter = _SpeedMeter(self._clock)
        meter.reset(partial.size)
        partial.open()
        try:
            self._transfer(job, spec, partial, url, token, meter, before)
        finally:
            partial.close()
        self._verify_and_place(job, spec, partial, dest)

    def _rehash(self, job: DownloadJob, partial: _Partial, before: int) -> None:
        """Re-read an earlier run's bytes so the final sha256 covers the whole file."""
        self._set_progress(job, phase="checking")
        last = self._clock()
        for size in partial.rehash(job._stop):
            if self._clock() - last >= PROGRESS_INTERVAL:
                last = self._clock()
                self._set_progress(job, done=before + size)
                self._notify(job)
        if partial.size:
            log.info("Resuming %s from %d bytes", partial.path.name, partial.size)

    def _transfer(self, job: DownloadJob, spec: PartSpec, partial: _Partial, url: str,
                  token: str | None, meter: _SpeedMeter, before: int) -> None:
        attempt = total_tries = 0
        while partial.size < spec.size:
            start = partial.size
            try:
                self._stream(job, spec, partial, url, token, meter, before)
                if partial.size < spec.size:
                    raise _Retry("the server closed the connection early")
            except (_Retry, httpx2.TransportError) as exc:
                attempt = 1 if partial.size > start else attempt + 1
                total_tries += 1
                if attempt > self._retry.attempts or total_tries > self._retry.max_total:
                    raise DownloadError(say(
                        Reason.CONNECTION_LOST, file=job.name, error=exc,
                        have=human_size(before + partial.size)), resumable=True) from exc
                delay = self._retry.delay(attempt)
                log.info("Download of %s interrupted (%s); retrying in %.1f s",
                         spec.filename, exc, delay)
                self._set_progress(job, phase="connecting", speed=0.0, eta=None)
                self._notify(job)
                if job._stop.wait(delay):
                    raise _Stopped from exc

    def _stream(self, job: DownloadJob, spec: PartSpec, partial: _Partial, url: str,
                token: str | None, meter: _SpeedMeter, before: int) -> None:
        headers = build_hf_headers(token=token or False, library_name="cove",
                                   library_version=__version__)
        headers["Accept-Encoding"] = "identity"
        if partial.size:
            headers["Range"] = f"bytes={partial.size}-"
        if job._stop.is_set():
            raise _Stopped
        try:
            with get_session().stream("GET", url, headers=headers,
                                      timeout=TRANSFER_TIMEOUT) as response:
                self._accept(job, response, partial)
                self._set_progress(job, phase="downloading")
                last = 0.0
                # Each piece as the network hands it over, never gathered into bigger
                # chunks first: a connection that drops mid-chunk would take the
                # gathered bytes with it, and the resume would fetch them again.
                for chunk in response.iter_bytes():
                    self._write(job, spec, partial, chunk)
                    if job._stop.is_set():
                        raise _Stopped
                    if self._clock() - last >= PROGRESS_INTERVAL:
                        last = self._clock()
                        self._report(job, spec, partial, meter, before)
                    if partial.size >= spec.size:
                        break
        except (HfHubHTTPError, OfflineModeIsEnabled) as exc:
            raise self._explain(exc, job) from exc
        self._report(job, spec, partial, meter, before)

    def _accept(self, job: DownloadJob, response: httpx2.Response, partial: _Partial) -> None:
        """Check the answer to a (Range) request before a byte of it is written."""
        status = response.status_code
        if status == 416:  # asked past the end: the partial file is suspect, start over
            partial.restart()
            raise _Retry("the server refused the resume position")
        if status >= 400:
            response.read()
            if status >= 500 or status == 429:
                raise _Retry(f"the server answered {status}")
            hf_raise_for_status(response)
        if status == 206:
            match = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", ""))
            if match is None or int(match.group(1)) != partial.size:
                partial.restart()
                raise _Retry("the server sent a different part of the file")
        elif partial.size:
            log.info("The server ignored the Range request; starting %s again", job.name)
            partial.restart()

    def _write(self, job: DownloadJob, spec: PartSpec, partial: _Partial, chunk: bytes) -> None:
        if len(chunk) > spec.size - partial.size:  # never more than the file's size
            chunk = chunk[: spec.size - partial.size]
        try:
            partial.append(chunk)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                raise DownloadError(say(
                    Reason.DISK_FULL, file=job.name, have=human_size(partial.size),
                    size=human_size(spec.size),
                    short=human_size(spec.size - partial.size + self._margin)),
                    resumable=True) from exc
            raise DownloadError(say(Reason.CANNOT_WRITE, path=partial.path,
                                    error=exc.strerror or exc), resumable=True) from exc

    def _report(self, job: DownloadJob, spec: PartSpec, partial: _Partial,
                meter: _SpeedMeter, before: int) -> None:
        speed = meter.update(partial.size)
        left = job.progress.total - (before + partial.size)
        self._set_progress(job, done=before + partial.size, speed=speed,
                           eta=left / speed if speed > 0 else None)
        self._notify(job)

    def _verify_and_place(self, job: DownloadJob, spec: PartSpec, partial: _Partial,
                          dest: Path) -> None:
        self._set_progress(job, phase="verifying")
        self._notify(job)
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

    def _discard_partials(self, job: DownloadJob) -> None:
        for dest in self._part_paths(job):
            partial_path(dest).unlink(missing_ok=True)
            sidecar_path(dest).unlink(missing_ok=True)

    # -- errors for people ------------------------------------------------------------

    def _explain(self, exc: Exception, job: DownloadJob) -> DownloadError:
        where = self.endpoint or "huggingface.co"
        if isinstance(exc, GatedRepoError):
            return DownloadError(say(Reason.GATED, repo=job.repo_id, server=where))
        if isinstance(exc, RepositoryNotFoundError):
            return DownloadError(say(Reason.REPO_NOT_FOUND, repo=job.repo_id, server=where))
        if isinstance(exc, RevisionNotFoundError):
            return DownloadError(say(Reason.NO_REVISION, repo=job.repo_id,
                                     revision=job.revision))
        if isinstance(exc, RemoteEntryNotFoundError):
            return DownloadError(say(Reason.NO_SUCH_FILE, repo=job.repo_id, file=job.filename))
        if isinstance(exc, OfflineModeIsEnabled):
            return DownloadError(say(Reason.OFFLINE))
        if isinstance(exc, HfHubHTTPError):
            status = exc.response.status_code if exc.response is not None else "an error"
            return DownloadError(say(Reason.SERVER_ERROR, server=where, status=status,
                                     repo=job.repo_id), resumable=True)
        if isinstance(exc, httpx2.TransportError):
            return DownloadError(say(Reason.UNREACHABLE, server=where,
                                     error=type(exc).__name__), resumable=True)
        raise exc
