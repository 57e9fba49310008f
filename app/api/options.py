"""What the local API is set to, without the HTTP stack: the command line's parser and
the window's Settings read these without importing the server."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

DEFAULT_PORT = 8717
REASONING_FIELDS = ("reasoning_content", "reasoning")  # llama-server's, LM Studio's


@dataclass(frozen=True)
class ApiOptions:
    """How the server behaves (Settings in the window, flags of ``cove serve``)."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    cors_origins: tuple[str, ...] = ()
    allow_switch: bool = False  # a request may load another library model
    queue_timeout: float = 60.0  # seconds a request may wait for the model: then 503
    reasoning_field: str = "reasoning_content"
    log_content: bool = False  # the request log keeps the question and the answer


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this computer."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
