"""The compare page: two or more finished sessions of one patient, through :mod:`lunge_screen.compare`.

``GET /patients/{pid}/compare?ids=ID,ID[,ID...]`` puts the chosen sessions in time order,
computes their comparison (``lunge_screen.compare.compare`` on their results folders, then
``write_comparison``) into ``comparisons/<key>/`` unless it is there and newer than every
session's result, and shows its sentences with the comparison page below them. The files are
served from that folder by fixed names only.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from ..errors import LungeScreenError
from .files import REPORT_CSP
from .folder import DataFolder, comparison_key, is_id
from .pages import message, render
from .store import Session

FILES = {"comparison.html": "text/html; charset=utf-8", "comparison.json": "application/json"}
MAX_SESSIONS = 20


def _chosen(request: Request, pid: str) -> tuple[list[Session], str | None]:
    """The patient's sessions named in ``ids``, in time order, or an explanation of what is wrong."""
    ids = [i for value in request.query_params.getlist("ids") for i in value.split(",") if i]  # ticks or a list
    if len(ids) < 2:
        return [], "Choose at least two finished sessions to compare."
    if len(ids) > MAX_SESSIONS or not all(is_id(i) for i in ids):
        return [], f"Choose between two and {MAX_SESSIONS} sessions."
    own = {s.id: s for s in request.app.state.store.sessions_of(pid)}
    if any(i not in own for i in ids):
        return [], "These sessions are not all this patient's."
    chosen = [s for s in own.values() if s.id in ids]  # sessions_of is in time order
    unfinished = [s for s in chosen if s.status != "done"]
    if unfinished:
        names = ", ".join(f"{s.date} {s.video_name}" for s in unfinished)
        return [], f"Only finished analyses can be compared; not yet: {names}."
    return chosen, None


def _is_current(out: Path, results: list[Path]) -> bool:
    done = out / "comparison.json"
    if not done.is_file():
        return False
    made = done.stat().st_mtime
    return all((r / "session.json").stat().st_mtime <= made for r in results)


def labels(sessions: list[Session]) -> list[str]:
    """Each session's name in the comparison: its date, with the video's name when two share a date."""
    dates = [s.date for s in sessions]
    return [s.date if dates.count(s.date) == 1 else f"{s.date} {s.video_name}" for s in sessions]


def build_comparison(folder: DataFolder, sessions: list[Session]) -> Path:
    """The comparison folder of ``sessions`` (computed unless current)."""
    from ..compare import compare, write_comparison

    key = comparison_key([s.id for s in sessions])
    out = folder.comparison_dir(key)
    results = [folder.results_dir(s.id) for s in sessions]
    if not _is_current(out, results):
        write_comparison(compare(results, labels(sessions)), out)
    return out


def _read(out: Path) -> dict:
    try:
        data = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


async def compare_page(request: Request) -> Response:
    pid = request.path_params["pid"]
    patient = request.app.state.store.patient(pid) if is_id(pid) else None
    if patient is None:
        return message(request, "Not found", "No such patient.", 404)
    sessions, problem = _chosen(request, pid)
    if problem:
        return message(request, "Cannot compare", problem, 400)
    try:
        out = await run_in_threadpool(build_comparison, request.app.state.folder, sessions)
    except ImportError:
        return message(request, "Not available", "This version of lunge-screen cannot compare sessions yet.", 501)
    except LungeScreenError as exc:
        return message(request, "Cannot compare", str(exc), 400)
    data = _read(out)
    context = {
        "patient": patient,
        "sessions": sessions,
        "key": out.name,
        "summary": [str(x) for x in data.get("summary", [])],
        "warnings": [str(w.get("message", w)) if isinstance(w, dict) else str(w) for w in data.get("warnings", [])],
    }
    return render(request, "compare.html", context)


async def compare_file(request: Request) -> Response:
    pid, key, name = (request.path_params[k] for k in ("pid", "key", "name"))
    if not (is_id(pid) and is_id(key)) or name not in FILES:
        return PlainTextResponse("not found", status_code=404)
    path = request.app.state.folder.comparison_dir(key) / name
    if not path.is_file():
        return PlainTextResponse("not found", status_code=404)
    headers = {"Content-Security-Policy": REPORT_CSP} if name.endswith(".html") else {}
    return FileResponse(path, media_type=FILES[name], headers=headers)
