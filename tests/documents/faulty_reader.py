"""A reader process that fails the way PDFium can: ``python faulty_reader.py MODE PAGES
PATH START`` runs Cove's real reader (app.documents.isolated.main), except that reading
a page listed in PAGES (0-based, comma-separated) kills the process with SIGKILL
(MODE ``crash``, as a native fault would) or never returns (MODE ``hang``)."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.documents import extract, isolated


def main() -> int:
    mode, pages, *rest = sys.argv[1:]
    bad = {int(p) for p in pages.split(",") if p}
    real = extract.PdfReader._page_text

    def page_text(self: extract.PdfReader, index: int) -> str:
        if index in bad:
            if mode == "crash":
                os.kill(os.getpid(), signal.SIGKILL)
            while True:
                time.sleep(1)
        return real(self, index)

    extract.PdfReader._page_text = page_text  # type: ignore[method-assign]
    return isolated.main(rest)


if __name__ == "__main__":
    sys.exit(main())
