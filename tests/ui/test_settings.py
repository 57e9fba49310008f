"""Settings: the JSON file (atomic, tolerant of damage) and the dialog."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.chats.store import ChatStore
from app.config import settings as settings_mod
from app.config.settings import Settings
from app.engine.client import EngineClient
from app.hardware.plan_options import load_options
from app.ui.dialogs.settings_dialog import SettingsDialog
from app.ui.widgets import theme
from tests.ui.fixtures import settle, wait_until


def test_settings_round_trip_atomically(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    s = Settings(theme="dark", language="de", default_effort="high", n_ctx=16384,
                 sampling={"temp": 0.7}, system_prompt="Be brief.")
    settings_mod.save(s, path)
    assert settings_mod.load(path) == s
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp files


def test_damaged_or_odd_files_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert settings_mod.load(path) == Settings()
    path.write_text("{not json", encoding="utf-8")
    assert settings_mod.load(path) == Settings()
    path.write_text(json.dumps({"theme": "purple", "n_ctx": "big", "default_effort": "low",
                                "future_key": [1, 2]}), encoding="utf-8")
    loaded = settings_mod.load(path)
    assert loaded.theme == "system" and loaded.n_ctx == 0 and loaded.default_effort == "low"
    settings_mod.save(loaded, path)
    assert json.loads(path.read_text(encoding="utf-8"))["future_key"] == [1, 2]


def test_the_default_file_lives_in_the_config_folder() -> None:
    from app.config import paths

    assert settings_mod.settings_path().parent == paths.config_dir()


def test_dialog_edits_and_window_persists(qapp: QApplication, make_window,
                                          tmp_path: Path) -> None:
    window = make_window()
    dialog = SettingsDialog(window.settings, window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    dialog.effort.setCurrentIndex(dialog.effort.findData("high"))
    dialog.recommended.setChecked(False)
    dialog.sampling["temp"].setValue(0.3)
    dialog.plan.n_ctx.setCurrentIndex(dialog.plan.n_ctx.findData(16384))
    dialog.system_prompt.setPlainText("Answer like a pirate.")
    dialog.accept()
    try:
        window.apply_settings(dialog.result_settings)
        saved = settings_mod.load(tmp_path / "settings.json")
        assert (saved.theme, saved.language, saved.default_effort, saved.n_ctx) == \
            ("dark", "de", "high", 16384)
        assert saved.sampling["temp"] == 0.3 and saved.system_prompt == "Answer like a pirate."
        assert theme.current().dark
        assert window.composer.current_effort() == "high"
        # The dialog shows what was saved.
        again = SettingsDialog(saved, window)
        assert again.collect() == saved
        again.deleteLater()
    finally:
        theme.apply(qapp, "light")
    dialog.deleteLater()


def test_theme_palettes_differ(qapp: QApplication) -> None:
    try:
        dark = theme.apply(qapp, "dark")
        assert qapp.palette().base().color().name() == dark.base
        light = theme.apply(qapp, "light")
        assert qapp.palette().base().color().name() == light.base != dark.base
    finally:
        theme.apply(qapp, "light")


def _loaded(qapp: QApplication, window: Any, client: Any, count: int) -> dict[str, Any]:
    """Wait for the window's ``count``-th load to reach the client and finish."""
    wait_until(qapp, lambda: len(client.loads) >= count and window.model_info
               and not window.models.loading_path, what=f"load {count}")
    assert len(client.loads) == count
    return dict(client.loads[-1])


def _unloaded(scripted: Any) -> Any:
    """A scripted client with no model open yet: the window loads the saved one."""
    client = scripted([], ["ok"])
    client.info = {}
    return client


PLAN_KEYS = ("n_ctx", "use_gpu", "n_gpu_layers", "n_cpu_moe", "n_threads", "flash_attn")


def test_advanced_is_automatic_and_asks_the_worker_nothing(qapp: QApplication, make_window,
                                                           scripted, tmp_path: Path) -> None:
    """Unless the user chose, the worker gets None for every plan setting and plans for
    this computer (a fixed n_gpu_layers=0 once kept every GPU idle)."""
    assert Settings().plan_overrides() == dict.fromkeys(PLAN_KEYS)
    model = tmp_path / "x.gguf"
    model.write_bytes(b"GGUF")
    client = _unloaded(scripted)
    window = make_window(client, Settings(model_path=str(model)))
    sent = _loaded(qapp, window, client, 1)
    defaults = inspect.signature(EngineClient.load).parameters
    assert sent == {"path": str(model), **{k: p.default for k, p in defaults.items()
                                          if k not in ("self", "path")}}
    assert all(sent[k] is None for k in (*PLAN_KEYS, "n_batch", "n_ubatch"))
    dialog = SettingsDialog(window.settings, window)
    plan = dialog.plan
    assert {plan.n_ctx.currentText(), plan.use_gpu.currentText(), plan.n_gpu_layers.text(),
            plan.n_cpu_moe.text(), plan.n_threads.text(), plan.flash_attn.currentText()} == \
        {"Automatic (as long as fits)", "Automatic"}
    assert dialog.collect() == window.settings  # opening and saving changes nothing
    dialog.accept()
    window.apply_settings(dialog.result_settings)
    settle(qapp)
    assert len(client.loads) == 1  # nothing changed: no reload
    dialog.deleteLater()


