"""In German, the Models window, the welcome wizard and This computer are German all
the way through: no visible text is an English source string or reads as English, no
label shows a stray "&", and no label is cut off.

Sentences made from the domain's facts (plans, verdicts, speeds, diagnoses) are the
ones that used to stay English; they are on screen in every check below.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.hardware.detect import CpuInfo, GiB, GpuInfo, HardwareReport, MemoryInfo
from app.hardware.facts import machine_facts
from app.hardware.plan import fallback_plans, plan
from app.models.downloads import DownloadState
from app.ui.dialogs.computer import ComputerDialog
from app.ui.dialogs.models_dialog import ModelsDialog
from app.ui.dialogs.welcome import WelcomeWizard
from app.ui.services.model_downloads import DownloadRow
from tests.hardware.profiles import GPT_OSS_20B
from tests.models.hub_server import HubServer
from tests.ui.german import english_words, problems, visible_texts
from tests.ui_models.conftest import ENTRY, NAME, REPO, settle, wait_until


def _two_core_machine() -> HardwareReport:
    """The issue's machine: two cores, no GPU (the diagnosis and the slow verdict show)."""
    return HardwareReport(os="Linux", os_version="6.8", arch="x86_64",
                          cpu=CpuInfo(model="AMD EPYC", physical_cores=2, logical_cores=2,
                                      performance_cores=2),
                          memory=MemoryInfo(total_bytes=32 * GiB, available_bytes=28 * GiB))


def _show(qapp: QApplication, widget: QWidget) -> None:
    widget.resize(800, 600)
    widget.show()
    settle(qapp)


def test_the_models_window_is_german(qapp: QApplication, german: None, widgets: Any,
                                     make_downloads: Any) -> None:
    dialog = widgets(ModelsDialog(make_downloads(), report=_two_core_machine()))
    _show(qapp, dialog)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        settle(qapp)
        assert problems(dialog) == [], dialog.tabs.tabText(index)
        assert len(list(visible_texts(dialog))) > 10  # the scan saw the page
    card = dialog.cards["gpt-oss-20b"].verdict.text()
    assert "Läuft langsam" in card and "Wörter pro Sekunde: brauchbar, langsam" in card


def test_the_welcome_wizard_is_german(qapp: QApplication, german: None, widgets: Any,
                                      make_downloads: Any) -> None:
    wizard = widgets(WelcomeWizard(make_downloads(), report=_two_core_machine()))
    _show(qapp, wizard)
    assert problems(wizard) == [] and len(list(visible_texts(wizard))) > 10
    assert "etwa 4 Wörter pro Sekunde: brauchbar, langsam" in wizard.verdict_label.text()


def test_this_computer_is_german(qapp: QApplication, german: None, widgets: Any,
                                 tmp_path: Path) -> None:
    report = _two_core_machine()
    dialog = widgets(ComputerDialog(auto_detect=False, speed_tests_file=tmp_path / "s.json",
                                    engine_report_file=tmp_path / "e.json"))
    chosen = plan(GPT_OSS_20B, machine_facts(report), 16384)
    dialog.page.set_report(report, GPT_OSS_20B)
    dialog.page.set_model_info({"name": "gpt-oss-20b", "path": "/m/gpt-oss-20b.gguf",
                                "backend": "CPU", "n_ctx": chosen.n_ctx,
                                "n_threads": chosen.n_threads, "plan": chosen.to_dict(),
                                "explanation": chosen.explanation,
                                "gpu_offload_supported": False, "backends": ["CPU"]})
    _show(qapp, dialog)
    assert problems(dialog) == [] and len(list(visible_texts(dialog))) > 20
    text = dialog.page.explanation.text()
    assert "läuft auf der CPU" in text and "16.384 Token" in text
    assert "Keine Grafikkarte" in dialog.page.report_text() or \
        "keine Grafikkarte" in dialog.page.report_text()


