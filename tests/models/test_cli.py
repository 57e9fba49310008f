"""``cove models …`` through its register/run pair, against the fake Hub."""

from __future__ import annotations

import argparse
import io
import json
import os
from pathlib import Path

from app.models import cli
from tests.models.conftest import GGUFFactory
from tests.models.hub_server import HubServer


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="cove")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(args, out, err, io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_download_then_list(hub: HubServer, tmp_path: Path, make_gguf: GGUFFactory) -> None:
    gguf = make_gguf("tiny-mxfp4.gguf", elements=300_000)
    hub.add_repo("ggml-org/tiny-GGUF", {gguf.name: gguf.read_bytes()})
    models = str(tmp_path / "models")
    code, out, err = run("models", "--models-dir", models, "download", "ggml-org/tiny-GGUF",
                         gguf.name, "--endpoint", hub.url)
    assert code == 0, err
    assert "Downloaded and verified" in out and "%" in err

    code, out, _ = run("models", "--models-dir", models, "list", "--json")
    (listed,) = json.loads(out)
    assert listed["architecture"] == "gpt-oss" and listed["quantization"] == "MXFP4_MOE"
    assert listed["parameter_count"] == 2 * 300_000 and listed["problem"] is None

    code, out, _ = run("models", "--models-dir", models, "verify", listed["name"])
    assert code == 0 and "checksum verified" in out
    code, _, err = run("models", "--models-dir", models, "delete", listed["name"], stdin="n\n")
    assert code == 1 and "Nothing was deleted" in err
    code, out, _ = run("models", "--models-dir", models, "delete", listed["name"], "--yes")
    assert code == 0 and "deleted" in out


def test_download_errors_are_one_clear_line(hub: HubServer, tmp_path: Path) -> None:
    hub.add_repo("ggml-org/tiny-GGUF", {"a.gguf": os.urandom(1000)})
    code, _, err = run("models", "--models-dir", str(tmp_path), "download",
                       "ggml-org/tiny-GGUF", "missing.gguf", "--endpoint", hub.url)
    assert code == 1 and err.startswith("cove: ") and "no file named missing.gguf" in err
    assert "Traceback" not in err


def test_empty_list_and_catalog(tmp_path: Path) -> None:
    code, out, _ = run("models", "--models-dir", str(tmp_path), "list")
    assert code == 0 and "cove models download ggml-org/gpt-oss-20b-GGUF" in out
    code, out, _ = run("models", "catalog", "--ram-gb", "32")
    assert code == 0 and "gpt-oss-20b (default): 12.1 GB  [runs slowly]" in out
    assert "gpt-oss-120b" in out and "[won't fit]" in out
    # Each label comes with its reason and speed, as the windows say it.
    assert "gpt-oss-20b: it fits in memory" in out and "words a second" in out
    assert "gpt-oss-120b needs about" in out
    assert "Qwen3 Embedding 0.6B (for documents):" in out
