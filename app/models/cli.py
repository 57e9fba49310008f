"""``cove models …``: list, download, import, verify and delete models from a terminal.

``register(subparsers)`` adds the ``models`` command to ``app/cli.py``'s parser and
``run(args)`` carries it out, printing errors written for the user (no tracebacks).
A download shows a progress bar; Ctrl+C pauses it, keeping the partial file, and
running the same command again resumes it.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from app.models.catalog import CATALOG, GIB, Machine
from app.models.downloads import (
    DownloadError,
    DownloadJob,
    DownloadManager,
    DownloadState,
    human_size,
)
from app.models.library import Library, LibraryError, LocalModel


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``cove models`` and its subcommands."""
    p = subparsers.add_parser("models", help="list, download, import, verify or delete models")
    p.add_argument("--models-dir", type=Path, default=None,
                   help="models folder (default: Cove's data folder)")
    sub = p.add_subparsers(dest="models_command", required=True)
    ls = sub.add_parser("list", help="models on this computer")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    cat = sub.add_parser("catalog", help="models Cove can download, and whether they fit")
    cat.add_argument("--ram-gb", type=float, default=None, help="this machine's RAM")
    cat.add_argument("--vram-gb", type=float, default=0.0, help="graphics memory")
    dl = sub.add_parser("download", help="download a GGUF from Hugging Face (resumable)")
    dl.add_argument("repo", help="repository, e.g. ggml-org/gpt-oss-20b-GGUF")
    dl.add_argument("file", help="file, e.g. gpt-oss-20b-mxfp4.gguf (a split model's "
                                 "first part brings the others)")
    dl.add_argument("--revision", default="main", help="branch, tag or commit")
    dl.add_argument("--endpoint", default=None, help="a Hugging Face mirror's address")
    imp = sub.add_parser("import", help="add a GGUF file you already have")
    imp.add_argument("path", type=Path)
    imp.add_argument("--in-place", action="store_true",
                     help="use the file where it is instead of copying it")
    ver = sub.add_parser("verify", help="re-check a model file")
    ver.add_argument("model", help="path or name of a model in the library")
    rm = sub.add_parser("delete", help="delete a model (a referenced file is only forgotten)")
    rm.add_argument("model", help="path or name of a model in the library")
    rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def run(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
        stdin: TextIO = sys.stdin) -> int:
    """Carry out ``cove models …``; returns the exit status."""
    models_dir = args.models_dir or _default_models_dir()
    library = Library(models_dir)
    command = args.models_command
    try:
        if command == "list":
            return _list(library, args.json, out)
        if command == "catalog":
            return _catalog(args, out)
        if command == "download":
            return _download(args, models_dir, out, err)
        if command == "import":
            model = library.import_file(args.path, copy=not args.in_place)
            print(f"Added {model.name} ({human_size(model.size_bytes)}).", file=out)
            return 0
        model = _find(library, args.model)
        if command == "verify":
            result = library.verify(model)
            print(result.message, file=out if result.ok else err)
            return 0 if result.ok else 1
        if command == "delete":
            return _delete(library, model, args.yes, out, err, stdin)
    except LibraryError as exc:
        print(f"cove: {exc}", file=err)
        return 1
    raise AssertionError(f"unknown models command {command!r}")


def _default_models_dir() -> Path:
    from app.config.paths import models_dir

    return models_dir()


def _describe(model: LocalModel) -> dict[str, Any]:
    return {"name": model.name, "path": str(model.path), "parts": len(model.parts),
            "size_bytes": model.size_bytes, "architecture": model.architecture,
            "quantization": model.quantization, "context_length": model.context_length,
            "parameter_count": model.parameter_count, "referenced": model.referenced,
            "problem": model.problem}


def _list(library: Library, as_json: bool, out: TextIO) -> int:
    models = library.models()
    if as_json:
        print(json.dumps([_describe(m) for m in models], indent=1), file=out)
        return 0
    if not models:
        print("No models yet. Try: cove models download ggml-org/gpt-oss-20b-GGUF "
              "gpt-oss-20b-mxfp4.gguf", file=out)
        return 0
    for m in models:
        params = f"{m.parameter_count / 1e9:.1f}B params" if m.parameter_count else "?"
        ctx = f"ctx {m.context_length}" if m.context_length else "ctx ?"
        line = (f"{m.name:32} {human_size(m.size_bytes):>9}  {m.architecture:10} "
                f"{m.quantization:10} {ctx:11} {params}")
        print(line + (f"\n    {m.problem}" if m.problem else "") + f"\n    {m.path}", file=out)
    return 0


