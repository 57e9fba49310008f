"""Build Cove's .deb from the one-folder app (``make package-deb``).

    python tools/build_deb.py [--onedir dist/Cove] [--out dist]

The package installs:

- the app in ``/opt/cove`` (``Cove`` and its ``_internal/`` folder, as PyInstaller
  built them) and the command ``/usr/bin/cove`` linking to it;
- ``/usr/share/applications/org.coveapp.Cove.desktop``, the icons in the hicolor theme
  (PNG sizes and the scalable SVG) and ``/usr/share/metainfo/…metainfo.xml`` (AppStream,
  for software centres);
- ``/usr/share/doc/cove/copyright``.

``Depends`` is computed by dpkg-shlibdeps from the bundled ELF files, so it names
exactly the system libraries the app links to (the spec leaves the desktop's own
libraries out of the bundle), with the versions this build needs. Files that link to
an optional library (app/platform_check.py's ``OPTIONAL_LIBRARIES``: Qt's Wayland
plugins and the GTK 3 theme, which Qt falls back from or skips when their libraries are
absent) are left out of that: their libraries become ``Recommends``, as does bubblewrap
(the python tool's sandbox, ``ALSO_RECOMMENDED``). So a default desktop gets what it
needs, and the build machine needs only the required libraries (``make package-deps``
installs them) for dpkg-shlibdeps to succeed. The menu and icon
caches are refreshed by the dpkg triggers of desktop-file-utils and the icon theme:
no maintainer scripts. Removing the package never touches what a user keeps in their
home folder (models, chats, settings).

``COVE_DEB_COMPRESSION`` picks the compression (see :func:`compression`).

Needs dpkg-deb and dpkg-shlibdeps (Debian's dpkg-dev), and the required system libraries
the app links to installed on the build machine: ``make package-deps`` installs them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import packaging_meta as meta

sys.path.insert(0, str(meta.ROOT))
from app import platform_check  # standard library only: the launcher's library map

LINUX = meta.ROOT / "installers" / "linux"
PREFIX = Path("opt") / meta.PACKAGE
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def debian_version(version: str) -> str:
    """PEP 440 → Debian: pre-releases sort before the release (``~``), post-releases
    and local versions after it (``+``). ``0.2.0rc1`` → ``0.2.0~rc1``."""
    v = version.replace("-", ".")
    v = re.sub(r"\.?(a|b|rc|alpha|beta|dev)(\d*)", r"~\1\2", v)
    return re.sub(r"\.?post(\d*)", r"+post\1", v)


def release_date() -> str:
    """Reproducible when SOURCE_DATE_EPOCH is set (as release builds do)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else \
        dt.datetime.now(dt.timezone.utc)
    return when.date().isoformat()


def fill(template: Path, **values: str) -> str:
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    if re.search(r"@[A-Z]+@", text):
        raise SystemExit(f"{template} has a placeholder that was not filled in.")
    return text


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)  # same file system: no copy of 200 MB
    except OSError:
        shutil.copy2(src, dst)


def stage(onedir: Path, root: Path) -> None:
    """Lay out the package's files under ``root`` as they will be installed."""
    app_dir = root / PREFIX
    shutil.copytree(onedir, app_dir, symlinks=True, copy_function=_link_or_copy)
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin" / meta.PACKAGE).symlink_to(f"/{PREFIX}/{meta.EXECUTABLE}")

    share = root / "usr/share"
    (share / "applications").mkdir(parents=True)
    (share / "applications" / f"{meta.APP_ID}.desktop").write_text(
        fill(LINUX / f"{meta.APP_ID}.desktop", EXEC=f"/{PREFIX}/{meta.EXECUTABLE}"),
        encoding="utf-8")
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / f"{meta.APP_ID}.metainfo.xml").write_text(
        fill(LINUX / f"{meta.APP_ID}.metainfo.xml", VERSION=meta.version(),
             DATE=release_date()), encoding="utf-8")
    for size in ICON_SIZES:
        folder = share / f"icons/hicolor/{size}x{size}/apps"
        folder.mkdir(parents=True)
        shutil.copyfile(meta.ICON_DIR / "png" / f"{size}.png", folder / f"{meta.APP_ID}.png")
    scalable = share / "icons/hicolor/scalable/apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(meta.ICON_DIR / "cove.svg", scalable / f"{meta.APP_ID}.svg")
    doc = share / "doc" / meta.PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(fill(LINUX / "copyright"), encoding="utf-8")
    for path in root.rglob("*"):  # dpkg wants 0755 folders and no group/other writes
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(0o755 if path.is_dir() or mode & 0o111 else 0o644)


def _is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def elf_files(folder: Path) -> list[Path]:
    """Every ELF file under ``folder`` (symbolic links left out: their targets count)."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not p.is_symlink() and _is_elf(p))


def optional_needs(path: Path) -> frozenset[str]:
    """The optional libraries ``path`` links to: empty for a required file."""
    info = platform_check.read_elf(path)
    return frozenset(info.needed) & platform_check.OPTIONAL_LIBRARIES if info else frozenset()


def split_elves(folder: Path) -> tuple[list[Path], list[Path]]:
    """(required, optional) ELF files: optional ones link to an optional library."""
    required: list[Path] = []
    optional: list[Path] = []
    for path in elf_files(folder):
        (optional if optional_needs(path) else required).append(path)
    return required, optional


def recommends(optional: list[Path]) -> str:
    """The Recommends line: the packages of the optional files' optional libraries."""
    needs = set().union(*(optional_needs(p) for p in optional)) if optional else set()
    return ", ".join(platform_check.packages_for(needs))


