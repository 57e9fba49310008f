"""``cove --self-test [--model PATH]``: can this installation run a model?

Reads a small PDF and Word file as attached documents are read, starts the model
worker the way the window does (:class:`~app.engine.client.EngineClient`;
in the frozen app that is ``Cove worker``), loads a model, generates a few tokens and
prints one JSON object on stdout: the backend llama.cpp chose, how long each step took
and the speed. The exit status is 0 when tokens came back and 1 otherwise, with what
went wrong on stderr, in words for the user, and in the JSON's ``error``.

The packaging smoke tests run it against the frozen app; a user (or a support page)
can run it to tell "Cove cannot start its engine on this computer" (a missing library,
an unsupported CPU) apart from "this model does not load". Without ``--model`` it
tests the model chosen in the settings, else the smallest usable one in the library.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from app import __version__
from app.config import paths

PROMPT = "Say hello in one short sentence."
_LOG_NAME = "self-test-worker.log"


class SelfTestError(Exception):
    """A step failed; ``stage`` says which (documents, worker, model, load, generate)."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(message)
        self.stage = stage


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cove --self-test",
        description="Start the model worker, load a model, generate a few tokens and "
                    "print what happened as JSON.")
    p.add_argument("--model", type=Path, default=None,
                   help="GGUF model to test with (default: the model chosen in Cove, "
                        "else the smallest one in the library)")
    p.add_argument("--tokens", type=int, default=8, help="tokens to generate (default: 8)")
    p.add_argument("--ctx", type=int, default=1024, help="context length (default: 1024)")
    p.add_argument("--gpu-layers", type=int, default=None,
                   help="layers on the GPU (default: as the hardware plan says)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads")
    return p


def default_model() -> Path | None:
    """The model the user chose in Cove, else the smallest usable one in the library."""
    from app.config import settings

    chosen = settings.load().model_path
    if chosen and Path(chosen).is_file():
        return Path(chosen)
    from app.models.library import Library

    usable = [m for m in Library(paths.models_dir()).models() if m.usable]
    return min(usable, key=lambda m: m.size_bytes).path if usable else None


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)


def _log_tail(path: Path, lines: int = 20) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line for line in text.splitlines() if line.strip()][-lines:]


