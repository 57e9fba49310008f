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
  (a commit with fsync) of one second of text into an answer already about 100 kB
  long (a save adds only the new text: ``ChatStore.append_answer``); median of 300.
  writer_us_per_token_at_200tps spreads that save over a second of tokens at
  200 tokens/s: the whole cost of saving as it streams, per token.
* encrypted: the same run on a file encrypted as Cove keeps the user's history
  (SQLCipher, a raw 256-bit key: issue 17), side by side with the plain one and
  measured in turns (a busy neighbour or a slow fsync hits both alike), and the ratios
  plain over encrypted (1.0: no cost; 0.8: encrypted takes 25% longer):
  encrypted_vs_plain_search_ratio (search medians), encrypted_vs_plain_append_ratio
  (writer_us_per_token_at_200tps, the streaming cost with its saves),
  encrypted_vs_plain_path_ratio.

Usage: python bench/history.py [--rounds N]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
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


def bench_path(stores: list[ChatStore], rounds: int) -> list[dict[str, float]]:
    conv_ids = [add_chain(store, random.Random(7), "long conversation", 1000)
                for store in stores]
    sql = ("SELECT id, conversation_id, parent_id, role, content, reasoning, effort, model, "
           "status, error, prompt_tokens, completion_tokens, reasoning_ms, tokens_per_s, "
           "created_at, updated_at FROM messages WHERE conversation_id = ? ORDER BY id")
    path_ms: list[list[float]] = [[] for _ in stores]
    select_ms: list[list[float]] = [[] for _ in stores]
    for _ in range(3):  # interleaved, so a noisy neighbour hurts all alike
        for n, (store, conv_id) in enumerate(zip(stores, conv_ids, strict=True)):
            conn = store._connection()
            assert len(store.path(conv_id)) == len(conn.execute(sql, (conv_id,)).fetchall())
            path_ms[n].append(median_ms(functools.partial(store.path, conv_id), rounds))
            select_ms[n].append(median_ms(
                lambda c=conn, i=conv_id: c.execute(sql, (i,)).fetchall(), rounds))
    out = []
    for path, select in zip(path_ms, select_ms, strict=True):
        p, s = statistics.median(path), statistics.median(select)
        out.append({"path_1000_ms": round(p, 3), "select_1000_ms": round(s, 3),
                    "path_over_select_ratio": round(p / s, 2)})
    return out


def bench_search(stores: list[ChatStore], rounds: int) -> list[dict[str, Any]]:
    for store in stores:
        rng = random.Random(11)
        for n in range(100):
            add_chain(store, rng, f"{text(rng, 4)} {n}", 100, rare_every=97)
    by_query: list[dict[str, float]] = [{} for _ in stores]
    samples: list[list[float]] = [[] for _ in stores]
    for query in QUERIES:
        times: list[list[float]] = [[] for _ in stores]
        for store in stores:
            store.search(query)  # warm the page cache, as a second search would be
        for _ in range(rounds):
            for n, store in enumerate(stores):
                start = time.perf_counter()
                store.search(query)
                times[n].append((time.perf_counter() - start) * 1000)
        for n in range(len(stores)):
            by_query[n][query] = round(statistics.median(times[n]), 3)
            samples[n] += times[n]
    out = []
    for store, found, taken in zip(stores, by_query, samples, strict=True):
        taken.sort()
        total = store._connection().execute("SELECT count(*) FROM messages").fetchone()[0]
        out.append({"search_messages": total,
                    "search_ms_median": round(statistics.median(taken), 3),
                    "search_ms_p95": round(taken[int(len(taken) * 0.95)], 3),
                    "search_ms_by_query": found})
    return out


def bench_writer(stores: list[ChatStore], saves: int = 300) -> list[dict[str, float]]:
    rng = random.Random(3)
    tokens = [rng.choice(WORDS) + " " for _ in range(20_000)]
    second = "".join(tokens[:200])  # one second of text at 200 tokens/s
    writers, out = [], []
    for store in stores:
        conv = store.create_conversation("writer")
        user = store.add_user_message(conv.id, "Write a long essay.")
        writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
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
        writers.append(writer)
        out.append({"writer_append_us": round(append_us, 3),
                    "plain_append_us": round(plain_us, 3)})
    flushes: list[list[float]] = [[] for _ in stores]
    for _ in range(saves):  # interleaved: the disk's mood hits plain and encrypted alike
        for n, writer in enumerate(writers):
            writer.append(second)
            begin = time.perf_counter()
            writer.flush()
            flushes[n].append((time.perf_counter() - begin) * 1000)
    for writer, result, taken in zip(writers, out, flushes, strict=True):
        writer.finish("complete")
        flush_ms = statistics.median(taken)
        result.update({"writer_flush_ms": round(flush_ms, 3),
                       "writer_us_per_token_at_200tps":
                           round(result["writer_append_us"] + flush_ms * 1000 / 200, 3)})
    return out


def run(rounds: int, keys: list[Key | None]) -> list[dict[str, Any]]:
    """The same benchmark on one store per key, side by side, measured in turns."""
    results: list[dict[str, Any]] = [{} for _ in keys]
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        stores = [stack.enter_context(ChatStore(folder / f"h{n}.db", key=key))
                  for n, key in enumerate(keys)]
        for part in (bench_path(stores, rounds), bench_writer(stores),
                     bench_search(stores, rounds)):
            for result, figures in zip(results, part, strict=True):
                result.update(figures)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    result: dict[str, Any] = {"python": sys.version.split()[0],
                              "sqlite": driver.sqlite_version}
    plain, encrypted = run(args.rounds, [None, Key.random()])
    result.update(plain)
    result["encrypted"] = encrypted
    for name, field in (("search", "search_ms_median"),
                        ("append", "writer_us_per_token_at_200tps"),
                        ("path", "path_1000_ms")):
        result[f"encrypted_vs_plain_{name}_ratio"] = round(result[field] / encrypted[field], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
