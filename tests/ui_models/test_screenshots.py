"""Screenshots of the Models window with a download in progress and of the welcome
wizard. Always rendered (a check that both paint); saved to docs/screenshots/ when
COVE_SCREENSHOTS is set::

    COVE_SCREENSHOTS=1 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest \
        tests/ui_models/test_screenshots.py

The download is real (HTTP from the fake Hub on loopback) and realistic in size: a
sparse 12.1 GB file stands in for gpt-oss-20b, and a 1 GB partial file from "an earlier
session" makes the bar start where a resumed download would. It is cancelled before the
test ends; the sparse files take no disk space.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from app.hardware.detect import HardwareReport
from app.models.downloads import PartSpec, model_dir, partial_path, sidecar_path
from app.ui.dialogs.models_dialog import ModelsDialog
from app.ui.dialogs.welcome import WelcomeWizard
from app.ui.services.model_downloads import ModelDownloads
from tests.models.hub_server import HubFile, HubRepo, HubServer
from tests.ui_models.conftest import ENTRY, NAME, REPO, settle, wait_until

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SAVING = bool(os.environ.get("COVE_SCREENSHOTS"))
GB = 1_000_000_000


def save(widget: QWidget, name: str, tmp_path: Path) -> Path:
    target = SHOTS if SAVING else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    path = target / name
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 10_000
    return path


def sparse(path: Path, size: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.truncate(size)
    return path


def test_models_window_and_wizard(qapp: QApplication, widgets: Any, make_downloads: Any,
                                  hub: HubServer, report: HardwareReport,
                                  gemma_path: Path, models_dir: Path,
                                  tmp_path: Path) -> None:
    size = ENTRY.size_bytes
    big = HubFile(sparse(tmp_path / "hub" / NAME, size), sha256="0" * 64)
    hub.state.repos[REPO] = HubRepo({NAME: big})
    hub.faults.throttle_bps = 24_000_000
    # What an earlier session left: part of the file and the sidecar that pins it (1 GB
    # for the saved pictures; less otherwise, as resuming re-reads it for the checksum).
    dest = model_dir(models_dir, REPO) / NAME
    sparse(partial_path(dest), GB if SAVING else 20_000_000)
    sidecar_path(dest).write_text(PartSpec(
        REPO, NAME, NAME, "main", hub.state.repos[REPO].commit, size, "0" * 64,
        hub.url).to_json(), encoding="utf-8")

    downloads = make_downloads(hub.url, free_space=lambda _path: 400 * GB)
    dialog = widgets(ModelsDialog(downloads, report=report))
    refreshed: list[bool] = []
    dialog.library_refreshed.connect(lambda: refreshed.append(True))
    dialog.show()
    wait_until(qapp, lambda: refreshed, what="the library")
    dialog.import_path(gemma_path, copy=False)
    wait_until(qapp, lambda: len(refreshed) == 2, what="gemma in the library")
    row = dialog.download_list.rows[(REPO, NAME)]
    row.resume_button.click()
    wait_until(qapp, lambda: "left" in row.status.text(), timeout=60,
               what="speed and time left")
    dialog.tabs.setCurrentIndex(dialog.CATALOG_TAB)
    dialog.resize(920, 760)
    settle(qapp, 0.1)
    text = row.status.text()
    assert " of 12.1 GB · " in text and "MB/s · about " in text, text
    save(dialog, "models-dialog.png", tmp_path)
    dialog.tabs.setCurrentIndex(dialog.LIBRARY_TAB)
    settle(qapp, 0.05)
    save(dialog, "models-dialog-library.png", tmp_path)

    # The wizard as a first run shows it (nothing downloaded yet), then the step that
    # follows the download this test is running.
    first_run = ModelDownloads(tmp_path / "first-run")
    wizard = widgets(WelcomeWizard(first_run, report=report))
    wizard.show()
    wizard.resize(720, 500)
    settle(qapp, 0.05)
    assert wizard.download_button.text() == "Download gpt-oss-20b (12.1 GB)"
    save(wizard, "welcome-wizard.png", tmp_path)
    following = widgets(WelcomeWizard(downloads, report=report))
    following.show()
    following.resize(720, 500)
    assert following.download_button.text() == "Show the download of gpt-oss-20b"
    following.download_button.click()
    settle(qapp, 0.1)
    save(following, "welcome-wizard-download.png", tmp_path)
    first_run.close()

    downloads.cancel((REPO, NAME))
    wait_until(qapp, lambda: downloads.view((REPO, NAME)) is None, what="the cancel")
    assert not partial_path(dest).exists()
