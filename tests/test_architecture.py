"""The layering rules of ARCHITECTURE.md.

The import rules themselves are import-linter contracts in pyproject.toml, checked by
``lint-imports`` in ``make test`` and ``make lint``: the domain never imports the UI or
Qt, the UI imports no SQL, HTTP, Hub or llama.cpp itself, only the worker loads
llama.cpp, and no package or module imports another in a circle. This file checks what
those contracts cannot: that every part of ``app`` is named in them (a new package
is not silently outside the rules), and that the GUI process, as it really starts,
never loads llama.cpp.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: import-linter brings tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _parts_of_app() -> set[str]:
    """``app.<name>`` for each module and package directly in ``app``."""
    names = {p.stem for p in APP.glob("*.py") if p.stem != "__init__"}
    names |= {p.parent.name for p in APP.glob("*/__init__.py")}
    return {f"app.{name}" for name in names}


def test_every_part_of_app_is_on_one_side_of_the_qt_rule() -> None:
    contracts = _contracts()
    domain = set(contracts["The domain never uses the UI or Qt"]["source_modules"])
    command_line = set(contracts["The command line starts the GUI through app.ui, never Qt "
                                 "itself"]["source_modules"])
    assert not domain & command_line
    unnamed = _parts_of_app() - domain - command_line - {"app.ui"}
    assert unnamed == set(), f"add {sorted(unnamed)} to the import-linter contracts"
    assert domain | command_line <= _parts_of_app(), "a contract names a part that is gone"


def test_the_contracts_cover_all_of_app() -> None:
    contracts = _contracts()
    llama = contracts["Only the worker process loads llama.cpp"]
    assert llama["source_modules"] == ["app"]
    acyclic = contracts["No import circles between app's packages, nor between the "
                        "modules of each"]
    assert set(acyclic["ancestors"]) == {"app", "app.**"}


def test_gui_process_never_loads_llama_cpp() -> None:
    code = ("import sys, app.cli, app.ui.app, app.engine.client, app.engine.transcript;"
            "print('llama_cpp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert out.stdout.strip() == "False"
