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

import ast
import re
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


# -- docs/ARCHITECTURE.md stays true to the code ------------------------------------------

DOC = ROOT / "docs" / "ARCHITECTURE.md"
CODE_SPAN = re.compile(r"`([^`\n]+)`")
REPO_PATH = re.compile(r"(?:app|tests|resources|docs)(?:/[\w.\-]+)*/?")
DOTTED = re.compile(r"app(?:\.\w+)+")
PLANNED = "\n## Planned"


def _names_in(body: list[ast.stmt]) -> set[str]:
    """What a module or class body defines: functions, classes, assigned names and
    imported names (a module may re-export)."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _resolves(dotted: str) -> bool:
    """``app.pkg.module.Class.method``: the longest prefix that is a module or package
    of the repository, then each further name defined in the one before (read from
    the source, so no module is imported and nothing runs)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        source = base.with_suffix(".py") if base.with_suffix(".py").is_file() \
            else base / "__init__.py"
        if source.is_file():
            break
    else:
        return False
    body: list[ast.stmt] = ast.parse(source.read_text(encoding="utf-8")).body
    for name in parts[cut:]:
        if name not in _names_in(body):
            return False
        found = [n for n in body if isinstance(n, ast.ClassDef) and n.name == name]
        body = found[0].body if found else []
    return True


def _doc_references(planned: bool = False) -> tuple[set[str], set[str]]:
    """The repository paths and ``app.…`` names in backticks: those the page says exist
    or, with ``planned``, those of its "Planned" section."""
    paths: set[str] = set()
    dotted: set[str] = set()
    today, _, later = DOC.read_text(encoding="utf-8").partition(PLANNED)
    for span in CODE_SPAN.findall(later if planned else today):
        if REPO_PATH.fullmatch(span):
            paths.add(span)
        elif DOTTED.fullmatch(span):
            dotted.add(span)
    return paths, dotted


def test_architecture_doc_names_only_what_exists() -> None:
    paths, dotted = _doc_references()
    assert len(paths) > 30 and len(dotted) > 30  # the page names its parts
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []
    assert sorted(d for d in dotted if not _resolves(d)) == []


def test_what_the_doc_calls_planned_is_not_built_yet() -> None:
    """A "Planned" section may name only what does not exist yet: once it is built, the
    page must describe it as it is. Today nothing is planned there, and the session is
    described."""
    paths, dotted = _doc_references(planned=True)
    assert sorted(p for p in paths if (ROOT / p).exists()) == []
    assert sorted(d for d in dotted if _resolves(d)) == []
    built, names = _doc_references()
    assert "app/session/" in built and "app.session.service.Session" in names


def test_the_doc_check_catches_a_stale_name() -> None:
    assert _resolves("app.ui.window.MainWindow.closeEvent")
    assert _resolves("app.engine.harmony.HarmonyParser.feed")
    assert not _resolves("app.ui.window.MainWindow.no_such_method")
    assert not _resolves("app.ui.no_such_module.thing")
    assert not _resolves("app.chats.store.ChatStore.path.deeper")
    assert not (ROOT / "app/engine/no_such.py").exists()
    assert REPO_PATH.fullmatch("app/engine/worker.py") and DOTTED.fullmatch("app.cli.main")


def test_the_import_contracts_hold() -> None:
    """The import-linter contracts in pyproject.toml, also when pytest runs alone (make
    test runs lint-imports too)."""
    linter = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(linter), "--no-cache"], capture_output=True, text=True,
                         cwd=ROOT, check=False)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout
