"""The python tool in the frozen (PyInstaller) app, whose executable is Cove itself.

There the sandbox starts ``Cove --run-python CONFIG`` instead of ``python -I -c …``
(app.tools.python_child). The stand-in for the frozen executable here is a bundle
folder of our own: a ``Cove`` program beside a copy of ``app`` (as the real one sits
beside ``_internal``), which runs ``python -m app`` from that folder, so the real entry
code answers ``--run-python``. Every sandbox this computer has runs it for real, and
some of the attacks of test_python.py are tried again through it. The real bundle is
checked by ``make package-smoke`` (tools/package_smoke.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.tools import python, python_child
from app.tools.python import PythonTool
from tests.tools import test_python as attacks

ROOT = Path(__file__).resolve().parents[2]
backend, workdir, run = attacks.backend, attacks.workdir, attacks.run

STAND_IN = """#!{python} -I
import os, runpy, sys
sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
runpy.run_module("app", run_name="__main__", alter_sys=True)
"""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like the frozen app's: the executable and, beside it, the app."""
    folder = tmp_path_factory.mktemp("bundle")
    shutil.copytree(ROOT / "app", folder / "app",
                    ignore=shutil.ignore_patterns("__pycache__"))
    exe = folder / "Cove"
    exe.write_text(STAND_IN.format(python=sys.executable))
    exe.chmod(0o755)
    return folder


@pytest.fixture
def frozen(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This process as the frozen app: ``sys.frozen`` set, ``sys.executable`` the
    stand-in; the sandboxes are probed again with that command."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "Cove"))
    monkeypatch.setattr(python, "_probed", {})
    return bundle


def test_the_child_is_this_python_from_source_and_cove_itself_frozen(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert python_child.interpreter() == [sys.executable, "-I", "-c", python_child.BOOTSTRAP]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/Cove/Cove")
    assert python_child.interpreter() == ["/opt/Cove/Cove", "--run-python"]
    assert python.supported()  # not switched off in the frozen app any more


def test_each_sandbox_runs_the_code_through_cove_itself(
        frozen: Path, backend: str, workdir: Path) -> None:
    code = ("import sys\nprint(sum(range(10)))\n"
            "print(sys.modules['app.tools.python_child'].__file__)")
    result = run(PythonTool(workdir, backend=backend), code)
    assert not result.is_error, result.text
    answer, child = result.text.splitlines()
    assert answer == "45"
    # the entry of the stand-in "frozen app" ran it, from the bundle's own copy of app
    assert child == str(frozen / "app" / "tools" / "python_child.py")
    assert result.data["backend"] == backend


def test_the_standard_library_a_model_asks_for(frozen: Path, workdir: Path) -> None:
    code = ("import statistics, fractions, decimal, math\n"
            "print(statistics.median([3, 1, 2]), fractions.Fraction(1, 3) + "
            "fractions.Fraction(1, 6), decimal.Decimal('0.1') * 3, math.comb(5, 2))")
    result = run(PythonTool(workdir), code)
    assert result.text == "2 1/2 0.3 10", result.text


def test_no_network_through_cove_itself(frozen: Path, backend: str, workdir: Path) -> None:
    attacks.test_no_network_a_server_on_loopback_is_never_reached(backend, workdir)


def test_files_outside_its_folder_through_cove_itself(
        frozen: Path, backend: str, workdir: Path, tmp_path: Path) -> None:
    attacks.test_files_outside_its_folder(backend, workdir, tmp_path)


def test_programs_are_refused_through_cove_itself(
        frozen: Path, backend: str, workdir: Path) -> None:
    attacks.test_fork_bomb_and_starting_programs_are_refused(backend, workdir)


def test_time_limit_through_cove_itself(frozen: Path, backend: str, workdir: Path) -> None:
    attacks.test_an_endless_loop_is_stopped_at_the_time_limit(backend, workdir)


def test_the_hidden_entry_needs_its_configuration(bundle: Path) -> None:
    out = subprocess.run([str(bundle / "Cove"), "--run-python"], capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 2 and out.stdout == ""
    assert "the python tool's sandbox only" in out.stderr


def test_the_hidden_entry_runs_code_as_python_does(bundle: Path, tmp_path: Path) -> None:
    """Without a sandbox around it: a final expression's value printed, the exit
    status, the traceback of the model's code only, and the audit hook."""
    config = json.dumps({"limits": [], "block_sockets": True})
    code = "import socket\nprint('ä')\n6 * 7\n"
    out = subprocess.run([str(bundle / "Cove"), "--run-python", config], input=code,
                         capture_output=True, text=True, timeout=60, cwd=tmp_path,
                         env={"PATH": os.defpath}, encoding="utf-8")
    assert (out.returncode, out.stdout, out.stderr) == (0, "ä\n42\n", "")
    out = subprocess.run([str(bundle / "Cove"), "--run-python", config],
                         input=code + "socket.socket()", capture_output=True, text=True,
                         timeout=60, cwd=tmp_path, env={"PATH": os.defpath})
    assert out.returncode == 1
    assert out.stderr.startswith('Traceback (most recent call last):\n  File "<python>"')
    assert "PermissionError: network access is not allowed in this sandbox" in out.stderr
