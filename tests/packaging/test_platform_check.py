"""The launcher's check before Qt (app/platform_check.py), against the real Qt.

Where Qt must be made to fail, it is given a real, broken platform plugin: a copy of
PySide6's own plugin whose needed library is renamed to one that exists nowhere, put
first on QT_PLUGIN_PATH. Each such test first shows that plain Qt really aborts on it,
then that the launcher (``python -m app``) explains instead. A display is a listening
socket where the X server's or the Wayland compositor's would be: the check only
connects. The desktop dialog is a stand-in ``zenity`` on PATH that records what it was
asked to show (no dialog can open here).
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import pytest
import qt_plugins

from app import platform_check as pc

ROOT = Path(__file__).resolve().parents[2]
_spec = find_spec("PySide6")
assert _spec is not None and _spec.submodule_search_locations
QT = Path(next(iter(_spec.submodule_search_locations))) / "Qt"
QT_START = "from PySide6.QtWidgets import QApplication; QApplication([])"
GONE_X11 = "libcove-gone.so.4"  # as long as libxcb-icccm.so.4, which it replaces
GONE_WAYLAND = "libcove-wayland-x.so.0"  # as long as libwayland-cursor.so.0

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="Qt's X11 and Wayland platforms are Linux's")


def broken_plugin(folder: Path, name: str, needed: str, gone: str) -> Path:
    """A copy of PySide6's platform plugin ``name`` that needs ``gone`` instead of
    ``needed``; Qt's own libraries stay reachable through the plugin's RUNPATH."""
    data = (QT / "plugins" / "platforms" / name).read_bytes()
    old, new = f"\0{needed}\0".encode(), f"\0{gone}\0".encode()
    assert len(old) == len(new) and data.count(old) == 1
    platforms = folder / "plugins" / "platforms"
    platforms.mkdir(parents=True, exist_ok=True)
    (platforms / name).write_bytes(data.replace(old, new))
    if not (folder / "lib").exists():
        (folder / "lib").symlink_to(QT / "lib")
    return folder / "plugins"


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No display, no session: what each test adds is all there is."""
    drop = ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "XDG_SESSION_TYPE",
            "QT_QPA_PLATFORM", "QT_PLUGIN_PATH", "QT_QPA_PLATFORM_PLUGIN_PATH", pc.SKIP_ENV)
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(COVE_HOME=str(tmp_path / "home"), XDG_RUNTIME_DIR=str(tmp_path), **extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=300)


def qt_aborts(env: dict[str, str], because: str) -> None:
    """Plain Qt, without the launcher, really dies of this: SIGABRT, after trying to
    load the library ``because`` names."""
    out = run(["-c", QT_START], dict(env, QT_DEBUG_PLUGINS="1"))
    assert out.returncode == -signal.SIGABRT, out.stderr[-2000:]
    assert because in out.stderr


@pytest.fixture
def x_server(tmp_path: Path) -> Iterator[str]:
    """A listening socket where the X server of a free display number would be."""
    for number in range(4000 + os.getpid() % 1000, 6000):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(f"\0/tmp/.X11-unix/X{number}")
        except OSError:
            sock.close()
            continue
        sock.listen(8)
        with sock:
            yield f":{number}"
        return
    pytest.fail("no free abstract X socket name")


@pytest.fixture
def compositor(tmp_path: Path) -> Iterator[str]:
    """A listening socket where a Wayland compositor's would be (XDG_RUNTIME_DIR)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(tmp_path / "wayland-cove"))
        sock.listen(8)
        yield "wayland-cove"


@pytest.fixture
def dialog(tmp_path: Path) -> Path:
    """A stand-in zenity first on PATH: records its arguments, exits as OK does."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "dialog.txt"
    script = bin_dir / "zenity"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n')
    script.chmod(0o755)
    return record


def test_missing_x11_library_is_named_instead_of_aborting(tmp_path: Path, x_server: str,
                                                          dialog: Path) -> None:
    plugins = broken_plugin(tmp_path / "qt", "libqxcb.so", "libxcb-icccm.so.4", GONE_X11)
    env = clean_env(tmp_path, QT_PLUGIN_PATH=str(plugins), DISPLAY=x_server,
                    PATH=f"{dialog.parent / 'bin'}:{os.environ['PATH']}")
    qt_aborts(clean_env(tmp_path, QT_PLUGIN_PATH=str(plugins), QT_QPA_PLATFORM="xcb"),
              GONE_X11)

    out = run(["-m", "app"], env)

    assert out.returncode == 1, out.stderr
    assert "Cove cannot open its window." in out.stderr
    assert f"To show windows on X11 it needs libraries that are not installed on this " \
           f"computer: {GONE_X11}" in out.stderr
    assert "no display" not in out.stderr.lower()  # the display is there
    assert "your chats, documents and models are safe" in out.stderr
    assert f"the system's loader says: {GONE_X11}: cannot open shared object" in out.stderr
    shown = dialog.read_text()  # started without a terminal: a dialog too
    assert "--error" in shown and GONE_X11 in shown


