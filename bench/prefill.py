"""The first token with a document attached (issue 15 §3); one JSON.

On the synthetic gpt-oss-20b (tests/support/synthetic_gpt_oss.py: the real tensors,
shapes and types; ``--layers`` fewer for a quick run) through Cove's worker, with a
document of about ``--tokens`` tokens and the document rules in the developer message:

* ``ttft_plain_ms``: the question with no document (the median of ``--rounds``);
* ``ttft_doc_prefilled_ms``: the same question with the document, asked after the
  worker read the conversation ahead (``prefill``) and said it finished;
  ``ttft_doc_prefilled_over_plain`` is the ratio (target ≤ 1.5);
* ``ttft_after_restart_ms``: the same after the worker was restarted (a new process:
  the document's state comes from the sealed file on disk);
  ``ttft_after_restart_over_before`` against ``ttft_doc_prefilled_ms`` (target ≤ 1.5);
* ``prefill_s`` the background read itself, ``prompt_tokps`` its speed,
  ``state_mb`` the saved state's size on disk; with ``--cold`` also
  ``ttft_doc_cold_ms``, the question with the document never read before (what the
  user waited without any of this);
* ``load_average_before``/``_after``: the machine is shared.

Rounds interleave plain and document questions, so a busy moment hits both.

Usage: python bench/prefill.py [--layers 4] [--tokens 6000] [--rounds 3] [--cold]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config.sealed import FileKey
from app.documents.context import DOCUMENT_RULES
from app.engine.client import EngineClient
from app.engine.kv_store import PURPOSE
from tests.support import synthetic_gpt_oss as synthetic

QUESTION = "Which river flows into lake 350, and past which town?"


def document(client: EngineClient, tokens: int) -> str:
    """A ``<documents>`` block of about ``tokens`` tokens for the loaded model."""
    lines = [f"River {i} flows north into lake {i * 7} past the town of Vale{i}."
             for i in range(4000)]
    per_line = client.count_tokens(["\n".join(lines[:100])])[0] / 100
    n = max(1, int(tokens / per_line))
    return "<documents>\n[1] rivers.txt\n" + "\n".join(lines[:n]) + "\n</documents>"


def ttft(client: EngineClient, messages: list[dict[str, str]]) -> dict[str, Any]:
    for msg in client.chat(messages, DOCUMENT_RULES, effort="low",  # type: ignore[arg-type]
                           sampling={"temp": 0.0}, max_tokens=2):
        if msg["type"] == "error":
            raise RuntimeError(msg["message"])
        if msg["type"] == "done":
            return dict(msg["stats"])
    raise RuntimeError("no answer")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--tokens", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--flash-attn", choices=("plan", "on", "off"), default="plan")
    args = parser.parse_args()
    result: dict[str, Any] = {"load_average_before": round(os.getloadavg()[0], 2)}
    model = synthetic.ensure(args.layers)
    result.update(model=model.name, layers=args.layers)
    with tempfile.TemporaryDirectory(prefix="cove-bench-kv-") as folder, \
            EngineClient(log_path=Path(folder) / "worker.log") as client:
        states = Path(folder) / "kv"
        client.keep_states(states, FileKey(os.urandom(32), PURPOSE))
        flash = None if args.flash_attn == "plan" else args.flash_attn == "on"
        info = client.load(model, n_ctx=args.tokens + 4096, flash_attn=flash)
        result["flash_attn"] = info["plan"]["flash_attn"]
        result["n_threads"] = info["plan"]["n_threads"]
        block = document(client, args.tokens)
        plain = [{"role": "user", "content": QUESTION}]
        known = [{"role": "user", "content": f"{block}\n\n"}]
        asked = [{"role": "user", "content": f"{block}\n\n{QUESTION}"}]
        if args.cold:
            result["ttft_doc_cold_ms"] = ttft(client, asked)["ttft_ms"]
            for saved in states.glob("*.kvs"):
                saved.unlink()
            client.restart()
        started = time.perf_counter()
        first = client.wait_prefilled(client.prefill(known, DOCUMENT_RULES, "low"))
        result["prefill_s"] = round(time.perf_counter() - started, 1)
        result["document_tokens"] = first["tokens"]
        result["prompt_tokps"] = round(first["tokens"] / max(first["ms"] / 1000, 1e-9), 1)
        result["state_mb"] = round(sum(p.stat().st_size for p in states.glob("*.kvs"))
                                   / 1e6, 1)
        plains: list[float] = []
        prefilled: list[dict[str, Any]] = []
        for _ in range(args.rounds):
            plains.append(ttft(client, plain)["ttft_ms"])
            client.wait_prefilled(client.prefill(known, DOCUMENT_RULES, "low"))
            prefilled.append(ttft(client, asked))
        restarted: list[dict[str, Any]] = []
        for _ in range(args.rounds):
            client.restart()
            restarted.append(ttft(client, asked))
    plain_ms = statistics.median(plains)
    doc_ms = statistics.median(s["ttft_ms"] for s in prefilled)
    restart_ms = statistics.median(s["ttft_ms"] for s in restarted)
    result.update(
        ttft_plain_ms=round(plain_ms, 1),
        ttft_doc_prefilled_ms=round(doc_ms, 1),
        ttft_after_restart_ms=round(restart_ms, 1),
        doc_evaluated_tokens=max(s["evaluated_tokens"] for s in prefilled),
        after_restart_evaluated_tokens=max(s["evaluated_tokens"] for s in restarted),
        ttft_doc_prefilled_over_plain=round(doc_ms / plain_ms, 3),
        ttft_after_restart_over_before=round(restart_ms / doc_ms, 3),
        load_average_after=round(os.getloadavg()[0], 2),
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
