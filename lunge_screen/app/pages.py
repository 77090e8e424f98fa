"""The app's pages and the requests that change patients and sessions (all server-rendered).

GET requests only read. Every change is a POST (checked same-origin by
:mod:`lunge_screen.app.security`) answered by a redirect to the page that shows it, except the
video upload, which the page sends with a script and which answers in JSON.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..results import SessionResult
from ..types import MODEL_NAMES
from .events import queue_positions, session_state
from .folder import is_id
from .forms import read_form
from .jobfiles import LANDMARKS
from .runner import STOPPED_BY_USER
from .settings_form import MODELS, default_settings, settings_from_form, threshold_fields
from .store import Patient, Session, check_date
from .uploads import UploadError, limit_message, receive_video


def duration(seconds: float | None) -> str:
    """``75`` -> ``"1 min 15 s"``; ``None`` -> ``""``."""
    if seconds is None or not math.isfinite(seconds):
        return ""
    s = max(0, round(seconds))
    return f"{s // 60} min {s % 60} s" if s >= 60 else f"{s} s"


def render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def message(request: Request, title: str, text: str, status: int) -> HTMLResponse:
    return render(request, "message.html", {"title": title, "text": text}, status)


def _store(request: Request):
    return request.app.state.store


def _patient(request: Request) -> Patient | None:
    pid = request.path_params["pid"]
    return _store(request).patient(pid) if is_id(pid) else None


def _session(request: Request) -> Session | None:
    sid = request.path_params["sid"]
    return _store(request).session(sid) if is_id(sid) else None


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _gone(request: Request, what: str) -> HTMLResponse:
    return message(request, "Not found", f"No such {what}.", 404)


# ---- patients ----------------------------------------------------------------------------------


async def home(request: Request, error: str | None = None, status: int = 200) -> Response:
    context = {"patients": _store(request).patients(), "error": error, "data": request.app.state.folder.root}
    return render(request, "home.html", context, status)


async def create_patient(request: Request) -> Response:
    form = await read_form(request)
    try:
        patient = _store(request).add_patient(form.get("name", ""))
    except ValueError as exc:
        return await home(request, str(exc), 400)
    return _see(f"/patients/{patient.id}")


async def patient_page(request: Request) -> Response:
    patient = _patient(request)
    if patient is None:
        return _gone(request, "patient")
    folder, settings = request.app.state.folder, request.app.state.settings
    sessions = _store(request).sessions_of(patient.id)
    positions = queue_positions(_store(request))
    context = {
        "patient": patient,
        "sessions": sessions,
        "states": {s.id: session_state(folder, s, positions.get(s.id)) for s in sessions},
        "models": MODELS,
        "default_model": settings.default_model,
        "today": dt.date.today().isoformat(),
        "max_upload": int(settings.max_upload_mb * 1e6),
        "limit_message": limit_message(int(settings.max_upload_mb * 1e6)),
    }
    return render(request, "patient.html", context)


async def upload_video(request: Request) -> Response:
    """``POST /patients/{pid}/videos?name=&date=&notes=&model=`` with the video as the body -> JSON."""
    patient = _patient(request)
    if patient is None:
        return JSONResponse({"error": "no such patient"}, 404)
    q = request.query_params
    model = q.get("model", request.app.state.settings.default_model)
    try:
        date = check_date(q.get("date") or dt.date.today().isoformat())
        if model not in MODEL_NAMES:
            raise ValueError(f"model: {model!r} is not one of {', '.join(MODEL_NAMES)}")
        limit = int(request.app.state.settings.max_upload_mb * 1e6)
        upload = await receive_video(request, request.app.state.folder, q.get("name", ""), limit)
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, 400)
    except UploadError as exc:
        return JSONResponse({"error": str(exc)}, exc.status)
    try:
        _store(request).add_session(
            upload.session_id, patient.id, date, q.get("notes", ""), upload.name, default_settings(model)
        )
    except BaseException:
        shutil.rmtree(upload.path.parent, ignore_errors=True)
        raise
    request.app.state.runner.wake()
    return JSONResponse({"id": upload.session_id, "url": f"/sessions/{upload.session_id}"}, 201)


# ---- sessions ----------------------------------------------------------------------------------


def _result(request: Request, session: Session) -> SessionResult | None:
    path = request.app.state.folder.result_file(session.id, "session.json")
    if session.status != "done" or path is None:
        return None
    try:
        return SessionResult.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


async def session_page(request: Request, settings_error: str | None = None, status: int = 200) -> Response:
    session = _session(request)
    if session is None:
        return _gone(request, "session")
    from ..report.html import leg_table

    folder = request.app.state.folder
    result = _result(request, session)
    landmarks = folder.session_dir(session.id) / LANDMARKS
    context = {
        "session": session,
        "patient": _store(request).patient(session.patient),
        "state": session_state(folder, session, queue_positions(_store(request)).get(session.id)),
        "result": result,
        "leg_table": leg_table(result) if result else "",
        "has_video": folder.result_file(session.id, "annotated.mp4") is not None,
        "has_report": folder.result_file(session.id, "report.html") is not None,
        "fields": threshold_fields(session.thresholds),
        "models": MODELS,
        "landmarks_model": _landmarks_model(landmarks),
        "settings_error": settings_error,
    }
    return render(request, "session.html", context, status)


def _landmarks_model(path) -> str | None:
    """The model that made a session's saved landmarks, or ``None`` (none saved, or unreadable)."""
    from ..errors import LungeScreenError
    from ..io.landmarks import load_series

    try:
        return load_series(path).source.model if path.is_file() else None
    except LungeScreenError:
        return None


async def rerun(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _gone(request, "session")
    if not _store(request).requeue(session.id):
        return message(request, "Already queued", "This session is queued or running already.", 409)
    request.app.state.runner.wake()
    return _see(f"/sessions/{session.id}")


async def change_settings(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _gone(request, "session")
    form = await read_form(request)
    try:
        settings = settings_from_form(form, session.model)
    except ValueError as exc:
        return await session_page(request, str(exc), 400)
    if not _store(request).requeue(session.id, settings):
        return message(request, "Busy", "Wait for the analysis to finish before changing its settings.", 409)
    request.app.state.runner.wake()
    return _see(f"/sessions/{session.id}")


async def change_details(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _gone(request, "session")
    form = await read_form(request)
    try:
        _store(request).update_details(session.id, form.get("date", session.date), form.get("notes", ""))
    except ValueError as exc:
        return await session_page(request, str(exc), 400)
    return _see(f"/sessions/{session.id}")


async def cancel(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _gone(request, "session")
    if not request.app.state.runner.cancel(session.id):
        _store(request).unqueue(session.id, STOPPED_BY_USER)
    return _see(f"/sessions/{session.id}")
