"""A remote server's failures, in words for the user: HTTP statuses, lost connections,
untrusted certificates and rate limits each become a :class:`RemoteError` that says what
happened, what is safe (what was already written is kept) and what to do.

Kept apart from :mod:`app.engine.remote` so that the wording, which changes with every
server quirk met in the field, is in one place and the backend's request loop stays
short. The API key never reaches a message: :meth:`ServerErrors.clean` removes it
should a server echo it back.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import re
import ssl
from datetime import datetime, timezone
from typing import Any

import httpx2

from app.engine import backend as codes
from app.engine import protocol

TOO_LONG_RE = re.compile(
    r"context (length|window|size)|maximum context|too long|exceeds? .*context|n_ctx", re.I)


class RemoteError(Exception):
    """A request failed; ``code`` is one of :mod:`app.engine.backend`'s codes and the
    text is written for the user. ``retry_after`` is set for rate limits."""

    def __init__(self, message: str, code: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after

    def as_message(self) -> dict[str, Any]:
        msg: dict[str, Any] = {"type": protocol.ERROR, "code": self.code, "message": str(self)}
        if self.retry_after is not None:
            msg["retry_after"] = self.retry_after
        return msg



def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    with contextlib.suppress(ValueError):
        return max(0.0, float(value))
    with contextlib.suppress(TypeError, ValueError, IndexError):
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
    return None


def error_text(body: bytes) -> str:
    """The server's own words about an error, from the usual JSON shapes."""
    text = body.decode("utf-8", "replace").strip()
    with contextlib.suppress(ValueError):
        data = json.loads(text)
        if isinstance(data, dict):
            for key in ("error", "detail", "message"):
                value = data.get(key)
                if isinstance(value, dict):
                    value = value.get("message") or value.get("msg") or json.dumps(value)
                elif isinstance(value, list):
                    value = json.dumps(value)
                if value:
                    text = str(value)
                    break
    text = " ".join(text.split())
    return text[:300] + ("…" if len(text) > 300 else "")


def tls_failure(exc: BaseException) -> str | None:
    """Why a secure connection failed, from the exception or its causes; None: not TLS."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLCertVerificationError):
            return cur.verify_message or "the certificate is not trusted"
        if isinstance(cur, ssl.SSLError):
            return cur.reason or str(cur)
        cur = cur.__cause__ or cur.__context__
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return text
    return None


class ServerErrors:
    """One server's failures as RemoteErrors. ``name`` and ``url`` say which server in
    every message; ``key`` is only used to remove it from what the server wrote."""

    def __init__(self, name: str, url: str, key: str | None, read_timeout: float) -> None:
        self.name = name
        self.url = url
        self._key = key
        self.read_timeout = read_timeout

    def __repr__(self) -> str:  # never the key
        return f"ServerErrors({self.name!r})"

    def clean(self, text: str) -> str:
        """Server text for a message, with the key removed should a server echo it."""
        return text.replace(self._key, "…") if self._key else text

    def status(self, response: httpx2.Response, raw: bytes, model: str) -> RemoteError:
        """An HTTP status other than 2xx (``raw``: the start of the body)."""
        status = response.status_code
        detail = self.clean(error_text(raw)) or response.reason_phrase
        name = self.name
        if status in (401, 403):
            if not self._key:
                return RemoteError(f"{name} needs an API key (HTTP {status}). Add it in "
                                   "the server's settings.", codes.UNAUTHORIZED)
            return RemoteError(f"{name} refused the API key (HTTP {status}). Check the key "
                               "in the server's settings.", codes.UNAUTHORIZED)
        if status == 429:
            wait = retry_after(response.headers.get("retry-after"))
            when = (f"Try again in {wait:.0f} seconds." if wait is not None
                    else "Try again in a moment.")
            return RemoteError(f"{name} is busy: too many requests (HTTP 429). {when} "
                               "Nothing was lost.", codes.RATE_LIMITED, retry_after=wait)
        if status == 404 and model and "model" in detail.lower():
            return RemoteError(f"{name} has no model {model!r} ({detail}). Choose one "
                               "of its models in the server's settings.", codes.NO_SUCH_MODEL)
        if status == 404:
            return RemoteError(f"{name} has no such API at {response.request.url.path} "
                               "(HTTP 404). Check the address: it usually ends in /v1.",
                               codes.SERVER_ERROR)
        if status in (400, 413, 422) and TOO_LONG_RE.search(detail):
            return RemoteError(f"This conversation is too long for the model on {name} "
                               f"({detail}). Start a new chat, or shorten the message.",
                               protocol.TOO_LONG)
        if 300 <= status < 400:
            where = response.headers.get("location", "elsewhere")
            return RemoteError(f"{name} redirects to {where}; Cove does not follow "
                               "redirects. Put the new address in the server's settings.",
                               codes.SERVER_ERROR)
        if status >= 500:
            return RemoteError(f"{name} failed (HTTP {status}: {detail}). Nothing was lost; "
                               "try again in a moment.", codes.SERVER_ERROR)
        return RemoteError(f"{name} did not accept the request (HTTP {status}: {detail}).",
                           protocol.BAD_REQUEST)

    def tools_refused(self, response: httpx2.Response, raw: bytes) -> RemoteError:
        """The server will not take the tools offered (HTTP 400 and its reason)."""
        detail = self.clean(error_text(raw)) or response.reason_phrase
        return RemoteError(
            f"{self.name} does not accept tools (HTTP {response.status_code}: {detail}). "
            "Your message is saved. Switch the tools off for this chat (Tools, under the "
            "message box), or turn tool calling on at the server: llama-server needs "
            "--jinja, vLLM --enable-auto-tool-choice and a --tool-call-parser.",
            codes.TOOLS_REFUSED)

    def transport(self, exc: httpx2.HTTPError, midway: bool) -> RemoteError:
        """No HTTP answer: ``midway`` says part of the answer had arrived."""
        name, url = self.name, self.url
        kept = " What was already written is kept." if midway else ""
        if isinstance(exc, httpx2.ConnectTimeout):
            return RemoteError(f"Cannot reach {name} at {url}: no answer to the connection "
                               "attempt. Check that the server is running and reachable "
                               "from this computer.", codes.SERVER_UNREACHABLE)
        if isinstance(exc, httpx2.TimeoutException):
            return RemoteError(f"{name} stopped answering (nothing for "
                               f"{self.read_timeout:.0f} s).{kept} Try again; a busy server "
                               "may need a longer time limit in its settings.", codes.TIMEOUT)
        tls = tls_failure(exc)
        if tls and isinstance(exc, httpx2.ConnectError):
            return RemoteError(f"The secure connection to {name} failed: {tls}. Cove only "
                               "talks to servers whose certificate is trusted; if this "
                               "server uses your organisation's own certificate authority, "
                               "add its CA file in the server's settings.", codes.TLS_ERROR)
        if isinstance(exc, httpx2.ConnectError):
            reason = self.clean(str(exc)) or type(exc).__name__
            return RemoteError(f"Cannot reach {name} at {url} ({reason}). Check that the "
                               "server is running and the address is right.",
                               codes.SERVER_UNREACHABLE)
        if isinstance(exc, httpx2.TransportError):
            if midway:
                return RemoteError(f"The connection to {name} was lost in the middle of the "
                                   f"answer.{kept} Try again when the server is back.",
                                   codes.SERVER_DISCONNECTED)
            return RemoteError(f"{name} closed the connection without answering. Check "
                               "that the server is running and try again.",
                               codes.SERVER_DISCONNECTED)
        return RemoteError(f"The request to {name} failed: {type(exc).__name__}.",
                           protocol.BAD_REQUEST)
