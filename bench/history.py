"""History benchmark (app/chats); prints one JSON object.

Machines here are shared and noisy, so the headline figure is a ratio against a baseline
measured in the same run:

* path_over_select_ratio: ``ChatStore.path()`` of a 1,000-message conversation (walking
  the tree up from the leaf, building Message objects) over a plain ``SELECT`` of the
  same rows by conversation id (tuples only); medians. path_1000_ms and select_1000_ms
  are the two medians.
* search_ms_median / search_ms_p95: ``ChatStore.search()`` over 10,000 messages (100
  conversations, realistic lengths), across a mix of queries: common and rare words,
  several words, a two-letter word (the LIKE path), FTS syntax typed by a user;
  search_ms_by_query has each query's median. Hits come newest first, so a common word
  stops at the limit instead of ranking every match.
* writer_append_us: ``AnswerWriter.append`` per token (the streaming thread's cost; no
  I/O), against plain_append_us (appending to a list), and writer_flush_ms: one save
  (a commit with fsync) of one second of text into an answer already 50,000 characters
  long. writer_us_per_token_at_200tps spreads that save over a second of tokens at
  200 tokens/s: the whole cost of saving as it streams, per token.
* encrypted: the same run on a file encrypted as Cove keeps the user's history
  (SQLCipher, a raw 256-bit key: issue 17), and the ratios plain over encrypted
  (1.0: no cost; 0.8: encrypted takes 25% longer): encrypted_vs_plain_search_ratio
  (search medians), encrypted_vs_plain_append_ratio (writer_us_per_token_at_200tps,
  the streaming cost with its saves), encrypted_vs_plain_path_ratio.

Usage: python bench/history.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.chats.store import ChatStore  # noqa: E402 (after the path fix above)
from app.config.sqlcipher import Key, driver  # noqa: E402

WORDS = [
    "the", "model", "answer", "token", "context", "memory", "window", "thread", "process",
    "sqlite", "index", "search", "python", "widget", "layout", "signal", "slot", "reasoning",
    "effort", "harmony", "channel", "message", "branch", "leaf", "root", "history", "export",
    "import", "markdown", "table", "code", "block", "copy", "paste", "stream", "latency",
    "cache", "prefix", "prompt", "system", "user", "assistant", "offline", "private",
    "laptop", "gpu", "metal", "cuda", "vulkan", "quantization", "gguf", "weights", "tensor",
    "layer", "batch", "sampling",
]
RARE = "zephyrine"
QUERIES = ["model", "sqlite index", RARE, "stream cache prefix", "gp", 'he said "AND" (*',
           "quantiz", "window thread layout"]


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def median_ms(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def add_chain(store: ChatStore, rng: random.Random, title: str, count: int,
              rare_every: int = 0) -> int:
    """A conversation of ``count`` alternating messages in one transaction (bulk load:
    the API's one-commit-per-change would time the disk, not the reads)."""
    conv = store.create_conversation(title)
    conn = store._connection()
    with store._writing():
        parent = None
        for i in range(count):
            user = i % 2 == 0
            body = text(rng, 40 if user else 250)
            if rare_every and i % rare_every == 0:
                body += f" {RARE}"
            cur = conn.execute(
                "INSERT INTO messages (conversation_id, parent_id, role, content, reasoning,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (conv.id, parent, "user" if user else "assistant", body,
                 "" if user else text(rng, 80), time.time(), time.time()))
            parent = cur.lastrowid
        conn.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
                     (parent, conv.id))
    return conv.id


def bench_path(store: ChatStore, rng: random.Random, rounds: int) -> dict[str, float]:
    conv_id = add_chain(store, rng, "long conversation", 1000)
    conn = store._connection()
    sql = ("SELECT id, conversation_id, parent_id, role, content, reasoning, effort, model, "
           "status, error, prompt_tokens, completion_tokens, reasoning_ms, tokens_per_s, "
           "created_at, updated_at FROM messages WHERE conversation_id = ? ORDER BY id")
    assert len(store.path(conv_id)) == len(conn.execute(sql, (conv_id,)).fetchall()) == 1000
    path_ms = select_ms = 0.0
    for _ in range(3):  # interleaved, so a noisy neighbour hurts both alike
        path_ms = median_ms(lambda: store.path(conv_id), rounds)
        select_ms = median_ms(lambda: conn.execute(sql, (conv_id,)).fetchall(), rounds)
    return {"path_1000_ms": round(path_ms, 3), "select_1000_ms": round(select_ms, 3),
            "path_over_select_ratio": round(path_ms / select_ms, 2)}


def bench_search(store: ChatStore, rng: random.Random, rounds: int) -> dict[str, Any]:
    for n in range(100):
        add_chain(store, rng, f"{text(rng, 4)} {n}", 100, rare_every=97)
    total = store._connection().execute("SELECT count(*) FROM messages").fetchone()[0]
    by_query: dict[str, float] = {}
    samples: list[float] = []
    for query in QUERIES:
        store.search(query)  # warm the page cache, as a second search would be
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            store.search(query)
            times.append((time.perf_counter() - start) * 1000)
        by_query[query] = round(statistics.median(times), 3)
        samples += times
    samples.sort()
    return {"search_messages": total, "search_ms_median": round(statistics.median(samples), 3),
            "search_ms_p95": round(samples[int(len(samples) * 0.95)], 3),
            "search_ms_by_query": by_query}


def bench_writer(store: ChatStore, rng: random.Random) -> dict[str, float]:
    conv = store.create_conversation("writer")
    user = store.add_user_message(conv.id, "Write a long essay.")
    writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
    tokens = [rng.choice(WORDS) + " " for _ in range(20_000)]
    start = time.perf_counter()
    for token in tokens:
        writer.append(token)
    append_us = (time.perf_counter() - start) * 1e6 / len(tokens)
    plain: list[str] = []
    start = time.perf_counter()
    for token in tokens:
        plain.append(token)
    plain_us = (time.perf_counter() - start) * 1e6 / len(tokens)
    writer.flush()  # now the answer is ~100 kB: the worst case a save meets
    second = "".join(tokens[:200])  # one second of text at 200 tokens/s
    flushes = []
    for _ in range(10):
        writer.append(second)
        begin = time.perf_counter()
        writer.flush()
        flushes.append((time.perf_counter() - begin) * 1000)
    writer.finish("complete")
    flush_ms = statistics.median(flushes)
    return {"writer_append_us": round(append_us, 3), "plain_append_us": round(plain_us, 3),
            "writer_flush_ms": round(flush_ms, 3),
            "writer_us_per_token_at_200tps": round(append_us + flush_ms * 1000 / 200, 3)}


def run(rounds: int, key: Key | None) -> dict[str, Any]:
    rng = random.Random(7)
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder, \
            ChatStore(Path(folder) / "h.db", key=key) as store:
        result.update(bench_path(store, rng, rounds))
        result.update(bench_writer(store, rng))
        result.update(bench_search(store, rng, rounds))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    result: dict[str, Any] = {"python": sys.version.split()[0],
                              "sqlite": driver.sqlite_version}
    result.update(run(args.rounds, None))
    encrypted = run(args.rounds, Key.random())
    result["encrypted"] = encrypted
    for name, field in (("search", "search_ms_median"),
                        ("append", "writer_us_per_token_at_200tps"),
                        ("path", "path_1000_ms")):
        result[f"encrypted_vs_plain_{name}_ratio"] = round(result[field] / encrypted[field], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
