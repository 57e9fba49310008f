"""packaging.spec, run for Linux, Windows and macOS without building anything.

PyInstaller runs a spec as a Python script in which Analysis, PYZ, EXE, COLLECT and
BUNDLE are defined; here they are stand-ins that record what the spec asked for, so
what each operating system's build will contain is checked on any machine, in
milliseconds.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import packaging_meta as meta
import pytest

SPEC = meta.ROOT / "packaging.spec"
ENTRY = {"linux": "libllama.so", "win32": "llama.dll", "darwin": "libllama.dylib"}


class Recorder:
    """One of PyInstaller's spec building blocks: keeps its arguments."""

    calls: dict[str, Recorder]

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs
        Recorder.calls[kind] = self


class FakeAnalysis(Recorder):
    """What PyInstaller's Analysis would find: the spec's own binaries plus the kinds
    of library the dependency scan adds, and Qt's translations."""

    def __init__(self, scripts: list[str], **kwargs: Any) -> None:
        super().__init__("Analysis", scripts, **kwargs)
        self.binaries = [(Path(src).name, src, "BINARY") for src, _ in kwargs["binaries"]] + [
            ("libX11.so.6", "/usr/lib/x86_64-linux-gnu/libX11.so.6", "BINARY"),
            ("libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "BINARY"),
            ("libssl.so.3", "/usr/lib/x86_64-linux-gnu/libssl.so.3", "BINARY"),
            ("libgomp.so.1", "/lib/x86_64-linux-gnu/libgomp.so.1", "BINARY"),
            ("python3.11/lib-dynload/_ssl.so",
             "/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", "EXTENSION"),
            ("PySide6/Qt/lib/libQt6Core.so.6",
             "/venv/site-packages/PySide6/Qt/lib/libQt6Core.so.6", "BINARY"),
        ]
        self.datas = [(dest, src, "DATA") for src, dest in kwargs["datas"]] + [
            ("PySide6/Qt/translations/qtbase_de.qm", "/venv/qtbase_de.qm", "DATA"),
            ("PySide6/Qt/translations/qt_de.qm", "/venv/qt_de.qm", "DATA"),
            ("PySide6/Qt/translations/qtbase_fr.qm", "/venv/qtbase_fr.qm", "DATA"),
            ("PySide6/translations/qtbase_fr.qm", "C:/venv/qtbase_fr.qm", "DATA"),
        ]
        self.pure: list[Any] = []
        self.scripts: list[Any] = []


def _fake_versioninfo() -> types.ModuleType:
    module = types.ModuleType("PyInstaller.utils.win32.versioninfo")
    for name in ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
                 "StringStruct", "VarFileInfo", "VarStruct"):
        setattr(module, name, lambda *a, _n=name, **k: (_n, a, k))
    return module


