"""One version and one set of ids for every package."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import build_deb
import packaging_meta as meta
import pytest

import app


def test_the_app_reports_the_version_in_pyproject() -> None:
    assert app.__version__ == meta.version()
    assert app.APP_NAME == meta.NAME


def test_version_without_tomllib_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meta.sys, "version_info", (3, 10, 0))
    assert meta.version() == re.search(r'^version = "(.+)"', (meta.ROOT / "pyproject.toml")
                                       .read_text(), re.M).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc2", (2, 0, 1, 0)),
    ("1.4.2.post3", (1, 4, 2, 0)), ("3.1.4+local.7", (3, 1, 4, 0)),
])
def test_numeric_version(text: str, numbers: tuple[int, ...]) -> None:
    assert meta.numeric_version(text) == numbers


@pytest.mark.parametrize(("pep440", "debian"), [
    ("0.1.0", "0.1.0"), ("0.2.0rc1", "0.2.0~rc1"), ("1.0.0a2", "1.0.0~a2"),
    ("1.0.0b1", "1.0.0~b1"), ("1.0.0.dev4", "1.0.0~dev4"), ("1.0.0.post1", "1.0.0+post1"),
])
def test_debian_versions_sort_like_pep440(pep440: str, debian: str) -> None:
    assert build_deb.debian_version(pep440) == debian


def test_variant_is_read_from_the_engine_libraries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COVE_VARIANT", raising=False)
    (tmp_path / "libllama.so").touch()
    assert meta.variant(tmp_path) == "cpu"
    (tmp_path / "libggml-cuda.so.0").touch()
    assert meta.variant(tmp_path) == "cuda"
    monkeypatch.setenv("COVE_VARIANT", "cpu")
    assert meta.variant(tmp_path) == "cpu"
    monkeypatch.setenv("COVE_VARIANT", "rocm")
    with pytest.raises(SystemExit, match="COVE_VARIANT"):
        meta.variant(tmp_path)


def test_the_installed_engine_is_found_without_importing_it() -> None:
    code = ("import sys, packaging_meta; lib = packaging_meta.llama_lib_dir(); "
            "print(lib.parent.name, lib.name, 'llama_cpp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=meta.ROOT / "tools")
    assert out.stdout.split() == ["llama_cpp", "lib", "False"]


def test_ids_are_reverse_dns_and_a_guid() -> None:
    assert re.fullmatch(r"[a-z]+(\.[a-z0-9]+)+\.[A-Z][A-Za-z]+", meta.APP_ID)
    assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", meta.WINDOWS_APP_GUID)
    assert re.fullmatch(r"\d+\.\d+", meta.macos_minimum())