def run(args: argparse.Namespace, report: dict[str, Any]) -> None:
    """Fill ``report`` step by step; raise SelfTestError at the first failure."""
    from app.engine import protocol
    from app.engine.client import EngineClient, EngineError

    check_documents(report)
    model = args.model.expanduser() if args.model else default_model()
    log_path = paths.log_dir() / _LOG_NAME
    log_path.unlink(missing_ok=True)
    report["worker_log"] = str(log_path)

    started = time.perf_counter()
    try:
        engine = EngineClient(log_path=log_path)
    except EngineError as exc:
        raise SelfTestError("worker", str(exc)) from exc
    report["worker_start_ms"] = _ms(started)
    with engine:
        if model is None:
            raise SelfTestError(
                "model", "The model worker starts, but there is no model to test with. "
                "Download one in Cove, or pass --model PATH to a .gguf file.")
        if not model.is_file():
            raise SelfTestError("model", f"There is no model file at {model}.")
        report["model"] = str(model)

        started = time.perf_counter()
        try:
            info = engine.load(model, n_ctx=args.ctx, n_gpu_layers=args.gpu_layers,
                               n_threads=args.threads, seed=1)
        except EngineError as exc:
            raise SelfTestError("load", str(exc)) from exc
        report["load_ms"] = _ms(started)
        for key in ("name", "backend", "backends", "gpu_offload_supported", "n_gpu_layers",
                    "n_threads", "n_ctx", "harmony"):
            report[key] = info.get(key)

        started = time.perf_counter()
        text: list[str] = []
        end: dict[str, Any] = {}
        for msg in engine.chat([{"role": "user", "content": PROMPT}], effort="low",
                               sampling={"temp": 0.0}, max_tokens=args.tokens):
            if msg.get("type") == protocol.EVENT:
                text.append(msg.get("text", ""))
            elif msg.get("type") in (protocol.DONE, protocol.ERROR):
                end = msg
        report["generate_ms"] = _ms(started)
        if end.get("type") != protocol.DONE:
            raise SelfTestError("generate", end.get("message", "The answer did not finish."))
        stats = end.get("stats", {})
        report["tokens_generated"] = stats.get("completion_tokens", 0)
        report["tokens_per_s"] = stats.get("tokens_per_s")
        report["prompt_tokens"] = stats.get("prompt_tokens")
        report["first_token_ms"] = stats.get("ttft_ms")
        report["sample"] = "".join(text)[:200]
        if not report["tokens_generated"]:
            raise SelfTestError("generate", "The model loaded but generated no tokens.")


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII) in Helvetica, with a correct xref."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def check_documents(report: dict[str, Any]) -> None:
    """Read a PDF and a Word file the way attached documents are read (PDFium,
    python-docx, SQLite's full-text search, SQLCipher with a random key), in a
    temporary folder: a frozen build that left out one of them fails here, not when a
    user drops a file. The keyring backend found is reported (not required: a Linux
    without a Secret Service has none, and the window then asks)."""
    import tempfile

    from app.config import secrets
    from app.config.sqlcipher import Key
    from app.documents import DocumentIndex, Retriever

    report["keyring"] = secrets.keyring_label()

    started = time.perf_counter()
    try:
        import docx

        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "check.pdf").write_bytes(tiny_pdf("The lighthouse keeper logged "
                                                        "the comet."))
            word = docx.Document()
            word.add_heading("Harbour", level=1)
            word.add_paragraph("The cannery made marmalade.")
            word.save(str(folder / "check.docx"))
            with DocumentIndex(folder / "documents.db", isolate=True,
                               key=Key.random()) as index:
                found = {}
                for name, question in (("check.pdf", "Who logged the comet?"),
                                       ("check.docx", "What did the cannery make?")):
                    document = index.index(index.attach_file(1, folder / name).id)
                    if document.status != "ready":
                        raise SelfTestError("documents", f"{name}: {document.error}")
                    hits = Retriever(index).search([document.id], question).hits
                    found[name] = bool(hits)
            if (folder / "documents.db").read_bytes()[:16] == b"SQLite format 3\x00":
                raise SelfTestError("documents", "The documents' database was written "
                                    "unencrypted: SQLCipher is missing from this build.")
    except SelfTestError:
        raise
    except Exception as exc:
        raise SelfTestError("documents", f"Attached documents cannot be read: {exc!r}") \
            from exc
    if not all(found.values()):
        raise SelfTestError("documents", f"Document search found nothing: {found}")
    report["documents_ms"] = _ms(started)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    report: dict[str, Any] = {
        "ok": False, "version": __version__, "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable, "platform": platform.platform(),
        "machine": platform.machine(),
    }
    started = time.perf_counter()
    status = 1
    try:
        run(args, report)
        report["ok"] = True
        status = 0
    except SelfTestError as exc:
        report.update(stage=exc.stage, error=str(exc))
        if exc.stage not in ("model", "documents") and "worker_log" in report:
            report["worker_log_tail"] = _log_tail(Path(report["worker_log"]))
    except KeyboardInterrupt:
        report.update(stage="interrupted", error="The self-test was interrupted.")
        status = 130
    report["total_ms"] = _ms(started)
    print(json.dumps(report, ensure_ascii=False), file=out, flush=True)
    if status == 0:
        print(f"Cove self-test passed: {report['name']} on {report['backend']}, "
              f"{report['tokens_generated']} tokens at {report['tokens_per_s']} tokens/s "
              f"(worker {report['worker_start_ms'] / 1000:.1f} s, "
              f"load {report['load_ms'] / 1000:.1f} s).", file=err)
    else:
        print(f"Cove self-test failed ({report.get('stage')}): {report.get('error')}", file=err)
    return status


if __name__ == "__main__":  # python -m app.selftest [--model PATH]
    raise SystemExit(main())
