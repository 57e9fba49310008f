"""Every string goes through Qt's translation, and the German one is complete."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.ui.language import i18n
from app.ui.widgets.resources import translations_dir

TS = translations_dir() / "cove_de.ts"
QM = translations_dir() / "cove_de.qm"
UI = Path(__file__).resolve().parents[2] / "app" / "ui"
# The modules whose strings must all be in cove_de.ts: the chat window's, and the models,
# downloads, welcome, plan settings and computer report windows'.
def _ui_modules() -> list[Path]:
    """Every module of app/ui, in its subpackages too (a new one cannot be missed)."""
    modules = sorted(UI.rglob("*.py"))
    assert len(modules) > 30
    return modules


def _messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS).getroot()
    return [(ctx.findtext("name") or "", m.findtext("source") or "", m.find("translation"))
            for ctx in root.iter("context") for m in ctx.iter("message")]  # type: ignore[misc]


def test_german_translation_is_complete_and_compiled() -> None:
    messages = _messages()
    assert len(messages) > 150
    unfinished = [src for _, src, tr in messages
                  if tr is None or tr.get("type") == "unfinished" or not (tr.text or "")]
    assert unfinished == []
    for _, src, tr in messages:
        for placeholder in re.findall(r"%\d", src):
            assert placeholder in (tr.text or ""), src
    assert QM.exists() and QM.stat().st_mtime >= TS.stat().st_mtime - 1


def test_the_ts_file_knows_every_string_in_the_code() -> None:
    sources = {src for _, src, _ in _messages()}
    in_code: set[str] = set()
    for module in _ui_modules():
        text = module.read_text(encoding="utf-8")
        for match in re.finditer(r'(?:\.tr|translate)\((?:"[A-Za-z]+",\s*)?((?:"[^"]*"\s*)+)\)',
                                 text):
            # the literals as Python reads them: adjacent ones joined, "\\n" a newline
            in_code.add(ast.literal_eval(f"({match.group(1)})"))
    assert in_code - sources == set()


def test_window_speaks_german(qapp: QApplication, make_window) -> None:
    assert i18n.install(qapp, "de") == "de"
    try:
        window = make_window()
        assert window.sidebar.new_button.text() == "Neuer Chat"
        assert window.composer.hint.text() == "Öffne ein Modell, um zu beginnen."
        assert window.composer.effort.currentText() == "Mittlerer Aufwand"
        assert window.topbar.model_button.text() == "Kein Modell"
        assert window.sidebar.export_action.text() == "Gespräch exportieren …"
        assert window.files.tr("The file could not be imported") == \
            "Die Datei konnte nicht importiert werden"
        from app.ui.language.user_errors import describe

        assert describe("worker_crashed", "x").title == "Das Modell wurde unerwartet beendet"
    finally:
        i18n.install(qapp, "en")


def test_system_language_falls_back_to_english() -> None:
    assert i18n.resolve("en") == "en" and i18n.resolve("de") == "de"
    assert i18n.resolve("system") in i18n.SUPPORTED