def run_spec(platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             **env: str) -> dict[str, Recorder]:
    lib = tmp_path / "llama_cpp" / "lib"
    lib.mkdir(parents=True)
    for name in (ENTRY[platform], "libggml.so.0", "libmtmd.so"):
        (lib / name).touch()
    monkeypatch.setattr(meta, "llama_lib_dir", lambda: lib)
    import PyInstaller.utils.win32  # the real package, imported for this platform

    fake = _fake_versioninfo()
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.win32.versioninfo", fake)
    monkeypatch.setattr(PyInstaller.utils.win32, "versioninfo", fake, raising=False)
    for key in ("COVE_VARIANT", "COVE_CODESIGN_IDENTITY", "COVE_BUNDLE_SYSTEM_LIBS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    Recorder.calls = {}
    names = {kind: (lambda *a, _k=kind, **k: Recorder(_k, *a, **k))
             for kind in ("PYZ", "EXE", "COLLECT", "BUNDLE")}
    spec_globals = {"__name__": "__main__", "__file__": str(SPEC),
                    "SPECPATH": str(meta.ROOT), "Analysis": FakeAnalysis, **names}
    real_platform = sys.platform
    monkeypatch.setattr(sys, "platform", platform)
    try:
        exec(compile(SPEC.read_text(), str(SPEC), "exec"), spec_globals)
    finally:
        monkeypatch.setattr(sys, "platform", real_platform)
    return Recorder.calls


def test_linux_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = run_spec("linux", tmp_path, monkeypatch)
    analysis = calls["Analysis"]
    assert analysis.args[0] == [str(meta.ROOT / "installers" / "entry.py")]
    assert analysis.kwargs["hookspath"] == [str(meta.ROOT / "installers" / "pyinstaller")]
    # llama.cpp: only the library llama_cpp opens, into the folder it looks in; the
    # multimodal library stays out.
    assert analysis.kwargs["binaries"] == [(str(tmp_path / "llama_cpp/lib/libllama.so"),
                                            "llama_cpp/lib")]
    assert "app.engine.worker" in analysis.kwargs["hiddenimports"]
    assert {"tkinter", "pytest", "llama_cpp.server"} <= set(analysis.kwargs["excludes"])
    # The desktop's own libraries come from the system; Python's runtime is bundled.
    bundled = {name for name, _, _ in analysis.binaries}  # type: ignore[attr-defined]
    assert "libX11.so.6" not in bundled and "libstdc++.so.6" not in bundled
    assert {"libssl.so.3", "libgomp.so.1", "python3.11/lib-dynload/_ssl.so",
            "PySide6/Qt/lib/libQt6Core.so.6", "libllama.so"} <= bundled
    # Qt's translations: the languages Cove has (resources/translations/cove_de.qm).
    datas = {dest for dest, _, _ in analysis.datas}  # type: ignore[attr-defined]
    assert "PySide6/Qt/translations/qtbase_de.qm" in datas
    assert "PySide6/Qt/translations/qtbase_fr.qm" not in datas
    assert not any(d.endswith((".ts", ".ico", ".icns")) for d in datas)
    assert any(d.startswith("resources/icons") for d in datas)
    exe = calls["EXE"]
    assert exe.kwargs["name"] == "Cove" and exe.kwargs["console"] is False
    assert exe.kwargs["upx"] is False and exe.kwargs["icon"] is None
    assert calls["COLLECT"].kwargs["name"] == "Cove"
    assert "BUNDLE" not in calls


def test_linux_build_for_an_appimage_keeps_system_libraries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = run_spec("linux", tmp_path, monkeypatch, COVE_BUNDLE_SYSTEM_LIBS="1")
    bundled = {name for name, _, _ in calls["Analysis"].binaries}  # type: ignore[attr-defined]
    assert "libX11.so.6" in bundled


def test_windows_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = run_spec("win32", tmp_path, monkeypatch)
    analysis, exe = calls["Analysis"], calls["EXE"]
    assert analysis.kwargs["binaries"] == [(str(tmp_path / "llama_cpp/lib/llama.dll"),
                                            "llama_cpp/lib")]
    assert exe.kwargs["icon"].endswith("cove.ico") and Path(exe.kwargs["icon"]).is_file()
    kind, _, fields = exe.kwargs["version"]
    assert kind == "VSVersionInfo"
    assert fields["ffi"][2]["filevers"] == meta.numeric_version()
    strings = repr(fields["kids"])
    assert f"'ProductVersion', '{meta.version()}'" in strings and "'Cove.exe'" in strings
    # Windows wheels keep Qt's translations in PySide6/translations.
    assert "PySide6/translations/qtbase_fr.qm" not in {
        d for d, _, _ in analysis.datas}  # type: ignore[attr-defined]
    # Windows keeps its system libraries filter-free: PyInstaller's own rules apply.
    assert "libX11.so.6" in {n for n, _, _ in analysis.binaries}  # type: ignore[attr-defined]


def test_windows_cuda_build_needs_the_cuda_runtime(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toolkit = tmp_path / "cuda"
    (toolkit / "bin").mkdir(parents=True)
    for name in ("cudart64_12.dll", "cublas64_12.dll", "cublasLt64_12.dll", "nvcc.exe"):
        (toolkit / "bin" / name).touch()
    calls = run_spec("win32", tmp_path, monkeypatch, COVE_VARIANT="cuda",
                     CUDA_PATH=str(toolkit))
    names = sorted(Path(src).name for src, _ in calls["Analysis"].kwargs["binaries"])
    assert names == ["cublas64_12.dll", "cublasLt64_12.dll", "cudart64_12.dll", "llama.dll"]


def test_cuda_build_without_the_toolkit_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit, match="CUDA runtime"):
        run_spec("linux", tmp_path, monkeypatch, COVE_VARIANT="cuda",
                 CUDA_PATH=str(tmp_path / "nowhere"))


def test_macos_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = run_spec("darwin", tmp_path, monkeypatch, COVE_CODESIGN_IDENTITY="Developer ID")
    exe, bundle = calls["EXE"], calls["BUNDLE"]
    assert exe.kwargs["codesign_identity"] == "Developer ID"
    assert Path(exe.kwargs["entitlements_file"]).is_file()
    assert bundle.kwargs["name"] == "Cove.app"
    assert bundle.kwargs["bundle_identifier"] == meta.APP_ID
    assert Path(bundle.kwargs["icon"]).is_file()
    plist = bundle.kwargs["info_plist"]
    assert plist["NSHighResolutionCapable"] is True
    assert plist["CFBundleShortVersionString"] == meta.version()
    assert plist["LSMinimumSystemVersion"] == meta.macos_minimum()
    assert plist["NSRequiresAquaSystemAppearance"] is False


def test_unsigned_macos_build_is_ad_hoc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = run_spec("darwin", tmp_path, monkeypatch)
    assert calls["EXE"].kwargs["codesign_identity"] is None


def test_the_python_tool_finds_the_standard_library_in_the_bundle(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The python tool's child is Cove itself (``Cove --run-python``): the model's code
    imports what the bundle holds, and the sandbox's own start is a string PyInstaller
    cannot read."""
    import ast

    from app.tools import python_child

    analysis = run_spec("linux", tmp_path, monkeypatch)["Analysis"]
    hidden = set(analysis.kwargs["hiddenimports"])
    asked = {"math", "cmath", "statistics", "fractions", "decimal", "json", "csv",
             "datetime", "zoneinfo", "collections", "re", "random", "textwrap", "string",
             "heapq", "bisect", "array", "unicodedata", "xml.etree.ElementTree",
             "email.mime.text", "sqlite3", "difflib", "calendar", "hashlib", "base64"}
    assert asked <= hidden, asked - hidden
    started = {alias.name for node in ast.walk(ast.parse(python_child.BOOTSTRAP))
               if isinstance(node, ast.Import) for alias in node.names}
    assert {"resource", "ast", "traceback"} <= started
    assert started <= hidden | set(sys.builtin_module_names), started - hidden
    # not what needs a display or a terminal, Python's own tests, or what the app excludes
    for name in hidden:
        top = name.split(".")[0]
        assert top not in {"tkinter", "turtle", "idlelib", "test", "curses", "readline",
                           "pydoc", "doctest", "lib2to3"}, name
        assert ".test." not in f".{name}." and ".tests." not in f".{name}.", name
    assert "unittest.mock" not in hidden and "unittest" in hidden
    # before PyInstaller's own runtime hooks (the one for PySide6 imports Qt)
    hooks = analysis.kwargs["runtime_hooks"]
    assert [Path(h).name for h in hooks] == ["rthook_python_tool.py"]
    assert all(Path(h).is_file() for h in hooks)


def test_windows_has_no_python_tool_and_no_extra_standard_library(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hidden = run_spec("win32", tmp_path, monkeypatch)["Analysis"].kwargs["hiddenimports"]
    assert "statistics" not in hidden and "app.engine.worker" in hidden