def test_what_did_not_work_is_german(qapp: QApplication, german: None, widgets: Any,
                                     tmp_path: Path) -> None:
    """A model that fell back from the GPU to the CPU: the plans tried before, as the
    worker reports them (``fallbacks_failed``), and why, in German."""
    report = HardwareReport(os="Linux", os_version="6.8", arch="x86_64",
                            cpu=_two_core_machine().cpu,
                            memory=MemoryInfo(total_bytes=32 * GiB, available_bytes=28 * GiB),
                            gpus=[GpuInfo(name="NVIDIA GeForce RTX 4060", vendor="NVIDIA",
                                          memory_total_bytes=8 * GiB,
                                          memory_free_bytes=7 * GiB, source="nvml")])
    first = plan(GPT_OSS_20B, machine_facts(report), 16384)
    tries = fallback_plans(first)
    assert first.uses_gpu and [t.fallback for t in tries][:2] == ["less_gpu", "cpu_only"]
    used = tries[1]
    dialog = widgets(ComputerDialog(auto_detect=False, speed_tests_file=tmp_path / "s.json",
                                    engine_report_file=tmp_path / "e.json"))
    dialog.page.set_report(report, GPT_OSS_20B)
    dialog.page.set_model_info({
        "name": "gpt-oss-20b", "path": "/m/gpt-oss-20b.gguf", "backend": "CPU",
        "n_ctx": used.n_ctx, "n_threads": used.n_threads, "plan": used.to_dict(),
        "explanation": used.explanation, "gpu_offload_supported": True,
        "backends": ["CPU", "CUDA"],
        "fallbacks_tried": [f"{first.explanation} — failed: cudaMalloc failed: out of memory",
                            f"{tries[0].explanation} — the worker stopped while loading"],
        "fallbacks_failed": [{"plan": first.to_dict(), "crashed": False},
                             {"plan": tries[0].to_dict(), "crashed": True}]})
    _show(qapp, dialog)
    notes = dialog.page.plan_notes
    assert notes.isVisible() and problems(dialog) == []
    lines = notes.text().splitlines()
    assert len(lines) == 3 and all(line.startswith("• ") for line in lines[1:])
    assert "CPU" in lines[0] and "cudaMalloc" not in notes.text()
    assert all("16.384 Token" in line for line in lines[1:]), lines
    english = [line for line in lines if len(english_words(line)) >= 2]
    assert english == [], english


@pytest.mark.parametrize("problem", ["damaged", "disk", "offline", "gated", "no_repo",
                                     "no_file", "cut", "server"])
def test_download_failures_are_german(qapp: QApplication, german: None, widgets: Any,
                                      make_downloads: Any, hub: HubServer, served: Path,
                                      problem: str) -> None:
    """Each failure the loopback Hub can really produce, as the download row shows it."""
    options: dict[str, Any] = {}
    entry = ENTRY
    if problem == "damaged":
        hub.faults.corrupt = True
    elif problem == "disk":
        options["free_space"] = lambda _path: 1_000_000
    elif problem == "offline":
        hub.stop()
    elif problem == "gated":
        hub.add_repo(REPO, {NAME: served}, gated=True)
    elif problem == "no_repo":
        entry = replace(ENTRY, repo_id="nobody/nothing-here")
    elif problem == "no_file":
        entry = replace(ENTRY, filename="gpt-oss-20b-missing.gguf")
    elif problem == "cut":
        hub.faults.drop_after, hub.faults.drops = 0, 1000
    else:
        hub.faults.status = 403
    downloads = make_downloads(hub.url, **options)
    dialog = widgets(ModelsDialog(downloads, report=_two_core_machine()))
    _show(qapp, dialog)
    dialog.downloads.download_entry(entry)
    key = (entry.repo_id, entry.filename)
    wait_until(qapp, lambda: getattr(downloads.view(key), "state", None)
               is DownloadState.FAILED, what="the failure")
    settle(qapp)
    shown = next(r for r in dialog.findChildren(DownloadRow) if r.key == key)
    english = downloads.view(key).error  # type: ignore[union-attr]
    german = shown.error.text()
    assert shown.error.isVisible() and german and german != english
    assert len(english_words(german)) < 2, german
    assert problems(dialog) == [], german


def test_the_checks_catch_what_they_look_for(qapp: QApplication, widgets: Any) -> None:
    """English, a stray '&' and a cut-off label are each reported (the checks can fail)."""
    root = widgets(QWidget())
    QLabel("The model runs on the CPU", root).move(0, 0)
    QLabel("Zugriffs&token:", root).move(0, 30)
    cut = QLabel("Nachvollziehbares Denken und noch mehr Text", root)
    cut.setWordWrap(True)
    cut.setGeometry(0, 60, 60, 10)
    root.resize(400, 200)
    root.show()
    settle(qapp)
    found = "\n".join(problems(root))
    assert "reads as English" in found and "a visible '&'" in found and "cut top" in found