def test_wayland_session_without_x11_asks_for_the_wayland_libraries(
        tmp_path: Path, compositor: str, dialog: Path) -> None:
    plugins = broken_plugin(tmp_path / "qt", "libqwayland.so", "libwayland-cursor.so.0",
                            GONE_WAYLAND)
    env = clean_env(tmp_path, QT_PLUGIN_PATH=str(plugins), WAYLAND_DISPLAY=compositor,
                    XDG_SESSION_TYPE="wayland",
                    PATH=f"{dialog.parent / 'bin'}:{os.environ['PATH']}")
    assert pc.qt_platforms(env) == ["wayland", "xcb"]
    qt_aborts(env, GONE_WAYLAND)

    out = run(["-m", "app"], env)

    assert out.returncode == 1, out.stderr
    assert f"To show windows on Wayland it needs libraries that are not installed on this " \
           f"computer: {GONE_WAYLAND}" in out.stderr
    assert "(X11 cannot be used instead: DISPLAY is not set.)" in out.stderr
    assert "libxcb" not in out.stderr  # X11's libraries would not help here
    assert GONE_WAYLAND in dialog.read_text()


def test_a_broken_platform_plugin_path_falls_back_as_qt_does(tmp_path: Path,
                                                              x_server: str) -> None:
    """Qt tries QT_QPA_PLATFORM_PLUGIN_PATH's plugin first, then its usual one."""
    plugins = broken_plugin(tmp_path / "qt", "libqxcb.so", "libxcb-icccm.so.4", GONE_X11)
    broken = clean_env(tmp_path, DISPLAY=x_server, QT_PLUGIN_PATH=str(plugins))
    verdicts = pc.diagnose(broken)
    assert verdicts is not None and GONE_X11 in verdicts[0].missing
    fallback = clean_env(tmp_path, DISPLAY=x_server,
                         QT_QPA_PLATFORM_PLUGIN_PATH=str(plugins / "platforms"))
    assert pc.find_plugins("xcb", fallback)[0].parent == plugins / "platforms"
    assert pc.diagnose(fallback) == pc.diagnose(clean_env(tmp_path, DISPLAY=x_server))


def test_no_display_says_so(tmp_path: Path) -> None:
    env = clean_env(tmp_path, QT_QPA_PLATFORM="xcb")
    qt_aborts(env, "xcb")

    out = run(["-m", "app"], env)

    assert out.returncode == 1, out.stderr
    assert "There is no display to show it on: DISPLAY is not set (X11)." in out.stderr
    assert "cove chat --model FILE" in out.stderr


def test_a_display_nobody_answers_on(tmp_path: Path, x_server: str) -> None:
    unused = f":{int(x_server[1:]) + 1}"
    if pc.x11_display_problem({"DISPLAY": unused}) is None:
        pytest.fail(f"display {unused} is in use on this machine: pick the test's number")
    verdicts = pc.diagnose(clean_env(tmp_path, QT_QPA_PLATFORM="xcb", DISPLAY=unused))
    assert verdicts is not None
    assert verdicts[0].display_problem == f"no X server answers on display {unused}"
    assert pc.x11_display_problem({"DISPLAY": x_server}) is None
    assert pc.x11_display_problem({"DISPLAY": "localhost:10.0"}) is None  # not probed


def test_the_check_stays_out_of_the_way(tmp_path: Path) -> None:
    assert pc.diagnose(clean_env(tmp_path, QT_QPA_PLATFORM="offscreen")) is None
    assert pc.diagnose(clean_env(tmp_path, QT_QPA_PLATFORM="xcb;offscreen")) is None
    skipped = clean_env(tmp_path, QT_QPA_PLATFORM="xcb", **{pc.SKIP_ENV: "1"})
    assert pc.diagnose(skipped) is None
    assert pc.ensure_window_can_open(clean_env(tmp_path, QT_QPA_PLATFORM="offscreen")) is None


@pytest.mark.parametrize(("env", "order"), [
    ({}, ["xcb"]),
    ({"DISPLAY": ":0"}, ["xcb"]),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
    ({"WAYLAND_DISPLAY": "wayland-0"}, ["wayland", "xcb"]),
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, ["offscreen"]),
    ({"QT_QPA_PLATFORM": "wayland;xcb:nograb"}, ["wayland", "xcb"]),
])
def test_platforms_in_qt_order(env: dict[str, str], order: list[str]) -> None:
    assert pc.qt_platforms(env) == order