def shlib_depends(root: Path, elves: list[Path] | None = None) -> str:
    """The Depends line dpkg-shlibdeps derives from the required ELF files."""
    app_dir = root.resolve() / PREFIX
    if elves is None:
        elves = split_elves(app_dir)[0]
    if not elves:
        return ""
    private = sorted({str(p.parent) for p in elf_files(app_dir)})  # bundled ones count
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "debian").mkdir()
        (Path(work) / "debian" / "control").write_text(
            f"Source: {meta.PACKAGE}\n\nPackage: {meta.PACKAGE}\nArchitecture: any\n")
        out = subprocess.run(
            ["dpkg-shlibdeps", "-O", "--ignore-missing-info", *[f"-l{d}" for d in private],
             *[f"-e{p}" for p in elves]],
            cwd=work, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("dpkg-shlibdeps failed: a library the app needs is not installed on "
                         "this build machine (`make package-deps` installs them).\n"
                         f"{out.stderr[-3000:]}")
    match = re.search(r"^shlibs:Depends=(.*)$", out.stdout, re.M)
    return match.group(1).strip() if match else ""


def installed_size_kib(root: Path) -> int:
    total = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir())
    return (total + 1023) // 1024


# Recommended besides libraries: bubblewrap, the python tool's strongest sandbox (its
# own file system and no network; app/tools/python.py). Without it the tool falls back
# to weaker ones; apt installs Recommends by default.
ALSO_RECOMMENDED = ("bubblewrap",)


def control(root: Path, depends: str, recommends: str = "") -> str:
    desc = meta.description()
    recommends = ", ".join(filter(None, (recommends, *ALSO_RECOMMENDED)))
    return "\n".join([
        f"Package: {meta.PACKAGE}",
        f"Version: {debian_version(meta.version())}",
        f"Architecture: {meta.deb_arch()}",
        f"Maintainer: {meta.PUBLISHER} <cove@coveapp.org>",
        f"Installed-Size: {installed_size_kib(root)}",
        *([f"Depends: {depends}"] if depends else []),
        *([f"Recommends: {recommends}"] if recommends else []),
        "Section: utils",
        "Priority: optional",
        f"Homepage: {meta.HOMEPAGE}",
        f"Description: {meta.SUMMARY}",
        " " + desc,
        " .",
        " Everything runs on this computer through llama.cpp: conversations, documents",
        " and models never leave it, and Cove needs no account and no internet",
        " connection except to download a model when asked.",
        "",
    ])


def md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            digest = hashlib.md5(path.read_bytes()).hexdigest()
            lines.append(f"{digest}  {path.relative_to(root)}")
    return "\n".join(lines) + "\n"


def compression() -> list[str]:
    """dpkg-deb's compression: ``COVE_DEB_COMPRESSION`` as ``type[:level]``.

    The default, zstd at dpkg's level, packs the 200 MB app in seconds (about 75 MB);
    ``xz`` makes it about 58 MB but takes minutes: worth it for a release download.
    Every dpkg that can run this build (glibc 2.34 and later: Debian 12, Ubuntu 22.04)
    reads zstd packages."""
    kind, _, level = os.environ.get("COVE_DEB_COMPRESSION", "zstd").partition(":")
    return [f"-Z{kind}", *([f"-z{level}"] if level else [])]


def build(onedir: Path, out_dir: Path) -> Path:
    exe = onedir / meta.EXECUTABLE
    if not exe.is_file():
        raise SystemExit(f"There is no one-folder app at {onedir}: run `make package` first.")
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{meta.PACKAGE}_{debian_version(meta.version())}_{meta.deb_arch()}.deb"
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".deb-") as tmp:
        root = Path(tmp) / "root"
        stage(onedir, root)
        required, optional = split_elves(root.resolve() / PREFIX)
        depends = shlib_depends(root, required)
        (root / "DEBIAN").mkdir()
        (root / "DEBIAN" / "control").write_text(
            control(root, depends, recommends(optional)), encoding="utf-8")
        (root / "DEBIAN" / "md5sums").write_text(md5sums(root), encoding="utf-8")
        for path in (root / "DEBIAN").iterdir():
            path.chmod(0o644)
        subprocess.run(["dpkg-deb", "--root-owner-group", *compression(), "--build",
                        str(root), str(deb)], check=True, stdout=subprocess.DEVNULL)
    return deb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--onedir", type=Path, default=meta.ROOT / "dist" / meta.NAME)
    parser.add_argument("--out", type=Path, default=meta.ROOT / "dist")
    args = parser.parse_args()
    started = time.perf_counter()
    deb = build(args.onedir, args.out)
    seconds = round(time.perf_counter() - started, 1)
    print(json.dumps({"deb": str(deb), "deb_mb": round(deb.stat().st_size / 2**20, 1),
                      "deb_build_s": seconds}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
