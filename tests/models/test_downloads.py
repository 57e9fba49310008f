"""Downloads through the real huggingface_hub against a real HTTP server on loopback:
resume after a dropped connection and after a restart, wrong bytes, a full disk,
pause, cancel, split models, gated repositories, and no network unless asked."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from app.models.credentials import HF_TOKEN_NAME, SERVICE
from app.models.downloads import DownloadJob, DownloadManager, DownloadState, Progress
from app.models.transfer import (
    DownloadError,
    RetryPolicy,
    open_partial,
    partial_path,
    receipt_path,
    sidecar_path,
)
from tests.models.conftest import MemoryKeyring
from tests.models.hub_server import HubServer

REPO = "ggml-org/tiny-GGUF"
NAME = "tiny-mxfp4.gguf"
SIZE = 3_000_000
FAST_RETRY = RetryPolicy(attempts=3, first_delay=0.01, max_delay=0.05)
WAIT = 20.0  # seconds; every test finishes far sooner, this only bounds a hang


@pytest.fixture
def payload() -> bytes:
    return os.urandom(SIZE)


@pytest.fixture
def models(tmp_path: Path) -> Path:
    return tmp_path / "models"


_MANAGERS: list[DownloadManager] = []


@pytest.fixture(autouse=True)
def _close_managers() -> Iterator[None]:
    """Every manager a test made is closed after it, so its thread does not outlive it."""
    yield
    while _MANAGERS:
        _MANAGERS.pop().close()


def manager(hub: HubServer, models: Path, **kwargs: object) -> DownloadManager:
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("margin", 0)
    mgr = DownloadManager(models, endpoint=hub.url, **kwargs)  # type: ignore[arg-type]
    _MANAGERS.append(mgr)
    return mgr


def dest(models: Path, name: str = NAME, repo: str = REPO) -> Path:
    return models.joinpath(*repo.split("/"), name)


def run(mgr: DownloadManager, name: str = NAME, repo: str = REPO) -> DownloadJob:
    job = mgr.enqueue(repo, name)
    assert job.wait(WAIT) in (DownloadState.DONE, DownloadState.FAILED,
                              DownloadState.CANCELLED, DownloadState.PAUSED)
    return job


def range_start(header: str | None) -> int:
    assert header is not None and header.startswith("bytes=")
    return int(header[len("bytes="):].split("-")[0])


def test_downloads_verifies_and_reports_progress(hub: HubServer, models: Path,
                                                 payload: bytes) -> None:
    hub.add_repo(REPO, {NAME: payload, "README.md": b"# tiny"})
    seen: list[Progress] = []
    with_mgr = manager(hub, models, on_update=lambda job: seen.append(job.progress))
    job = run(with_mgr)
    with_mgr.close()

    assert job.state is DownloadState.DONE, job.error
    assert job.model_path == dest(models)
    assert dest(models).read_bytes() == payload
    assert not partial_path(dest(models)).exists()
    assert not sidecar_path(dest(models)).exists()
    assert str(hashlib.sha256(payload).hexdigest()) in receipt_path(dest(models)).read_text()
    assert seen[-1].done == seen[-1].total == SIZE and seen[-1].phase == "done"
    assert {p.phase for p in seen} >= {"connecting", "downloading", "verifying", "done"}
    assert len(hub.file_requests(NAME)) == 1


def test_resumes_after_a_dropped_connection(hub: HubServer, models: Path,
                                            payload: bytes) -> None:
    hub.add_repo(REPO, {NAME: payload})
    cut = 1_200_007  # a multiple of no buffer size
    hub.faults.drop_after, hub.faults.drops = cut, 2
    partial_sizes: list[int] = []

    def on_update(job: DownloadJob) -> None:
        partial = partial_path(dest(models))
        if job.progress.phase == "connecting" and partial.exists():
            partial_sizes.append(partial.stat().st_size)

    job = run(manager(hub, models, on_update=on_update))

    assert job.state is DownloadState.DONE, job.error
    assert dest(models).read_bytes() == payload
    first, second, third = hub.file_requests(NAME)
    assert first.range is None
    # Every byte that arrived before each drop was kept: the retries ask from there.
    assert partial_sizes == [cut, 2 * cut]
    assert range_start(second.range) == cut
    assert range_start(third.range) == 2 * cut


@pytest.mark.parametrize("cut", [1, 65_537, 262_145, 1_234_567, SIZE - 1])
def test_a_dropped_connection_keeps_exactly_the_bytes_that_arrived(
        hub: HubServer, models: Path, payload: bytes, cut: int) -> None:
    """The partial file holds exactly the ``cut`` bytes the server sent before the
    connection dropped (below, between and above any read or chunk size), and the
    resume continues from there to the file the Hub publishes."""
    hub.add_repo(REPO, {NAME: payload})
    hub.faults.drop_after, hub.faults.drops = cut, 1
    first = manager(hub, models, retry=RetryPolicy(attempts=0))
    job = run(first)
    first.close()
    assert job.state is DownloadState.FAILED and job.resumable, job.error
    assert partial_path(dest(models)).read_bytes() == payload[:cut]
    hub.log.clear()

    second = manager(hub, models)
    (resumed,) = second.resume_pending()
    assert resumed.wait(WAIT) is DownloadState.DONE, resumed.error
    second.close()
    (request,) = hub.file_requests(NAME)
    assert range_start(request.range) == cut
    digest = hashlib.sha256(dest(models).read_bytes()).hexdigest()
    assert digest == hashlib.sha256(payload).hexdigest()


def test_wrong_bytes_are_rejected_and_deleted(hub: HubServer, models: Path,
                                              payload: bytes) -> None:
    hub.add_repo(REPO, {NAME: payload})
    hub.faults.corrupt = True
    job = run(manager(hub, models))

    assert job.state is DownloadState.FAILED
    assert job.error is not None and "damaged" in job.error and "deleted" in job.error
    assert not job.resumable
    assert not dest(models).exists()
    assert not partial_path(dest(models)).exists()
    assert not sidecar_path(dest(models)).exists()


def test_a_restart_resumes_from_the_partial_file(hub: HubServer, models: Path,
                                                 payload: bytes) -> None:
    hub.add_repo(REPO, {NAME: payload})
    hub.faults.drop_after, hub.faults.drops = 1_500_000, 1
    first = manager(hub, models, retry=RetryPolicy(attempts=0))
    job = run(first)
    first.close()
    assert job.state is DownloadState.FAILED and job.resumable
    assert job.error is not None and "kept" in job.error
    kept = partial_path(dest(models)).stat().st_size
    assert kept == 1_500_000
    hub.log.clear()

    second = manager(hub, models)  # the app started again
    assert [s.filename for s in second.pending()] == [NAME]
    assert hub.log == []  # finding unfinished downloads needs no network
    (resumed,) = second.resume_pending()
    assert resumed.wait(WAIT) is DownloadState.DONE, resumed.error
    second.close()

    assert dest(models).read_bytes() == payload
    assert [r.method for r in hub.log] == ["GET"]  # no metadata call: the sidecar had it
    assert range_start(hub.log[0].range) == kept


class _FullDisk:
    """A partial file on a disk that fills up after ``room`` bytes."""

    def __init__(self, room: int) -> None:
        self.room = room

    def __call__(self, path: Path) -> BinaryIO:
        f = path.open("ab", buffering=0)
        real_write = f.write
        disk = self

        def write(data: bytes | memoryview) -> int:
            if disk.room <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            n = real_write(bytes(data)[: disk.room])
            disk.room -= n
            return n

        f.write = write  # type: ignore[method-assign]
        return f


def test_a_full_disk_stops_cleanly_and_keeps_the_partial(hub: HubServer, models: Path,
                                                         payload: bytes) -> None:
    hub.add_repo(REPO, {NAME: payload})
    mgr = manager(hub, models, opener=_FullDisk(1_000_000))
    job = run(mgr)

    assert job.state is DownloadState.FAILED and job.resumable
    assert job.error is not None
    assert "disk is full" in job.error and "kept" in job.error and "Resume" in job.error
    partial = partial_path(dest(models))
    assert partial.read_bytes() == payload[:1_000_000]
    assert sidecar_path(dest(models)).exists()
    assert not dest(models).exists()

    mgr._opener = open_partial  # space was freed
    mgr.resume(job)
    assert job.wait(WAIT) is DownloadState.DONE, job.error
    mgr.close()
    assert dest(models).read_bytes() == payload
    assert range_start(hub.file_requests(NAME)[-1].range) == 1_000_000


def test_free_space_is_checked_before_the_first_byte(hub: HubServer, models: Path,
                                                     payload: bytes) -> None:
    hub.add_repo(REPO, {NAME: payload})
    job = run(manager(hub, models, free_space=lambda _: 1_000_000, margin=500_000_000))

    assert job.state is DownloadState.FAILED
    assert job.error is not None and "Not enough disk space" in job.error
    assert "3.0 MB" in job.error  # what it needs, said in the units people read
    assert hub.file_requests(NAME) == []
    assert not partial_path(dest(models)).exists()


def _started(mgr_kwargs: dict[str, object], at: int) -> tuple[threading.Event,
                                                               Callable[[DownloadJob], None]]:
    event = threading.Event()

    def on_update(job: DownloadJob) -> None:
        if job.progress.phase == "downloading" and job.progress.done >= at:
            event.set()

    mgr_kwargs["on_update"] = on_update
    return event, on_update


def _running_download(hub: HubServer, models: Path,
                      payload: bytes) -> tuple[DownloadManager, DownloadJob]:
    """A throttled download that has written its first 500 kB."""
    hub.add_repo(REPO, {NAME: payload})
    hub.faults.throttle_bps = 2_000_000
    kwargs: dict[str, object] = {}
    started, _ = _started(kwargs, 500_000)
    mgr = manager(hub, models, **kwargs)
    job = mgr.enqueue(REPO, NAME)
    assert started.wait(WAIT)
    return mgr, job


def test_cancel_cleans_up(hub: HubServer, models: Path, payload: bytes) -> None:
    mgr, job = _running_download(hub, models, payload)
    mgr.cancel(job)

    assert job.wait(WAIT) is DownloadState.CANCELLED
    mgr.close()
    assert not dest(models).exists()
    assert not partial_path(dest(models)).exists()
    assert not sidecar_path(dest(models)).exists()


def test_pause_keeps_the_partial_and_resume_continues(hub: HubServer, models: Path,
                                                      payload: bytes) -> None:
    mgr, job = _running_download(hub, models, payload)
    mgr.pause(job)

    assert job.wait(WAIT) is DownloadState.PAUSED
    kept = partial_path(dest(models)).stat().st_size
    assert 0 < kept < SIZE
    hub.faults.throttle_bps = None
    mgr.resume(job)
    assert job.wait(WAIT) is DownloadState.DONE, job.error
    mgr.close()
    assert dest(models).read_bytes() == payload
    assert range_start(hub.file_requests(NAME)[-1].range) == kept


def test_a_server_that_ignores_range_restarts_cleanly(hub: HubServer, models: Path,
                                                      payload: bytes) -> None:
    hub.add_repo(REPO, {NAME: payload})
    hub.faults.drop_after, hub.faults.drops = 1_000_000, 1
    hub.faults.ignore_range = True
    job = run(manager(hub, models))

    assert job.state is DownloadState.DONE, job.error
    assert dest(models).read_bytes() == payload


def test_a_split_model_is_one_job(hub: HubServer, models: Path) -> None:
    parts = {f"big-mxfp4-{n:05d}-of-00003.gguf": os.urandom(700_000 + n) for n in (1, 2, 3)}
    hub.add_repo("ggml-org/big-GGUF", parts)
    seen: list[Progress] = []
    mgr = manager(hub, models, on_update=lambda job: seen.append(job.progress))
    job = run(mgr, "big-mxfp4-00001-of-00003.gguf", "ggml-org/big-GGUF")
    mgr.close()

    assert job.state is DownloadState.DONE, job.error
    assert [p.name for p in job.paths] == list(parts)
    for name, data in parts.items():
        assert dest(models, name, "ggml-org/big-GGUF").read_bytes() == data
    assert seen[-1].total == sum(len(d) for d in parts.values())
    assert max(p.parts for p in seen) == 3


def test_a_queue_runs_one_after_another(hub: HubServer, models: Path) -> None:
    files = {"a.gguf": os.urandom(400_000), "b.gguf": os.urandom(500_000)}
    hub.add_repo(REPO, files)
    mgr = manager(hub, models)
    jobs = [mgr.enqueue(REPO, name) for name in files]
    assert mgr.enqueue(REPO, "a.gguf") is jobs[0]  # asking twice does not download twice
    assert [j.wait(WAIT) for j in jobs] == [DownloadState.DONE] * 2
    mgr.close()
    assert [r.path.rsplit("/", 1)[-1] for r in hub.log if r.method == "GET"
            and "/resolve/" in r.path] == ["a.gguf", "b.gguf"]


def test_gated_models_need_the_token_from_the_keyring(
        hub: HubServer, models: Path, payload: bytes, memory_keyring: MemoryKeyring,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hub.add_repo(REPO, {NAME: payload}, gated=True)
    job = run(manager(hub, models))
    assert job.state is DownloadState.FAILED
    assert job.error is not None and "gated" in job.error and "token" in job.error

    memory_keyring.set_password(SERVICE, HF_TOKEN_NAME, hub.state.token)
    job = run(manager(hub, models))
    assert job.state is DownloadState.DONE, job.error
    assert hub.file_requests(NAME)[-1].authorized
    assert hub.state.token not in caplog.text
    for path in models.rglob("*"):
        if path.is_file() and path.suffix != ".gguf":
            assert hub.state.token not in path.read_text()


def test_clear_messages_for_missing_repos_and_files(hub: HubServer, models: Path) -> None:
    hub.add_repo(REPO, {"other.gguf": b"x" * 10})
    job = run(manager(hub, models))
    assert job.error is not None and f"has no file named {NAME}" in job.error
    job = run(manager(hub, models), NAME, "nobody/nothing-GGUF")
    assert job.error is not None and "was not found" in job.error


def test_unsafe_names_are_refused(models: Path) -> None:
    mgr = DownloadManager(models)
    for repo, name in [("../etc", "x.gguf"), (REPO, "../../x.gguf"), (REPO, "/abs.gguf")]:
        with pytest.raises(DownloadError):
            mgr.enqueue(repo, name)


def test_nothing_touches_the_network_until_a_download_starts(hub: HubServer,
                                                             models: Path) -> None:
    hub.add_repo(REPO, {NAME: b"data"})
    mgr = manager(hub, models)
    assert mgr.pending() == [] and mgr.jobs() == []
    mgr.close()
    assert hub.log == []


def test_the_fake_hub_speaks_what_hf_hub_download_expects(
        hub: HubServer, tmp_path: Path, payload: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import tqdm
    from huggingface_hub import hf_hub_download

    # Its progress bar would start tqdm's monitor thread, which outlives the test.
    monkeypatch.setattr(tqdm.std.tqdm, "monitor_interval", 0)
    hub.add_repo(REPO, {NAME: payload})
    path = hf_hub_download(REPO, NAME, local_dir=tmp_path / "hf", endpoint=hub.url,
                           token=False)
    assert Path(path).read_bytes() == payload


def test_a_finished_model_is_not_fetched_again(hub: HubServer, models: Path,
                                               payload: bytes) -> None:
    hub.add_repo(REPO, {NAME: payload})
    assert run(manager(hub, models)).state is DownloadState.DONE
    hub.log.clear()
    job = run(manager(hub, models))
    assert job.state is DownloadState.DONE and job.model_path == dest(models)
    assert hub.log == []


def test_a_dead_connection_gives_up_resumably_with_a_clear_message(
        hub: HubServer, models: Path, payload: bytes) -> None:
    hub.add_repo(REPO, {NAME: payload})
    hub.faults.drop_after, hub.faults.drops = 0, 100  # every attempt dies at once
    job = run(manager(hub, models))
    assert job.state is DownloadState.FAILED and job.resumable
    assert job.error is not None and "connection was lost" in job.error
    assert len(hub.file_requests(NAME)) == FAST_RETRY.attempts + 1  # bounded retries
    hub.faults.drops = 0
    job = run(manager(hub, models))
    assert job.state is DownloadState.DONE and dest(models).read_bytes() == payload
