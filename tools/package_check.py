"""Check the Linux packages end to end (``make package-check``).

    python tools/package_check.py [--model PATH] [--runs 3] [--no-install]

After ``make package`` has built ``dist/Cove/``:

1. smoke-tests the frozen app (tools/package_smoke.py: self-test with the Gemma test
   model, window start on the offscreen platform);
2. builds the .deb (tools/build_deb.py);
3. installs it with dpkg, checks what landed (the .desktop file and AppStream data
   validate, the icons are there, every library the app links to resolves), runs the
   installed ``cove --self-test`` and starts the installed window;
4. purges it and checks that nothing of it is left.

Installing needs root (or password-less sudo); without it, or with ``--no-install``,
steps 3-4 are skipped and reported as such. The machine's own ``cove`` package, if
one was installed before, is replaced and then removed: run this on a build machine.

Progress goes to stderr; the last line on stdout is one JSON object with the figures
(sizes in MiB, times in milliseconds unless the key says ``_s``). Exits 1 when a check
failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_deb
import package_build
import package_smoke
import packaging_meta as meta

INSTALL_DIR = Path("/") / build_deb.PREFIX
COMMAND = Path("/usr/bin") / meta.PACKAGE
DESKTOP = Path("/usr/share/applications") / f"{meta.APP_ID}.desktop"
METAINFO = Path("/usr/share/metainfo") / f"{meta.APP_ID}.metainfo.xml"
ICON = Path("/usr/share/icons/hicolor/256x256/apps") / f"{meta.APP_ID}.png"


def say(text: str) -> None:
    print(f"package-check: {text}", file=sys.stderr, flush=True)


def as_root(cmd: list[str]) -> list[str]:
    return cmd if os.geteuid() == 0 else ["sudo", "-n", *cmd]


def can_install() -> bool:
    if shutil.which("dpkg") is None:
        return False
    if os.geteuid() == 0:
        return True
    return shutil.which("sudo") is not None and subprocess.run(
        ["sudo", "-n", "true"], capture_output=True).returncode == 0


def package_files(deb: Path) -> list[Path]:
    """The files and links the package installs (not its folders)."""
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True,
                             text=True, check=True).stdout
    files = []
    for line in listing.splitlines():
        if line.startswith("d"):
            continue
        name = line.split(None, 5)[5].split(" -> ")[0]
        files.append(Path("/") / name.removeprefix("./"))
    return files


def validate(tool: str, *args: str) -> bool | None:
    """True/False from a validator, None when the tool is not installed."""
    if shutil.which(tool) is None:
        return None
    out = subprocess.run([tool, *args], capture_output=True, text=True)
    if out.returncode != 0:
        say(f"{tool} {' '.join(args)}:\n{out.stdout}{out.stderr}")
    return out.returncode == 0


def missing_libraries(folder: Path) -> list[str]:
    """Libraries that bundled ELF files need and the loader cannot find, leaving out
    the optional files (Wayland, GTK 3) whose libraries the package only recommends."""
    missing = set()
    for path in build_deb.split_elves(folder)[0]:
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        missing |= {f"{path.name}: {line.split()[0]}" for line in out.splitlines()
                    if "not found" in line}
    return sorted(missing)


def install_and_remove(deb: Path, model: Path) -> dict[str, Any]:
    result: dict[str, Any] = {}
    files = package_files(deb)
    say(f"installing {deb.name} with dpkg")
    out = subprocess.run(as_root(["dpkg", "-i", str(deb)]), capture_output=True, text=True)
    result["deb_installed"] = out.returncode == 0
    if out.returncode != 0:
        result["deb_install_error"] = (out.stdout + out.stderr)[-3000:]
        say("dpkg -i failed; missing dependencies install with: apt-get install -f")
        subprocess.run(as_root(["dpkg", "--purge", meta.PACKAGE]), capture_output=True)
        return result
    try:
        result["installed_files_present"] = all(p.exists() or p.is_symlink() for p in files)
        result["desktop_file_valid"] = validate("desktop-file-validate", str(DESKTOP))
        result["metainfo_valid"] = validate("appstreamcli", "validate", "--no-net",
                                            str(METAINFO))
        result["icon_installed"] = ICON.is_file()
        result["installed_missing_libs"] = missing_libraries(INSTALL_DIR)
        say(f"running the installed {COMMAND} --self-test")
        with tempfile.TemporaryDirectory(prefix="cove-check-") as tmp:
            test = package_smoke.self_test(COMMAND, model, Path(tmp) / "self-test")
            window = package_smoke.start_window(COMMAND, Path(tmp) / "gui")
        result["installed_self_test_ok"] = test["ok"]
        result["installed_tokens_per_s"] = test.get("tokens_per_s")
        if not test["ok"]:
            result["installed_self_test"] = test
        result["installed_window_ok"] = window["ok"]
        result["installed_start_to_window_ms"] = window["start_to_window_ms"]
    finally:
        say(f"removing the {meta.PACKAGE} package (dpkg --purge)")
        out = subprocess.run(as_root(["dpkg", "--purge", meta.PACKAGE]), capture_output=True,
                             text=True)
        result["deb_purged"] = out.returncode == 0
        gone = subprocess.run(["dpkg-query", "-W", "-f=${Status}", meta.PACKAGE],
                              capture_output=True, text=True)
        still_known = gone.returncode == 0 and "installed" in gone.stdout.split()
        leftovers = [str(p) for p in [*files, INSTALL_DIR] if p.exists() or p.is_symlink()]
        result["uninstall_leftovers"] = leftovers
        result["uninstall_clean"] = result["deb_purged"] and not leftovers and not still_known
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="GGUF model (default: gemma)")
    parser.add_argument("--runs", type=int, default=3, help="timed window starts")
    parser.add_argument("--no-install", action="store_true", help="skip dpkg -i / --purge")
    args = parser.parse_args()
    started = time.perf_counter()
    onedir = meta.ROOT / "dist" / meta.NAME
    app = package_smoke.default_app()
    if not app.is_file():
        raise SystemExit(f"There is no frozen app at {app}: run `make package` first.")
    model = args.model or package_smoke.gemma_model()
    build_info_path = meta.ROOT / "dist" / f"{meta.NAME}.build.json"
    build_info = json.loads(build_info_path.read_text()) if build_info_path.is_file() else {}

    report: dict[str, Any] = {
        "version": meta.version(), "variant": meta.variant(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "onedir_mb": package_build.tree_mb(onedir),
        "build_s": build_info.get("build_s"),
    }
    say("smoke-testing the frozen app")
    t = time.perf_counter()
    smoke = package_smoke.smoke(app, model, args.runs)
    report["smoke_s"] = round(time.perf_counter() - t, 1)
    report.update({k: v for k, v in smoke.items() if k.startswith("frozen_")})
    if not smoke["frozen_self_test_ok"]:
        report["frozen_self_test"] = smoke["self_test"]
    if smoke["window_failures"]:
        report["frozen_window_failures"] = smoke["window_failures"]
    if not smoke["frozen_python_tool_ok"]:
        report["frozen_python_tool"] = smoke["python_tool"]

    say("building the .deb")
    t = time.perf_counter()
    deb = build_deb.build(onedir, meta.ROOT / "dist")
    report["deb"] = str(deb.relative_to(meta.ROOT))
    report["deb_mb"] = round(deb.stat().st_size / 2**20, 1)
    report["deb_compression"] = " ".join(build_deb.compression())
    report["deb_build_s"] = round(time.perf_counter() - t, 1)

    if args.no_install or not can_install():
        report["deb_installed"] = None
        report["deb_install_skipped"] = "--no-install" if args.no_install else \
            "installing needs root or password-less sudo, and dpkg"
    else:
        report.update(install_and_remove(deb, model))
    report["check_s"] = round(time.perf_counter() - started, 1)

    checks = ["frozen_self_test_ok", "frozen_window_ok", "frozen_python_tool_ok"]
    if report.get("deb_installed") is not None:
        checks += ["deb_installed", "installed_files_present", "icon_installed",
                   "installed_self_test_ok", "installed_window_ok", "uninstall_clean"]
        checks += [k for k in ("desktop_file_valid", "metainfo_valid")
                   if report.get(k) is not None]
    failed = [k for k in checks if not report.get(k)]
    if report.get("installed_missing_libs"):
        failed.append("installed_missing_libs")
    report["ok"] = not failed
    if failed:
        report["failed"] = failed
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