def test_wayland_display(tmp_path: Path, compositor: str) -> None:
    env = {"XDG_RUNTIME_DIR": str(tmp_path)}
    assert pc.wayland_display_problem({**env, "WAYLAND_DISPLAY": compositor}) is None
    assert pc.wayland_display_problem({**env, "WAYLAND_DISPLAY": "nope"}) == \
        f"no Wayland compositor at {tmp_path / 'nope'}"
    assert pc.wayland_display_problem(env) == "WAYLAND_DISPLAY is not set"
    assert pc.wayland_display_problem({"WAYLAND_DISPLAY": "w"}) == "XDG_RUNTIME_DIR is not set"


def test_elf_reader_agrees_with_objdump() -> None:
    objdump = shutil.which("objdump")
    if objdump is None:
        pytest.fail("objdump (binutils, which dpkg-dev needs) is not installed")
    for path in (QT / "plugins/platforms/libqxcb.so", QT / "lib/libQt6Gui.so.6",
                 Path(sys.executable).resolve()):
        dump = subprocess.run([objdump, "-p", str(path)], capture_output=True, text=True,
                              check=True).stdout
        needed = [line.split()[1] for line in dump.splitlines()
                  if line.strip().startswith("NEEDED")]
        info = pc.read_elf(path)
        assert info is not None and list(info.needed) == needed, path


def test_loader_cache_agrees_with_ldconfig() -> None:
    ldconfig = shutil.which("ldconfig") or shutil.which("ldconfig", path="/sbin:/usr/sbin")
    assert ldconfig is not None
    listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True).stdout
    expected: dict[str, set[str]] = {}
    for line in listing.splitlines():
        if "=>" in line:
            expected.setdefault(line.split()[0], set()).add(line.rsplit("=> ", 1)[1])
    assert {k: set(v) for k, v in pc._ld_cache().items()} == expected


def test_the_real_plugins_resolve_as_the_loader_says() -> None:
    """Whatever this machine has installed: the check and the loader agree."""
    for name in ("libqxcb.so", "libqwayland.so"):
        plugin = QT / "plugins" / "platforms" / name
        missing = pc.missing_libraries(plugin, os.environ)
        ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout
        not_found = sorted({line.split()[0] for line in ldd.splitlines() if "not found" in line})
        assert missing == not_found, name


def test_a_working_x11_is_let_through(tmp_path: Path, x_server: str) -> None:
    """The launcher refuses exactly when the loader cannot load Qt's X11 plugin."""
    ldd = subprocess.run(["ldd", str(QT / "plugins/platforms/libqxcb.so")],
                         capture_output=True, text=True).stdout
    loadable = "not found" not in ldd
    verdicts = pc.diagnose(clean_env(tmp_path, DISPLAY=x_server))
    assert (verdicts is None) == loadable, verdicts


def _kept_linux_files() -> list[Path]:
    """The ELF files of the Qt plugins the frozen app keeps, and the Qt libraries
    they and the app's Qt modules pull in."""
    plugins = QT / "plugins"
    files = [p for p in plugins.rglob("*.so")
             if qt_plugins.keep(str(p), str(p.parent.relative_to(QT.parent.parent)))]
    queue = files + [QT / "lib" / f"libQt6{m}.so.6" for m in ("Core", "Gui", "Widgets", "Svg")]
    seen: dict[Path, None] = {}
    while queue:
        path = queue.pop()
        if path in seen or not path.is_file():
            continue
        seen[path] = None
        info = pc.read_elf(path)
        assert info is not None
        queue += [QT / "lib" / n for n in info.needed if (QT / "lib" / n).is_file()]
    return list(seen)


def test_every_library_the_kept_qt_files_need_has_a_package() -> None:
    """A Qt upgrade that links to a new system library fails here, not on a user's
    desktop: the map (launcher message, package-deps, Recommends) must know it."""
    unknown: dict[str, set[str]] = {}
    for path in _kept_linux_files():
        info = pc.read_elf(path)
        assert info is not None
        optional = set(info.needed) & pc.OPTIONAL_LIBRARIES
        for soname in info.needed:
            bundled = (QT / "lib" / soname).is_file()
            if bundled or soname.startswith(pc._LIBC) or soname in pc.LIBRARY_PACKAGES:
                continue
            if not optional:  # an optional file's other libraries come with GTK/Wayland
                unknown.setdefault(soname, set()).add(path.name)
    assert not unknown, f"add these to platform_check.LIBRARY_PACKAGES: {unknown}"