def _catalog(args: argparse.Namespace, out: TextIO) -> int:
    machine = Machine(int(args.ram_gb * GIB), int(args.vram_gb * GIB)) \
        if args.ram_gb else None
    for entry in CATALOG:
        verdict = entry.verdict(machine) if machine else None
        fit = f"  [{verdict.fit.value}]" if verdict else ""
        default = " (default)" if entry.default else ""
        purpose = " (for documents)" if entry.embedding else ""
        print(f"{entry.title}{purpose}{default}: {human_size(entry.size_bytes)}{fit}", file=out)
        if verdict:  # the reason and the speed, not only the label
            print(f"    {verdict.text()}", file=out)
        print(f"    cove models download {entry.repo_id} {entry.filename}", file=out)
    return 0


def _find(library: Library, key: str) -> LocalModel:
    path = Path(key).expanduser()
    for model in library.models():
        if key == model.name or (path.exists() and path.resolve() == model.path.resolve()):
            return model
    raise LibraryError(f"No model “{key}” in the library (see: cove models list).")


def _delete(library: Library, model: LocalModel, yes: bool, out: TextIO, err: TextIO,
            stdin: TextIO) -> int:
    if not yes:
        action = "forget" if model.referenced else "delete"
        print(f"{action.capitalize()} {model.name} ({human_size(model.size_bytes)})? [y/N] ",
              end="", file=err, flush=True)
        if stdin.readline().strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.", file=err)
            return 1
    print(library.delete(model), file=out)
    return 0


def _download(args: argparse.Namespace, models_dir: Path, out: TextIO, err: TextIO) -> int:
    bar = _ProgressBar(err)
    manager = DownloadManager(models_dir, endpoint=args.endpoint, on_update=bar.update)
    try:
        job = manager.enqueue(args.repo, args.file, args.revision)
    except DownloadError as exc:
        manager.close()
        print(f"cove: {exc}", file=err)
        return 1
    try:
        while job.wait(0.5) not in (DownloadState.DONE, DownloadState.FAILED,
                                    DownloadState.CANCELLED, DownloadState.PAUSED):
            pass
    except KeyboardInterrupt:
        manager.pause(job)
        job.wait(30)
        bar.finish()
        print("Paused. The part already downloaded is kept; run the same command again "
              "to continue.", file=err)
        return 130
    finally:
        manager.close()
    bar.finish()
    return _report(job, out, err)


def _report(job: DownloadJob, out: TextIO, err: TextIO) -> int:
    if job.state is DownloadState.DONE:
        print(f"Downloaded and verified: {job.model_path}", file=out)
        return 0
    print(f"cove: {job.error or 'the download did not finish.'}", file=err)
    return 1


class _ProgressBar:
    """One line on stderr: percent, bytes, speed, time left (a line per 5 % off a tty)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()
        self._lock = threading.Lock()
        self._last = 0.0
        self._last_percent = -5

    def update(self, job: DownloadJob) -> None:
        p = job.progress
        if not p.total or p.phase not in ("downloading", "checking", "verifying"):
            return
        percent = int(p.fraction * 100)
        now = time.monotonic()
        with self._lock:
            if self._tty and now - self._last < 0.2 and p.phase == "downloading":
                return
            if not self._tty and percent < self._last_percent + 5:
                return
            self._last, self._last_percent = now, percent
            eta = _duration(p.eta) if p.eta is not None else "–"
            filled = int(p.fraction * 30)
            part = f" part {p.part}/{p.parts}" if p.parts > 1 else ""
            line = (f"{job.name}{part} [{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% "
                    f"{human_size(p.done)}/{human_size(p.total)} "
                    f"{human_size(p.speed)}/s {eta} left"
                    + (" (checking)" if p.phase == "checking" else "")
                    + (" (verifying)" if p.phase == "verifying" else ""))
            print(("\r" + line + "   ") if self._tty else line, end="" if self._tty else "\n",
                  file=self._stream, flush=True)

    def finish(self) -> None:
        if self._tty and self._last:
            print(file=self._stream)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"
