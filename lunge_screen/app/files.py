"""A session's result files (the report, the annotated video, the tables) and the whole folder as a zip.

Only the fixed names of :data:`lunge_screen.app.folder.RESULT_FILES` are served, from the session's
own results folder (found by its id, never by a name from the request), so nothing outside the
data folder, and nothing of the data folder but results, can be reached. The video is served with
byte ranges, so the page's player can seek.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from ..io.atomic import safe_name
from .folder import RESULT_FILES, is_id

#: The report is self-contained; in the app it may show its own images and the annotated video, nothing else.
REPORT_CSP = "default-src 'none'; img-src data:; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
STORED = (".mp4", ".npz", ".png", ".jpg")  # compressed already: zip them as they are


def _missing() -> Response:
    return PlainTextResponse("not found", status_code=404)


async def result_file(request: Request) -> Response:
    sid, name = request.path_params["sid"], request.path_params["name"]
    if not is_id(sid) or request.app.state.store.session(sid) is None:
        return _missing()
    path = request.app.state.folder.result_file(sid, name)
    if path is None:
        return _missing()
    headers = {"Content-Security-Policy": REPORT_CSP} if name == "report.html" else {}
    return FileResponse(path, media_type=RESULT_FILES[name], headers=headers)


async def report_css(request: Request) -> Response:
    """The report's own stylesheet, so that the app's pages look like the report."""
    from ..report.html import css

    return Response(css(), media_type="text/css")


def zip_folder(folder: Path, target: Path, top: str) -> Path:
    """Write every file of ``folder`` into the zip ``target``, under the folder name ``top``."""
    with zipfile.ZipFile(target, "w") as z:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".tmp")):
            kind = zipfile.ZIP_STORED if path.suffix.lower() in STORED else zipfile.ZIP_DEFLATED
            z.write(path, f"{top}/{path.relative_to(folder).as_posix()}", compress_type=kind)
    return target


async def report_zip(request: Request) -> Response:
    """``GET /sessions/{sid}/report.zip``: the session's results folder, named after the patient and date."""
    sid = request.path_params["sid"]
    store, folder = request.app.state.store, request.app.state.folder
    session = store.session(sid) if is_id(sid) else None
    results = folder.results_dir(sid) if session else None
    if session is None or results is None or not results.is_dir():
        return _missing()
    patient = store.patient(session.patient)
    top = safe_name(f"lunge-screen {patient.name if patient else ''} {session.date}").replace(" ", "_")
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".zip.tmp", dir=folder.session_dir(sid))
    os.close(fd)
    try:
        await run_in_threadpool(zip_folder, results, Path(tmp), top)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return FileResponse(
        tmp, media_type="application/zip", filename=f"{top}.zip", background=BackgroundTask(os.unlink, tmp)
    )
