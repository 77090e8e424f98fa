"""Every request to the app passes here first (pure ASGI middleware, ahead of routing).

The app is a server on the clinician's own machine that reads patient videos, so it trusts
nothing but the browser the clinician opened it in:

1. **Host.** The ``Host`` header must be ``127.0.0.1:PORT`` or ``localhost:PORT``. A web page
   on another site that re-points its own domain name at 127.0.0.1 (DNS rebinding) sends its own
   name as the host, and is refused.
2. **Token.** ``lunge-screen app`` makes a random token per launch and opens ``/?token=...``.
   The token is exchanged for an HttpOnly, SameSite=Strict session cookie (then the page
   redirects to drop the token from the address bar and history); every request needs that
   cookie. Another user of the machine, or another program, can reach the port but not the
   pages (the same scheme as Jupyter's).
3. **Same origin.** A request that changes anything (any method but GET/HEAD) with an
   ``Origin`` or ``Referer`` from anywhere else is refused; SameSite=Strict already keeps the
   cookie off such requests, this refuses them even in a browser that ignores SameSite.
4. **Headers.** Every response forbids framing by other sites, MIME sniffing and sending the
   address elsewhere; pages get a Content-Security-Policy that allows nothing but this server.

Refusals are ``403`` with a one-line plain-text reason.
"""

from __future__ import annotations

import hmac
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = ("GET", "HEAD")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; frame-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'self'; "
    "base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def new_token() -> str:
    """A launch token: 32 random bytes, URL-safe (256 bits)."""
    return secrets.token_urlsafe(32)


class LocalOnly:
    """The middleware. ``port`` is the port the server listens on (part of the allowed hosts and origins)."""

    def __init__(self, app: ASGIApp, *, port: int, token: str) -> None:
        self.app = app
        self.port = port
        self.token = token
        self.cookie_name = f"lunge_screen_{port}"  # cookies ignore the port: one name per app instance
        self.cookie_value = secrets.token_urlsafe(32)
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    @property
    def login_path(self) -> str:
        return "/?" + urlencode({"token": self.token})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            await send({"type": "websocket.close", "code": 1008})
            return
        refusal = self.refusal(scope)
        if refusal is not None:
            await PlainTextResponse(refusal, status_code=403, headers=HEADERS)(scope, receive, send)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query:  # a valid token (checked in refusal): swap it for the cookie
            await self._login(scope, query)(scope, receive, send)
            return
        await self.app(scope, receive, self._with_headers(send))

    def refusal(self, scope: Scope) -> str | None:
        """Why the request is refused, or ``None``."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.hosts:
            return f"refused: this app answers only at http://127.0.0.1:{self.port}/"
        if scope["method"] not in SAFE_METHODS and not self._same_origin(headers):
            return "refused: a request from another web site"
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query:
            if hmac.compare_digest(query["token"].encode(), self.token.encode()):
                return None
            return "refused: wrong token; open the address printed by 'lunge-screen app'"
        if not self._has_cookie(headers.get("cookie", "")):
            return "refused: open the address printed by 'lunge-screen app' (it holds this launch's token)"
        return None

    def _same_origin(self, headers: dict[str, str]) -> bool:
        origin = headers.get("origin")
        if origin is not None:
            return origin in self.origins
        referer = headers.get("referer")
        if referer is not None:
            parts = urlsplit(referer)
            return f"{parts.scheme}://{parts.netloc}" in self.origins
        return True  # neither: not a browser's cross-site request (browsers send Origin on every POST)

    def _has_cookie(self, header: str) -> bool:
        cookie = SimpleCookie()
        try:
            cookie.load(header)
        except Exception:
            return False
        morsel = cookie.get(self.cookie_name)
        return morsel is not None and hmac.compare_digest(morsel.value.encode(), self.cookie_value.encode())

    def _login(self, scope: Scope, query: dict[str, str]) -> RedirectResponse:
        rest = urlencode({k: v for k, v in query.items() if k != "token"})
        target = scope["path"] + (f"?{rest}" if rest else "")
        response = RedirectResponse(target, status_code=303, headers=HEADERS)
        response.set_cookie(self.cookie_name, self.cookie_value, httponly=True, samesite="strict", path="/")
        return response

    def _with_headers(self, send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in HEADERS.items():
                    headers.setdefault(k, v)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        return wrapped
