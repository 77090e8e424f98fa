"""A video upload: the request body streamed straight into a session folder, under a generated name.

The page sends each file as the raw body of one request (no multipart form), so the app never
parses a file name into a path and never spools a patient's video into the system's temporary
folder: bytes go to ``sessions/<new id>/upload.part`` and the file is renamed to ``video<.ext>``
when complete. The uploaded file's name is kept as text only (:mod:`lunge_screen.app.store`).

The size limit is checked twice: against a declared ``Content-Length`` before anything is read,
and while streaming (a body without a length, or one that lies). A refused or broken upload
leaves nothing behind. Whether the bytes are a video is for the analysis to say, with the
command line's own message (an empty or text file fails its session, not the upload).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import ClientDisconnect, Request

from .folder import DataFolder, new_id, video_suffix

PART = "upload.part"
MAX_NAME = 255


class UploadError(Exception):
    """An upload refused; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Upload:
    session_id: str
    path: Path  # the stored video
    name: str  # the uploaded file's own name (text)
    size: int  # bytes


def limit_message(limit: int) -> str:
    return (
        f"the file is larger than the upload limit of {limit / 1e6:g} MB "
        "(raise [app] max_upload_mb in a --config file to allow more)"
    )


def clean_name(name: str) -> str:
    """The uploaded file's name as display text: one line, no control characters, not empty."""
    text = "".join(ch for ch in name if ch.isprintable()).strip()
    return (text or "unnamed video")[:MAX_NAME]


async def receive_video(request: Request, folder: DataFolder, name: str, limit: int) -> Upload:
    """Stream the request body into a new session folder; raise :class:`UploadError` when refused."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise UploadError(limit_message(limit), 413)
    name = clean_name(name)
    session_id = new_id()
    session_dir = folder.session_dir(session_id)
    session_dir.mkdir(parents=True, mode=0o700)
    part = session_dir / PART
    size = 0
    try:
        with open(part, "wb") as f:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise UploadError(limit_message(limit), 413)
                f.write(chunk)
        video = part.rename(session_dir / f"video{video_suffix(name)}")
    except ClientDisconnect:
        shutil.rmtree(session_dir, ignore_errors=True)
        raise UploadError("the upload was interrupted") from None
    except BaseException:
        shutil.rmtree(session_dir, ignore_errors=True)
        raise
    return Upload(session_id, video, name, size)