def test_an_advanced_setting_reaches_the_worker_and_survives_a_restart(
        qapp: QApplication, make_window, scripted, tmp_path: Path, store: ChatStore) -> None:
    model = tmp_path / "x.gguf"
    model.write_bytes(b"GGUF")
    client = _unloaded(scripted)
    window = make_window(client, Settings(model_path=str(model)))
    _loaded(qapp, window, client, 1)
    dialog = SettingsDialog(window.settings, window)
    plan = dialog.plan
    plan.n_ctx.setCurrentIndex(plan.n_ctx.findData(8192))
    plan.n_cpu_moe.setValue(2)
    plan.n_threads.setValue(4)
    plan.flash_attn.setCurrentIndex(plan.flash_attn.findData(False))
    dialog.accept()
    window.apply_settings(dialog.result_settings)  # what Save does: the model reloads
    chosen = {"n_ctx": 8192, "n_cpu_moe": 2, "n_threads": 4, "flash_attn": False}
    sent = _loaded(qapp, window, client, 2)
    assert {k: sent[k] for k in PLAN_KEYS} == {**dict.fromkeys(PLAN_KEYS), **chosen}
    dialog.deleteLater()
    window.close()

    # A new window from the saved file asks the same of its worker.
    saved = settings_mod.load(tmp_path / "settings.json")
    again = _unloaded(scripted)
    reopened = make_window(again, saved, history=store)
    sent = _loaded(qapp, reopened, again, 1)
    assert {k: sent[k] for k in PLAN_KEYS} == {**dict.fromkeys(PLAN_KEYS), **chosen}
    shown = SettingsDialog(reopened.settings, reopened)
    assert shown.plan.n_ctx.currentData() == 8192 and shown.plan.n_threads.value() == 4
    assert shown.plan.flash_attn.currentText() == "Off"

    # GPU off: no layer on the GPU, nothing left for the experts to choose.
    shown.plan.use_gpu.setCurrentIndex(shown.plan.use_gpu.findData(False))
    assert not shown.plan.n_gpu_layers.isEnabled()
    shown.accept()
    reopened.apply_settings(shown.result_settings)
    sent = _loaded(qapp, reopened, again, 2)
    assert (sent["use_gpu"], sent["n_gpu_layers"], sent["n_cpu_moe"]) == (False, 0, None)
    # Back to automatic: nothing is asked again.
    reset = SettingsDialog(reopened.settings, reopened)
    reset.plan.reset_button.click()
    reset.accept()
    reopened.apply_settings(reset.result_settings)
    sent = _loaded(qapp, reopened, again, 3)
    assert all(sent[k] is None for k in PLAN_KEYS)
    for d in (shown, reset):
        d.deleteLater()


def test_an_older_settings_file_loads(qapp: QApplication, tmp_path: Path) -> None:
    """A file written before Settings › Advanced: its context and "CPU only" (then
    n_gpu_layers 0) carry over; the new settings are automatic; odd values too."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "dark", "n_ctx": 16384, "n_gpu_layers": 0,
                                "sidebar_width": 300}), encoding="utf-8")
    old = settings_mod.load(path)
    assert (old.theme, old.use_gpu, old.n_cpu_moe, old.n_threads, old.flash_attn) == \
        ("dark", "auto", -1, 0, "auto")
    assert old.plan_overrides() == {**dict.fromkeys(PLAN_KEYS), "n_ctx": 16384,
                                    "use_gpu": False}
    assert load_options(old.plan_overrides()) == {"n_ctx": 16384, "use_gpu": False,
                                                  "n_gpu_layers": 0}
    dialog = SettingsDialog(old)
    assert dialog.plan.use_gpu.currentText() == "Off: run on the CPU only"
    assert dialog.plan.n_ctx.currentData() == 16384
    assert dialog.collect().plan_overrides() == old.plan_overrides()
    dialog.deleteLater()
    path.write_text(json.dumps({"use_gpu": "maybe", "n_threads": -3, "flash_attn": True,
                                "n_cpu_moe": "all"}), encoding="utf-8")
    assert settings_mod.load(path).plan_overrides() == dict.fromkeys(PLAN_KEYS)
