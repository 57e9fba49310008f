"""Startup benchmark: how soon the window is on screen, and whole; prints one JSON object.

Each start is Cove's own ``run_gui`` in a process of its own (offscreen, no model, not
a first run), on a data folder an earlier start made: the history's key read from a
keyring in a file, the encrypted history opened, as a returning user starts. A probe
(:data:`PROBE`, the same for every checkout, as installers/entry.py's smoke probe
watches) sees the paints from outside the app's code and closes the window once it
has been painted whole. Per checkout, the median of the runs:

* painted_ms: process start → the window's first paint.
* shown_ms: process start → the first paint of the window with its history open (a
  checkout without ``MainWindow.history_open`` builds the window whole before showing
  it: its first paint).
* cpu_ms: the process's CPU time (user + system) from its start to that paint;
  steadier than wall time on a shared, busy machine.

``run_gui --quit-after-show`` is not used: before the history was opened after the
first paint, it printed its line and quit before anything was painted.

Bytecode: these machines set ``PYTHONDONTWRITEBYTECODE=1``, so a process would compile
every module of Cove again at each start (70-110 ms here), which an installed Cove
never does. Each run therefore gets a temporary ``PYTHONPYCACHEPREFIX`` with writing
allowed, and each checkout one unmeasured first start: it compiles what a start imports
(Cove, the standard library, the packages) into that folder and makes the data folder
and the key. The measured starts then read bytecode, as an installed Cove does.

``--against PATH[:LABEL]`` (repeatable) starts another checkout too (e.g. a
``git worktree`` of an older commit), alternately with this one, so that both meet
the same load; ``ratios`` are this checkout's medians over each other's (< 1: faster).

Usage: python bench/startup.py [--runs N] [--against PATH[:LABEL]]...
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROBE = r'''
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from app.ui import app as cove

app = cove.make_app([])


class Probe(QObject):
    painted = False

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget):
            window = obj.window()
            if type(window).__name__ == "MainWindow" and window.isVisible():
                if not self.painted:
                    self.painted = True
                    print("painted", flush=True)
                if getattr(window, "history_open", True):
                    print(f"shown {time.process_time() * 1000:.1f}", flush=True)
                    app.removeEventFilter(self)
                    QTimer.singleShot(0, QApplication.closeAllWindows)
        return False


probe = Probe()
app.installEventFilter(probe)
raise SystemExit(cove.run_gui([]))
'''
KEYRING = "tests.support.file_keyring.FileKeyring"  # this checkout's, on its path
HANG_S = 60  # a hang limit only


@dataclass
class Tree:
    """One checkout, its data folder and what its starts measured."""

    root: Path
    label: str
    home: Path
    painted: list[float] = field(default_factory=list)
    shown: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def medians(self) -> dict[str, float]:
        return {"painted_ms": _median(self.painted), "shown_ms": _median(self.shown),
                "cpu_ms": _median(self.cpu)}


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else -1.0


def _env(tree: Tree, pycache: Path) -> dict[str, str]:
    env = dict(os.environ, COVE_HOME=str(tree.home), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(dict.fromkeys((str(tree.root), str(ROOT)))),
               PYTHONPYCACHEPREFIX=str(pycache), PYTHON_KEYRING_BACKEND=KEYRING,
               COVE_TEST_KEYRING=str(tree.home / "keyring.json"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # see the module docstring
    env["COVE_MODEL"] = str(tree.home / "no-model.gguf")  # not a first run: no welcome
    return env


def start_once(tree: Tree, pycache: Path) -> tuple[float, float, float] | None:
    """One start: (painted, shown, cpu) in ms, or None when it never showed."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", PROBE], cwd=tree.root,
                            env=_env(tree, pycache), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    painted = shown = cpu = None
    with proc.stdout:
        for line in proc.stdout:
            now = (time.perf_counter() - started) * 1000
            if line.startswith("painted") and painted is None:
                painted = now
            elif line.startswith("shown ") and shown is None:
                shown, cpu = now, float(line.split()[1])
    try:
        proc.wait(HANG_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if painted is None or shown is None or cpu is None:
        return None
    return painted, shown, cpu


def measure(trees: list[Tree], runs: int) -> None:
    """A first start per checkout (see the docstring), then ``runs`` rounds in which
    each checkout starts once, in turn."""
    with tempfile.TemporaryDirectory(prefix="cove-pycache-") as pycache:
        for tree in trees:
            start_once(tree, Path(pycache))
        for _ in range(runs):
            for tree in trees:
                got = start_once(tree, Path(pycache))
                if got is not None:
                    tree.painted.append(got[0])
                    tree.shown.append(got[1])
                    tree.cpu.append(got[2])


def startup(runs: int) -> dict[str, float]:
    """This checkout's medians (bench/ui.py's startup figures)."""
    with tempfile.TemporaryDirectory(prefix="cove-bench-home-") as home:
        tree = Tree(ROOT, "this", Path(home))
        measure([tree], runs)
    return tree.medians()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", action="append", default=[],
                        metavar="PATH[:LABEL]", help="another checkout to start alternately")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cove-bench-homes-") as homes:
        trees = [Tree(ROOT, "this", Path(homes) / "this")]
        for n, spec in enumerate(args.against):
            path, _, label = spec.partition(":")
            trees.append(Tree(Path(path).resolve(), label or path, Path(homes) / str(n)))
        for tree in trees:
            tree.home.mkdir()
        measure(trees, args.runs)
    this = trees[0].medians()
    result: dict[str, Any] = {t.label: t.medians() for t in trees}
    result["ratios"] = {
        t.label: {k: round(this[k] / v, 2) if v > 0 else None for k, v in t.medians().items()}
        for t in trees[1:]}
    result["runs"] = args.runs
    result["load_1min"] = round(os.getloadavg()[0], 1)
    result["cpu_count"] = os.cpu_count()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
