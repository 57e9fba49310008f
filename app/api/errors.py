"""Errors in OpenAI's shape, so every client library shows them as it shows OpenAI's.

``{"error": {"message", "type", "param", "code"}}`` with the HTTP status OpenAI uses:
400 for a request that cannot be answered as sent, 401 without the key, 404 for an
unknown model, 413 for a body over the limit, 503 (with ``Retry-After``) when the model
is busy for longer than the wait limit or Cove cut the answer short (shutting down). The
message is written for the person reading
the client's error: what happened and what to do.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A request answered with an error object instead of a completion."""

    def __init__(self, status: int, message: str, *, type_: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.code = code
        self.param = param
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type,
                          "param": self.param, "code": self.code}}


def bad_request(message: str, param: str | None = None,
                code: str | None = "invalid_request") -> ApiError:
    return ApiError(400, message, param=param, code=code)


def unsupported(param: str, message: str) -> ApiError:
    return ApiError(400, message, param=param, code="unsupported_parameter")
