"""The app's small forms (a patient's name, a session's notes and settings): URL-encoded, at most 64 kB.

Parsed with the standard library rather than a multipart parser: the only large request, a
video, is a raw body (:mod:`lunge_screen.app.uploads`), so the app needs no multipart parsing.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from .uploads import UploadError

MAX_FORM = 64 * 1024


async def read_form_lists(request: Request) -> dict[str, list[str]]:
    """The posted fields, every value of each (checkboxes repeat a name); :class:`UploadError` 413 when too large."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise UploadError(f"the form is larger than {MAX_FORM // 1024} kB", 413)
    out: dict[str, list[str]] = {}
    for k, v in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        out.setdefault(k, []).append(v)
    return out


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields (the last value of a repeated one)."""
    return {k: v[-1] for k, v in (await read_form_lists(request)).items()}
