"""A loaded model's thread count, kept at what the machine's load leaves free, where
that helps (app/hardware/plan_threads.py says when: builds whose threads spin).

The worker's model thread calls :meth:`LiveThreads.check` between answers (about once
a second while idle), before a prompt and before every token; when
:class:`app.hardware.plan_threads.ThreadChooser` says the count should change, it goes
to llama.cpp with ``llama_set_n_threads`` and takes effect at the next decode. A count
the user fixed in Settings (or a caller's ``n_threads``) is never changed.
"""

from __future__ import annotations

import os
from typing import Any

from app.hardware.plan_threads import ThreadChooser, adapts, load_source


class LiveThreads:
    """The thread count of one loaded model (``None`` model: nothing to adapt)."""

    def __init__(self, llama_cpp: Any = None, llm: Any = None, planned: int = 0,
                 automatic: bool = False) -> None:
        """``automatic``: the count was Cove's choice (the user fixed none)."""
        self._llama_cpp = llama_cpp
        self._llm = llm
        self._chooser: ThreadChooser | None = None
        if automatic and llm is not None and planned > 1 and adapts(
                _system_info(llama_cpp), os.environ):
            self._chooser = ThreadChooser(planned, source=load_source(os.environ))

    @property
    def current(self) -> int:
        """The count llama.cpp generates with now (0: no model)."""
        if self._llm is None:
            return 0
        return int(self._llama_cpp.llama_n_threads(self._llm._ctx.ctx))

    def check(self) -> None:
        """Follow the load (cheap when nothing changed: one clock read)."""
        if self._chooser is None:
            return
        wanted = self._chooser.poll()
        if wanted is not None:
            self._llama_cpp.llama_set_n_threads(self._llm._ctx.ctx, wanted, wanted)


def _system_info(llama_cpp: Any) -> str:
    info = llama_cpp.llama_print_system_info()
    return info.decode(errors="replace") if isinstance(info, bytes) else str(info)
