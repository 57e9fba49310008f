"""Nothing leaves the computer: a whole session, watched at the socket level.

``session.py`` runs a whole Cove session through the real window (chat with a real
model, a document, history search, settings, the model list, a download from a mirror
on loopback, This computer, a remote server on loopback) in a process of its own, with
HOME and COVE_HOME in a temporary folder and the audit hook of ``audit/sitecustomize.py``
in it and in every child process (the model worker, the PDF reader, the server). The
hook records every DNS lookup, connection, bind and file write; it never raises, so a
library that swallows errors cannot hide one (huggingface_hub swallowed the old guard's
AssertionError while it looked up huggingface.co on every download). This test reads
the records afterwards and fails on any lookup or connection that is not loopback or a
local socket, and on any file written under HOME outside COVE_HOME.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AUDIT = Path(__file__).parent / "audit"


def is_local(address: Any) -> bool:
    """Loopback or a Unix socket (the worker's channel); not a wildcard."""
    if address is None or address == "":
        return False  # a wildcard lookup or bind: every interface, not loopback
    if isinstance(address, str) and address.startswith(("/", "\0", "@")):
        return True  # a Unix socket path
    host = address[0] if isinstance(address, list) else address
    if isinstance(host, str) and host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def network_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What reached, or asked about, anything but this computer."""
    bad = []
    for record in records:
        event = record["event"]
        if event == "hook-error":
            bad.append(record)
        elif event.startswith("socket."):
            if record.get("family") == "AF_UNIX":
                continue
            if not is_local(record.get("address", record.get("host"))):
                bad.append(record)
    return bad


def written_outside(records: list[dict[str, Any]], home: Path, cove: Path) -> set[str]:
    """Files and folders written under HOME but outside COVE_HOME."""
    outside = set()
    for record in records:
        for key in ("path", "to"):
            value = record.get(key)
            if not isinstance(value, str) or not value:
                continue
            path = Path(value) if os.path.isabs(value) else None
            if path is None:
                continue
            if path.is_relative_to(home) and not path.is_relative_to(cove):
                outside.add(value)
    return outside


def files_outside(home: Path, cove: Path) -> set[str]:
    """What is under HOME after the session, outside COVE_HOME (native code included,
    which the audit hook cannot see)."""
    found = set()
    for path in home.rglob("*"):
        if not path.is_relative_to(cove) and path != cove.parent:
            found.add(str(path))
    return found


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory, gemma_path: Path,
            tiny_gpt_oss_path: Path) -> dict[str, Any]:
    """Run the session once; its report, audit records and folders, for the tests."""
    base = tmp_path_factory.mktemp("privacy")
    home, scratch, audit = base / "home", base / "scratch", base / "audit"
    for folder in (home, scratch, audit, scratch / "tmp"):
        folder.mkdir()
    cove = home / "cove"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "HF_", "HUGGINGFACE", "COVE_"))}
    env.update({
        "HOME": str(home), "COVE_HOME": str(cove), "TMPDIR": str(scratch / "tmp"),
        "COVE_AUDIT_DIR": str(audit), "COVE_SESSION_SCRATCH": str(scratch),
        "COVE_SESSION_CHAT_MODEL": str(gemma_path),
        "COVE_SESSION_SERVER_MODEL": str(tiny_gpt_oss_path),
        "PYTHONPATH": os.pathsep.join([str(AUDIT), str(ROOT)]),
        "QT_QPA_PLATFORM": "offscreen",
    })
    report_path = scratch / "report.json"
    done = subprocess.run([sys.executable, "-m", "tests.privacy.session", str(report_path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    records = [json.loads(line) for log in sorted(audit.glob("audit-*.jsonl"))
               for line in log.read_text().splitlines() if line]
    return {"done": done, "report": report, "records": records, "home": home,
            "cove": cove, "processes": len(list(audit.glob("audit-*.jsonl")))}


def test_the_session_did_what_a_user_does(session: dict[str, Any]) -> None:
    done, report = session["done"], session["report"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert report["chat"]
    assert report["documents"]["answer"]
    assert report["history"]["hits"] and report["history"]["reopened"] >= 2
    assert report["settings"]["theme"] == "dark"
    assert report["download"]["model"].endswith("tiny-q4.gguf")
    assert any("/resolve/" in p for p in report["download"]["mirror_requests"])
    assert report["download"]["endpoint_saved"].startswith("http://127.0.0.1:")
    assert report["computer"]
    assert report["remote"]["verdict"].startswith("OK") and report["remote"]["answered"]
    # The hook ran in the session and in its children (worker, reader, server).
    assert session["processes"] >= 3
    assert any(r["event"] == "socket.connect" and r["family"] == "AF_UNIX"
               for r in session["records"]), "the worker's socket was not seen"


def test_nothing_but_loopback_and_local_sockets(session: dict[str, Any]) -> None:
    assert session["done"].returncode == 0, session["done"].stderr[-3000:]
    bad = network_records(session["records"])
    assert bad == [], "Cove reached beyond this computer:\n" + "\n".join(
        json.dumps(r) for r in bad[:20])


def test_nothing_written_outside_coves_folders(session: dict[str, Any]) -> None:
    assert session["done"].returncode == 0, session["done"].stderr[-3000:]
    home, cove = session["home"], session["cove"]
    assert written_outside(session["records"], home, cove) == set()
    assert files_outside(home, cove) == set()


def test_the_checks_see_what_they_look_for() -> None:
    """The judges themselves: a lookup of huggingface.co, a connection to a public
    address and a file in ~/.cache are caught; loopback and Unix sockets are not."""
    records: list[dict[str, Any]] = [
        {"event": "socket.getaddrinfo", "host": "huggingface.co"},
        {"event": "socket.connect", "family": "AF_INET", "address": ["18.1.2.3", 443]},
        {"event": "socket.bind", "family": "AF_INET", "address": ["0.0.0.0", 8080]},
        {"event": "socket.getaddrinfo", "host": "127.0.0.1"},
        {"event": "socket.connect", "family": "AF_INET6", "address": ["::1", 80, 0, 0]},
        {"event": "socket.connect", "family": "AF_UNIX", "address": "/tmp/pymp-x/listener"},
        {"event": "socket.getaddrinfo", "host": "localhost"},
    ]
    assert [r.get("host", r.get("address")) for r in network_records(records)] == [
        "huggingface.co", ["18.1.2.3", 443], ["0.0.0.0", 8080]]
    home, cove = Path("/h"), Path("/h/cove")
    writes = [{"event": "open", "path": "/h/.cache/huggingface/.agent_harnesses.json"},
              {"event": "open", "path": "/h/cove/data/cove.db"},
              {"event": "os.rename", "path": "/h/cove/a", "to": "/h/elsewhere"}]
    assert written_outside(writes, home, cove) == {
        "/h/.cache/huggingface/.agent_harnesses.json", "/h/elsewhere"}


def test_only_the_hub_module_imports_the_hub_library() -> None:
    """The switches in app/models/hub.py work only if the library is imported there."""
    importers = [path.relative_to(ROOT) for path in (ROOT / "app").rglob("*.py")
                 if "huggingface_hub" in path.read_text(encoding="utf-8")
                 .replace("``huggingface_hub``", "")
                 and path.name != "hub.py"]
    offenders = [p for p in importers
                 if any(line.lstrip().startswith(("import huggingface_hub",
                                                  "from huggingface_hub"))
                        for line in (ROOT / p).read_text(encoding="utf-8").splitlines())]
    assert offenders == []
