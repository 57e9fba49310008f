"""The window's settings: applied when Settings is saved, kept in settings.json.

:class:`Preferences` applies new settings to the parts they concern (the theme, the
message box's default effort, the model loaded again when Settings › Advanced
changed), saves them atomically, remembers the sidebar width the user dragged to (a
narrow window squeezing the sidebar is not a choice, and is never saved) and gives the
session what each answer is asked with.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from app.config import settings as settings_mod
from app.session.service import AnswerOptions
from app.ui.widgets import theme

if TYPE_CHECKING:
    from app.config.settings import Settings
    from app.ui.window import MainWindow

log = logging.getLogger(__name__)


class Preferences(QObject):
    """See the module docstring; ``window.settings`` is the settings in force."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.sidebar_width = window.settings.sidebar_width

    def apply(self, new: Settings) -> None:
        w = self.window
        old = w.settings
        w.settings = w.models.settings = new
        self.save()
        if new.theme != old.theme:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                theme.apply(app, new.theme)
        if new.default_effort != old.default_effort:
            w.composer.set_effort(new.default_effort)
        model = w.models.model
        if new.plan_overrides() != old.plan_overrides() and model is not None and \
                model.path and not w.generating:
            w.load_model(model.path)

    def save(self) -> None:
        w = self.window
        w.settings.sidebar_width = self.sidebar_width
        try:
            settings_mod.save(w.settings, w.settings_file)
        except OSError as exc:
            log.warning("settings not saved: %s", exc)

    def splitter_moved(self, position: int, _index: int) -> None:
        """The user dragged the sidebar's edge: that width is theirs, and is kept."""
        w = self.window
        if w.sidebar.isVisible() and position > 0:
            self.sidebar_width = w.splitter.sizes()[0]

    def answer_options(self) -> AnswerOptions:
        s = self.window.settings
        return AnswerOptions(s.system_prompt or "", dict(s.sampling), s.max_tokens or None)
