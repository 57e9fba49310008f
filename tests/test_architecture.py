"""The layering rules of ARCHITECTURE.md, enforced."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def test_pyside6_only_in_ui() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        if path.is_relative_to(APP / "ui"):
            continue
        if re.search(r"^\s*(from|import)\s+PySide6", path.read_text(), re.M):
            offenders.append(str(path.relative_to(APP)))
    assert offenders == []


def test_llama_cpp_only_in_the_worker() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        if path.name == "worker.py":
            continue
        if re.search(r"^\s*(from|import)\s+llama_cpp", path.read_text(), re.M):
            offenders.append(str(path.relative_to(APP)))
    assert offenders == []


def test_gui_process_never_loads_llama_cpp() -> None:
    code = ("import sys, app.cli, app.ui.app, app.engine.client, app.engine.transcript;"
            "print('llama_cpp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert out.stdout.strip() == "False"
