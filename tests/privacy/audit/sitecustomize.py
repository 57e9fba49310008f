"""Records, in every Python process of a privacy session, each DNS lookup, connection,
bind and file write, through an audit hook (PEP 578).

Put on ``PYTHONPATH`` with ``COVE_AUDIT_DIR`` set, it is imported at start-up by the
test's session and by every child it starts with the same environment (the model
worker, the PDF reader, a llama.cpp server), before any library. The hook records and
never raises: a library that swallows exceptions (``huggingface_hub`` swallowed the
old test guard's AssertionError) cannot hide what it did; the test reads the records
afterwards. Records are appended with ``os.write`` on a descriptor opened once, which
raises no audit event of its own.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

_NETWORK = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
            "socket.gethostbyaddr", "socket.getnameinfo", "socket.connect",
            "socket.sendto", "socket.sendmsg", "socket.bind"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_FILES = {"os.mkdir", "os.rename", "os.symlink", "os.link", "shutil.copyfile"}


def _address(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, tuple):
        return [_address(v) for v in value]
    if isinstance(value, (str, int, float)) or value is None:
        return value
    return repr(value)


def _record(event: str, args: tuple[Any, ...]) -> dict[str, Any] | None:
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        sock = args[0]
        family = getattr(getattr(sock, "family", None), "name", str(getattr(sock, "family", "")))
        return {"event": event, "family": family, "address": _address(args[-1])}
    if event in _NETWORK:
        return {"event": event, "host": _address(args[0])}
    if event == "open":
        path, mode, flags = args
        writing = (flags or 0) & _WRITE_FLAGS or (isinstance(mode, str) and
                                                  any(c in mode for c in "wax+"))
        if writing and isinstance(path, (str, bytes)):
            return {"event": event, "path": _address(os.fsdecode(path))}
        return None
    if event in _FILES:
        return {"event": event, "path": _address(os.fsdecode(args[-1]) if event ==
                                                 "shutil.copyfile" else args[0]),
                "to": _address(args[1]) if event in ("os.rename", "os.symlink", "os.link")
                else None}
    return None


def _install(folder: str) -> None:
    fd = os.open(os.path.join(folder, f"audit-{os.getpid()}.jsonl"),
                 os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event not in _NETWORK and event != "open" and event not in _FILES:
            return
        try:
            record = _record(event, args)
            if record is not None:
                record["pid"] = os.getpid()
                record["argv"] = " ".join(getattr(sys, "argv", []))
                os.write(fd, (json.dumps(record) + "\n").encode())
        except Exception as exc:  # never raise inside the process under test
            os.write(fd, (json.dumps({"event": "hook-error", "error": repr(exc)}) + "\n")
                     .encode())

    sys.addaudithook(hook)


if os.environ.get("COVE_AUDIT_DIR"):
    _install(os.environ["COVE_AUDIT_DIR"])
