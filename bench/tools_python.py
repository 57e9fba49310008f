"""The python tool's start-up; prints one JSON object.

* python_tool_start_ms: from asking the sandbox to run ``print(1)`` to the result, per
  backend this computer has (the median of the rounds; the issue asks for < 300). A
  call's own start: namespaces, Python's start-up, the limits, the audit hook.
* numpy_import_ms: the same with ``import numpy`` (what a typical call pays on top).

Usage: python bench/tools_python.py [--rounds N]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
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
    report["target_python_tool_start_ms"] = 300
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
