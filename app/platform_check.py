"""Before Qt starts: can it open a window on this computer? If not, say why and what to do.

When Qt finds no platform plugin it can use, it ends the process with ``abort()``:
a user who started Cove from the desktop menu sees nothing at all, and in a terminal
"Aborted" after Qt's own lines, which can name the wrong library (Qt 6.5+ blames
libxcb-cursor0 for any library its X11 plugin misses). An abort cannot be caught in
the process, so the launcher asks first, before PySide6 is imported (this module
imports no Qt):

- which platforms Qt will try, in Qt's own order (``QT_QPA_PLATFORM``; otherwise
  Wayland first when the session is Wayland, then X11 when ``DISPLAY`` is set);
- for X11 and Wayland, whether the platform plugin's shared libraries can be found:
  read from the plugin's ELF dynamic section and looked up as the dynamic loader
  does (RUNPATH, ``LD_LIBRARY_PATH``, the multiarch and default folders,
  ``/etc/ld.so.cache``), following Qt's own bundled libraries;
- whether there is a display to connect to (the X server's socket, the Wayland
  compositor's socket).

Only when no platform can work does the launcher stop, with a message that names the
Debian/Ubuntu packages to install (terminal, and a desktop dialog when started from
the menu). A missing library is confirmed by the real loader (``dlopen`` of the
plugin) before the start is stopped, so a mistake here costs at worst Qt's own
failure, never a start that would have worked. Other platforms (``offscreen`` for
tests, vnc, eglfs) are not checked. ``COVE_SKIP_PLATFORM_CHECK=1`` skips the check.

Cost on a working X11 desktop: a few small reads of the plugin and Qt's libraries, a
stat per system library and one socket connect: median 8.6 ms (min 4 ms) on a shared
2-core machine at load 6, beside a start of about 2 s there; 2.7 ms (the import) for
the offscreen platform. The text
is English only: Qt's translations cannot load before Qt does.

:data:`LIBRARY_PACKAGES` is the one map from a library to its Debian/Ubuntu package:
this message uses it, ``make package-deps`` installs the required ones on a build
machine, and tools/build_deb.py turns the optional ones into ``Recommends``.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import struct
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

SKIP_ENV = "COVE_SKIP_PLATFORM_CHECK"
LD_CACHE = Path("/etc/ld.so.cache")
log = logging.getLogger(__name__)

# Library (soname) → Debian/Ubuntu package. Qt's X11 plugin and Qt's GUI core: every
# desktop needs these (X11 is also what Wayland desktops fall back to, through
# XWayland), so the .deb depends on them. Ubuntu 24.04 renamed some of these packages
# with a "t64" suffix; apt installs the new name when asked for the old one.
LIBRARY_PACKAGES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    # Optional: plugins Qt skips, or falls back from, when these are missing.
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libgtk-3.so.0": "libgtk-3-0",
    "libgdk-3.so.0": "libgtk-3-0",
}

# Libraries only optional plugins need. Wayland: Qt tries its Wayland plugin first in
# a Wayland session and falls back to X11 (XWayland) when it cannot load, and every
# Wayland desktop has these libraries (GTK 3 itself depends on them). GTK 3: the
# platform theme (native dialogs and colours) that Qt skips when GTK is absent, as on
# a KDE desktop. A file that needs one of these is optional: the .deb recommends its
# libraries instead of depending on them (tools/build_deb.py).
OPTIONAL_LIBRARIES: frozenset[str] = frozenset({
    "libwayland-client.so.0", "libwayland-cursor.so.0", "libwayland-egl.so.1",
    "libgtk-3.so.0", "libgdk-3.so.0",
})

# The C library's own files come with libc6, which every system has.
_LIBC = ("libc.so.", "libm.so.", "libdl.so.", "libpthread.so.", "librt.so.", "ld-linux")

_PLUGIN_FILES = {  # platform (plugin key) → plugin file names Qt 6 has used for it
    "xcb": ("libqxcb.so",),
    "wayland": ("libqwayland.so", "libqwayland-generic.so"),
    "wayland-egl": ("libqwayland.so", "libqwayland-egl.so"),
}
_LABELS = {"xcb": "X11", "wayland": "Wayland", "wayland-egl": "Wayland"}
_MULTIARCH = {62: "x86_64-linux-gnu", 183: "aarch64-linux-gnu", 3: "i386-linux-gnu",
              40: "arm-linux-gnueabihf", 243: "riscv64-linux-gnu",
              21: "powerpc64le-linux-gnu", 22: "s390x-linux-gnu"}


def required_libraries() -> list[str]:
    """The libraries a Linux desktop must have for Cove's window (the .deb's Depends)."""
    return sorted(set(LIBRARY_PACKAGES) - OPTIONAL_LIBRARIES)


def packages_for(sonames: Iterable[str]) -> list[str]:
    """Debian/Ubuntu packages that provide ``sonames`` (those the map knows), sorted."""
    return sorted({LIBRARY_PACKAGES[s] for s in sonames if s in LIBRARY_PACKAGES})


# --- ELF: which libraries a file needs --------------------------------------------

@dataclass(frozen=True)
class ElfInfo:
    """What the dynamic loader reads from a shared object before loading it."""

    needed: tuple[str, ...]
    runpath: tuple[str, ...]  # DT_RUNPATH or DT_RPATH, $ORIGIN expanded
    machine: tuple[int, int]  # (ELF class, e_machine): a library must match


def read_elf(path: str | os.PathLike[str]) -> ElfInfo | None:
    """The DT_NEEDED entries and search path of an ELF file; None when not one.

    Reads only the headers, the dynamic section and the strings it points to: a few
    kilobytes even of a 10 MB library."""
    try:
        with open(path, "rb") as f:  # $ORIGIN: the folder as named, as glibc does
            return _read_elf(f, os.path.dirname(os.path.abspath(path)))
    except (OSError, struct.error, ValueError):
        return None


def _read_elf(f: BinaryIO, origin: str) -> ElfInfo | None:
    ident = f.read(64)
    if len(ident) < 52 or ident[:4] != b"\x7fELF" or ident[4] not in (1, 2):
        return None
    wide, end = ident[4] == 2, "<" if ident[5] == 1 else ">"
    machine = struct.unpack_from(end + "H", ident, 18)[0]
    if wide:
        phoff, = struct.unpack_from(end + "Q", ident, 32)
        phentsize, phnum = struct.unpack_from(end + "HH", ident, 54)
    else:
        phoff, = struct.unpack_from(end + "I", ident, 28)
        phentsize, phnum = struct.unpack_from(end + "HH", ident, 42)
    f.seek(phoff)
    table = f.read(phentsize * phnum)
    loads, dynamic = [], None
    for i in range(phnum):
        if wide:
            p_type, _, off, vaddr, _, filesz = struct.unpack_from(end + "IIQQQQ", table,
                                                                  i * phentsize)
        else:
            p_type, off, vaddr, _, filesz = struct.unpack_from(end + "IIIII", table,
                                                               i * phentsize)
        if p_type == 1:  # PT_LOAD
            loads.append((vaddr, off, filesz))
        elif p_type == 2:  # PT_DYNAMIC
            dynamic = (off, filesz)
    if dynamic is None:
        return ElfInfo((), (), (ident[4], machine))
    f.seek(dynamic[0])
    raw = f.read(dynamic[1])
    entry = end + ("qQ" if wide else "iI")
    usable = len(raw) - len(raw) % struct.calcsize(entry)
    tags: list[tuple[int, int]] = []
    for tag, value in struct.iter_unpack(entry, raw[:usable]):
        if tag == 0:  # DT_NULL ends the section
            break
        tags.append((tag, value))
    strtab = next((v for t, v in tags if t == 5), None)  # DT_STRTAB, an address
    if strtab is None:
        return ElfInfo((), (), (ident[4], machine))
    base = next((off + strtab - vaddr for vaddr, off, size in loads
                 if vaddr <= strtab < vaddr + size), strtab)

    def string(offset: int) -> str:
        f.seek(base + offset)
        data = b""
        while b"\0" not in data:
            chunk = f.read(256)
            if not chunk:
                break
            data += chunk
        return data.split(b"\0", 1)[0].decode("utf-8", "replace")

    needed = tuple(string(v) for t, v in tags if t == 1)  # DT_NEEDED
    paths = [string(v) for t, v in tags if t == 29] or [string(v) for t, v in tags if t == 15]
    runpath = tuple(p.replace("${ORIGIN}", origin).replace("$ORIGIN", origin)
                    for joined in paths for p in joined.split(":") if p)
    return ElfInfo(needed, runpath, (ident[4], machine))


# --- The loader's search ------------------------------------------------------------

def elf_machine(path: str) -> tuple[int, int] | None:
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError:
        return None
    if len(head) < 20 or head[:4] != b"\x7fELF":
        return None
    return head[4], struct.unpack_from("<H" if head[5] == 1 else ">H", head, 18)[0]


@lru_cache(maxsize=1)
def _ld_cache() -> dict[str, tuple[str, ...]]:
    """soname → paths, from /etc/ld.so.cache (glibc's "glibc-ld.so.cache1.1" format,
    alone or after the old format's entries). Empty when it cannot be read or is cut
    short: a library then counts as missing only if the loader agrees."""
    try:
        data = LD_CACHE.read_bytes()
    except OSError:
        return {}
    try:
        return _parse_ld_cache(data)
    except (struct.error, ValueError):
        return {}


def _parse_ld_cache(data: bytes) -> dict[str, tuple[str, ...]]:
    magic = b"glibc-ld.so.cache1.1"
    start = data.find(magic)
    if start < 0:
        return {}
    nlibs, = struct.unpack_from("<I", data, start + 20)
    found: dict[str, list[str]] = {}

    def text(offset: int) -> str:
        end = data.find(b"\0", start + offset)
        if end < 0:
            raise ValueError("a name runs past the end of the cache")
        return data[start + offset:end].decode("utf-8", "replace")

    for i in range(nlibs):
        _, key, value = struct.unpack_from("<iII", data, start + 48 + 24 * i)
        found.setdefault(text(key), []).append(text(value))
    return {k: tuple(v) for k, v in found.items()}


def _default_dirs(machine: tuple[int, int]) -> list[str]:
    triplet = _MULTIARCH.get(machine[1])
    wide = machine[0] == 2
    dirs = [f"/lib/{triplet}", f"/usr/lib/{triplet}"] if triplet else []
    return dirs + (["/lib64", "/usr/lib64"] if wide else []) + ["/lib", "/usr/lib"]


def find_library(soname: str, info: ElfInfo,
                 env: Mapping[str, str]) -> tuple[str, bool] | None:
    """Where the dynamic loader would find ``soname`` for a file with ``info``, and
    whether it was found beside the app (RUNPATH or LD_LIBRARY_PATH) rather than in
    the system's folders; None when it would not find it."""
    if "/" in soname:
        return (soname, True) if os.path.exists(soname) else None
    own = [d for d in env.get("LD_LIBRARY_PATH", "").split(":") if d] + list(info.runpath)
    multiarch = _default_dirs(info.machine)[:2] if info.machine[1] in _MULTIARCH else []
    for folders, beside in ((own, True), (_default_dirs(info.machine), False)):
        for folder in folders:
            path = os.path.join(folder, soname)
            # A multiarch folder holds only its architecture: no need to read the file.
            if os.path.exists(path) and (folder in multiarch
                                         or elf_machine(path) == info.machine):
                return path, beside
    for path in _ld_cache().get(soname, ()):
        if elf_machine(path) == info.machine:
            return path, False
    return None


def missing_libraries(path: str | os.PathLike[str], env: Mapping[str, str]) -> list[str]:
    """Libraries ``path`` needs that cannot be found, following the libraries that come
    with it (Qt's own, found through its RUNPATH) but not the system's: a system
    library's own needs are its package's business."""
    root = read_elf(path)
    if root is None:
        return []
    missing: list[str] = []
    seen: set[str] = set()
    queue = [root]
    while queue:
        info = queue.pop()
        for soname in info.needed:
            if soname in seen or soname.startswith(_LIBC):
                continue
            seen.add(soname)
            found = find_library(soname, info, env)
            if found is None:
                missing.append(soname)
            elif found[1]:  # shipped with Qt: what it needs counts too
                child = read_elf(found[0])
                if child is not None:
                    queue.append(child)
    return sorted(missing)


# --- Which platforms Qt will try ----------------------------------------------------

def qt_platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt 6 tries, in its order (QGuiApplicationPrivate::
    createPlatformIntegration): ``QT_QPA_PLATFORM`` when set; otherwise Wayland when
    WAYLAND_DISPLAY is set or the session is Wayland, then X11 when DISPLAY is set,
    and X11 (the default of Qt's Linux builds) when neither."""
    chosen = env.get("QT_QPA_PLATFORM", "")
    if not chosen:
        order = []
        if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
            order.append("wayland")
        order.append("xcb")
        return order
    return [part.split(":", 1)[0].strip() for part in chosen.split(";") if part.strip()]


def plugin_dirs(env: Mapping[str, str]) -> list[Path]:
    """Folders Qt's plugin loader looks in for platform plugins, in order:
    QT_PLUGIN_PATH (the frozen app's runtime hook sets it), then PySide6's own."""
    dirs = [Path(p) / "platforms" for p in env.get("QT_PLUGIN_PATH", "").split(":") if p]
    return dirs + [Path(p) / "Qt" / "plugins" / "platforms" for p in _pyside_dirs()]


def _pyside_dirs() -> list[str]:
    """PySide6's folder, found without importing it (that would load Qt)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        meipass = getattr(sys, "_MEIPASS", None)
        return [os.path.join(meipass, "PySide6")] if meipass else []
    return list(spec.submodule_search_locations)


def find_plugins(platform: str, env: Mapping[str, str]) -> list[Path]:
    """The plugin files Qt tries for ``platform``: the one in
    QT_QPA_PLATFORM_PLUGIN_PATH first, if any, then the first its loader finds (the
    first file found decides: Qt does not try a second one)."""
    found = []
    for dirs in ([Path(p) for p in env.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(":")
                  if p], plugin_dirs(env)):
        plugin = next((d / name for d in dirs for name in _PLUGIN_FILES.get(platform, ())
                       if _is_file(d / name)), None)
        if plugin is not None:
            found.append(plugin)
    return found


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a folder that cannot be read or a name
    the system refuses, as Qt's loader passes over them."""
    try:
        return path.is_file()
    except OSError:
        return False


# --- Displays -----------------------------------------------------------------------

X11_CONNECT_TIMEOUT_S = 2.0

def x11_display_problem(env: Mapping[str, str]) -> str | None:
    """Why the X server in DISPLAY cannot be reached, or None (reachable, or remote:
    a TCP display is not probed)."""
    display = env.get("DISPLAY", "")
    if not display:
        return "DISPLAY is not set"
    host, _, rest = display.rpartition(":")
    number = rest.split(".", 1)[0]
    if host not in ("", "unix") or not number.isdigit():
        return None
    path = f"/tmp/.X11-unix/X{number}"
    for address in ("\0" + path, path):  # libxcb tries the abstract socket first
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            # A server that does not accept (its backlog full, the machine swapping)
            # must not hang Cove's start here: past the limit, Qt is left to try.
            sock.settimeout(X11_CONNECT_TIMEOUT_S)
            try:
                sock.connect(address)
                return None
            except (TimeoutError, BlockingIOError):  # busy (Linux says EAGAIN at once)
                return None
            except OSError:
                continue
    return f"no X server answers on display {display}"


def wayland_display_problem(env: Mapping[str, str]) -> str | None:
    """Why no Wayland compositor can be reached, or None."""
    if env.get("WAYLAND_SOCKET"):  # a socket handed over by the compositor
        return None
    name = env.get("WAYLAND_DISPLAY") or "wayland-0"  # libwayland's default
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if not name.startswith("/") and not runtime:
        return "XDG_RUNTIME_DIR is not set"
    path = os.path.join(runtime, name)
    if os.path.exists(path):
        return None
    if not env.get("WAYLAND_DISPLAY"):
        return "WAYLAND_DISPLAY is not set"
    return f"no Wayland compositor at {path}"


# --- The verdict --------------------------------------------------------------------

@dataclass
class PlatformVerdict:
    """What stands between Qt and a window on one platform."""

    platform: str
    plugin: Path | None = None
    missing: list[str] = field(default_factory=list)
    display_problem: str | None = None
    loader_error: str | None = None

    @property
    def label(self) -> str:
        return _LABELS.get(self.platform, self.platform)

    @property
    def works(self) -> bool:
        return not self.missing and self.display_problem is None


def check_platform(platform: str, env: Mapping[str, str]) -> PlatformVerdict | None:
    """The verdict for one platform; None for the ones not checked (offscreen, vnc…)
    and when its plugin cannot be found (Qt then says so itself)."""
    plugins = find_plugins(platform, env) if platform in _PLUGIN_FILES else []
    if not plugins:
        return None
    verdict = PlatformVerdict(platform, plugins[-1])
    verdict.display_problem = (x11_display_problem(env) if platform == "xcb"
                               else wayland_display_problem(env))
    for plugin in plugins:
        verdict.plugin, verdict.missing = plugin, missing_libraries(plugin, env)
        if verdict.missing:
            verdict.loader_error = _loader_error(plugin)
            if verdict.loader_error is None:  # the loader found them after all: trust it
                verdict.missing = []
        if not verdict.missing:
            verdict.loader_error = None
            break
    return verdict


def _loader_error(plugin: Path) -> str | None:
    """The dynamic loader's own answer: None when the plugin loads."""
    import ctypes

    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY | os.RTLD_LOCAL)
    except OSError as exc:
        return str(exc)
    return None


def diagnose(env: Mapping[str, str] | None = None) -> list[PlatformVerdict] | None:
    """None when Qt can open a window (or the check does not apply); otherwise the
    verdict of each platform Qt would try, none of which works."""
    env = os.environ if env is None else env
    if env.get(SKIP_ENV) == "1" or not sys.platform.startswith("linux"):
        return None
    verdicts = []
    for platform in qt_platforms(env):
        verdict = check_platform(platform, env)
        if verdict is None or verdict.works:
            return None
        verdicts.append(verdict)
    return verdicts or None


# --- Telling the user ---------------------------------------------------------------

def explain(verdicts: list[PlatformVerdict], env: Mapping[str, str]) -> str:
    """What happened, what is safe, what to do: for a terminal or a dialog. Libraries
    are asked for only for platforms that have a display (installing X11's libraries
    does not help in a Wayland session without X11), or for all when none has."""
    usable = _with_display(verdicts)
    lines = ["Cove cannot open its window."]
    if not usable:
        reasons = "; ".join(f"{v.display_problem} ({v.label})" for v in verdicts)
        lines.append(f"There is no display to show it on: {reasons}. Start Cove from your "
                     "desktop, or chat without a window in a terminal: cove chat --model FILE")
    for v in usable or verdicts:
        if v.missing:
            lines.append(f"To show windows on {v.label} it needs libraries that are not "
                         f"installed on this computer: {', '.join(v.missing)}.")
    if usable:
        lines += [f"({v.label} cannot be used instead: {v.display_problem}.)"
                  for v in verdicts if v.display_problem]
    missing = sorted({lib for v in usable or verdicts for lib in v.missing})
    if missing:
        lines += _install_lines(missing, env)
    lines.append("Nothing was changed: your chats, documents and models are safe.")
    return "\n".join(lines)


def _with_display(verdicts: list[PlatformVerdict]) -> list[PlatformVerdict]:
    return [v for v in verdicts if v.display_problem is None]


def _install_lines(missing: list[str], env: Mapping[str, str]) -> list[str]:
    packages = packages_for(missing)
    unknown = [s for s in missing if s not in LIBRARY_PACKAGES]
    if packages and shutil.which("apt-get", path=env.get("PATH")):
        lines = ["Install them, then start Cove again:",
                 "    sudo apt install " + " ".join(packages)]
        if unknown:
            lines.append("and the packages that provide " + ", ".join(unknown) + ".")
        return lines
    debian = f" (on Debian and Ubuntu: {' '.join(packages)})" if packages else ""
    return [f"Install the packages that provide them with your system's package manager"
            f"{debian}, then start Cove again."]


def _dialog_commands(text: str, env: Mapping[str, str]) -> list[list[str]]:
    title = "Cove cannot start"
    commands = [
        ["zenity", "--error", "--no-markup", f"--title={title}", f"--text={text}"],
        ["kdialog", "--title", title, "--error", text],
        ["xmessage", "-center", "-title", title, "-file", "-"],
        ["notify-send", "--urgency=critical", "--app-name=Cove", title, text],
    ]
    if "KDE" in env.get("XDG_CURRENT_DESKTOP", "").upper():
        commands.insert(0, commands.pop(1))
    return commands


def show_dialog(text: str, env: Mapping[str, str]) -> str | None:
    """Show ``text`` with the first desktop dialog program found (only local
    programs); returns its name, or None when there is none or no display."""
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return None
    for command in _dialog_commands(text, env):
        program = shutil.which(command[0], path=env.get("PATH"))
        if program is None:
            continue
        try:
            subprocess.run([program, *command[1:]], input=text, text=True, env=dict(env),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False)
        except OSError:
            continue
        return command[0]
    return None


def ensure_window_can_open(env: Mapping[str, str] | None = None) -> int | None:
    """Called by the launcher before Qt: None to go on, or the exit status after the
    user has been told why the window cannot open. A dialog is shown only when
    started without a terminal (from the desktop menu)."""
    env = os.environ if env is None else env
    try:
        verdicts = diagnose(env)
        text = explain(verdicts, env) if verdicts else ""
    except Exception:  # a check that fails must not stop a start that would work
        log.warning("Could not check whether a window can open; starting anyway",
                    exc_info=True)
        return None
    if verdicts is None:
        return None
    print(f"cove: {text}", file=sys.stderr, flush=True)
    for v in _with_display(verdicts) or verdicts:
        if v.loader_error:
            print(f"cove: (the system's loader says: {v.loader_error})", file=sys.stderr)
    if not (sys.stderr is not None and sys.stderr.isatty()):
        show_dialog(text, env)
    return 1
