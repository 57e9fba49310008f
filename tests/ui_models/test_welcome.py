"""The welcome wizard: this computer and the model for it, then either a real download
over HTTP from the fake Hub or a GGUF file already on disk (the gemma model), ending in
"Start chatting" with the model's path."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog

from app.hardware.detect import HardwareReport, MemoryInfo
from app.models.downloads import DownloadState
from app.models.library import Library
from app.ui.dialogs.models_dialog import ModelsDialog
from app.ui.dialogs.welcome import WelcomeWizard
from tests.models.conftest import GGUFFactory
from tests.models.hub_server import HubServer
from tests.ui_models.conftest import ENTRY, GIB, NAME, REPO, settle, wait_until


def test_the_first_page_says_what_this_computer_is_and_why_this_model(
        qapp: QApplication, widgets: Any, make_downloads: Any, hub: HubServer,
        report: HardwareReport, monkeypatch: pytest.MonkeyPatch) -> None:
    connects: list[Any] = []
    monkeypatch.setattr(socket.socket, "connect", lambda _s, a: connects.append(a))
    wizard = widgets(WelcomeWizard(make_downloads(hub.url), report=report))
    wizard.show()
    settle(qapp)
    assert connects == [] and hub.log == []
    assert wizard.pages.currentIndex() == wizard.CHOOSE
    assert wizard.machine_label.text() == (
        "32 GB of RAM · RTX 4060 Laptop GPU with 8 GB of graphics memory · "
        "Intel Core i7-13700H (14 cores)")
    assert wizard.entry.key == "gpt-oss-20b"
    assert "Runs well" in wizard.verdict_label.text()
    assert "about 16 words a second: good" in wizard.verdict_label.text()
    assert wizard.download_button.text() == "Download gpt-oss-20b (12.1 GB)"
    assert not wizard.start_button.isVisible() and not wizard.back_button.isVisible()


def test_a_small_computer_is_told_plainly(qapp: QApplication, widgets: Any,
                                          make_downloads: Any,
                                          report: HardwareReport) -> None:
    report.memory = MemoryInfo(total_bytes=8 * GIB, available_bytes=5 * GIB)
    report.gpus = []
    wizard = widgets(WelcomeWizard(make_downloads(), report=report))
    assert "Won't fit" in wizard.verdict_label.text()
    assert "this computer has 8 GB of RAM" in wizard.verdict_label.text()
    assert "no graphics card Cove can use" in wizard.machine_label.text()


def test_download_then_start_chatting(qapp: QApplication, widgets: Any,
                                      make_downloads: Any, hub: HubServer, served: Path,
                                      report: HardwareReport, models_dir: Path) -> None:
    downloads = make_downloads(hub.url)
    wizard = widgets(WelcomeWizard(downloads, report=report))
    wizard.show()
    chosen: list[str] = []
    wizard.model_chosen.connect(chosen.append)
    wizard.download_button.click()
    assert wizard.pages.currentIndex() == wizard.READY
    assert wizard.row is not None and wizard.row.isVisible()
    assert wizard.ready_title.text() == "Downloading gpt-oss-20b"
    assert not wizard.start_button.isEnabled()
    wait_until(qapp, lambda: wizard.start_button.isEnabled(), what="the model")
    view = downloads.view((REPO, NAME))
    assert view is not None and view.state is DownloadState.DONE
    assert wizard.ready_title.text() == "Tiny gpt-oss is ready"
    assert wizard.row.status.text() == "Downloaded and verified · 3.2 MB"
    assert "gpt-oss · MXFP4_MOE" in wizard.model_facts.text()
    wizard.start_button.click()
    dest = models_dir / "ggml-org" / "gpt-oss-20b-GGUF" / NAME
    assert chosen == [str(dest)] and wizard.result() == wizard.DialogCode.Accepted

    # Opened again later: the model is there, so the main button just uses it.
    again = widgets(WelcomeWizard(downloads, report=report))
    assert again.download_button.text() == "Use gpt-oss-20b"
    again.download_button.click()
    assert again.chosen == dest and again.start_button.isEnabled()
    assert ENTRY.repo_id == REPO


def test_a_gguf_already_on_disk(qapp: QApplication, widgets: Any, make_downloads: Any,
                                report: HardwareReport, gemma_path: Path,
                                make_gguf: GGUFFactory, tmp_path: Path,
                                models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    downloads = make_downloads()
    wizard = widgets(WelcomeWizard(downloads, report=report))
    wizard.show()
    chosen: list[str] = []
    wizard.model_chosen.connect(chosen.append)

    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 20)
    assert not wizard.use_file(bad)
    assert wizard.pages.currentIndex() == wizard.CHOOSE
    assert wizard.choose_error.isVisible()
    assert wizard.choose_error.text().startswith("Not added: broken.gguf ")
    assert wizard.choose_error.text().count("broken.gguf") == 1

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *_a, **_k: (str(gemma_path), "GGUF models (*.gguf)"))
    wizard.file_button.click()
    assert wizard.pages.currentIndex() == wizard.READY
    assert not wizard.choose_error.isVisible()
    assert wizard.ready_title.text() == "Gemma 3 270m is ready"
    assert "gemma3 · Q4_K_M · 268 M parameters" in wizard.model_facts.text()
    plan = wizard.plan_label.text()
    # One context everywhere: the one the engine loads with on Automatic.
    assert "16,384 tokens of context" in plan and "32k" not in wizard.model_facts.text()
    assert "words a second" in plan
    assert plan.startswith("Gemma 3 270m runs on your RTX 4060 Laptop GPU (8 GB)"), plan
    # Used in place: the library remembers it, nothing was copied.
    listed = Library(models_dir).models()
    assert [(m.path, m.referenced) for m in listed] == [(gemma_path, True)]

    # "Other models…" opens the Models window over the wizard; choosing there counts.
    wizard.back_button.click()
    wizard.other_button.click()
    models = wizard.findChild(ModelsDialog)
    assert models is not None and models.isVisible()
    wait_until(qapp, lambda: models.library_page.models, what="the library")
    assert models.library_page.selected() is not None
    models.library_page.use_button.click()
    assert wizard.pages.currentIndex() == wizard.READY and wizard.chosen == gemma_path
    wizard.start_button.click()
    assert chosen == [str(gemma_path)]
