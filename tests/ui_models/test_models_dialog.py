"""The Models window with real widgets, real GGUF files and real downloads over HTTP
from the fake Hub on 127.0.0.1: verdicts, no network until Download, progress, pause
and resume, several queued, the messages for a damaged file, a full disk and a lost
connection, a download left by an earlier session, import (copy, in place, dropped),
delete with confirmation, verify, and the token and mirror settings."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from app.hardware.detect import HardwareReport
from app.hardware.facts import machine_facts
from app.models.catalog import find
from app.models.downloads import DownloadState, human_size, partial_path, sidecar_path
from app.ui.dialogs.models_dialog import ModelsDialog
from app.ui.services.model_downloads import DownloadRow, ModelDownloads, key_of
from tests.models.conftest import GGUFFactory, MemoryKeyring
from tests.models.hub_server import HubServer
from tests.ui_models.conftest import ENTRY, NAME, REPO, settle, wait_until


def open_dialog(qapp: QApplication, widgets: Callable[..., Any], downloads: ModelDownloads,
                report: HardwareReport, **kwargs: Any) -> ModelsDialog:
    dialog = ModelsDialog(downloads, report=report, **kwargs)
    loaded: list[bool] = []
    dialog.library_refreshed.connect(lambda: loaded.append(True))
    widgets(dialog)
    dialog.show()
    wait_until(qapp, lambda: loaded, what="the library")
    return dialog


def refreshed(qapp: QApplication, dialog: ModelsDialog, action: Callable[[], Any]) -> Any:
    """Do ``action`` and wait until the library list has been read again."""
    seen: list[bool] = []
    dialog.library_refreshed.connect(lambda: seen.append(True))
    result = action()
    wait_until(qapp, lambda: seen, what="the library to refresh")
    return result


def row(dialog: ModelsDialog, key: tuple[str, str] = (REPO, NAME)) -> DownloadRow:
    return dialog.download_list.rows[key]


def state(downloads: ModelDownloads, key: tuple[str, str] = (REPO, NAME)) -> Any:
    view = downloads.view(key)
    return view.state if view is not None else None


def done(downloads: ModelDownloads) -> int:
    view = downloads.view((REPO, NAME))
    return view.progress.done if view is not None else 0


def texts(dialog: ModelsDialog, column: int) -> list[str]:
    return [dialog.library_page.table.topLevelItem(i).text(column)  # type: ignore[union-attr]
            for i in range(dialog.library_page.table.topLevelItemCount())]


def test_opening_shows_verdicts_and_makes_no_network_request(
        qapp: QApplication, widgets: Any, make_downloads: Any, hub: HubServer,
        served: Path, report: HardwareReport, monkeypatch: pytest.MonkeyPatch) -> None:
    connects: list[Any] = []
    real_connect = socket.socket.connect

    def spy(sock: socket.socket, address: Any) -> Any:
        connects.append(address)
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    dialog = open_dialog(qapp, widgets, make_downloads(hub.url), report)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        settle(qapp)

    assert connects == [] and hub.log == []  # nothing reached the network
    assert not dialog.downloads_box.isVisible()
    assert not dialog.library_page.library_empty.isHidden() and dialog.library_page.table.isHidden()
    summary = next(label.text() for label in dialog.findChildren(QLabel)
                   if label.accessibleName() == "This computer")
    assert "32 GB of RAM" in summary and "RTX 4060 Laptop GPU with 8 GB" in summary
    small, large = dialog.cards["gpt-oss-20b"], dialog.cards["gpt-oss-120b"]
    assert small.property("recommended") and not large.property("recommended")
    assert "Runs well" in small.verdict.text() and "Won't fit" in large.verdict.text()
    assert "about 16 words a second: good" in small.verdict.text()
    assert small.button.text() == "Download (12.1 GB)"
    assert small.button.accessibleName() == "Download gpt-oss-20b (12.1 GB)"


def test_download_shows_progress_pauses_resumes_and_becomes_a_model(
        qapp: QApplication, widgets: Any, make_downloads: Any, hub: HubServer,
        served: Path, report: HardwareReport, models_dir: Path) -> None:
    downloads = make_downloads(hub.url)
    dialog = open_dialog(qapp, widgets, downloads, report)
    assert dialog.tabs.currentIndex() == dialog.CATALOG_TAB  # no models yet: the catalog
    card = dialog.cards["gpt-oss-20b"]
    hub.faults.throttle_bps = 1_000_000  # 1 MB at once, then a second per MB
    card.button.click()
    wait_until(qapp, lambda: REPO in str(dialog.download_list.rows), what="a row")
    shown = row(dialog)
    assert dialog.downloads_box.isVisible()
    wait_until(qapp, lambda: shown.bar.value() > 0, what="progress")
    assert " of 3.2 MB" in shown.status.text()
    assert card.button.text() == "Downloading…" and not card.button.isEnabled()
    assert shown.pause_button.isVisible() and not shown.resume_button.isVisible()

    shown.pause_button.click()
    wait_until(qapp, lambda: state(downloads) is DownloadState.PAUSED, what="the pause")
    settle(qapp)
    dest = models_dir / "ggml-org" / "gpt-oss-20b-GGUF" / NAME
    kept = partial_path(dest).stat().st_size
    assert 0 < kept < served.stat().st_size
    assert shown.status.text().startswith("Paused · ")
    assert shown.resume_button.isVisible() and not shown.pause_button.isVisible()
    assert card.button.text() == "Resume"

    hub.faults.throttle_bps = None
    seen: list[str] = []
    dialog.library_refreshed.connect(lambda: seen.append("listed"))
    shown.resume_button.click()
    wait_until(qapp, lambda: state(downloads) is DownloadState.DONE and seen,
               what="the download to finish and be listed")
    ranges = [r.range for r in hub.file_requests(NAME)]
    assert ranges[-1] == f"bytes={kept}-"  # resumed from the partial file, not from zero
    assert dest.read_bytes() == served.read_bytes()
    assert shown.status.text() == "Downloaded and verified · 3.2 MB"
    assert shown.dismiss_button.isVisible() and not shown.cancel_button.isVisible()

    assert texts(dialog, 0) == ["Tiny gpt-oss"]
    assert [texts(dialog, c)[0] for c in range(1, 7)] == [
        "3.2 MB", "gpt-oss", "MXFP4_MOE", "131,072 tokens", "800 k", "Cove's folder"]
    assert "downloaded from ggml-org/gpt-oss-20b-GGUF" in dialog.library_page.details.text()

    # Verify: the sha256 of a download is checked again, with progress.
    task = dialog.verify(dialog.library_page.models[0])
    wait_until(qapp, lambda: dialog.library_page.task_bar.isHidden(), what="verification")
    assert task is not None
    assert "intact (checksum verified)" in dialog.library_page.library_status.text()
    with dest.open("r+b") as f:
        f.seek(-10, os.SEEK_END)
        f.write(b"x")
    dialog.verify(dialog.library_page.models[0])
    wait_until(qapp, lambda: dialog.library_page.task_bar.isHidden(), what="verification")
    assert "is damaged" in dialog.library_page.library_status.text()
    assert dialog.library_page.library_status.property("error") is True

    chosen: list[str] = []
    dialog.model_chosen.connect(chosen.append)
    assert card.button.text() == "Use"
    card.button.click()
    assert chosen == [str(dest)] and not dialog.isVisible()


def test_several_downloads_queue_and_a_queued_one_cancels(
        qapp: QApplication, widgets: Any, make_downloads: Any, hub: HubServer,
        served: Path, report: HardwareReport, make_gguf: GGUFFactory,
        tmp_path: Path) -> None:
    other = find("gpt-oss-20b-unsloth-q4_k_m")
    assert other is not None
    hub.add_repo(other.repo_id, {other.filename: make_gguf(
        other.filename, elements=1000, folder=tmp_path / "hub2")})
    downloads = make_downloads(hub.url)
    dialog = open_dialog(qapp, widgets, downloads, report)
    hub.faults.throttle_bps = 2_000_000
    dialog.cards["gpt-oss-20b"].button.click()
    dialog.cards["gpt-oss-20b-unsloth-q4_k_m"].button.click()
    wait_until(qapp, lambda: len(dialog.download_list.rows) == 2, what="two rows")
    second = row(dialog, key_of(other))
    assert second.status.text() == "Waiting for the download before it"
    second.cancel_button.click()
    wait_until(qapp, lambda: key_of(other) not in dialog.download_list.rows,
               what="the cancelled row to go")
    hub.faults.throttle_bps = None
    wait_until(qapp, lambda: state(downloads) is DownloadState.DONE, what="the first")
    assert hub.file_requests(other.filename) == []  # the cancelled one never started
    assert dialog.cards["gpt-oss-20b-unsloth-q4_k_m"].button.text().startswith("Download")


@pytest.mark.parametrize("problem", ["damaged", "disk", "offline"])
def test_failures_say_what_happened(qapp: QApplication, widgets: Any, make_downloads: Any,
                                    hub: HubServer, served: Path, report: HardwareReport,
                                    models_dir: Path, problem: str) -> None:
    options: dict[str, Any] = {}
    if problem == "damaged":
        hub.faults.corrupt = True
    elif problem == "disk":
        options["free_space"] = lambda _path: 1_000_000
    else:
        hub.stop()  # the connection is gone
    downloads = make_downloads(hub.url, **options)
    dialog = open_dialog(qapp, widgets, downloads, report)
    dialog.cards["gpt-oss-20b"].button.click()
    wait_until(qapp, lambda: state(downloads) is DownloadState.FAILED, what="the failure")
    settle(qapp)
    shown = row(dialog)
    message = shown.error.text()
    assert shown.error.isVisible() and shown.status.text().startswith("Stopped")
    assert shown.resume_button.text() == "Try again" and shown.cancel_button.isVisible()
    dest = models_dir / "ggml-org" / "gpt-oss-20b-GGUF" / NAME
    if problem == "damaged":
        assert "is damaged: its checksum (sha256) does not match" in message
        assert "The bad data was deleted" in message
        assert not partial_path(dest).exists() and not dest.exists()
    elif problem == "disk":
        assert message.startswith("Not enough disk space for gpt-oss-20b-mxfp4.gguf")
        assert "1.0 MB is free" in message and "Nothing was lost" in message
    else:
        assert message.startswith("Cove cannot reach http://127.0.0.1:")
        assert "Check the internet connection" in message
    assert dialog.cards["gpt-oss-20b"].button.text() == "Resume"


def test_a_download_left_by_an_earlier_session_resumes_from_its_partial_file(
        qapp: QApplication, widgets: Any, make_downloads: Any, hub: HubServer,
        served: Path, report: HardwareReport, models_dir: Path) -> None:
    first = make_downloads(hub.url)
    hub.faults.throttle_bps = 1_000_000
    first.download_entry(ENTRY)
    wait_until(qapp, lambda: done(first) > 0, what="some bytes")
    first.close()  # the app quits: the download pauses, its partial file stays
    dest = models_dir / "ggml-org" / "gpt-oss-20b-GGUF" / NAME
    kept = partial_path(dest).stat().st_size
    assert kept > 0 and sidecar_path(dest).exists()

    requests = len(hub.log)
    later = make_downloads(hub.url)
    dialog = open_dialog(qapp, widgets, later, report)
    shown = row(dialog)
    assert len(hub.log) == requests  # listing it asked nobody
    assert shown.status.text() == \
        f"Paused in an earlier session · {human_size(kept)} of 3.2 MB downloaded"
    assert dialog.cards["gpt-oss-20b"].button.text() == "Resume"
    hub.faults.throttle_bps = None
    shown.resume_button.click()
    wait_until(qapp, lambda: state(later) is DownloadState.DONE, what="the download")
    assert hub.file_requests(NAME)[-1].range == f"bytes={kept}-"
    assert dest.read_bytes() == served.read_bytes()


def test_import_copied_in_place_or_dropped(qapp: QApplication, widgets: Any,
                                           make_downloads: Any, report: HardwareReport,
                                           make_gguf: GGUFFactory, tmp_path: Path,
                                           models_dir: Path) -> None:
    dialog = open_dialog(qapp, widgets, make_downloads(), report)
    mine = make_gguf("mine.gguf", folder=tmp_path / "elsewhere")
    refreshed(qapp, dialog, lambda: dialog.import_path(mine, copy=False))
    assert texts(dialog, 0) == ["Tiny gpt-oss"] and texts(dialog, 6) == ["In place"]
    assert dialog.library_page.library_status.text() == "Added Tiny gpt-oss."
    assert dialog.library_page.details.text() == str(mine)

    # Dropped: the window asks copy or in place (answered here by a click on "Copy").
    dropped = make_gguf("dropped.gguf", arch="llama", file_type=15, context=4096,
                        folder=tmp_path / "downloads")
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        copy = next(b for b in box.buttons() if b.text() == "Copy into Cove's folder")
        copy.click()

    QTimer.singleShot(0, answer)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    refreshed(qapp, dialog, lambda: dialog.dropEvent(event))
    assert asked == ["How should Cove keep dropped.gguf?"]
    assert (models_dir / "imported" / "dropped.gguf").read_bytes() == dropped.read_bytes()
    assert sorted(zip(texts(dialog, 2), texts(dialog, 6))) == [
        ("gpt-oss", "In place"), ("llama", "Cove's folder")]
    chosen = dialog.library_page.selected()
    assert chosen is not None and chosen.architecture == "llama"

    # Not a GGUF: refused with the reason, nothing added.
    bad = tmp_path / "elsewhere" / "notes.gguf"
    bad.write_bytes(b"these are my notes, not a model" * 100)
    dialog.import_path(bad, copy=True)
    wait_until(qapp, lambda: dialog.library_page.library_status.property("error") is True,
               what="the refusal")
    shown = dialog.library_page.library_status.text()
    assert shown.startswith("Not added: notes.gguf is not a GGUF model file.")
    assert shown.count("notes.gguf") == 1  # the check's sentence names it; no prefix again
    assert not (models_dir / "imported" / "notes.gguf").exists()


def test_delete_asks_first_and_keeps_referenced_files(
        qapp: QApplication, widgets: Any, make_downloads: Any, report: HardwareReport,
        make_gguf: GGUFFactory, tmp_path: Path, models_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    copied = make_gguf("copied.gguf", folder=models_dir / "imported")
    referenced = make_gguf("referenced.gguf", arch="llama", folder=tmp_path / "mine")
    dialog = open_dialog(qapp, widgets, make_downloads(), report)
    refreshed(qapp, dialog, lambda: dialog.import_path(referenced, copy=False))
    questions: list[tuple[str, str]] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent: Any, title: str, text: str, *_args: Any) -> Any:
        questions.append((title, text))
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    assert dialog.library_page.select_model(copied)
    dialog.library_page.delete_button.click()
    assert questions[-1][0] == "Delete the model?"
    size = human_size(copied.stat().st_size)
    assert f"This frees {size} of disk space" in questions[-1][1]
    assert copied.exists() and len(dialog.library_page.models) == 2  # "No" deletes nothing

    answer = QMessageBox.StandardButton.Yes
    released: list[tuple[str, bool]] = []
    dialog.deleting.connect(lambda path: released.append((path, Path(path).exists())))
    refreshed(qapp, dialog, dialog.library_page.delete_button.click)
    assert released == [(str(copied), True)]  # told before the file went
    assert not copied.exists() and texts(dialog, 2) == ["llama"]
    assert dialog.library_page.library_status.text() == f"Tiny gpt-oss was deleted ({size} freed)."

    assert dialog.library_page.select_model(referenced)
    refreshed(qapp, dialog, dialog.library_page.delete_button.click)
    assert questions[-1][0] == "Remove from the library?"
    assert "The file itself stays where it is" in questions[-1][1]
    assert referenced.exists() and dialog.library_page.models == []
    assert not dialog.library_page.library_empty.isHidden()
    assert "the file itself is kept" in dialog.library_page.library_status.text()


def test_token_goes_to_the_keyring_and_opens_a_gated_model(
        qapp: QApplication, widgets: Any, make_downloads: Any, hub: HubServer,
        served: Path, report: HardwareReport, memory_keyring: MemoryKeyring,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hub.add_repo(REPO, {NAME: served}, gated=True)
    downloads = make_downloads()  # huggingface.co until a mirror is set
    dialog = open_dialog(qapp, widgets, downloads, report)
    assert memory_keyring.store == {}
    dialog.tabs.setCurrentIndex(dialog.ACCOUNT_TAB)
    assert dialog.token_status.text().startswith("No token saved.")
    assert not dialog.forget_token_button.isEnabled()

    dialog.token_edit.setText(hub.state.token)
    dialog.save_token_button.click()
    assert memory_keyring.store == {("Cove", "huggingface-token"): hub.state.token}
    assert dialog.token_edit.text() == ""  # never left on screen
    assert dialog.token_status.text().startswith("A token is saved")

    endpoints: list[str] = []
    dialog.endpoint_changed.connect(endpoints.append)
    dialog.endpoint_edit.setText("hub.local")
    dialog.save_endpoint_button.click()
    assert dialog.endpoint_status.property("error") is True and endpoints == []
    dialog.endpoint_edit.setText(hub.url + "/")
    dialog.save_endpoint_button.click()
    assert endpoints == [hub.url] and downloads.endpoint == hub.url
    assert dialog.endpoint_status.text() == f"New downloads come from {hub.url}."

    dialog.download(ENTRY)
    wait_until(qapp, lambda: state(downloads) is DownloadState.DONE, what="the download")
    assert all(r.authorized for r in hub.file_requests(NAME))
    assert hub.state.token not in caplog.text

    dialog.forget_token_button.click()
    assert memory_keyring.store == {}
    assert dialog.token_status.text().startswith("No token saved.")


def test_cancelling_a_large_download_asks_first(
        qapp: QApplication, widgets: Any, make_downloads: Any, hub: HubServer,
        served: Path, report: HardwareReport, models_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.ui.services.model_downloads.CONFIRM_CANCEL_BYTES", 1)
    downloads = make_downloads(hub.url)
    dialog = open_dialog(qapp, widgets, downloads, report)
    hub.faults.throttle_bps = 1_000_000
    dialog.cards["gpt-oss-20b"].button.click()
    wait_until(qapp, lambda: REPO in str(dialog.download_list.rows), what="a row")
    shown = row(dialog)
    wait_until(qapp, lambda: shown.bar.value() > 0, what="progress")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: answers.pop(0))
    shown.cancel_button.click()
    settle(qapp)
    assert state(downloads) is DownloadState.RUNNING
    shown.cancel_button.click()
    wait_until(qapp, lambda: (REPO, NAME) not in dialog.download_list.rows,
               what="the row to go")
    dest = models_dir / "ggml-org" / "gpt-oss-20b-GGUF" / NAME
    assert not partial_path(dest).exists() and not sidecar_path(dest).exists()
    assert not dialog.downloads_box.isVisible()


def test_a_downloaded_embedding_model_serves_documents_not_chat(
        qapp: QApplication, widgets: Any, make_downloads: Any, report: HardwareReport,
        models_dir: Path, make_gguf: GGUFFactory) -> None:
    from app.models.downloads import model_dir

    entry = find("qwen3-embedding-0.6b")
    assert entry is not None and entry.embedding
    make_gguf(entry.filename, folder=model_dir(models_dir, entry.repo_id), arch="qwen3",
              pooling=3)
    dialog = open_dialog(qapp, widgets, make_downloads(), report)
    card = dialog.cards[entry.key]
    assert card.button.text() == "Used for documents" and not card.button.isEnabled()
    chosen: list[str] = []
    dialog.model_chosen.connect(chosen.append)
    dialog.tabs.setCurrentIndex(dialog.LIBRARY_TAB)
    assert dialog.library_page.select_model(model_dir(models_dir, entry.repo_id) / entry.filename)
    assert not dialog.library_page.use_button.isEnabled()
    assert "Not a chat model" in dialog.library_page.details.text()
    table = dialog.library_page.table
    table.itemDoubleClicked.emit(table.currentItem(), 0)  # a double click on its row
    assert chosen == []


def _answer_next_box(clicked: str, seen: list[str]) -> None:
    """Answer the message box that is about to open by clicking ``clicked``."""
    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(f"{box.text()}\n{box.informativeText()}")
        next(b for b in box.buttons() if b.text() == clicked).click()

    QTimer.singleShot(0, answer)


def test_a_model_that_wont_fit_is_downloaded_only_after_asking(
        qapp: QApplication, widgets: Any, make_downloads: Any, hub: HubServer,
        report: HardwareReport, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", lambda _s, a: None)
    downloads = make_downloads(hub.url)
    dialog = open_dialog(qapp, widgets, downloads, report)
    large = dialog.cards["gpt-oss-120b"]
    entry = find("gpt-oss-120b")
    assert entry is not None
    assert "Won't fit" in large.verdict.text() and large.button.isEnabled()

    seen: list[str] = []
    _answer_next_box("Cancel", seen)
    large.button.click()
    assert len(seen) == 1 and seen[0].startswith("gpt-oss-120b will not run on this computer.")
    assert "Needs about 61 GB of memory; this computer has 32 GB of RAM" in seen[0]
    assert downloads.view(key_of(entry)) is None  # nothing started

    # The small model fits: no question at all.
    small = dialog.cards["gpt-oss-20b"]
    assert "Won't fit" not in small.verdict.text()


def test_the_speed_test_replaces_the_estimate(
        qapp: QApplication, widgets: Any, make_downloads: Any,
        report: HardwareReport) -> None:
    from app.ui.dialogs.computer_speed import save_speed_test, speed_tests_path

    path = speed_tests_path()
    before = path.read_bytes() if path.exists() else None
    entry = find("gpt-oss-20b")
    assert entry is not None
    try:
        save_speed_test({"model_path": f"/models/{entry.filename}", "model": "gpt-oss-20b",
                         "generation_tokens_per_s": 3.2, "prompt_tokens_per_s": 40.0})
        dialog = open_dialog(qapp, widgets, make_downloads(), report)
        text = dialog.cards["gpt-oss-20b"].verdict.text()
        assert "Runs slowly" in text and "measured 3 words a second: usable, slow" in text
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)


def test_a_speed_test_of_one_model_corrects_the_others_estimates(
        qapp: QApplication, widgets: Any, make_downloads: Any,
        report: HardwareReport) -> None:
    from app.models.catalog import Machine
    from app.ui.dialogs.computer_speed import save_speed_test, speed_tests_path
    from app.ui.dialogs.model_cards import entry_verdict

    path = speed_tests_path()
    before = path.read_bytes() if path.exists() else None
    tested, other = find("gpt-oss-20b"), find("gpt-oss-20b-unsloth-q4_k_m")
    assert tested is not None and other is not None
    facts = machine_facts(report)
    estimate = other.verdict(Machine.coerce(facts)).speed
    assert estimate is not None
    try:
        # This computer turned out twice as fast as estimated for the tested model.
        save_speed_test({"model_path": f"/models/{tested.filename}", "model": "gpt-oss-20b",
                         "generation_tokens_per_s": 8.0, "estimated_tokens_per_s": 4.0})
        corrected = entry_verdict(other, facts).speed
        assert corrected is not None and not corrected.measured
        assert corrected.tok_s == pytest.approx(estimate.tok_s * 2, rel=0.02)
        dialog = open_dialog(qapp, widgets, make_downloads(), report)
        assert "measured" not in dialog.cards[other.key].verdict.text()
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)
