"""Fixtures for the Models window and the welcome wizard: one QApplication on the
offscreen platform, the models tests' fake Hub on loopback (real HTTP, real
``huggingface_hub``), their in-memory keyring and loopback-only guard, small real GGUF
files, a fixed hardware report (so verdicts and screenshots do not depend on the
machine running the tests), and a Qt warning that fails the test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from app.hardware.detect import CpuInfo, GpuInfo, HardwareReport, MemoryInfo
from app.models.catalog import CATALOG
from app.models.downloads import RetryPolicy
from app.ui.services.model_downloads import ModelDownloads
from tests.models.conftest import GGUFFactory, _loopback_only, hub, make_gguf, memory_keyring
from tests.models.hub_server import HubServer
from tests.ui.fixtures import german, qapp, qt_warnings_fail, settle, wait_until

__all__ = ["_loopback_only", "german", "hub", "make_gguf", "memory_keyring",  # fixtures
           "qapp", "qt_warnings_fail", "settle", "wait_until"]

GIB = 1 << 30
ENTRY = next(e for e in CATALOG if e.key == "gpt-oss-20b")
REPO, NAME = ENTRY.repo_id, ENTRY.filename
ELEMENTS = 400_000  # two float32 tensors: a 3.2 MB GGUF
FAST_RETRY = RetryPolicy(attempts=2, first_delay=0.01, max_delay=0.05)
# Messages of the offscreen platform itself, not of Cove.


@pytest.fixture
def report() -> HardwareReport:
    """A typical gaming laptop: 32 GB of RAM and an 8 GB RTX 4060."""
    return HardwareReport(
        os="Linux", os_version="6.8", arch="x86_64",
        cpu=CpuInfo(model="Intel Core i7-13700H", physical_cores=14, logical_cores=20,
                    performance_cores=6),
        memory=MemoryInfo(total_bytes=32 * GIB, available_bytes=26 * GIB),
        gpus=[GpuInfo(name="NVIDIA GeForce RTX 4060 Laptop GPU", vendor="NVIDIA",
                      memory_total_bytes=8 * GIB, memory_free_bytes=7 * GIB,
                      driver_version="550.54.14", cuda_version="12.4",
                      compute_capability="8.9", source="nvml")])


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


@pytest.fixture
def make_downloads(qapp: QApplication, models_dir: Path) -> Iterator[Callable[..., ModelDownloads]]:
    """ModelDownloads on the test's models folder; all closed at the end."""
    made: list[ModelDownloads] = []

    def make(endpoint: str | None = None, **options: Any) -> ModelDownloads:
        options.setdefault("retry", FAST_RETRY)
        options.setdefault("margin", 0)
        downloads = ModelDownloads(models_dir, endpoint=endpoint, **options)
        made.append(downloads)
        return downloads

    yield make
    for downloads in made:
        downloads.close(timeout=5)
        downloads.deleteLater()
    qapp.processEvents()


@pytest.fixture
def widgets(qapp: QApplication) -> Iterator[Callable[[QWidget], QWidget]]:
    """Keep top-level widgets for the test; each is closed and deleted at the end."""
    kept: list[QWidget] = []

    def keep(widget: QWidget) -> QWidget:
        kept.append(widget)
        return widget

    yield keep
    for widget in kept:
        wait = getattr(widget, "wait_for_tasks", None)
        if wait is not None:
            wait()
        widget.close()
        widget.deleteLater()
    settle(qapp)


@pytest.fixture
def served(hub: HubServer, make_gguf: GGUFFactory, tmp_path: Path) -> Path:
    """The fake Hub serves a tiny real GGUF under gpt-oss-20b's repository and name."""
    path = make_gguf(NAME, elements=ELEMENTS, folder=tmp_path / "hub")
    hub.add_repo(REPO, {NAME: path, "README.md": b"# gpt-oss-20b"})
    return path
