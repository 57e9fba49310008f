"""Settings: the JSON file (atomic, tolerant of damage) and the dialog."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.config import settings as settings_mod
from app.config.settings import Settings
from app.ui import theme
from app.ui.dialogs import SettingsDialog


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
    dialog.n_ctx.setCurrentIndex(dialog.n_ctx.findData(16384))
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


def test_model_settings_default_to_the_hardware_plan(qapp: QApplication, make_window) -> None:
    """Unless the user chose, the engine gets None and plans for this computer (a
    fixed n_gpu_layers=0 once kept every GPU idle)."""
    assert (Settings().n_ctx, Settings().n_gpu_layers) == (0, -1)
    window = make_window()
    calls: list[dict[str, object]] = []
    window.bridge.load = lambda path, **options: calls.append(options)  # type: ignore[method-assign]
    window.load_model("/models/x.gguf")
    window.settings.n_ctx, window.settings.n_gpu_layers = 16384, 0
    window.load_model("/models/x.gguf")
    assert calls == [{"n_ctx": None, "n_gpu_layers": None},
                     {"n_ctx": 16384, "n_gpu_layers": 0}]
    dialog = SettingsDialog(Settings(), window)
    assert dialog.n_ctx.currentData() == 0
    assert dialog.gpu_layers.text() == "Automatic"
    dialog.reject()
