"""The python tool's start-up; prints one JSON object.

* python_tool_start_ms: from asking the sandbox to run ``print(1)`` to the result, per
  backend this computer has (the median of the rounds; the issue asks for < 300). A
  call's own start: namespaces, Python's start-up, the limits, the audit hook.
* numpy_import_ms: the same with ``import numpy`` (what a typical call pays on top).
* with ``--frozen dist/Cove/Cove`` (a ``make package`` build): the same start through
  the frozen app's child, ``Cove --run-python`` (``frozen_python_tool_start_ms_*``),
  and ``frozen_over_source_*``, its ratio to this interpreter's start in the same run;
  ``frozen_numpy_import_ms``: numpy from the bundle.

Usage: python bench/tools_python.py [--rounds N] [--frozen PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.tools.python import BACKENDS, PythonTool, backend_works, best_backend  # noqa: E402


def median_ms(tool: PythonTool, code: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = tool.run({"code": code}, threading.Event())
        times.append((time.perf_counter() - start) * 1000)
        if result.is_error:
            raise SystemExit(f"bench: {tool.backend}: {result.text}")
    return round(statistics.median(times), 1)


def frozen(report: dict[str, Any], app: Path, folder: Path, rounds: int) -> None:
    """The frozen app's command line (``sys.frozen``, ``sys.executable`` the app), each
    backend probed again with it."""
    from app.tools import python

    sys.frozen, sys.executable = True, str(app)  # type: ignore[attr-defined]
    python._probed.clear()
    for name in BACKENDS:
        if not backend_works(name):
            continue
        ms = median_ms(PythonTool(folder, backend=name), "print(1)", rounds)
        report[f"frozen_python_tool_start_ms_{name}"] = ms
        source = report.get(f"python_tool_start_ms_{name}")
        report[f"frozen_over_source_{name}"] = round(ms / source, 2) if source else None
    report["frozen_numpy_import_ms"] = median_ms(PythonTool(folder), "import numpy",
                                                 max(3, rounds // 3))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--frozen", type=Path, default=None, metavar="APP",
                        help="also time the frozen app's child (dist/Cove/Cove)")
    args = parser.parse_args()
    report: dict[str, Any] = {"backend": best_backend()}
    with tempfile.TemporaryDirectory() as folder:
        for name in BACKENDS:
            if not backend_works(name):
                report[f"python_tool_start_ms_{name}"] = None
                continue
            tool = PythonTool(Path(folder), backend=name)
            report[f"python_tool_start_ms_{name}"] = median_ms(tool, "print(1)", args.rounds)
        best = PythonTool(Path(folder))
        report["python_tool_start_ms"] = report[f"python_tool_start_ms_{best.backend}"]
        report["numpy_import_ms"] = median_ms(best, "import numpy", max(3, args.rounds // 3))
        if args.frozen is not None:
            frozen(report, args.frozen.resolve(), Path(folder), args.rounds)
    report["target_python_tool_start_ms"] = 300
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
