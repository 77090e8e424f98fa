"""``lunge-screen app``: bind 127.0.0.1, make this launch's token, print the address, open the browser, serve.

The browser is pointed at ``open.html`` in the data folder (readable by this user only), a page
that forwards to the address with the token: the token then never appears on a command line,
where other users of the machine could read it (Jupyter does the same). Ctrl-C (or SIGTERM)
stops the server; running analyses are ended and their sessions marked interrupted.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import webbrowser
from html import escape
from pathlib import Path

from ..errors import AppStartError
from ..settings import AppSettings
from .folder import DataFolder, default_data_dir

HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise AppStartError(f"cannot listen on {HOST}:{port} ({exc.strerror}); choose another --port") from None
    sock.listen(64)
    return sock


def write_open_page(folder: DataFolder, url: str) -> Path:
    """The page the browser is opened on: forwards to ``url``; mode 0600 (it holds the token)."""
    page = folder.open_page
    page.unlink(missing_ok=True)
    fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(
            f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={escape(url)}">'
            f'<title>lunge-screen</title><p><a href="{escape(url)}">Open lunge-screen</a></p>'
        )
    return page


def _open_when_ready(server, page: Path) -> None:
    for _ in range(200):
        if server.started:
            webbrowser.open(page.as_uri())
            return
        time.sleep(0.05)


def serve(data: str | os.PathLike | None, port: int, open_browser: bool, settings: AppSettings) -> int:
    """Run the app until stopped; return the exit code."""
    try:
        import uvicorn

        from .server import AppConfig, create_app
    except ImportError as exc:
        raise AppStartError(f"the app needs its extra packages ({exc.name}): pip install 'lunge-screen[app]'") from None
    from .db import open_db
    from .security import new_token

    try:
        folder = DataFolder(data or default_data_dir()).create()
    except OSError as exc:
        raise AppStartError(f"cannot use the data folder {data or default_data_dir()}: {exc.strerror}") from None
    open_db(folder.db)  # an unreadable or newer index stops here, with its message
    sock = bind(port)
    actual = sock.getsockname()[1]
    token = new_token()
    url = f"http://{HOST}:{actual}/?token={token}"
    app = create_app(AppConfig(folder.root, actual, token, settings))
    page = write_open_page(folder, url)
    print(f"lunge-screen app: data folder {folder.root}", flush=True)
    print(f"Open this address in a browser on this computer (Ctrl-C stops the app):\n    {url}", flush=True)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=3, server_header=False
    )
    server = uvicorn.Server(config)
    if open_browser:
        threading.Thread(target=_open_when_ready, args=(server, page), daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        page.unlink(missing_ok=True)
    print("lunge-screen app: stopped", file=sys.stderr, flush=True)
    return 0
