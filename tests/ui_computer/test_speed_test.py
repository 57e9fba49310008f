"""The speed test on the real worker with the gemma model: measured, stored in
speedtests.json, shown with its date; and the page's screenshot after it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.engine.client import EngineClient
from app.ui.dialogs import computer_speed
from app.ui.dialogs.computer import ComputerDialog, ComputerPage
from app.ui.dialogs.computer_speed import (
    date_text,
    latest_speed_test,
    load_speed_tests,
    save_speed_test,
    speed_test_result,
)
from tests.ui_computer.conftest import MakePage, wait_until

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.slow


def _run(qapp: QApplication, page: ComputerPage) -> dict[str, Any]:
    finished: list[dict[str, Any]] = []
    failed: list[str] = []
    page.speed_test_finished.connect(finished.append)
    page.speed_test_failed.connect(failed.append)
    assert page.speed.test_button.isEnabled()
    page.speed.test_button.click()
    assert page.speed.testing and not page.speed.test_button.isVisibleTo(page)
    assert page.speed.cancel_button.isVisibleTo(page) and page.speed.progress.isVisibleTo(page)
    wait_until(qapp, lambda: finished or failed, 120, "the speed test")
    assert failed == []
    return finished[0]


def test_speed_test_on_the_real_worker(qapp: QApplication, make_page: MakePage,
                                       gemma_client: EngineClient, tmp_path: Path) -> None:
    page = make_page(client=gemma_client)
    page.set_model_info(gemma_client.info)
    wait_until(qapp, lambda: page.report is not None and page.model is not None, 20,
               "detection and the model's header")
    assert page.model is not None and page.model.n_layer == 18
    assert page.explanation.text() == gemma_client.info["explanation"]
    assert page.speed.result_label.isHidden()

    progress: list[tuple[str, int, int]] = []
    page.speed_test_progress.connect(lambda *a: progress.append(a))
    first = _run(qapp, page)
    assert not page.speed.testing and page.speed.test_button.isEnabled()
    assert 250 <= first["prompt_tokens"] <= 400  # the cache was not reused: ~300 read
    assert first["prompt_tokens_per_s"] > 0 and first["generation_tokens_per_s"] > 0
    assert first["completion_tokens"] > 1
    assert first["model_path"] == gemma_client.info["path"]
    assert first["backend"] == "CPU" and first["n_threads"] == gemma_client.info["n_threads"]
    assert any(stage == "generate" for stage, _, _ in progress)

    stored = json.loads((tmp_path / "speedtests.json").read_text())
    assert stored["version"] == 1 and stored["results"] == [first]
    text = page.speed.result_label.text()
    assert "tokens/s reading the prompt" in text and "tokens/s writing the answer" in text
    assert "Measured " in text and "Gemma" in text
    assert page.speed.history.rowCount() == 1
    cell = page.speed.history.item(0, 4)
    assert cell is not None and "tok/s" in cell.text()

    # A second run reads the prompt again (a fresh tag defeats the KV cache reuse).
    second = _run(qapp, page)
    assert 250 <= second["prompt_tokens"] <= 400
    assert len(load_speed_tests(tmp_path / "speedtests.json")) == 2
    assert page.speed.history.rowCount() == 2

    # A new page (the next start of Cove) shows the stored result with its date.
    again = make_page(client=gemma_client, auto_detect=False)
    again.set_model_info(gemma_client.info)
    assert not again.speed.result_label.isHidden()
    assert date_text(second["date"]) in again.speed.result_label.text()

    # The window is busy writing an answer: no test until it is done.
    again.set_engine_busy(True)
    assert not again.speed.test_button.isEnabled()
    assert "once the answer is written" in again.speed.test_status.text()
    again.set_engine_busy(False)
    assert again.speed.test_button.isEnabled()

    _screenshot(qapp, page, tmp_path)


def _screenshot(qapp: QApplication, page: ComputerPage, tmp_path: Path) -> None:
    dialog = ComputerDialog(page=page)
    try:
        dialog.resize(780, 1000)
        dialog.show()
        for _ in range(5):
            qapp.processEvents()
        target = SHOTS if os.environ.get("COVE_SCREENSHOTS") else tmp_path
        target.mkdir(parents=True, exist_ok=True)
        assert dialog.grab().save(str(target / "this-computer.png"))
    finally:
        dialog.page.setParent(None)
        dialog.close()
        dialog.deleteLater()


def test_a_test_cancelled_while_queued_never_reaches_the_engine(
        qapp: QApplication, make_page: MakePage, gemma_client: EngineClient,
        tmp_path: Path) -> None:
    queued: list[Any] = []
    page = make_page(client=gemma_client, submit=queued.append, auto_detect=False)
    page.set_model_info(gemma_client.info)
    failed: list[str] = []
    page.speed_test_failed.connect(failed.append)
    page.speed.start()
    assert "Waiting for the model" in page.speed.test_status.text()
    page.speed.cancel()  # done at once: the page does not wait for the queue
    assert failed == [""] and page.speed.test_status.text() == "Speed test cancelled."
    assert not page.speed.testing
    queued[0]()  # the engine's queue gets to it: it does nothing
    qapp.processEvents()
    assert failed == [""]
    assert not (tmp_path / "speedtests.json").exists()
    assert page.speed.test_button.isEnabled()


def test_stored_results_are_kept_atomically_and_survive_damage(tmp_path: Path) -> None:
    path = tmp_path / "data" / "speedtests.json"
    assert load_speed_tests(path) == []
    info = {"name": "gpt-oss-20b", "path": "/m/a.gguf", "backend": "CUDA", "n_threads": 8,
            "plan": {"n_gpu_layers": 25, "n_cpu_moe": 4, "gpu_name": "RTX 3060"}}
    stats = {"prompt_tokens": 301, "evaluated_tokens": 301, "prompt_ms": 500.0,
             "completion_tokens": 64, "tokens_per_s": 41.5}
    result = speed_test_result(stats, info)
    assert result["prompt_tokens_per_s"] == 600.0  # 300 timed tokens in half a second
    assert result["n_cpu_moe"] == 4 and result["gpu_name"] == "RTX 3060"
    for _ in range(computer_speed.KEEP_RESULTS + 3):
        save_speed_test(result, path)
    assert len(load_speed_tests(path)) == computer_speed.KEEP_RESULTS
    assert [p.name for p in path.parent.iterdir()] == ["speedtests.json"]  # no temp files
    other = dict(result, model_path="/m/b.gguf", generation_tokens_per_s=9.0)
    save_speed_test(other, path)
    results = load_speed_tests(path)
    assert latest_speed_test(results, "/m/a.gguf") == result
    assert latest_speed_test(results) == other
    path.write_text("{broken", encoding="utf-8")
    assert load_speed_tests(path) == []
    save_speed_test(result, path)  # a damaged file is replaced, not appended to
    assert load_speed_tests(path) == [result]


def test_cancel_stops_a_running_test(qapp: QApplication, make_page: MakePage,
                                     gemma_client: EngineClient, tmp_path: Path) -> None:
    page = make_page(client=gemma_client, auto_detect=False)
    page.set_model_info(gemma_client.info)
    failed: list[str] = []
    page.speed_test_failed.connect(failed.append)

    def on_progress(stage: str, done: int, _total: int) -> None:
        if stage == "generate" and done == 1:
            page.speed.cancel()

    page.speed_test_progress.connect(on_progress)
    page.speed.start()
    wait_until(qapp, lambda: failed, 60, "the cancellation")
    assert failed == [""] and not page.speed.testing
    assert page.speed.test_status.text() == "Speed test cancelled."
    assert not (tmp_path / "speedtests.json").exists()
    # The worker is free again: a chat right after it answers.
    last = list(gemma_client.chat([{"role": "user", "content": "Hi"}], max_tokens=2))[-1]
    assert last["type"] == "done"
