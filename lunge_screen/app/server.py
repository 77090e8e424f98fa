"""The Starlette application: routes, templates, and what happens at start and stop.

:func:`create_app` builds it from an :class:`AppConfig`. Start-up opens (and migrates) the index,
marks sessions left running as interrupted and starts the job queue; shut-down ends running jobs
(their sessions become interrupted) and closes the index. Every request first passes
:class:`lunge_screen.app.security.LocalOnly`.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import __version__
from ..settings import AppSettings
from . import comparison, events, files, pages
from .folder import DataFolder
from .runner import JobRunner
from .security import LocalOnly
from .store import Store

HERE = Path(__file__).resolve().parent


@dataclass
class AppConfig:
    """Everything one app instance needs. ``run_jobs=False`` keeps the queue still (tests of the pages)."""

    data: Path
    port: int
    token: str
    settings: AppSettings = field(default_factory=AppSettings)
    run_jobs: bool = True
    python: str = sys.executable


def templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters["duration"] = pages.duration
    env.globals["version"] = __version__
    return Jinja2Templates(env=env)


ROUTES = [
    Route("/", pages.home, methods=["GET"]),
    Route("/patients", pages.create_patient, methods=["POST"]),
    Route("/patients/{pid}", pages.patient_page, methods=["GET"]),
    Route("/patients/{pid}/videos", pages.upload_video, methods=["POST"]),
    Route("/patients/{pid}/compare", comparison.compare_page, methods=["GET"]),
    Route("/patients/{pid}/compare/{key}/{name}", comparison.compare_file, methods=["GET"]),
    Route("/sessions/{sid}", pages.session_page, methods=["GET"]),
    Route("/sessions/{sid}/rerun", pages.rerun, methods=["POST"]),
    Route("/sessions/{sid}/settings", pages.change_settings, methods=["POST"]),
    Route("/sessions/{sid}/details", pages.change_details, methods=["POST"]),
    Route("/sessions/{sid}/cancel", pages.cancel, methods=["POST"]),
    Route("/sessions/{sid}/files/{name}", files.result_file, methods=["GET", "HEAD"]),
    Route("/sessions/{sid}/report.zip", files.report_zip, methods=["GET"]),
    Route("/events", events.events, methods=["GET"]),
    Route("/static/report.css", files.report_css, methods=["GET"]),
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]


async def not_found(request: Request, exc: Exception) -> HTMLResponse:
    return pages.message(request, "Not found", "There is nothing at this address.", 404)


def create_app(config: AppConfig) -> Starlette:
    folder = DataFolder(config.data).create()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        state = app.state
        state.store = Store(folder)
        state.runner = JobRunner(state.store, folder, config.settings.jobs_at_once, config.python)
        state.interrupted = state.store.mark_interrupted()
        if config.run_jobs:
            state.runner.start()
        try:
            yield
        finally:
            state.stopping = True
            state.runner.stop()
            state.store.close()

    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(LocalOnly, port=config.port, token=config.token)],
        exception_handlers={404: not_found},
        lifespan=lifespan,
    )
    app.state.folder = folder
    app.state.settings = config.settings
    app.state.templates = templates()
    app.state.stopping = False
    return app
