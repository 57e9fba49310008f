"""In German, the Models window, the welcome wizard and This computer are German all
the way through: no visible text is an English source string or reads as English, no
label shows a stray "&", and no label is cut off.

Sentences made from the domain's facts (plans, verdicts, speeds, diagnoses) are the
ones that used to stay English; they are on screen in every check below.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QTabWidget,
    QWidget,
)

from app.hardware.detect import CpuInfo, GiB, HardwareReport, MemoryInfo
from app.hardware.facts import machine_facts
from app.hardware.plan import plan
from app.ui import i18n
from app.ui.computer import ComputerDialog
from app.ui.models_dialog import ModelsDialog
from app.ui.resources import translations_dir
from app.ui.welcome import WelcomeWizard
from tests.hardware.profiles import GPT_OSS_20B
from tests.ui_models.conftest import settle

# Words that are English and not German (nor names); a visible text with one of them
# was not translated.
ENGLISH = {"the", "and", "is", "are", "runs", "with", "your", "this", "of", "to", "for",
           "found", "needs", "memory", "words", "second", "fits", "slow", "download",
           "nothing", "what", "free", "about", "cannot", "will", "it", "on", "graphics"}
# Texts that are names, not words: a model's title, a path, a file name.
NAMES = re.compile(r"^(gpt-oss|Qwen3|Cove$|Hugging Face$|https?://|/|GGUF$|MXFP4)")


def _english_sources() -> set[str]:
    tree = ET.parse(translations_dir() / "cove_de.ts")
    found = set()
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        if source != (message.findtext("translation") or "") and len(source) > 3:
            found.add(source)
    return found


def _visible_texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    yield root, root.windowTitle()
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield widget, widget.text()
        elif isinstance(widget, QGroupBox):
            yield widget, widget.title()
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield widget, widget.tabText(i)


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text).replace("&amp;", "&")


def problems(root: QWidget) -> list[str]:
    """Every English text, stray "&" and cut-off label in ``root``, described."""
    sources = _english_sources()
    found = []
    for widget, text in _visible_texts(root):
        plain = _plain(text).strip()
        if not plain or NAMES.match(plain) or widget.objectName() == "cardTitle":
            continue
        if plain in sources or plain.replace("&", "") in sources:
            found.append(f"untranslated: {plain!r}")
            continue
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"\S*[/\\]\S*", "", plain))}
        if len(words & ENGLISH) >= 2:
            found.append(f"reads as English: {plain!r} ({sorted(words & ENGLISH)})")
        if isinstance(widget, QLabel):
            found += _label_problems(widget, plain)
    return found


def _label_problems(label: QLabel, plain: str) -> list[str]:
    out = []
    shows_amp = "&" in plain.replace("&&", "") and label.buddy() is None
    if shows_amp and "<" not in label.text():
        out.append(f"a visible '&': {plain!r}")
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            out.append(f"cut off ({label.height()} of {needed} px high): {plain!r}")
    elif label.pixmap().isNull() and label.width() + 1 < label.minimumSizeHint().width():
        out.append(f"cut off ({label.width()} of {label.minimumSizeHint().width()} px "
                   f"wide): {plain!r}")
    return out


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    assert i18n.install(qapp, "de") == "de"
    try:
        yield
    finally:
        i18n.install(qapp, "en")


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
        assert len(list(_visible_texts(dialog))) > 10  # the scan saw the page
    card = dialog.cards["gpt-oss-20b"].verdict.text()
    assert "Läuft langsam" in card and "Wörter pro Sekunde: brauchbar, langsam" in card


def test_the_welcome_wizard_is_german(qapp: QApplication, german: None, widgets: Any,
                                      make_downloads: Any) -> None:
    wizard = widgets(WelcomeWizard(make_downloads(), report=_two_core_machine()))
    _show(qapp, wizard)
    assert problems(wizard) == [] and len(list(_visible_texts(wizard))) > 10
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
    assert problems(dialog) == [] and len(list(_visible_texts(dialog))) > 20
    text = dialog.page.explanation.text()
    assert "läuft auf der CPU" in text and "16.384 Token" in text
    assert "Keine Grafikkarte" in dialog.page.report_text() or \
        "keine Grafikkarte" in dialog.page.report_text()


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
    assert "reads as English" in found and "a visible '&'" in found and "cut off" in found
