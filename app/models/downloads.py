"""Model downloads from the Hugging Face Hub (or a mirror) that always finish.

A 12 GB download has to survive sleep, Wi-Fi loss, a full disk and a restart, so:

- The file's size and sha256 come from the Hub's API (``HfApi.model_info`` with file
  metadata) and are pinned, with the commit, in a small JSON sidecar next to the
  partial file (``name.gguf.incomplete`` + ``name.gguf.incomplete.json``). A restart
  resumes from the sidecar without asking the Hub again.
- Free space is checked before the first byte (remaining size plus a margin).
- The bytes themselves are fetched, resumed, retried and verified by
  :class:`app.models.transfer.PartTransfer`, one part at a time.
- Split GGUFs (``-00001-of-00003.gguf``) are one job: all parts, one progress bar.

Nothing here touches the network until a download is started. Jobs run one at a time on
a single background thread (parallel downloads do not finish a queue sooner); callbacks
arrive on that thread, and the UI adapter turns them into Qt signals.
"""

from __future__ import annotations

import enum
import logging
import queue
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from app import __version__
from app.config.files import write_atomically
from app.models.credentials import hf_token
from app.models.hub import HfApi  # the Hub library, with its telemetry and detection off
from app.models.splits import part_names
from app.models.transfer import (
    PARTIAL_SUFFIX,
    SIDECAR_SUFFIX,
    DownloadError,
    PartSpec,
    PartTransfer,
    RetryPolicy,
    Stopped,
    hub_failure,
    human_size,
    open_partial,
    partial_path,
    receipt_path,
    sidecar_path,
)
from app.reasons import Reason, say

# Also imported from here by the windows (downloads, models, welcome) and their tests.
__all__ = [
    "PARTIAL_SUFFIX", "SIDECAR_SUFFIX", "DownloadError", "DownloadJob", "DownloadManager",
    "DownloadState", "PartSpec", "Progress", "RetryPolicy", "human_size", "model_dir",
    "partial_path", "receipt_path", "sidecar_path", "validate_request",
]

log = logging.getLogger(__name__)

DEFAULT_MARGIN = 512 * 1024 * 1024  # space left over after a download, for the OS and us
METADATA_TIMEOUT = 30.0
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


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
        opener: Callable[[Path], BinaryIO] = open_partial,
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
        except Stopped:
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
            PartTransfer(
                spec, folder / spec.filename, name=job.name, stop=job._stop,
                set_progress=lambda **changes: self._set_progress(job, **changes),
                notify=lambda: self._notify(job), before=done, total=total, token=token,
                endpoint=self.endpoint, opener=self._opener, clock=self._clock,
                retry=self._retry, margin=self._margin).run()
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
            raise hub_failure(exc, job.repo_id, job.filename, job.revision,
                              self.endpoint) from exc
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

    def _discard_partials(self, job: DownloadJob) -> None:
        for dest in self._part_paths(job):
            partial_path(dest).unlink(missing_ok=True)
            sidecar_path(dest).unlink(missing_ok=True)

