"""Progress to the page as server-sent events: ``GET /events?ids=ID,ID``.

Every few tenths of a second the stream compares each listed session's status (index) and
progress (its ``progress.json``) with what it last sent, and sends one ``data:`` line of JSON
per session that changed (:func:`session_state`). The page renders the same state on load, so a
reload shows the progress at once and the stream carries on from there. The stream ends when
every listed session is finished, or when the app stops; a comment line every 15 s keeps idle
connections open.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from .folder import DataFolder, is_id
from .jobfiles import read_progress
from .store import Session, Store

POLL_S = 0.25
KEEPALIVE_S = 15.0
MAX_IDS = 200


def session_state(folder: DataFolder, session: Session, position: int | None = None) -> dict[str, Any]:
    """What the page shows of a session's analysis: status, error, finding, stage and frames, time left."""
    state: dict[str, Any] = {
        "id": session.id,
        "status": session.status,
        "error": session.error,
        "finding": session.finding,
        "queue_position": position,
        "progress": None,
    }
    progress = read_progress(folder.session_dir(session.id)) if session.status == "running" else None
    if progress is not None:
        state["progress"] = progress.as_dict()
    return state


def queue_positions(store: Store) -> dict[str, int]:
    """Queued sessions' places in the queue (1 = next)."""
    queued = [s.id for s in store.active() if s.status == "queued"]
    return {sid: k for k, sid in enumerate(queued, start=1)}


def _stable(state: dict[str, Any]) -> str:
    """The part of a state that counts as a change (not the progress file's own timestamp)."""
    progress = dict(state.get("progress") or {})
    progress.pop("updated", None)
    return json.dumps({**state, "progress": progress}, sort_keys=True)


async def stream_states(
    store: Store, folder: DataFolder, ids: list[str], stopping: Callable[[], bool]
) -> AsyncIterator[str]:
    sent: dict[str, str] = {}
    last = time.monotonic()
    while not stopping():
        positions = queue_positions(store)
        sessions = [s for s in (store.session(sid) for sid in ids) if s is not None]
        for s in sessions:
            state = session_state(folder, s, positions.get(s.id))
            key = _stable(state)
            if sent.get(s.id) != key:
                sent[s.id] = key
                last = time.monotonic()
                yield f"data: {json.dumps(state)}\n\n"
        if all(s.finished for s in sessions):
            return
        if time.monotonic() - last > KEEPALIVE_S:
            last = time.monotonic()
            yield ": keep-alive\n\n"
        await asyncio.sleep(POLL_S)


async def events(request: Request) -> Response:
    ids = [i for i in request.query_params.get("ids", "").split(",") if i]
    if not ids or len(ids) > MAX_IDS or not all(is_id(i) for i in ids):
        return PlainTextResponse("give ids=ID,ID of sessions", status_code=400)
    app = request.app.state
    return StreamingResponse(
        stream_states(app.store, app.folder, ids, lambda: app.stopping),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
