"""Screenshots of documents in the window: an answer that cites the page it came from,
with its sources listed under it, the chips of the attached files (one still being
indexed by meaning) and the context meter. Always rendered; saved to docs/screenshots/
when COVE_SCREENSHOTS is set (see tests/ui/test_screenshots.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.ui.chat.attachments import SourcesView
from tests.documents.pdfs import Page, wrap, write_pdf
from tests.ui.fixtures import settle
from tests.ui.test_screenshots import save
from tests.ui_documents.test_attachments import ask, chip, drop, ready

PAGES = {
    3: "Annual maintenance. The Dunmore Viaduct was inspected in March. Its 23 stone "
       "arches were found sound; two parapet stones on the north side were replaced.",
    9: "Budget. Repairs to the viaduct cost 41,200 pounds, within the 45,000 set aside; "
       "the remainder was moved to the drainage programme for the cuttings.",
}
FILLER = ("The line carried 1.2 million passengers this year, up four per cent. Timetables "
          "were unchanged apart from the summer Sunday service. ") * 4


def test_an_answer_with_its_sources(qapp: QApplication, make_window: Any, scripted: Any,
                                    tmp_path: Path) -> None:
    answer = ("The repairs cost **£41,200**, below the £45,000 budgeted [1]. The inspection "
              "in March had found the viaduct's **23 stone arches sound**; only two parapet "
              "stones were replaced [2].")
    client = scripted([], [answer[i:i + 12] for i in range(0, len(answer), 12)])
    window = make_window(client)
    window.resize(1280, 860)
    report = write_pdf(tmp_path / "railway-annual-report-2025.pdf", [
        Page(wrap(PAGES.get(n, "") + " " + FILLER)) for n in range(1, 41)])
    minutes = write_pdf(tmp_path / "board-minutes-april.pdf", [
        Page(wrap("The board approved the drainage programme. " + FILLER))
        for _ in range(12)])
    drop(window, report, minutes)
    ready(qapp, window, "railway-annual-report-2025.pdf")
    ready(qapp, window, "board-minutes-april.pdf")
    widget = ask(qapp, window, "What did the viaduct inspection find, and what did the "
                               "repairs cost?")
    sources = widget.findChild(SourcesView)
    assert sources is not None and len(sources.buttons) == 2
    assert "[1] railway-annual-report-2025.pdf, page 9" in sources.buttons[0].text()
    assert "[2] railway-annual-report-2025.pdf, page 3" in sources.buttons[1].text()
    # The second file is still being indexed by meaning (as with an embedding model).
    chip(window, "board-minutes-april.pdf").set_embedding(7, 24)
    settle(qapp, 0.3)
    for button in sources.buttons:  # a long source ends in "…" inside the column
        shown = button.fontMetrics().horizontalAdvance(button.text())
        assert shown <= button.width() and button.text().endswith("…")
        assert button.accessibleName() == button.full_text
    save(window, "documents-answer.png", tmp_path)