def test_packages_and_the_required_set() -> None:
    required = pc.required_libraries()
    assert "libxcb-icccm.so.4" in required and "libxcb-keysyms.so.1" in required
    assert not set(required) & pc.OPTIONAL_LIBRARIES
    assert pc.packages_for(["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libfoo.so.9"]) == \
        ["libxcb-icccm4", "libxcb-keysyms1"]
    assert pc.packages_for(["libgtk-3.so.0", "libgdk-3.so.0"]) == ["libgtk-3-0"]


def test_without_apt_the_message_names_debian_packages_as_a_hint(tmp_path: Path) -> None:
    verdict = pc.PlatformVerdict("xcb", missing=["libxcb-icccm.so.4"])
    text = pc.explain([verdict], {"PATH": str(tmp_path)})  # no apt-get there
    assert "with your system's package manager (on Debian and Ubuntu: libxcb-icccm4)" in text
    assert "sudo apt" not in text


def test_a_cut_short_loader_cache_costs_only_itself(tmp_path: Path, x_server: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A truncated /etc/ld.so.cache raised struct.error, which stopped the start: the
    check goes on without the cache (the loader confirms what is missing). One check
    per cut: each connects to the stand-in X server, whose backlog is short."""
    data = pc.LD_CACHE.read_bytes()
    start = data.find(b"glibc-ld.so.cache1.1")
    assert start >= 0, "this machine's loader cache is not glibc's format"
    plugins = broken_plugin(tmp_path / "qt", "libqxcb.so", "libxcb-icccm.so.4", GONE_X11)
    env = clean_env(tmp_path, DISPLAY=x_server, QT_PLUGIN_PATH=str(plugins))
    try:
        for cut in (start + 30, start + 48 + 24 * 3, len(data) // 2, len(data) - 1):
            cache = tmp_path / f"ld.so.cache.{cut}"
            cache.write_bytes(data[:cut])
            monkeypatch.setattr(pc, "LD_CACHE", cache)
            pc._ld_cache.cache_clear()
            verdicts = pc.diagnose(env)
            assert verdicts is not None and GONE_X11 in verdicts[0].missing, cut
    finally:
        pc._ld_cache.cache_clear()


def test_a_plugin_folder_that_cannot_be_read_is_passed_over(tmp_path: Path,
                                                            x_server: str) -> None:
    """A QT_PLUGIN_PATH entry the system refuses (unreadable, a name too long) raised
    OSError, which stopped the start; Qt's loader passes over it, and so does the
    check: the broken plugin after it is still found and explained."""
    plugins = broken_plugin(tmp_path / "qt", "libqxcb.so", "libxcb-icccm.so.4", GONE_X11)
    locked = tmp_path / "locked"
    (locked / "platforms").mkdir(parents=True)
    locked.chmod(0)
    try:
        env = clean_env(tmp_path, DISPLAY=x_server,
                        QT_PLUGIN_PATH=f"/{'x' * 300}:{locked}:{plugins}")
        verdicts = pc.diagnose(env)
        assert verdicts is not None and GONE_X11 in verdicts[0].missing
        assert verdicts[0].plugin == plugins / "platforms" / "libqxcb.so"
    finally:
        locked.chmod(0o755)


def test_a_check_that_fails_leaves_the_start_to_qt(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """Whatever else goes wrong inside the check is logged, and the start goes on."""
    def unforeseen(platform: str, env: object) -> None:
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(pc, "check_platform", unforeseen)
    with caplog.at_level(logging.WARNING, logger=pc.__name__):
        assert pc.ensure_window_can_open(clean_env(tmp_path, QT_QPA_PLATFORM="xcb")) is None
    assert "starting anyway" in caplog.text
    assert "something nobody foresaw" in caplog.text


def test_an_x_server_that_does_not_accept_never_hangs_the_start(
        x_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fill the listening socket's backlog: the next connect blocks, as with an X server
    # that stopped accepting. The check gives up after its limit and leaves it to Qt.
    monkeypatch.setattr(pc, "X11_CONNECT_TIMEOUT_S", 0.2)
    number = x_server[1:]
    waiting = []
    try:
        for _ in range(64):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.setblocking(False)
            waiting.append(sock)
            sock.connect_ex(f"\0/tmp/.X11-unix/X{number}")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        probe.settimeout(0.2)
        with probe, pytest.raises((TimeoutError, BlockingIOError)):  # really full
            probe.connect(f"\0/tmp/.X11-unix/X{number}")
        assert pc.x11_display_problem({"DISPLAY": x_server}) is None
    finally:
        for sock in waiting:
            sock.close()
